"""The benchmark sweep: check agreement, time every implementation, compare with nn.LSTM, save.

A result row is a dict with the keys of ``COLUMNS``; ``ratio_to_torch_nn`` is
the row's median time over the median of ``torch_nn`` on the same size, mode
and device (below 1: faster than nn.LSTM).
"""

from __future__ import annotations

import csv

import numpy as np

from ..compare import max_abs_diff
from ..lstm import LSTMParams
from ..seeds import parse_field
from .runners import MODES, make_runner, runner_outputs
from .timing import lstm_flops, summarize, time_calls

FLOAT_COLUMNS = (
    "median_ms",
    "q25_ms",
    "q75_ms",
    "min_ms",
    "max_ms",
    "gflops",
    "frac_of_gemm_peak",
    "ratio_to_torch_nn",
)
COLUMNS = (
    "impl",
    "device",
    "mode",
    "size",
    "N",
    "T",
    "D",
    "H",
    "threads",
    "reps",
    *FLOAT_COLUMNS,
    "status",
)


def problem(N, T, D, H, seed=0, dtype=np.float32):
    """Seeded (params, x (N, T, D), dhs (N, T, H)) for one benchmark size."""
    rng = np.random.default_rng(seed)
    params = LSTMParams.random(D, H, rng, dtype=dtype)
    x = rng.standard_normal((N, T, D)).astype(dtype)
    dhs = rng.standard_normal((N, T, H)).astype(dtype)
    return params, x, dhs


def agreement(
    impls, mode, params, x, dhs=None, reference="numpy_opt", device="cpu"
) -> dict:
    """max |difference| of every output between each impl and ``reference``.

    returns {impl: {output name: max |difference|}} (the reference included, all zeros).
    """
    runs = {}
    for impl in dict.fromkeys((reference, *impls)):
        r = make_runner(impl, mode, params, x, dhs, device=device)
        runs[impl] = runner_outputs(r, r.call())
    ref = runs[reference]
    return {
        impl: {k: max_abs_diff(out[k], ref[k]) for k in ref}
        for impl, out in runs.items()
    }


def run_suite(
    sizes,
    impls,
    modes=MODES,
    reps=5,
    threads=None,
    device="cpu",
    gemm_peak=None,
    log=print,
    check_tol=2e-3,
    clock="wall",
):
    """Time every impl on every size and mode; returns a list of result rows.

    sizes: Size presets; impls: names from runners.IMPLS; reps: timed repetitions
    (capped by each size's max_reps); gemm_peak: measured GFLOP/s for the
    ``frac_of_gemm_peak`` column. Each implementation is first checked against
    numpy_opt on a short slice (first 5 steps, 8 rows) to ``check_tol``; a failure
    to build, agree or run is recorded in ``status`` instead of stopping the sweep.
    clock: "wall" or "process" (``timing.CLOCKS``; CPU rows only).
    """
    rows = []
    for size in sizes:
        params, x, dhs = problem(size.N, size.T, size.D, size.H)
        for mode in modes:
            for impl in impls:
                row = {
                    "impl": impl,
                    "mode": mode,
                    "size": size.name,
                    "N": size.N,
                    "T": size.T,
                    "D": size.D,
                    "H": size.H,
                    "threads": threads or "",
                    "status": "ok",
                }
                row["device"] = device if impl.startswith("torch") else "cpu"
                try:
                    diffs = agreement(
                        [impl],
                        mode,
                        params,
                        x[:8, :5],
                        dhs[:8, :5],
                        device=row["device"],
                    )[impl]
                    worst = max(diffs.values())
                    if not worst < check_tol:
                        raise AssertionError(
                            f"disagrees with numpy_opt by {worst:.2e}"
                        )
                    r = make_runner(
                        impl, mode, params, x, dhs, device=row["device"]
                    )
                    n = min(reps, size.max_reps)
                    if (
                        size.warmup_steps and row["device"] == "cpu"
                    ):  # warm up on a short prefix
                        w = make_runner(
                            impl,
                            mode,
                            params,
                            x[:, : size.warmup_steps],
                            dhs[:, : size.warmup_steps],
                            device=row["device"],
                        )
                        time_calls(w.call, reps=1, warmup=0, sync=w.sync)
                        seconds = time_calls(
                            r.call, reps=n, warmup=0, sync=r.sync, clock=clock
                        )
                    else:
                        # On a GPU, full warm-up calls: compilation, cuDNN plans, allocator pools.
                        seconds = time_calls(
                            r.call,
                            reps=n,
                            warmup=3 if row["device"] == "cuda" else 1,
                            sync=r.sync,
                            clock=clock,
                        )
                    row.update(summarize(seconds), reps=n)
                    row["gflops"] = lstm_flops(
                        size.N, size.T, size.D, size.H, mode
                    ) / (row["median_ms"] * 1e6)
                    if gemm_peak and row["device"] == "cpu":
                        row["frac_of_gemm_peak"] = row["gflops"] / gemm_peak
                except Exception as e:  # noqa: BLE001  (one broken backend must not lose the sweep)
                    row["status"] = (
                        f"failed: {type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}"
                    )
                rows.append(row)
                if log:
                    log(format_row(row))
    return add_ratios(rows)


