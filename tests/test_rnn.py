import numpy as np
import pytest

from companion import RNNParams, rnn_forward, rnn_step


@pytest.fixture
def params():
    return RNNParams.random(3, 4, np.random.default_rng(0))


def test_step_matches_the_equation(params):
    rng = np.random.default_rng(1)
    x_t, h_prev = rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    expected = np.tanh(x_t @ params.W_xh + h_prev @ params.W_hh + params.b_h)
    np.testing.assert_allclose(rnn_step(x_t, h_prev, params), expected, rtol=1e-15)


def test_step_by_hand_for_one_unit():
    # D = H = 1: h = tanh(2*0.5 + 0.25*(-1) + 0.1) = tanh(0.85)
    p = RNNParams(np.array([[0.5]]), np.array([[-1.0]]), np.array([0.1]))
    assert rnn_step(np.array([[2.0]]), np.array([[0.25]]), p)[0, 0] == pytest.approx(np.tanh(0.85))


def test_forward_is_the_step_repeated(params):
    x = np.random.default_rng(2).standard_normal((5, 7, 3))
    h0 = np.random.default_rng(3).standard_normal((5, 4))
    hs, h_T = rnn_forward(x, params, h0)
    assert hs.shape == (5, 7, 4)
    h = h0
    for t in range(7):
        h = rnn_step(x[:, t], h, params)
        np.testing.assert_allclose(hs[:, t], h, rtol=1e-14)
    np.testing.assert_array_equal(h_T, hs[:, -1])


def test_zero_initial_state_by_default(params):
    x = np.ones((2, 3, 3))
    np.testing.assert_array_equal(rnn_forward(x, params)[0], rnn_forward(x, params, np.zeros((2, 4)))[0])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_dtype_in_is_dtype_out(params, dtype):
    hs, h_T = rnn_forward(np.ones((2, 3, 3), dtype), params)
    assert hs.dtype == dtype and h_T.dtype == dtype


def test_float32_agrees_with_float64(params):
    x = np.random.default_rng(4).standard_normal((4, 6, 3))
    hs64, _ = rnn_forward(x, params)
    hs32, _ = rnn_forward(x.astype(np.float32), params)
    np.testing.assert_allclose(hs32, hs64, atol=1e-6)


@pytest.mark.parametrize(
    "x, h0, message",
    [
        (np.ones((5, 3)), None, r"x must have shape \(N, T, D=3\) \(3-D\); got \(5, 3\)"),
        (np.ones((2, 5, 4)), None, r"x must have shape \(N, T, D=3\); got \(2, 5, 4\)"),
        (np.ones((2, 5, 3), dtype=int), None, "x must hold floating-point numbers"),
        (np.full((2, 5, 3), np.inf), None, "x contains NaN or infinite"),
        (np.ones((2, 5, 3)), np.ones((3, 4)), r"h0 must have shape \(N=2, H=4\); got \(3, 4\)"),
        (np.ones((2, 5, 3)), np.ones((2, 5)), r"h0 must have shape \(N=2, H=4\); got \(2, 5\)"),
        (np.ones((2, 0, 3)), None, "no empty axis"),
    ],
)
def test_forward_refuses_bad_input(params, x, h0, message):
    with pytest.raises(ValueError, match=message):
        rnn_forward(x, params, h0)


def test_step_refuses_bad_input(params):
    with pytest.raises(ValueError, match=r"h_prev must have shape \(N=2, H=4\)"):
        rnn_step(np.ones((2, 3)), np.ones((2, 3)), params)
    with pytest.raises(ValueError, match="params must be an RNNParams"):
        rnn_step(np.ones((2, 3)), np.ones((2, 4)), {"W_xh": 1})
