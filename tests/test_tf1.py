"""companion.tf1: the hand-unrolled TF1-style LSTM."""
import numpy as np
import pytest

from companion.tf1 import GATE_SCOPES, HParams, build_tf1_lstm, run_tf1_lstm

tf = pytest.importorskip("tensorflow")


@pytest.fixture(scope="module")
def model():
    return build_tf1_lstm(HParams(num_embedding_size=3, num_lstm_nodes=[4], batch_size=2, num_timesteps=5))


def test_graph_has_the_posts_variables(model):
    trainable = [v.op.name for v in model.graph.get_collection("trainable_variables")]
    assert trainable == [f"lstm_nn/{g}/{v}" for g in GATE_SCOPES for v in ("x_weights", "h_weights", "biases")]
    every = {v.op.name: v for v in model.graph.get_collection("variables")}
    for name in ("lstm_nn/state", "lstm_nn/h"):
        assert name in every and name not in trainable
        assert every[name].shape.as_list() == [2, 4]
    assert every["lstm_nn/forget/x_weights"].shape.as_list() == [3, 4]
    assert every["lstm_nn/forget/biases"].shape.as_list() == [1, 4]
    assert len(model.hs) == 5 and model.last_h is model.hs[-1]


def test_initial_weights_and_a_run(model):
    from companion import lstm_forward
    from companion.convert import from_tf1

    x = np.random.default_rng(0).standard_normal((2, 5, 3)).astype(np.float32)
    with tf.compat.v1.Session(graph=model.graph) as sess:
        sess.run(model.init)
        params = from_tf1(sess)
        hs = run_tf1_lstm(model, sess, x)
        hs_again = run_tf1_lstm(model, sess, x)  # state and h start at zero every run
    assert np.all(params.b == 0) and np.all(np.abs(params.W_x) <= 0.5)
    np.testing.assert_allclose(hs, lstm_forward(x, params)[0], atol=1e-5)
    np.testing.assert_array_equal(hs, hs_again)


def test_eager_mode_is_left_on(model):
    assert tf.executing_eagerly()


def test_hparams_are_checked():
    with pytest.raises(ValueError, match="num_lstm_nodes must be a list with one layer size"):
        HParams(num_embedding_size=3, num_lstm_nodes=[4, 4], batch_size=2, num_timesteps=5)
    with pytest.raises(ValueError, match="num_lstm_nodes must be a list with one layer size"):
        HParams(num_embedding_size=3, num_lstm_nodes=4, batch_size=2, num_timesteps=5)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        HParams(num_embedding_size=3, num_lstm_nodes=[4], batch_size=0, num_timesteps=5)
    assert HParams(3, [4], 2, 5).units == 4
    with pytest.raises(ValueError, match="hps must be a companion.tf1.HParams"):
        build_tf1_lstm({"batch_size": 2})
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        build_tf1_lstm(HParams(3, [4], 2, 5), seed=-1)


def test_run_checks_x(model):
    with tf.compat.v1.Session(graph=model.graph) as sess:
        sess.run(model.init)
        with pytest.raises(ValueError, match=r"x must have shape \(N=2, T=5, D=3\)"):
            run_tf1_lstm(model, sess, np.zeros((3, 5, 3), np.float32))
    with pytest.raises(ValueError, match="model must be what build_tf1_lstm returns"):
        run_tf1_lstm("model", None, np.zeros((2, 5, 3), np.float32))


def test_importing_the_builder_and_converters_loads_no_tensorflow():
    import subprocess
    import sys

    code = "import sys, companion.tf1, companion.convert; print(any(m in sys.modules for m in ('tensorflow', 'keras')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
