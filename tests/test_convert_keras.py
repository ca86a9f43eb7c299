"""companion.convert.keras_layers: round trips and clear errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import (
    CELLS,
    LSTMParams,
    RNNParams,
    seed_everything,
)
from companion.convert import from_keras, to_keras

SIZES = st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**16))


def built(layer_cls, D, H):
    layer = layer_cls(H, return_sequences=True)
    layer.build((None, None, D))
    return layer


@pytest.mark.parametrize(
    "kind, layer", [("rnn", "SimpleRNN"), ("lstm", "LSTM")]
)
@settings(max_examples=10, deadline=None)
@given(SIZES)
def test_round_trip_and_forward(keras, kind, layer, sizes):
    D, H, seed = sizes
    cell = CELLS[kind]
    rng = np.random.default_rng(seed)
    params = cell.params.random(D, H, rng, dtype=np.float32)
    layer = to_keras(params, built(getattr(keras.layers, layer), D, H))
    back = from_keras(layer)
    assert isinstance(back, cell.params) and (back.D, back.H) == (D, H)
    for name, value in params.as_dict().items():
        np.testing.assert_array_equal(back.as_dict()[name], value)
    x = rng.standard_normal((2, 4, D)).astype(np.float32)
    np.testing.assert_allclose(
        np.asarray(layer(x)), cell.forward(x, params)[0], atol=1e-5
    )


def test_from_keras_refuses_other_layers_and_unbuilt_ones(keras):
    seed_everything(0)
    with pytest.raises(
        ValueError,
        match="layer must be a keras.layers.SimpleRNN or keras.layers.LSTM or keras.layers.GRU; got Dense",
    ):
        from_keras(keras.layers.Dense(3))
    kinds = (keras.layers.SimpleRNN, keras.layers.LSTM, keras.layers.GRU)
    for unbuilt in kinds:
        with pytest.raises(
            ValueError, match="has no weights yet: build it first"
        ):
            from_keras(unbuilt(3))
    gru = keras.layers.GRU(3)
    gru.build((None, None, 2))
    with pytest.raises(
        ValueError,
        match="params must be a GRUParams for a GRU layer; got LSTMParams",
    ):
        to_keras(LSTMParams.random(2, 3, np.random.default_rng(0)), gru)


def test_to_keras_refuses_wrong_kind_and_size(keras):
    rng = np.random.default_rng(0)
    lstm = built(keras.layers.LSTM, 3, 4)
    with pytest.raises(
        ValueError,
        match="params must be an LSTMParams for a LSTM layer; got RNNParams",
    ):
        to_keras(RNNParams.random(3, 4, rng), lstm)
    with pytest.raises(
        ValueError, match=r"params have D=2, H=4 but layer .* has D=3, H=4"
    ):
        to_keras(LSTMParams.random(2, 4, rng), lstm)
    with pytest.raises(
        ValueError, match=r"params have D=3, H=5 but layer .* has D=3, H=4"
    ):
        to_keras(LSTMParams.random(3, 5, rng), lstm)
    rnn = built(keras.layers.SimpleRNN, 3, 4)
    with pytest.raises(
        ValueError, match="params must be an RNNParams for a SimpleRNN layer"
    ):
        to_keras(LSTMParams.random(3, 4, rng), rnn)


def test_layer_without_bias_is_refused(keras):
    layer = keras.layers.SimpleRNN(2, use_bias=False)
    layer.build((None, None, 3))
    with pytest.raises(ValueError, match="use_bias=False"):
        from_keras(layer)
