"""companion.keras_cells: the corrected cells agree with Keras and NumPy."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import (
    CELLS,
    LSTMParams,
    RNNParams,
)
from companion.convert import to_keras


@pytest.mark.parametrize(
    "kind, ours, theirs",
    [("rnn", "RNNCell", "SimpleRNN"), ("lstm", "LSTMCell", "LSTM")],
)
@settings(max_examples=8, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**16))
def test_cell_matches_numpy_and_the_keras_layer(
    keras,
    keras_cells,
    run_keras_cell,
    float32_inputs,
    kind,
    ours,
    theirs,
    D,
    H,
    seed,
):
    cell = CELLS[kind]
    rng = np.random.default_rng(seed)
    params = cell.params.random(D, H, rng, dtype=np.float32)
    x = float32_inputs(3, 4, D, seed)
    keras_cell = getattr(keras_cells, ours)(H)
    out = run_keras_cell(keras_cell, x, params)
    layer = getattr(keras.layers, theirs)(H, return_sequences=True)
    layer.build((None, 4, D))
    np.testing.assert_allclose(out, cell.forward(x, params)[0], atol=1e-5)
    np.testing.assert_allclose(
        out, np.asarray(to_keras(params, layer)(x)), atol=1e-5
    )
    if kind == "lstm":  # one (H + D, H) matrix per gate, as the post has it
        assert tuple(keras_cell.w_f.shape) == (H + D, H)
        for name, value in keras_cell.to_params().as_dict().items():
            np.testing.assert_array_equal(value, params.as_dict()[name])


def test_arguments_are_checked(keras_cells, run_keras_cell, float32_inputs):
    with pytest.raises(ValueError, match="units must be a positive integer"):
        keras_cells.LSTMCell(0)
    cell = keras_cells.LSTMCell(3)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="an unbuilt cell"):
        cell.load_params(LSTMParams.random(2, 3, rng))
    run_keras_cell(cell, float32_inputs(1, 2, 2))
    with pytest.raises(ValueError, match=r"\(H \+ D, H\) = \(7, 3\)"):
        cell.load_params(LSTMParams.random(4, 3, rng))
    with pytest.raises(ValueError, match="params must be an LSTMParams"):
        cell.load_params(RNNParams.random(2, 3, rng))
    rnn = keras_cells.RNNCell(3, readout=True)
    run_keras_cell(rnn, float32_inputs(1, 2, 2))
    with pytest.raises(ValueError, match="readout=True also needs W_hy"):
        rnn.load_params(RNNParams.random(2, 3, rng))
    with pytest.raises(ValueError, match="params must be an RNNParams"):
        rnn.load_params(LSTMParams.random(2, 3, rng))
