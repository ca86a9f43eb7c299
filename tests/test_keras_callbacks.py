"""companion.keras_callbacks.WeightHistory."""

import numpy as np
import pytest

from companion import seed_everything, zeroed_sequences


@pytest.fixture(scope="module")
def keras_callbacks(keras):
    """companion.keras_callbacks (it imports Keras)."""
    from companion import keras_callbacks

    return keras_callbacks


def small_model(keras):
    seed_everything(0)
    model = keras.Sequential(
        [
            keras.Input((5, 3)),
            keras.layers.LSTM(2, name="lstm"),
            keras.layers.Dense(2, activation="sigmoid"),
        ],
        name="tiny",
    )
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


@pytest.mark.parametrize("by_name", [True, False])
def test_records_before_training_and_after_each_epoch(
    keras, keras_callbacks, by_name
):
    model = small_model(keras)
    X, y = zeroed_sequences()
    wh = keras_callbacks.WeightHistory(
        "lstm" if by_name else model.get_layer("lstm")
    )
    model.fit(X, y, epochs=3, batch_size=5, verbose=0, callbacks=[wh])
    assert wh.names == ["kernel", "recurrent_kernel", "bias"]
    assert len(wh.snapshots) == 4
    kernel = wh.stack("kernel")
    assert kernel.shape == (4, 3, 8)
    np.testing.assert_array_equal(
        kernel[-1], model.get_layer("lstm").get_weights()[0]
    )
    assert np.all(
        np.abs(np.diff(kernel, axis=0)).max(axis=(1, 2)) > 0
    )  # changes every epoch


def test_errors(keras, keras_callbacks):
    with pytest.raises(
        ValueError, match="layer must be a Keras layer or a layer name"
    ):
        keras_callbacks.WeightHistory(3)
    wh = keras_callbacks.WeightHistory("nope")
    with pytest.raises(ValueError, match="no weights recorded yet"):
        wh.stack("kernel")
    model = small_model(keras)
    X, y = zeroed_sequences()
    with pytest.raises(ValueError, match="layer 'nope' is not in the model"):
        model.fit(X, y, epochs=1, verbose=0, callbacks=[wh])
    wh = keras_callbacks.WeightHistory("lstm")
    model.fit(X, y, epochs=1, verbose=0, callbacks=[wh])
    with pytest.raises(ValueError, match="name must be one of"):
        wh.stack("W_x")
