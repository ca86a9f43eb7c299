import numpy as np
import pytest

from companion import LSTMParams, lstm_forward, lstm_step, sigmoid


@pytest.fixture
def params():
    return LSTMParams.random(3, 4, np.random.default_rng(0))


def test_sigmoid_is_stable_and_exact():
    z = np.array([-800.0, -2.0, 0.0, 2.0, 800.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = sigmoid(z)
    np.testing.assert_allclose(s[1:4], 1 / (1 + np.exp(-z[1:4])), rtol=1e-15)
    assert s[0] == 0.0 and s[-1] == 1.0
    assert sigmoid(np.float32(1.0)).dtype == np.float32


def test_step_matches_separate_gate_equations(params):
    rng = np.random.default_rng(1)
    x_t, h_prev, c_prev = rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))

    def gate(name, act):
        W_x, W_h, b = params.gate(name)
        return act(x_t @ W_x + h_prev @ W_h + b)

    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    i, f, g, o = gate("i", sig), gate("f", sig), gate("g", np.tanh), gate("o", sig)
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    h_t, c_t = lstm_step(x_t, h_prev, c_prev, params)
    np.testing.assert_allclose(c_t, c, rtol=1e-13)
    np.testing.assert_allclose(h_t, h, rtol=1e-13)


def test_forget_gate_open_keeps_the_cell():
    # Huge forget bias, shut input gate: c_t == c_prev.
    H = 2
    b = np.zeros(4 * H)
    b[:H] = -50  # i ~ 0
    b[H : 2 * H] = 50  # f ~ 1
    p = LSTMParams(np.zeros((1, 4 * H)), np.zeros((H, 4 * H)), b)
    c_prev = np.array([[0.3, -0.7]])
    _, c_t = lstm_step(np.ones((1, 1)), np.zeros((1, H)), c_prev, p)
    np.testing.assert_allclose(c_t, c_prev, rtol=1e-12)


def test_forward_is_the_step_repeated(params):
    x = np.random.default_rng(2).standard_normal((5, 6, 3))
    h0, c0 = np.random.default_rng(3).standard_normal((2, 5, 4))
    hs, (h_T, c_T) = lstm_forward(x, params, h0, c0)
    assert hs.shape == (5, 6, 4) and c_T.shape == (5, 4)
    h, c = h0, c0
    for t in range(6):
        h, c = lstm_step(x[:, t], h, c, params)
        np.testing.assert_allclose(hs[:, t], h, rtol=1e-13)
    np.testing.assert_allclose(c_T, c, rtol=1e-13)
    np.testing.assert_array_equal(h_T, hs[:, -1])


def test_hidden_state_is_bounded(params):
    hs, (_, c_T) = lstm_forward(100 * np.ones((2, 20, 3)), params)
    assert np.all(np.abs(hs) < 1)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_dtype_in_is_dtype_out(params, dtype):
    hs, (h_T, c_T) = lstm_forward(np.ones((2, 3, 3), dtype), params)
    assert hs.dtype == h_T.dtype == c_T.dtype == dtype


@pytest.mark.parametrize(
    "x, h0, c0, message",
    [
        (np.ones((3, 3)), None, None, r"x must have shape \(N, T, D=3\) \(3-D\); got \(3, 3\)"),
        (np.ones((2, 3, 2)), None, None, r"x must have shape \(N, T, D=3\); got \(2, 3, 2\)"),
        (np.ones((2, 3, 3), dtype=np.int64), None, None, "floating-point"),
        (np.full((2, 3, 3), np.nan), None, None, "x contains NaN"),
        (np.ones((2, 3, 3)), np.ones((2, 5)), None, r"h0 must have shape \(N=2, H=4\); got \(2, 5\)"),
        (np.ones((2, 3, 3)), None, np.ones((1, 4)), r"c0 must have shape \(N=2, H=4\); got \(1, 4\)"),
    ],
)
def test_forward_refuses_bad_input(params, x, h0, c0, message):
    with pytest.raises(ValueError, match=message):
        lstm_forward(x, params, h0, c0)


def test_step_refuses_bad_input(params):
    with pytest.raises(ValueError, match=r"c_prev must have shape \(N=2, H=4\)"):
        lstm_step(np.ones((2, 3)), np.ones((2, 4)), np.ones(4), params)
    with pytest.raises(ValueError, match="params must be an LSTMParams"):
        lstm_forward(np.ones((2, 3, 3)), None)
