"""The LSTM, forward, in NumPy: the book's reference implementation.

Gates are packed side by side in the order i, f, g, o:
    z   = x_t W_x + h_prev W_h + b                      (N, 4H)
    i   = sigma(z[:, 0:H])      input gate
    f   = sigma(z[:, H:2H])     forget gate
    g   = tanh(z[:, 2H:3H])     candidate
    o   = sigma(z[:, 3H:4H])    output gate
    c_t = f * c_prev + i * g
    h_t = o * tanh(c_t)
"""
from __future__ import annotations

import numpy as np

from .params import LSTMParams
from .validate import as_float_array


def sigmoid(z):
    """The logistic function 1 / (1 + exp(-z)), computed without overflow.

    z: any shape; returns the same shape and dtype, values in (0, 1).
    """
    z = np.asarray(z)
    return np.exp(-np.logaddexp(0, -z)).astype(z.dtype, copy=False)


def _check_params(params):
    if not isinstance(params, LSTMParams):
        raise ValueError(f"params must be an LSTMParams; got {type(params).__name__}")
    return params


def _cell(z, c_prev, H):
    """The gate arithmetic of one step, from pre-activations z (N, 4H)."""
    i = sigmoid(z[:, 0:H])
    f = sigmoid(z[:, H : 2 * H])
    g = np.tanh(z[:, 2 * H : 3 * H])
    o = sigmoid(z[:, 3 * H : 4 * H])
    c_t = f * c_prev + i * g
    h_t = o * np.tanh(c_t)
    return h_t, c_t


def lstm_step(x_t, h_prev, c_prev, params: LSTMParams):
    """One LSTM step (gates i, f, g, o; see the module docstring).

    x_t:    (N, D)
    h_prev: (N, H)
    c_prev: (N, H)
    params: LSTMParams with W_x (D, 4H), W_h (H, 4H), b (4H,)
    returns (h_t, c_t), each (N, H), in the dtype of x_t
    """
    p = _check_params(params)
    x_t = as_float_array("x_t", x_t, ("N", ("D", p.D)))
    N, dtype = x_t.shape[0], x_t.dtype
    h_prev = as_float_array("h_prev", h_prev, (("N", N), ("H", p.H)), dtype=dtype)
    c_prev = as_float_array("c_prev", c_prev, (("N", N), ("H", p.H)), dtype=dtype)
    z = x_t @ p.W_x.astype(dtype) + h_prev @ p.W_h.astype(dtype) + p.b.astype(dtype)  # (N, 4H)
    return _cell(z, c_prev, p.H)


def lstm_forward(x, params: LSTMParams, h0=None, c0=None):
    """Run the LSTM over a whole sequence.

    x:      (N, T, D) inputs, batch first
    params: LSTMParams
    h0, c0: (N, H) initial hidden and cell state, zeros if None
    returns (hs, (h_T, c_T)): hs (N, T, H) every hidden state; h_T, c_T (N, H);
    all in the dtype of x.
    """
    p = _check_params(params)
    x = as_float_array("x", x, ("N", "T", ("D", p.D)))
    N, T, _ = x.shape
    dtype, H = x.dtype, p.H
    h = np.zeros((N, H), dtype) if h0 is None else as_float_array("h0", h0, (("N", N), ("H", H)), dtype=dtype)
    c = np.zeros((N, H), dtype) if c0 is None else as_float_array("c0", c0, (("N", N), ("H", H)), dtype=dtype)
    W_x, W_h, b = (a.astype(dtype) for a in (p.W_x, p.W_h, p.b))
    hs = np.empty((N, T, H), dtype=dtype)
    for t in range(T):
        z = x[:, t, :] @ W_x + h @ W_h + b  # (N, 4H)
        h, c = _cell(z, c, H)
        hs[:, t, :] = h
    return hs, (h, c)
