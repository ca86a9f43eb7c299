"""Time the loop, the scans and the closed form of h_t = a_t h_{t-1} + b_t.

    python tools/bench_scan.py                       # what the book records
    python tools/bench_scan.py --T 256 --H 1 --out /tmp/s.csv

For every sequence length T and channel count H (batch N = 1, float64,
a uniform in [0.5, 1), b standard normal, seeded) and every thread count,
each method of ``companion.scan.linear_scan`` and ``companion.scan.closed_form``
is called once untimed and then ``reps`` times (3 for calls over 0.2 s); the
record keeps the median, quartiles and min in milliseconds, the method's
number of Python-level steps, and its largest error against the loop relative
to max|h| (inf or NaN where the closed form over- or underflows). Threads are
set with threadpoolctl for every thread pool NumPy has loaded. Writes
``# key: value`` lines (machine, versions, settings) and then one CSV row per
(T, H, threads, method): read it with ``companion.bench.read_csv``.
"""

from __future__ import annotations

import argparse
import csv
import math
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from companion.bench.timing import machine_info, summarize, time_calls
from companion.scan import METHODS, closed_form, linear_scan

COLUMNS = (
    "T",
    "H",
    "threads",
    "method",
    "python_steps",
    "reps",
    "median_ms",
    "q25_ms",
    "q75_ms",
    "min_ms",
    "max_rel_err",
)


def python_steps(method, T):
    """Python-level steps (loop iterations) a method takes for length T."""
    rounds = math.ceil(math.log2(T)) if T > 1 else 0
    C = math.ceil(math.sqrt(T))
    return {
        "sequential": T,
        "hillis_steele": rounds,
        "blelloch": 2 * rounds,
        "chunked": C - 1 + math.ceil(T / C),
        "log": 1,
        "closed_form": 1,
    }[method]


def run(Ts, Hs, threads, max_elements, out):
    from threadpoolctl import threadpool_limits

    rows = []
    for T in Ts:
        for H in Hs:
            if T * H > max_elements:
                continue
            rng = np.random.default_rng(T + H)
            a = rng.uniform(0.5, 1.0, (1, T, H))
            b = rng.standard_normal((1, T, H))
            reference = linear_scan(a, b)
            scale = np.abs(reference).max()
            calls = {
                m: (lambda m=m, a=a, b=b: linear_scan(a, b, method=m))
                for m in METHODS
            }
            calls["closed_form"] = lambda a=a, b=b: closed_form(a, b)
            for n in threads:
                with threadpool_limits(limits=n):
                    for method, fn in calls.items():
                        t0 = time.perf_counter()
                        hs = fn()
                        first = time.perf_counter() - t0
                        reps = 3 if first > 0.2 else 7
                        stats = summarize(time_calls(fn, reps=reps, warmup=0))
                        with np.errstate(invalid="ignore"):
                            err = float(np.max(np.abs(hs - reference)) / scale)
                        rows.append(
                            {
                                "T": T,
                                "H": H,
                                "threads": n,
                                "method": method,
                                "python_steps": python_steps(method, T),
                                "reps": reps,
                                **{
                                    k: f"{v:.4g}"
                                    for k, v in stats.items()
                                    if k in COLUMNS
                                },
                                "max_rel_err": f"{err:.3g}",
                            }
                        )
                        print(
                            T,
                            H,
                            n,
                            method,
                            rows[-1]["median_ms"],
                            "ms",
                            flush=True,
                        )
    info = machine_info()
    import threadpoolctl

    info["threadpoolctl"] = threadpoolctl.__version__
    info["settings"] = (
        f"N=1 float64 a~U[0.5,1) b~N(0,1) seed=T+H; T={Ts} H={Hs} "
        f"threads={threads} max_elements={max_elements}; median of 7 calls "
        "(3 when a call takes over 0.2 s) after one untimed call"
    )
    info["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = pathlib.Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as f:
        f.writelines(f"# {k}: {v}\n" for k, v in info.items())
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print("wrote", out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--T", type=int, nargs="+", default=[256, 4096, 65536])
    p.add_argument("--H", type=int, nargs="+", default=[1, 32, 1024])
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--max-elements", type=int, default=2**22)
    p.add_argument("--out", default=str(ROOT / "book/data/bench_scan_cpu.csv"))
    args = p.parse_args(argv)
    run(args.T, args.H, args.threads, args.max_elements, args.out)


if __name__ == "__main__":
    main()
