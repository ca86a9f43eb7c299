"""Timing, FLOP counts and the machine's own limits (GEMM throughput, memory bandwidth).

FLOPs of one LSTM layer count the matrix products only (the fused step's
element-wise work is 22 operations per hidden unit and step, see
``breakdown.elementwise_work``: under 4% of the FLOPs at every preset size):

    forward:           T * 2 N (D + H) 4H
    forward+backward:  3 times that (the backward pass has two GEMMs per forward GEMM)
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass

import numpy as np

from ..validate import one_of, positive_int


@dataclass(frozen=True)
class Size:
    """A benchmark size: batch N, steps T, input D, hidden H; ``max_reps`` caps repetitions."""

    name: str
    N: int
    T: int
    D: int
    H: int
    max_reps: int = 100
    warmup_steps: int | None = (
        None  # warm up on the first steps only (None: the whole sequence)
    )


SIZES = {
    "tiny": Size("tiny", 8, 20, 32, 64),
    "small": Size("small", 64, 100, 128, 256),
    "medium": Size("medium", 128, 100, 256, 512, max_reps=3),
    "large": Size("large", 256, 200, 512, 1024, max_reps=2, warmup_steps=10),
}


def parse_sizes(text) -> list:
    """Sizes from a comma-separated list of preset names ('all' for every preset)."""
    names = [s.strip() for s in str(text).split(",") if s.strip()]
    if names == ["all"]:
        return list(SIZES.values())
    return [SIZES[one_of("size", n, tuple(SIZES))] for n in names]


def lstm_flops(N, T, D, H, mode="forward") -> int:
    """Matrix-product FLOPs of one LSTM layer (see the module docstring)."""
    N, T, D, H = (positive_int(k, v) for k, v in zip("NTDH", (N, T, D, H)))
    one_of("mode", mode, ("forward", "forward+backward"))
    f = T * 2 * N * (D + H) * 4 * H
    return f if mode == "forward" else 3 * f


CLOCKS = {
    "wall": time.perf_counter,
    "thread": time.thread_time,
    "process": time.process_time,
}
"""``wall``: elapsed time. ``thread``: CPU time of the calling thread, user and
system: it leaves out the time spent waiting while other processes run, but
its system part (the kernel's work for the thread, e.g. on freshly allocated
memory) depends on the whole machine; it counts only this thread's work, so use it with one BLAS thread and on the CPU only. ``process``: CPU time of
all the process's threads (TensorFlow runs ops on threads of its own), on the
CPU only; a thread that spins while it waits counts too."""


def time_calls(fn, reps=5, warmup=1, sync=None, clock="wall") -> np.ndarray:
    """Seconds of ``reps`` calls of ``fn()`` after ``warmup`` untimed calls (``sync()`` after each).

    clock: "wall", "thread" or "process" (see ``CLOCKS``).
    """
    reps = positive_int("reps", reps)
    now = CLOCKS[one_of("clock", clock, tuple(CLOCKS))]
    sync = sync or (lambda: None)
    for _ in range(warmup):
        fn()
        sync()
    out = np.empty(reps)
    for k in range(reps):
        t0 = now()
        fn()
        sync()
        out[k] = now() - t0
    return out


def summarize(seconds) -> dict:
    """Median, quartiles, min and max of a run of timings, in milliseconds."""
    ms = np.asarray(seconds, dtype=float) * 1e3
    q25, med, q75 = np.percentile(ms, [25, 50, 75])
    return {
        "median_ms": med,
        "q25_ms": q25,
        "q75_ms": q75,
        "min_ms": ms.min(),
        "max_ms": ms.max(),
    }


def set_blas_threads(n) -> bool:
    """Set the thread count of every BLAS library loaded in this process (threadpoolctl).

    Returns False if no BLAS library is loaded; then set OPENBLAS_NUM_THREADS
    before NumPy is imported instead.
    """
    from threadpoolctl import threadpool_limits

    n = positive_int("n", n)
    threadpool_limits(
        limits=n, user_api="blas"
    )  # stays in force: not used as a context
    return bool(blas_threads())


def blas_threads() -> dict:
    """{library file name: thread count} of every loaded BLAS library (threadpoolctl)."""
    from threadpoolctl import threadpool_info

    return {
        os.path.basename(lib["filepath"]): lib["num_threads"]
        for lib in threadpool_info()
        if lib["user_api"] == "blas"
    }


def set_threads(n) -> dict:
    """The same thread count for NumPy's BLAS, PyTorch and TensorFlow (those already imported).

    TensorFlow's intra- and inter-op pools can only be set before its first
    operation runs; later this raises RuntimeError. Returns the counts each
    library reports back: {"blas": ..., "torch": ..., "tensorflow intra-op": ..., ...}.
    """
    import sys

    n = positive_int("threads", n)
    set_blas_threads(n)
    counts = {"blas": sorted(set(blas_threads().values()))}
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        torch.set_num_threads(n)
        counts["torch"] = torch.get_num_threads()
    if "tensorflow" in sys.modules:
        threading = sys.modules["tensorflow"].config.threading
        threading.set_intra_op_parallelism_threads(n)
        threading.set_inter_op_parallelism_threads(n)
        counts["tensorflow intra-op"] = (
            threading.get_intra_op_parallelism_threads()
        )
        counts["tensorflow inter-op"] = (
            threading.get_inter_op_parallelism_threads()
        )
    return counts


def gemm_gflops(n=1024, reps=5, library="numpy", clock="wall") -> float:
    """Measured float32 GEMM throughput, (n, n) @ (n, n), best of ``reps``, in GFLOP/s."""
    n = positive_int("n", n)
    one_of("library", library, ("numpy", "torch"))
    a = np.random.default_rng(0).standard_normal((n, n)).astype(np.float32)
    if library == "torch":
        import torch

        a = torch.from_numpy(a)
    t = time_calls(lambda: a @ a, reps=reps, warmup=1, clock=clock).min()
    return 2 * n**3 / t / 1e9


# Arrays a float32 c = a + b moves through memory: read a, read b, write c, and
# read c first (write-allocate: a cache line is loaded before it is written).
ADD_STREAMS = 4


def bandwidth_gbs(megabytes=64, reps=5, clock="wall") -> float:
    """Measured memory bandwidth of ``c = a + b`` on float32 arrays too big for caches, in GB/s.

    Counts ``ADD_STREAMS`` = 4 arrays moved (with write-allocate, c is read before it is written).
    """
    n = positive_int("megabytes", megabytes) * 2**20 // 4
    a, b, c = (np.ones(n, np.float32) for _ in range(3))
    t = time_calls(
        lambda: np.add(a, b, out=c), reps=reps, warmup=1, clock=clock
    ).min()
    return ADD_STREAMS * n * 4 / t / 1e9


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or platform.processor())."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cache_sizes() -> str:
    """The first core's caches from /sys (Linux), e.g. "L1d 48K, L2 2048K, L3 307200K"; "" elsewhere."""
    import pathlib

    parts = []
    for d in sorted(
        pathlib.Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")
    ):
        try:
            level, kind, size = (
                (d / k).read_text().strip() for k in ("level", "type", "size")
            )
        except OSError:
            continue
        if kind != "Instruction":
            parts.append(f"L{level}{'d' if kind == 'Data' else ''} {size}")
    return ", ".join(parts)