def add_ratios(rows):
    """Fill ``ratio_to_torch_nn`` in place (same size, mode and device); returns rows."""
    base = {
        (r["size"], r["mode"], r["device"]): r.get("median_ms")
        for r in rows
        if r["impl"] == "torch_nn" and r.get("status") == "ok"
    }
    for r in rows:
        b = base.get((r["size"], r["mode"], r["device"]))
        if b and r.get("status") == "ok":
            r["ratio_to_torch_nn"] = r["median_ms"] / b
    return rows


def format_row(r) -> str:
    """One line of a result table."""
    head = f"{r['size']:<7}{r['mode']:<17}{r['impl']:<20}{r['device']:<5}"
    if r.get("status") != "ok":
        return head + r.get("status", "")
    ratio = r.get("ratio_to_torch_nn")
    ratio = f"{ratio:6.2f}x" if isinstance(ratio, float) else "       "
    return (
        head
        + f"{r['median_ms']:10.1f} ms [{r['q25_ms']:.1f}, {r['q75_ms']:.1f}] {r['gflops']:7.1f} GFLOP/s {ratio}"
    )


def write_csv(path, rows, meta=None, columns=COLUMNS):
    """Write rows to a CSV whose first lines are ``# key: value`` notes from ``meta``.

    columns: the field names, in order (default: the sweep's COLUMNS); floats keep 6 digits.
    """
    with open(path, "w", newline="") as f:
        f.writelines(f"# {k}: {v}\n" for k, v in (meta or {}).items())
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(
                {
                    k: (
                        f"{r[k]:.6g}"
                        if isinstance(r.get(k), float)
                        else r.get(k, "")
                    )
                    for k in columns
                }
            )


def read_csv(path):
    """Read a CSV written by ``write_csv``; returns (rows, meta), numbers as int/float.

    The sweep's columns keep their types (an empty number is None); in other
    files every field that reads as a number becomes one.
    """
    meta, lines = {}, []
    with open(path, newline="") as f:
        for line in f:
            if line.startswith("#"):
                k, _, v = line[1:].partition(":")
                meta[k.strip()] = v.strip()
            else:
                lines.append(line)
    rows = []
    for r in csv.DictReader(lines):
        for k, v in r.items():
            if k in ("N", "T", "D", "H", "reps"):
                r[k] = int(v) if v else None
            elif k in FLOAT_COLUMNS:
                r[k] = float(v) if v else None
            elif k not in COLUMNS:
                r[k] = parse_field(v)
        rows.append(r)
    return rows, meta
