"""Record the book's comparisons of trained models over five seeds.

    python tools/experiments.py [NAME ...]     (make experiments: all)

Each experiment trains the models a chapter compares, once per seed and
setting, deterministically (seeded, one CPU thread, PyTorch's deterministic
algorithms; TensorFlow with TF_ENABLE_ONEDNN_OPTS=0), and writes one row per
run to book/data/seeds_NAME.csv (companion.seeds). Every row carries the
settings that vary (e.g. cell), the fixed ones that every run of the
experiment shares (k, steps, H, lr, batch size, epochs: the entry's
``fixed``, passed to the run as keyword arguments), the run conditions
(``CONDITIONS``) and the library versions. The chapter reads and plots that
record; tests/test_experiments.py re-runs one row of each (keras_scale_lr:
its first 25 of 100 epochs) and checks it to the digits the chapter prints.
All of them together take a few CPU minutes.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import time
from typing import NamedTuple

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np

from companion import seeds as S

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "book/data"
SEEDS = range(5)
#: how every run is made (one CPU thread, deterministic ops), stamped into
#: every record; TensorFlow's records also carry TF_ENABLE_ONEDNN_OPTS
CONDITIONS = {"threads": 1, "deterministic": 1}


def _torch():
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)
    torch.use_deterministic_algorithms(True)
    return torch


def _recall(seed, cell, k, steps, hidden_size, forget_bias, **train):
    """Test accuracy on the recall task with k distractors; the LSTM's
    forget bias set to forget_bias or left at its start ("default");
    train: the other options of train_recall (init, batch_size, lr)."""
    _torch()
    from companion.memory_task import (
        recall_accuracy,
        recall_sequences,
        train_recall,
    )

    X, y = recall_sequences(512, k, np.random.default_rng(k))
    X_test, y_test = recall_sequences(500, k, np.random.default_rng(1000 + k))
    fb = None if forget_bias == "default" else float(forget_bias)
    model, _ = train_recall(
        cell, X, y, hidden_size, steps, seed=seed, forget_bias=fb, **train
    )
    return {"accuracy": recall_accuracy(model, X_test, y_test)}


# --- gru: each framework's default initialisation on the recall task -------
def gru_init(seed, cell, init, forget_bias, k, steps, hidden_size, **opt):
    """Test accuracy on the recall task (k distractors) from init ("torch"
    or "keras"), with the LSTM's forget bias set to forget_bias or left at
    init's value ("default"); opt: batch_size, lr of train_recall."""
    return _recall(
        seed, cell, k, steps, hidden_size, forget_bias, init=init, **opt
    )


# --- deep-and-bidirectional: gap length and forget-gate bias ---------------
def recall_gap(seed, cell, k, forget_bias, steps, hidden_size, **opt):
    """Test accuracy on the recall task with k distractors; opt: batch_size,
    lr of train_recall."""
    return _recall(seed, cell, k, steps, hidden_size, forget_bias, **opt)


# --- language-model: RNN, GRU and LSTM under one budget --------------------
def lm_budget(seed, cell, steps, hidden_size, batch_size, seq_len):
    """Validation perplexity after ``steps`` batches of Adam (lr 0.01, clip
    1.0: train_on_budget), the chapter's budget."""
    _torch()
    from companion.char_lm import evaluate
    from companion.text import (
        Vocab,
        load_text,
        perplexity,
        sequential_batches,
        train_val_split,
    )
    from companion.torch_char_lm import train_on_budget

    text = load_text(DATA / "shakespeare.txt")
    vocab = Vocab.from_text(text)
    train_ids, val_ids = train_val_split(vocab.encode(text), 0.1)
    trained = train_on_budget(
        cell,
        train_ids,
        vocab.size,
        seed,
        steps,
        hidden_size,
        batch_size,
        seq_len,
    )
    val = sequential_batches(val_ids, 32, 64)
    return {"val_ppl": perplexity(evaluate(trained, val))}


