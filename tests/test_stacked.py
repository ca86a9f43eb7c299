import dataclasses

import numpy as np
import pytest

import companion
from companion import LSTMParams, RNNParams, cells, rnn_forward
from companion.stacked import (
    bidirectional_forward,
    merge_directions,
    stacked_forward,
    stacked_param_count,
)

PARAMS = {name: cell.params for name, cell in cells.CELLS.items()}


def one_layer(cell, x, p):
    """(hs, final) as stacked_forward reports a layer: h_T, or (h_T, c_T)."""
    hs, *finals, _ = cells.CELLS[cell].forward(x, p)
    return hs, finals[0] if len(finals) == 1 else tuple(finals)


@pytest.mark.parametrize("cell", list(cells.CELLS))
def test_one_layer_stack_is_the_layer(cell):
    rng = np.random.default_rng(0)
    p = PARAMS[cell].random(3, 4, rng)
    x = rng.standard_normal((2, 5, 3))
    hs, finals = stacked_forward(x, [p], cell)
    expected_hs, expected_final = one_layer(cell, x, p)
    np.testing.assert_array_equal(hs, expected_hs)
    assert len(finals) == 1
    np.testing.assert_array_equal(
        np.asarray(finals[0]), np.asarray(expected_final)
    )


@pytest.mark.parametrize("cell", list(cells.CELLS))
def test_stack_feeds_each_layer_the_sequence_below(cell):
    rng = np.random.default_rng(1)
    layers = [
        PARAMS[cell].random(3, 4, rng),
        PARAMS[cell].random(4, 5, rng),
        PARAMS[cell].random(5, 2, rng),
    ]
    x = rng.standard_normal((2, 6, 3))
    hs, finals = stacked_forward(x, layers, cell)
    h = x
    for k, p in enumerate(layers):
        h, final = one_layer(cell, h, p)
        np.testing.assert_array_equal(np.asarray(finals[k]), np.asarray(final))
    np.testing.assert_array_equal(hs, h)
    assert hs.shape == (2, 6, 2)


def test_bidirectional_by_hand_for_an_rnn():
    rng = np.random.default_rng(2)
    fw, bw = RNNParams.random(3, 4, rng), RNNParams.random(3, 4, rng)
    x = rng.standard_normal((2, 5, 3))
    out, (h_fw, h_bw) = bidirectional_forward(x, fw, bw, "rnn")
    assert out.shape == (2, 5, 8)
    # backward: start from zeros at t = T-1 and walk down to t = 0
    h = np.zeros((2, 4))
    for t in reversed(range(5)):
        h = np.tanh(x[:, t] @ bw.W_xh + h @ bw.W_hh + bw.b_h)
        np.testing.assert_allclose(out[:, t, 4:], h, rtol=1e-13)
    np.testing.assert_allclose(
        h_bw, h, rtol=1e-13
    )  # the backward's last state is the one at t = 0
    np.testing.assert_array_equal(out[:, :, :4], rnn_forward(x, fw)[0])
    np.testing.assert_array_equal(h_fw, out[:, -1, :4])


def test_bidirectional_of_a_palindrome_with_equal_weights_is_symmetric():
    rng = np.random.default_rng(3)
    p = LSTMParams.random(2, 3, rng)
    half = rng.standard_normal((1, 3, 2))
    x = np.concatenate(
        [half, half[:, ::-1]], axis=1
    )  # reads the same both ways
    out, _ = bidirectional_forward(x, p, p, "lstm")
    np.testing.assert_allclose(out[:, :, :3], out[:, ::-1, 3:], rtol=1e-13)


@pytest.mark.parametrize("merge", ["sum", "ave", "mul", "concat"])
def test_merge_modes(merge):
    a, b = np.array([[1.0, 2.0]]), np.array([[3.0, 5.0]])
    expected = {
        "sum": [[4.0, 7.0]],
        "ave": [[2.0, 3.5]],
        "mul": [[3.0, 10.0]],
        "concat": [[1.0, 2.0, 3.0, 5.0]],
    }
    np.testing.assert_array_equal(
        merge_directions(a, b, merge), expected[merge]
    )


