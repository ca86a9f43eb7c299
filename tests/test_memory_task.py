import numpy as np
import pytest

from companion.memory_task import (
    recall_accuracy,
    recall_model,
    recall_sequences,
    train_recall,
)


def test_sequences_layout():
    X, y = recall_sequences(
        50, 6, np.random.default_rng(0), n_classes=3, noise=2.0
    )
    assert (
        X.shape == (50, 7, 4)
        and X.dtype == np.float32
        and y.shape == (50,)
        and y.dtype == np.int64
    )
    np.testing.assert_array_equal(
        X[:, 0, :3].argmax(axis=1), y
    )  # step 0: one-hot class
    np.testing.assert_array_equal(X[:, 0, :3].sum(axis=1), 1.0)
    np.testing.assert_array_equal(
        X[:, :, 3], np.eye(7)[0][None].repeat(50, axis=0)
    )  # marker only at step 0
    assert 1.5 < X[:, 1:, :3].std() < 2.5  # distractors: noise of std 2
    assert set(np.unique(y)) == {0, 1, 2}


def test_sequences_are_seeded():
    a = recall_sequences(10, 3, np.random.default_rng(1))
    b = recall_sequences(10, 3, np.random.default_rng(1))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 0}, "n must be a positive integer"),
        ({"k": 2.5}, "k must be a positive integer"),
        ({"n_classes": 1}, "n_classes must be at least 2"),
        ({"noise": -1.0}, "noise must be a positive number"),
        ({"rng": 0}, "rng must be a numpy.random.Generator"),
    ],
)
def test_sequences_refuse_bad_arguments(kwargs, message):
    args = {"n": 4, "k": 3, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(ValueError, match=message):
        recall_sequences(**args)


@pytest.fixture(scope="module")
def torch():
    """The tests below need PyTorch; the ones above are NumPy only and always run."""
    return pytest.importorskip("torch")


def test_model_shapes_and_forget_bias(torch):
    torch.manual_seed(0)
    model = recall_model("lstm", 3, 5, 2, forget_bias=4.0)
    assert model(torch.zeros(7, 6, 3)).shape == (7, 2)
    assert (model.rnn.bias_ih_l0[5:10] == 4.0).all() and (
        model.rnn.bias_hh_l0[5:10] == 0
    ).all()
    assert not (model.rnn.bias_ih_l0[:5] == 4.0).any()
    with pytest.raises(ValueError, match="forget_bias is for cell='lstm'"):
        recall_model("rnn", 3, 5, 2, forget_bias=1.0)
    with pytest.raises(
        ValueError, match="forget_bias is for cell='lstm'; got cell='gru'"
    ):
        recall_model("gru", 3, 5, 2, forget_bias=1.0)
    with pytest.raises(
        ValueError, match="cell must be one of 'rnn', 'lstm', 'gru'"
    ):
        recall_model("cnn", 3, 5, 2)
    with pytest.raises(  # minlstm: registered, but with no torch module
        ValueError,
        match="cell must be one of 'rnn', 'lstm', 'gru', 'mingru'; got 'minlstm'",
    ):
        recall_model("minlstm", 3, 5, 2)
    gru = recall_model("gru", 3, 5, 2)
    assert isinstance(gru.rnn, torch.nn.GRU) and gru(
        torch.zeros(7, 6, 3)
    ).shape == (7, 2)


def test_training_is_deterministic_and_learns_a_short_gap(torch):
    X, y = recall_sequences(256, 2, np.random.default_rng(0))
    X_test, y_test = recall_sequences(200, 2, np.random.default_rng(1))
    runs = [
        train_recall(
            "lstm",
            X,
            y,
            hidden_size=8,
            steps=100,
            lr=0.02,
            forget_bias=1.0,
            seed=3,
        )
        for _ in range(2)
    ]
    assert runs[0][1] == runs[1][1]  # the same loss at every step
    assert recall_accuracy(runs[0][0], X_test, y_test) > 0.9
    assert runs[0][1][-1] < runs[0][1][0]


def test_accuracy_counts_argmax_hits(torch):
    class Fixed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(1))

        def forward(self, x):
            return (
                x[:, 0, :2] + self.w
            )  # scores = the one-hot class: always right

    X, y = recall_sequences(30, 4, np.random.default_rng(2))
    assert recall_accuracy(Fixed(), X, y) == 1.0
    assert recall_accuracy(Fixed(), X, 1 - y) == 0.0


