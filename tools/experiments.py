"""Record the book's comparisons of trained models over five seeds.

    python tools/experiments.py [NAME ...]     (make experiments: all)

Each experiment trains the models a chapter compares, once per seed and
setting, deterministically (seeded, one CPU thread, PyTorch's and
TensorFlow's deterministic ops), and writes one row per run with the
library versions to book/data/seeds_NAME.csv (companion.seeds). The chapter
reads and plots that record; tests/test_experiments.py re-runs one row of
each and checks it to the digits the chapter prints. All of them together
take a few CPU minutes.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np

from companion import seeds as S

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "book/data"
SEEDS = range(5)


def _torch():
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)
    torch.use_deterministic_algorithms(True)
    return torch


# --- gru: each framework's default initialisation on the recall task -------
def gru_init(seed, cell, init):
    """Test accuracy on the recall task, k = 20, 300 steps, H = 16."""
    _torch()
    from companion.memory_task import (
        recall_accuracy,
        recall_sequences,
        train_recall,
    )

    k = 20
    X, y = recall_sequences(512, k, np.random.default_rng(k))
    X_test, y_test = recall_sequences(500, k, np.random.default_rng(1000 + k))
    model, _ = train_recall(
        cell, X, y, hidden_size=16, steps=300, seed=seed, init=init
    )
    return {"accuracy": recall_accuracy(model, X_test, y_test)}


# --- deep-and-bidirectional: gap length and forget-gate bias ---------------
def recall_gap(seed, cell, k, forget_bias):
    """Test accuracy on the recall task with k distractors, 150 steps."""
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
        cell, X, y, hidden_size=16, steps=150, seed=seed, forget_bias=fb
    )
    return {"accuracy": recall_accuracy(model, X_test, y_test)}


# --- language-model: RNN, GRU and LSTM under one budget --------------------
def lm_budget(seed, cell):
    """Validation perplexity after 80 steps of Adam (the chapter's budget)."""
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
    trained = train_on_budget(cell, train_ids, vocab.size, seed=seed)
    val = sequential_batches(val_ids, 32, 64)
    return {"val_ppl": perplexity(evaluate(trained, val))}


# --- keras-recurrent-layers: input scale x learning rate -------------------
def keras_scale_lr(seed, inputs, lr, epochs=100):
    """The post's LSTM(4) classifier: loss and accuracy at epochs 10, 25,
    100, on raw or standardised inputs, with Adam at learning rate lr."""
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
    h = model.fit(X, y, epochs=epochs, batch_size=3, verbose=0).history
    out = {}
    for e in (e for e in (10, 25, 100) if e <= epochs):  # a shorter prefix
        out[f"loss_{e}"] = h["loss"][e - 1]
        out[f"right_{e}"] = round(h["accuracy"][e - 1] * len(X))
    return out


# --- forecasting: the RNN against the linear autoregression ----------------
def sunspots(seed):
    """Validation and test RMSE of the chapter's RNN (20-year windows)."""
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
    window, start_val = 20, train.size
    X, y = sliding_windows(z.astype(np.float32), window)
    target = np.arange(window, spots.size)
    torch.manual_seed(seed)
    model = StackedRNNRegressor(
        input_size=1, hidden_size=32, num_layers=1, dropout=0.0
    )
    in_train = target < start_val
    train_regressor(
        model, X[in_train], y[in_train], epochs=100, lr=3e-3, seed=seed
    )
    f = scaler.inverse(predict(model, X)[:, 0])[target >= start_val]
    return {"val_rmse": rmse(val, f[:40]), "test_rmse": rmse(test, f[40:])}


# --- pytorch-rnn: the README's model on the noisy sine ---------------------
def sine(seed):
    """Held-out MSE of the 4-layer RNN after 10 epochs on the noisy sine."""
    _torch()
    from companion.data import noisy_sine, sliding_windows
    from companion.notebook import seed_everything
    from companion.torch_cells import (
        StackedRNNRegressor,
        predict,
        train_regressor,
    )

    series = noisy_sine(500, np.random.default_rng(1), period=40, noise=0.1)
    X_train, y_train = sliding_windows(series[:350], 16)
    X_test, y_test = sliding_windows(series[350:], 16)
    seed_everything(seed)
    model = StackedRNNRegressor(
        input_size=1, hidden_size=128, num_layers=4, dropout=0.25
    )
    train_regressor(model, X_train, y_train, epochs=10, seed=seed)
    pred = predict(model, X_test)
    return {"test_mse": float(np.mean((pred - y_test) ** 2))}


def _grid(**axes):
    """Every combination of the named settings, first axis outermost."""
    settings = [{}]
    for name, options in axes.items():
        settings = [{**s, name: o} for s in settings for o in options]
    return settings


#: name -> (run, settings, the columns' printed digits, libraries)
EXPERIMENTS = {
    "gru_init": (
        gru_init,
        _grid(cell=("rnn", "gru", "lstm"), init=("torch", "keras")),
        {"accuracy": 3},
        ("numpy", "torch"),
    ),
    "recall_gap": (
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
        {"accuracy": 2},
        ("numpy", "torch"),
    ),
    "lm_budget": (
        lm_budget,
        _grid(cell=("rnn", "gru", "lstm")),
        {"val_ppl": 2},
        ("numpy", "torch"),
    ),
    "keras_scale_lr": (
        keras_scale_lr,
        _grid(inputs=("raw", "scaled"), lr=(0.001, 0.03)),
        {"loss_10": 4, "loss_25": 4, "loss_100": 4, "right_25": 0},
        ("numpy", "tensorflow", "keras"),
    ),
    "sunspots": (
        sunspots,
        [{}],
        {"val_rmse": 1, "test_rmse": 1},
        ("numpy", "torch"),
    ),
    "sine": (sine, [{}], {"test_mse": 4}, ("numpy", "torch")),
}


def record_path(name):
    return DATA / f"seeds_{name}.csv"


def run_experiment(name, seeds=SEEDS):
    run, settings, _, libraries = EXPERIMENTS[name]
    rows = S.over_seeds(run, seeds, settings)
    S.write_record(record_path(name), rows, S.versions(*libraries))
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
