import inspect
import os
import shutil
import subprocess
import sys

import pytest

from companion.summary import keras_summary, weight_table


def _small_model(name):
    """The chapters' classifier, LSTM(4) on (5, 3) then Dense(2), seeded."""
    import keras

    from companion import seed_everything

    seed_everything(0)
    return keras.Sequential(
        [
            keras.Input(shape=(5, 3)),
            keras.layers.LSTM(4),
            keras.layers.Dense(2, activation="sigmoid"),
        ],
        name=name,
    )


def _summary_of_a_model():
    """keras_summary of a small model, made alike here and in a fresh process."""
    from companion.summary import keras_summary

    return keras_summary(_small_model("a_rather_long_model_name_for_the_test"))


SUMMARY_SCRIPT = (
    inspect.getsource(_small_model)
    + inspect.getsource(_summary_of_a_model)
    + "print(_summary_of_a_model())\n"
)


def test_keras_summary_is_plain_text_with_keras_counts():
    pytest.importorskip("keras")
    from companion import count_params

    model = _small_model("s3")
    text = keras_summary(model)
    lines = text.splitlines()
    assert lines[0] == 'Model: "s3"'
    assert lines[1].split() == [
        "Layer",
        "(type)",
        "Output",
        "Shape",
        "Param",
        "#",
    ]
    assert lines[3].split() == ["lstm", "(LSTM)", "(None,", "4)", "128"]
    assert lines[4].split() == ["dense", "(Dense)", "(None,", "2)", "10"]
    total = count_params("lstm", 3, 4) + count_params("dense", 4, 2)
    assert total == model.count_params()
    assert f" Total params: {total} (552.00 B)" in lines
    assert " Non-trainable params: 0 (0.00 B)" in lines
    assert "\x1b" not in text and max(len(line) for line in lines) <= 79
    with pytest.raises(ValueError, match="model must be a built Keras model"):
        keras_summary(object())


def test_keras_summary_does_not_depend_on_the_terminal_width(
    monkeypatch, capsys
):
    """The same summary from a fresh process started at one width (what
    Keras and rich read when they are imported) and from this one at two
    widths (what is read when the summary is made)."""
    pytest.importorskip("keras")
    widths = ("40", "250")
    # Not this process's width: the fresh import sees another one too.
    fresh = next(
        w for w in widths if w != str(shutil.get_terminal_size().columns)
    )
    run = subprocess.run(
        [sys.executable, "-c", SUMMARY_SCRIPT],
        env=dict(os.environ, COLUMNS=fresh),
        capture_output=True,
        text=True,
        check=True,
    )
    outputs = {run.stdout}
    for columns in widths:
        monkeypatch.setenv("COLUMNS", columns)
        print(_summary_of_a_model())
        outputs.add(capsys.readouterr().out)
    assert len(outputs) == 1 and "Total params: 138" in outputs.pop()


def test_keras_summary_patches_nothing_in_rich():
    pytest.importorskip("keras")
    import rich.console

    before = rich.console._is_jupyter
    keras = pytest.importorskip("keras")
    keras_summary(
        keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    )
    assert rich.console._is_jupyter is before


def test_weight_table_of_a_torch_module():
    torch = pytest.importorskip("torch")
    lines = weight_table(torch.nn.LSTM(3, 4)).splitlines()
    assert lines[0].split() == ["weight", "shape", "count"]
    assert lines[2].split() == ["weight_ih_l0", "(16,", "3)", "48"]
    assert lines[-1].split() == ["total", "144"]
    with pytest.raises(
        ValueError,
        match="obj must be a Keras layer or model, or a torch.nn.Module",
    ):
        weight_table(object())


def test_weight_table_of_a_keras_layer():
    keras = pytest.importorskip("keras")
    layer = keras.layers.LSTM(4)
    with pytest.raises(ValueError, match="has no weights yet"):
        weight_table(layer)
    layer.build((None, None, 3))
    lines = weight_table(layer).splitlines()
    assert [line.split()[0] for line in lines[2:5]] == [
        "kernel",
        "recurrent_kernel",
        "bias",
    ]
    assert lines[2].split()[-1] == "48" and lines[-1].split() == [
        "total",
        "128",
    ]
