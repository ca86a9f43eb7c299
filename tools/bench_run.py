"""Benchmark one LSTM layer: NumPy naive and optimised, PyTorch loop and nn.LSTM, Keras.

    python tools/bench_run.py                                  # all sizes, CPU, every implementation
    python tools/bench_run.py --sizes tiny,small --reps 7 --threads 2 --out results.csv --plot results.png
    python tools/bench_run.py --device cuda --out book/data/bench_gpu.csv --plot bench_gpu.png

With --device cuda the PyTorch implementations run on the GPU (nn.LSTM uses
cuDNN; the hand-written loop runs eagerly and with its step torch.compile'd);
NumPy and Keras are left out unless named in --impls, and then run on the CPU,
labelled "cpu" in the CSV. Every time is also given as a ratio to nn.LSTM on
the same size, mode and device.

On the CPU, torch_nn is nn.LSTM with PyTorch's defaults (oneDNN on) and
torch_nn_onednn_off the same module with oneDNN switched off. keras runs with
TF_ENABLE_ONEDNN_OPTS=0, as the book's chapters set it (stable numerics);
keras_tf_default runs the same layer in a child process of this script with
the variable unset, TensorFlow's default (oneDNN custom ops on): TensorFlow reads it
once, at import.
"""

from __future__ import annotations

import os
import pathlib
import sys

from bench_cli import bench_parser

ROOT = pathlib.Path(__file__).resolve().parents[1]
CPU_IMPLS = "numpy_naive,numpy_opt,torch_loop,torch_nn,torch_nn_onednn_off,keras,keras_tf_default"
CUDA_IMPLS = "torch_loop,torch_loop_compiled,torch_nn"
# implementations timed by a child process of this script: {name: (its
# --impls, its --tf-onednn)}; TensorFlow reads TF_ENABLE_ONEDNN_OPTS at import
CHILD_IMPLS = {"keras_tf_default": ("keras", "default")}


