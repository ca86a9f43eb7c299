"""The vanilla RNN, forward and backward (BPTT), in NumPy: the book's reference implementation.

Letters: N batch, T time steps, D input size, H hidden size.
"""
from __future__ import annotations

from typing import NamedTuple

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


# ---------------------------------------------------------------------------
# Backward: backpropagation through time (BPTT)
#
#   a_t = x_t W_xh + h_{t-1} W_hh + b_h,   h_t = tanh(a_t)           (N, H)
#   da_t      = dh_t * (1 - h_t**2)                                   (N, H)
#   dx_t      = da_t W_xh^T                                           (N, D)
#   dh_{t-1} += da_t W_hh^T                                           (N, H)
#   dW_xh    += x_t^T da_t,  dW_hh += h_{t-1}^T da_t,  db_h += sum_n da_t
# ---------------------------------------------------------------------------


class RNNStepCache(NamedTuple):
    """What one forward step keeps for its backward step.

    x_t (N, D), h_prev (N, H), h_t (N, H), params cast to the dtype of x_t.
    """

    x_t: np.ndarray
    h_prev: np.ndarray
    h_t: np.ndarray
    params: RNNParams


class RNNCache(NamedTuple):
    """What ``rnn_forward_with_cache`` keeps for ``rnn_backward``.

    x (N, T, D), h0 (N, H), hs (N, T, H), params cast to the dtype of x.
    """

    x: np.ndarray
    h0: np.ndarray
    hs: np.ndarray
    params: RNNParams


def rnn_step_with_cache(x_t, h_prev, params: RNNParams):
    """``rnn_step`` that also returns the cache its backward step needs.

    x_t: (N, D); h_prev: (N, H); params: RNNParams
    returns (h_t, cache): h_t (N, H) equal to ``rnn_step``'s, cache an RNNStepCache
    """
    p = _check_params(params)
    x_t = as_float_array("x_t", x_t, ("N", ("D", p.D)))
    N, dtype = x_t.shape[0], x_t.dtype
    h_prev = as_float_array("h_prev", h_prev, (("N", N), ("H", p.H)), dtype=dtype)
    p = p.astype(dtype)
    h_t = np.tanh(x_t @ p.W_xh + h_prev @ p.W_hh + p.b_h)  # (N, H)
    return h_t, RNNStepCache(x_t, h_prev, h_t, p)


def _step_backward(dh_t, x_t, h_prev, h_t, p):
    da = dh_t * (1 - h_t**2)  # (N, H): through tanh
    return da @ p.W_xh.T, da @ p.W_hh.T, (x_t.T @ da, h_prev.T @ da, da.sum(axis=0))


def _check_cache(cache, cls):
    if not isinstance(cache, cls):
        source = "rnn_step_with_cache" if cls is RNNStepCache else "rnn_forward_with_cache"
        raise ValueError(f"cache must be the {cls.__name__} returned by {source}; got {type(cache).__name__}")
    return cache


def rnn_step_backward(dh_t, cache: RNNStepCache):
    """Backward through one RNN step: the gradients of a loss L given dL/dh_t.

    dh_t:  (N, H) dL/dh_t
    cache: the RNNStepCache of ``rnn_step_with_cache``
    returns (dx_t, dh_prev, grads): dx_t (N, D), dh_prev (N, H) and grads, an
    RNNParams holding dL/dW_xh (D, H), dL/dW_hh (H, H), dL/db_h (H,).
    """
    x_t, h_prev, h_t, p = _check_cache(cache, RNNStepCache)
    dh_t = as_float_array("dh_t", dh_t, (("N", h_t.shape[0]), ("H", p.H)), dtype=h_t.dtype)
    dx_t, dh_prev, grads = _step_backward(dh_t, x_t, h_prev, h_t, p)
    return dx_t, dh_prev, RNNParams(*grads)


def rnn_forward_with_cache(x, params: RNNParams, h0=None):
    """``rnn_forward`` that also returns the cache ``rnn_backward`` needs.

    x: (N, T, D); params: RNNParams; h0: (N, H) or None for zeros
    returns (hs, h_T, cache): hs (N, T, H) and h_T (N, H) equal to ``rnn_forward``'s,
    cache an RNNCache
    """
    p = _check_params(params)
    x = as_float_array("x", x, ("N", "T", ("D", p.D)))
    hs, h_T = rnn_forward(x, p, h0)
    h0 = np.zeros((x.shape[0], p.H), dtype=x.dtype) if h0 is None else np.asarray(h0, dtype=x.dtype)
    return hs, h_T, RNNCache(x, h0, hs, p.astype(x.dtype))


def _sequence_backward(dhs, cache, dh_T):
    x, h0, hs, p = _check_cache(cache, RNNCache)
    N, T, H = hs.shape
    dhs = as_float_array("dhs", dhs, (("N", N), ("T", T), ("H", H)), dtype=hs.dtype)
    dh = np.zeros((N, H), hs.dtype) if dh_T is None else as_float_array("dh_T", dh_T, (("N", N), ("H", H)), dtype=hs.dtype)
    dx = np.empty_like(x)  # (N, T, D)
    dh_total = np.empty_like(hs)  # (N, T, H): dL/dh_t through every path
    grads = [np.zeros_like(a) for a in (p.W_xh, p.W_hh, p.b_h)]
    for t in reversed(range(T)):
        dh = dhs[:, t] + dh  # the loss's own gradient at step t + what step t+1 sends back
        dh_total[:, t] = dh
        h_prev = hs[:, t - 1] if t > 0 else h0
        dx[:, t], dh, step = _step_backward(dh, x[:, t], h_prev, hs[:, t], p)
        for total, g in zip(grads, step):
            total += g
    return dx, dh, RNNParams(*grads), dh_total


def rnn_backward(dhs, cache: RNNCache, dh_T=None):
    """Backpropagation through time for the whole sequence.

    dhs:   (N, T, H) dL/dh_t where the loss reads each h_t directly (zeros where it does not)
    cache: the RNNCache of ``rnn_forward_with_cache``
    dh_T:  optional (N, H) extra gradient on the last state h_T
    returns (dx, dh0, grads): dx (N, T, D), dh0 (N, H), grads an RNNParams holding
    dL/dW_xh (D, H), dL/dW_hh (H, H), dL/db_h (H,).
    """
    dx, dh0, grads, _ = _sequence_backward(dhs, cache, dh_T)
    return dx, dh0, grads


def rnn_hidden_grads(dhs, cache: RNNCache, dh_T=None):
    """dL/dh_t for t = 1..T through every path (directly and through later steps).

    Same arguments as ``rnn_backward``; returns (N, T, H). Entry t - 1 is the
    gradient that arrives at h_t during ``rnn_backward``: it shows how much of
    the loss's signal survives the trip back to step t.
    """
    return _sequence_backward(dhs, cache, dh_T)[3]
