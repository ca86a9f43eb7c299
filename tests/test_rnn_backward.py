import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import (
    RNNParams,
    check_gradient,
    relative_error,
    rnn_backward,
    rnn_forward,
    rnn_forward_with_cache,
    rnn_hidden_grads,
    rnn_step,
    rnn_step_backward,
    rnn_step_with_cache,
)

# N, T, D, H, seed
sizes = st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 3), st.integers(1, 4), st.integers(0, 2**31 - 1))


# Central differences are exact to about 1e-16 |L| / eps in absolute terms; where a
# random draw makes a gradient itself tiny, its relative error cannot be small.
ATOL = 1e-9


def problem(N, T, D, H, seed):
    """Random parameters, inputs, h0 and the loss weights G (N, T, H), g_T (N, H)."""
    rng = np.random.default_rng(seed)
    params = RNNParams.random(D, H, rng)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    G, g_T = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
    return params, x, h0, G, g_T


def loss(params, x, h0, G, g_T):
    """L = sum(hs * G) + sum(h_T * g_T), so dL/dhs = G and the extra dL/dh_T = g_T."""
    hs, h_T = rnn_forward(x, params, h0)
    return float(np.sum(hs * G) + np.sum(h_T * g_T))


@settings(max_examples=15, deadline=None)
@given(sizes)
def test_backward_matches_finite_differences(size):
    params, x, h0, G, g_T = problem(*size)
    _, _, cache = rnn_forward_with_cache(x, params, h0)
    dx, dh0, grads = rnn_backward(G, cache, g_T)
    check_gradient("params", lambda p: loss(p, x, h0, G, g_T), params, grads, atol=ATOL)
    check_gradient("x", lambda v: loss(params, v, h0, G, g_T), x, dx, atol=ATOL)
    check_gradient("h0", lambda v: loss(params, x, v, G, g_T), h0, dh0, atol=ATOL)