def test_bidirectional_stack_reads_2H_features(random_layers):
    rng = np.random.default_rng(4)
    layers = random_layers("rnn", 3, 4, 2, rng, bidirectional=True)
    x = rng.standard_normal((2, 5, 3))
    hs, finals = stacked_forward(x, layers, "rnn", bidirectional=True)
    first, _ = bidirectional_forward(x, *layers[0], "rnn")
    second, _ = bidirectional_forward(first, *layers[1], "rnn")
    np.testing.assert_array_equal(hs, second)
    assert hs.shape == (2, 5, 8) and len(finals) == 4


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda p, x: stacked_forward(x, [p], "lstm"),
            r"layers\[0\] must be an LSTMParams for cell='lstm'; got RNNParams",
        ),
        (
            lambda p, x: stacked_forward(x, [], "rnn"),
            "layers must be a non-empty list",
        ),
        (
            lambda p, x: stacked_forward(x, [p], "cnn"),
            "cell must be one of 'rnn', 'lstm', 'gru', 'mingru', 'minlstm'; "
            "got 'cnn'",
        ),
        (
            lambda p, x: stacked_forward(x[0], [p], "rnn"),
            r"x must have shape \(N, T, D=3\)",
        ),
        (
            lambda p, x: stacked_forward(x, [p, p], "rnn"),
            r"layers\[1\] must take the 4 features of the layer below \(D=4\); got D=3",
        ),
        (
            lambda p, x: stacked_forward(x, [p], "rnn", bidirectional=True),
            r"layers\[0\] must be a pair",
        ),
        (
            lambda p, x: stacked_forward(x, [p], "rnn", bidirectional="yes"),
            "bidirectional must be True or False",
        ),
        (
            lambda p, x: bidirectional_forward(x, p, p, "rnn", merge="max"),
            "merge must be one of",
        ),
        (
            lambda p, x: bidirectional_forward(
                x, p, RNNParams.random(3, 5, np.random.default_rng(0)), "rnn"
            ),
            "params_fw and params_bw must have the same D and H",
        ),
        (
            lambda p, x: merge_directions(np.ones((2, 3)), np.ones((2, 4))),
            "h_fw and h_bw must have the same shape",
        ),
    ],
)
def test_clear_errors(call, message):
    p = RNNParams.random(3, 4, np.random.default_rng(0))
    with pytest.raises(ValueError, match=message):
        call(p, np.ones((2, 5, 3)))


def test_bidirectional_stack_with_sum_reads_H_features():
    rng = np.random.default_rng(5)
    layers = [
        (RNNParams.random(3, 4, rng), RNNParams.random(3, 4, rng)),
        (RNNParams.random(4, 4, rng), RNNParams.random(4, 4, rng)),
    ]
    x = rng.standard_normal((2, 5, 3))
    hs, _ = stacked_forward(x, layers, "rnn", bidirectional=True, merge="sum")
    first, _ = bidirectional_forward(x, *layers[0], "rnn", merge="sum")
    np.testing.assert_array_equal(
        hs, bidirectional_forward(first, *layers[1], "rnn", merge="sum")[0]
    )


def test_a_new_cell_is_added_by_registering_it():
    def forward(x, p, h0=None):
        # a "cell" that scales its input: enough to see the plumbing
        hs = x @ p.W_xh
        return hs, hs[:, -1], None

    rnn = cells.CELLS["rnn"]
    cells.register(dataclasses.replace(rnn, name="scale", forward=forward))
    try:
        p = RNNParams(np.eye(3), np.zeros((3, 3)), np.zeros(3))
        x = np.random.default_rng(0).standard_normal((2, 4, 3))
        hs, finals = stacked_forward(x, [p, p], "scale")
        np.testing.assert_array_equal(hs, x)
        out, _ = bidirectional_forward(x, p, p, "scale")
        np.testing.assert_array_equal(out, np.concatenate([x, x], axis=-1))
    finally:
        del cells.CELLS["scale"]
    with pytest.raises(ValueError, match="cell must be one of"):
        stacked_forward(x, [p], "scale")


def test_param_count_by_hand():
    # RNN, D=10, H=3: layer 1 42, layer 2 3*(3+3)+3 = 21
    assert stacked_param_count("rnn", 10, 3, num_layers=2) == 42 + 21
    # bidirectional: 2 * 42 on level 1, level 2 reads 6 features: 2 * (3*9 + 3) = 60
    assert (
        stacked_param_count("rnn", 10, 3, num_layers=2, bidirectional=True)
        == 84 + 60
    )
    assert (
        stacked_param_count("lstm", 3, 4, framework="torch")
        == companion.count_params("lstm", 3, 4, "torch")
        == 144
    )
