"""The vanilla RNN, forward, in NumPy: the book's reference implementation.

Letters: N batch, T time steps, D input size, H hidden size.
"""
from __future__ import annotations

import numpy as np

from .params import RNNParams
from .validate import as_float_array


def _check_params(params):
    if not isinstance(params, RNNParams):
        raise ValueError(f"params must be an RNNParams; got {type(params).__name__}")
    return params


def rnn_step(x_t, h_prev, params: RNNParams):
    """One RNN step: h_t = tanh(x_t W_xh + h_prev W_hh + b_h).

    x_t:    (N, D)
    h_prev: (N, H)
    params: RNNParams with W_xh (D, H), W_hh (H, H), b_h (H,)
    returns h_t: (N, H), in the dtype of x_t
    """
    p = _check_params(params)
    x_t = as_float_array("x_t", x_t, ("N", ("D", p.D)))
    N, dtype = x_t.shape[0], x_t.dtype
    h_prev = as_float_array("h_prev", h_prev, (("N", N), ("H", p.H)), dtype=dtype)
    return np.tanh(x_t @ p.W_xh.astype(dtype) + h_prev @ p.W_hh.astype(dtype) + p.b_h.astype(dtype))


def rnn_forward(x, params: RNNParams, h0=None):
    """Run the RNN over a whole sequence.

    x:      (N, T, D) inputs, batch first
    params: RNNParams
    h0:     (N, H) initial hidden state, zeros if None
    returns (hs, h_T): hs (N, T, H) every hidden state, h_T (N, H) the last one;
    both in the dtype of x.
    """
    p = _check_params(params)
    x = as_float_array("x", x, ("N", "T", ("D", p.D)))
    N, T, _ = x.shape
    dtype = x.dtype
    if h0 is None:
        h = np.zeros((N, p.H), dtype=dtype)
    else:
        h = as_float_array("h0", h0, (("N", N), ("H", p.H)), dtype=dtype)
    W_xh, W_hh, b_h = (a.astype(dtype) for a in (p.W_xh, p.W_hh, p.b_h))
    hs = np.empty((N, T, p.H), dtype=dtype)
    for t in range(T):
        h = np.tanh(x[:, t, :] @ W_xh + h @ W_hh + b_h)  # (N, H)
        hs[:, t, :] = h
    return hs, h
