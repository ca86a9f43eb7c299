"""Train the language-model chapter's checkpoint, deterministically.

    python tools/train_lm.py [--out book/data/char_lstm.npz] [--epochs 20]

A character-level LSTM (companion.torch_char_lm, float32, one CPU thread,
seeded) on the first 90 % of book/data/shakespeare.txt; the last 10 % is the
validation text. Writes the weights with companion.char_lm.save_char_lm,
with the hyper-parameters and the validation perplexity (computed by the
NumPy model) beside them; tests/test_char_lm.py checks that number again.
A few CPU minutes.
"""

from __future__ import annotations

import argparse
import pathlib

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from companion.char_lm import CharLM, evaluate, save_char_lm
from companion.text import (
    Vocab,
    load_text,
    perplexity,
    sequential_batches,
    train_val_split,
)
from companion.torch_char_lm import TorchCharLM, detach

ROOT = pathlib.Path(__file__).resolve().parents[1]
HPARAMS = {"H": 128, "batch_size": 32, "seq_len": 64, "lr": 3e-3, "clip": 1.0}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=ROOT / "book/data/char_lstm.npz")
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(1)
    threadpool_limits(1)
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    text = load_text(ROOT / "book/data/shakespeare.txt")
    vocab = Vocab.from_text(text)
    train, val = train_val_split(vocab.encode(text), 0.1)
    hp = HPARAMS
    rng = np.random.default_rng(0)
    model = TorchCharLM.from_numpy(
        CharLM.random("lstm", vocab.size, hp["H"], rng), dtype=torch.float32
    )
    opt = torch.optim.Adam(model.parameters(), lr=hp["lr"])
    val_batches = sequential_batches(val, 1, hp["seq_len"])
    for epoch in range(args.epochs):
        offset = epoch % hp["seq_len"]
        batches = sequential_batches(
            train, hp["batch_size"], hp["seq_len"], offset=offset
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
        numpy_model = model.to_numpy()
        val_ppl = perplexity(
            evaluate(
                numpy_model.replace(
                    {
                        k: v.astype(np.float64)
                        for k, v in numpy_model.as_dict().items()
                    }
                ),
                val_batches,
            )
        )
        print(
            f"epoch {epoch + 1:2d}: train loss {total / len(batches):.3f}, "
            f"validation perplexity {val_ppl:.3f}",
            flush=True,
        )
    save_char_lm(
        args.out, model.to_numpy(), epochs=args.epochs, val_ppl=val_ppl, **hp
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
