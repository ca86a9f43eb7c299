import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import (
    LSTMGrads,
    LSTMParams,
    RNNGrads,
    RNNParams,
    check_gradient,
    numerical_gradient,
    relative_error,
)


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    g = numerical_gradient(
        lambda v: float(np.sum(v**3)), x
    )  # d/dv sum v^3 = 3 v^2
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-8)
    assert x[0, 0] == 1.0  # the input is left unchanged


def test_numerical_gradient_of_params_is_a_gradient_container():
    p = RNNParams.random(2, 3, np.random.default_rng(0))
    g = numerical_gradient(
        lambda q: float(
            np.sum(q.W_xh) + 2 * np.sum(q.W_hh**2) + q.b_h @ [1.0, 2.0, 3.0]
        ),
        p,
    )
    assert isinstance(g, RNNGrads) and g.dh is None
    np.testing.assert_allclose(g.dW_xh, np.ones((2, 3)), rtol=1e-8)
    np.testing.assert_allclose(g.dW_hh, 4 * p.W_hh, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(g.db_h, [1.0, 2.0, 3.0], rtol=1e-8)


def test_relative_error_values():
    a = np.array([3.0, 4.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(a, np.zeros(2)) == pytest.approx(1.0)
    assert relative_error(a, a * 1.01) == pytest.approx(0.01 / 2.01)
    p = LSTMParams.random(1, 1, np.random.default_rng(0))
    g = LSTMGrads(*p.as_dict().values())
    assert relative_error(p, p) == 0.0 and relative_error(g, g) == 0.0


def test_check_gradient_passes_and_fails():
    x = np.linspace(-1, 1, 5)
    f = lambda v: float(np.sum(np.sin(v)))  # noqa: E731
    assert (
        check_gradient("sin", f, x, np.cos(x)) == "sin: relative error < 1e-07"
    )
    with pytest.raises(
        AssertionError, match="wrong: relative error .* is not below 1e-07"
    ):
        check_gradient("wrong", f, x, np.cos(x) * (1 + 1e-4))


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 4), st.integers(0, 2**31 - 1))
def test_check_gradient_of_a_quadratic_form(n, seed):
    rng = np.random.default_rng(seed)
    A, x = rng.standard_normal((n, n)), rng.standard_normal(n)
    check_gradient("x A x", lambda v: float(v @ A @ v), x, (A + A.T) @ x)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: numerical_gradient(lambda v: 0.0, np.ones(3, np.float32)),
            "x must be float64",
        ),
        (
            lambda: numerical_gradient(lambda v: 0.0, np.ones(3, int)),
            "x must be float64",
        ),
        (
            lambda: numerical_gradient(lambda v: 0.0, [1.0, 2.0]),
            "x must be a NumPy array, a parameter container",
        ),
        (
            lambda: numerical_gradient("loss", np.ones(3)),
            "f must be a callable",
        ),
        (
            lambda: numerical_gradient(lambda v: v, np.ones(3)),
            r"f must return a real scalar .* shape \(3,\)",
        ),
        (
            lambda: numerical_gradient(lambda v: np.nan, np.ones(3)),
            "f returned NaN",
        ),
        (
            lambda: numerical_gradient(lambda v: 0.0, np.ones(3), eps=0),
            "eps must be a positive number",
        ),
        (
            lambda: numerical_gradient(
                lambda v: 0.0,
                RNNParams.random(
                    1, 1, np.random.default_rng(0), dtype=np.float32
                ),
            ),
            "W_xh must be float64",
        ),
        (
            lambda: relative_error(np.ones(2), np.ones(3)),
            "a and b must be of the same kind and shapes",
        ),
        (
            lambda: check_gradient(
                "n", lambda v: 0.0, np.ones(2), np.ones(2), tol=-1
            ),
            "tol must be a positive number",
        ),
    ],
)
def test_refuses_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_check_gradient_atol_accepts_a_tiny_absolute_gap_only():
    x = np.array([1.0, 2.0])
    f = lambda v: float(1e-6 * np.sum(v**2))  # noqa: E731  gradient 2e-6 * v: tiny
    slightly_off = 2e-6 * x + 1e-12
    with pytest.raises(AssertionError, match="relative error"):
        check_gradient("tiny", f, x, slightly_off, tol=1e-7)
    assert (
        check_gradient("tiny", f, x, slightly_off, tol=1e-7, atol=1e-9)
        == "tiny: relative error < 1e-07"
    )
    with pytest.raises(
        AssertionError
    ):  # a real mistake on a gradient of normal size still fails
        check_gradient(
            "wrong",
            lambda v: float(np.sum(v**2)),
            x,
            3 * x,
            tol=1e-7,
            atol=1e-9,
        )
    with pytest.raises(ValueError, match="atol must be a number >= 0"):
        check_gradient("x", f, x, slightly_off, atol=-1)
