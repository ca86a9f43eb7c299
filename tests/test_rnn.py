"""The vanilla RNN's own equations, by hand (the shared API is tested in test_cells.py)."""

import numpy as np
import pytest

from companion import (
    RNNParams,
    rnn_backward,
    rnn_forward,
    rnn_step,
    rnn_step_backward,
)


def test_step_matches_the_equation():
    params = RNNParams.random(3, 4, np.random.default_rng(0))
    rng = np.random.default_rng(1)
    x_t, h_prev = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    expected = np.tanh(x_t @ params.W_xh + h_prev @ params.W_hh + params.b_h)
    h_t, _ = rnn_step(x_t, h_prev, params)
    np.testing.assert_allclose(h_t, expected, rtol=1e-15)


def test_step_by_hand_for_one_unit():
    # D = H = 1: h = tanh(2*0.5 + 0.25*(-1) + 0.1) = tanh(0.85)
    p = RNNParams(np.array([[0.5]]), np.array([[-1.0]]), np.array([0.1]))
    h_t, _ = rnn_step(np.array([[2.0]]), np.array([[0.25]]), p)
    assert h_t[0, 0] == pytest.approx(np.tanh(0.85))


def test_step_backward_by_hand_for_one_unit():
    # h = tanh(a), a = 0.85; dL/da = dh * (1 - h**2)
    p = RNNParams(np.array([[0.5]]), np.array([[-1.0]]), np.array([0.1]))
    _, cache = rnn_step(np.array([[2.0]]), np.array([[0.25]]), p)
    da = 3.0 * (1 - np.tanh(0.85) ** 2)
    dx, dh_prev, g = rnn_step_backward(np.array([[3.0]]), cache)
    assert dx[0, 0] == pytest.approx(0.5 * da) and dh_prev[
        0, 0
    ] == pytest.approx(-1.0 * da)
    assert g.dW_xh[0, 0] == pytest.approx(2.0 * da) and g.dW_hh[
        0, 0
    ] == pytest.approx(0.25 * da)
    assert g.db_h[0] == pytest.approx(da)


def test_small_recurrent_weights_make_gradients_vanish():
    H, T = 4, 30
    rng = np.random.default_rng(0)
    W_hh = (
        0.5 * np.linalg.qr(rng.standard_normal((H, H)))[0]
    )  # every singular value 0.5
    params = RNNParams(rng.standard_normal((1, H)), W_hh, np.zeros(H))
    _, _, cache = rnn_forward(rng.standard_normal((1, T, 1)), params)
    dhs = np.zeros((1, T, H))
    dhs[:, -1] = 1.0
    norms = np.linalg.norm(rnn_backward(dhs, cache)[2].dh[0], axis=1)  # (T,)
    bound = (
        norms[-1] * 0.5 ** np.arange(T)[::-1]
    )  # ||dh_t|| <= 0.5**(T-t) ||dh_T||
    assert np.all(norms <= bound * (1 + 1e-12))
    assert norms[0] < 1e-8 * norms[-1]
