"""minGRU against the GRU on the recall task, over seeds: the record the
parallel-recurrence chapter reads.

    python tools/experiments_scan.py              # writes book/data/mingru_recall.csv
    python tools/experiments_scan.py --seeds 0 --gaps 5 --out /tmp/r.csv

For every gap k (distractor steps), cell ("gru": torch.nn.GRU; "mingru":
companion.torch_mingru.MinGRU) and seed, ``companion.memory_task.train_recall``
trains a one-layer model of H = 16 units and a linear read-out under one
budget (300 Adam steps of 32 sequences, lr 0.01, float64, one thread) on 512
training sequences drawn with seed k, and scores it on 500 test sequences
drawn with seed 1000 + k (as the gru chapter does). Each row holds the test
accuracy, the mean training loss of the last 20 steps, the parameter count
and the wall time (not compared). ``# key: value`` lines hold the versions and
settings; read it with ``companion.bench.read_csv``.
"""

from __future__ import annotations

import argparse
import csv
import os
import pathlib
import platform
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from companion.memory_task import (
    recall_accuracy,
    recall_sequences,
    train_recall,
)

ROOT = pathlib.Path(__file__).resolve().parents[1]

SETTINGS = {"hidden_size": 16, "steps": 300, "batch_size": 32, "lr": 0.01}
COLUMNS = (
    "k",
    "cell",
    "seed",
    "params",
    "test_accuracy",
    "final_loss",
    "seconds",
)


def run_one(k, cell, seed):
    """One recorded run: the row's fields (without the wall time)."""
    X, y = recall_sequences(512, k, np.random.default_rng(k))
    X_test, y_test = recall_sequences(500, k, np.random.default_rng(1000 + k))
    model, losses = train_recall(cell, X, y, seed=seed, **SETTINGS)
    return {
        "k": k,
        "cell": cell,
        "seed": seed,
        "params": sum(p.numel() for p in model.parameters()),
        "test_accuracy": f"{recall_accuracy(model, X_test, y_test):.3f}",
        "final_loss": f"{np.mean(losses[-20:]):.4f}",
    }


def main(argv=None):
    import torch

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gaps", type=int, nargs="+", default=[5, 10, 20])
    p.add_argument("--cells", nargs="+", default=["gru", "mingru"])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    p.add_argument("--out", default=str(ROOT / "book/data/mingru_recall.csv"))
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    rows = []
    for k in args.gaps:
        for cell in args.cells:
            for seed in args.seeds:
                t0 = time.perf_counter()
                row = run_one(k, cell, seed)
                row["seconds"] = f"{time.perf_counter() - t0:.1f}"
                rows.append(row)
                print(row, flush=True)
    meta = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "settings": " ".join(f"{k}={v}" for k, v in SETTINGS.items())
        + " dtype=float64 train=512 (seed k) test=500 (seed 1000+k)"
        + " noise=3.0 classes=2 final_loss=mean of the last 20 steps",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    with open(args.out, "w", newline="") as f:
        f.writelines(f"# {key}: {v}\n" for key, v in meta.items())
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