# --- keras-recurrent-layers: input scale x learning rate -------------------
def keras_scale_lr(seed, inputs, lr, epochs, batch_size):
    """The post's LSTM(4) classifier: loss and accuracy at epochs 10, 25,
    100 (those within ``epochs``), on raw or standardised inputs, with Adam
    at learning rate lr. TensorFlow must not have run yet in this process
    (its thread counts are set here); tests re-run it in a fresh one."""
    import keras
    import tensorflow as tf

    from companion.notebook import seed_everything  # seeds Keras once loaded

    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    from companion.data import zeroed_sequences

    X, y = zeroed_sequences()
    if inputs == "scaled":
        X = (X - X.mean()) / X.std()
    seed_everything(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(5, 3)),
            keras.layers.LSTM(4, name="lstm"),
            keras.layers.Dense(2, activation="sigmoid", name="dense"),
        ]
    )
    model.compile(
        loss="binary_crossentropy",
        optimizer=keras.optimizers.Adam(learning_rate=lr),
        metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")],
    )
    h = model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0)
    h = h.history
    out = {}
    for e in (e for e in (10, 25, 100) if e <= epochs):  # a shorter prefix
        out[f"loss_{e}"] = h["loss"][e - 1]
        out[f"right_{e}"] = round(h["accuracy"][e - 1] * len(X))
    return out


# --- forecasting: the RNN against the linear autoregression ----------------
def sunspots(seed, window, hidden_size, epochs, lr, batch_size):
    """Validation and test RMSE of the chapter's RNN (one layer, windows of
    ``window`` years, the last 40 + 40 years held out)."""
    torch = _torch()
    from companion.data import sliding_windows
    from companion.series import (
        Scaler,
        chronological_split,
        load_sunspots,
        rmse,
    )
    from companion.torch_cells import (
        StackedRNNRegressor,
        predict,
        train_regressor,
    )

    _, spots = load_sunspots(DATA / "sunspots_yearly.csv")
    train, val, test = chronological_split(spots, 40, 40)
    scaler = Scaler.fit(train)
    z = scaler.transform(spots)
    start_val = train.size
    X, y = sliding_windows(z.astype(np.float32), window)
    target = np.arange(window, spots.size)
    torch.manual_seed(seed)
    model = StackedRNNRegressor(
        input_size=1, hidden_size=hidden_size, num_layers=1, dropout=0.0
    )
    in_train = target < start_val
    train_regressor(
        model, X[in_train], y[in_train], epochs, batch_size, lr, seed=seed
    )
    f = scaler.inverse(predict(model, X)[:, 0])[target >= start_val]
    return {"val_rmse": rmse(val, f[:40]), "test_rmse": rmse(test, f[40:])}


# --- pytorch-rnn: the README's model on the noisy sine ---------------------
def sine(seed, window, hidden_size, num_layers, dropout, **opt):
    """Held-out MSE of the README's stacked RNN on the noisy sine (the
    first 350 steps for training); opt: epochs, batch_size, lr."""
    _torch()
    from companion.data import noisy_sine, sliding_windows
    from companion.notebook import seed_everything
    from companion.torch_cells import (
        StackedRNNRegressor,
        predict,
        train_regressor,
    )

    series = noisy_sine(500, np.random.default_rng(1), period=40, noise=0.1)
    X_train, y_train = sliding_windows(series[:350], window)
    X_test, y_test = sliding_windows(series[350:], window)
    seed_everything(seed)
    model = StackedRNNRegressor(1, hidden_size, num_layers, dropout)
    train_regressor(model, X_train, y_train, seed=seed, **opt)
    pred = predict(model, X_test)
    return {"test_mse": float(np.mean((pred - y_test) ** 2))}


def _grid(**axes):
    """Every combination of the named settings, first axis outermost."""
    settings = [{}]
    for name, options in axes.items():
        settings = [{**s, name: o} for s in settings for o in options]
    return settings


