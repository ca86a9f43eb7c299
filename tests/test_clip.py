"""companion.clip: the gradient norm and clipping, for every layout of
gradients (array, list, tuple, dict, gradient container)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import (
    LSTMGrads,
    LSTMParams,
    RNNGrads,
    RNNParams,
    clip_grad_norm,
    grad_norm,
    relative_error,
)
from companion.clip import clip_grad_value


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


def test_dicts_keep_their_keys_and_containers_their_class():
    grads = {"dW": np.array([[3.0]]), "db": np.array([4.0])}
    clipped, norm = clip_grad_norm(grads, 1.0)
    assert norm == 5.0 and list(clipped) == ["dW", "db"]
    np.testing.assert_allclose(clipped["db"], [0.8], rtol=1e-6)
    assert grad_norm(clipped) == pytest.approx(1.0, rel=1e-6)
    values = clip_grad_value((np.array([3.0, -7.0]),), 2.0)
    assert isinstance(values, tuple)
    np.testing.assert_array_equal(values[0], [2.0, -2.0])


def test_nan_is_shown_by_the_norm_and_refused_by_norm_clipping():
    grads = {"dW": np.array([np.nan, 1.0]), "db": np.array([np.inf])}
    assert np.isnan(grad_norm(grads))
    assert np.isinf(grad_norm({"db": np.array([np.inf, 1.0])}))
    with pytest.raises(ValueError, match="grads contain NaN or infinite"):
        clip_grad_norm(grads, 1.0)
    by_value = clip_grad_value(grads, 1.0)  # entry by entry: inf is cut
    assert np.isnan(by_value["dW"][0]) and by_value["db"][0] == 1.0
