"""Train the language-model chapter's checkpoint, deterministically.

    python tools/train_lm.py [--out book/data/char_lstm.npz] [--epochs 20]
                             [--curve book/data/char_lstm_curve.json]

A character-level LSTM (companion.torch_char_lm, float32, one CPU thread,
seeded) on the first 90 % of book/data/shakespeare.txt; the last 10 % is the
validation text. Writes the weights with companion.char_lm.save_char_lm,
with the hyper-parameters and the validation perplexity (computed by the
NumPy model) beside them; tests/test_char_lm.py checks that number again.

With --curve it also records how the same run learns (the inside chapter):
the training loss of every step, the validation loss at the steps of
CURVE_STEPS and a sample at the steps of SAMPLE_STEPS, with the seed, the
settings and the versions. Recording reads the model without changing it
(no gradient, no torch random numbers), so the checkpoint is the same with
or without it; tests/test_lm_curve.py re-runs the first steps.
A few CPU minutes.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from companion.char_lm import (
    CharLM,
    evaluate,
    initial_state,
    save_char_lm,
    step_fn,
)
from companion.text import (
    Vocab,
    generate,
    load_text,
    perplexity,
    sequential_batches,
    train_val_split,
)
from companion.torch_char_lm import TorchCharLM, detach

ROOT = pathlib.Path(__file__).resolve().parents[1]
HPARAMS = {"H": 128, "batch_size": 32, "seq_len": 64, "lr": 3e-3, "clip": 1.0}
#: steps (updates done) at which the curve records the validation loss
CURVE_STEPS = (0, 10, 25, 50, 100, 150, 200, 300, 400, 500, 750, 1000)
CURVE_STEPS += tuple(range(1250, 2420, 250)) + (2420,)
#: steps at which it records a sample, and how it samples
SAMPLE_STEPS = (0, 100, 300, 1000, 2420)
SAMPLE = {"prime": "\n", "length": 300, "temperature": 0.8, "seed": 0}


def _numpy64(model):
    numpy_model = model.to_numpy()
    return numpy_model.replace(
        {k: v.astype(np.float64) for k, v in numpy_model.as_dict().items()}
    )


def val_loss(model, val):
    """Mean cross-entropy over the validation text read as one stream."""
    with torch.no_grad():
        X = torch.from_numpy(val[None, :-1])  # (1, L - 1)
        logits, _ = model(X)
        loss = torch.nn.functional.cross_entropy(
            logits[0].double(), torch.from_numpy(val[1:])
        )
    return loss.item()


def sample(model, vocab):
    """SAMPLE's text from the NumPy (float64) copy of the model."""
    numpy_model = _numpy64(model)
    out = generate(
        step_fn(numpy_model),
        initial_state(numpy_model, 1),
        SAMPLE["prime"],
        vocab,
        SAMPLE["length"],
        SAMPLE["temperature"],
        np.random.default_rng(SAMPLE["seed"]),
    )
    return out[len(SAMPLE["prime"]) :]


def train(epochs, curve=None, max_steps=None):
    """Train as the checkpoint was trained; returns (model, vocab, val).

    curve: None, or a dict that receives the record (see the module doc);
    max_steps: stop after this many updates (the test's short prefix).
    """
    torch.set_num_threads(1)
    threadpool_limits(1)
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    text = load_text(ROOT / "book/data/shakespeare.txt")
    vocab = Vocab.from_text(text)
    train_ids, val = train_val_split(vocab.encode(text), 0.1)
    hp = HPARAMS
    rng = np.random.default_rng(0)
    model = TorchCharLM.from_numpy(
        CharLM.random("lstm", vocab.size, hp["H"], rng), dtype=torch.float32
    )
    opt = torch.optim.Adam(model.parameters(), lr=hp["lr"])
    val_batches = sequential_batches(val, 1, hp["seq_len"])
    if curve is not None:
        curve.update(train_loss=[], val_step=[], val_loss=[], samples={})
    step = 0

    def record():
        if curve is None:
            return
        if step in CURVE_STEPS:
            curve["val_step"].append(step)
            curve["val_loss"].append(round(val_loss(model, val), 6))
        if step in SAMPLE_STEPS:
            curve["samples"][str(step)] = sample(model, vocab)

    record()
    for epoch in range(epochs):
        offset = epoch % hp["seq_len"]
        batches = sequential_batches(
            train_ids, hp["batch_size"], hp["seq_len"], offset=offset
        )
        state, total = None, 0.0
        for X, Y in batches:
            logits, state = model(torch.from_numpy(X), state)
            state = detach(state)
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, vocab.size), torch.from_numpy(Y).reshape(-1)
            )
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), hp["clip"])
            opt.step()
            total += loss.item()
            step += 1
            if curve is not None:
                curve["train_loss"].append(round(loss.item(), 6))
            record()
            if max_steps is not None and step >= max_steps:
                return model, vocab, val
        val_ppl = perplexity(evaluate(_numpy64(model), val_batches))
        print(
            f"epoch {epoch + 1:2d}: train loss {total / len(batches):.3f}, "
            f"validation perplexity {val_ppl:.3f}",
            flush=True,
        )
    model.val_ppl = val_ppl
    return model, vocab, val


def versions():
    """The versions a record depends on."""
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=ROOT / "book/data/char_lstm.npz")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--curve", default=None)
    args = parser.parse_args()
    curve = None if args.curve is None else {}
    model, _, _ = train(args.epochs, curve)
    save_char_lm(
        args.out,
        model.to_numpy(),
        epochs=args.epochs,
        val_ppl=model.val_ppl,
        **HPARAMS,
    )
    print(f"wrote {args.out}")
    if curve is not None:
        settings = {"seed": 0, "epochs": args.epochs, **HPARAMS}
        head = {"settings": settings, "sample": SAMPLE, **versions()}
        with open(args.curve, "w", encoding="utf-8") as f:
            json.dump({**head, **curve}, f, indent=1)
            f.write("\n")
        print(f"wrote {args.curve}")


if __name__ == "__main__":
    main()
