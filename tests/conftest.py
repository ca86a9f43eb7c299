"""pytest settings and scaffolding shared by the unit tests and nbval's notebook items."""

import os

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
