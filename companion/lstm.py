"""The LSTM, forward and backward (BPTT), in NumPy: the book's reference implementation.

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

from typing import NamedTuple

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


def _sequence_inputs(x, p, h0, c0):
    """Checked x (N, T, D) and initial states h0, c0 (N, H) in x's dtype (zeros where None)."""
    x = as_float_array("x", x, ("N", "T", ("D", p.D)))
    N, dtype, H = x.shape[0], x.dtype, p.H
    h0 = np.zeros((N, H), dtype) if h0 is None else as_float_array("h0", h0, (("N", N), ("H", H)), dtype=dtype)
    c0 = np.zeros((N, H), dtype) if c0 is None else as_float_array("c0", c0, (("N", N), ("H", H)), dtype=dtype)
    return x, h0, c0


def _gates(z, H):
    """The activated gates (i, f, g, o), each (N, H), from pre-activations z (N, 4H)."""
    return sigmoid(z[:, 0:H]), sigmoid(z[:, H : 2 * H]), np.tanh(z[:, 2 * H : 3 * H]), sigmoid(z[:, 3 * H : 4 * H])


def _cell(z, c_prev, H):
    """The gate arithmetic of one step, from pre-activations z (N, 4H)."""
    i, f, g, o = _gates(z, H)
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
    x, h, c = _sequence_inputs(x, p, h0, c0)
    N, T, _ = x.shape
    dtype, H = x.dtype, p.H
    W_x, W_h, b = (a.astype(dtype) for a in (p.W_x, p.W_h, p.b))
    hs = np.empty((N, T, H), dtype=dtype)
    for t in range(T):
        z = x[:, t, :] @ W_x + h @ W_h + b  # (N, 4H)
        h, c = _cell(z, c, H)
        hs[:, t, :] = h
    return hs, (h, c)


# ---------------------------------------------------------------------------
# Backward: backpropagation through time (BPTT)
#
# Given dh_t (N, H) and dc_t (N, H), the gradient arriving along the cell state:
#   dc      = dc_t + dh_t * o * (1 - tanh(c_t)**2)      all (N, H)
#   di = dc * g,  df = dc * c_prev,  dg = dc * i,  do = dh_t * tanh(c_t)
#   dc_prev = dc * f
#   dz = [di*i*(1-i) | df*f*(1-f) | dg*(1-g**2) | do*o*(1-o)]   (N, 4H)
#   dx_t = dz W_x^T,  dh_prev = dz W_h^T,  dW_x += x_t^T dz,  dW_h += h_prev^T dz,  db += sum_n dz
# ---------------------------------------------------------------------------


class LSTMStepCache(NamedTuple):
    """What one forward step keeps for its backward step.

    x_t (N, D); h_prev, c_prev (N, H); gates (N, 4H) the activated i, f, g, o;
    c_t (N, H); params cast to the dtype of x_t.
    """

    x_t: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    gates: np.ndarray
    c_t: np.ndarray
    params: LSTMParams


class LSTMCache(NamedTuple):
    """What ``lstm_forward_with_cache`` keeps for ``lstm_backward``.

    x (N, T, D); h0, c0 (N, H); hs, cs (N, T, H) every h_t and c_t;
    gates (N, T, 4H) the activated i, f, g, o of every step; params in the dtype of x.
    """

    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    hs: np.ndarray
    cs: np.ndarray
    gates: np.ndarray
    params: LSTMParams


def _cell_with_gates(z, c_prev, H):
    """``_cell`` that also returns the activated gates [i | f | g | o] (N, 4H)."""
    i, f, g, o = _gates(z, H)
    c_t = f * c_prev + i * g
    h_t = o * np.tanh(c_t)
    return h_t, c_t, np.concatenate([i, f, g, o], axis=1)


def lstm_step_with_cache(x_t, h_prev, c_prev, params: LSTMParams):
    """``lstm_step`` that also returns the cache its backward step needs.

    x_t: (N, D); h_prev, c_prev: (N, H); params: LSTMParams
    returns (h_t, c_t, cache): h_t, c_t (N, H) equal to ``lstm_step``'s, cache an LSTMStepCache
    """
    p = _check_params(params)
    x_t = as_float_array("x_t", x_t, ("N", ("D", p.D)))
    N, dtype = x_t.shape[0], x_t.dtype
    h_prev = as_float_array("h_prev", h_prev, (("N", N), ("H", p.H)), dtype=dtype)
    c_prev = as_float_array("c_prev", c_prev, (("N", N), ("H", p.H)), dtype=dtype)
    p = p.astype(dtype)
    z = x_t @ p.W_x + h_prev @ p.W_h + p.b  # (N, 4H)
    h_t, c_t, gates = _cell_with_gates(z, c_prev, p.H)
    return h_t, c_t, LSTMStepCache(x_t, h_prev, c_prev, gates, c_t, p)


def _step_backward(dh_t, dc_t, x_t, h_prev, c_prev, gates, c_t, p):
    H = p.H
    i, f, g, o = (gates[:, k * H : (k + 1) * H] for k in range(4))  # each (N, H)
    tanh_c = np.tanh(c_t)
    dc = dc_t + dh_t * o * (1 - tanh_c**2)  # (N, H): both paths into c_t
    dz = np.concatenate(
        [dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g**2), dh_t * tanh_c * o * (1 - o)], axis=1
    )  # (N, 4H), blocks i, f, g, o
    grads = (x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0))
    return dz @ p.W_x.T, dz @ p.W_h.T, dc * f, grads, dc


