"""pytest settings and scaffolding shared by the unit tests and nbval's notebook items."""

import os
import pathlib
import sys

# tools/nbtools.py (`make execute`) holds the notebook helpers test_book and
# test_site share with it.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tools"))

import numpy as np
import pytest

# Before any test imports TensorFlow (the notebooks set these themselves).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

# Property-based tests draw the same examples on every run and every machine, so a
# test that passes once passes again (`make test` twice in a row, CI after a session).
try:
    from hypothesis import settings

    settings.register_profile("book", derandomize=True, print_blob=True)
    settings.load_profile("book")
except ImportError:  # pragma: no cover - hypothesis is in requirements.txt
    pass

#: Central differences are exact to about 1e-16 |L| / eps in absolute terms; where a
#: random draw makes a gradient itself tiny, its relative error cannot be small.
GRADCHECK_ATOL = 1e-9
#: float32 against float64, and two float32 implementations of the same equations
TOL_FLOAT32 = 1e-5
#: two float64 implementations of the same equations
TOL_FLOAT64 = 1e-12


@pytest.fixture(scope="session")
def tolerances():
    """The tolerances above, for tests that compare implementations."""
    return {
        "atol_gradcheck": GRADCHECK_ATOL,
        "float32": TOL_FLOAT32,
        "float64": TOL_FLOAT64,
    }


@pytest.fixture
def rng():
    """A fresh, seeded generator for one test."""
    return np.random.default_rng(0)


# `make wheel-test` runs the unit tests in a venv with NumPy and the test tools
# only (COMPANION_NUMPY_ONLY=1). There, a test module that imports a framework
# or matplotlib at its top is skipped, naming what it needs; everywhere else a
# failing import stays an error.
_OPTIONAL = ("torch", "tensorflow", "keras", "matplotlib", "threadpoolctl")


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("COMPANION_NUMPY_ONLY") != "1" or not report.failed:
        return
    if not isinstance(collector, pytest.Module):
        return
    text = str(report.longrepr)
    for name in _OPTIONAL:
        if f"No module named '{name}" in text:
            report.outcome = "skipped"
            report.longrepr = (
                str(collector.path),
                0,
                f"Skipped: needs {name} (NumPy-only run)",
            )
            return
