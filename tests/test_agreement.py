"""companion.agreement: pairwise differences and the TF1-style RNN."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import RNNParams, rnn_forward
from companion.agreement import (
    agreement_table,
    assign_tf1_rnn,
    build_tf1_rnn,
    diff_per_step,
    pairwise_max_diffs,
    run_tf1_rnn,
)
from companion.tf1 import HParams


def test_pairwise_covers_every_pair_once_in_order():
    a = np.zeros((2, 3, 4))
    outputs = {"a": a, "b": a + 1e-3, "c": a - 2e-3}
    diffs = pairwise_max_diffs(outputs)
    assert list(diffs) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert diffs[("a", "b")] == pytest.approx(1e-3) and diffs[("b", "c")] == pytest.approx(3e-3)


@settings(max_examples=20, deadline=None)
@given(k=st.integers(2, 6))
def test_number_of_pairs(k):
    outputs = {f"m{j}": np.full((1, 2, 1), float(j)) for j in range(k)}
    assert len(pairwise_max_diffs(outputs)) == k * (k - 1) // 2


def test_table_prints_the_bound_not_the_value():
    a = np.zeros((2, 3, 4), np.float32)
    table = agreement_table({"NumPy": a, "nn.LSTM": a + np.float32(3.3e-8)}, tol=1e-6)
    lines = table.splitlines()
    assert lines[0].split() == ["output", "of", "compared", "with", "max", "|difference|"]
    assert lines[1].split() == ["NumPy", "nn.LSTM", "<", "1e-06"]
    assert "3.3" not in table


def test_table_fails_and_names_the_pair():
    a = np.zeros((1, 2, 2))
    with pytest.raises(AssertionError, match=r"not below 1e-06: a vs c: 1\.000e-03"):
        agreement_table({"a": a, "b": a, "c": a + 1e-3}, tol=1e-6)
    with pytest.raises(ValueError, match="tol must be a positive number"):
        agreement_table({"a": a, "b": a}, tol=0)


def test_outputs_are_checked():
    with pytest.raises(ValueError, match="at least 2 entries"):
        pairwise_max_diffs({"a": np.zeros(3)})
    with pytest.raises(ValueError, match=r"outputs\['b'\] has shape \(2,\), but outputs\['a'\] has \(3,\)"):
        pairwise_max_diffs({"a": np.zeros(3), "b": np.zeros(2)})


def test_diff_per_step():
    a = np.zeros((2, 4, 3))
    b = a.copy()
    b[1, 2, 0] = -0.5
    b[0, 3, 2] = 1e-7
    np.testing.assert_allclose(diff_per_step(a, b), [0, 0, 0.5, 1e-7])
    with pytest.raises(ValueError, match=r"b must have shape \(N=2, T=4, H=3\)"):
        diff_per_step(a, np.zeros((2, 5, 3)))


tf = pytest.importorskip("tensorflow")


@pytest.fixture(scope="module")
def model():
    return build_tf1_rnn(HParams(num_embedding_size=3, num_lstm_nodes=[4], batch_size=2, num_timesteps=5))


def test_graph_has_the_posts_layout(model):
    every = {v.op.name: v.shape.as_list() for v in model.graph.get_collection("variables")}
    trainable = [v.op.name for v in model.graph.get_collection("trainable_variables")]
    assert trainable == ["rnn_nn/x_weights", "rnn_nn/h_weights", "rnn_nn/biases"]
    assert every == {"rnn_nn/x_weights": [3, 4], "rnn_nn/h_weights": [4, 4], "rnn_nn/biases": [1, 4], "rnn_nn/h": [2, 4]}
    assert len(model.hs) == 5 and model.last_h is model.hs[-1]
    assert tf.executing_eagerly()


def test_loaded_graph_matches_rnn_forward(model):
    rng = np.random.default_rng(0)
    params = RNNParams.random(3, 4, rng, dtype=np.float32)
    x = rng.standard_normal((2, 5, 3)).astype(np.float32)
    with tf.compat.v1.Session(graph=model.graph) as sess:
        sess.run(model.init)
        before = run_tf1_rnn(model, sess, x)
        assign_tf1_rnn(params, model, sess)
        hs = run_tf1_rnn(model, sess, x)
        assert np.array_equal(sess.run(model.weights["biases"]), params.b_h.reshape(1, 4))
    assert hs.shape == (2, 5, 4) and hs.dtype == np.float32
    np.testing.assert_allclose(hs, rnn_forward(x, params)[0], atol=1e-6)
    assert np.abs(before - hs).max() > 1e-3  # the assignment changed something


def test_tf1_rnn_checks_its_arguments(model):
    with pytest.raises(ValueError, match="hps must be a companion.tf1.HParams"):
        build_tf1_rnn({"batch_size": 2})
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        build_tf1_rnn(HParams(3, [4], 2, 5), seed=-1)
    wrong = RNNParams.random(3, 5, np.random.default_rng(0))
    with tf.compat.v1.Session(graph=model.graph) as sess:
        sess.run(model.init)
        with pytest.raises(ValueError, match=r"params have D=3, H=5 but the graph was built with D=3, H=4"):
            assign_tf1_rnn(wrong, model, sess)
        with pytest.raises(ValueError, match=r"x must have shape \(N=2, T=5, D=3\)"):
            run_tf1_rnn(model, sess, np.zeros((2, 4, 3), np.float32))
    with pytest.raises(ValueError, match="model must be what build_tf1_rnn returns"):
        run_tf1_rnn("model", None, np.zeros((2, 5, 3), np.float32))


def test_importing_agreement_loads_no_framework():
    import subprocess
    import sys

    code = "import sys, companion.agreement; print(any(m in sys.modules for m in ('tensorflow', 'keras', 'torch')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
