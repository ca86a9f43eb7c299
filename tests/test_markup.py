"""Markdown that renders as written: no asterisks left over from emphasis.

CommonMark opens and closes `**` only where the flanking rules allow, so
`**{term}`x`**은` or `**改法：**然后` (punctuation inside the bold, a letter
right outside, as Korean and Chinese write) print their asterisks. Every
prose cell of every edition is parsed as the book parses it (markdown-it),
and no text may keep a `*` (maths aside).
"""

import json
import re

import pytest
from markdown_it import MarkdownIt
from nbtools import ROOT, book_notebooks

PARSER = MarkdownIt("commonmark")


MATHS = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)


def leftover_bold(markdown: str) -> list[str]:
    """The text pieces that still hold a `*` of emphasis after parsing
    (maths, where `*` is a product, left out)."""
    found = []
    for block in PARSER.parse(MATHS.sub("", markdown)):
        for token in block.children or []:
            if token.type == "text" and "*" in token.content:
                found.append(token.content)
    return found


def test_leftover_bold_is_found():
    assert leftover_bold("**{term}`x`**은")
    assert leftover_bold("**改法：**然后")
    assert leftover_bold("状态的*{term}`梯度`*는")
    assert not leftover_bold("the **bold** word, **{term}`x`** here")


PAGES = book_notebooks() + sorted(
    p
    for lang in ("en", "ko", "zh")
    for p in (ROOT / "book" / lang).glob("*.md")
)


def prose(path):
    """(cell index, markdown) of a notebook's prose cells, or (0, the page)."""
    if path.suffix == ".md":
        return [(0, path.read_text(encoding="utf-8"))]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        (k, "".join(c["source"]))
        for k, c in enumerate(cells)
        if c["cell_type"] == "markdown"
    ]


@pytest.mark.parametrize(
    "path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_bold_renders(path):
    bad = [
        (k, piece)
        for k, markdown in prose(path)
        for piece in leftover_bold(markdown)
    ]
    assert not bad, f"{path.relative_to(ROOT)}: asterisks shown as text: {bad}"
