import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.scan import METHODS, linear_scan
from companion.ssm import (
    convolution_kernel,
    scan_by_convolution,
    selective_scan,
    selective_scan_loop,
)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 70), st.integers(1, 4), st.integers(0, 2**31 - 1))
def test_time_invariant_recurrence_is_a_convolution(T, H, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(-0.99, 0.99, H), rng.standard_normal((2, T, H))
    loop = linear_scan(np.broadcast_to(a, (2, T, H)).copy(), b)
    np.testing.assert_allclose(scan_by_convolution(a, b), loop, atol=1e-12)


def test_kernel_is_the_powers_of_a():
    K = convolution_kernel(np.array([0.5, -2.0]), 4)
    np.testing.assert_array_equal(
        K, [[1, 1], [0.5, -2], [0.25, 4], [0.125, -8]]
    )


@pytest.mark.parametrize("method", METHODS)
def test_selective_scan_equals_its_loop(method):
    rng = np.random.default_rng(1)
    N, T, S = 2, 23, 4
    x, A = rng.standard_normal((N, T)), -rng.uniform(0.1, 2, S)
    B, C = rng.standard_normal((N, T, S)), rng.standard_normal((N, T, S))
    y = selective_scan(x, 0.8, -0.2, A, B, C, method=method)
    np.testing.assert_allclose(
        y, selective_scan_loop(x, 0.8, -0.2, A, B, C), atol=1e-12
    )


def test_bad_arguments_are_named():
    x, B = np.ones((2, 3)), np.ones((2, 3, 4))
    with pytest.raises(ValueError, match="A must be < 0"):
        selective_scan(x, 1.0, 0.0, np.ones(4), B, B)
    with pytest.raises(
        ValueError, match=r"C must have shape \(N=2, T=3, S=4\)"
    ):
        selective_scan(x, 1.0, 0.0, -np.ones(4), B, B[:, :2])
    with pytest.raises(ValueError, match=r"b must have shape \(N, T, H=2\)"):
        scan_by_convolution(np.ones(2), np.ones((1, 3, 3)))
