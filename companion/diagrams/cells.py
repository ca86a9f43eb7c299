"""Schematic drawings of recurrent cells, drawn by the book with matplotlib.

In the spirit of C. Olah's "Understanding LSTM Networks" figures (not copies):
data flows left to right, the cell state runs along the top of an LSTM cell,
gates are boxes named after their activation, point-wise operations are
circles. Each function draws on an Axes (a new figure if ``ax`` is None) and
returns that Axes; nothing here computes anything.

    draw_unrolled_rnn(T)             the loop of an RNN, folded and unrolled
    draw_rnn_cell()                  inside one vanilla RNN step: one tanh layer
    draw_lstm_cell(highlight=None)   inside one LSTM step, one part highlighted
"""

from __future__ import annotations

from ..validate import one_of, positive_int
from ._primitives import (
    _COLOURS,
    _GATE_FILL,
    _GREY,
    _INK,
    _PALE,
    _axes,
    _label,
    _layer,
    _line,
    _op,
)

# The parts of an LSTM step, in the order a chapter builds them.
LSTM_PARTS = ("forget", "input", "candidate", "update", "output")


def draw_unrolled_rnn(T=4, ax=None, cell="RNN", state="h"):
    """An RNN drawn twice: folded (one cell and a loop) and unrolled over T steps.

    Each copy reads x_t from below, hands its state to the next copy on the
    right and shows it above. All copies are the same cell with the same weights.
    T: number of copies (1-8); cell: the text in each box; state: its letter.
    Returns the Axes.
    """
    T = positive_int("T", T)
    if T > 8:
        raise ValueError(f"T must be at most 8 to fit the figure; got {T}")
    ax = _axes(ax, (1.6 + 1.45 * T, 2.6))
    blue = _COLOURS["input"]
    # Folded: one box with a loop back into itself.
    _layer(ax, 0, 1.5, cell, _INK, "#dbe9f6", w=1.0, h=0.8)
    _line(ax, [(0, 0.25), (0, 1.1)], _INK)
    _label(ax, 0, 0.0, "$x_t$")
    _line(ax, [(0, 1.9), (0, 2.75)], _INK)
    _label(ax, 0, 3.0, f"${state}_t$")
    _line(
        ax,
        [
            (0.5, 1.5),
            (0.85, 1.5),
            (0.85, 2.3),
            (-0.85, 2.3),
            (-0.85, 1.5),
            (-0.5, 1.5),
        ],
        blue,
    )
    _label(ax, 1.45, 1.5, "=", size=18)
    # Unrolled: T copies, the state passed to the right.
    x0 = 3.4
    _label(ax, x0 - 0.95, 1.5, f"${state}_0$")
    for t in range(T):
        x = x0 + 1.45 * t
        _layer(ax, x, 1.5, cell, _INK, "#dbe9f6", w=1.0, h=0.8)
        _line(ax, [(x, 0.25), (x, 1.1)], _INK)
        _label(ax, x, 0.0, f"$x_{{{t + 1}}}$")
        _line(ax, [(x, 1.9), (x, 2.75)], _INK)
        _label(ax, x, 3.0, f"${state}_{{{t + 1}}}$")
        _line(
            ax,
            [(x - 0.95 + (0.25 if t == 0 else 0), 1.5), (x - 0.5, 1.5)],
            blue,
        )
    ax.set_xlim(-1.2, x0 + 1.45 * (T - 1) + 0.8)
    ax.set_ylim(-0.35, 3.3)
    return ax


def draw_rnn_cell(ax=None):
    """Inside one vanilla RNN step: h_{t-1} and x_t meet in a single tanh layer,
    whose output h_t goes to the next step and up as the output. Returns the Axes.
    """
    ax = _axes(ax, (4.2, 3.0))
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (0.8, 0.6),
            4.4,
            3.4,
            boxstyle="round,pad=0.05,rounding_size=0.3",
            facecolor=_PALE,
            edgecolor=_GREY,
            lw=1.0,
            zorder=1,
        )
    )
    _label(ax, 0.2, 1.4, "$h_{t-1}$", ha="right")
    _line(ax, [(0.25, 1.4), (3.0, 1.4), (3.0, 2.0)], _INK)
    _line(ax, [(1.8, -0.2), (1.8, 1.4)], _INK, arrow=False)
    _label(ax, 1.8, -0.45, "$x_t$")
    _layer(ax, 3.0, 2.3, "tanh", _INK, _GATE_FILL, w=1.0)
    _line(ax, [(3.0, 2.6), (3.0, 3.3), (6.0, 3.3)], _INK)
    _label(ax, 6.1, 3.3, "$h_t$", ha="left")
    _line(ax, [(4.3, 3.3), (4.3, 4.7)], _INK)
    _label(ax, 4.3, 4.95, "$h_t$")
    ax.set_xlim(-0.7, 6.8)
    ax.set_ylim(-0.7, 5.2)
    return ax