def parse_args(argv=None):
    ap = bench_parser(
        __doc__,
        sizes="all",
        reps_help="timed repetitions (medium caps at 3, large at 2)",
        threads=os.cpu_count(),
        threads_help="CPU threads for BLAS, PyTorch and TensorFlow",
        out="bench_results.csv",
        out_help="CSV path",
    )
    ap.add_argument(
        "--impls",
        default=None,
        help=f"comma-separated (default cpu: {CPU_IMPLS}; cuda: {CUDA_IMPLS})",
    )
    ap.add_argument("--modes", default="forward,forward+backward")
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    ap.add_argument(
        "--clock",
        choices=("wall", "process"),
        default="wall",
        help="wall: elapsed time; process: CPU time of all the process's threads, user and system (CPU only; leaves out waiting for other programs)",
    )
    ap.add_argument(
        "--tf-onednn",
        choices=("0", "default"),
        default="0",
        help="TF_ENABLE_ONEDNN_OPTS for TensorFlow: 0 (the book's setting) or default (unset)",
    )
    ap.add_argument(
        "--plot",
        default=None,
        help="PNG path (default: the CSV path with .png)",
    )
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    # Thread counts must be fixed before NumPy's OpenBLAS and TensorFlow start.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    sys.path.insert(0, str(ROOT))
    from companion.notebook import quiet_tensorflow

    quiet_tensorflow()
    if args.tf_onednn == "default":
        os.environ.pop("TF_ENABLE_ONEDNN_OPTS")
    from companion import bench

    impls = (
        args.impls or (CUDA_IMPLS if args.device == "cuda" else CPU_IMPLS)
    ).split(",")
    for name in impls:
        if name not in bench.IMPLS + tuple(CHILD_IMPLS):
            raise SystemExit(
                f"--impls: unknown implementation {name!r}; choose from {', '.join(bench.IMPLS + tuple(CHILD_IMPLS))}"
            )
    here = [name for name in impls if name not in CHILD_IMPLS]
    modes = [m for m in args.modes.split(",") if m]
    sizes = bench.parse_sizes(args.sizes)

    import torch

    if "keras" in here:
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
    # OpenBLAS, PyTorch and (if imported) TensorFlow's intra- and inter-op pools
    threads_set = bench.set_threads(args.threads)
    if args.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: PyTorch sees no CUDA device")

    meta = bench.machine_info(args.device)
    meta["command"] = " ".join(["tools/bench_run.py", *(argv or sys.argv[1:])])
    meta["threads"] = args.threads
    meta["clock"] = args.clock
    if "keras" in here:  # what TensorFlow itself reports (a private call)
        from tensorflow.python.util import _pywrap_util_port

        meta["tf_onednn_enabled"] = _pywrap_util_port.IsMklEnabled()
    meta["TF_ENABLE_ONEDNN_OPTS"] = os.environ.get(
        "TF_ENABLE_ONEDNN_OPTS",
        "unset (TensorFlow's default: oneDNN custom operations on)",
    )
    meta["settings_note"] = (
        "torch_nn: nn.LSTM, PyTorch's defaults (oneDNN on the CPU);"
        " torch_nn_onednn_off: torch.backends.mkldnn.enabled = False;"
        " keras: TF_ENABLE_ONEDNN_OPTS=0; keras_tf_default: the variable unset"
        " (a child process); Grappler on (TensorFlow's default) in both"
    )
    meta["threads_set"] = ", ".join(f"{k}={v}" for k, v in threads_set.items())
    meta["gemm_gflops_numpy"] = (
        f"{bench.gemm_gflops(1024, library='numpy', clock=args.clock):.1f}"
    )
    meta["gemm_gflops_torch"] = (
        f"{bench.gemm_gflops(1024, library='torch', clock=args.clock):.1f}"
    )
    meta["bandwidth_gbs"] = f"{bench.bandwidth_gbs(clock=args.clock):.1f}"
    peak = max(
        float(meta["gemm_gflops_numpy"]), float(meta["gemm_gflops_torch"])
    )
    meta["gemm_peak_note"] = (
        "best float32 1024^3 GEMM of NumPy and PyTorch at these threads, GFLOP/s"
    )
    if args.device == "cuda":
        meta["torch_cuda_note"] = (
            "torch_* rows on the GPU; ratios compare rows of the same device"
        )
    if args.note:
        meta["note"] = args.note
    for k, v in meta.items():
        print(f"{k}: {v}")
    print()

    rows = bench.run_suite(
        sizes,
        here,
        modes,
        reps=args.reps,
        threads=args.threads,
        device=args.device,
        gemm_peak=peak,
        clock=args.clock,
    )
    for name in impls:
        if name in CHILD_IMPLS:
            child, child_meta = child_rows(name, args, peak)
            rows += child
            for key in (
                "TF_ENABLE_ONEDNN_OPTS",
                "tf_onednn_enabled",
                "threads_set",
            ):
                meta[f"{name} {key}"] = child_meta.get(key, "")
    order = {name: k for k, name in enumerate(impls)}
    place = {
        (s.name, m): k
        for k, (s, m) in enumerate((s, m) for s in sizes for m in modes)
    }
    rows.sort(key=lambda r: (place[r["size"], r["mode"]], order[r["impl"]]))
    bench.add_ratios(rows)
    print("\nratios to nn.LSTM (same size, mode, device):")
    for r in rows:
        print(bench.suite.format_row(r))
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    bench.write_csv(out, rows, meta)
    print(f"\nwrote {out}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plot = pathlib.Path(args.plot) if args.plot else out.with_suffix(".png")
    plot.parent.mkdir(
        parents=True, exist_ok=True
    )  # e.g. _build/ on a fresh clone
    label = (
        meta.get("gpu", meta["cpu"])
        + f", {args.threads} threads, torch {meta['torch']}"
    )
    try:
        axes = bench.plot_ratios(
            [r for r in rows if r["device"] == args.device] or rows,
            title=label,
        )
        axes[0].figure.tight_layout()
        axes[0].figure.savefig(plot, dpi=110)
        plt.close(axes[0].figure)
        print(f"wrote {plot}")
    except ValueError as e:
        print(f"no plot: {e}")
    return rows


def child_rows(name, args, peak):
    """(rows, meta) of ``name`` timed by a child process (CHILD_IMPLS); rows renamed."""
    import subprocess
    import tempfile

    from companion import bench

    impl, tf_onednn = CHILD_IMPLS[name]
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "child.csv"
        cmd = [sys.executable, __file__, "--impls", impl]
        cmd += ["--tf-onednn", tf_onednn, "--sizes", args.sizes]
        cmd += ["--modes", args.modes, "--reps", str(args.reps)]
        cmd += ["--threads", str(args.threads), "--out", str(out)]
        cmd += ["--clock", args.clock]
        cmd += ["--plot", str(out.with_suffix(".png"))]
        print(f"\n{name}: {' '.join(cmd[1:])}")
        subprocess.run(cmd, check=True)
        rows, meta = bench.read_csv(out)
    print(
        f"{name}: TF_ENABLE_ONEDNN_OPTS {meta['TF_ENABLE_ONEDNN_OPTS']},"
        f" oneDNN enabled: {meta.get('tf_onednn_enabled')}\n"
    )
    for r in rows:
        r["impl"] = name
        r["ratio_to_torch_nn"] = None
        if r["status"] == "ok":  # the parent's GEMM peak, as every row
            r["frac_of_gemm_peak"] = r["gflops"] / peak
    return rows, meta


if __name__ == "__main__":
    main()