class Experiment(NamedTuple):
    """One recorded comparison: ``run(seed=s, **setting, **fixed)`` for
    every setting and seed; ``digits`` the columns' printed digits."""

    run: object
    settings: list
    digits: dict
    libraries: tuple
    fixed: dict


RECALL = {"hidden_size": 16, "batch_size": 32, "lr": 0.01}

EXPERIMENTS = {
    "gru_init": Experiment(
        gru_init,
        _grid(
            cell=("rnn", "gru", "lstm"),
            init=("torch", "keras"),
            forget_bias=("default",),
        )
        # the LSTM from PyTorch's weights with only Keras' forget bias of 1
        + [{"cell": "lstm", "init": "torch", "forget_bias": 1.0}],
        {"accuracy": 3},
        ("numpy", "torch"),
        {"k": 20, "steps": 300, **RECALL},
    ),
    "recall_gap": Experiment(
        recall_gap,
        [
            {"cell": "rnn", "k": k, "forget_bias": "default"}
            for k in (5, 10, 40)
        ]
        + [{"cell": "lstm", "k": k, "forget_bias": 5.0} for k in (5, 10, 40)]
        + [
            {"cell": "lstm", "k": k, "forget_bias": fb}
            for k in (10, 40)
            for fb in (1.0, "default")
        ],
        {"accuracy": 3},  # multiples of 1/500
        ("numpy", "torch"),
        {"steps": 150, **RECALL},
    ),
    "lm_budget": Experiment(
        lm_budget,
        _grid(cell=("rnn", "gru", "lstm")),
        {"val_ppl": 2},
        ("numpy", "torch"),
        {"steps": 80, "hidden_size": 32, "batch_size": 32, "seq_len": 32},
    ),
    "keras_scale_lr": Experiment(
        keras_scale_lr,
        _grid(inputs=("raw", "scaled"), lr=(0.001, 0.03)),
        {"loss_10": 4, "loss_25": 4, "loss_100": 4, "right_25": 0},
        ("numpy", "tensorflow", "keras"),
        {"epochs": 100, "batch_size": 3},
    ),
    "sunspots": Experiment(
        sunspots,
        [{}],
        {"val_rmse": 1, "test_rmse": 1},
        ("numpy", "torch"),
        {
            "window": 20,
            "hidden_size": 32,
            "epochs": 100,
            "lr": 0.003,
            "batch_size": 32,
        },
    ),
    "sine": Experiment(
        sine,
        [{}],
        {"test_mse": 4},
        ("numpy", "torch"),
        {
            "window": 16,
            "hidden_size": 128,
            "num_layers": 4,
            "dropout": 0.25,
            "epochs": 10,
            "batch_size": 32,
            "lr": 0.001,
        },
    ),
}


def stamp(name):
    """The columns every row of a record shares: the fixed settings, the
    run conditions and the library versions."""
    e = EXPERIMENTS[name]
    conditions = dict(CONDITIONS)
    if "tensorflow" in e.libraries:
        conditions["tf_enable_onednn_opts"] = int(
            os.environ["TF_ENABLE_ONEDNN_OPTS"]
        )
    return {**e.fixed, **conditions, **S.versions(*e.libraries)}


def record_path(name):
    return DATA / f"seeds_{name}.csv"


def run_experiment(name, seeds=SEEDS):
    e = EXPERIMENTS[name]
    rows = S.over_seeds(
        lambda seed, **setting: e.run(seed=seed, **setting, **e.fixed),
        seeds,
        e.settings,
    )
    S.write_record(record_path(name), rows, stamp(name))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=", ".join(EXPERIMENTS))
    args = parser.parse_args()
    unknown = set(args.names) - set(EXPERIMENTS)
    if unknown:
        parser.error(f"unknown experiments {sorted(unknown)}")
    for name in args.names or EXPERIMENTS:
        start = time.process_time()
        rows = run_experiment(name)
        took = time.process_time() - start
        print(f"{name}: {len(rows)} runs, {took:.0f} CPU-s")


if __name__ == "__main__":
    main()
