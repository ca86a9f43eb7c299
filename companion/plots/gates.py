"""Gate weights: the packed input matrix W_x (D, 4H) above the four per-gate
matrices it is cut into, and PyTorch's weight_ih (4H, D), gates as row
blocks, beside Keras' kernel (D, 4H), gates as column blocks, each entry
written in its cell. Import them from ``companion.plots``; matplotlib is
imported only when a figure is drawn.
"""

from __future__ import annotations

import numpy as np

from ..validate import as_float_array
from ._common import NUMBER_FONTSIZE


def plot_gate_layout(
    W_x, gate_names=("i", "f", "g", "o"), scope_names=None, fig=None
):
    """The packed input weights W_x (D, 4H) above the four per-gate matrices it is cut into.

    W_x:         (D, 4H), gate blocks side by side in the order of ``gate_names``
    scope_names: optional titles for the four lower panels (e.g. TF1 scope names)
    Returns the Figure.
    """
    W_x = as_float_array("W_x", W_x, ("D", "4H"))
    if W_x.shape[1] % 4:
        raise ValueError(
            f"W_x must have shape (D, 4H) with 4H divisible by 4; got {W_x.shape}"
        )
    import matplotlib.pyplot as plt

    H = W_x.shape[1] // 4
    scope_names = scope_names or gate_names
    fig = fig or plt.figure(figsize=(6.8, 4.6))  # the book's column: 684 px
    grid = fig.add_gridspec(2, 4, height_ratios=[1, 1], hspace=0.6)
    lim = float(np.abs(W_x).max())
    top = fig.add_subplot(grid[0, :])
    top.imshow(
        W_x,
        cmap="RdBu_r",
        vmin=-lim,
        vmax=lim,
        aspect="auto",
        interpolation="nearest",
    )
    for k in range(1, 4):
        top.axvline(k * H - 0.5, color="black", linewidth=2)
    centres = [k * H + (H - 1) / 2 for k in range(4)]
    top.set_xticks(
        centres,
        [
            f"{g}: columns {k * H}..{(k + 1) * H - 1}"
            for k, g in enumerate(gate_names)
        ],
    )
    top.set_ylabel("input feature")
    top.set_title(f"one packed matrix W_x, shape {W_x.shape}")
    top.grid(False)
    for k, name in enumerate(scope_names):
        ax = fig.add_subplot(grid[1, k])
        block = W_x[:, k * H : (k + 1) * H]  # (D, H): one gate's columns
        ax.imshow(
            block,
            cmap="RdBu_r",
            vmin=-lim,
            vmax=lim,
            aspect="auto",
            interpolation="nearest",
        )
        ax.set_title(
            f"{name}\n({W_x.shape[0]}, {H})"
        )  # two lines: fits a quarter column
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig


def plot_gate_rows_and_columns(
    weight_ih, kernel, gate_names=("i", "f", "g", "o"), axes=None
):
    """PyTorch's weight_ih (4H, D), gates as row blocks, beside Keras' kernel (D, 4H), gates as column blocks.

    weight_ih: (4H, D), e.g. ``nn.LSTM(...).weight_ih_l0``; kernel: (D, 4H), e.g. Keras'
    LSTM kernel; for the same layer kernel == weight_ih.T. Each entry is written in
    its cell. axes: two Axes, or None for a new figure. Returns the two Axes.
    """
    weight_ih = as_float_array("weight_ih", weight_ih, ("4H", "D"))
    if weight_ih.shape[0] % 4:
        raise ValueError(
            f"weight_ih must have shape (4H, D) with 4H divisible by 4; got {weight_ih.shape}"
        )
    H, D = weight_ih.shape[0] // 4, weight_ih.shape[1]
    kernel = as_float_array("kernel", kernel, (("D", D), ("4H", 4 * H)))
    if axes is None:
        import matplotlib.pyplot as plt

        # One column of the book (6.8 in at 100 dpi = 684 px), shown at full
        # size: Keras' wide kernel on top, PyTorch's tall matrix below it.
        fig = plt.figure(
            figsize=(6.8, 2.4 + 0.42 * 4 * H), layout="constrained"
        )
        grid = fig.add_gridspec(
            2, 2, height_ratios=[D + 1, 4 * H], width_ratios=[D + 2, 10]
        )
        axes = [fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[0, :])]
        note = fig.add_subplot(grid[1, 1])
        note.axis("off")
        note.text(
            0.05,
            0.5,
            "the same numbers:\nrow block k of weight_ih_l0\nis column block k of the kernel,\nkernel = weight_ih_l0 transposed",
            va="center",
            fontsize=NUMBER_FONTSIZE + 1,
        )
    lim = float(max(np.abs(weight_ih).max(), np.abs(kernel).max()))
    for ax, W, gate_axis in ((axes[0], weight_ih, 0), (axes[1], kernel, 1)):
        ax.imshow(
            W,
            cmap="RdBu_r",
            vmin=-lim,
            vmax=lim,
            aspect="auto",
            interpolation="nearest",
        )
        for (r, c), v in np.ndenumerate(W):
            ax.text(
                c,
                r,
                f"{v:.2f}".replace("-0.00", "0.00"),
                ha="center",
                va="center",
                fontsize=NUMBER_FONTSIZE,
                color="white" if abs(v) > 0.6 * lim else "black",
            )
        line = ax.axhline if gate_axis == 0 else ax.axvline
        for k in range(1, 4):
            line(k * H - 0.5, color="black", linewidth=2)
        centres = [k * H + (H - 1) / 2 for k in range(4)]
        labels = [
            f"{g}: {k * H}..{(k + 1) * H - 1}"
            for k, g in enumerate(gate_names)
        ]
        if gate_axis == 0:
            ax.set_yticks(centres, labels)
            ax.set_xticks(range(D))
            ax.set_xlabel("input feature (column)")
        else:
            ax.set_xticks(centres, labels)
            ax.set_yticks(range(D))
            ax.set_ylabel("input feature (row)")
        ax.grid(False)
    axes[0].set_title(
        f"PyTorch weight_ih_l0 {weight_ih.shape}\ngates are row blocks"
    )
    axes[1].set_title(f"Keras kernel {kernel.shape}\ngates are column blocks")
    return axes
