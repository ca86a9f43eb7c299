"""Where a NumPy LSTM forward's time goes: products, element-wise, calls.

For each forward level of ``numpy_lstm`` on one size, four timings; every
round times all of them once, so that a busy machine disturbs them alike:

* ``total``:          the level's forward on x (N, T, D);
* ``total_tiny``:     the same forward at N = D = H = 1 and the same T: the cost
                      of the calls themselves (interpreter, NumPy dispatch, small
                      allocations), with next to no arithmetic;
* ``products``:       the level's matrix products alone (``PRODUCTS[level]``:
                      the same shapes, the same count), float32;
* ``products_tiny``:  those products at N = D = H = 1.

``time_breakdown`` returns one row per level; ``split(row)`` turns a row into
three parts that add up to the total: products (``products - products_tiny``),
per-call overhead (``total_tiny``) and element-wise work (the rest: gate
functions, additions, copies).

``kernel_rates`` times the roofline's kinds of work on their own: the input
projection of all steps, one recurrent product (batch N and batch 1), and
the fused step's element-wise work (``fused_step`` with an empty product,
k = 0, in place of h_prev W_h); then each sigmoid of ``numpy_lstm`` on one
step's (N, 3H) block of i, f, o pre-activations (``SIGMOIDS``).

``floor_rates`` (PyTorch) times the T recurrent products of a forward pass
alone, in NumPy and in PyTorch, against ``nn.LSTM``'s forward with oneDNN on
(PyTorch's default on the CPU) and off: one factor changed at a time.
"""

from __future__ import annotations

import numpy as np

from . import numpy_lstm as nl
from .timing import time_calls

TIMED = ("total", "total_tiny", "products", "products_tiny")
BREAKDOWN_COLUMNS = (
    *("size", "N", "T", "D", "H", "level", "threads", "reps"),
    *(f"{kind}_{stat}_ms" for kind in TIMED for stat in ("min", "median")),
)
KERNEL_COLUMNS = ("size", "kernel", "threads", "reps", "flops", "bytes")
KERNEL_COLUMNS += ("min_ms", "median_ms")

# The element-wise calls of ``fused_step``: (operation, width in units of H, arrays read + written).
FUSED_ELEMENTWISE = (
    ("a += rec", 4, 3),
    ("s *= 0.5", 3, 2),
    ("tanh(s)", 3, 2),
    ("s *= 0.5", 3, 2),
    ("s += 0.5", 3, 2),
    ("tanh(g)", 1, 2),
    ("f * c_prev", 1, 3),
    ("i * g", 1, 3),
    ("c_t += tmp", 1, 3),
    ("tanh(c_t)", 1, 2),
    ("o * tanh_c", 1, 3),
)


def elementwise_work(N, H, T=1, itemsize=4):
    """(operations, bytes) of ``fused_step``'s element-wise calls over T steps.

    One operation per output element and call (a tanh counts as one); bytes as
    if every call read its inputs from memory and wrote its output back.
    """
    units = T * N * H
    ops = units * sum(w for _, w, _ in FUSED_ELEMENTWISE)
    nbytes = units * itemsize * sum(w * k for _, w, k in FUSED_ELEMENTWISE)
    return ops, nbytes


def _products_call(level, N, T, D, H, rng):
    ops = [
        (
            rng.standard_normal((m, k), dtype=np.float32),
            rng.standard_normal((k, n), dtype=np.float32),
            count,
        )
        for m, k, n, count in nl.PRODUCTS[level](N, T, D, H)
    ]

    def call():
        for a, b, count in ops:
            for _ in range(count):
                a @ b

    return call


def _forward_call(level, N, T, D, H, rng):
    from ..lstm import LSTMParams

    params = LSTMParams.random(D, H, rng, dtype=np.float32)
    x = rng.standard_normal((N, T, D), dtype=np.float32)
    fn = nl.FORWARD[level]
    return lambda: fn(x, params)


def _interleaved(calls, reps, clock):
    """{name: seconds array} of ``reps`` rounds, each timing every call once in turn."""
    for call in calls.values():  # one warm-up each
        call()
    out = {name: np.empty(reps) for name in calls}
    for k in range(reps):
        for name, call in calls.items():
            out[name][k] = time_calls(call, reps=1, warmup=0, clock=clock)[0]
    return out


def time_breakdown(
    size, levels=None, reps=7, threads="", seed=0, clock="wall"
):
    """One row (BREAKDOWN_COLUMNS) per forward level on ``size`` (a timing.Size).

    Every round times every level's four calls once, so a burst of load on a
    shared machine spoils one round of all levels, not all rounds of one.
    """
    rng = np.random.default_rng(seed)
    N, T, D, H = size.N, size.T, size.D, size.H
    levels = list(levels or nl.FORWARD)
    calls = {}
    for level in levels:
        calls[level, "total"] = _forward_call(level, N, T, D, H, rng)
        calls[level, "total_tiny"] = _forward_call(level, 1, T, 1, 1, rng)
        calls[level, "products"] = _products_call(level, N, T, D, H, rng)
        calls[level, "products_tiny"] = _products_call(level, 1, T, 1, 1, rng)
    seconds = _interleaved(calls, reps, clock)
    rows = []
    for level in levels:
        row = {
            "size": size.name,
            "N": N,
            "T": T,
            "D": D,
            "H": H,
            "level": level,
            "threads": threads,
            "reps": reps,
        }
        for kind in TIMED:
            s = seconds[level, kind]
            row[f"{kind}_min_ms"] = 1e3 * s.min()
            row[f"{kind}_median_ms"] = 1e3 * np.median(s)
        rows.append(row)
    return rows


