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

With xdist's `--dist loadscope` (`make test`), a chapter's editions are one
scope, so they run one after the other on the same worker, English first;
the unit tests that use TensorFlow, Keras or PyTorch are one scope too.
(xdist's `--dist loadgroup` cannot group them under pytest 9: it renames the
items through an attribute pytest no longer reads.)

Kernels start by forking a process that has already imported the chapter's
libraries (tools/forkkernel.py): TensorFlow and PyTorch are imported once
per test session instead of once per notebook. Nothing else is shared: each
notebook still gets a new process whose first cell seeds and sets up
everything. NBVAL_FORK_KERNELS=0 starts every kernel as a fresh process.
"""

from __future__ import annotations

import atexit
import copy
import functools
import io
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize

import pytest

try:
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME as CURRENT_ENV
    from nbval.kernel import NbvalKernelspecManager
    from nbval.plugin import (
        IPyNbCell,
        IPyNbFile,
        NbCellError,
        coalesce_streams,
    )
except ImportError:  # nbval is not installed (e.g. the NumPy-only wheel test)
    IPyNbCell = None

SHARE = os.environ.get("NBVAL_SHARE_EDITIONS", "1") != "0"
FORK = os.environ.get("NBVAL_FORK_KERNELS", "1") != "0"
FORKKERNEL = (
    pathlib.Path(__file__).resolve().parent / "tools" / "forkkernel.py"
)
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


# --- kernels forked from a process that has imported the libraries --------
# (tools/forkkernel.py). One zygote per set of libraries the chapters use,
# all started by one process (those with more libraries are forks of those
# with fewer), once per test session by the main process (xdist's
# controller), while the workers collect and run the unit tests; every worker
# forks its kernels from them. The kernelspec nbval uses launches through
# them.
_ZYGOTES: list = []  # the zygote processes this process started
_ZYGOTE_SOCKET = None  # the socket of the notebook being set up
_BASE_MODULES = ("numpy", "companion", "matplotlib.pyplot")
_DIR_ENV = "FORKKERNEL_DIR"
_DIRECTORY = []  # the socket folder, in the process that made it


def preload_modules(code: str) -> str:
    """The libraries a notebook's code imports, in setup_notebook's order."""
    modules = list(_BASE_MODULES)
    if re.search(r"\b(tensorflow|keras)\b", code):
        modules += ["keras", "tensorflow"]
    if re.search(r"\btorch\b", code):
        # torch._inductor: what the first use_deterministic_algorithms()
        # (in setup_notebook) imports, 1-2 s
        modules += ["torch", "torch._inductor"]
    return ",".join(modules)


def _code(cells):
    """A notebook's code cells as one text (cells as JSON or nbformat)."""
    return "\n".join(
        "".join(c["source"]) for c in cells if c["cell_type"] == "code"
    )


def _notebook_code(path):
    import json

    return _code(json.loads(pathlib.Path(path).read_text("utf-8"))["cells"])