def _check_cache(cache, cls):
    if not isinstance(cache, cls):
        source = "lstm_step_with_cache" if cls is LSTMStepCache else "lstm_forward_with_cache"
        raise ValueError(f"cache must be the {cls.__name__} returned by {source}; got {type(cache).__name__}")
    return cache


def lstm_step_backward(dh_t, dc_t, cache: LSTMStepCache):
    """Backward through one LSTM step, given dL/dh_t and dL/dc_t.

    dh_t:  (N, H) dL/dh_t
    dc_t:  (N, H) dL/dc_t arriving along the cell state (zeros for the last step), or None
    cache: the LSTMStepCache of ``lstm_step_with_cache``
    returns (dx_t, dh_prev, dc_prev, grads): dx_t (N, D); dh_prev, dc_prev (N, H);
    grads an LSTMParams holding dL/dW_x (D, 4H), dL/dW_h (H, 4H), dL/db (4H,).
    """
    x_t, h_prev, c_prev, gates, c_t, p = _check_cache(cache, LSTMStepCache)
    shape, dtype = (("N", c_t.shape[0]), ("H", p.H)), c_t.dtype
    dh_t = as_float_array("dh_t", dh_t, shape, dtype=dtype)
    dc_t = np.zeros_like(c_t) if dc_t is None else as_float_array("dc_t", dc_t, shape, dtype=dtype)
    dx_t, dh_prev, dc_prev, grads, _ = _step_backward(dh_t, dc_t, x_t, h_prev, c_prev, gates, c_t, p)
    return dx_t, dh_prev, dc_prev, LSTMParams(*grads)


def lstm_forward_with_cache(x, params: LSTMParams, h0=None, c0=None):
    """``lstm_forward`` that also returns the cache ``lstm_backward`` needs.

    x: (N, T, D); params: LSTMParams; h0, c0: (N, H) or None for zeros
    returns (hs, (h_T, c_T), cache): hs (N, T, H), h_T and c_T (N, H), equal to
    ``lstm_forward``'s; cache an LSTMCache
    """
    p = _check_params(params)
    x, h0, c0 = _sequence_inputs(x, p, h0, c0)
    N, T, _ = x.shape
    dtype, H = x.dtype, p.H
    p = p.astype(dtype)
    hs, cs = np.empty((N, T, H), dtype), np.empty((N, T, H), dtype)
    gates = np.empty((N, T, 4 * H), dtype)
    h, c = h0, c0
    for t in range(T):
        z = x[:, t, :] @ p.W_x + h @ p.W_h + p.b  # (N, 4H)
        h, c, gates[:, t] = _cell_with_gates(z, c, H)
        hs[:, t], cs[:, t] = h, c
    return hs, (h, c), LSTMCache(x, h0, c0, hs, cs, gates, p)


def _sequence_backward(dhs, cache, dh_T, dc_T):
    x, h0, c0, hs, cs, gates, p = _check_cache(cache, LSTMCache)
    N, T, H = hs.shape
    shape, dtype = (("N", N), ("H", H)), hs.dtype
    dhs = as_float_array("dhs", dhs, (("N", N), ("T", T), ("H", H)), dtype=dtype)
    dh = np.zeros((N, H), dtype) if dh_T is None else as_float_array("dh_T", dh_T, shape, dtype=dtype)
    dc = np.zeros((N, H), dtype) if dc_T is None else as_float_array("dc_T", dc_T, shape, dtype=dtype)
    dx = np.empty_like(x)  # (N, T, D)
    dh_total, dc_total = np.empty_like(hs), np.empty_like(hs)  # (N, T, H) each
    grads = [np.zeros_like(a) for a in (p.W_x, p.W_h, p.b)]
    for t in reversed(range(T)):
        dh = dhs[:, t] + dh  # the loss's own gradient at step t + what step t+1 sends back
        dh_total[:, t] = dh
        h_prev, c_prev = (hs[:, t - 1], cs[:, t - 1]) if t > 0 else (h0, c0)
        dx[:, t], dh, dc, step, dc_total[:, t] = _step_backward(dh, dc, x[:, t], h_prev, c_prev, gates[:, t], cs[:, t], p)
        for total, g in zip(grads, step):
            total += g
    return dx, dh, dc, LSTMParams(*grads), dh_total, dc_total


def lstm_backward(dhs, cache: LSTMCache, dh_T=None, dc_T=None):
    """Backpropagation through time for the whole sequence.

    dhs:   (N, T, H) dL/dh_t where the loss reads each h_t directly (zeros where it does not)
    cache: the LSTMCache of ``lstm_forward_with_cache``
    dh_T, dc_T: optional (N, H) extra gradients on the last states h_T and c_T
    returns (dx, dh0, dc0, grads): dx (N, T, D); dh0, dc0 (N, H); grads an
    LSTMParams holding dL/dW_x (D, 4H), dL/dW_h (H, 4H), dL/db (4H,).
    """
    dx, dh0, dc0, grads, _, _ = _sequence_backward(dhs, cache, dh_T, dc_T)
    return dx, dh0, dc0, grads


def lstm_hidden_grads(dhs, cache: LSTMCache, dh_T=None, dc_T=None):
    """dL/dh_t and dL/dc_t for t = 1..T, as they arrive during ``lstm_backward``.

    Same arguments as ``lstm_backward``; returns (dh, dc), each (N, T, H).
    dh[:, t-1] is the total gradient on h_t and dc[:, t-1] the total gradient on
    c_t (through h_t and along the cell state to step t+1).
    """
    _, _, _, _, dh_total, dc_total = _sequence_backward(dhs, cache, dh_T, dc_T)
    return dh_total, dc_total
