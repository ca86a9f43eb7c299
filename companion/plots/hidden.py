"""Hidden states over time: a heatmap and line traces of one sequence, and
the same sequence from several implementations drawn on top of each other
with the max |difference| at each step on a log scale. Each function draws on
an Axes and returns it; import them from ``companion.plots``.
"""

from __future__ import annotations

import numpy as np

from ..validate import as_float_array
from ._common import LEGEND_FONTSIZE, _axes, _legend_below, _non_empty_dict


def plot_hidden_heatmap(hs, ax=None, title=None, vmin=-1.0, vmax=1.0):
    """Heatmap of one sequence's hidden states: time on x, unit on y.

    hs: (T, H) hidden states of one sample (e.g. ``hs[0]`` from rnn_forward).
    """
    hs = as_float_array("hs", hs, ("T", "H"))
    ax = _axes(ax)
    im = ax.imshow(
        hs.T,
        aspect="auto",
        cmap="RdBu_r",
        vmin=vmin,
        vmax=vmax,
        interpolation="nearest",
    )
    ax.set_xlabel("time step t")
    ax.set_ylabel("hidden unit")
    ax.set_xticks(range(hs.shape[0]))
    ax.set_yticks(range(hs.shape[1]))
    ax.grid(False)
    if title:
        ax.set_title(title)
    ax.figure.colorbar(im, ax=ax, fraction=0.05, pad=0.02)
    return ax


def plot_hidden_traces(hs, ax=None, title=None):
    """One line per hidden unit over time. hs: (T, H)."""
    hs = as_float_array("hs", hs, ("T", "H"))
    ax = _axes(ax)
    t = np.arange(hs.shape[0])
    for k in range(hs.shape[1]):
        ax.plot(t, hs[:, k], marker="o", markersize=3, linewidth=1)
    ax.set_xlabel("time step t")
    ax.set_ylabel("$h_t$ (each unit)")
    ax.set_ylim(-1.05, 1.05)
    if title:
        ax.set_title(title)
    return ax


_STYLES = [
    ("o", "-", 9),
    ("s", "--", 8),
    ("^", "-.", 7),
    ("D", ":", 6),
    ("v", "-", 5),
    ("x", "--", 4),
]


def plot_overlaid_states(hs, sample=0, units=(0,), ax=None, title=None):
    """One sample's hidden states from several implementations, drawn on top of each other.

    hs: {name: (N, T, H)} hidden states; sample: which of the N sequences; units: which
    hidden units to draw. Each implementation gets its own marker (hollow, shrinking in
    size) and line style, so curves that coincide stay visible. Returns the Axes.
    """
    _non_empty_dict("hs", hs, "{implementation name: hidden states (N, T, H)}")
    ax = _axes(ax)
    for k, (name, value) in enumerate(hs.items()):
        value = as_float_array(
            f"hs[{name!r}]", np.asarray(value), ("N", "T", "H")
        )
        if not 0 <= sample < value.shape[0] or any(
            not 0 <= u < value.shape[2] for u in units
        ):
            raise ValueError(
                f"sample must be below N={value.shape[0]} and units below H={value.shape[2]}"
            )
        marker, style, size = _STYLES[k % len(_STYLES)]
        t = np.arange(1, value.shape[1] + 1)
        for j, u in enumerate(units):
            ax.plot(
                t,
                value[sample, :, u],
                linestyle=style,
                marker=marker,
                markersize=size,
                markerfacecolor="none",
                color=f"C{k}",
                linewidth=1,
                label=name if j == 0 else None,
            )
            if k == 0:
                ax.annotate(
                    f"unit {u}",
                    (t[-1], value[sample, -1, u]),
                    textcoords="offset points",
                    xytext=(8, 0),
                    va="center",
                    fontsize=LEGEND_FONTSIZE,
                )
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("time step t")
    ax.set_ylabel(
        "hidden state $h_t$"
        + (
            f" (units {', '.join(map(str, units))})"
            if len(units) > 1
            else f" (unit {units[0]})"
        )
    )
    ax.set_title(title or "the same sequence, every implementation")
    return _legend_below(ax, ncol=3)


def plot_diff_per_step(diffs, eps=None, floor=1e-18, ax=None, title=None):
    """max |difference| at each time step, on a log scale, one line per comparison.

    diffs: {label: (T,) differences}; zeros are drawn at ``floor`` (a log scale has no 0).
    eps: optional {label: machine epsilon}, drawn as dashed horizontal lines. Returns the Axes.
    """
    _non_empty_dict("diffs", diffs, "{label: differences per time step (T,)}")
    ax = _axes(ax)
    for k, (label, d) in enumerate(diffs.items()):
        d = as_float_array(
            f"diffs[{label!r}]", np.asarray(d, dtype=float), ("T",)
        )
        marker, style, size = _STYLES[k % len(_STYLES)]
        ax.plot(
            np.arange(1, d.size + 1),
            np.maximum(d, floor),
            linestyle=style,
            marker=marker,
            markersize=size - 2,
            markerfacecolor="none",
            linewidth=1,
            label=label,
        )
    for label, value in (eps or {}).items():
        ax.axhline(float(value), color="grey", linestyle="--", linewidth=1)
        ax.annotate(
            label,
            (1, float(value)),
            textcoords="offset points",
            xytext=(2, 3),
            fontsize=LEGEND_FONTSIZE,
            color="grey",
        )
    ax.set_yscale("log")
    ax.set_ylim(floor / 3, 1e-4)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("time step t")
    ax.set_ylabel("max |difference| over batch and units")
    ax.set_title(title or "how far apart, step by step")
    return _legend_below(ax, ncol=2)
