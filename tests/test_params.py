import numpy as np
import pytest

from companion import CELLS, GATES, LSTMParams, RNNParams


@pytest.mark.parametrize("kind, k", [("rnn", 1), ("lstm", 4), ("gru", 3)])
def test_params_report_sizes_and_are_seeded(kind, k):
    cls = CELLS[kind].params
    a = cls.random(3, 5, np.random.default_rng(1))
    b = cls.random(3, 5, np.random.default_rng(1))
    assert (a.D, a.H) == (3, 5)
    W_x, W_h, bias = list(a.as_dict().values())[:3]
    assert (W_x.shape, W_h.shape, bias.shape) == (
        (3, 5 * k),
        (5, 5 * k),
        (5 * k,),
    )
    for x, y in zip(a.as_dict().values(), b.as_dict().values()):
        np.testing.assert_array_equal(x, y)
    assert np.all(np.abs(W_x) <= 1 / np.sqrt(5))


def test_lstm_gate_slices():
    p = LSTMParams.random(2, 3, np.random.default_rng(0))
    for k, name in enumerate(GATES):
        W_x, W_h, b = p.gate(name)
        np.testing.assert_array_equal(W_x, p.W_x[:, 3 * k : 3 * (k + 1)])
        np.testing.assert_array_equal(W_h, p.W_h[:, 3 * k : 3 * (k + 1)])
        np.testing.assert_array_equal(b, p.b[3 * k : 3 * (k + 1)])
    with pytest.raises(ValueError, match="name must be one of"):
        p.gate("c")


def test_astype_changes_dtype():
    p = LSTMParams.random(2, 3, np.random.default_rng(0)).astype(np.float32)
    assert p.W_x.dtype == p.W_h.dtype == p.b.dtype == np.float32
    assert type(p) is LSTMParams and (p.D, p.H) == (2, 3)
    with pytest.raises(ValueError, match="dtype must be a floating-point"):
        p.astype(np.int64)


def test_astype_does_not_check_again(monkeypatch):
    """The parameters were checked when built: a forward pass, which casts
    them at every call, does not pay for the checks again."""
    p = RNNParams.random(2, 3, np.random.default_rng(0))
    calls = []
    monkeypatch.setattr(
        RNNParams, "__post_init__", lambda self: calls.append(self)
    )
    q = p.astype(np.float32)
    assert calls == [] and q.W_xh.dtype == np.float32
    RNNParams(p.W_xh, p.W_hh, p.b_h)  # construction still checks
    assert len(calls) == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (
            (np.zeros((3, 4)), np.zeros((5, 5)), np.zeros(4)),
            r"W_hh must have shape \(H=4, H=4\); got \(5, 5\)",
        ),
        (
            (np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(5)),
            r"b_h must have shape \(H=4,\); got \(5,\)",
        ),
        (
            (np.zeros(3), np.zeros((4, 4)), np.zeros(4)),
            r"W_xh must have shape \(D, H\)",
        ),
        (
            (np.zeros((3, 4), int), np.zeros((4, 4)), np.zeros(4)),
            "W_xh must hold floating-point",
        ),
        (
            (np.full((3, 4), np.nan), np.zeros((4, 4)), np.zeros(4)),
            "W_xh contains NaN",
        ),
    ],
)
def test_rnn_params_refuse_bad_shapes(args, message):
    with pytest.raises(ValueError, match=message):
        RNNParams(*args)


@pytest.mark.parametrize(
    "args, message",
    [
        (
            (np.zeros((3, 10)), np.zeros((2, 10)), np.zeros(10)),
            "divisible by 4",
        ),
        (
            (np.zeros((3, 8)), np.zeros((3, 8)), np.zeros(8)),
            r"W_h must have shape \(H=2, 4H=8\); got \(3, 8\)",
        ),
        (
            (np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(4)),
            r"b must have shape \(4H=8,\)",
        ),
    ],
)
def test_lstm_params_refuse_bad_shapes(args, message):
    with pytest.raises(ValueError, match=message):
        LSTMParams(*args)


@pytest.mark.parametrize("D, H", [(0, 3), (3, -1), (2.5, 3), (True, 3)])
def test_random_refuses_bad_sizes(D, H):
    with pytest.raises(ValueError, match="must be a positive integer"):
        RNNParams.random(D, H, np.random.default_rng(0))


def test_random_needs_a_generator():
    with pytest.raises(
        ValueError, match="rng must be a numpy.random.Generator"
    ):
        LSTMParams.random(2, 3, rng=0)


def test_random_refuses_a_bad_scale():
    with pytest.raises(ValueError, match="scale must be a positive number"):
        RNNParams.random(2, 3, np.random.default_rng(0), scale=0)
