"""Checks of the book itself: toc, editions, identical code and outputs, clean notebooks."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from nbtools import (
    ALLOWED_CELL_METADATA,
    LANGS,
    ROOT,
    book_notebooks,
    comparable_outputs,
    resolve,
    strip_comments,
    toc_files,
)

NOTEBOOKS = book_notebooks()
CHAPTERS = sorted({p.name for p in NOTEBOOKS})
SCRIPT = {
    "ko": re.compile(r"[\uac00-\ud7a3]"),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def rel(path):
    return path.relative_to(ROOT).as_posix()


def test_every_toc_entry_exists():
    missing = [entry for entry in toc_files() if resolve(entry) is None]
    assert not missing, f"_toc.yml names files that do not exist: {missing}"


def test_every_page_under_book_is_in_the_toc():
    listed = {resolve(entry) for entry in toc_files()}
    pages = [
        p
        for p in (ROOT / "book").rglob("*")
        if p.suffix in (".ipynb", ".md") and "_build" not in p.parts
    ]
    stray = [
        rel(p)
        for p in pages
        if p not in listed and ".ipynb_checkpoints" not in p.parts
    ]
    assert not stray, f"pages under book/ missing from _toc.yml: {stray}"


def test_editions_have_the_same_pages():
    names = {
        lang: sorted(
            p.name
            for p in (ROOT / "book" / lang).iterdir()
            if p.suffix in (".ipynb", ".md")
        )
        for lang in LANGS
    }
    for lang in LANGS[1:]:
        assert names[lang] == names["en"], (
            f"book/{lang} has {names[lang]}, book/en has {names['en']}"
        )


def test_each_edition_lists_the_same_chapters_in_the_same_order():
    entries = toc_files()
    per_lang = {
        lang: [
            e.split("/", 2)[2]
            for e in entries
            if e.startswith(f"book/{lang}/")
        ]
        for lang in LANGS
    }
    assert per_lang["en"], "no English chapters in _toc.yml"
    for lang in LANGS[1:]:
        assert per_lang[lang] == per_lang["en"], (
            f"toc order of {lang} differs from en"
        )


@pytest.mark.parametrize("name", CHAPTERS)
@pytest.mark.parametrize("lang", LANGS[1:])
def test_translation_has_identical_code_and_outputs(name, lang):
    en, other = ROOT / "book" / "en" / name, ROOT / "book" / lang / name
    assert other.exists(), (
        f"{rel(other)} is missing (every chapter exists in en, ko and zh)"
    )
    code_en = [c for c in load(en)["cells"] if c["cell_type"] == "code"]
    code_other = [c for c in load(other)["cells"] if c["cell_type"] == "code"]
    assert len(code_other) == len(code_en), (
        f"{rel(other)} has {len(code_other)} code cells, {rel(en)} has {len(code_en)}"
    )
    for k, (a, b) in enumerate(zip(code_en, code_other), start=1):
        src_a, src_b = (
            strip_comments("".join(a["source"])),
            strip_comments("".join(b["source"])),
        )
        assert src_a == src_b, (
            f"{name}, code cell {k}: {lang} code differs from en\n--- en\n{src_a}\n--- {lang}\n{src_b}"
        )
        tags_a, tags_b = (
            a["metadata"].get("tags", []),
            b["metadata"].get("tags", []),
        )
        assert tags_a == tags_b, (
            f"{name}, code cell {k}: tags differ ({tags_a} vs {tags_b})"
        )
        if "nbval-ignore-output" in tags_a:
            continue
        assert comparable_outputs(a) == comparable_outputs(b), (
            f"{name}, code cell {k}: {lang} outputs differ from en"
        )


@pytest.mark.parametrize("lang", LANGS[1:])
def test_translations_are_written_in_their_language(lang):
    for path in sorted((ROOT / "book" / lang).glob("*")):
        if path.suffix == ".ipynb":
            prose = "".join(
                "".join(c["source"])
                for c in load(path)["cells"]
                if c["cell_type"] == "markdown"
            )
        elif path.suffix == ".md":
            prose = path.read_text(encoding="utf-8")
        else:
            continue
        share = len(SCRIPT[lang].findall(prose)) / max(
            1, len(re.findall(r"[A-Za-z\u3131-\u9fff]", prose))
        )
        assert share > 0.3, (
            f"{rel(path)}: prose does not read as {lang} ({share:.0%} of letters in its script)"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_notebook_is_executed_and_clean(path):
    nb = load(path)
    assert set(nb["metadata"]) <= {"kernelspec", "language_info"}, (
        f"{rel(path)}: stray notebook metadata {sorted(set(nb['metadata']) - {'kernelspec', 'language_info'})}"
    )
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", (
        f"{rel(path)}: kernelspec must be python3"
    )
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, f"{rel(path)} has no code cells"
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{rel(path)}: execution counts are {counts}; re-run it with `make execute NB={rel(path)}`"
    )
    for k, cell in enumerate(nb["cells"], start=1):
        extra = set(cell["metadata"]) - ALLOWED_CELL_METADATA
        assert not extra, (
            f"{rel(path)}, cell {k}: stray cell metadata {sorted(extra)}"
        )
        for out in cell.get("outputs", []):
            assert not (
                out["output_type"] == "stream" and out["name"] == "stderr"
            ), (
                f"{rel(path)}, cell {k}: output on stderr (nbval cannot see C-level stderr; keep it clean)"
            )
            if out["output_type"] == "error":
                assert "raises-exception" in cell["metadata"].get(
                    "tags", []
                ), (
                    f"{rel(path)}, cell {k}: an error output in a cell not tagged raises-exception"
                )
    first = "".join(code[0]["source"])
    assert "setup_notebook(" in first, (
        f"{rel(path)}: the first code cell must call companion.setup_notebook(...)"
    )
    for k, cell in enumerate(code, start=1):
        assert not re.search(
            r"^\s*[!%]pip\b", "".join(cell["source"]), re.M
        ), f"{rel(path)}, code cell {k}: no pip cells"


# One word per idea (the glossary): variants a translator might reach for instead.
DISCOURAGED = {
    "ko": {
        "히든 스테이트": "은닉 상태",
        "은닉층 상태": "은닉 상태",
        "셀 스테이트": "셀 상태",
        "포겟 게이트": "망각 게이트",
        "삭제 게이트": "망각 게이트",
        "타임 스텝": "타임스텝",
        "시간 단계": "타임스텝",
        "매개변수": "파라미터",
        "바이어스": "편향",
        "기울기 소실": "그래디언트 소실",
    },
    # zh: tests/test_native_zh.py (REJECTED), a larger table that also reads code
    # comments and lets the glossary name d2l-zh's variants in quotes.
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_figures_have_a_description(path):
    """Every cell that draws a figure describes it for readers who cannot see it:
    `metadata.mystnb.image.alt` (myst-nb's image alt text), in the edition's
    language; without it the book's alt text is the image's file name."""
    lang = path.parent.name
    for k, cell in enumerate(load(path)["cells"], start=1):
        mystnb = cell["metadata"].get("mystnb")
        if mystnb is not None:
            assert set(mystnb) == {"image"} and set(mystnb["image"]) == {
                "alt"
            }, (
                f"{rel(path)}, cell {k}: mystnb metadata holds only image.alt, not {mystnb}"
            )
        if not any(
            "image/png" in out.get("data", {})
            for out in cell.get("outputs", [])
        ):
            continue
        alt = ((mystnb or {}).get("image") or {}).get("alt", "").strip()
        assert len(alt) >= 10, (
            f"{rel(path)}, cell {k}: a figure without a description "
            '(metadata "mystnb": {"image": {"alt": "what the figure shows"}})'
        )
        if lang in SCRIPT:
            assert SCRIPT[lang].search(alt), (
                f"{rel(path)}, cell {k}: the figure's description is not in {lang}: {alt[:60]}"
            )


@pytest.mark.parametrize("lang", sorted(DISCOURAGED))
def test_translations_use_the_glossary_terms(lang):
    problems = []
    for path in sorted((ROOT / "book" / lang).glob("*")):
        if path.suffix == ".ipynb":
            cells = load(path)["cells"]
            text = "\n".join("".join(c["source"]) for c in cells)
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
        else:
            continue
        # the glossary names other books' words on purpose, on its "다른 이름:" lines
        text = "\n".join(
            line
            for line in text.splitlines()
            if not re.match(r"\s*다른 이름\s*:", line)
        )
        for wrong, right in DISCOURAGED[lang].items():
            if wrong in text:
                problems.append(
                    f"{rel(path)}: '{wrong}' (the glossary says '{right}')"
                )
    assert not problems, "terms that differ from the glossary:\n" + "\n".join(
        problems
    )


def test_editions_have_the_same_cell_sequence():
    """A dropped or added paragraph shows: the same markdown/code cell sequence in every edition."""
    problems = []
    for name in CHAPTERS:
        kinds = {
            lang: [
                c["cell_type"]
                for c in load(ROOT / "book" / lang / name)["cells"]
            ]
            for lang in LANGS
        }
        for lang in LANGS[1:]:
            if kinds[lang] != kinds["en"]:
                k = next(
                    (
                        i
                        for i, (a, b) in enumerate(
                            zip(kinds["en"], kinds[lang])
                        )
                        if a != b
                    ),
                    None,
                )
                k = min(len(kinds["en"]), len(kinds[lang])) if k is None else k
                problems.append(
                    f"{lang}/{name}: cell {k + 1} is {kinds[lang][k] if k < len(kinds[lang]) else 'missing'}, "
                    f"en has {kinds['en'][k] if k < len(kinds['en']) else 'nothing'} "
                    f"({len(kinds[lang])} cells vs {len(kinds['en'])})"
                )
    assert not problems, (
        "editions differ in their cell sequence:\n" + "\n".join(problems)
    )


CODE_COLUMNS = 79


def display_width(line: str) -> int:
    """Columns a line takes in a monospaced font: East Asian wide characters count twice."""
    return sum(
        2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_code_fits_the_column(path):
    """Code cells fit the rendered column (about 80 characters) in every edition."""
    wide = []
    for k, cell in enumerate(
        (c for c in load(path)["cells"] if c["cell_type"] == "code"), start=1
    ):
        for n, line in enumerate(
            "".join(cell["source"]).splitlines(), start=1
        ):
            if display_width(line) > CODE_COLUMNS:
                wide.append(
                    f"code cell {k}, line {n}: {display_width(line)} columns: {line.strip()[:60]}"
                )
    assert not wide, (
        f"{rel(path)}: lines wider than {CODE_COLUMNS} columns:\n"
        + "\n".join(wide)
    )


# A stored output must not show where the notebook was run: home folders,
# checkouts, virtual environments, kernels' temporary files.
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MACHINE_PATH = re.compile(
    r"(?<![\w.])/(?:work|home|root|tmp|Users|usr|opt|var|private)/[\w.\-/]+"
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_stored_outputs_show_no_machine_paths(path):
    found = []
    for k, cell in enumerate(load(path)["cells"], start=1):
        for out in cell.get("outputs", []):
            texts = []
            if out["output_type"] == "stream":
                texts.append("".join(out["text"]))
            elif out["output_type"] == "error":
                texts += [out["evalue"], *out["traceback"]]
            else:
                for mime, value in out.get("data", {}).items():
                    if mime.startswith("text/"):
                        texts.append(
                            "".join(value)
                            if isinstance(value, list)
                            else value
                        )
            for text in texts:
                text = ANSI.sub("", text)
                found += [f"cell {k}: {m}" for m in MACHINE_PATH.findall(text)]
    assert not found, (
        f"{rel(path)}: stored outputs show machine paths (re-run `make execute`):\n"
        + "\n".join(found[:10])
    )


def _prints(source: str) -> bool:
    """Does the cell print at top level (not only inside a def or class)?"""
    return any(re.match(r"print\(", line) for line in source.splitlines())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_a_cell_that_prints_shows_something(path):
    """A cell that calls print() at top level has visible output (a blank cell hides a bug)."""
    blank = []
    for k, cell in enumerate(
        (c for c in load(path)["cells"] if c["cell_type"] == "code"), start=1
    ):
        if not _prints("".join(cell["source"])):
            continue
        text = "".join(
            "".join(o["text"])
            for o in cell.get("outputs", [])
            if o["output_type"] == "stream"
        ) + "".join(
            str(o.get("data", {}).get("text/plain", ""))
            for o in cell.get("outputs", [])
        )
        if not text.strip() and not any(
            o["output_type"] == "error" for o in cell.get("outputs", [])
        ):
            blank.append(f"code cell {k}")
    assert not blank, f"{rel(path)}: cells that print show nothing: {blank}"


def test_edition_comparison_sees_every_output_but_images():
    def cell(html, png="AAAA", log="1/1 - 0s - 12ms/step - loss: 0.5\n"):
        return {
            "outputs": [
                {"output_type": "stream", "name": "stdout", "text": [log]},
                {
                    "output_type": "display_data",
                    "data": {
                        "text/plain": ["<Figure>"],
                        "text/html": [html],
                        "image/png": png,
                    },
                    "metadata": {},
                },
            ]
        }

    same = comparable_outputs(cell("<b>1</b>"))
    assert comparable_outputs(cell("<b>1</b>", png="BBBB")) == same
    assert (
        comparable_outputs(
            cell("<b>1</b>", log="1/1 - 3s - 40ms/step - loss: 0.5\n")
        )
        == same
    )
    assert comparable_outputs(cell("<b>2</b>")) != same
    assert (
        comparable_outputs(
            cell("<b>1</b>", log="1/1 - 0s - 12ms/step - loss: 0.6\n")
        )
        != same
    )


# --- The reader's path: parts, the index, the glossary and the references ---

TOC_PARTS_KEY = "subtrees"


def edition_parts(lang):
    """[(caption, [page, ...]), ...] of one edition, in _toc.yml's order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    entry = next(
        c for c in toc["chapters"] if c["file"] == f"book/{lang}/index"
    )
    return [
        (
            part["caption"],
            [
                s["file"].removeprefix(f"book/{lang}/")
                for s in part["sections"]
            ],
        )
        for part in entry[TOC_PARTS_KEY]
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_toc_groups_chapters_in_parts_with_reference_pages_last(lang):
    parts = edition_parts(lang)
    assert len(parts) == len(edition_parts("en")), (
        f"{lang} has {len(parts)} parts in _toc.yml, en {len(edition_parts('en'))}"
    )
    appendix = parts[-1][1]
    assert sorted(appendix) == sorted(
        ["notation", "errata", "glossary", "references"]
    ), f"{lang}: the last part (the appendix) holds {appendix}"
    for caption, pages in parts:
        assert caption and pages, f"{lang}: a part without caption or pages"


INDEX_ITEM = re.compile(
    r"^\s*(?:\d+\.|[*-])\s+\{doc\}`([^`<>]+)`", re.MULTILINE
)


@pytest.mark.parametrize("lang", LANGS)
def test_index_lists_every_chapter_in_toc_order(lang):
    listed = INDEX_ITEM.findall(
        (ROOT / "book" / lang / "index.md").read_text(encoding="utf-8")
    )
    in_toc = [page for _, pages in edition_parts(lang) for page in pages]
    assert listed == in_toc, (
        f"book/{lang}/index.md lists\n{listed}\n_toc.yml has\n{in_toc}"
    )


def glossary_entries(lang):
    """{term: definition} of book/<lang>/glossary.md's glossary directive."""
    text = (ROOT / "book" / lang / "glossary.md").read_text(encoding="utf-8")
    body = text.split(":::{glossary}", 1)[1].split("\n:::", 1)[0]
    entries, term = {}, None
    for line in body.splitlines():
        if line and not line.startswith(" "):
            term = line.strip()
            entries[term] = ""
        elif term is not None:
            entries[term] += " " + line.strip()
    return entries


def english_name(definition):
    """The 'English: ...' of a Korean or Chinese glossary entry, without (RNN)."""
    m = re.search(r"English:\s*(.+?)\s*(?:·|$)", definition)
    return re.sub(r"\s*\([^)]*\)$", "", m.group(1)) if m else None


@pytest.mark.parametrize("lang", LANGS[1:])
def test_every_glossary_term_is_in_every_edition(lang):
    en = list(glossary_entries("en"))
    other = [english_name(d) for d in glossary_entries(lang).values()]
    assert None not in other, (
        f"book/{lang}/glossary.md: an entry without 'English: ...'"
    )
    assert other == en, (
        f"book/{lang}/glossary.md differs from en:\n"
        f"missing {sorted(set(en) - set(other))}, extra {sorted(set(other) - set(en))}"
    )


TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")


def markdown_prose(path):
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    return "\n".join(
        "".join(c["source"])
        for c in load(path)["cells"]
        if c["cell_type"] == "markdown"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_chapter_links_the_glossary(path):
    """A chapter links its terms to the glossary (at least once), and every link resolves."""
    lang = path.parent.name
    terms = {t.lower() for t in glossary_entries(lang)}
    links = TERM_ROLE.findall(markdown_prose(path))
    assert links, f"{rel(path)} links no term to the glossary"
    targets = [
        (m.group(1) if (m := re.search(r"<([^<>]+)>$", x)) else x).strip()
        for x in links
    ]
    unknown = sorted({t for t in targets if t.lower() not in terms})
    assert not unknown, (
        f"{rel(path)}: terms not in book/{lang}/glossary.md: {unknown}"
    )


CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def bib_keys():
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return re.findall(r"^@\w+\{([^,\s]+),", bib, re.MULTILINE)


@pytest.mark.parametrize("lang", LANGS)
def test_every_reference_is_cited_and_every_citation_resolves(lang):
    keys = bib_keys()
    cited = set()
    for path in sorted((ROOT / "book" / lang).glob("*")):
        if path.suffix not in (".ipynb", ".md"):
            continue
        for group in CITE_ROLE.findall(markdown_prose(path)):
            cited |= {k.strip() for k in group.split(",")}
    wrong_edition = sorted(k for k in cited if not k.startswith(f"{lang}-"))
    assert not wrong_edition, (
        f"book/{lang} cites another edition's keys: {wrong_edition}"
    )
    cited = {k.removeprefix(f"{lang}-") for k in cited}
    assert not cited - set(keys), (
        f"book/{lang} cites keys missing from book/references.bib: {sorted(cited - set(keys))}"
    )
    assert not set(keys) - cited, (
        f"book/references.bib entries that book/{lang} never cites: {sorted(set(keys) - cited)}"
    )
