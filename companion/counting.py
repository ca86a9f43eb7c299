"""Counting the parameters of recurrent layers, by formula and by part.

For a layer with input size D and H units:
    rnn  (Keras):  H*(D + H) + H        (PyTorch: + H, a second bias)
    lstm (Keras):  4 * (H*(D + H) + H)  (PyTorch: + 4H, a second bias per gate)
    dense:         D*H + H
The count does not depend on the number of time steps: one set of weights is
reused at every step.
"""

from __future__ import annotations

from typing import NamedTuple

from .validate import one_of, positive_int

KINDS = ("rnn", "lstm", "dense")
FRAMEWORKS = ("keras", "torch")

_LSTM_PARTS = (
    ("i", "input gate i"),
    ("f", "forget gate f"),
    ("g", "candidate g"),
    ("o", "output gate o"),
)


class PartCount(NamedTuple):
    """The parameters of one part of a layer (one gate, say)."""

    part: str  # what the weights compute, e.g. "forget gate f"
    weight_shape: (
        tuple  # (H, D + H): a row per unit, on the column [h_prev, x_t]
    )
    n_weights: int
    n_biases: int  # 1 bias vector in Keras, 2 in PyTorch
    total: int


def param_breakdown(kind, input_dim, units, framework="keras"):
    """Per-part parameter counts of a layer, as a list of PartCount rows.

    kind: "rnn", "lstm" or "dense"; input_dim: D; units: H;
    framework: "keras" (one bias per part) or "torch" (two biases per
    recurrent part: b_ih and b_hh). Dense layers have one bias in both.
    The rows add up to count_params(kind, input_dim, units, framework).
    """
    kind = one_of("kind", kind, KINDS)
    framework = one_of("framework", framework, FRAMEWORKS)
    D = positive_int("input_dim", input_dim)
    H = positive_int("units", units)
    if kind == "dense":
        return [PartCount("dense y = x W + b", (D, H), D * H, H, D * H + H)]
    n_bias_vectors = 2 if framework == "torch" else 1
    parts = [("h", "hidden state h")] if kind == "rnn" else _LSTM_PARTS
    rows = []
    for _, label in parts:
        n_w = H * (D + H)
        n_b = n_bias_vectors * H
        rows.append(PartCount(label, (H, D + H), n_w, n_b, n_w + n_b))
    return rows


def count_params(kind, input_dim, units, framework="keras") -> int:
    """Number of trainable parameters of one layer (see the module docstring).

    kind: "rnn", "lstm" or "dense"; input_dim: D (int >= 1);
    units: H (int >= 1);
    framework: "keras" or "torch". Returns an int.
    """
    return sum(
        row.total for row in param_breakdown(kind, input_dim, units, framework)
    )


def breakdown_table(kind, input_dim, units, framework="keras") -> str:
    """The breakdown as a small fixed-width text table, ending with the total.

    For the LSTM with D=2, H=3 (Keras) every gate has a 3x5 matrix and 3
    biases,
    18 parameters, 72 in all.
    """
    rows = param_breakdown(kind, input_dim, units, framework)
    lines = [f"{'part':<20}{'weights':>14}{'biases':>8}{'total':>8}"]
    for r in rows:
        shape = "x".join(str(s) for s in r.weight_shape)
        lines.append(
            f"{r.part:<20}{shape + ' = ' + str(r.n_weights):>14}"
            f"{r.n_biases:>8}{r.total:>8}"
        )
    lines.append(
        f"{'all parts':<20}{'':>14}{'':>8}{sum(r.total for r in rows):>8}"
    )
    return "\n".join(lines)
