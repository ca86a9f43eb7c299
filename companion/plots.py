"""Figures used across chapters. Each function draws on an Axes and returns it."""
from __future__ import annotations

import numpy as np

from .validate import as_float_array


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def plot_hidden_heatmap(hs, ax=None, title=None, vmin=-1.0, vmax=1.0):
    """Heatmap of one sequence's hidden states: time on x, unit on y.

    hs: (T, H) hidden states of one sample (e.g. ``hs[0]`` from rnn_forward).
    """
    hs = as_float_array("hs", hs, ("T", "H"))
    ax = _axes(ax)
    im = ax.imshow(hs.T, aspect="auto", cmap="RdBu_r", vmin=vmin, vmax=vmax, interpolation="nearest")
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
