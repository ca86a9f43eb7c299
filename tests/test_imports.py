"""Which modules may import which framework: one parametrised test for the whole package."""

import subprocess
import sys

import pytest

FRAMEWORKS = ("tensorflow", "keras", "torch", "matplotlib")

#: modules that must import NumPy only (frameworks are imported inside their functions)
NUMPY_ONLY = [
    "companion",
    "companion.char_lm",
    "companion.compare",
    "companion.convert",
    "companion.counting",
    "companion.data",
    "companion.gradcheck",
    "companion.grads",
    "companion.gru",
    "companion.memory_task",
    "companion.notebook",
    "companion.optim",
    "companion.series",
    "companion.stacked",
    "companion.summary",
    "companion.text",
    "companion.tf1_graph",
    "companion.validate",
]


@pytest.mark.parametrize("module", NUMPY_ONLY)
def test_module_imports_no_framework(module):
    code = f"import sys, {module}; print(sorted(m for m in {FRAMEWORKS!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "[]"


def test_collecting_the_tests_imports_no_framework(collection):
    """Every xdist worker imports every test module when it collects; none of
    them imports TensorFlow, Keras or PyTorch (the tests that need one ask for
    it), so a worker that runs no such test never pays for the import."""
    assert collection["modules"], "no test module was collected"
    assert collection["frameworks"] == [], (
        f"imported while collecting {len(collection['modules'])} test"
        f" modules: {collection['frameworks']}"
    )
