import os
import random
import subprocess
import sys

import numpy as np
import pytest

from companion import seed_everything, setup_notebook


def test_setup_returns_a_seeded_generator_and_sets_precision():
    a = setup_notebook(seed=3).standard_normal(4)
    b = seed_everything(3).standard_normal(4)
    np.testing.assert_array_equal(a, b)
    assert np.get_printoptions()["precision"] == 4
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"


def test_seed_everything_seeds_python_and_numpy_legacy():
    seed_everything(7)
    first = (random.random(), np.random.rand())
    seed_everything(7)
    assert (random.random(), np.random.rand()) == first


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_bad_seed(seed):
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        seed_everything(seed)


def test_unknown_framework():
    with pytest.raises(ValueError, match="frameworks item must be one of 'tensorflow', 'torch'; got 'jax'"):
        setup_notebook(frameworks=("jax",))


def test_import_companion_imports_numpy_only():
    code = "import sys, companion; print(sorted(m for m in ('tensorflow', 'torch', 'keras', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
