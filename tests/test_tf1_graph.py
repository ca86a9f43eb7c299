"""companion.tf1_graph: the hand-unrolled TF1-style LSTM and RNN, one builder, one runner."""

import numpy as np
import pytest

from companion import LSTMParams, RNNParams, lstm_forward, rnn_forward
from companion.tf1_graph import (
    GATE_SCOPES,
    VARIABLES,
    HParams,
    TF1Graph,
    build_tf1_lstm,
    build_tf1_rnn,
    run_tf1,
)

HPS = HParams(
    num_embedding_size=3, num_lstm_nodes=[4], batch_size=2, num_timesteps=5
)


LIST_OF_ONE = "num_lstm_nodes must be a list with one layer size"


@pytest.mark.parametrize(
    "num_lstm_nodes, batch_size, message",
    [
        ([4, 4], 2, LIST_OF_ONE),
        (4, 2, LIST_OF_ONE),
        ([4], 0, "batch_size must be a positive integer"),
    ],
)
def test_hparams_are_checked(num_lstm_nodes, batch_size, message):
    with pytest.raises(ValueError, match=message):
        HParams(
            num_embedding_size=3,
            num_lstm_nodes=num_lstm_nodes,
            batch_size=batch_size,
            num_timesteps=5,
        )
    assert HParams(3, [4], 2, 5).units == 4


@pytest.mark.parametrize("build", [build_tf1_lstm, build_tf1_rnn])
def test_builders_check_their_arguments(build):
    with pytest.raises(ValueError, match="hps must be an HParams"):
        build({"batch_size": 2})
    with pytest.raises(
        ValueError, match="seed must be a non-negative integer"
    ):
        build(HPS, seed=-1)
    with pytest.raises(ValueError, match="model must be a TF1Graph"):
        run_tf1("model", None, np.zeros((2, 5, 3), np.float32))


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


@pytest.fixture(scope="module")
def lstm_graph(tf):
    return build_tf1_lstm(HPS)


@pytest.fixture(scope="module")
def rnn_graph(tf):
    return build_tf1_rnn(HPS)


def test_lstm_graph_has_the_posts_variables(lstm_graph, tf):
    model = lstm_graph
    assert isinstance(model, TF1Graph) and model.cell == "lstm"
    trainable = [
        v.op.name for v in model.graph.get_collection("trainable_variables")
    ]
    assert trainable == [
        f"lstm_nn/{g}/{v}" for g in GATE_SCOPES for v in VARIABLES
    ]
    every = {v.op.name: v for v in model.graph.get_collection("variables")}
    for name in ("lstm_nn/state", "lstm_nn/h"):
        assert name in every and name not in trainable
        assert every[name].shape.as_list() == [2, 4]
    assert every["lstm_nn/forget/x_weights"].shape.as_list() == [3, 4]
    assert every["lstm_nn/forget/biases"].shape.as_list() == [1, 4]
    assert len(model.hs) == 5 and model.last_h is model.hs[-1]
    assert tf.executing_eagerly()  # the graph lives beside eager mode


def test_rnn_graph_has_the_posts_layout(rnn_graph, tf):
    model = rnn_graph
    every = {
        v.op.name: v.shape.as_list()
        for v in model.graph.get_collection("variables")
    }
    trainable = [
        v.op.name for v in model.graph.get_collection("trainable_variables")
    ]
    assert trainable == [
        "rnn_nn/x_weights",
        "rnn_nn/h_weights",
        "rnn_nn/biases",
    ]
    assert every == {
        "rnn_nn/x_weights": [3, 4],
        "rnn_nn/h_weights": [4, 4],
        "rnn_nn/biases": [1, 4],
        "rnn_nn/h": [2, 4],
    }
    assert (
        model.cell == "rnn"
        and len(model.hs) == 5
        and model.last_h is model.hs[-1]
    )


def test_initial_weights_and_a_run(lstm_graph, tf):
    from companion.convert import from_tf1

    x = np.random.default_rng(0).standard_normal((2, 5, 3)).astype(np.float32)
    with tf.compat.v1.Session(graph=lstm_graph.graph) as sess:
        sess.run(lstm_graph.init)
        params = from_tf1(sess)
        hs = run_tf1(lstm_graph, sess, x)
        hs_again = run_tf1(
            lstm_graph, sess, x
        )  # state and h start at zero every run
    assert np.all(params.b == 0) and np.all(np.abs(params.W_x) <= 0.5)
    np.testing.assert_allclose(hs, lstm_forward(x, params)[0], atol=1e-5)
    np.testing.assert_array_equal(hs, hs_again)


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
def test_loaded_graph_matches_the_numpy_forward(
    cell, lstm_graph, rnn_graph, tf
):
    from companion.convert import from_tf1, to_tf1

    model, cls, forward = {
        "lstm": (lstm_graph, LSTMParams, lstm_forward),
        "rnn": (rnn_graph, RNNParams, rnn_forward),
    }[cell]
    rng = np.random.default_rng(0)
    params = cls.random(3, 4, rng, dtype=np.float32)
    x = rng.standard_normal((2, 5, 3)).astype(np.float32)
    with tf.compat.v1.Session(graph=model.graph) as sess:
        sess.run(model.init)
        before = run_tf1(model, sess, x)
        to_tf1(params, sess)
        hs = run_tf1(model, sess, x)
        back = from_tf1(sess, scope=f"{cell}_nn")
        with pytest.raises(
            ValueError, match=r"x must have shape \(N=2, T=5, D=3\)"
        ):
            run_tf1(model, sess, np.zeros((2, 4, 3), np.float32))
    assert hs.shape == (2, 5, 4) and hs.dtype == np.float32
    np.testing.assert_allclose(hs, forward(x, params)[0], atol=1e-5)
    assert np.abs(before - hs).max() > 1e-3  # the assignment changed something
    for name, value in params.as_dict().items():
        np.testing.assert_array_equal(back.as_dict()[name], value)
