"""Where the time of the NumPy LSTM forward goes, level by level, and the roofline's kernels.

    python tools/bench_breakdown.py                     # what the book records (1 thread, 5 rounds, CPU time)
    python tools/bench_breakdown.py --sizes tiny --reps 3 --out /tmp/b.csv --kernels-out /tmp/k.csv

Writes two CSVs with the machine in ``# key: value`` header lines:

* ``--out`` (default book/data/bench_breakdown_cpu.csv): per size and forward
  level (naive, packed, hoisted, tanh_sigmoid, fused), the level's time, its
  time at N = D = H = 1 (per-call overhead), and its matrix products timed
  alone, each as min and median over --reps interleaved rounds;
* ``--kernels-out`` (default book/data/bench_kernels_cpu.csv): the input
  projection, one recurrent product (batch N and 1), the fused step's
  element-wise work and each sigmoid timed alone on --kernel-size, with their
  FLOPs and bytes; then the T recurrent products alone (NumPy, PyTorch) and
  nn.LSTM's forward with oneDNN on and off (``bench.breakdown.floor_rates``).

Read them back with ``companion.bench.read_csv``; ``companion.bench.split``
turns a breakdown row into products, overhead and element-wise work.
"""

from __future__ import annotations

import os
import pathlib
import sys
import time

from bench_cli import bench_parser

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "book" / "data"


def parse_args(argv=None):
    ap = bench_parser(
        __doc__,
        sizes="tiny,small,medium",
        reps_help="interleaved timed rounds (min and median kept)",
        threads=1,
        threads_help="BLAS threads (1: see tools/README.md, a shared machine makes 2 threads wait on each other)",
        out=str(DATA / "bench_breakdown_cpu.csv"),
        note_help="free text stored in the CSV headers",
    )
    ap.add_argument(
        "--kernel-size",
        default="small",
        help="the preset whose kernels are timed alone",
    )
    ap.add_argument(
        "--clock",
        choices=("thread", "wall"),
        default="thread",
        help="thread: CPU time of the one thread doing the work, user and system (needs --threads 1; leaves out waiting, but system time depends on the whole machine); wall: elapsed time",
    )
    ap.add_argument(
        "--kernels-out", default=str(DATA / "bench_kernels_cpu.csv")
    )
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.clock == "thread" and args.threads != 1:
        raise SystemExit(
            "--clock thread measures one thread's CPU time: use it with --threads 1"
        )
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    sys.path.insert(0, str(ROOT))
    from companion import bench
    from companion.bench.breakdown import BREAKDOWN_COLUMNS, KERNEL_COLUMNS

    bench.set_blas_threads(args.threads)
    start = time.perf_counter()
    meta = bench.machine_info()
    meta["threads"] = args.threads
    meta["blas_threads"] = ",".join(
        f"{k}={v}" for k, v in bench.blas_threads().items()
    )
    meta["reps"] = args.reps
    meta["clock"] = args.clock
    meta["gemm_gflops_numpy"] = (
        f"{bench.gemm_gflops(1024, library='numpy', clock=args.clock):.1f}"
    )
    meta["bandwidth_gbs"] = f"{bench.bandwidth_gbs(clock=args.clock):.1f}"
    meta["bandwidth_note"] = (
        f"c = a + b on 64 MB float32 arrays, {bench.ADD_STREAMS} streams (write-allocate)"
    )
    if args.note:
        meta["note"] = args.note
    for k, v in meta.items():
        print(f"{k}: {v}")

    rows = []
    for size in bench.parse_sizes(args.sizes):
        for row in bench.time_breakdown(
            size, reps=args.reps, threads=args.threads, clock=args.clock
        ):
            parts = bench.split(row)
            print(
                f"{row['size']:<7}{row['level']:<13} total {parts['total']:8.2f} ms  products {parts['products']:7.2f}"
                f"  element-wise {parts['elementwise']:7.2f}  overhead {parts['overhead']:6.2f}"
            )
            rows.append(row)
    kernels = bench.kernel_rates(
        bench.SIZES[args.kernel_size],
        reps=args.reps,
        threads=args.threads,
        clock=args.clock,
    )
    import torch

    from companion.bench.breakdown import floor_rates

    meta["torch_threads"] = args.threads
    meta["onednn"] = next(  # the oneDNN (MKL-DNN) PyTorch was built with
        (
            line.strip(" -")
            for line in torch.__config__.show().splitlines()
            if "MKL-DNN" in line or "oneDNN" in line
        ),
        "not in torch.__config__.show()",
    )
    kernels += floor_rates(
        bench.SIZES[args.kernel_size],
        reps=args.reps,
        threads=args.threads,
        clock=args.clock,
    )
    for k in kernels:
        intensity = (
            f"{k['flops'] / k['bytes']:6.3f} FLOP/B" if k["bytes"] else ""
        )
        print(
            f"{k['kernel']:<40} {k['min_ms']:9.3f} ms {k['flops'] / k['min_ms'] / 1e6:8.2f} GFLOP/s  {intensity}"
        )
    meta["duration_s"] = f"{time.perf_counter() - start:.0f}"
    meta["loadavg_1min_end"] = f"{os.getloadavg()[0]:.2f}"
    bench.write_csv(args.out, rows, meta, columns=BREAKDOWN_COLUMNS)
    bench.write_csv(args.kernels_out, kernels, meta, columns=KERNEL_COLUMNS)
    print(f"wrote {args.out} and {args.kernels_out} in {meta['duration_s']} s")
    return rows, kernels


if __name__ == "__main__":
    main()