def split(row, stat="min") -> dict:
    """{"products", "overhead", "elementwise", "total"} in ms from one breakdown row (they add up)."""
    total = row[f"total_{stat}_ms"]
    products = row[f"products_{stat}_ms"] - row[f"products_tiny_{stat}_ms"]
    overhead = row[f"total_tiny_{stat}_ms"]
    return {
        "products": products,
        "overhead": overhead,
        "elementwise": total - products - overhead,
        "total": total,
    }


def kernel_rates(size, reps=7, threads="", seed=0, clock="wall"):
    """Rows (KERNEL_COLUMNS) timing the roofline's kinds of work alone, float32, on ``size``."""
    rng = np.random.default_rng(seed)
    N, T, D, H = size.N, size.T, size.D, size.H

    def product(m, k, n):
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        out = np.empty((m, n), np.float32)
        return (
            (lambda: np.matmul(a, b, out=out)),
            2 * m * k * n,
            4 * (m * k + k * n + m * n),
        )

    A = rng.standard_normal((T, N, 4 * H), dtype=np.float32)
    no_W = np.zeros(
        (0, 4 * H), np.float32
    )  # an (N, 0) @ (0, 4H) product: it only zeroes rec
    no_h = np.zeros((N, 0), np.float32)
    c = np.zeros((2, N, H), np.float32)
    rec, tmp = np.empty((N, 4 * H), np.float32), np.empty((N, H), np.float32)
    tanh_c, h_t = np.empty((N, H), np.float32), np.empty((N, H), np.float32)

    def elementwise():  # A holds activations after the first call: values in (-1, 1)
        for t in range(T):
            nl.fused_step(
                A[t],
                no_h,
                c[t % 2],
                no_W,
                rec,
                tmp,
                c[(t + 1) % 2],
                tanh_c,
                h_t,
            )

    ops, nbytes = elementwise_work(N, H, T)
    kernels = {
        "input projection, all steps": product(N * T, D, 4 * H),
        "recurrent product, one step": product(N, H, 4 * H),
        "recurrent product, N = 1": product(1, H, 4 * H),
        "element-wise work, fused step": (elementwise, ops, nbytes),
    }
    # one step's i, f, o pre-activations, spread as a layer's are (|z| < 8)
    z = 2 * rng.standard_normal((N, 3 * H), dtype=np.float32)
    for name, sigma in SIGMOIDS.items():  # one value per element: 8 bytes
        kernels[name] = ((lambda s=sigma: s(z)), z.size, 8 * z.size)
    return _rows(size, kernels, reps, threads, clock)


def _rows(size, kernels, reps, threads, clock):
    """KERNEL_COLUMNS rows from {name: (call, flops, bytes)}, interleaved."""
    seconds = _interleaved({k: v[0] for k, v in kernels.items()}, reps, clock)
    return [
        {
            "size": size.name,
            "kernel": k,
            "threads": threads,
            "reps": reps,
            "flops": f,
            "bytes": b,
            "min_ms": 1e3 * seconds[k].min(),
            "median_ms": 1e3 * np.median(seconds[k]),
        }
        for k, (_, f, b) in kernels.items()
    ]


SIGMOIDS = {
    "sigmoid 1/(1+exp(-z)), one step": nl.sigmoid,
    "sigmoid (1+tanh(z/2))/2, one step": nl.sigmoid_tanh,
    "sigmoid exp(-logaddexp(0,-z)), one step": nl.sigmoid_logaddexp,
}
"""The sigmoids ``kernel_rates`` times on one step's (N, 3H) gate block."""


def floor_rates(size, reps=7, threads=1, seed=0, clock="wall"):
    """Rows (KERNEL_COLUMNS): the T recurrent products of one forward alone
    (NumPy, then PyTorch) and ``nn.LSTM``'s forward with oneDNN on and off.

    PyTorch runs ``threads`` threads (set here); with ``clock="thread"`` use 1.
    oneDNN is switched with ``runners.onednn``.
    """
    import torch

    from ..convert import to_torch
    from ..lstm import LSTMParams
    from .runners import onednn

    torch.set_num_threads(threads)
    rng = np.random.default_rng(seed)
    N, T, D, H = size.N, size.T, size.D, size.H
    params = LSTMParams.random(D, H, rng, dtype=np.float32)
    x = torch.from_numpy(rng.standard_normal((N, T, D), dtype=np.float32))
    h = rng.standard_normal((N, H), dtype=np.float32)
    lstm = to_torch(params, torch.nn.LSTM(D, H, batch_first=True))
    h_t, W_t = torch.from_numpy(h), torch.from_numpy(params.W_h)

    def lstm_forward(enabled):
        def call():
            with torch.no_grad(), onednn(enabled):
                lstm(x)

        return call

    flops = T * 2 * N * H * 4 * H
    nbytes = T * 4 * (N * H + H * 4 * H + N * 4 * H)
    f_all = T * 2 * N * (D + H) * 4 * H
    kernels = {
        "T recurrent products, NumPy": (
            lambda: [h @ params.W_h for _ in range(T)],
            flops,
            nbytes,
        ),
        "T recurrent products, PyTorch": (
            lambda: [h_t @ W_t for _ in range(T)],
            flops,
            nbytes,
        ),
        "nn.LSTM forward, oneDNN on": (lstm_forward(True), f_all, ""),
        "nn.LSTM forward, oneDNN off": (lstm_forward(False), f_all, ""),
    }
    return _rows(size, kernels, reps, threads, clock)
