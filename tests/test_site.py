"""The built book, read the way a reader reads it: in a real, headless Chromium.

Needs `make book` first (the site in _build/html: the language picker at the
root, one build per edition in en/, ko/, zh/) and Debian's chromium
(/usr/bin/chromium), driven by the `playwright` package (never `playwright
install`). Without them the tests skip, unless REQUIRE_SITE_TEST=1 is set (as
.ci/run and `make site-test` do), in which case they fail.

One browser reads every page once, two pages at a time (SITE_TEST_JOBS
tabs, default 2, each reading page after page), at 1280x900 and then at
390x844 (a phone); the tests below assert on what it saw. Screenshots go to
_build/screenshots/.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import http.server
import os
import pathlib
import re
import threading
import time
import urllib.parse

import pytest
from nbtools import LANGS, ROOT, resolve, toc_files

SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("REQUIRE_SITE_TEST") == "1"
# Two tabs: on a 2-core machine the whole read took 47 s and 71 CPU-s of
# Chromium, against 50-62 s and 85-88 CPU-s with four tabs (each renderer
# warms its own caches), and 53 s, 69 CPU-s with one.
JOBS = int(os.environ.get("SITE_TEST_JOBS", "2"))
# Short limits: a page of this book loads in well under a second; these only
# bound a page that hangs (they stay generous for a machine busy with kernels).
TIMEOUT_MS = int(os.environ.get("SITE_TEST_TIMEOUT_MS", "30000"))
WIDTHS = {"wide": (1280, 900), "phone": (390, 844)}
HTML_LANG = {"en": "en", "ko": "ko", "zh": "zh-CN"}
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Offline: no host but the test's own server resolves (cheaper than routing
    # every request through Python; requests that try to leave are still seen).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

# The theme's English interface strings. None may be left on a ko or zh page:
# not in the page's interface text (header, sidebars, footer, buttons, cell
# toggles), nor in a title, aria-label, placeholder or tooltip anywhere.
# Exact: the whole string (short words); contained: anywhere in a string.
ENGLISH_EXACT = {
    "Search",
    "Contents",
    "previous",
    "next",
    "Previous",
    "Next",
    "Home",
    "Main",
    "Page",
    "Light",
    "Dark",
    "Language",
    "Copy",
    "Copied!",
    ".ipynb source",
    "Repository",
    "Launch",
    "Edit",
    "Open issue",
    "By",
    "Breadcrumb",
    "Indices",
    "Show Source",
}
ENGLISH_CONTAINED = [
    "Skip to main content",
    "Back to top",
    "Download this page",
    "Download source file",
    "Print to PDF",
    "Fullscreen",
    "Color mode",
    "System Settings",
    "Last updated",
    "Show code cell",
    "Hide code cell",
    "Toggle primary sidebar",
    "Toggle secondary sidebar",
    "Link to this",
    "Copy to clipboard",
    "show all output",
    "fold output",
    "On this page",
    "Section Navigation",
    "Site navigation",
    "Search the docs",
    "Search this book",
    "previous page",
    "next page",
    "Recurrent Networks, Line by Line",
    "Line by Line authors",
    "Click to show",
    "Click to hide",
    "Launch interactive",
    "Source repositor",
    "Edit this page",
    "Run this chapter",
    "Expand Sidebar",
    "Collapse Sidebar",
    "Search Results",
    "Toggle hidden content",
    "Download notebook file",
    "Source repository",
]

# What the page shows a reader, as seen from inside the browser.
MEASURE_JS = r"""
() => {
  const rect = (e) => e.getBoundingClientRect();
  const clipper = (e) => {
    for (let a = e.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== "visible") return a;
    }
    return null;
  };
  const label = (m, i) => {
    const div = m.closest("div.math");
    const eqno = div && div.querySelector(".eqno");
    return (eqno ? eqno.textContent.replace("#", "").trim() : "") || (div && div.id) || `display #${i + 1}`;
  };
  const equations = [], wide = [];
  document.querySelectorAll('mjx-container[display="true"]').forEach((m, i) => {
    if (!m.offsetParent) return;
    const s = getComputedStyle(m);
    const scrolls = s.overflowX === "auto" || s.overflowX === "scroll";
    let clipped = !scrolls && m.scrollWidth > m.clientWidth + 1;
    const c = clipper(m);
    if (c) {
      const r = rect(m), rc = rect(c);
      if (r.right > rc.right + 1 || r.left < rc.left - 1) clipped = true;
    }
    if (clipped) equations.push(label(m, i));
    // Wider than its column: it scrolls sideways. Where it may (a phone), the
    // reader must see that it does: a shadow on the side that hides more.
    if (m.scrollWidth > m.clientWidth + 1) {
      const bg = s.backgroundImage;
      wide.push({label: label(m, i), width: m.scrollWidth, column: m.clientWidth,
                 cue: scrolls && /gradient/.test(bg) && s.backgroundAttachment.includes("local")});
    }
  });
  // The message of every intended error (a cell tagged raises-exception):
  // from the line that names the exception ("ValueError: ...") to the end of
  // the traceback, inside every box that clips it, clear of a fade.
  const errors = [];
  const MESSAGE = /^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b(:.*)?$/gm;
  document.querySelectorAll("div.cell.tag_raises-exception").forEach((cell, i) => {
    const name = `intended error #${i + 1}`;
    const pre = cell.querySelector("div.cell_output .output.traceback pre");
    if (!pre) { errors.push(`${name}: no traceback shown`); return; }
    const text = pre.textContent;
    let at = -1;
    for (const m of text.matchAll(MESSAGE)) at = m.index;
    if (at < 0) { errors.push(`${name}: no "SomeError: message" line`); return; }
    const line = text.slice(at).split("\n")[0].slice(0, 80);
    const range = document.createRange();
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(), seen = 0; n; n = walker.nextNode()) {
      if (seen + n.length > at) { range.setStart(n, at - seen); break; }
      seen += n.length;
    }
    range.setEnd(pre, pre.childNodes.length);
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0.5 && r.height > 0.5);
    let hidden = !pre.offsetParent || !rects.length;
    for (let a = pre; a && a !== cell; a = a.parentElement) {
      const st = getComputedStyle(a);
      const clips = st.overflowX !== "visible" || st.overflowY !== "visible";
      const masked = st.maskImage && st.maskImage !== "none";
      if (!clips && !masked) continue;
      const c = rect(a);
      // A fade covers the edge of its box: the message keeps 2.5em clear of it.
      const clear = masked ? 2.5 * parseFloat(st.fontSize) : 0;
      for (const r of rects)
        if (r.top < c.top + clear - 1 || r.bottom > c.bottom + 1 || r.left < c.left - 1 || r.right > c.right + 1)
          hidden = true;
    }
    if (hidden) errors.push(`${name}: ${line}`);
  });
  const code = [];
  document.querySelectorAll("div.cell_input pre").forEach((p, i) => {
    if (p.offsetParent && p.scrollWidth > p.clientWidth + 1)
      code.push({cell: i + 1, over: p.scrollWidth - p.clientWidth});
  });
  return {
    equations,
    wide,
    errors,
    intended: document.querySelectorAll("div.cell.tag_raises-exception").length,
    code,
    codeCells: document.querySelectorAll("div.cell_input pre").length,
    pageWidth: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
  };
}
"""

# The interface text of the page and every title/aria-label/placeholder/tooltip.
UI_STRINGS_JS = r"""
() => {
  const skip = "script, style, mjx-container, .bd-sidenav a, .bd-toc-nav a, .prev-next-title, "
    + "nav.edition-switcher a, nav.edition-switcher span";
  const ui = "summary, button, .copybtn, .output-toggle";
  const article = document.querySelector("article.bd-article");
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || el.closest(skip)) continue;
    if (article && article.contains(el) && !el.closest(ui)) continue;
    out.push(text);
  }
  const attrs = ["title", "aria-label", "placeholder", "data-tooltip", "data-bs-title"];
  document.querySelectorAll("*").forEach((e) => {
    for (const a of attrs) {
      const v = e.getAttribute(a);
      if (v && v.trim()) out.push(v.trim());
    }
  });
  document.querySelectorAll(".copybtn").forEach((b) => out.push(b.dataset.tooltip || ""));
  return out;
}
"""


def site_path(entry: str) -> str:
    """The built page for a toc entry: book/index -> index.html, book/ko/x -> ko/x.html."""
    rest = entry.removeprefix("book/")
    return rest + ".html"


def pages():
    """Every page of the toc, as a path relative to the site root."""
    return [site_path(e) for e in toc_files() if resolve(e) is not None]


def edition(page_path: str):
    head = page_path.split("/", 1)[0]
    return head if head in LANGS and "/" in page_path else None


def is_notebook(page_path: str) -> bool:
    lang = edition(page_path)
    return (
        bool(lang)
        and resolve(f"book/{page_path[: -len('.html')]}").suffix == ".ipynb"
    )


@functools.cache
def ids_in(path: pathlib.Path) -> frozenset:
    return frozenset(
        re.findall(r'id="([^"]+)"', path.read_text(encoding="utf-8"))
    )


def positional_ids(page_path: str) -> list[str]:
    html = (SITE / page_path).read_text(encoding="utf-8")
    return re.findall(r'id="(sec(?:-\d+)+)"', html)


def english_left(strings) -> list[str]:
    found = set()
    for s in strings:
        if s in ENGLISH_EXACT:
            found.add(s)
        for e in ENGLISH_CONTAINED:
            if e in s:
                found.add(s if len(s) < 80 else e)
    return sorted(found)


def _missing():
    if (
        not (SITE / "index.html").exists()
        or not (SITE / "en" / "index.html").exists()
    ):
        return "no built site: run `make book` first"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}: apt-get install chromium"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def skip_or_fail():
    reason = _missing()
    if reason:
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The built site, and nothing else, to the test's browser.

    The site does not change while the browser reads it, so a file it served
    may be reused for the rest of the run: every page still loads all of its
    files, but a fresh build (`make book` just before) no longer costs a
    revalidation of each script, style and font on every page. Errors (a
    missing file) are never cached: each page that asks for one sees it fail.
    """

    def send_response(self, code, message=None):
        self._code = code
        super().send_response(code, message)

    def end_headers(self):
        if getattr(self, "_code", None) == 200:
            self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    skip_or_fail()
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


