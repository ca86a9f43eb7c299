"""Time the loop, the scans and the closed form of h_t = a_t h_{t-1} + b_t.

    python tools/bench_scan.py                       # what the book records
    python tools/bench_scan.py --T 256 --H 1 --out /tmp/s.csv

For every sequence length T and channel count H (batch N = 1, float64,
a uniform in [0.5, 1), b standard normal, seeded) and every thread count
(set with threadpoolctl for every pool NumPy has loaded), the record times:

* each method of ``companion.scan.linear_scan`` and ``scan.closed_form``;
* for H = 1, ``python_floats``: the plain Python loop over floats that a
  reader writes for one channel (``tolist()`` in, ``np.array`` out, timed);
* ``closed_form_time_last``: the same closed form on arrays stored (N, H, T),
  time contiguous (the layout is prepared outside the timing): an A/B of the
  memory layout alone.

Each is called once untimed, then the methods take turns for ``reps``
interleaved rounds (7, or 3 when the slowest call takes over 0.2 s), so that
a change of load hits all of them alike. The record keeps the median,
quartiles and min in milliseconds, ``python_steps`` (the loop iterations in
Python each method makes, from its formula: T, ceil(log2 T), 2 ceil(log2 T),
C - 1 + ceil(T / C) with C = ceil(sqrt T), or 1) and the largest error
against the loop relative to max|h| (inf or NaN where the closed form
overflows). ``# key: value`` lines hold the machine, its load, versions and
settings; read it with ``companion.bench.read_csv``.
"""

from __future__ import annotations

import argparse
import csv
import math
import pathlib
import time

import numpy as np

from companion.bench.timing import machine_info, summarize, time_calls
from companion.scan import METHODS, closed_form, linear_scan

ROOT = pathlib.Path(__file__).resolve().parents[1]

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
    """Python-level steps (loop iterations) a method takes for length T,
    from its formula."""
    rounds = math.ceil(math.log2(T)) if T > 1 else 0
    C = math.ceil(math.sqrt(T))
    return {
        "sequential": T,
        "hillis_steele": rounds,
        "blelloch": 2 * rounds,
        "chunked": C - 1 + math.ceil(T / C),
        "log": 1,
        "closed_form": 1,
        "closed_form_time_last": 1,
        "python_floats": T,
    }[method]


def python_floats(a, b):
    """The loop a reader writes for one channel: Python floats. a, b (1, T, 1)."""
    h, out = 0.0, []
    for a_t, b_t in zip(a.ravel().tolist(), b.ravel().tolist()):
        h = a_t * h + b_t
        out.append(h)
    return np.array(out).reshape(a.shape)


def closed_form_time_last(a_ht, b_ht):
    """scan.closed_form's formula on (N, H, T) arrays, time contiguous."""
    P = np.cumprod(a_ht, axis=2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return P * np.cumsum(b_ht / P, axis=2)


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
            a_ht = np.ascontiguousarray(a.transpose(0, 2, 1))  # (N, H, T)
            b_ht = np.ascontiguousarray(b.transpose(0, 2, 1))
            calls["closed_form_time_last"] = lambda a_ht=a_ht, b_ht=b_ht: (
                closed_form_time_last(a_ht, b_ht)
            )
            if H == 1:
                calls["python_floats"] = lambda a=a, b=b: python_floats(a, b)
            for n in threads:
                with threadpool_limits(limits=n):
                    errors, first = {}, {}
                    for method, fn in calls.items():
                        t0 = time.perf_counter()
                        hs = fn()
                        first[method] = time.perf_counter() - t0
                        if method == "closed_form_time_last":
                            hs = hs.transpose(0, 2, 1)
                        with np.errstate(invalid="ignore"):
                            errors[method] = float(
                                np.max(np.abs(hs - reference)) / scale
                            )
                    reps = 3 if max(first.values()) > 0.2 else 7
                    times = {m: [] for m in calls}
                    for _ in range(reps):  # interleaved rounds
                        for method, fn in calls.items():
                            times[method].append(
                                time_calls(fn, reps=1, warmup=0)[0]
                            )
                    for method in calls:
                        stats = summarize(times[method])
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
                                "max_rel_err": f"{errors[method]:.3g}",
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
        f"threads={threads} max_elements={max_elements}; each call once "
        "untimed, then 7 interleaved rounds (3 when the slowest call takes "
        "over 0.2 s); NumPy element-wise calls and accumulate run in one "
        "thread, so the thread setting changes no method here"
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
