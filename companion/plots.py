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


def plot_training_curves(history, reported=None, axes=None):
    """Loss and accuracy per epoch, side by side, with optional reported points.

    history:  dict with equal-length lists 'loss' and 'accuracy' (Keras' History.history)
    reported: optional {epoch (1-based): (loss, accuracy)}, drawn as crosses
    axes:     two Axes, or None for a new figure. Returns the two Axes.
    """
    if not isinstance(history, dict) or not {"loss", "accuracy"} <= set(history):
        raise ValueError("history must be a dict with the lists 'loss' and 'accuracy' (model.fit(...).history)")
    loss = as_float_array("history['loss']", np.asarray(history["loss"], dtype=float), ("E",))
    acc = as_float_array("history['accuracy']", np.asarray(history["accuracy"], dtype=float), (("E", loss.size),))
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    epochs = np.arange(1, loss.size + 1)
    for ax, values, label in ((axes[0], loss, "loss"), (axes[1], acc, "accuracy")):
        ax.plot(epochs, values, label="this book's run")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
    if reported:
        e = sorted(reported)
        axes[0].plot(e, [reported[k][0] for k in e], "x", markersize=9, color="C3", label="reported by the source")
        axes[1].plot(e, [reported[k][1] for k in e], "x", markersize=9, color="C3", label="reported by the source")
    axes[1].set_ylim(0, 1.05)
    axes[0].legend(loc="upper right")
    return axes


def plot_gate_layout(W_x, gate_names=("i", "f", "g", "o"), scope_names=None, fig=None):
    """The packed input weights W_x (D, 4H) above the four per-gate matrices it is cut into.

    W_x:         (D, 4H), gate blocks side by side in the order of ``gate_names``
    scope_names: optional titles for the four lower panels (e.g. TF1 scope names)
    Returns the Figure.
    """
    W_x = as_float_array("W_x", W_x, ("D", "4H"))
    if W_x.shape[1] % 4:
        raise ValueError(f"W_x must have shape (D, 4H) with 4H divisible by 4; got {W_x.shape}")
    import matplotlib.pyplot as plt

    H = W_x.shape[1] // 4
    scope_names = scope_names or gate_names
    fig = fig or plt.figure(figsize=(9, 4.2))
    grid = fig.add_gridspec(2, 4, height_ratios=[1, 1], hspace=0.6)
    lim = float(np.abs(W_x).max())
    top = fig.add_subplot(grid[0, :])
    top.imshow(W_x, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest")
    for k in range(1, 4):
        top.axvline(k * H - 0.5, color="black", linewidth=2)
    centres = [k * H + (H - 1) / 2 for k in range(4)]
    top.set_xticks(centres, [f"{g}: columns {k * H}..{(k + 1) * H - 1}" for k, g in enumerate(gate_names)])
    top.set_ylabel("input feature")
    top.set_title(f"one packed matrix W_x, shape {W_x.shape}")
    top.grid(False)
    for k, name in enumerate(scope_names):
        ax = fig.add_subplot(grid[1, k])
        block = W_x[:, k * H : (k + 1) * H]  # (D, H): one gate's columns
        ax.imshow(block, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest")
        ax.set_title(f"{name}: ({W_x.shape[0]}, {H})")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig


def plot_gate_rows_and_columns(weight_ih, kernel, gate_names=("i", "f", "g", "o"), axes=None):
    """PyTorch's weight_ih (4H, D), gates as row blocks, beside Keras' kernel (D, 4H), gates as column blocks.

    weight_ih: (4H, D), e.g. ``nn.LSTM(...).weight_ih_l0``; kernel: (D, 4H), e.g. Keras'
    LSTM kernel; for the same layer kernel == weight_ih.T. Each entry is written in
    its cell. axes: two Axes, or None for a new figure. Returns the two Axes.
    """
    weight_ih = as_float_array("weight_ih", weight_ih, ("4H", "D"))
    if weight_ih.shape[0] % 4:
        raise ValueError(f"weight_ih must have shape (4H, D) with 4H divisible by 4; got {weight_ih.shape}")
    H, D = weight_ih.shape[0] // 4, weight_ih.shape[1]
    kernel = as_float_array("kernel", kernel, (("D", D), ("4H", 4 * H)))
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(9, 4.2), gridspec_kw={"width_ratios": [D + 2, 4 * H]})
    lim = float(max(np.abs(weight_ih).max(), np.abs(kernel).max()))
    for ax, W, gate_axis in ((axes[0], weight_ih, 0), (axes[1], kernel, 1)):
        ax.imshow(W, cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest")
        for (r, c), v in np.ndenumerate(W):
            ax.text(c, r, f"{v:.2f}".replace("-0.00", "0.00"), ha="center", va="center", fontsize=7, color="white" if abs(v) > 0.6 * lim else "black")
        line = ax.axhline if gate_axis == 0 else ax.axvline
        for k in range(1, 4):
            line(k * H - 0.5, color="black", linewidth=2)
        centres = [k * H + (H - 1) / 2 for k in range(4)]
        labels = [f"{g}: {k * H}..{(k + 1) * H - 1}" for k, g in enumerate(gate_names)]
        if gate_axis == 0:
            ax.set_yticks(centres, labels)
            ax.set_xticks(range(D))
            ax.set_xlabel("input feature (column)")
        else:
            ax.set_xticks(centres, labels)
            ax.set_yticks(range(D))
            ax.set_ylabel("input feature (row)")
        ax.grid(False)
    axes[0].set_title(f"PyTorch weight_ih_l0 {weight_ih.shape}\ngates are row blocks")
    axes[1].set_title(f"Keras kernel {kernel.shape}\ngates are column blocks")
    return axes