# -- reading the site ---------------------------------------------------------

# Wait until MathJax (loaded deferred) has typeset the page and fonts are in.
SETTLE_JS = """async () => {
  for (let i = 0; i < 100 && document.querySelector('div.math, span.math')
                  && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
    await new Promise((r) => setTimeout(r, 50));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await document.fonts.ready;
}"""

# Two frames: a resize is laid out and whatever reacts to it has run.
FRAMES_JS = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"

# Everything the tests read from a page, in one call once it has loaded (what
# Playwright's inner_text("main"), locator counts and get_attribute read, from
# inside the page), then its measures at the window it loaded in.
READ_JS = (
    "async (ui) => {\n"
    f"  const settle = {SETTLE_JS};\n"
    f"  const uiStrings = {UI_STRINGS_JS};\n"
    f"  const frames = {FRAMES_JS};\n"
    f"  const measure = {MEASURE_JS};\n"
    """  await settle();
  const all = (selector) => Array.from(document.querySelectorAll(selector));
  const main = document.querySelector("main");
  if (!main) throw new Error("the page has no <main>");
  const form = document.querySelector("form.bd-search, form[action*=search]");
  const read = {
    text: main.innerText,
    mjx: all("mjx-container").length,
    broken_images: Array.from(document.images)
      .filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src),
    hrefs: all("a[href]").map((a) => a.href),
    copybuttons: all("button.copybtn").length,
    lang: document.documentElement.getAttribute("lang"),
    switcher: all("nav.edition-switcher a").map((e) => e.hreflang),
    search_action: form ? new URL(form.getAttribute("action"), location.href).pathname : null,
    run_note: all("div.run-this-chapter").length,
    // What MathJax drew (and reads out): a backslash before _ is a TeX escape it
    // showed as text (\\texttt{a\\_b}, \\text{a\\_b}).
    maths_backslashes: all("mjx-container").map((m) => m.textContent)
      .filter((t) => /\\\\\\s*_/.test(t)).map((t) => t.slice(0, 80)),
    images: Array.from(document.images).map((i) => ({
      src: i.getAttribute("src") || "", alt: i.getAttribute("alt"),
      inArticle: !!i.closest("article")})),
  };
  if (ui) read.ui_strings = uiStrings();
  await frames();
  read.measure = measure();
  return read;
}"""
)