def draw_lstm_cell(highlight=None, ax=None, title=None):
    """Inside one LSTM step, with the gates i, f, g, o and the cell state on top.

    highlight: None (everything in colour) or one of LSTM_PARTS ("forget",
    "input", "candidate", "update", "output"): that part in colour, the rest
    grey. Returns the Axes.
    """
    if highlight is not None:
        one_of("highlight", highlight, LSTM_PARTS)
    ax = _axes(ax, (6.0, 3.8))
    from matplotlib.patches import FancyBboxPatch

    def col(*parts):
        if highlight is None or highlight in parts:
            return (
                _COLOURS[parts[0]]
                if highlight is None
                else _COLOURS[highlight]
            )
        return _GREY

    def ink(*parts):  # black, the highlight's colour on its own parts, or grey
        if highlight is None:
            return _INK
        return _COLOURS[highlight] if highlight in parts else _GREY

    ax.add_patch(
        FancyBboxPatch(
            (1.0, 0.6),
            9.6,
            5.5,
            boxstyle="round,pad=0.05,rounding_size=0.4",
            facecolor=_PALE,
            edgecolor=_GREY,
            lw=1.0,
            zorder=1,
        )
    )
    cy, hy, gy = (
        5.2,
        1.3,
        2.9,
    )  # heights of the cell-state line, the h/x bus, the gates
    fx, ix, gx, ox, outx = 2.6, 4.2, 5.6, 7.4, 9.0
    # The cell state: c_{t-1} -> (x f) -> (+ i*g) -> c_t.
    _label(ax, 0.1, cy, "$c_{t-1}$", ha="right", color=ink("forget", "update"))
    _line(
        ax,
        [(0.15, cy), (fx - 0.27, cy)],
        ink("forget", "update"),
        lw=2.4,
        arrow=False,
    )
    _line(
        ax,
        [(fx + 0.27, cy), (4.9 - 0.27, cy)],
        ink("update"),
        lw=2.4,
        arrow=False,
    )
    _line(ax, [(4.9 + 0.27, cy), (11.6, cy)], ink("update", "output"), lw=2.4)
    _label(ax, 11.7, cy, "$c_t$", ha="left", color=ink("update", "output"))
    # The bus: h_{t-1} from the left, x_t from below, feeding every gate.
    _label(ax, 0.1, hy, "$h_{t-1}$", ha="right")
    _line(ax, [(0.15, hy), (ox, hy)], _INK, arrow=False)
    _line(ax, [(1.7, -0.2), (1.7, hy)], _INK, arrow=False)
    _label(ax, 1.7, -0.45, "$x_t$")
    gates = (
        ("forget", fx, r"$\sigma$", "$f_t$"),
        ("input", ix, r"$\sigma$", "$i_t$"),
        ("candidate", gx, "tanh", "$g_t$"),
        ("output", ox, r"$\sigma$", "$o_t$"),
    )
    for part, x, act, name in gates:
        c = col(part)
        _line(ax, [(x, hy), (x, gy - 0.3)], c)
        w = 1.0 if act == "tanh" else 0.8
        _layer(ax, x, gy, act, c, _GATE_FILL if c != _GREY else "white", w=w)
        _label(ax, x - 0.35, gy + 0.65, name, color=c, size=11, ha="right")
    # Forget: f_t scales c_{t-1}.
    _line(ax, [(fx, gy + 0.3), (fx, cy - 0.27)], col("forget"))
    _op(ax, fx, cy, r"$\times$", col("forget", "update"))
    # Input and candidate: i_t * g_t, added to the cell state.
    _line(ax, [(ix, gy + 0.3), (ix, 4.0), (4.9 - 0.27, 4.0)], col("input"))
    _line(ax, [(gx, gy + 0.3), (gx, 4.0), (4.9 + 0.27, 4.0)], col("candidate"))
    _op(ax, 4.9, 4.0, r"$\times$", col("input", "candidate", "update"))
    _line(
        ax,
        [(4.9, 4.27), (4.9, cy - 0.27)],
        col("update", "input", "candidate"),
    )
    _op(ax, 4.9, cy, "+", col("update"))
    # Output: h_t = o_t * tanh(c_t).
    oc = col("output")
    _line(ax, [(outx, cy), (outx, 4.3)], oc)
    _layer(ax, outx, 4.0, "tanh", oc, "white", w=0.95, h=0.5)
    _line(ax, [(outx, 3.75), (outx, gy + 0.27)], oc)
    _line(ax, [(ox + 0.4, gy), (outx - 0.27, gy)], oc)
    _op(ax, outx, gy, r"$\times$", oc)
    _line(ax, [(outx, gy - 0.27), (outx, hy), (11.6, hy)], oc)
    _label(ax, 11.7, hy, "$h_t$", ha="left", color=ink("output"))
    _line(ax, [(10.1, hy), (10.1, 6.75)], oc)
    _label(ax, 10.1, 7.0, "$h_t$", color=ink("output"))
    ax.set_xlim(-1.0, 12.6)
    ax.set_ylim(-0.75, 7.3)
    if title:
        ax.set_title(title)
    return ax
