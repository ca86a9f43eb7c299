"""companion.errata: each bug of the S1 post's cells fails (or computes wrong numbers) as the errata page says."""

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


def test_weight_shape_bug_fails_unless_input_dim_equals_units(
    run_keras_cell, float32_inputs, errata, keras_cells
):
    x = float32_inputs(2, 5, 3)
    with pytest.raises(
        Exception, match="Matrix size-incompatible|Incompatible shapes|shape"
    ):
        run_keras_cell(errata.S1BuggyLSTMCell(2, bug="weight_shape"), x)
    # the fix: (input_dim + units, units)
    run_keras_cell(keras_cells.LSTMCell(2), x)
    seed_everything(0)
    params = LSTMParams.random(
        3, 3, np.random.default_rng(0), dtype=np.float32
    )
    lucky = run_keras_cell(
        errata.S1BuggyLSTMCell(3, bug="weight_shape"), x, params
    )  # 2 * 3 == 3 + 3
    np.testing.assert_allclose(lucky, lstm_forward(x, params)[0], atol=1e-5)


def test_reversed_dot_fails_and_fix_works(
    run_keras_cell, float32_inputs, errata, keras_cells
):
    x = float32_inputs(2, 5, 3)
    with pytest.raises(
        Exception, match="Matrix size-incompatible|Incompatible shapes|shape"
    ):
        run_keras_cell(errata.S1BuggyLSTMCell(4, bug="reversed_dot"), x)
    assert run_keras_cell(keras_cells.LSTMCell(4), x).shape == (2, 5, 4)


def test_bare_b_o_is_a_name_error(
    run_keras_cell, float32_inputs, errata, keras_cells
):
    x = float32_inputs(2, 5, 3)
    with pytest.raises(NameError, match="name 'b_o' is not defined"):
        run_keras_cell(errata.S1BuggyLSTMCell(4, bug="bare_b_o"), x)
    assert run_keras_cell(keras_cells.LSTMCell(4), x).shape == (2, 5, 4)


def test_one_state_size_cannot_carry_two_states(
    run_keras_cell, float32_inputs, keras, errata, keras_cells
):
    x = float32_inputs(2, 5, 3)
    with pytest.raises(
        ValueError, match=r"not enough values to unpack \(expected 2, got 1\)"
    ):
        run_keras_cell(errata.S1BuggyLSTMCell(4, bug="state_size"), x)
    cell = keras_cells.LSTMCell(4)
    assert cell.state_size == [4, 4]
    _, h, c = keras.layers.RNN(cell, return_state=True)(x)
    assert h.shape == c.shape == (2, 4)


def test_bug_names_are_checked(errata):
    with pytest.raises(ValueError, match="bug must be one of"):
        errata.S1BuggyLSTMCell(3, bug="typo")
    assert set(errata.LSTM_BUGS) == {
        "weight_shape",
        "reversed_dot",
        "bare_b_o",
        "state_size",
    }


def test_the_correct_lstm_cell_has_no_hooks_for_the_bugs(keras_cells):
    assert not any(
        hasattr(keras_cells.LSTMCell, m)
        for m in ("_weight_rows", "_gate", "_output_gate")
    )