@settings(max_examples=10, deadline=None)
@given(sizes)
def test_backward_matches_torch_autograd(size):
    torch = pytest.importorskip("torch")
    from companion.convert import to_torch

    params, x, h0, G, g_T = problem(*size)
    N, T, D, H, _ = size
    module = to_torch(params, torch.nn.RNN(D, H, batch_first=True).double())
    x_t, h0_t = torch.tensor(x, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    out, h_n = module(x_t, h0_t)
    (torch.sum(out * torch.from_numpy(G)) + torch.sum(h_n[0] * torch.from_numpy(g_T))).backward()

    _, _, cache = rnn_forward_with_cache(x, params, h0)
    dx, dh0, grads = rnn_backward(G, cache, g_T)
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dh0, h0_t.grad.numpy()[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads.W_xh, module.weight_ih_l0.grad.numpy().T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads.W_hh, module.weight_hh_l0.grad.numpy().T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads.b_h, module.bias_ih_l0.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cached_forward_equals_forward(dtype):
    params, x, h0, G, _ = problem(3, 5, 2, 4, 7)
    x, h0 = x.astype(dtype), h0.astype(dtype)
    hs, h_T = rnn_forward(x, params, h0)
    hs_c, h_T_c, cache = rnn_forward_with_cache(x, params, h0)
    np.testing.assert_array_equal(hs_c, hs)
    np.testing.assert_array_equal(h_T_c, h_T)
    assert cache.hs.dtype == cache.params.W_hh.dtype == dtype
    dx, dh0, grads = rnn_backward(G, cache)
    assert dx.dtype == dh0.dtype == grads.W_xh.dtype == dtype
    np.testing.assert_array_equal(rnn_forward_with_cache(x, params)[0], rnn_forward(x, params)[0])


def test_step_backward_is_one_step_of_the_sequence():
    params, x, h0, G, _ = problem(2, 1, 3, 4, 1)
    h_t, step_cache = rnn_step_with_cache(x[:, 0], h0, params)
    np.testing.assert_array_equal(h_t, rnn_step(x[:, 0], h0, params))
    dx_t, dh_prev, step_grads = rnn_step_backward(G[:, 0], step_cache)
    _, _, cache = rnn_forward_with_cache(x, params, h0)
    dx, dh0, grads = rnn_backward(G, cache)
    np.testing.assert_allclose(dx[:, 0], dx_t, rtol=1e-14)
    np.testing.assert_allclose(dh0, dh_prev, rtol=1e-14)
    assert relative_error(grads, step_grads) < 1e-15


def test_step_backward_by_hand_for_one_unit():
    # D = H = 1, h = tanh(a), a = 2*0.5 + 0.25*(-1) + 0.1 = 0.85; dL/da = dh * (1 - h**2)
    p = RNNParams(np.array([[0.5]]), np.array([[-1.0]]), np.array([0.1]))
    h, cache = rnn_step_with_cache(np.array([[2.0]]), np.array([[0.25]]), p)
    da = 3.0 * (1 - np.tanh(0.85) ** 2)
    dx, dh_prev, g = rnn_step_backward(np.array([[3.0]]), cache)
    assert dx[0, 0] == pytest.approx(0.5 * da) and dh_prev[0, 0] == pytest.approx(-1.0 * da)
    assert g.W_xh[0, 0] == pytest.approx(2.0 * da) and g.W_hh[0, 0] == pytest.approx(0.25 * da)
    assert g.b_h[0] == pytest.approx(da)


def test_hidden_grads_are_what_reaches_each_state():
    params, x, h0, G, g_T = problem(2, 4, 3, 3, 5)
    _, _, cache = rnn_forward_with_cache(x, params, h0)
    dh = rnn_hidden_grads(G, cache, g_T)
    assert dh.shape == (2, 4, 3)
    np.testing.assert_allclose(dh[:, -1], G[:, -1] + g_T, rtol=1e-14)
    # dL/dh_2 = G_2 + what step 3 sends back, computed with the step function
    _, back, _ = rnn_step_backward(dh[:, 2], rnn_step_with_cache(x[:, 2], cache.hs[:, 1], params)[1])
    np.testing.assert_allclose(dh[:, 1], G[:, 1] + back, rtol=1e-13)


def test_small_recurrent_weights_make_gradients_vanish():
    H, T = 4, 30
    rng = np.random.default_rng(0)
    W_hh = 0.5 * np.linalg.qr(rng.standard_normal((H, H)))[0]  # every singular value 0.5
    params = RNNParams(rng.standard_normal((1, H)), W_hh, np.zeros(H))
    _, _, cache = rnn_forward_with_cache(rng.standard_normal((1, T, 1)), params)
    dhs = np.zeros((1, T, H))
    dhs[:, -1] = 1.0
    norms = np.linalg.norm(rnn_hidden_grads(dhs, cache)[0], axis=1)  # (T,)
    bound = norms[-1] * 0.5 ** np.arange(T)[::-1]  # ||dh_t|| <= 0.5**(T-t) ||dh_T||
    assert np.all(norms <= bound * (1 + 1e-12))
    assert norms[0] < 1e-8 * norms[-1]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda c, G: rnn_backward(G[:, :2], c), r"dhs must have shape \(N=2, T=3, H=4\); got \(2, 2, 4\)"),
        (lambda c, G: rnn_backward(G, c, np.ones((2, 5))), r"dh_T must have shape \(N=2, H=4\); got \(2, 5\)"),
        (lambda c, G: rnn_backward(G, (1, 2, 3, 4)), "cache must be the RNNCache returned by rnn_forward_with_cache"),
        (lambda c, G: rnn_step_backward(G[:, 0], c), "cache must be the RNNStepCache returned by rnn_step_with_cache"),
        (lambda c, G: rnn_backward(np.full(G.shape, np.nan), c), "dhs contains NaN"),
    ],
)
def test_backward_refuses_bad_input(call, message):
    params, x, h0, _, _ = problem(2, 3, 3, 4, 0)
    _, _, cache = rnn_forward_with_cache(x, params, h0)
    with pytest.raises(ValueError, match=message):
        call(cache, np.ones((2, 3, 4)))


def test_step_backward_refuses_bad_dh():
    params, x, h0, _, _ = problem(2, 1, 3, 4, 0)
    _, cache = rnn_step_with_cache(x[:, 0], h0, params)
    with pytest.raises(ValueError, match=r"dh_t must have shape \(N=2, H=4\) \(2-D\); got \(4,\)"):
        rnn_step_backward(np.ones(4), cache)