def _start_zygotes(config):
    """Start a zygote for each set of libraries the session's notebooks use."""
    os.environ.pop(_DIR_ENV, None)  # not an outer session's (a test's pytest)
    notebooks = set()
    for arg in config.args or [str(config.rootpath)]:
        path = pathlib.Path(config.invocation_params.dir, arg.split("::")[0])
        if path.suffix == ".ipynb":
            notebooks.add(path)
        elif path.is_dir():
            notebooks.update(
                p
                for p in path.rglob("*.ipynb")
                if not {"_build", ".ipynb_checkpoints", ".venv"} & set(p.parts)
            )
    sets = {
        preload_modules(_notebook_code(p)) for p in notebooks if p.exists()
    }
    if not sets:
        return
    directory = tempfile.mkdtemp(prefix="forkkernel-")
    _DIRECTORY.append(directory)
    os.environ[_DIR_ENV] = directory  # inherited by xdist's workers
    # one process: the zygotes with more libraries are forks of those with
    # fewer (tensorflow and torch are each imported once, not per set)
    from tools import forkkernel

    targets = forkkernel.plan(directory, sets)
    process = subprocess.Popen(
        [sys.executable, str(FORKKERNEL), "serve", *sum(targets, ())],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _ZYGOTES.append(process)


def _zygote(modules):
    """The socket of the zygote for `modules` (None: start a fresh kernel)."""
    directory = os.environ.get(_DIR_ENV)
    if not directory:
        return None
    from tools import forkkernel

    return forkkernel.zygote_with(directory, modules.split(","))


def pytest_configure(config):
    if (
        FORK
        and IPyNbCell is not None
        and config.getoption("nbval", False)
        and getattr(config, "workerinput", None) is None
        and hasattr(os, "pidfd_open")
        and FORKKERNEL.exists()
    ):
        _start_zygotes(config)


def pytest_unconfigure(config):
    _stop_zygotes()


@atexit.register
def _stop_zygotes():
    for process in _ZYGOTES:
        process.stdin.close()  # the zygote ends its kernels and itself
        process.wait(timeout=30)
    _ZYGOTES.clear()
    for directory in _DIRECTORY:
        os.environ.pop(_DIR_ENV, None)
        shutil.rmtree(directory, ignore_errors=True)
    _DIRECTORY.clear()


def _fork_kernelspec(get_kernel_spec):
    def get(self, kernel_name):
        spec = get_kernel_spec(self, kernel_name)
        if _ZYGOTE_SOCKET is not None and kernel_name == CURRENT_ENV:
            spec.argv = [sys.executable, str(FORKKERNEL), "launch"]
            spec.argv += ["-f", "{connection_file}"]
            spec.env = dict(spec.env or {}, FORKKERNEL_SOCKET=_ZYGOTE_SOCKET)
        return spec

    return get


if IPyNbCell is not None:
    _setup, _runtest = IPyNbFile.setup, IPyNbCell.runtest

    def _file_setup(self):
        if _shared_run(self) is not None:
            self.setup_sanitize_files()  # what nbval's setup does, no kernel
            return
        global _ZYGOTE_SOCKET
        if FORK:
            _ZYGOTE_SOCKET = _zygote(preload_modules(_code(self.nb.cells)))
        try:
            _setup(self)
        finally:
            _ZYGOTE_SOCKET = None
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

    NbvalKernelspecManager.get_kernel_spec = _fork_kernelspec(
        NbvalKernelspecManager.get_kernel_spec
    )
    IPyNbFile.setup = _file_setup
    IPyNbCell.runtest = _cell_runtest


# A test module that imports TensorFlow, Keras or PyTorch (the test modules
# import them lazily, in fixtures and tests): all such modules are one scope,
# so only one worker pays for the imports (about 7 s of CPU).
_FRAMEWORK_USE = re.compile(
    r"""importorskip\(\s*["'](?:tensorflow|keras|torch)["']"""
    r"""|^\s*(?:import|from)\s+(?:tensorflow|keras|torch)\b"""
    r"""|\bdef\s+\w+\([^)]*\b(?:keras|tf|torch)\b"""
    r"""|\bneeds\([^)]*["'](?:tensorflow|keras|torch)["']""",
    re.MULTILINE,
)
FRAMEWORK_SCOPE = "tests: TensorFlow, Keras, PyTorch"


@functools.cache
def _uses_frameworks(path: str) -> bool:
    try:
        text = (pathlib.Path(__file__).parent / path).read_text("utf-8")
    except OSError:
        return False
    return bool(_FRAMEWORK_USE.search(text))


def chapter_scope(nodeid: str) -> str:
    """xdist scope of a test: its chapter for a notebook cell, one scope for
    the test modules that use a framework, its module or class otherwise
    (as `--dist loadscope` does)."""
    path = nodeid.split("::", 1)[0]
    if path.startswith("book/") and path.endswith(".ipynb"):
        return "chapter:" + pathlib.PurePosixPath(path).stem
    if path.endswith(".py") and _uses_frameworks(path):
        return FRAMEWORK_SCOPE
    return nodeid.rsplit("::", 1)[0]


# Long scopes first, so that the run ends with short unit tests on both
# workers rather than one worker finishing a long test alone: the browser
# checks, the framework tests, the tests that run Jupyter or pytest in
# subprocesses, then the chapters, then the rest (xdist's own order, most
# items first, puts a long module of one or two tests last).
_FIRST = (
    "tests/test_site.py",
    FRAMEWORK_SCOPE,
    "tests/test_shared_execution.py",
    "tests/test_lab.py",
)


def _rank(nodeid):
    scope = chapter_scope(nodeid)
    if scope in _FIRST:
        return _FIRST.index(scope)
    return len(_FIRST) + (0 if scope.startswith("chapter:") else 1)


def pytest_collection_modifyitems(config, items):
    if getattr(config, "workerinput", None) is not None:  # an xdist worker
        items.sort(key=lambda item: _rank(item.nodeid))  # stable


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadscope` with a chapter's editions in one scope, the scopes
    in the order of pytest_collection_modifyitems. Also for xdist's default
    `--dist load`, which would deal a notebook's cells to different kernels."""
    if config.getvalue("dist") not in ("load", "loadscope"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False

    class ChapterScopeScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return chapter_scope(nodeid)

    return ChapterScopeScheduling(config, log)


# --- how long each notebook took (setup, cells and teardown together) -----
_NOTEBOOK_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _NOTEBOOK_SECONDS[path] = (
            _NOTEBOOK_SECONDS.get(path, 0.0) + report.duration
        )


def pytest_terminal_summary(terminalreporter):
    if getattr(terminalreporter.config, "workerinput", None) is not None:
        return
    slowest = sorted(_NOTEBOOK_SECONDS.items(), key=lambda kv: -kv[1])[:8]
    if slowest:
        terminalreporter.write_sep("=", "slowest notebooks (all their cells)")
        for path, seconds in slowest:
            terminalreporter.write_line(f"{seconds:6.1f} s  {path}")
