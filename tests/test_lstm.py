"""The LSTM's own equations, by hand (the shared API is tested in test_cells.py)."""

import numpy as np

from companion import (
    LSTMParams,
    lstm_backward,
    lstm_forward,
    lstm_step,
)


def test_step_matches_separate_gate_equations():
    params = LSTMParams.random(3, 4, np.random.default_rng(0))
    rng = np.random.default_rng(1)
    x_t, h_prev, c_prev = (
        rng.standard_normal((2, 3)),
        rng.standard_normal((2, 4)),
        rng.standard_normal((2, 4)),
    )

    def gate(name, act):
        W_x, W_h, b = params.gate(name)
        return act(x_t @ W_x + h_prev @ W_h + b)

    def sig(z):
        return 1 / (1 + np.exp(-z))

    i, f, g, o = (
        gate("i", sig),
        gate("f", sig),
        gate("g", np.tanh),
        gate("o", sig),
    )
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    h_t, c_t, cache = lstm_step(x_t, h_prev, c_prev, params)
    np.testing.assert_allclose(c_t, c, rtol=1e-13)
    np.testing.assert_allclose(h_t, h, rtol=1e-13)
    np.testing.assert_allclose(
        cache.gates, np.concatenate([i, f, g, o], axis=1), rtol=1e-13
    )


def test_forget_gate_open_keeps_the_cell():
    # Huge forget bias, shut input gate: c_t == c_prev.
    H = 2
    b = np.zeros(4 * H)
    b[:H] = -50  # i ~ 0
    b[H : 2 * H] = 50  # f ~ 1
    p = LSTMParams(np.zeros((1, 4 * H)), np.zeros((H, 4 * H)), b)
    c_prev = np.array([[0.3, -0.7]])
    _, c_t, _ = lstm_step(np.ones((1, 1)), np.zeros((1, H)), c_prev, p)
    np.testing.assert_allclose(c_t, c_prev, rtol=1e-12)


def test_hidden_state_is_bounded():
    params = LSTMParams.random(3, 4, np.random.default_rng(0))
    hs, *_ = lstm_forward(100 * np.ones((2, 20, 3)), params)
    assert np.all(np.abs(hs) < 1)


def test_open_forget_gate_carries_the_cell_gradient_unchanged():
    # f = 1, i = 0, o = 0: c_t = c_{t-1}, and dL/dc_{t-1} = dL/dc_t exactly.
    H, T = 2, 20
    b = np.zeros(4 * H)
    b[:H], b[H : 2 * H], b[3 * H :] = -50, 50, -50
    params = LSTMParams(np.zeros((1, 4 * H)), np.zeros((H, 4 * H)), b)
    *_, cache = lstm_forward(
        np.ones((1, T, 1)), params, c0=np.array([[0.3, -0.7]])
    )
    dc_T = np.array([[1.0, -2.0]])
    _, _, dc0, grads = lstm_backward(np.zeros((1, T, H)), cache, dc_T=dc_T)
    np.testing.assert_allclose(dc0, dc_T, rtol=1e-12)
    np.testing.assert_allclose(
        grads.dc[0], np.repeat(dc_T, T, axis=0), rtol=1e-12
    )


def test_cell_gradients_end_with_the_given_gradients():
    rng = np.random.default_rng(3)
    params = LSTMParams.random(2, 3, rng)
    x, G = rng.standard_normal((2, 3, 2)), rng.standard_normal((2, 3, 3))
    g_h, g_c = rng.standard_normal((2, 2, 3))
    *_, cache = lstm_forward(x, params)
    grads = lstm_backward(G, cache, g_h, g_c)[3]
    o = cache.gates[:, -1, 9:12]
    expected = g_c + grads.dh[:, -1] * o * (1 - np.tanh(cache.cs[:, -1]) ** 2)
    np.testing.assert_allclose(grads.dc[:, -1], expected, rtol=1e-13)
