import numpy as np
import pytest

from companion.compare import check_close, max_abs_diff


def test_max_abs_diff():
    assert max_abs_diff([1.0, 2.0], [1.5, 1.0]) == 1.0
    with pytest.raises(ValueError, match=r"a and b must have the same shape; got \(2,\) and \(3,\)"):
        max_abs_diff(np.zeros(2), np.zeros(3))


def test_check_close_prints_the_bound_not_the_value():
    line = check_close("x vs y", np.ones(3), np.ones(3) + 3e-8, tol=1e-6)
    assert line == "x vs y: max |difference| < 1e-06"


def test_check_close_fails_loudly():
    with pytest.raises(AssertionError, match="x vs y: max .difference. = 1.000e-03 is not below 1e-06"):
        check_close("x vs y", np.zeros(2), np.array([0.0, 1e-3]), tol=1e-6)
    with pytest.raises(ValueError, match="tol must be a positive number"):
        check_close("x", np.zeros(2), np.zeros(2), tol=0)


def test_tensors_are_accepted():
    torch = pytest.importorskip("torch")
    assert max_abs_diff(torch.ones(2), np.ones(2)) == 0.0
