import os
import random

import numpy as np
import pytest

from companion import seed_everything, setup_notebook


def _draws(rng):
    """One draw from every generator a chapter may use."""
    return (
        random.random(),
        float(np.random.rand()),
        float(rng.standard_normal()),
    )


def test_setup_seeds_every_generator_from_the_seed(monkeypatch):
    monkeypatch.setenv("COLUMNS", "123")  # restored after the test
    first = _draws(setup_notebook(seed=3))
    assert (
        first[0] == random.Random(3).random()
    )  # Python's generator got the seed
    assert (
        first[1] == np.random.RandomState(3).rand()
    )  # so did NumPy's legacy one
    assert _draws(setup_notebook(seed=3)) == first  # again: the same numbers
    assert (
        _draws(setup_notebook(seed=4)) != first
    )  # another seed: other numbers
    assert np.get_printoptions()["precision"] == 4
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"
    assert (
        os.environ["COLUMNS"] == "80"
    )  # outputs do not follow the reader's terminal


def test_setup_sets_torch_threads():
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    try:
        setup_notebook(seed=0, frameworks=("torch",), torch_threads=1)
        assert torch.get_num_threads() == 1
        assert (
            torch.rand(1).item()
            == torch.rand(1, generator=torch.Generator().manual_seed(0)).item()
        )
    finally:
        torch.set_num_threads(before)
        torch.use_deterministic_algorithms(False)
    with pytest.raises(
        ValueError, match='torch_threads needs "torch" in frameworks'
    ):
        setup_notebook(torch_threads=1)
    with pytest.raises(
        ValueError, match="torch_threads must be a positive integer"
    ):
        setup_notebook(frameworks=("torch",), torch_threads=0)


def test_setup_switches_grappler_off_for_tensorflow():
    tf = pytest.importorskip("tensorflow")
    before = tf.config.optimizer.get_experimental_options()
    try:
        setup_notebook(seed=0, frameworks=("tensorflow",))
        options = tf.config.optimizer.get_experimental_options()
        assert options.get("disable_meta_optimizer") is True
    finally:
        was_off = before.get("disable_meta_optimizer", False)
        tf.config.optimizer.set_experimental_options(
            {"disable_meta_optimizer": was_off}
        )


def test_seed_everything_seeds_python_and_numpy_legacy():
    seed_everything(7)
    first = (random.random(), np.random.rand())
    seed_everything(7)
    assert (random.random(), np.random.rand()) == first


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_bad_seed(seed):
    with pytest.raises(
        ValueError, match="seed must be a non-negative integer"
    ):
        seed_everything(seed)


def test_unknown_framework():
    with pytest.raises(
        ValueError,
        match="frameworks item must be one of 'tensorflow', 'torch'; got 'jax'",
    ):
        setup_notebook(frameworks=("jax",))
