"""The Korean edition reads as if written in Korean: glossary terms, typography, code comments.

Every check runs on every page of book/ko, so chapters added later are held to it too.
The rejected term variants live in tests/native_ko_terms.json (rejected -> the glossary's
word); the glossary's "다른 이름:" lines list those variants on purpose and are exempt.
"""

from __future__ import annotations

import io
import json
import re
import tokenize

import pytest
from nbtools import ROOT

KO = ROOT / "book" / "ko"
EN = ROOT / "book" / "en"
PAGES = sorted(p for p in KO.glob("*") if p.suffix in (".md", ".ipynb"))
CHAPTERS = sorted(p for p in PAGES if p.suffix == ".ipynb")
TERMS = json.loads(
    (ROOT / "tests" / "native_ko_terms.json").read_text("utf-8")
)["rejected"]

VARIANT_LINE = re.compile(r"^\s*다른 이름\s*:")
# not prose: fenced code (a MyST directive's fence holds prose and stays), math, inline code
FENCE = re.compile(
    r"^(```+|~~~+)(?!\s*\{)[^\n]*\n.*?^\1[ \t]*$", re.MULTILINE | re.DOTALL
)
INLINE = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$|`[^`\n]*`", re.DOTALL)
HANGUL = "[\uac00-\ud7a3]"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def prose_blocks(path):
    """(where, prose) for each markdown cell or page, code and math blanked out."""
    if path.suffix == ".md":
        blocks = [("page", path.read_text(encoding="utf-8"))]
    else:
        blocks = [
            (f"cell {k}", "".join(c["source"]))
            for k, c in enumerate(load(path)["cells"])
            if c["cell_type"] == "markdown"
        ]
    out = []
    for where, text in blocks:
        text = "\n".join(
            "" if VARIANT_LINE.match(line) else line
            for line in text.split("\n")
        )
        text = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
        # a glossary link is prose: keep its text, drop its target
        text = re.sub(r"\{term\}`([^`<]*?)\s*(?:<[^`]*>)?`", r"\1", text)
        # a math span keeps a placeholder so that "$k = 20$ 스텝" is still seen
        text = INLINE.sub(lambda m: "$" if m.group(0)[0] == "$" else "`", text)
        out.append((where, text))
    return out


def term_regex(term):
    return re.compile(r"\s+".join(re.escape(w) for w in term.split()))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_ko_prose_uses_the_glossary_terms(path):
    found = [
        f"{where}: '{m.group(0)}' (the glossary says '{right}')"
        for where, text in prose_blocks(path)
        for wrong, right in TERMS.items()
        for m in term_regex(wrong).finditer(text)
    ]
    assert not found, (
        f"book/ko/{path.name}: rejected term variants:\n" + "\n".join(found)
    )


def test_the_glossary_names_the_variants_it_rejects():
    """The usual words of other Korean textbooks are listed once, as '다른 이름', in the glossary."""
    text = (KO / "glossary.md").read_text(encoding="utf-8")
    listed = " ".join(
        line for line in text.splitlines() if VARIANT_LINE.match(line)
    )
    for usual in (
        "기울기",
        "매개변수",
        "에폭",
        "시간에 따른 역전파",
        "바이어스",
    ):
        assert usual in listed, f"the glossary does not name '{usual}'"
    for wrong, right in TERMS.items():
        if wrong in listed:
            assert right in text, (
                f"'{wrong}' is listed but '{right}' is no glossary word"
            )


TYPOGRAPHY = [
    (
        re.compile("[「」『』]"),
        'corner brackets: Korean prose quotes with "…"',
    ),
    (
        re.compile(
            f"(?<={HANGUL})[，。：；！？]|[（）](?={HANGUL})|(?<={HANGUL})[（）]"
        ),
        "full-width punctuation: Korean uses the half-width marks",
    ),
    (
        re.compile(r"(?:\d|\$)\s+(?:스텝|에포크)"),
        "a number and its unit are written together (20스텝, 100에포크)",
    ),
    (re.compile(r"\d %"), "no space before %"),
    (
        re.compile(
            f"(?<={HANGUL}|[`$)]);[ \\t]*\\n(?=[ \\t]*(?:[*-] |\\n|```|:::|$))"
        ),
        "a Korean list item ends without ';'",
    ),
    (
        re.compile(f"{HANGUL}\\.\\.\\.(?!\\.)"),
        "an ellipsis is … (or written out), not ...",
    ),
]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_ko_typography(path):
    found = []
    for where, text in prose_blocks(path):
        lines = [
            line for line in text.split("\n") if "中文" not in line
        ]  # the glossary quotes the Chinese words
        text = "\n".join(lines)
        for regex, why in TYPOGRAPHY:
            found += [
                f"{where}: {why}: ...{text[max(0, m.start() - 15) : m.end() + 5]!r}"
                for m in regex.finditer(text)
            ]
    assert not found, f"book/ko/{path.name}:\n" + "\n".join(found)