# After a resize: its measures once it is laid out.
MEASURE_AFTER_FRAMES_JS = (
    "async () => {\n"
    f"  const frames = {FRAMES_JS};\n"
    f"  const measure = {MEASURE_JS};\n"
    "  await frames();\n"
    "  return measure();\n"
    "}"
)

SCROLL_TO_MATHS_JS = (
    "() => { const m = document.querySelector('mjx-container[display=\"true\"]');"
    " if (m) window.scrollTo(0, m.getBoundingClientRect().top + window.scrollY - 250); }"
)

# The window every page loads in (then it is read at the other widths).
FIRST_WIDTH = next(iter(WIDTHS))
LOAD_VIEWPORT = dict(zip(("width", "height"), WIDTHS[FIRST_WIDTH]))


class Tab:
    """A browser tab that reads one page after another.

    Its renderer, with the scripts it compiled and the fonts it loaded, serves
    every page it reads (a new tab per page started a new renderer process
    each time: a third of this test's CPU time). The console errors, page
    errors and requests that leave localhost it sees go to the page it reads
    now.
    """

    def __init__(self, page):
        self.page = page
        self.errors, self.outside = [], []
        page.set_default_timeout(TIMEOUT_MS)
        page.on(
            "console",
            lambda m: (
                self.errors.append(m.text) if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, r):
        if (
            not r.url.startswith(("data:", "blob:"))
            and urllib.parse.urlparse(r.url).hostname != "127.0.0.1"
        ):
            self.outside.append(r.url)

    async def open(self, url, settle=True):
        """Load url in the 1280x900 window (and, unless settle=False, wait for
        its maths and fonts); return the page's (errors, outside) lists."""
        page = self.page
        if page.viewport_size != LOAD_VIEWPORT:
            # The previous page is done with: hidden, it is not laid out again
            # for the window the next page loads in.
            await page.evaluate(
                "() => { document.documentElement.style.display = 'none'; }"
            )
            await page.set_viewport_size(LOAD_VIEWPORT)
        # The previous page's lists are its result: they take nothing more.
        self.errors, self.outside = [], []
        errors, outside = self.errors, self.outside
        await page.goto(url, wait_until="load")
        if settle:
            await page.evaluate(SETTLE_JS)
        return errors, outside


async def screenshot(page, name):
    await page.evaluate(SCROLL_TO_MATHS_JS)
    await page.screenshot(path=str(SHOTS / f"{name}.png"))


async def read_page(tab, server, page_path):
    """Everything the tests need from one page, at every width."""
    errors, outside = await tab.open(f"{server}/{page_path}", settle=False)
    page = tab.page
    result = await page.evaluate(READ_JS, edition(page_path) in ("ko", "zh"))
    result["errors"], result["outside"] = errors, outside
    ui_strings = result.pop("ui_strings", None)
    if ui_strings is not None:
        result["ui_english"] = english_left(ui_strings)
    result[FIRST_WIDTH] = result.pop("measure")
    shot = SHOT_PAGES.get(page_path)
    for name, (width, height) in WIDTHS.items():
        if name != FIRST_WIDTH:
            await page.set_viewport_size({"width": width, "height": height})
            result[name] = await page.evaluate(MEASURE_AFTER_FRAMES_JS)
        if shot:
            await screenshot(page, f"{shot}-{name}")
    return result


async def read_search(tab, server, lang, query="LSTM"):
    """Search the edition for query; where do the results point?"""
    errors, _ = await tab.open(
        f"{server}/{lang}/search.html?q={urllib.parse.quote(query)}"
    )
    page = tab.page
    # Sphinx lists the results one by one, then writes its summary line: the
    # whole list and the final heading, not however far it has got.
    await page.wait_for_function(
        "() => { const p = document.querySelector('#search-results p.search-summary');"
        " return p && p.innerText.trim(); }",
        timeout=TIMEOUT_MS,
    )
    hrefs = await page.locator("#search-results ul.search li a").evaluate_all(
        "els => els.map(e => e.href)"
    )
    heading = await page.locator("#search-results h2").first.inner_text()
    return {"hrefs": hrefs, "heading": heading, "errors": errors}


async def read_switch(tab, server, page_path, section_id):
    """Read a section of page_path, follow the switcher to English: where does the reader land?"""
    await tab.open(f"{server}/{page_path}")
    page = tab.page
    await page.evaluate(
        "(id) => { document.getElementById(id).closest('section').scrollIntoView(); }",
        section_id,
    )
    await page.evaluate(FRAMES_JS)
    link = page.locator('nav.edition-switcher a[hreflang="en"]')
    href = await link.get_attribute("href")
    # A reader's click: the header stays in view, so nothing scrolls first
    # (Playwright's own click would scroll the sticky header "into view").
    async with page.expect_navigation(wait_until="load"):
        await link.evaluate("a => a.click()")
    landed = await page.evaluate(
        "() => ({url: location.pathname + location.hash,"
        " top: (document.getElementById(location.hash.slice(1)) || document.body).getBoundingClientRect().top})"
    )
    return {"href": href, **landed}


async def read_fold(tab, server, page_path):
    await tab.open(f"{server}/{page_path}")
    page = tab.page
    buttons = page.locator("button.output-toggle")
    n = await buttons.count()
    if not n:
        return {"buttons": 0}
    out = page.locator("div.cell_output.output-collapsible").first
    folded = await out.evaluate("e => e.clientHeight")
    await buttons.first.click()
    unfolded = await out.evaluate("e => e.clientHeight")
    return {"buttons": n, "folded": folded, "unfolded": unfolded}


def _first_chapter(lang):
    return next(
        site_path(e)
        for e in toc_files()
        if e.startswith(f"book/{lang}/") and resolve(e).suffix == ".ipynb"
    )


SHOT_PAGES = {}


async def read_site(server):
    from playwright.async_api import async_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        SHOT_PAGES[_first_chapter(lang)] = f"{lang}-first-chapter"
    SHOT_PAGES.setdefault("ko/bptt.html", "ko-bptt")
    switch_page = next(
        p
        for p in pages()
        if p.startswith("ko/")
        and is_notebook(p)
        and "sec-1-3" in positional_ids(p)
    )
    jobs = [(("page", pp), read_page, (server, pp)) for pp in pages()]
    jobs += [(("search", lang), read_search, (server, lang)) for lang in LANGS]
    jobs += [
        (("search", lang, query), read_search, (server, lang, query))
        for lang, queries in SEARCHES.items()
        for query in queries
    ]
    jobs.append(
        (
            ("switch", switch_page),
            read_switch,
            (server, switch_page, "sec-1-3"),
        )
    )
    jobs.append(
        (
            ("fold", "en/pytorch-rnn.html"),
            read_fold,
            (server, "en/pytorch-rnn.html"),
        )
    )
    queue = collections.deque(jobs)
    results = {}

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=str(CHROMIUM), args=FLAGS, headless=True
        )
        context = await browser.new_context(viewport=LOAD_VIEWPORT)

        async def reader():
            """One tab: takes the next job until none is left."""
            tab = None
            while queue:
                key, read, args = queue.popleft()
                try:
                    if tab is None:
                        tab = Tab(await context.new_page())
                    results[key] = await read(tab, *args)
                except Exception as exc:  # noqa: BLE001 - the test that needs it reports it
                    results[key] = exc
                    # Whatever state the failure left the tab in, the next
                    # job gets a new one.
                    if tab is not None:
                        with contextlib.suppress(Exception):
                            await tab.page.close()
                    tab = None
            if tab is not None:
                await tab.page.close()

        await asyncio.gather(*(reader() for _ in range(JOBS)))
        await browser.close()
    return results


