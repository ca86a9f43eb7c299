"""companion.ops: the element-wise functions every module shares."""

import numpy as np
import pytest

from companion.ops import sigmoid, softmax


def test_sigmoid_is_stable_and_exact():
    z = np.array([-800.0, -2.0, 0.0, 2.0, 800.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = sigmoid(z)
    np.testing.assert_allclose(s[1:4], 1 / (1 + np.exp(-z[1:4])), rtol=1e-15)
    assert s[0] == 0.0 and s[-1] == 1.0
    assert sigmoid(np.float32(1.0)).dtype == np.float32


def test_softmax_sums_to_one_without_overflow_and_sharpens_with_temperature():
    logits = np.array([[1000.0, 1001.0, 1002.0], [0.0, 0.0, 0.0]])
    with np.errstate(over="raise", invalid="raise"):
        p = softmax(logits)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-15)
    e = np.exp([0.0, 1.0, 2.0])
    np.testing.assert_allclose(p[0], e / e.sum(), rtol=1e-14)
    np.testing.assert_allclose(p[1], 1 / 3, rtol=1e-15)
    cold, hot = softmax(logits[0], 0.5), softmax(logits[0], 2.0)
    assert cold[2] > p[0, 2] > hot[2] > 1 / 3
    with pytest.raises(ValueError, match="temperature must be a positive"):
        softmax(logits, 0)
