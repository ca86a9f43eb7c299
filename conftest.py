"""One fresh execution per chapter for `pytest --nbval`, shared by its editions.

book/en/X.ipynb, book/ko/X.ipynb and book/zh/X.ipynb hold the same code (only
comments and prose are translated; tests/test_book.py asserts it) and, so,
the same outputs. Executing all three asks the same question three times.
This plugin lets nbval execute a chapter once and compare *every* edition's
stored outputs, cell by cell, with that fresh run:

* When nbval executes a notebook for real, each cell's fresh outputs (or its
  unexpected error) are recorded, with the cell's key: its code as Python
  tokens without comments or layout, and its nbval options (tags such as
  raises-exception, nbval-ignore-output, nbval-skip).
* A notebook in a sibling folder with the same file name (book/ko/X.ipynb
  for book/en/X.ipynb) whose keys are equal, cell for cell, to a complete run
  (every cell recorded, no timeout) starts no kernel: each of its cells
  compares its own stored outputs with the recorded fresh ones, through
  nbval's own comparison (the same sanitising, the same failure report).
* Anything else executes for real: an edition whose code differs, a run cut
  short (-x, -k, a timeout, a dead kernel), an edition run on its own. The
  sharing never decides a result, it only avoids a second identical run.

Set NBVAL_SHARE_EDITIONS=0 to execute every notebook in its own kernel.

With xdist's `--dist loadgroup` (`make test`), every test module is one group
and every chapter, all editions, is one group, so the editions of a chapter
run one after the other on the same worker, English first.
"""

from __future__ import annotations

import copy
import io
import os
import pathlib
import tokenize

import pytest

try:
    from nbval.plugin import (
        IPyNbCell,
        IPyNbFile,
        NbCellError,
        coalesce_streams,
    )
except ImportError:  # nbval is not installed (e.g. the NumPy-only wheel test)
    IPyNbCell = None

SHARE = os.environ.get("NBVAL_SHARE_EDITIONS", "1") != "0"
_LAYOUT = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
_IGNORED = {tokenize.COMMENT, tokenize.NL}
# path of a notebook executed for real -> {"keys": [...], "cells": {...}}
_RUNS: dict[pathlib.Path, dict] = {}


def code_key(source: str):
    """What a code cell executes: its tokens without comments or layout.

    Two cells with equal keys run the same Python. Source that does not
    tokenize is compared as it stands.
    """
    try:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        return tuple(
            (t.type, "" if t.type in _LAYOUT else t.string)
            for t in tokens
            if t.type not in _IGNORED
        )
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source


def _cell_key(item):
    return (code_key(item.cell.source), tuple(sorted(item.options.items())))


def _items_of(notebook):
    return [i for i in notebook.session.items if i.parent is notebook]


def _shared_run(notebook):
    """A complete fresh run of an edition of `notebook` with the same keys."""
    if not SHARE or getattr(notebook, "_shared", None) is False:
        return None
    if getattr(notebook, "_shared", None) is not None:
        return notebook._shared
    path = pathlib.Path(str(notebook.fspath))
    keys = [_cell_key(i) for i in _items_of(notebook)]
    found = None
    for other, run in _RUNS.items():
        if (
            other.name == path.name
            and other.parent.parent == path.parent.parent
            and run["complete"]
            and run["keys"] == keys
        ):
            found = dict(run, path=other)
            break
    notebook._shared = found if found is not None else False
    return found


if IPyNbCell is not None:
    _setup, _runtest = IPyNbFile.setup, IPyNbCell.runtest

    def _file_setup(self):
        if _shared_run(self) is not None:
            self.setup_sanitize_files()  # what nbval's setup does, no kernel
            return
        _setup(self)
        path = pathlib.Path(str(self.fspath))
        items = _items_of(self)
        _RUNS[path] = {
            "keys": [_cell_key(i) for i in items],
            "cells": {},
            "size": len(items),
            "complete": False,
        }

    def _cell_runtest(self):
        run = _shared_run(self.parent)
        if run is not None:
            return _replay(self, run)
        path = pathlib.Path(str(self.parent.fspath))
        record = _RUNS.get(path)
        try:
            _runtest(self)
        except NbCellError as error:
            if record is not None and str(error) == "Cell outputs differ":
                _record(self, record, None)
            elif record is not None:
                _record(self, record, error)
            raise
        except pytest.skip.Exception:
            if record is not None:
                _record(self, record, None, skipped=True)
            raise
        else:
            if record is not None:
                _record(self, record, None)

    def _record(self, record, error, skipped=False):
        outputs = getattr(self, "test_outputs", None)
        record["cells"][self.cell_num] = {
            "outputs": None if skipped else copy.deepcopy(outputs),
            "error": error,
            "skipped": skipped,
        }
        record["complete"] = (
            len(record["cells"]) == record["size"]
            and not self.parent.timed_out
        )

    def _replay(self, run):
        """nbval's checks of one cell, against the recorded fresh outputs."""
        cell = run["cells"][self.cell_num]
        if self.options["skip"] or cell["skipped"]:
            pytest.skip()
        error = cell["error"]
        if error is not None:
            raise NbCellError(
                self.cell_num,
                f"{error} (in the execution shared with {run['path'].name}"
                f" of {run['path'].parent.name})",
                self.cell.source,
                error.inner_traceback,
            )
        outs = copy.deepcopy(cell["outputs"])
        self.test_outputs = outs
        unrun = self.cell.execution_count is None
        if unrun and self.cell.outputs:
            self.raise_cell_error("Unrun reference cell has outputs")
        expected = coalesce_streams(self.cell.outputs)
        check = self.options["check"] and not unrun
        if check and not self.compare_outputs(outs, expected):
            self.raise_cell_error(
                "Cell outputs differ", "\n".join(self.comparison_traceback)
            )

    IPyNbFile.setup = _file_setup
    IPyNbCell.runtest = _cell_runtest


def chapter_scope(nodeid: str) -> str:
    """xdist scope of a test: its chapter for a notebook cell, its module or
    class otherwise (as `--dist loadscope` does)."""
    path = nodeid.split("::", 1)[0]
    if path.startswith("book/") and path.endswith(".ipynb"):
        return "chapter:" + pathlib.PurePosixPath(path).stem
    return nodeid.rsplit("::", 1)[0]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadscope` with a chapter's editions in one scope."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ChapterScopeScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return chapter_scope(nodeid)

    return ChapterScopeScheduling(config, log)
