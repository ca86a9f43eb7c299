import pytest

from companion.summary import keras_summary, torch_summary


def test_keras_summary_is_narrow_plain_text():
    keras = pytest.importorskip("keras")
    from companion import count_params, seed_everything

    seed_everything(0)
    model = keras.Sequential(
        [keras.Input(shape=(5, 3)), keras.layers.LSTM(4), keras.layers.Dense(2, activation="sigmoid")], name="s3"
    )
    text = keras_summary(model, width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "\x1b" not in text
    assert f"Total params: {count_params('lstm', 3, 4) + count_params('dense', 4, 2)}" in text
    with pytest.raises(ValueError, match="width must be an integer of at least 40"):
        keras_summary(model, width=10)


def test_torch_summary_lists_every_parameter():
    torch = pytest.importorskip("torch")
    text = torch_summary(torch.nn.LSTM(3, 4))
    assert "weight_ih_l0" in text and "16x3" in text
    assert text.splitlines()[-1].split()[-1] == "144"
    with pytest.raises(ValueError, match="module must be a torch.nn.Module"):
        torch_summary(object())
