"""`make execute`: re-run the book's notebooks and save them clean.

Run as a script to re-execute notebooks in place with the settings the tests
use (fresh kernel in the notebook's folder, counts 1, 2, 3...) and to save
them clean (only kernelspec/language metadata, only `tags` and a figure's
`mystnb` alt text on cells, no
machine paths in tracebacks):

    python tools/nbtools.py execute book/en/rnn-from-equations.ipynb ...
    python tools/nbtools.py execute            # every notebook in the toc
    python tools/nbtools.py numpy-only         # the chapters that need no framework

tests/test_book.py imports the same helpers (tests/conftest.py puts tools/
on the path), so the tests and the saved notebooks agree on what "clean" is.
"""

from __future__ import annotations

import io
import os
import pathlib
import re
import sys
import tokenize

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
LANGS = ("en", "ko", "zh")
KERNELSPEC = {
    "display_name": "Python 3",
    "language": "python",
    "name": "python3",
}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}
# Cell metadata kept: tags, and myst-nb's `mystnb: {image: {alt: ...}}`, the
# description of the cell's figure (its alt text in the book, per edition).
ALLOWED_CELL_METADATA = {"tags", "mystnb"}


def toc_files() -> list[str]:
    """Every `file:` (and the root) named in _toc.yml, in order, without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return found


def resolve(entry: str) -> pathlib.Path | None:
    """The file on disk for a toc entry (tries .ipynb and .md), or None."""
    for suffix in ("", ".ipynb", ".md"):
        p = ROOT / (entry + suffix)
        if p.is_file():
            return p
    return None


def book_notebooks() -> list[pathlib.Path]:
    """Every notebook under book/, sorted (build folders and checkpoints excluded)."""
    return sorted(
        p
        for p in (ROOT / "book").rglob("*.ipynb")
        if "_build" not in p.parts and ".ipynb_checkpoints" not in p.parts
    )


def strip_comments(source: str) -> str:
    """Code without comments and blank lines, for comparing editions."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        lines = source.splitlines()
        # remove comments right to left so columns stay valid
        for tok in sorted(
            (t for t in tokens if t.type == tokenize.COMMENT),
            key=lambda t: t.start,
            reverse=True,
        ):
            row, col = tok.start
            lines[row - 1] = lines[row - 1][:col]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        lines = [
            re.sub(r"\s+#.*$|^\s*#.*$", "", line)
            for line in source.splitlines()
        ]
    return "\n".join(line.rstrip() for line in lines if line.strip())


def sanitizers() -> list[tuple[re.Pattern, str]]:
    """The (regex, replacement) pairs of tests/sanitize.cfg, as nbval reads them."""
    lines = (ROOT / "tests" / "sanitize.cfg").read_text(encoding="utf-8")
    pairs, regex = [], None
    for line in lines.splitlines():
        if line.startswith("regex: "):
            regex = re.compile(line[len("regex: ") :])
        elif line.startswith("replace: ") and regex is not None:
            pairs.append((regex, line[len("replace: ") :]))
            regex = None
    return pairs


def _text(value, pairs) -> str:
    text = "".join(value) if isinstance(value, list) else str(value)
    for regex, replacement in pairs:
        text = regex.sub(replacement, text)
    return text


def comparable_outputs(cell) -> list:
    """A cell's outputs as nbval compares them, for comparing editions.

    Stream text, an error's name and message, and every MIME type of a
    display or result (text/plain, text/html, text/latex, JSON ...) except
    images, whose bytes depend on the renderer; all sanitised with
    tests/sanitize.cfg, as nbval does.
    """
    pairs = sanitizers()
    result = []
    for out in coalesce_streams([dict(o) for o in cell.get("outputs", [])]):
        kind = out["output_type"]
        if kind == "stream":
            result.append((kind, out["name"], _text(out["text"], pairs)))
        elif kind == "error":
            result.append((kind, out["ename"], _text(out["evalue"], pairs)))
        else:
            data = out.get("data", {})
            result.append(
                (
                    kind,
                    tuple(sorted(data)),
                    tuple(
                        (mime, _text(value, pairs))
                        for mime, value in sorted(data.items())
                        if not mime.startswith("image/")
                    ),
                )
            )
    return result


