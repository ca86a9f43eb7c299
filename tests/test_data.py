import numpy as np
import pytest

from companion import random_sequences, zeroed_sequences


def test_zeroed_sequences_follow_the_recipe():
    X, y = zeroed_sequences()
    assert X.shape == (15, 5, 3) and y.shape == (15, 2)
    base = np.arange(1, 16).reshape(5, 3)
    for k in range(15):
        expected = base.copy()
        expected[k // 3, k % 3] = 0
        np.testing.assert_array_equal(X[k], expected)
    np.testing.assert_array_equal(y[:8], [[1, 0]] * 8)
    np.testing.assert_array_equal(y[8:], [[0, 1]] * 7)
    assert X.dtype == np.float32


def test_random_sequences_are_seeded():
    a = random_sequences(2, 3, 4, np.random.default_rng(5))
    b = random_sequences(2, 3, 4, np.random.default_rng(5))
    assert a.shape == (2, 3, 4)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="T must be a positive integer"):
        random_sequences(2, 0, 4, np.random.default_rng(5))
