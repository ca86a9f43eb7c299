"""The benchmark's two figures: time relative to nn.LSTM, and this machine's roofline."""

from __future__ import annotations

import numpy as np

from ..validate import positive_int

GOALS = {"forward": 1.5, "forward+backward": 2.0}
"""The benchmark's goals for numpy_opt: at most this many times nn.LSTM's time, same threads."""


def plot_ratios(rows, axes=None, title=None):
    """Bars of ``ratio_to_torch_nn`` per size, one panel per mode (log scale; 1 = nn.LSTM).

    rows: result rows (suite.COLUMNS) of one device; axes: two Axes or None.
    Returns the two Axes.
    """
    import matplotlib.pyplot as plt

    ok = [
        r
        for r in rows
        if r.get("status") == "ok" and r.get("ratio_to_torch_nn")
    ]
    if not ok:
        raise ValueError(
            "rows must hold at least one successful row with a ratio to torch_nn"
        )
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    sizes = list(dict.fromkeys(r["size"] for r in ok))
    impls = list(dict.fromkeys(r["impl"] for r in ok))
    width = 0.8 / len(impls)
    for ax, mode in zip(axes, ("forward", "forward+backward")):
        for k, impl in enumerate(impls):
            vals = [
                next(
                    (
                        r["ratio_to_torch_nn"]
                        for r in ok
                        if (r["size"], r["mode"], r["impl"]) == (s, mode, impl)
                    ),
                    np.nan,
                )
                for s in sizes
            ]
            ax.bar(
                np.arange(len(sizes)) + (k - (len(impls) - 1) / 2) * width,
                vals,
                width,
                label=impl,
            )
        ax.axhline(1.0, color="black", linewidth=1)
        ax.axhline(
            GOALS[mode],
            color="tab:red",
            linestyle="--",
            linewidth=1,
            label=f"goal for numpy_opt ({GOALS[mode]}x)",
        )
        ax.set_yscale("log")
        ax.set_xticks(range(len(sizes)), sizes)
        ax.set_xlabel("size preset")
        ax.set_title(mode)
    axes[0].set_ylabel("time / time of nn.LSTM")
    axes[1].legend(fontsize=8, loc="upper right")
    if title:
        axes[0].figure.suptitle(title, fontsize=10)
    return axes


def plot_roofline(
    peak_gflops,
    bandwidth_gbs,
    points=None,
    ax=None,
    title="Roofline of this machine",
):
    """min(peak, intensity * bandwidth) over arithmetic intensity (FLOP per byte), log-log.

    points: {label: (intensity FLOP/byte, measured GFLOP/s or None)}; a measured
    point is drawn filled; None draws a hollow marker on the roof, labelled as a
    bound (the best that intensity allows), never as a measurement.
    """
    import matplotlib.pyplot as plt

    if not (peak_gflops > 0 and bandwidth_gbs > 0):
        raise ValueError(
            f"peak_gflops and bandwidth_gbs must be positive; got {peak_gflops}, {bandwidth_gbs}"
        )
    if ax is None:
        _, ax = plt.subplots()
    ai = np.logspace(-2, 3, 200)
    ax.loglog(
        ai,
        np.minimum(peak_gflops, ai * bandwidth_gbs),
        color="black",
        label="roof",
    )
    ridge = peak_gflops / bandwidth_gbs
    ax.axvline(ridge, color="grey", linestyle=":", linewidth=1)
    for k, (label, (x, y)) in enumerate((points or {}).items()):
        marker = "os^vD"[k % 5]
        if y is None:
            roof = min(peak_gflops, x * bandwidth_gbs)
            ax.plot(
                [x],
                [roof],
                marker=marker,
                linestyle="none",
                fillstyle="none",
                label=f"{label} (roof bound)",
            )
        else:
            ax.plot([x], [y], marker=marker, linestyle="none", label=label)
    ax.set_xlabel("arithmetic intensity (FLOP per byte)")
    ax.set_ylabel("GFLOP/s")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    return ax


def gemm_intensity(m, k, n, itemsize=4) -> float:
    """FLOP per byte of (m, k) @ (k, n) reading both operands and writing the result once."""
    m, k, n = (positive_int(a, v) for a, v in zip("mkn", (m, k, n)))
    return 2 * m * k * n / (itemsize * (m * k + k * n + m * n))
