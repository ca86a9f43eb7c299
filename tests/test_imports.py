"""Which modules may import which framework: every module of the package,
found by walking it, imports NumPy only, unless it is a framework bridge."""

import json
import os
import pkgutil
import subprocess
import sys

import companion

FRAMEWORKS = ("tensorflow", "keras", "torch", "matplotlib")

#: the bridges, whose import loads a framework: module -> that framework
BRIDGES = {
    "companion.errata": "keras",
    "companion.keras_callbacks": "keras",
    "companion.keras_cells": "keras",
    "companion.torch_cells": "torch",
    "companion.torch_cells.gated": "torch",
    "companion.torch_cells.regressor": "torch",
    "companion.torch_cells.rnn": "torch",
    "companion.torch_char_lm": "torch",
    "companion.torch_mingru": "torch",
    "companion.torch_seq2seq": "torch",
}


def _walk(path, prefix):
    """Every module and subpackage under ``path``, found from its files:
    pkgutil.walk_packages imports each subpackage to look inside it, and
    collecting this file must not import a bridge package's framework."""
    for m in pkgutil.iter_modules(path, prefix):
        yield m.name
        if m.ispkg:
            inner = os.path.join(m.module_finder.path, m.name.rsplit(".")[-1])
            yield from _walk([inner], m.name + ".")


#: every module and subpackage of companion, by walking the package
MODULES = sorted(_walk(companion.__path__, "companion."))

#: imports each module in turn and prints {module: frameworks it loaded}
_PROBE = """
import importlib, json, sys
frameworks, loaded = {frameworks!r}, {{}}
for name in {modules!r}:
    before = {{f for f in frameworks if f in sys.modules}}
    importlib.import_module(name)
    after = {{f for f in frameworks if f in sys.modules}}
    loaded[name] = sorted(after - before)
print(json.dumps(loaded))
"""


def test_every_module_but_the_bridges_imports_no_framework():
    """One process imports them all: a module's own imports are part of
    what all of them import together, so none of them loading a framework
    means no single one does; the probe names the first one that does."""
    numpy_only = ["companion"] + [m for m in MODULES if m not in BRIDGES]
    assert len(numpy_only) > 30, numpy_only  # the walk found the package
    code = _PROBE.format(frameworks=FRAMEWORKS, modules=numpy_only)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loaded = json.loads(out)
    assert list(loaded) == numpy_only
    assert {m: f for m, f in loaded.items() if f} == {}


def test_the_bridges_are_modules_of_the_package():
    assert set(BRIDGES) <= set(MODULES), set(BRIDGES) - set(MODULES)


def test_collecting_the_tests_imports_no_framework(collection):
    """Every xdist worker imports every test module when it collects; none of
    them imports TensorFlow, Keras or PyTorch (the tests that need one ask for
    it), so a worker that runs no such test never pays for the import."""
    assert collection["modules"], "no test module was collected"
    assert collection["frameworks"] == [], (
        f"imported while collecting {len(collection['modules'])} test"
        f" modules: {collection['frameworks']}"
    )
