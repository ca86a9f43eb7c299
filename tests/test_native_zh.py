"""The Chinese edition reads as if written in Chinese: glossary terms, one line per
paragraph, Chinese typography, translated code comments.

Every check walks all of book/zh, so a chapter added later is checked too.
"""

from __future__ import annotations

import io
import json
import re
import tokenize

import pytest
from nbtools import ROOT

ZH = ROOT / "book" / "zh"
EN = ROOT / "book" / "en"
PAGES = sorted(p for p in ZH.iterdir() if p.suffix in (".ipynb", ".md"))
NOTEBOOKS = [p for p in PAGES if p.suffix == ".ipynb"]

#: rejected variant (a regex) -> the glossary's term.  The glossary itself names some
#: variants on purpose, in quotes (“隐状态”); everywhere else they are wrong.
REJECTED = {
    r"隐状态": "隐藏状态",
    r"隐含状态": "隐藏状态",
    r"单元状态": "细胞状态",
    r"记忆元(?!素)": "细胞状态",
    r"忘记门": "遗忘门",
    r"时间步长": "时间步",
    r"梯度弥散": "梯度消失",
    r"偏置项": "偏置",
    r"通过时间反向传播": "随时间反向传播",
    r"沿时间反向传播": "随时间反向传播",
    r"程序包": "配套包",
    r"软件包": "配套包",
    r"companion 包": "配套包",
    r"普通的? ?RNN": "基本 RNN",
    r"朴素 ?RNN": "基本 RNN",
    r"隐藏(层)?大小": "隐藏维度",
    r"代码单元(?!格)": "代码单元格",
    r"笔记本": "notebook",
    r"激活前的?值": "预激活值",
    r"小批次": "小批量",
    r"词汇表": "词表",
    r"迭代周期": "轮",
    r"暂退法": "dropout",
    r"强制教学": "教师强制",
    r"n ?元语法": "n 元模型",
    # a count of units is a count of hidden units (单元 alone is the cell)
    r"[\d\ue000] ?个单元": "个隐藏单元",
}

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_OR_PUNCT = re.compile(
    r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e“”‘’…—]"
)
FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(.*)$")
CODE_DIRECTIVES = ("code", "code-cell", "code-block", "math", "glossary")
#: a line that starts a block of its own (never the continuation of a paragraph)
BLOCK = re.compile(
    r"^\s*(#|>|\||<|\$\$|[*+-]\s|\d+[.)]\s|:[\w-]+:|\(.*\)=\s*$|(-{3,}|\*{3,})\s*$)"
)
NOT_A_PARAGRAPH_LINE = re.compile(r"^\s*(#|\||<|:[\w-]+:|\(.*\)=\s*$)")
#: code, maths, roles, links and HTML inside a line: not prose
PROTECTED = re.compile(
    r"\{[\w:-]+\}`[^`]*`|(`+)[^`]*?\1|\$\$.*?\$\$|(?<!\\)\$[^$\n]+?(?<!\\)\$"
    r"|\]\([^)]*\)|<[^>\n]+>|https?://\S+"
)


def rel(path):
    return path.relative_to(ROOT).as_posix()


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def markdown_texts(path):
    """(where, text) of each markdown cell of a notebook, or of a .md page."""
    if path.suffix == ".md":
        return [(rel(path), path.read_text(encoding="utf-8"))]
    return [
        (f"{rel(path)} cell {i}", "".join(c["source"]))
        for i, c in enumerate(cells(path))
        if c["cell_type"] == "markdown"
    ]


def prose_lines(text):
    """(line number, line, prose-or-not) over a markdown text, fences and maths known."""
    stack, in_math = [], False
    for n, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if m:
            ch, info = m.group(1), m.group(2).strip()
            if (
                stack
                and stack[-1][0][0] == ch[0]
                and len(ch) >= len(stack[-1][0])
                and not info
            ):
                stack.pop()
            else:
                d = re.match(r"\{([\w:-]+)\}", info)
                stack.append(
                    (
                        ch,
                        bool(d) and d.group(1) not in CODE_DIRECTIVES,
                        d and d.group(1),
                    )
                )
            yield n, line, False
            continue
        if stack and not stack[-1][1]:
            # a glossary's definitions are prose too, but their lines are structure
            yield n, line, stack[-1][2] == "glossary" and "glossary"
            continue
        s = line.strip()
        if in_math or s.startswith("$$"):
            if s.startswith("$$"):
                in_math = (not in_math) and s.count("$$") == 1
            yield n, line, False
            continue
        yield n, line, True