@pytest.fixture(scope="module")
def site(server):
    start = time.time()
    results = asyncio.run(read_site(server))
    print(
        f"\nread {len(results)} pages and checks in {time.time() - start:.1f} s"
    )
    return results


def _get(site, key):
    value = site[key]
    assert not isinstance(value, Exception), (
        f"{key}: the browser failed: {value!r}"
    )
    return value


# -- the tests ----------------------------------------------------------------


@pytest.mark.parametrize("page_path", pages())
def test_page_renders_offline(site, page_path):
    r = _get(site, ("page", page_path))
    assert not r["outside"], (
        f"{page_path}: requests left localhost: {r['outside']}"
    )
    assert not r["errors"], f"{page_path}: console errors: {r['errors']}"
    assert "$$" not in r["text"], (
        f"{page_path}: raw $$ left in the page (maths not rendered)"
    )
    if 'class="math' in (SITE / page_path).read_text(encoding="utf-8"):
        assert r["mjx"] > 0, (
            f"{page_path}: the page has maths but MathJax rendered none"
        )
    assert not r["broken_images"], (
        f"{page_path}: images that did not load: {r['broken_images']}"
    )
    bad = []
    for href in r["hrefs"]:
        url = urllib.parse.urlparse(href)
        if url.hostname != "127.0.0.1":
            continue
        target = SITE / urllib.parse.unquote(url.path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            bad.append(href)
            continue
        if (
            url.fragment
            and target.suffix == ".html"
            and url.fragment not in ids_in(target)
        ):
            bad.append(href)
    assert not bad, (
        f"{page_path}: links that do not resolve: {sorted(set(bad))}"
    )
    lang = edition(page_path)
    if lang is None:
        for code in LANGS:
            assert any(
                h.endswith(f"/{code}/index.html") for h in r["hrefs"]
            ), f"the picker does not link to {code}"
        return
    assert r["lang"] == HTML_LANG[lang], (
        f"{page_path}: <html lang> is {r['lang']}, not {HTML_LANG[lang]}"
    )
    assert r["search_action"] == f"/{lang}/search.html", (
        f"{page_path}: search goes to {r['search_action']}"
    )
    others = sorted(v for k, v in HTML_LANG.items() if k != lang)
    assert sorted(r["switcher"]) == others, (
        f"{page_path}: the language switcher does not link to both other editions"
    )
    if is_notebook(page_path):
        name = page_path.rsplit("/", 1)[-1].replace(".html", ".ipynb")
        downloads = [
            h for h in r["hrefs"] if h.endswith("/" + name) and "_sources" in h
        ]
        assert downloads, f"{page_path}: no download link to {name}"
        assert r["copybuttons"] > 0, (
            f"{page_path}: code cells have no copy button"
        )
        assert r["run_note"] == 1, (
            f"{page_path}: no note on how to run the chapter under its title"
        )


@pytest.mark.parametrize(
    "page_path", [p for p in pages() if edition(p) in ("ko", "zh")]
)
def test_interface_speaks_the_edition(site, page_path):
    r = _get(site, ("page", page_path))
    assert not r["ui_english"], (
        f"{page_path}: English interface strings: {r['ui_english']}"
    )


@pytest.mark.parametrize(
    "page_path", [p for p in pages() if edition(p) in ("ko", "zh")]
)
def test_sections_match_english(page_path):
    """The switcher keeps the section by position: the editions must have the same sections."""
    skip_or_fail()
    english = positional_ids("en/" + page_path.split("/", 1)[1])
    assert positional_ids(page_path) == english, (
        f"{page_path}: its sections differ from the English page's"
    )


@pytest.mark.parametrize("page_path", pages())
@pytest.mark.parametrize("width", list(WIDTHS))
def test_equations_and_page_fit(site, page_path, width):
    m = _get(site, ("page", page_path))[width]
    assert not m["equations"], (
        f"{page_path} at {WIDTHS[width][0]} px: clipped display equations {m['equations']}"
    )
    assert m["pageWidth"] <= m["viewport"], (
        f"{page_path} at {WIDTHS[width][0]} px: the page is {m['pageWidth']} px wide, the window {m['viewport']} px"
    )


@pytest.mark.parametrize("page_path", pages())
def test_display_maths_fits_a_desktop_column(site, page_path):
    """At 1280x900 no display equation is wider than its column: long ones are
    split over aligned lines, so nothing scrolls sideways there."""
    wide = _get(site, ("page", page_path))[FIRST_WIDTH]["wide"]
    assert not wide, (
        f"{page_path} at {WIDTHS[FIRST_WIDTH][0]} px: display equations wider than their column "
        f"(label: width/column px) {[(w['label'], w['width'], w['column']) for w in wide]}"
    )


@pytest.mark.parametrize("page_path", pages())
def test_scrolling_maths_shows_that_it_scrolls(site, page_path):
    """On a phone an equation may be wider than the column: it scrolls, and a
    shadow on the hidden side shows the reader that it does."""
    wide = _get(site, ("page", page_path))["phone"]["wide"]
    no_cue = [w["label"] for w in wide if not w["cue"]]
    assert not no_cue, (
        f"{page_path} at {WIDTHS['phone'][0]} px: equations that scroll with no visible cue {no_cue}"
    )


@pytest.mark.parametrize("page_path", pages())
def test_maths_shows_no_tex_escapes(site, page_path):
    """MathJax draws `\\texttt{a\\_b}` or `\\text{a\\_b}` with its backslash;
    identifiers in maths are written \\mathtt{a\\_b} (or as code in the text)."""
    shown = _get(site, ("page", page_path))["maths_backslashes"]
    assert not shown, (
        f"{page_path}: rendered maths shows a backslash before _: {shown}"
    )


def intended_errors(page_path: str) -> int:
    """How many cells of the page's notebook are tagged raises-exception."""
    import json

    nb = json.loads(
        resolve(f"book/{page_path[: -len('.html')]}").read_text(
            encoding="utf-8"
        )
    )
    return sum(
        "raises-exception" in c.get("metadata", {}).get("tags", [])
        for c in nb["cells"]
        if c["cell_type"] == "code"
    )


@pytest.mark.parametrize(
    "page_path", [p for p in pages() if is_notebook(p) and intended_errors(p)]
)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_intended_errors_show_their_message(site, page_path, width):
    """A cell that fails on purpose is there for its message: the last lines of
    its traceback, from "SomeError: ..." down, show without a click."""
    m = _get(site, ("page", page_path))[width]
    assert m["intended"] == intended_errors(page_path), (
        f"{page_path}: {intended_errors(page_path)} cells are tagged raises-exception, "
        f"the page marks {m['intended']}"
    )
    assert not m["errors"], (
        f"{page_path} at {WIDTHS[width][0]} px: intended errors whose message is hidden {m['errors']}"
    )


FILE_NAME = re.compile(
    r"(^|/)[\w.-]+\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE
)
SCRIPT = {
    "ko": re.compile("[\uac00-\ud7a3]"),
    "zh": re.compile("[\u4e00-\u9fff]"),
}


@pytest.mark.parametrize("page_path", pages())
def test_images_have_descriptions(site, page_path):
    """Every image says what it shows (alt text), in the edition's language;
    none is described by its file name."""
    lang = edition(page_path)
    bad = []
    for img in _get(site, ("page", page_path))["images"]:
        alt = (img["alt"] or "").strip()
        name = img["src"].rsplit("/", 1)[-1]
        if (
            (img["inArticle"] and not alt)
            or FILE_NAME.search(alt)
            or (alt and alt == name)
        ):
            bad.append((name[:16], alt[:40]))
        elif alt and lang in SCRIPT and not SCRIPT[lang].search(alt):
            bad.append(
                (name[:16], f"not in the edition's language: {alt[:40]}")
            )
    assert not bad, f"{page_path}: images without a description {bad}"


@pytest.mark.parametrize("page_path", [p for p in pages() if is_notebook(p)])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_code_fits_its_column(site, page_path, width):
    m = _get(site, ("page", page_path))[width]
    assert not m["code"], (
        f"{page_path} at {WIDTHS[width][0]} px: {len(m['code'])} of {m['codeCells']} code cells are wider "
        f"than the column (cell: pixels over) {[(c['cell'], c['over']) for c in m['code']]}"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_search_stays_in_the_edition(site, lang):
    r = _get(site, ("search", lang))
    assert r["hrefs"], f"{lang}: searching LSTM found nothing"
    elsewhere = [
        h
        for h in r["hrefs"]
        if f"/{lang}/" not in urllib.parse.urlparse(h).path
    ]
    assert not elsewhere, (
        f"{lang}: search results outside the edition: {elsewhere}"
    )
    if lang != "en":
        assert "Search" not in r["heading"], (
            f"{lang}: the results heading is English: {r['heading']!r}"
        )


# Words a reader of each edition looks up: each must find every chapter whose
# text has it (all its words, for a query of several).
SEARCHES = {
    "en": ["Shakespeare", "sunspot", "forget gate"],
    "ko": ["셰익스피어", "흑점", "망각 게이트"],
    "zh": ["遗忘门", "莎士比亚", "太阳黑子", "LSTM 遗忘门"],
}


def page_prose(page_path: str) -> str:
    """The text a page's source writes (markdown cells of a notebook, or the .md)."""
    import json

    source = resolve(f"book/{page_path[: -len('.html')]}")
    if source.suffix == ".md":
        return source.read_text(encoding="utf-8")
    nb = json.loads(source.read_text(encoding="utf-8"))
    return "\n".join(
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    )


@pytest.mark.parametrize(
    ("lang", "query"),
    [(lang, q) for lang, queries in SEARCHES.items() for q in queries],
)
def test_search_finds_the_chapters_with_the_word(site, lang, query):
    r = _get(site, ("search", lang, query))
    found = {
        urllib.parse.urlparse(h).path.rsplit("/", 1)[-1] for h in r["hrefs"]
    }
    words = query.casefold().split()
    expected = {
        p.rsplit("/", 1)[-1]
        for p in pages()
        if edition(p) == lang
        and p.rsplit("/", 1)[-1] not in ("index.html",)
        and all(w in page_prose(p).casefold() for w in words)
    }
    assert expected, f"{lang}: no page has {query!r}: pick another word"
    missing = sorted(expected - found)
    assert not missing, (
        f"{lang}: searching {query!r} did not find {missing} (found {sorted(found)})"
    )


# Chinese characters and punctuation (a space between two of them is a stray).
CJK = "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
CJK_SPACE = re.compile(f"({CJK})[ \t\u00a0]+({CJK})")
# Markup around the words of a source line that the page does not show.
MARKUP = re.compile(r"\{[a-z:-]+\}`|[`*]")


@pytest.mark.parametrize(
    "page_path", [p for p in pages() if edition(p) == "zh"]
)
def test_chinese_text_has_no_stray_spaces(site, page_path):
    """A line break between two Chinese characters renders as a space that splits
    a word or a sentence (两部 剧作): no space between two Chinese characters
    shows on a zh page unless its source writes one (a real space, not a line
    break)."""
    text = _get(site, ("page", page_path))["text"]
    source = MARKUP.sub("", page_prose(page_path))
    stray = []
    for m in CJK_SPACE.finditer(text):
        pair = f"{m.group(1)} {m.group(2)}"
        if pair not in source:
            stray.append(text[max(0, m.start() - 6) : m.end() + 6])
    assert not stray, (
        f"{page_path}: {len(stray)} spaces between Chinese characters that the source "
        f"does not write: {stray[:8]}"
    )


# Interface strings that read wrong to a native reader (the theme's catalogues).
BAD_INTERFACE = {
    "ko": {
        "전체 화면으로보기": "전체 화면으로보기",
        "a number spaced from its counter (17 개)": r"\} 개 페이지|\d 개 페이지",
        "a zero-padded date": r"\d+월 0\d일|년 0\d월",
        "an English message": "Please activate JavaScript",
    },
    "zh": {
        "Traditional 列印": "列印",
        "a spaced or zero-padded date": r"\d 月|月 \d|月0\d|日 ?\.",
        "an English message": "Please activate JavaScript",
    },
}


def search_script_messages(lang: str) -> str:
    """The translated strings of the edition's search script (translations.js)."""
    import json

    text = (SITE / lang / "_static" / "translations.js").read_text(
        encoding="utf-8"
    )
    body = text.partition("Documentation.addTranslations(")[2].rpartition(
        ");"
    )[0]
    return "\n".join(json.loads(body)["messages"].values() if body else [])


@pytest.mark.parametrize("lang", sorted(BAD_INTERFACE))
def test_interface_reads_natively(lang):
    """The footer's date, the buttons, the search page and its result line, as a
    native reader writes them."""
    skip_or_fail()
    chapter = _first_chapter(lang)
    shown = {
        chapter: (SITE / chapter).read_text(encoding="utf-8"),
        f"{lang}/search.html": (SITE / lang / "search.html").read_text(
            encoding="utf-8"
        ),
        "the search script": search_script_messages(lang),
    }
    found = [
        (where, what)
        for where, text in shown.items()
        for what, pattern in BAD_INTERFACE[lang].items()
        if re.search(pattern, text)
    ]
    assert not found, f"{lang}: interface strings that read wrong: {found}"


def test_switcher_keeps_the_section(site):
    key = next(k for k in site if k[0] == "switch")
    r = _get(site, key)
    page = key[1].split("/", 1)[1]
    assert r["href"].endswith(f"en/{page}#sec-1-3"), (
        f"{key[1]}: the switcher points at {r['href']}"
    )
    assert r["url"] == f"/en/{page}#sec-1-3", (
        f"the reader landed on {r['url']}"
    )
    assert abs(r["top"]) < 200, (
        f"the section is {r['top']} px from the top of the window"
    )


def test_long_outputs_fold_and_unfold(site):
    """The PyTorch RNN chapter prints a long model: its output starts folded and a button unfolds it."""
    r = _get(site, ("fold", "en/pytorch-rnn.html"))
    assert r["buttons"] > 0, "no long output got a fold button"
    assert r["unfolded"] > r["folded"], (
        f"unfolding did not grow the output ({r['folded']} -> {r['unfolded']} px)"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_screenshot_of_first_chapter(site, lang):
    page_path = _first_chapter(lang)
    r = _get(site, ("page", page_path))
    assert r["mjx"] > 0, f"{page_path}: no rendered maths"
    for width in WIDTHS:
        assert (SHOTS / f"{lang}-first-chapter-{width}.png").exists()
