"""companion.convert.tf1_weights: the TF1 layouts (per gate, and the RNN's one set), round trips and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import LSTMParams, RNNParams, lstm_forward
from companion.convert import from_tf1, to_tf1
from companion.tf1_graph import GATE_SCOPES

SIZES = st.tuples(st.integers(1, 7), st.integers(1, 7), st.integers(0, 2**16))


def one_set_shapes(D, H):
    """The TF1 layout of one set of weights: the RNN's, or one LSTM gate's."""
    return {"x_weights": (D, H), "h_weights": (H, H), "biases": (1, H)}


def assert_same_params(back, params):
    for name, value in params.as_dict().items():
        np.testing.assert_array_equal(back.as_dict()[name], value)


@pytest.mark.parametrize("cls", [RNNParams, LSTMParams])
@settings(max_examples=25, deadline=None)
@given(SIZES)
def test_numpy_round_trip(cls, sizes):
    """RNNParams give one set of weights, LSTMParams one set per gate scope;
    from_tf1 gives back the same class and the same arrays."""
    D, H, seed = sizes
    params = cls.random(D, H, np.random.default_rng(seed))
    weights = to_tf1(params)
    if cls is LSTMParams:
        assert set(weights) == set(GATE_SCOPES)
        sets = list(weights.values())
    else:
        sets = [weights]
    for one in sets:
        assert {k: v.shape for k, v in one.items()} == one_set_shapes(D, H)
    back = from_tf1(weights)
    assert type(back) is cls
    assert_same_params(back, params)


def test_scopes_map_to_the_right_gates():
    params = LSTMParams.random(2, 3, np.random.default_rng(0))
    gates = to_tf1(params)
    for scope, letter in [
        ("inputs", "i"),
        ("forget", "f"),
        ("memory", "g"),
        ("outputs", "o"),
    ]:
        W_x, W_h, b = params.gate(letter)
        np.testing.assert_array_equal(gates[scope]["x_weights"], W_x)
        np.testing.assert_array_equal(gates[scope]["h_weights"], W_h)
        np.testing.assert_array_equal(gates[scope]["biases"][0], b)


def test_biases_may_be_flat():
    params = LSTMParams.random(2, 3, np.random.default_rng(0))
    gates = {
        k: dict(v, biases=v["biases"][0]) for k, v in to_tf1(params).items()
    }
    np.testing.assert_array_equal(from_tf1(gates).b, params.b)


def test_errors_name_what_is_wrong():
    params = LSTMParams.random(2, 3, np.random.default_rng(0))
    gates = to_tf1(params)
    with pytest.raises(
        ValueError, match="weights must be a dict with the keys"
    ):
        from_tf1({k: v for k, v in gates.items() if k != "memory"})
    bad = dict(gates, forget=dict(gates["forget"], h_weights=np.zeros((3, 4))))
    with pytest.raises(
        ValueError,
        match=r"weights\['forget'\]\['h_weights'\] must have shape \(H=3, H=3\)",
    ):
        from_tf1(bad)
    bad = dict(gates, outputs={"x_weights": gates["outputs"]["x_weights"]})
    with pytest.raises(
        ValueError, match=r"weights\['outputs'\] must be a dict with the keys"
    ):
        from_tf1(bad)
    with pytest.raises(
        ValueError, match="params must be an RNNParams or LSTMParams; got dict"
    ):
        to_tf1(gates)


def test_session_round_trip_and_forward():
    tf = pytest.importorskip("tensorflow")
    from companion.tf1_graph import HParams, build_tf1_lstm, run_tf1

    rng = np.random.default_rng(3)
    model = build_tf1_lstm(
        HParams(
            num_embedding_size=3,
            num_lstm_nodes=[4],
            batch_size=2,
            num_timesteps=5,
        )
    )
    params = LSTMParams.random(3, 4, rng, dtype=np.float32)
    x = rng.standard_normal((2, 5, 3)).astype(np.float32)
    with tf.compat.v1.Session(graph=model.graph) as sess:
        sess.run(model.init)
        to_tf1(params, sess)
        back = from_tf1(sess)
        hs = run_tf1(model, sess, x)
        with pytest.raises(
            ValueError, match=r"has shape \(3, 4\) but params give \(2, 4\)"
        ):
            to_tf1(LSTMParams.random(2, 4, rng), sess)
        with pytest.raises(
            ValueError, match="has no variable 'rnn/inputs/x_weights'"
        ):
            to_tf1(params, sess, scope="rnn")
        with pytest.raises(ValueError, match="lacks the variables"):
            from_tf1(sess, scope="rnn")
    assert_same_params(back, params)
    np.testing.assert_allclose(hs, lstm_forward(x, params)[0], atol=1e-5)
    with pytest.raises(
        ValueError, match="session must be a tf.compat.v1.Session"
    ):
        to_tf1(params, session="sess")