# --- a particle after a number agrees with how the number is read ---

# does the reading end in a consonant (3 삼, 6 육, 10 십, 100 백) and is it ㄹ (1 일, 7 칠, 8 팔)?
DIGIT_BATCHIM = dict(zip("0123456789", [1, 1, 0, 1, 0, 0, 1, 1, 1, 0]))
PARTICLE_PAIRS = {"을": "를", "은": "는", "과": "와", "이": "가"}
NUMBER_PARTICLE = re.compile(
    r"(?<![\w.^_{$])(\d+(?:\.\d+)?)(을|를|은|는|과|와|이|가|으로|로)(?=[\s.,)])"
)


def particle_for(number: str, particle: str) -> str:
    """The particle the Korean reading of number takes: 3은, 2는, 10으로, 1로, 0.5를."""
    digits = (
        number.split(".")[1] if "." in number else number.lstrip("0") or "0"
    )
    trailing_zeros = len(digits) - len(digits.rstrip("0"))
    if "." not in number and digits != "0" and trailing_zeros:
        batchim, rieul = True, False  # 십, 백, 천, 만
    else:
        batchim, rieul = bool(DIGIT_BATCHIM[digits[-1]]), digits[-1] in "178"
    if particle in ("으로", "로"):
        return "로" if (not batchim or rieul) else "으로"
    for consonant, vowel in PARTICLE_PAIRS.items():
        if particle in (consonant, vowel):
            return consonant if batchim else vowel
    return particle


def test_particle_rule_can_fail():
    assert [
        particle_for(n, p) for n, p in [("3", "는"), ("2", "은"), ("10", "로")]
    ] == [
        "은",
        "는",
        "으로",
    ]
    assert (
        particle_for("1", "으로") == "로" and particle_for("0.5", "을") == "를"
    )


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_ko_particles_after_numbers(path):
    found = [
        f"{where}: {m.group(0)!r} should be {m.group(1) + particle_for(*m.groups())!r}"
        for where, text in prose_blocks(path)
        for m in NUMBER_PARTICLE.finditer(text)
        if particle_for(*m.groups()) != m.group(2)
    ]
    assert not found, f"book/ko/{path.name}:\n" + "\n".join(found)


# --- code comments are prose too ---

# an English word in a comment is fine when it is code: a name the cell uses, or these
CODE_WORDS = {
    "sqrt",
    "exp",
    "log",
    "tanh",
    "relu",
    "sum",
    "softmax",
    "sigmoid",
}
CODE_WORDS |= {"units", "dw"}  # Keras' argument `units = 4`; d(2w)/dw


def _tokens(source):
    try:
        return list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None


def comments(source):
    tokens = _tokens(source)
    if tokens is None:
        return re.findall(r"#.*$", source, re.MULTILINE)
    return [t.string for t in tokens if t.type == tokenize.COMMENT]


def names(source):
    tokens = _tokens(source)
    if tokens is None:
        return set(re.findall(r"[A-Za-z_]\w*", source))
    return {t.string for t in tokens if t.type == tokenize.NAME}


def english_words(comment, code_names):
    """Lower-case English words of a comment that are not names from the code."""
    words = re.findall(r"(?<![\w.])[a-z]{2,}(?![\w(])", comment.lstrip("#"))
    return [w for w in words if w not in code_names and w not in CODE_WORDS]


def code_cells(path):
    return [c for c in load(path)["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_ko_code_comments_are_translated(path):
    """A ko comment is not the en comment of the same cell, unless it holds no English words
    (a shape, a formula, identifiers); and no ko comment is English prose."""
    en_cells = code_cells(EN / path.name) if (EN / path.name).exists() else []
    found = []
    for k, cell in enumerate(code_cells(path), start=1):
        source = "".join(cell["source"])
        en_comments = (
            set(comments("".join(en_cells[k - 1]["source"])))
            if k <= len(en_cells)
            else set()
        )
        code_names = names(source)
        for comment in comments(source):
            words = english_words(comment, code_names)
            if not words or re.search(HANGUL, comment):
                continue
            why = "the en comment" if comment in en_comments else "English"
            found.append(f"code cell {k}: {why}, untranslated: {comment}")
    assert not found, f"book/ko/{path.name}:\n" + "\n".join(found)


def test_the_comment_check_can_fail():
    src = "x = y + 1  # the state is carried\nz = x  # (N, T, H)\nw = f(x)  # f(x)\n"
    flagged = [c for c in comments(src) if english_words(c, names(src))]
    assert flagged == ["# the state is carried"]
    assert not english_words("# (N, T, H) 각각", names(src))
    assert english_words("# (N, T, H) each", names(src)) == ["each"]