def test_training_refuses_bad_data(torch):
    X, y = recall_sequences(8, 2, np.random.default_rng(0))
    with pytest.raises(
        ValueError, match=r"y must be an int array of shape \(N=8,\)"
    ):
        train_recall("rnn", X, y[:5], steps=1)
    with pytest.raises(ValueError, match=r"X must have shape \(N, T, D\)"):
        train_recall("rnn", X[0], y, steps=1)
    with pytest.raises(ValueError, match="lr must be a positive number"):
        train_recall("rnn", X, y, steps=1, lr=0)


@pytest.mark.parametrize("cell, k", [("rnn", 1), ("gru", 3), ("lstm", 4)])
def test_keras_init_matches_keras_defaults(torch, cell, k):
    D, H = 3, 32
    torch.manual_seed(0)
    rnn = recall_model(cell, D, H, 2, init="keras").rnn
    kernel = rnn.weight_ih_l0.detach().numpy().T  # Keras' kernel (D, kH)
    recurrent = rnn.weight_hh_l0.detach().numpy().T  # (H, kH)
    # Glorot-uniform: uniform in +-sqrt(6 / (D + kH)), variance limit**2 / 3
    limit = np.sqrt(6 / (D + k * H))
    assert kernel.shape == (D, k * H)
    assert np.abs(kernel).max() <= limit
    assert np.abs(kernel).max() > 0.95 * limit
    assert abs(kernel.std() / (limit / np.sqrt(3)) - 1) < 0.1
    # orthogonal (H, kH): orthonormal rows
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(H), atol=1e-5)
    if k > 1:  # not the identity on any one block
        assert (
            np.abs(recurrent[:, :H] @ recurrent[:, :H].T - np.eye(H)).max()
            > 0.1
        )
    # zero biases, except the LSTM's forget block (unit_forget_bias)
    expected = np.zeros(k * H)
    if cell == "lstm":
        expected[H : 2 * H] = 1.0
    np.testing.assert_array_equal(rnn.bias_ih_l0.detach().numpy(), expected)
    np.testing.assert_array_equal(rnn.bias_hh_l0.detach().numpy(), 0.0)


def test_torch_init_is_the_default_and_init_is_checked(torch):
    torch.manual_seed(0)
    a = recall_model("gru", 3, 5, 2)
    torch.manual_seed(0)
    b = recall_model("gru", 3, 5, 2, init="torch")
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)
    assert a.rnn.bias_hh_l0.abs().min() > 0  # PyTorch's uniform biases
    assert a.rnn.weight_ih_l0.abs().max() <= 1 / np.sqrt(5)
    with pytest.raises(
        ValueError, match="init must be one of 'torch', 'keras'; got 'tf'"
    ):
        recall_model("rnn", 3, 5, 2, init="tf")
    torch.manual_seed(0)
    lstm = recall_model("lstm", 3, 5, 2, forget_bias=4.0, init="keras")
    assert (lstm.rnn.bias_ih_l0[5:10] == 4.0).all()  # forget_bias wins


def test_train_recall_passes_init(torch):
    X, y = recall_sequences(16, 2, np.random.default_rng(0))
    model, _ = train_recall("lstm", X, y, hidden_size=4, steps=1, init="keras")
    model_t, _ = train_recall("lstm", X, y, hidden_size=4, steps=1)
    # one Adam step moves each bias by at most lr = 0.01
    b_hh = model.rnn.bias_hh_l0.detach().numpy()
    assert np.abs(b_hh).max() <= 0.011
    assert np.abs(model_t.rnn.bias_hh_l0.detach().numpy()).max() > 0.05
