"""The drawing primitives of the cell diagrams (companion.diagrams.cells):
the palette, an empty equal-aspect Axes, arrows along a path, boxed layers,
circled point-wise operations and labels. Each draws on a given Axes and
returns nothing (``_axes`` returns the Axes).
"""

from __future__ import annotations

_INK, _GREY, _PALE = "#222222", "#bbbbbb", "#f4f4f4"
_COLOURS = {  # one colour per part, shared by its gate, arrows and operation
    "forget": "#d62728",
    "input": "#1f77b4",
    "candidate": "#2ca02c",
    "update": "#9467bd",
    "output": "#ff7f0e",
}
_GATE_FILL = "#fde9a9"


def _axes(ax, size):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=size)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _line(ax, points, color, lw=1.6, arrow=True):
    """A polyline through ``points``; an arrow head on its last segment."""
    xs, ys = zip(*points)
    if len(points) > 2:
        ax.plot(xs[:-1], ys[:-1], color=color, lw=lw, solid_capstyle="butt")
    start = points[-2]
    style = "-|>" if arrow else "-"
    ax.annotate(
        "",
        xy=points[-1],
        xytext=start,
        arrowprops={
            "arrowstyle": style,
            "color": color,
            "lw": lw,
            "shrinkA": 0,
            "shrinkB": 0,
            "mutation_scale": 12,
        },
    )


def _layer(ax, x, y, text, color, fill, w=0.9, h=0.6):
    """A neural-network layer: a rounded box with its activation's name."""
    from matplotlib.patches import FancyBboxPatch

    box = FancyBboxPatch(
        (x - w / 2, y - h / 2),
        w,
        h,
        boxstyle="round,pad=0.04,rounding_size=0.12",
        facecolor=fill,
        edgecolor=color,
        lw=1.4,
        zorder=3,
    )
    ax.add_patch(box)
    _centred_text(ax, x, y, text, _INK if color != _GREY else _GREY, 11)
    return box


def _op(ax, x, y, text, color, r=0.27):
    """A point-wise operation: a circle holding its symbol."""
    from matplotlib.patches import Circle

    circle = Circle(
        (x, y), r, facecolor="white", edgecolor=color, lw=1.4, zorder=3
    )
    ax.add_patch(circle)
    _centred_text(ax, x, y, text, color, 12)
    return circle


def _centred_text(ax, x, y, text, color, fontsize):
    """``text`` centred on (x, y), above the shape drawn there."""
    ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=fontsize,
        color=color,
        zorder=4,
    )


def _label(ax, x, y, text, color=_INK, size=12, **kw):
    kw.setdefault("ha", "center")
    kw.setdefault("va", "center")
    ax.text(x, y, text, fontsize=size, color=color, **kw)
