"""The vanilla RNN, forward and backward (BPTT), in NumPy: the reference.

Four public functions, CS231n's shape: each forward returns the cache its
backward needs.

    h_t, cache           = rnn_step(x_t, h_prev, params)
    hs, h_T, cache       = rnn_forward(x, params, h0=None)
    dx_t, dh_prev, grads = rnn_step_backward(dh_t, cache)
    dx, dh0, grads       = rnn_backward(dhs, cache, dh_T=None)

Arguments are checked once, in these four; the ``_math`` functions below
them are the bare equations, without checks.
Letters: N batch, T time steps, D input size, H hidden size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple, Optional

import numpy as np

from . import validate
from .grads import Grads
from .params import BlockParams
from .validate import as_float_array, instance_of


@dataclass(frozen=True, eq=False)
class RNNParams(BlockParams):
    """Weights of a vanilla (Elman) RNN.

    h_t = tanh(x_t W_xh + h_{t-1} W_hh + b_h)

    W_xh: (D, H) input-to-hidden weights
    W_hh: (H, H) hidden-to-hidden weights
    b_h:  (H,)   bias

    ``RNNParams.random(D, H, rng)`` draws every entry uniform in
    +-1/sqrt(H), PyTorch's range for nn.RNN. Keras 3 initialises
    differently: a Glorot-uniform kernel, an orthogonal recurrent kernel and
    a zero bias.
    """

    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray


@dataclass(frozen=True, eq=False, repr=False)
class RNNGrads(Grads):
    """Gradients of a loss L for the vanilla RNN: dL/dW_xh (D, H),
    dL/dW_hh (H, H), dL/db_h (H,) and, after ``rnn_backward``, dh (N, T, H):
    dL/dh_t through every path. NaN and inf are kept as they are."""

    PARAMS: ClassVar[type] = RNNParams
    STEPS: ClassVar[tuple] = ("dh",)

    dW_xh: np.ndarray
    dW_hh: np.ndarray
    db_h: np.ndarray
    dh: Optional[np.ndarray] = None


class RNNStepCache(NamedTuple):
    """What ``rnn_step`` keeps for ``rnn_step_backward``.

    x_t (N, D), h_prev (N, H), h_t (N, H), params cast to the dtype of x_t.
    """

    x_t: np.ndarray
    h_prev: np.ndarray
    h_t: np.ndarray
    params: RNNParams


class RNNCache(NamedTuple):
    """What ``rnn_forward`` keeps for ``rnn_backward``.

    x (N, T, D), h0 (N, H), hs (N, T, H), params cast to the dtype of x.
    """

    x: np.ndarray
    h0: np.ndarray
    hs: np.ndarray
    params: RNNParams


# ---- the equations -------------------------------------------------------


def _rnn_step_math(x_t, h_prev, W_xh, W_hh, b_h):
    """h_t = tanh(x_t W_xh + h_prev W_hh + b_h), all (N, H)."""
    return np.tanh(x_t @ W_xh + h_prev @ W_hh + b_h)


def _rnn_sequence(x, h0, W_xh, W_hh, b_h):
    """Every hidden state hs (N, T, H) of x (N, T, D), from h0 (N, H)."""
    N, T, _ = x.shape
    hs = np.empty((N, T, h0.shape[1]), dtype=x.dtype)
    h = h0
    for t in range(T):
        h = _rnn_step_math(x[:, t, :], h, W_xh, W_hh, b_h)  # (N, H)
        hs[:, t, :] = h
    return hs


#   a_t = x_t W_xh + h_{t-1} W_hh + b_h,   h_t = tanh(a_t)            (N, H)
#   da_t      = dh_t * (1 - h_t**2)                                    (N, H)
#   dx_t      = da_t W_xh^T                                            (N, D)
#   dh_{t-1}  = da_t W_hh^T                                            (N, H)
#   dW_xh = x_t^T da_t,  dW_hh = h_{t-1}^T da_t,  db_h = sum_n da_t


def _rnn_step_backward_math(dh_t, x_t, h_prev, h_t, W_xh, W_hh):
    """(dx_t, dh_prev, dW_xh, dW_hh, db_h) of one step, given dL/dh_t."""
    da = dh_t * (1 - h_t**2)  # (N, H): through tanh
    return da @ W_xh.T, da @ W_hh.T, x_t.T @ da, h_prev.T @ da, da.sum(axis=0)


def _rnn_backward_math(dhs, dh, x, h0, hs, W_xh, W_hh):
    """BPTT: (dx, dh0, dW_xh, dW_hh, db_h, dh_total) from dhs (N, T, H)."""
    T = x.shape[1]
    dx = np.empty_like(x)  # (N, T, D)
    dh_total = np.empty_like(hs)  # (N, T, H): dL/dh_t through every path
    dW_xh, dW_hh = np.zeros_like(W_xh), np.zeros_like(W_hh)
    db_h = np.zeros(W_hh.shape[1], dtype=hs.dtype)
    for t in reversed(range(T)):
        dh = dhs[:, t] + dh  # the loss's own gradient at t + what t+1 sends
        dh_total[:, t] = dh
        h_prev = hs[:, t - 1] if t > 0 else h0
        dx[:, t], dh, gx, gh, gb = _rnn_step_backward_math(
            dh, x[:, t], h_prev, hs[:, t], W_xh, W_hh
        )
        dW_xh += gx
        dW_hh += gh
        db_h += gb
    return dx, dh, dW_xh, dW_hh, db_h, dh_total


# ---- the public entries: check, then compute -----------------------------


def rnn_step(x_t, h_prev, params: RNNParams):
    """One RNN step: h_t = tanh(x_t W_xh + h_prev W_hh + b_h).

    x_t:    (N, D)
    h_prev: (N, H)
    params: RNNParams with W_xh (D, H), W_hh (H, H), b_h (H,)
    returns (h_t, cache): h_t (N, H) in the dtype of x_t, cache an
    RNNStepCache for ``rnn_step_backward``.
    """
    p = instance_of("params", params, RNNParams)
    x_t = as_float_array("x_t", x_t, ("N", ("D", p.D)))
    h_prev = validate.state("h_prev", h_prev, x_t.shape[0], p.H, x_t.dtype)
    p = p.astype(x_t.dtype)
    h_t = _rnn_step_math(x_t, h_prev, p.W_xh, p.W_hh, p.b_h)  # (N, H)
    return h_t, RNNStepCache(x_t, h_prev, h_t, p)


def rnn_forward(x, params: RNNParams, h0=None):
    """Run the RNN over a whole sequence.

    x:      (N, T, D) inputs, batch first
    params: RNNParams
    h0:     (N, H) initial hidden state, zeros if None
    returns (hs, h_T, cache): hs (N, T, H) every hidden state, h_T (N, H)
    the last one, both in the dtype of x; cache an RNNCache for
    ``rnn_backward``.
    """
    p = instance_of("params", params, RNNParams)
    x = as_float_array("x", x, ("N", "T", ("D", p.D)))
    h0 = validate.state("h0", h0, x.shape[0], p.H, x.dtype)
    p = p.astype(x.dtype)
    hs = _rnn_sequence(x, h0, p.W_xh, p.W_hh, p.b_h)
    return hs, hs[:, -1, :].copy(), RNNCache(x, h0, hs, p)


def rnn_step_backward(dh_t, cache: RNNStepCache):
    """Backward through one RNN step, given dL/dh_t.

    dh_t:  (N, H) dL/dh_t
    cache: the RNNStepCache of ``rnn_step``
    returns (dx_t, dh_prev, grads): dx_t (N, D), dh_prev (N, H), grads an
    RNNGrads with dL/dW_xh (D, H), dL/dW_hh (H, H), dL/db_h (H,).
    """
    x_t, h_prev, h_t, p = validate.cache(cache, RNNStepCache, "rnn_step")
    spec = (("N", h_t.shape[0]), ("H", p.H))
    dh_t = as_float_array("dh_t", dh_t, spec, dtype=h_t.dtype)
    dx_t, dh_prev, *grads = _rnn_step_backward_math(
        dh_t, x_t, h_prev, h_t, p.W_xh, p.W_hh
    )
    return dx_t, dh_prev, RNNGrads(*grads)


def rnn_backward(dhs, cache: RNNCache, dh_T=None):
    """Backpropagation through time for the whole sequence.

    dhs:   (N, T, H) dL/dh_t where the loss reads each h_t directly
           (zeros where it does not)
    cache: the RNNCache of ``rnn_forward``
    dh_T:  optional (N, H) extra gradient on the last state h_T
    returns (dx, dh0, grads): dx (N, T, D), dh0 (N, H), grads an RNNGrads
    with dL/dW_xh (D, H), dL/dW_hh (H, H), dL/db_h (H,) and dh (N, T, H),
    dL/dh_t through every path (directly and through later steps): how
    much of the loss's signal reaches step t.
    """
    x, h0, hs, p = validate.cache(cache, RNNCache, "rnn_forward")
    N, T, H = hs.shape
    dhs = as_float_array(
        "dhs", dhs, (("N", N), ("T", T), ("H", H)), dtype=hs.dtype
    )
    dh = validate.state("dh_T", dh_T, N, H, hs.dtype)
    dx, dh0, dW_xh, dW_hh, db_h, dh_total = _rnn_backward_math(
        dhs, dh, x, h0, hs, p.W_xh, p.W_hh
    )
    return dx, dh0, RNNGrads(dW_xh, dW_hh, db_h, dh=dh_total)