def _version(dist):
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def machine_info(device="cpu") -> dict:
    """What the timings depend on: CPU, cores, load, library versions, and the GPU for "cuda"."""
    info = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "caches": cache_sizes(),
        "loadavg_1min": f"{os.getloadavg()[0]:.2f}"
        if hasattr(os, "getloadavg")
        else "n/a",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": _blas_name(),
        "torch": _version("torch"),
        "tensorflow": _version("tensorflow-cpu")
        if _version("tensorflow") == "not installed"
        else _version("tensorflow"),
        "keras": _version("keras"),
    }
    if device == "cuda":
        info.update(gpu_info())
    return info


def _blas_name():
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{cfg.get('name')} {cfg.get('version')}"
    except Exception:  # noqa: BLE001  (older NumPy: no dict mode)
        return "unknown"


def gpu_info() -> dict:
    """GPU name, CUDA and cuDNN versions from PyTorch, driver from nvidia-smi if present."""
    import shutil
    import subprocess

    import torch

    info = {
        "gpu": torch.cuda.get_device_name(0),
        "cuda": torch.version.cuda,
        "cudnn": str(torch.backends.cudnn.version()),
    }
    if shutil.which("nvidia-smi"):
        q = subprocess.run(  # noqa: PLW1510  (a failure is read from stderr)
            [
                "nvidia-smi",
                "--query-gpu=name,driver_version,memory.total",
                "--format=csv,noheader",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        info["nvidia_smi"] = (
            q.stdout.strip().splitlines()[0]
            if q.stdout.strip()
            else q.stderr.strip()
        )
    return info
