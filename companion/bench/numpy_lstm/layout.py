"""Input checks and weight layouts of the NumPy LSTM levels.

``per_gate`` splits packed (i, f, g, o) weights into one triple per gate (the
naive level); ``fused_weights`` reorders their columns to (i, f, o, g) (the
fused level), so that one sigmoid covers three gates.
"""

from __future__ import annotations

import numpy as np

from ...lstm import LSTMParams
from ...validate import as_float_array, instance_of

# Column blocks of the fused layout: (i, f, o, g) taken from the book's (i, f, g, o).
FUSED_ORDER = (0, 1, 3, 2)


def check_inputs(x, params, dhs=None):
    """Checked (x (N, T, D), params, dhs (N, T, H) or None), all in x's float dtype."""
    instance_of("params", params, LSTMParams)
    x = as_float_array("x", x, ("N", "T", ("D", params.D)))
    if dhs is not None:
        N, T, _ = x.shape
        dhs = as_float_array(
            "dhs", dhs, (("N", N), ("T", T), ("H", params.H)), dtype=x.dtype
        )
    return x, params.astype(x.dtype), dhs


def per_gate(params):
    """Four (W_x_k (D, H), W_h_k (H, H), b_k (H,)) triples, contiguous, gates i, f, g, o."""
    H = params.H
    return [
        tuple(
            np.ascontiguousarray(a[..., k * H : (k + 1) * H])
            for a in (params.W_x, params.W_h, params.b)
        )
        for k in range(4)
    ]


def fused_columns(H):
    """Column indices that reorder packed (i, f, g, o) blocks into (i, f, o, g)."""
    return np.concatenate([np.arange(k * H, (k + 1) * H) for k in FUSED_ORDER])


def fused_weights(params):
    """(W_x, W_h, b) with columns reordered to (i, f, o, g), contiguous: done once, outside a timer."""
    cols = fused_columns(params.H)
    return tuple(
        np.ascontiguousarray(a[..., cols])
        for a in (params.W_x, params.W_h, params.b)
    )
