"""The learning curve of the language model (book/data/char_lstm_curve.json,
written by tools/train_lm.py --curve) against a re-run of its first steps."""

import json
import math
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
RECORD = ROOT / "book/data/char_lstm_curve.json"
PREFIX = 50  # updates re-run here (a few seconds)


@pytest.fixture(scope="module")
def record():
    return json.loads(RECORD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def train_lm(torch):
    if not (ROOT / "tools" / "train_lm.py").is_file():
        pytest.skip("tools/train_lm.py lives in the repository, not the wheel")
    import train_lm

    return train_lm


def test_the_record_says_how_it_was_made(record, train_lm):
    assert record["settings"] == {"seed": 0, "epochs": 20, **train_lm.HPARAMS}
    assert record["sample"] == train_lm.SAMPLE
    assert {"python", "numpy", "torch"} <= set(record)
    steps = record["val_step"]
    assert steps == list(train_lm.CURVE_STEPS)
    assert len(record["train_loss"]) == steps[-1]
    assert sorted(map(int, record["samples"])) == list(train_lm.SAMPLE_STEPS)


def test_the_curve_ends_at_the_checkpoint(record):
    from companion.char_lm import load_char_lm

    _, meta = load_char_lm(ROOT / "book/data/char_lstm.npz")
    # The record is a re-run of the recipe (this machine, these versions);
    # the stored checkpoint ends 0.002 nats away (rounding over 2,420 steps)
    assert record["val_loss"][-1] == pytest.approx(
        math.log(meta["val_ppl"]), abs=5e-3
    )


def test_the_first_steps_reproduce_the_record(record, train_lm, torch):
    curve = {}
    threads = torch.get_num_threads()
    deterministic = torch.are_deterministic_algorithms_enabled()
    try:
        train_lm.train(1, curve, max_steps=PREFIX)
    finally:  # train() sets both for the whole process
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(deterministic)
    n = len(curve["train_loss"])
    assert n == PREFIX
    assert curve["train_loss"] == pytest.approx(
        record["train_loss"][:n], abs=2e-6
    )
    k = len(curve["val_loss"])
    assert curve["val_step"] == record["val_step"][:k]
    assert curve["val_loss"] == pytest.approx(record["val_loss"][:k], abs=2e-6)
    assert curve["samples"]["0"] == record["samples"]["0"]
