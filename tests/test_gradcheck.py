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
    clip_grad_norm,
    grad_norm,
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


def test_grad_norm_is_global():
    assert grad_norm([np.array([3.0]), np.array([[4.0]])]) == pytest.approx(
        5.0
    )
    g = RNNGrads(
        np.full((1, 1), 1.0),
        np.full((1, 1), 2.0),
        np.full(1, 2.0),
        dh=np.ones((1, 1, 1)),
    )
    assert (
        grad_norm(g) == pytest.approx(3.0) == g.norm()
    )  # dh is not a parameter gradient
    assert np.isnan(
        grad_norm(
            RNNGrads(np.full((1, 1), np.nan), np.ones((1, 1)), np.ones(1))
        )
    )


def test_clip_grad_norm_scales_large_and_keeps_small():
    grads = [np.array([3.0, 0.0]), np.array([[0.0, 4.0]])]  # norm 5
    clipped, norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(5.0) and isinstance(clipped, list)
    assert grad_norm(clipped) == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_allclose(
        clipped[0], [0.6, 0.0], rtol=1e-5
    )  # same direction
    assert grads[0][0] == 3.0  # input unchanged
    kept, _ = clip_grad_norm(grads, 10.0)
    np.testing.assert_array_equal(kept[1], grads[1])


def test_clip_grad_norm_keeps_the_grads_layout_and_dtype():
    p = LSTMParams.random(
        2, 3, np.random.default_rng(0), scale=10.0, dtype=np.float32
    )
    grads = LSTMGrads(*p.as_dict().values(), dh=np.ones((1, 2, 3), np.float32))
    clipped, norm = clip_grad_norm(grads, 0.5)
    assert isinstance(clipped, LSTMGrads) and clipped.dW_x.dtype == np.float32
    assert clipped.dh is None  # clipping acts on the parameter gradients only
    assert norm > 0.5 and grad_norm(clipped) == pytest.approx(0.5, rel=1e-5)
    again, norm_again = grads.clip(0.5)
    assert norm_again == norm and relative_error(again, clipped) == 0.0


@settings(max_examples=15, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 4),
    st.floats(0.01, 100.0),
    st.integers(0, 2**31 - 1),
)
def test_clip_grad_norm_matches_torch(D, H, max_norm, seed):
    torch = pytest.importorskip("torch")
    grads = RNNGrads(
        *RNNParams.random(D, H, np.random.default_rng(seed), scale=3.0)
        .as_dict()
        .values()
    )
    clipped, norm = clip_grad_norm(grads, max_norm)
    tensors = [
        torch.nn.Parameter(torch.zeros(a.shape, dtype=torch.float64))
        for a in grads.as_dict().values()
    ]
    for t, a in zip(tensors, grads.as_dict().values()):
        t.grad = torch.from_numpy(a.copy())
    torch_norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm)
    assert norm == pytest.approx(float(torch_norm), rel=1e-12)
    for t, a in zip(tensors, clipped.as_dict().values()):
        np.testing.assert_allclose(a, t.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    "grads, max_norm, message",
    [
        ([np.ones(2)], 0.0, "max_norm must be a positive number"),
        ([np.ones(2)], "1", "max_norm must be a positive number"),
        ([np.array([np.inf])], 1.0, "grads contain NaN or infinite"),
        (
            RNNGrads(np.full((1, 1), np.nan), np.ones((1, 1)), np.ones(1)),
            1.0,
            "grads contain NaN or infinite",
        ),
        ([np.ones(2)], True, "max_norm must be a positive number"),
        ([], 1.0, "grads must hold at least one array"),
        ([np.ones(2, int)], 1.0, r"grads\[0\] must hold floating-point"),
        ("W", 1.0, "grads must be a NumPy array, a list, tuple or dict"),
        ({}, 1.0, "grads must hold at least one array"),
    ],
)
def test_clip_grad_norm_refuses_bad_input(grads, max_norm, message):
    with pytest.raises(ValueError, match=message):
        clip_grad_norm(grads, max_norm)


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
