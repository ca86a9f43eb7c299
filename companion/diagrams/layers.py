"""Schematic drawings of recurrent layers: a stack, and the two directions of
a bidirectional layer. Each function draws on an Axes (a new figure if
``ax`` is None) and returns it; nothing here computes anything.

    draw_stacked_rnn(num_layers, T)   one row of states per layer
    draw_bidirectional_rnn(T)         forward and backward rows, joined
"""

from __future__ import annotations

from ..validate import positive_int


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def _box(ax, x, y, text, color):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - 0.32, y - 0.2),
            0.64,
            0.4,
            boxstyle="round,pad=0.02",
            facecolor=color,
            edgecolor="black",
            linewidth=0.8,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def _arrow(ax, start, end, color="black"):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={"arrowstyle": "->", "color": color, "linewidth": 1.0},
    )


def _diagram_axes(ax, T, top, title):
    ax.set_xlim(-0.7, T - 0.3)
    ax.set_ylim(-0.5, top + 0.5)
    ax.set_xticks(range(T), [f"t = {t + 1}" for t in range(T)])
    ax.set_xlabel("time step")
    ax.grid(False)
    ax.set_title(title)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)


def draw_stacked_rnn(num_layers=3, T=4, ax=None):
    """Diagram of a stacked RNN: inputs x_t at the bottom, one row of states h_t^(l) per layer.

    Arrows to the right are each layer's recurrence; arrows up carry a layer's whole
    sequence of states into the layer above. Returns the Axes.
    """
    L, T = positive_int("num_layers", num_layers), positive_int("T", T)
    ax = _axes(ax)
    for t in range(T):
        _box(ax, t, 0, f"$x_{{{t + 1}}}$", "#eeeeee")
        for layer in range(1, L + 1):
            _box(
                ax, t, layer, f"$h^{{({layer})}}_{{{t + 1}}}$", f"C{layer - 1}"
            )
            _arrow(
                ax, (t, layer - 1 + 0.2), (t, layer - 0.2)
            )  # from below: input or lower layer
            if t + 1 < T:
                _arrow(
                    ax, (t + 0.32, layer), (t + 1 - 0.32, layer)
                )  # recurrence within the layer
    _diagram_axes(ax, T, L, f"a stack of {L} recurrent layers")
    ax.set_yticks(
        range(L + 1), ["input"] + [f"layer {k}" for k in range(1, L + 1)]
    )
    ax.set_ylabel("depth")
    return ax


def draw_bidirectional_rnn(T=4, ax=None):
    """Diagram of a bidirectional layer: a forward row reading x_1..x_T, a backward row
    reading x_T..x_1, and their states joined side by side at each step. Returns the Axes.
    """
    T = positive_int("T", T)
    ax = _axes(ax)
    for t in range(T):
        _box(ax, t, 0, f"$x_{{{t + 1}}}$", "#eeeeee")
        _box(ax, t, 1, f"$\\overrightarrow{{h}}_{{{t + 1}}}$", "#9ecae1")
        _box(ax, t, 2, f"$\\overleftarrow{{h}}_{{{t + 1}}}$", "#fdae6b")
        _box(
            ax,
            t,
            3,
            f"$[\\overrightarrow{{h}}_{{{t + 1}}}, \\overleftarrow{{h}}_{{{t + 1}}}]$",
            "#dddddd",
        )
        _arrow(ax, (t, 0.2), (t, 0.8))
        _arrow(
            ax, (t - 0.25, 0.2), (t - 0.25, 1.8), "#e6550d"
        )  # x_t also feeds the backward row
        _arrow(ax, (t, 1.2), (t, 2.8), "#3182bd")
        _arrow(ax, (t + 0.25, 2.2), (t + 0.25, 2.8), "#e6550d")
        if t + 1 < T:
            _arrow(
                ax, (t + 0.32, 1), (t + 1 - 0.32, 1), "#3182bd"
            )  # forward: left to right
            _arrow(
                ax, (t + 1 - 0.32, 2), (t + 0.32, 2), "#e6550d"
            )  # backward: right to left
    _diagram_axes(
        ax, T, 3, "a bidirectional layer: two directions, joined per step"
    )
    ax.set_yticks(range(4), ["input", "forward", "backward", "output (2H)"])
    ax.set_ylabel("row")
    return ax
