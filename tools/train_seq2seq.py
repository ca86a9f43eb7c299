"""Train the seq2seq chapter's date translators, deterministically.

    python tools/train_seq2seq.py [--seeds 0 1 2 3 4] [--steps 1000]

For each seed, two encoder-decoders (companion.torch_seq2seq, float32, one
CPU thread, seeded): with additive attention and without (the decoder reads
the encoder's last state at every step). Each is scored by the NumPy model
on the held-out dates (2026-2027, never a training date): greedy and beam
search (width 5), exact match and per character. Writes one row per run to
book/data/seq2seq_runs.csv (with the settings and versions) and the seed-0
models to book/data/seq2seq_attn.npz and seq2seq_plain.npz.
tests/test_seq2seq.py re-runs the first steps of seed 0 and checks the record.
"""

from __future__ import annotations

import argparse
import csv
import pathlib
import platform
import time

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from companion.seq2seq import date_accuracy, save_seq2seq
from companion.torch_seq2seq import SETTINGS, date_data, train_seq2seq

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "book/data"
PREFIX = 20  # the reproducibility test re-runs this many steps


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4]
    )
    parser.add_argument("--steps", type=int, default=SETTINGS["steps"])
    parser.add_argument("--out", default=DATA / "seq2seq_runs.csv")
    args = parser.parse_args()
    torch.set_num_threads(1)
    threadpool_limits(1)
    torch.use_deterministic_algorithms(True)
    settings = dict(SETTINGS, steps=args.steps)
    vocabs, train, test = date_data(settings["n_train"], settings["n_test"])
    rows = []
    for seed in args.seeds:
        for attention in (True, False):
            start = time.process_time()
            params, losses = train_seq2seq(
                seed, attention, train, vocabs, args.steps, settings, print
            )
            cpu = time.process_time() - start
            _, exact, chars = date_accuracy(params, test, vocabs)
            _, beam_exact, beam_chars = date_accuracy(params, test, vocabs, 5)
            row = {
                "seed": seed,
                "attention": int(attention),
                "loss_prefix": f"{losses[PREFIX - 1]:.6f}",
                "prefix_steps": PREFIX,
                "final_loss": f"{np.mean(losses[-50:]):.6f}",
                "greedy_exact": f"{exact:.4f}",
                "greedy_chars": f"{chars:.4f}",
                "beam5_exact": f"{beam_exact:.4f}",
                "beam5_chars": f"{beam_chars:.4f}",
                **settings,
                "torch": torch.__version__,
                "numpy": np.__version__,
                "python": platform.python_version(),
                "train_cpu_s": f"{cpu:.0f}",
            }
            print(row, flush=True)
            rows.append(row)
            if seed == 0:
                name = "seq2seq_attn.npz" if attention else "seq2seq_plain.npz"
                save_seq2seq(
                    DATA / name,
                    params,
                    seed=seed,
                    losses=np.float32(losses),
                    **settings,
                )
    with open(args.out, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