def coalesce_streams(outputs):
    """Merge consecutive stream outputs of the same name (their split depends on timing)."""
    merged = []
    for out in outputs:
        if (
            out["output_type"] == "stream"
            and merged
            and merged[-1]["output_type"] == "stream"
            and merged[-1]["name"] == out["name"]
        ):
            merged[-1]["text"] = "".join(merged[-1]["text"]) + "".join(
                out["text"]
            )
        else:
            merged.append(out)
    return merged


# Absolute paths a traceback shows, replaced by what a reader on any machine
# recognises: the installed package's place, or the repository-relative file.
_PATHS = [
    (re.compile(r"(?:/[^\s:'\"()\x1b]+)+/site-packages/"), "…/site-packages/"),
    (
        re.compile(r"(?:/[^\s:'\"()\x1b]+)+/lib/python3\.\d+/"),
        "…/lib/python3/",
    ),
    (re.compile(r"/tmp/ipykernel_\d+/\d+\.py"), "<cell>"),
]


def sanitize_paths(text: str) -> str:
    """``text`` without the absolute paths of the machine that ran it."""
    for pattern, replacement in _PATHS:
        text = pattern.sub(replacement, text)
    for root in {str(ROOT) + "/", str(ROOT) + os.sep}:
        text = text.replace(root, "")
    return text


def clean(nb):
    """Drop stray metadata in place: keep kernelspec/language_info and ALLOWED_CELL_METADATA."""
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": dict(LANGUAGE_INFO),
    }
    for cell in nb.cells:
        cell.metadata = {
            k: v
            for k, v in cell.metadata.items()
            if k in ALLOWED_CELL_METADATA
        }
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
            for out in cell.outputs:
                if out["output_type"] == "error":
                    out["traceback"] = [
                        sanitize_paths(line) for line in out["traceback"]
                    ]
                    out["evalue"] = sanitize_paths(out["evalue"])
            for out in cell.get("outputs", []):
                if "metadata" in out and out["output_type"] in (
                    "display_data",
                    "execute_result",
                ):
                    out["metadata"] = {}
    return nb


def execute(path: pathlib.Path, timeout: int = 900):
    """Run a notebook in a fresh kernel, in its own folder, and save it clean."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    clean(nb)
    for k, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream" and out["name"] == "stderr":
                raise SystemExit(
                    f"{path.relative_to(ROOT)} cell {k}: wrote to stderr; keep stderr clean "
                    f"(silence the warning at its source):\n{out['text']}"
                )
    nbformat.validate(nb)
    nbformat.write(nb, path)


# The frameworks a chapter's code uses: named outright, or through the
# companion modules that import one.
_FRAMEWORKS = {
    "tensorflow": re.compile(
        r"\b(tensorflow|keras|tf1_graph|keras_cells|keras_callbacks)\b"
    ),
    "torch": re.compile(r"\b(torch|torch_cells|torch_char_lm|memory_task)\b"),
}


def frameworks(path: pathlib.Path) -> list[str]:
    """The frameworks (of "tensorflow", "torch") a notebook's code uses."""
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = "\n".join(
        strip_comments("".join(c["source"]))
        for c in cells
        if c["cell_type"] == "code"
    )
    return [name for name, rx in _FRAMEWORKS.items() if rx.search(code)]


def main(argv):
    if argv == ["numpy-only"]:
        # the English chapters that need no framework (make wheel-test)
        for p in sorted((ROOT / "book" / "en").glob("*.ipynb")):
            if not frameworks(p):
                print(p.relative_to(ROOT).as_posix())
        return
    if not argv or argv[0] != "execute":
        raise SystemExit(__doc__)
    paths = [pathlib.Path(a).resolve() for a in argv[1:]]
    if not paths:
        paths = [
            p
            for p in (resolve(e) for e in toc_files())
            if p and p.suffix == ".ipynb"
        ]
    for p in paths:
        print(f"executing {p.relative_to(ROOT)}", flush=True)
        execute(p)


if __name__ == "__main__":
    main(sys.argv[1:])
