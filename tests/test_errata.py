"""companion.errata: each bug of the S1 post's cells fails (or computes wrong numbers) as the errata page says."""

import importlib

import numpy as np
import pytest

from companion import (
    LSTMParams,
    RNNParams,
    lstm_forward,
    rnn_forward,
    seed_everything,
)


@pytest.fixture(scope="module")
def errata(keras):
    """companion.errata (it imports Keras)."""
    from companion import errata

    return errata


def test_rnn_readout_keeps_h_as_state_but_s1_feeds_y_back(
    run_keras_cell, float32_inputs, errata, keras_cells
):
    rng = np.random.default_rng(0)
    params = RNNParams.random(3, 4, rng, dtype=np.float32)
    W_hy = rng.uniform(-1, 1, (4, 4)).astype(np.float32)
    b_y = rng.uniform(-1, 1, 4).astype(np.float32)
    x = float32_inputs(2, 6, 3)
    expected = rnn_forward(x, params)[0] @ W_hy + b_y  # y_t = h_t W_hy + b_y
    fixed = run_keras_cell(
        keras_cells.RNNCell(4, readout=True), x, params, W_hy=W_hy, b_y=b_y
    )
    buggy = run_keras_cell(
        errata.S1BuggyRNNCell(4), x, params, W_hy=W_hy, b_y=b_y
    )
    np.testing.assert_allclose(fixed, expected, atol=1e-5)
    np.testing.assert_allclose(
        buggy[:, 0], expected[:, 0], atol=1e-5
    )  # step 1 starts from h_0 = 0 either way
    assert (
        np.abs(buggy[:, 1:] - expected[:, 1:]).max() > 0.1
    )  # from step 2 on it has fed y back


#: bug -> (units, the error's module and class, its message); x is (2, 5, 3)
FAILURES = {
    # [h, x] is (N, H + D) = (2, 5); the buggy weights are (2D, H) = (6, 2)
    "weight_shape": (
        2,
        ("tensorflow.errors", "InvalidArgumentError"),
        r"Matrix size-incompatible: In\[0\]: \[2,5\], In\[1\]: \[6,2\]",
    ),
    # w (H + D, H) = (7, 4) in front of [h, x] (N, H + D) = (2, 7)
    "reversed_dot": (
        4,
        ("tensorflow.errors", "InvalidArgumentError"),
        r"Matrix size-incompatible: In\[0\]: \[7,4\], In\[1\]: \[2,7\]",
    ),
    "bare_b_o": (4, ("builtins", "NameError"), "name 'b_o' is not defined"),
    "state_size": (
        4,
        ("builtins", "ValueError"),
        r"not enough values to unpack \(expected 2, got 1\)",
    ),
}


@pytest.mark.parametrize("bug", FAILURES)
def test_each_bug_fails_with_its_error_and_the_fix_runs(
    run_keras_cell, float32_inputs, errata, keras_cells, bug
):
    units, (module, name), message = FAILURES[bug]
    error = getattr(importlib.import_module(module), name)
    x = float32_inputs(2, 5, 3)
    with pytest.raises(error, match=message) as raised:
        run_keras_cell(errata.S1BuggyLSTMCell(units, bug=bug), x)
    assert type(raised.value) is error
    assert run_keras_cell(keras_cells.LSTMCell(units), x).shape == (
        2,
        5,
        units,
    )


def test_weight_shape_bug_is_right_when_input_dim_equals_units(
    run_keras_cell, float32_inputs, errata
):
    x = float32_inputs(2, 5, 3)
    seed_everything(0)
    params = LSTMParams.random(
        3, 3, np.random.default_rng(0), dtype=np.float32
    )
    lucky = run_keras_cell(
        errata.S1BuggyLSTMCell(3, bug="weight_shape"), x, params
    )  # 2 * 3 == 3 + 3
    np.testing.assert_allclose(lucky, lstm_forward(x, params)[0], atol=1e-5)


def test_the_fixed_cell_carries_two_states(float32_inputs, keras, keras_cells):
    x = float32_inputs(2, 5, 3)
    cell = keras_cells.LSTMCell(4)
    assert cell.state_size == [4, 4]
    _, h, c = keras.layers.RNN(cell, return_state=True)(x)
    assert h.shape == c.shape == (2, 4)


def test_bug_names_are_checked(errata):
    with pytest.raises(ValueError, match="bug must be one of"):
        errata.S1BuggyLSTMCell(3, bug="typo")
    assert set(errata.LSTM_BUGS) == set(FAILURES)


def test_the_correct_lstm_cell_has_no_hooks_for_the_bugs(keras_cells):
    assert not any(
        hasattr(keras_cells.LSTMCell, m)
        for m in ("_weight_rows", "_gate", "_output_gate")
    )
