"""pytest settings for the notebooks (`pytest --nbval`).

nbval executes every chapter of book/en in a fresh kernel, started the way
nbval starts kernels, and compares each cell's outputs with the stored ones.

The Korean and Chinese editions hold the same code as English (only prose
and comments are translated) and the same outputs: tests/test_book.py
asserts both, cell by cell, for every output. So when book/en/X.ipynb is part
of the run, nbval does not execute book/ko/X.ipynb or book/zh/X.ipynb again:
the two checks together give the same guarantee as three executions. An
edition whose code differs from English's, or one named on its own
(`pytest --nbval book/ko`), is executed as usual.
"""

from __future__ import annotations

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tools"))

from nbtools import LANGS, strip_comments  # noqa: E402


def _code(path: pathlib.Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        strip_comments("".join(c["source"]))
        for c in cells
        if c["cell_type"] == "code"
    ]


def _collected(path: pathlib.Path, config) -> bool:
    """Whether `path` lies under one of the paths this run collects."""
    for arg in config.args or [str(ROOT)]:
        base = pathlib.Path(arg.split("::")[0])
        base = (
            base if base.is_absolute() else config.invocation_params.dir / base
        )
        if path == base.resolve() or base.resolve() in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path, config):
    """Skip a ko/zh notebook whose code equals English's when English runs."""
    path = pathlib.Path(collection_path).resolve()
    if path.suffix != ".ipynb" or path.parent.name not in LANGS[1:]:
        return None
    english = path.parent.parent / "en" / path.name
    if not (english.is_file() and _collected(english, config)):
        return None
    return True if _code(path) == _code(english) else None


# --- how long each notebook took (all its cells), printed at the end --------
_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _SECONDS[path] = _SECONDS.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    slowest = sorted(_SECONDS.items(), key=lambda kv: -kv[1])[:8]
    if slowest:
        terminalreporter.write_sep("=", "slowest notebooks (all their cells)")
        for path, seconds in slowest:
            terminalreporter.write_line(f"{seconds:6.1f} s  {path}")


def pytest_collection_modifyitems(items):
    """The browser checks first: the longest test file starts at once on a
    worker of its own (xdist's --dist loadfile) instead of last."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/test_site"))
