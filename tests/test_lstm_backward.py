import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import (
    LSTMParams,
    check_gradient,
    lstm_backward,
    lstm_forward,
    lstm_forward_with_cache,
    lstm_hidden_grads,
    lstm_step,
    lstm_step_backward,
    lstm_step_with_cache,
    relative_error,
)

# N, T, D, H, seed
sizes = st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(0, 2**31 - 1))


# Central differences are exact to about 1e-16 |L| / eps in absolute terms; where a
# random draw makes a gradient itself tiny, its relative error cannot be small.
ATOL = 1e-9


def problem(N, T, D, H, seed):
    """Random parameters, inputs, h0, c0 and loss weights G (N, T, H), g_h, g_c (N, H)."""
    rng = np.random.default_rng(seed)
    params = LSTMParams.random(D, H, rng)
    x, h0, c0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    G, g_h, g_c = rng.standard_normal((N, T, H)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    return params, x, h0, c0, G, g_h, g_c


def loss(params, x, h0, c0, G, g_h, g_c):
    """L = sum(hs * G) + sum(h_T * g_h) + sum(c_T * g_c)."""
    hs, (h_T, c_T) = lstm_forward(x, params, h0, c0)
    return float(np.sum(hs * G) + np.sum(h_T * g_h) + np.sum(c_T * g_c))


@settings(max_examples=12, deadline=None)
@given(sizes)
def test_backward_matches_finite_differences(size):
    params, x, h0, c0, G, g_h, g_c = problem(*size)
    _, _, cache = lstm_forward_with_cache(x, params, h0, c0)
    dx, dh0, dc0, grads = lstm_backward(G, cache, g_h, g_c)
    check_gradient("params", lambda p: loss(p, x, h0, c0, G, g_h, g_c), params, grads, atol=ATOL)
    check_gradient("x", lambda v: loss(params, v, h0, c0, G, g_h, g_c), x, dx, atol=ATOL)
    check_gradient("h0", lambda v: loss(params, x, v, c0, G, g_h, g_c), h0, dh0, atol=ATOL)
    check_gradient("c0", lambda v: loss(params, x, h0, v, G, g_h, g_c), c0, dc0, atol=ATOL)


@settings(max_examples=10, deadline=None)
@given(sizes)
def test_backward_matches_torch_autograd(size):
    torch = pytest.importorskip("torch")
    from companion.convert import to_torch

    params, x, h0, c0, G, g_h, g_c = problem(*size)
    N, T, D, H, _ = size
    module = to_torch(params, torch.nn.LSTM(D, H, batch_first=True).double())
    x_t = torch.tensor(x, requires_grad=True)
    h0_t, c0_t = torch.tensor(h0[None], requires_grad=True), torch.tensor(c0[None], requires_grad=True)
    out, (h_n, c_n) = module(x_t, (h0_t, c0_t))
    L = torch.sum(out * torch.from_numpy(G)) + torch.sum(h_n[0] * torch.from_numpy(g_h)) + torch.sum(c_n[0] * torch.from_numpy(g_c))
    L.backward()

    _, _, cache = lstm_forward_with_cache(x, params, h0, c0)
    dx, dh0, dc0, grads = lstm_backward(G, cache, g_h, g_c)
    close = dict(rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dx, x_t.grad.numpy(), **close)
    np.testing.assert_allclose(dh0, h0_t.grad.numpy()[0], **close)
    np.testing.assert_allclose(dc0, c0_t.grad.numpy()[0], **close)
    np.testing.assert_allclose(grads.W_x, module.weight_ih_l0.grad.numpy().T, **close)
    np.testing.assert_allclose(grads.W_h, module.weight_hh_l0.grad.numpy().T, **close)
    np.testing.assert_allclose(grads.b, module.bias_ih_l0.grad.numpy(), **close)
    np.testing.assert_allclose(module.bias_ih_l0.grad.numpy(), module.bias_hh_l0.grad.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cached_forward_equals_forward(dtype):
    params, x, h0, c0, G, _, _ = problem(3, 5, 2, 4, 7)
    x, h0, c0 = x.astype(dtype), h0.astype(dtype), c0.astype(dtype)
    hs, (h_T, c_T) = lstm_forward(x, params, h0, c0)
    hs_c, (h_T_c, c_T_c), cache = lstm_forward_with_cache(x, params, h0, c0)
    np.testing.assert_array_equal(hs_c, hs)
    np.testing.assert_array_equal(h_T_c, h_T)
    np.testing.assert_array_equal(c_T_c, c_T)
    np.testing.assert_array_equal(cache.cs[:, -1], c_T)
    assert cache.gates.shape == (3, 5, 16) and cache.gates.dtype == dtype
    dx, dh0, dc0, grads = lstm_backward(G, cache)
    assert dx.dtype == dh0.dtype == dc0.dtype == grads.W_x.dtype == dtype
    np.testing.assert_array_equal(lstm_forward_with_cache(x, params)[0], lstm_forward(x, params)[0])


def test_step_backward_is_one_step_of_the_sequence():
    params, x, h0, c0, G, _, g_c = problem(2, 1, 3, 4, 1)
    h_t, c_t, step_cache = lstm_step_with_cache(x[:, 0], h0, c0, params)
    h_ref, c_ref = lstm_step(x[:, 0], h0, c0, params)
    np.testing.assert_array_equal(h_t, h_ref)
    np.testing.assert_array_equal(c_t, c_ref)
    dx_t, dh_prev, dc_prev, step_grads = lstm_step_backward(G[:, 0], g_c, step_cache)
    _, _, cache = lstm_forward_with_cache(x, params, h0, c0)
    dx, dh0, dc0, grads = lstm_backward(G, cache, dc_T=g_c)
    np.testing.assert_allclose(dx[:, 0], dx_t, rtol=1e-14)
    np.testing.assert_allclose(dh0, dh_prev, rtol=1e-14)
    np.testing.assert_allclose(dc0, dc_prev, rtol=1e-14)
    assert relative_error(grads, step_grads) < 1e-15


def test_open_forget_gate_carries_the_cell_gradient_unchanged():
    # f = 1, i = 0, o = 0: c_t = c_{t-1}, and dL/dc_{t-1} = dL/dc_t exactly.
    H, T = 2, 20
    b = np.zeros(4 * H)
    b[:H], b[H : 2 * H], b[3 * H :] = -50, 50, -50
    params = LSTMParams(np.zeros((1, 4 * H)), np.zeros((H, 4 * H)), b)
    x = np.ones((1, T, 1))
    _, _, cache = lstm_forward_with_cache(x, params, c0=np.array([[0.3, -0.7]]))
    dc_T = np.array([[1.0, -2.0]])
    _, dh0, dc0, _ = lstm_backward(np.zeros((1, T, H)), cache, dc_T=dc_T)
    np.testing.assert_allclose(dc0, dc_T, rtol=1e-12)
    _, dc = lstm_hidden_grads(np.zeros((1, T, H)), cache, dc_T=dc_T)
    np.testing.assert_allclose(dc[0], np.repeat(dc_T, T, axis=0), rtol=1e-12)


def test_hidden_grads_end_with_the_given_gradients():
    params, x, h0, c0, G, g_h, g_c = problem(2, 3, 2, 3, 3)
    hs, _, cache = lstm_forward_with_cache(x, params, h0, c0)
    dh, dc = lstm_hidden_grads(G, cache, g_h, g_c)
    assert dh.shape == dc.shape == (2, 3, 3)
    np.testing.assert_allclose(dh[:, -1], G[:, -1] + g_h, rtol=1e-14)
    o = cache.gates[:, -1, 9:12]
    np.testing.assert_allclose(dc[:, -1], g_c + dh[:, -1] * o * (1 - np.tanh(cache.cs[:, -1]) ** 2), rtol=1e-13)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda c, G: lstm_backward(G[:, :, :3], c), r"dhs must have shape \(N=2, T=3, H=4\); got \(2, 3, 3\)"),
        (lambda c, G: lstm_backward(G, c, dc_T=np.ones((1, 4))), r"dc_T must have shape \(N=2, H=4\); got \(1, 4\)"),
        (lambda c, G: lstm_backward(G, c, dh_T=np.ones((2, 4), dtype=int)), "dh_T must hold floating-point"),
        (lambda c, G: lstm_backward(G, {"x": 1}), "cache must be the LSTMCache returned by lstm_forward_with_cache"),
        (lambda c, G: lstm_step_backward(G[:, 0], None, c), "cache must be the LSTMStepCache returned by lstm_step_with_cache"),
    ],
)
def test_backward_refuses_bad_input(call, message):
    params, x, h0, c0, _, _, _ = problem(2, 3, 3, 4, 0)
    _, _, cache = lstm_forward_with_cache(x, params, h0, c0)
    with pytest.raises(ValueError, match=message):
        call(cache, np.ones((2, 3, 4)))


def test_step_backward_refuses_bad_dc():
    params, x, h0, c0, _, _, _ = problem(2, 1, 3, 4, 0)
    *_, cache = lstm_step_with_cache(x[:, 0], h0, c0, params)
    with pytest.raises(ValueError, match=r"dc_t must have shape \(N=2, H=4\); got \(2, 3\)"):
        lstm_step_backward(np.ones((2, 4)), np.ones((2, 3)), cache)
    with pytest.raises(ValueError, match=r"h_prev must have shape"):
        lstm_step_with_cache(x[:, 0], np.ones((2, 3)), c0, params)
