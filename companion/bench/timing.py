"""Timing, FLOP counts and the machine's own limits (GEMM throughput, memory bandwidth).

FLOPs of one LSTM layer count the matrix products only (the element-wise
work is about 30 operations per hidden unit and step, under 4 % for the sizes
benchmarked here):

    forward:           T * 2 N (D + H) 4H
    forward+backward:  3 times that (the backward pass has two GEMMs per forward GEMM)
"""
from __future__ import annotations

import ctypes
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
    warmup_steps: int | None = None  # warm up on the first steps only (None: the whole sequence)


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


def time_calls(fn, reps=5, warmup=1, sync=None) -> np.ndarray:
    """Seconds of ``reps`` calls of ``fn()`` after ``warmup`` untimed calls (``sync()`` after each)."""
    reps = positive_int("reps", reps)
    sync = sync or (lambda: None)
    for _ in range(warmup):
        fn()
        sync()
    out = np.empty(reps)
    for k in range(reps):
        t0 = time.perf_counter()
        fn()
        sync()
        out[k] = time.perf_counter() - t0
    return out


def summarize(seconds) -> dict:
    """Median, quartiles, min and max of a run of timings, in milliseconds."""
    ms = np.asarray(seconds, dtype=float) * 1e3
    q25, med, q75 = np.percentile(ms, [25, 50, 75])
    return {"median_ms": med, "q25_ms": q25, "q75_ms": q75, "min_ms": ms.min(), "max_ms": ms.max()}


def set_blas_threads(n) -> bool:
    """Set NumPy's OpenBLAS thread count at run time (what threadpoolctl does).

    Returns False if no OpenBLAS library is loaded; then set OPENBLAS_NUM_THREADS
    before NumPy is imported instead.
    """
    n = positive_int("n", n)
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "openblas" in line.lower() and ".so" in line}
    except OSError:
        return False
    done = False
    for path in libs:
        lib = ctypes.CDLL(path)
        for sym in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads"):
            if hasattr(lib, sym):
                getattr(lib, sym)(ctypes.c_int(n))
                done = True
                break
    return done


def set_threads(n) -> None:
    """The same thread count for NumPy's BLAS and PyTorch (if loaded)."""
    import sys

    n = positive_int("threads", n)
    set_blas_threads(n)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(n)


def gemm_gflops(n=1024, reps=5, library="numpy") -> float:
    """Measured float32 GEMM throughput, (n, n) @ (n, n), best of ``reps``, in GFLOP/s."""
    n = positive_int("n", n)
    one_of("library", library, ("numpy", "torch"))
    a = np.random.default_rng(0).standard_normal((n, n)).astype(np.float32)
    if library == "torch":
        import torch

        a = torch.from_numpy(a)
    t = time_calls(lambda: a @ a, reps=reps, warmup=1).min()
    return 2 * n**3 / t / 1e9


def bandwidth_gbs(megabytes=64, reps=5) -> float:
    """Measured memory bandwidth of ``c = a + b`` on float32 arrays too big for caches, in GB/s."""
    n = positive_int("megabytes", megabytes) * 2**20 // 4
    a, b, c = (np.ones(n, np.float32) for _ in range(3))
    t = time_calls(lambda: np.add(a, b, out=c), reps=reps, warmup=1).min()
    return 3 * n * 4 / t / 1e9  # read a, read b, write c


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
        "loadavg_1min": f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": _blas_name(),
        "torch": _version("torch"),
        "tensorflow": _version("tensorflow-cpu") if _version("tensorflow") == "not installed" else _version("tensorflow"),
        "keras": _version("keras"),
    }
    if device == "cuda":
        info.update(gpu_info())
    return info


def _blas_name():
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{cfg.get('name')} {cfg.get('version')}"
    except Exception:  # older NumPy: no dict mode
        return "unknown"


def gpu_info() -> dict:
    """GPU name, CUDA and cuDNN versions from PyTorch, driver from nvidia-smi if present."""
    import shutil
    import subprocess

    import torch

    info = {"gpu": torch.cuda.get_device_name(0), "cuda": torch.version.cuda, "cudnn": str(torch.backends.cudnn.version())}
    if shutil.which("nvidia-smi"):
        q = subprocess.run(
            ["nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=30,
        )
        info["nvidia_smi"] = q.stdout.strip().splitlines()[0] if q.stdout.strip() else q.stderr.strip()
    return info
