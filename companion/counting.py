"""Counting the parameters of recurrent layers, by formula and by part.

For a layer with input size D and H units:
    rnn  (Keras):  H*(D + H) + H        (PyTorch: + H, a second bias)
    lstm (Keras):  4 * (H*(D + H) + H)  (PyTorch: + 4H, a second bias per gate)
    gru  (Keras):  3 * (H*(D + H) + H), + 3H with reset_after=True (Keras'
                   default: a recurrent bias row); PyTorch: 3 * (H*(D + H) + 2H)
    mingru:        2 * (H*D + H)  (blocks z, g: one Linear(D, 2H), no
                   recurrent weights, one bias in either framework)
    minlstm:       3 * (H*D + H)  (blocks i, f, g)
    dense:         D*H + H
The count does not depend on the number of time steps: one set of weights is
reused at every step.
"""

from __future__ import annotations

from typing import NamedTuple

from . import cells
from .validate import boolean, one_of, positive_int

FRAMEWORKS = ("keras", "torch")


def kinds() -> tuple:
    """The kinds counted: every cell of companion.cells, and "dense"."""
    return (*cells.CELLS, "dense")


class PartCount(NamedTuple):
    """The parameters of one part of a layer (one gate, say)."""

    part: str  # what the weights compute, e.g. "forget gate f"
    weight_shape: tuple  # (H, D + H): one row per unit, on the column vector [h_prev, x_t]; (H, D) for a min cell
    n_weights: int
    n_biases: int  # 1 bias vector in Keras, 2 in PyTorch
    total: int


def _reset_after(kind, reset_after):
    """reset_after for a GRU (default True, as in Keras and PyTorch); refused for other kinds."""
    if kind != "gru":
        if reset_after is not None:
            raise ValueError(
                f"reset_after is for kind='gru' only; got kind={kind!r}"
            )
        return None
    return True if reset_after is None else boolean("reset_after", reset_after)


def param_breakdown(
    kind, input_dim, units, framework="keras", reset_after=None
):
    """Per-part parameter counts of a layer, as a list of PartCount rows.

    kind: "rnn", "lstm", "gru" (any cell of companion.cells) or "dense";
    input_dim: D; units: H;
    framework: "keras" (one bias per part) or "torch" (two biases per
    recurrent part: b_ih and b_hh). Dense layers and the min cells (whose
    blocks read x_t only: an (H, D) weight each) have one bias in both.
    reset_after: GRU only (default True): Keras' GRU then has a second bias
    per part too; False (Keras only) is the original GRU with one.
    The rows add up to count_params(kind, input_dim, units, framework, reset_after).
    """
    kind = one_of("kind", kind, kinds())
    framework = one_of("framework", framework, FRAMEWORKS)
    reset_after = _reset_after(kind, reset_after)
    if reset_after is False and framework == "torch":
        raise ValueError(
            "reset_after=False has no PyTorch layer: nn.GRU always resets after the recurrent product"
        )
    D = positive_int("input_dim", input_dim)
    H = positive_int("units", units)
    if kind == "dense":
        return [PartCount("dense y = x W + b", (D, H), D * H, H, D * H + H)]
    cell = cells.get(kind, "kind")
    # minGRU, minLSTM (reads_h False): (H, D) blocks of one Linear, one bias
    weight_shape = (H, D + H) if cell.reads_h else (H, D)
    two_biases = cell.reads_h and (framework == "torch" or reset_after)
    rows = []
    for label in cell.parts:
        n_w = weight_shape[0] * weight_shape[1]
        n_b = (2 if two_biases else 1) * H
        rows.append(PartCount(label, weight_shape, n_w, n_b, n_w + n_b))
    return rows


def count_params(
    kind, input_dim, units, framework="keras", reset_after=None
) -> int:
    """Number of trainable parameters of one layer (see the module docstring).

    kind: "rnn", "lstm", "gru" or "dense"; input_dim: D (int >= 1); units: H (int >= 1);
    framework: "keras" or "torch"; reset_after: GRU only, default True (see
    ``param_breakdown``). Returns an int.
    """
    return sum(
        row.total
        for row in param_breakdown(
            kind, input_dim, units, framework, reset_after
        )
    )


def breakdown_table(
    kind, input_dim, units, framework="keras", reset_after=None
) -> str:
    """The breakdown as a small fixed-width text table, ending with the total.

    For the LSTM with D=2, H=3 (Keras) every gate has a 3x5 matrix and 3 biases,
    18 parameters, 72 in all.
    """
    rows = param_breakdown(kind, input_dim, units, framework, reset_after)
    lines = [f"{'part':<20}{'weights':>14}{'biases':>8}{'total':>8}"]
    for r in rows:
        shape = "x".join(str(s) for s in r.weight_shape)
        lines.append(
            f"{r.part:<20}{shape + ' = ' + str(r.n_weights):>14}{r.n_biases:>8}{r.total:>8}"
        )
    lines.append(
        f"{'all parts':<20}{'':>14}{'':>8}{sum(r.total for r in rows):>8}"
    )
    return "\n".join(lines)
