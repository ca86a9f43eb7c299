"""The built book, read the way a reader reads it: in a real, headless Chromium.

Needs `make book` first (the site in _build/html) and Debian's chromium
(/usr/bin/chromium), driven by the `playwright` package (never `playwright
install`). Without them the tests skip, unless REQUIRE_SITE_TEST=1 is set (as
.ci/run does), in which case they fail.
"""
from __future__ import annotations

import functools
import http.server
import os
import pathlib
import threading
import urllib.parse

import pytest

from nbtools import LANGS, ROOT, resolve, toc_files

SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = pathlib.Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("REQUIRE_SITE_TEST") == "1"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing():
    if not (SITE / "index.html").exists():
        return "no built site: run `make book` first"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}: apt-get install chromium"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def pytest_skip_or_fail():
    reason = _missing()
    if reason:
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)


def pages():
    """Every page of the toc, as a path relative to the site root."""
    result = []
    for entry in toc_files():
        if resolve(entry) is not None:
            result.append(entry + ".html")
    return result


@pytest.fixture(scope="module")
def server():
    pytest_skip_or_fail()
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield b
        b.close()


def visit(browser, server, page_path):
    """Open a page; return (page, console errors, requests that left localhost)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Generous limits: the page test may share 2 cores with notebook kernels (make test -n 2).
    page.set_default_timeout(120_000)
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        host = urllib.parse.urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(f"{server}/{page_path}", wait_until="load", timeout=120_000)
    page.wait_for_load_state("networkidle", timeout=120_000)
    if page.locator(".math").count():
        # MathJax loads deferred; wait until it has typeset the page (or give up after 20 s).
        try:
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise"
                " && document.querySelector('mjx-container')",
                timeout=60_000,
            )
        except Exception:
            pass
    return context, page, errors, outside


@pytest.mark.parametrize("page_path", pages())
def test_page_renders_offline(browser, server, page_path):
    context, page, errors, outside = visit(browser, server, page_path)
    try:
        assert not outside, f"{page_path}: requests left localhost: {outside}"
        assert not errors, f"{page_path}: console errors: {errors}"
        text = page.inner_text("main")
        assert "$$" not in text, f"{page_path}: raw $$ left in the page (maths not rendered)"
        source = (SITE / page_path).read_text(encoding="utf-8")
        if "class=\"math" in source:
            n = page.locator("mjx-container").count()
            assert n > 0, f"{page_path}: the page has maths but MathJax rendered none"
        broken = page.evaluate(
            "() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert not broken, f"{page_path}: images that did not load: {broken}"
        hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        bad = []
        for href in hrefs:
            url = urllib.parse.urlparse(href)
            if url.hostname != "127.0.0.1":
                continue
            target = SITE / urllib.parse.unquote(url.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                bad.append(href)
                continue
            if url.fragment and target.suffix == ".html":
                html = target.read_text(encoding="utf-8")
                if f'id="{url.fragment}"' not in html:
                    bad.append(href)
        assert not bad, f"{page_path}: links that do not resolve: {sorted(set(bad))}"
        entry = page_path[: -len(".html")]
        if resolve(entry).suffix == ".ipynb":
            name = entry.rsplit("/", 1)[-1] + ".ipynb"
            downloads = [h for h in hrefs if h.endswith("/" + name) and "_sources" in h]
            assert downloads, f"{page_path}: no download link to {name}"
            assert page.locator("button.copybtn").count() > 0, f"{page_path}: code cells have no copy button"
        lang = page_path.split("/")[1] if page_path.startswith("book/") and page_path.count("/") >= 2 else None
        if lang in LANGS:
            want = {"en": "en", "ko": "ko", "zh": "zh-Hans"}[lang]
            assert page.get_attribute("html", "lang") == want, f"{page_path}: <html lang> is not {want}"
            switcher = page.locator("nav.edition-switcher a")
            others = sorted(switcher.evaluate_all("els => els.map(e => e.hreflang)"))
            assert others == sorted(v for k, v in {"en": "en", "ko": "ko", "zh": "zh-Hans"}.items() if k != lang), (
                f"{page_path}: the language switcher does not link to both other editions"
            )
    finally:
        context.close()


def test_long_outputs_fold_and_unfold(browser, server):
    """The PyTorch RNN chapter prints a long model: its output starts folded and a button unfolds it."""
    context, page, _, _ = visit(browser, server, "book/en/pytorch-rnn.html")
    try:
        buttons = page.locator("button.output-toggle")
        assert buttons.count() > 0, "no long output got a fold button"
        out = page.locator("div.cell_output.output-collapsible").first
        folded = out.evaluate("e => e.clientHeight")
        buttons.first.click()
        unfolded = out.evaluate("e => e.clientHeight")
        assert unfolded > folded, f"unfolding did not grow the output ({folded} -> {unfolded} px)"
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_screenshot_of_first_chapter(browser, server, lang):
    chapters = [e for e in toc_files() if e.startswith(f"book/{lang}/") and resolve(e).suffix == ".ipynb"]
    assert chapters, f"no notebook chapter in the {lang} edition"
    context, page, errors, _ = visit(browser, server, chapters[0] + ".html")
    try:
        assert page.locator("mjx-container").count() > 0, f"{chapters[0]}: no rendered maths"
        SHOTS.mkdir(parents=True, exist_ok=True)
        # Scroll so that the first displayed equation sits in the upper part of the shot.
        page.evaluate(
            "() => { const m = document.querySelector('mjx-container[display=\"true\"]');"
            " if (m) window.scrollTo(0, m.getBoundingClientRect().top + window.scrollY - 250); }"
        )
        page.screenshot(path=str(SHOTS / f"{lang}-first-chapter.png"), full_page=False)
    finally:
        context.close()
