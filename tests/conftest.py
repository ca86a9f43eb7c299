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
    from hypothesis import strategies as st

    settings.register_profile("book", derandomize=True, print_blob=True)
    settings.load_profile("book")

    #: (N, T, D, H, seed) of a small seeded problem (the cells' property tests)
    PROBLEM_SIZES = st.tuples(
        st.integers(1, 3),
        st.integers(1, 4),
        st.integers(1, 3),
        st.integers(1, 3),
        st.integers(0, 2**31 - 1),
    )
except ImportError:  # pragma: no cover - hypothesis is in requirements.txt
    pass

#: Central differences are exact to about 1e-16 |L| / eps in absolute terms; where a
#: random draw makes a gradient itself tiny, its relative error cannot be small.
GRADCHECK_ATOL = 1e-9


@pytest.fixture
def rng():
    """A fresh, seeded generator for one test."""
    return np.random.default_rng(0)


# `make wheel-test` runs the unit tests in a venv with NumPy and the test tools
# only (COMPANION_NUMPY_ONLY=1). There, a test module that imports a framework
# or matplotlib at its top, or a test that imports one when it runs, is
# skipped, naming what it needs; everywhere else a failing import stays an
# error.
_OPTIONAL = (
    "torch",
    "tensorflow",
    "keras",
    "matplotlib",
    "threadpoolctl",
    "babel",
)


def _skip_if_optional(report, path, text):
    """In the NumPy-only run, turn a failure to import an optional library
    into a skip that names it."""
    if os.environ.get("COMPANION_NUMPY_ONLY") != "1" or not report.failed:
        return
    for name in _OPTIONAL:
        if f"No module named '{name}" in text:
            report.outcome = "skipped"
            report.longrepr = (str(path), 0, f"Skipped: needs {name}")
            return


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    report = (yield).get_result()
    if isinstance(collector, pytest.Module):
        _skip_if_optional(report, collector.path, str(report.longrepr))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if call.excinfo is not None:
        _skip_if_optional(report, item.path, str(call.excinfo.value))


# ---- helpers shared by several test modules ---------------------------------


@pytest.fixture(scope="session")
def float32_inputs():
    """inputs(N, T, D, seed=0): seeded standard-normal float32 x (N, T, D)."""

    def inputs(N, T, D, seed=0):
        return (
            np.random.default_rng(seed)
            .standard_normal((N, T, D))
            .astype(np.float32)
        )

    return inputs


# The frameworks, for the tests that use them: imported when such a test runs,
# never when a test module is imported (every xdist worker imports every test
# module; only the worker that runs these tests pays for TensorFlow and
# PyTorch). A missing one fails the test, as an import at the top of the
# module did; the NumPy-only run above skips it instead.
@pytest.fixture(scope="session")
def keras():
    """The keras module (with TensorFlow as its backend)."""
    import keras

    return keras


@pytest.fixture(scope="session")
def tf():
    """The tensorflow module."""
    import tensorflow

    return tensorflow


@pytest.fixture(scope="session")
def torch():
    """The torch module."""
    import torch

    return torch


_COLLECTION = {}


def pytest_collection_finish(session):
    """What collecting imported: test_imports checks that it was no
    framework."""
    _COLLECTION["modules"] = sorted(
        {
            item.module.__name__
            for item in session.items
            if hasattr(item, "module")
        }
    )
    _COLLECTION["frameworks"] = sorted(
        name
        for name in ("tensorflow", "keras", "torch")
        if name in sys.modules
    )


@pytest.fixture(scope="session")
def collection():
    """{"modules": the test modules collected, "frameworks": those of
    TensorFlow, Keras and PyTorch imported by the end of the collection}."""
    return _COLLECTION


@pytest.fixture(scope="session")
def nn(torch):
    """torch.nn."""
    return torch.nn


@pytest.fixture(scope="session")
def keras_cells(keras):
    """companion.keras_cells (it imports Keras)."""
    from companion import keras_cells

    return keras_cells


@pytest.fixture(scope="session")
def run_keras_cell(keras):
    """run(cell, x, params=None, **load): a Keras cell's outputs over x
    (N, T, D) inside keras.layers.RNN(return_sequences=True), after
    ``cell.load_params(params, **load)`` when params are given."""

    def run(cell, x, params=None, **load):
        layer = keras.layers.RNN(cell, return_sequences=True)
        layer.build((None,) + x.shape[1:])
        if params is not None:
            cell.load_params(params, **load)
        return np.asarray(layer(x))

    return run


@pytest.fixture(scope="session")
def random_layers():
    """layers(cell, D, H, L, rng, bidirectional=False): seeded parameters of
    an L-layer stack of "rnn" or "lstm" cells; each level a (forward,
    backward) pair when bidirectional (the layers above then read 2H)."""
    from companion import cells

    def layers(cell, D, H, L, rng, bidirectional=False):
        cls = cells.get(cell).params
        if bidirectional:
            return [
                (
                    cls.random(D if k == 0 else 2 * H, H, rng),
                    cls.random(D if k == 0 else 2 * H, H, rng),
                )
                for k in range(L)
            ]
        return [cls.random(D if k == 0 else H, H, rng) for k in range(L)]

    return layers