def prose_only(line):
    """The line with code, maths and roles replaced by a mark that is neither prose nor space."""
    return PROTECTED.sub("\ue000", line)


def comments(source):
    try:
        return [
            t.string
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.findall(r"#.*$", source, re.MULTILINE)


# ------------------------------------------------------------------ terms
def test_the_glossary_names_the_d2l_zh_variants():
    glossary = (ZH / "glossary.md").read_text(encoding="utf-8")
    for variant in ("通过时间反向传播", "隐状态", "记忆元"):
        assert f"“{variant}”" in glossary, (
            f"book/zh/glossary.md: add d2l-zh's “{variant}”"
        )


@pytest.mark.parametrize("path", PAGES, ids=rel)
def test_zh_uses_the_glossary_terms(path):
    """Prose and code comments use the glossary's word, not a variant of it."""
    texts = [
        (
            where,
            "\n".join(
                prose_only(line)
                for _, line, prose in prose_lines(text)
                if prose
            ),
        )
        for where, text in markdown_texts(path)
    ]
    if path.suffix == ".ipynb":
        texts += [
            (
                f"{rel(path)} cell {i}",
                "\n".join(comments("".join(c["source"]))),
            )
            for i, c in enumerate(cells(path))
            if c["cell_type"] == "code"
        ]
    problems = []
    for where, text in texts:
        if path.name == "glossary.md":
            # the variants it names on purpose, in quotes
            text = re.sub(r"“[^”]*”", "", text)
        for wrong, right in REJECTED.items():
            for m in re.finditer(wrong, text):
                problems.append(
                    f"{where}: '{m.group(0)}' (the glossary says '{right}')"
                )
    assert not problems, "terms that differ from the glossary:\n" + "\n".join(
        problems
    )


def test_the_glossary_names_the_d2l_zh_variants_of_seq2seq_terms():
    glossary = (ZH / "glossary.md").read_text(encoding="utf-8")
    for variant in ("强制教学", "n 元语法"):
        assert f"“{variant}”" in glossary, (
            f"book/zh/glossary.md: add d2l-zh's “{variant}”"
        )


# ------------------------------------------------------------------ the opening boxes
def admonitions(path):
    """How many admonitions the first cell of a notebook opens."""
    return len(
        re.findall(r"\{admonition\}", "".join(cells(path)[0]["source"]))
    )


@pytest.mark.parametrize(
    "path", sorted(EN.glob("*.ipynb")), ids=lambda p: p.name
)
def test_the_first_cell_has_the_same_boxes_in_every_edition(path):
    """The "this chapter assumes" and "what you will see" boxes are in every edition."""
    want = admonitions(path)
    for edition in ("ko", "zh"):
        other = ROOT / "book" / edition / path.name
        assert admonitions(other) == want, (
            f"{rel(other)} cell 0 has {admonitions(other)} admonitions, "
            f"book/en/{path.name} has {want} (a box was lost)"
        )


# ------------------------------------------------------------------ one line per paragraph
@pytest.mark.parametrize("path", PAGES, ids=rel)
def test_zh_paragraphs_are_one_line(path):
    """A line break inside a Chinese paragraph renders as a space: write one line each."""
    problems = []
    for where, text in markdown_texts(path):
        previous = None
        for n, line, prose in prose_lines(text):
            if (
                prose is True
                and previous
                and line.strip()
                and not BLOCK.match(line)
                and not NOT_A_PARAGRAPH_LINE.match(previous)
                and not previous.endswith(("  ", "\\"))
            ):
                problems.append(
                    f"{where} line {n}: {previous[-12:]!r} ⏎ {line.strip()[:12]!r}"
                )
            previous = line if prose is True and line.strip() else None
    assert not problems, (
        "join these lines (one line per paragraph):\n" + "\n".join(problems)
    )


# ------------------------------------------------------------------ typography
TYPOGRAPHY = {
    r"[\u4e00-\u9fff][,;:?!](?=\s|$)": "half-width punctuation after Chinese text",
    r"\([★☆]+\)": "half-width brackets around the exercise stars: （★☆☆）",
    r"\.\.\.": "ASCII ellipsis in Chinese prose: ……",
    r"(?<![\w$])[a-z](?:, [a-z]){2,}(?![\w$(])": "a gate order written with commas: i、f、g、o",
    r"[\u4e00-\u9fff] +[\u4e00-\u9fff]": "a space between two Chinese characters",
    r"[\u4e00-\u9fff] [，。、；：？！（）“”]|[，。、；：？！（）“”] [\u4e00-\u9fff]": "a space next to full-width punctuation",
}


@pytest.mark.parametrize("path", PAGES, ids=rel)
def test_zh_typography(path):
    problems = []
    for where, text in markdown_texts(path):
        for m in re.finditer(r"等人\s*\{cite:p\}", text):
            problems.append(
                f"{where}: authors named twice ('等人' + {{cite:p}}): use {{cite:t}}"
            )
        for n, line, prose in prose_lines(text):
            if not prose:
                continue
            plain = prose_only(line)
            for pattern, what in TYPOGRAPHY.items():
                for m in re.finditer(pattern, plain):
                    problems.append(
                        f"{where} line {n}: {what}: {plain[max(0, m.start() - 8) : m.end() + 8]!r}"
                    )
            # ASCII double quotes around Chinese words
            for inner in re.findall(r'"([^"]*)"', plain):
                if CJK.search(inner):
                    problems.append(
                        f"{where} line {n}: ASCII quotes around Chinese: “{inner}”"
                    )
    assert not problems, "Chinese typography:\n" + "\n".join(problems)


# ------------------------------------------------------------------ code comments
#: words that are identifiers or maths in a comment, not English prose
CODE_WORDS = re.compile(
    r"in|out|sqrt|exp|log|tanh|relu|sigmoid|sum|max|min|mean|units"
)
PRAGMA = re.compile(r"#\s*(noqa|type:|fmt:|pragma|pylint)")


def is_prose(comment):
    """A comment with an English word in it (not only shapes, names, numbers, formulas)."""
    if PRAGMA.match(comment):
        return False
    text = re.sub(r"`[^`]*`", " ", comment.lstrip("#"))
    for m in re.finditer(r"(?<![\w.])[A-Za-z][A-Za-z0-9_.']*", text):
        word, after = m.group(0), text[m.end() :]
        code_like = (
            len(word) == 1
            or re.search(r"[0-9_.A-Z]", word)
            or CODE_WORDS.fullmatch(word)
            or re.match(r"\s*(=|\(|\[|<|>)", after)
        )
        if not code_like:
            return True
    return False


def test_the_comment_rule_knows_prose_from_code():
    assert is_prose("# no detach")
    assert is_prose("# (N, T, H) each")
    assert is_prose("# (batch, time, features)")
    assert not is_prose("# (N, T, H)")
    assert not is_prose("# (N, H)(H, D) -> (N, D)")
    assert not is_prose("# D = 3, units = 4")
    assert not is_prose("# L = sum(dh_r * relu(a_t))")
    assert not is_prose("# float32")
    assert not is_prose("# (H, in) -> (in, H)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_zh_code_comments_are_translated(path):
    """Comments are prose: a zh comment with English words in it is an English comment."""
    english = cells(EN / path.name) if (EN / path.name).exists() else []
    problems = []
    for i, cell in enumerate(cells(path)):
        if cell["cell_type"] != "code":
            continue
        en = set()
        if i < len(english) and english[i]["cell_type"] == "code":
            en = set(comments("".join(english[i]["source"])))
        for c in comments("".join(cell["source"])):
            if is_prose(c) and not CJK_OR_PUNCT.search(c):
                same = " (the English one)" if c in en else ""
                problems.append(f"{rel(path)} cell {i}: {c}{same}")
    assert not problems, "untranslated code comments:\n" + "\n".join(problems)
