"""companion.keras_cells: the corrected cells agree with Keras and NumPy; each S1 bug fails."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

keras = pytest.importorskip("keras")

from companion import LSTMParams, RNNParams, lstm_forward, rnn_forward, seed_everything  # noqa: E402
from companion.convert import to_keras  # noqa: E402
from companion.keras_cells import LSTM_BUGS, LSTMCell, RNNCell, S1BuggyLSTMCell, S1BuggyRNNCell  # noqa: E402


def run(cell, x, params=None, **load):
    layer = keras.layers.RNN(cell, return_sequences=True)
    layer.build((None,) + x.shape[1:])
    if params is not None:
        cell.load_params(params, **load)
    return np.asarray(layer(x))


def data(N, T, D, seed=0):
    return np.random.default_rng(seed).standard_normal((N, T, D)).astype(np.float32)


@settings(max_examples=8, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**16))
def test_rnn_cell_matches_numpy_and_simple_rnn(D, H, seed):
    rng = np.random.default_rng(seed)
    params = RNNParams.random(D, H, rng, dtype=np.float32)
    x = data(3, 4, D, seed)
    ours = run(RNNCell(H), x, params)
    ref = rnn_forward(x, params)[0]
    simple = keras.layers.SimpleRNN(H, return_sequences=True)
    simple.build((None, 4, D))
    np.testing.assert_allclose(ours, ref, atol=1e-5)
    np.testing.assert_allclose(ours, np.asarray(to_keras(params, simple)(x)), atol=1e-5)


@settings(max_examples=8, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**16))
def test_lstm_cell_matches_numpy_and_keras_lstm(D, H, seed):
    rng = np.random.default_rng(seed)
    params = LSTMParams.random(D, H, rng, dtype=np.float32)
    x = data(3, 4, D, seed)
    cell = LSTMCell(H)
    ours = run(cell, x, params)
    assert tuple(cell.w_f.shape) == (H + D, H)
    lstm = keras.layers.LSTM(H, return_sequences=True)
    lstm.build((None, 4, D))
    np.testing.assert_allclose(ours, lstm_forward(x, params)[0], atol=1e-5)
    np.testing.assert_allclose(ours, np.asarray(to_keras(params, lstm)(x)), atol=1e-5)
    for name, value in cell.to_params().as_dict().items():
        np.testing.assert_array_equal(value, params.as_dict()[name])


def test_rnn_readout_keeps_h_as_state_but_s1_feeds_y_back():
    rng = np.random.default_rng(0)
    params = RNNParams.random(3, 4, rng, dtype=np.float32)
    W_hy = rng.uniform(-1, 1, (4, 4)).astype(np.float32)
    b_y = rng.uniform(-1, 1, 4).astype(np.float32)
    x = data(2, 6, 3)
    expected = rnn_forward(x, params)[0] @ W_hy + b_y  # y_t = h_t W_hy + b_y
    fixed = run(RNNCell(4, readout=True), x, params, W_hy=W_hy, b_y=b_y)
    buggy = run(S1BuggyRNNCell(4), x, params, W_hy=W_hy, b_y=b_y)
    np.testing.assert_allclose(fixed, expected, atol=1e-5)
    np.testing.assert_allclose(buggy[:, 0], expected[:, 0], atol=1e-5)  # step 1 starts from h_0 = 0 either way
    assert np.abs(buggy[:, 1:] - expected[:, 1:]).max() > 0.1  # from step 2 on it has fed y back


def test_weight_shape_bug_fails_unless_input_dim_equals_units():
    x = data(2, 5, 3)
    with pytest.raises(Exception, match="Matrix size-incompatible|Incompatible shapes|shape"):
        run(S1BuggyLSTMCell(2, bug="weight_shape"), x)
    run(LSTMCell(2), x)  # the fix: (input_dim + units, units)
    seed_everything(0)
    params = LSTMParams.random(3, 3, np.random.default_rng(0), dtype=np.float32)
    lucky = run(S1BuggyLSTMCell(3, bug="weight_shape"), x, params)  # 2 * 3 == 3 + 3
    np.testing.assert_allclose(lucky, lstm_forward(x, params)[0], atol=1e-5)


def test_reversed_dot_fails_and_fix_works():
    x = data(2, 5, 3)
    with pytest.raises(Exception, match="Matrix size-incompatible|Incompatible shapes|shape"):
        run(S1BuggyLSTMCell(4, bug="reversed_dot"), x)
    assert run(LSTMCell(4), x).shape == (2, 5, 4)


def test_bare_b_o_is_a_name_error():
    x = data(2, 5, 3)
    with pytest.raises(NameError, match="name 'b_o' is not defined"):
        run(S1BuggyLSTMCell(4, bug="bare_b_o"), x)
    assert run(LSTMCell(4), x).shape == (2, 5, 4)


def test_one_state_size_cannot_carry_two_states():
    x = data(2, 5, 3)
    with pytest.raises(ValueError, match=r"not enough values to unpack \(expected 2, got 1\)"):
        run(S1BuggyLSTMCell(4, bug="state_size"), x)
    cell = LSTMCell(4)
    assert cell.state_size == [4, 4]
    _, h, c = keras.layers.RNN(cell, return_state=True)(x)
    assert h.shape == c.shape == (2, 4)


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="bug must be one of"):
        S1BuggyLSTMCell(3, bug="typo")
    assert set(LSTM_BUGS) == {"weight_shape", "reversed_dot", "bare_b_o", "state_size"}
    with pytest.raises(ValueError, match="units must be a positive integer"):
        LSTMCell(0)
    cell = LSTMCell(3)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="an unbuilt cell"):
        cell.load_params(LSTMParams.random(2, 3, rng))
    run(cell, data(1, 2, 2))
    with pytest.raises(ValueError, match=r"\(H \+ D, H\) = \(7, 3\)"):
        cell.load_params(LSTMParams.random(4, 3, rng))
    with pytest.raises(ValueError, match="params must be an LSTMParams"):
        cell.load_params(RNNParams.random(2, 3, rng))
    rnn = RNNCell(3, readout=True)
    run(rnn, data(1, 2, 2))
    with pytest.raises(ValueError, match="readout=True also needs W_hy"):
        rnn.load_params(RNNParams.random(2, 3, rng))
    with pytest.raises(ValueError, match="params must be an RNNParams"):
        rnn.load_params(LSTMParams.random(2, 3, rng))
