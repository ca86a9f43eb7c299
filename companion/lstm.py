"""The LSTM, forward and backward (BPTT), in NumPy: the book's reference.

Gates are packed side by side in the order i, f, g, o:
    z   = x_t W_x + h_prev W_h + b                      (N, 4H)
    i   = sigma(z[:, 0:H])      input gate
    f   = sigma(z[:, H:2H])     forget gate
    g   = tanh(z[:, 2H:3H])     candidate
    o   = sigma(z[:, 3H:4H])    output gate
    c_t = f * c_prev + i * g
    h_t = o * tanh(c_t)

Four public functions, each forward returning what its backward needs:

    h_t, c_t, cache               = lstm_step(x_t, h_prev, c_prev, params)
    hs, h_T, c_T, cache           = lstm_forward(x, params, h0=None, c0=None)
    dx_t, dh_prev, dc_prev, grads = lstm_step_backward(dh_t, dc_t, cache)
    dx, dh0, dc0, grads           = lstm_backward(dhs, cache, dh_T=None,
                                                  dc_T=None)

Arguments are checked once, in these four; the ``_math`` functions are
the bare equations, without checks. ``sigmoid`` lives in companion.ops.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple, Optional

import numpy as np

from . import validate
from .grads import Grads
from .ops import sigmoid
from .params import BlockParams
from .validate import as_float_array, instance_of

GATES = ("i", "f", "g", "o")


@dataclass(frozen=True, eq=False)
class LSTMParams(BlockParams):
    """Weights of an LSTM with packed gates in the order i, f, g, o.

    W_x: (D, 4H) input weights, columns [i | f | g | o]
    W_h: (H, 4H) recurrent weights, same column blocks
    b:   (4H,)   one bias (Keras' layout; PyTorch splits it in two)

    ``p.gate("f")`` is one gate's (W_x[:, k], W_h[:, k], b[k]).
    ``LSTMParams.random(D, H, rng)`` draws every entry uniform in
    +-1/sqrt(H), PyTorch's range for nn.LSTM. Keras 3 uses a Glorot-uniform
    kernel, an orthogonal recurrent kernel and a zero bias with the forget
    gate's block at 1 (unit_forget_bias).
    """

    BLOCKS: ClassVar[int] = 4
    GATES: ClassVar[tuple] = GATES

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray


@dataclass(frozen=True, eq=False, repr=False)
class LSTMGrads(Grads):
    """Gradients of a loss L for the LSTM: dL/dW_x (D, 4H), dL/dW_h (H, 4H),
    dL/db (4H,) and, after ``lstm_backward``, dh and dc (N, T, H): the total
    gradient on every h_t and c_t. NaN and inf are kept as they are."""

    PARAMS: ClassVar[type] = LSTMParams
    STEPS: ClassVar[tuple] = ("dh", "dc")

    dW_x: np.ndarray
    dW_h: np.ndarray
    db: np.ndarray
    dh: Optional[np.ndarray] = None
    dc: Optional[np.ndarray] = None


class LSTMStepCache(NamedTuple):
    """What ``lstm_step`` keeps for ``lstm_step_backward``.

    x_t (N, D); h_prev, c_prev (N, H); gates (N, 4H) the activated
    i, f, g, o; c_t (N, H); params cast to the dtype of x_t.
    """

    x_t: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    gates: np.ndarray
    c_t: np.ndarray
    params: LSTMParams


class LSTMCache(NamedTuple):
    """What ``lstm_forward`` keeps for ``lstm_backward``.

    x (N, T, D); h0, c0 (N, H); hs, cs (N, T, H) every h_t and c_t;
    gates (N, T, 4H) the activated i, f, g, o of every step;
    params in the dtype of x.
    """

    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    hs: np.ndarray
    cs: np.ndarray
    gates: np.ndarray
    params: LSTMParams


# ---- the equations -------------------------------------------------------


def _lstm_cell_math(z, c_prev):
    """(h_t, c_t, gates) from the pre-activations z (N, 4H) and c_prev (N, H).

    gates is [i | f | g | o] (N, 4H), the activated gates.
    """
    H = z.shape[1] // 4
    i = sigmoid(z[:, 0:H])
    f = sigmoid(z[:, H : 2 * H])
    g = np.tanh(z[:, 2 * H : 3 * H])
    o = sigmoid(z[:, 3 * H : 4 * H])
    c_t = f * c_prev + i * g
    h_t = o * np.tanh(c_t)
    return h_t, c_t, np.concatenate([i, f, g, o], axis=1)


def _lstm_step_math(x_t, h_prev, c_prev, W_x, W_h, b):
    """One step: (h_t, c_t, gates), see the module docstring."""
    z = x_t @ W_x + h_prev @ W_h + b  # (N, 4H)
    return _lstm_cell_math(z, c_prev)


def _lstm_sequence(x, h0, c0, W_x, W_h, b):
    """(hs, cs, gates) of the sequence x (N, T, D) from h0, c0 (N, H)."""
    N, T, _ = x.shape
    H = h0.shape[1]
    hs, cs = np.empty((N, T, H), x.dtype), np.empty((N, T, H), x.dtype)
    gates = np.empty((N, T, 4 * H), x.dtype)
    h, c = h0, c0
    for t in range(T):
        h, c, gates[:, t] = _lstm_step_math(x[:, t, :], h, c, W_x, W_h, b)
        hs[:, t], cs[:, t] = h, c
    return hs, cs, gates


# Given dh_t (N, H) and dc_t (N, H), the gradient arriving along the cell:
#   dc      = dc_t + dh_t * o * (1 - tanh(c_t)**2)      all (N, H)
#   di = dc * g,  df = dc * c_prev,  dg = dc * i,  do = dh_t * tanh(c_t)
#   dc_prev = dc * f
#   dz = [di*i*(1-i) | df*f*(1-f) | dg*(1-g**2) | do*o*(1-o)]   (N, 4H)
#   dx_t = dz W_x^T,  dh_prev = dz W_h^T,
#   dW_x = x_t^T dz,  dW_h = h_prev^T dz,  db = sum_n dz


def _lstm_step_backward_math(
    dh_t, dc_t, x_t, h_prev, c_prev, gates, c_t, W_x, W_h
):
    """(dx_t, dh_prev, dc_prev, dW_x, dW_h, db, dc) of one step.

    dc (N, H) is the total gradient on c_t (both paths).
    """
    H = c_t.shape[1]
    i, f, g, o = (gates[:, k * H : (k + 1) * H] for k in range(4))
    tanh_c = np.tanh(c_t)
    dc = dc_t + dh_t * o * (1 - tanh_c**2)  # (N, H): both paths into c_t
    dz = np.concatenate(
        [
            dc * g * i * (1 - i),
            dc * c_prev * f * (1 - f),
            dc * i * (1 - g**2),
            dh_t * tanh_c * o * (1 - o),
        ],
        axis=1,
    )  # (N, 4H), blocks i, f, g, o
    dW_x, dW_h, db = x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
    return dz @ W_x.T, dz @ W_h.T, dc * f, dW_x, dW_h, db, dc


def _lstm_backward_math(dhs, dh, dc, x, h0, c0, hs, cs, gates, W_x, W_h):
    """BPTT: (dx, dh0, dc0, dW_x, dW_h, db, dh_total, dc_total)."""
    T = x.shape[1]
    dx = np.empty_like(x)  # (N, T, D)
    dh_total, dc_total = np.empty_like(hs), np.empty_like(hs)  # (N, T, H)
    dW_x, dW_h = np.zeros_like(W_x), np.zeros_like(W_h)
    db = np.zeros(W_x.shape[1], dtype=hs.dtype)
    for t in reversed(range(T)):
        dh = dhs[:, t] + dh  # the loss's own gradient at t + what t+1 sends
        dh_total[:, t] = dh
        h_prev, c_prev = (hs[:, t - 1], cs[:, t - 1]) if t > 0 else (h0, c0)
        step = (x[:, t], h_prev, c_prev, gates[:, t], cs[:, t])  # its cache
        dx[:, t], dh, dc, gx, gh, gb, dc_total[:, t] = (
            _lstm_step_backward_math(dh, dc, *step, W_x, W_h)
        )
        dW_x += gx
        dW_h += gh
        db += gb
    return dx, dh, dc, dW_x, dW_h, db, dh_total, dc_total


# ---- the public entries: check, then compute -----------------------------


def lstm_step(x_t, h_prev, c_prev, params: LSTMParams):
    """One LSTM step (gates i, f, g, o; see the module docstring).

    x_t:    (N, D)
    h_prev: (N, H)
    c_prev: (N, H)
    params: LSTMParams with W_x (D, 4H), W_h (H, 4H), b (4H,)
    returns (h_t, c_t, cache): h_t, c_t (N, H) in the dtype of x_t; cache an
    LSTMStepCache for ``lstm_step_backward``.
    """
    p = instance_of("params", params, LSTMParams)
    x_t = as_float_array("x_t", x_t, ("N", ("D", p.D)))
    N, dtype = x_t.shape[0], x_t.dtype
    h_prev = validate.state("h_prev", h_prev, N, p.H, dtype)
    c_prev = validate.state("c_prev", c_prev, N, p.H, dtype)
    p = p.astype(dtype)
    h_t, c_t, gates = _lstm_step_math(x_t, h_prev, c_prev, p.W_x, p.W_h, p.b)
    return h_t, c_t, LSTMStepCache(x_t, h_prev, c_prev, gates, c_t, p)


def lstm_forward(x, params: LSTMParams, h0=None, c0=None):
    """Run the LSTM over a whole sequence.

    x:      (N, T, D) inputs, batch first
    params: LSTMParams
    h0, c0: (N, H) initial hidden and cell state, zeros if None
    returns (hs, h_T, c_T, cache): hs (N, T, H) every hidden state; h_T, c_T
    (N, H) the last states, all in the dtype of x; cache an LSTMCache for
    ``lstm_backward``.
    """
    p = instance_of("params", params, LSTMParams)
    x = as_float_array("x", x, ("N", "T", ("D", p.D)))
    N, dtype = x.shape[0], x.dtype
    h0 = validate.state("h0", h0, N, p.H, dtype)
    c0 = validate.state("c0", c0, N, p.H, dtype)
    p = p.astype(dtype)
    hs, cs, gates = _lstm_sequence(x, h0, c0, p.W_x, p.W_h, p.b)
    cache = LSTMCache(x, h0, c0, hs, cs, gates, p)
    return hs, hs[:, -1].copy(), cs[:, -1].copy(), cache


def lstm_step_backward(dh_t, dc_t, cache: LSTMStepCache):
    """Backward through one LSTM step, given dL/dh_t and dL/dc_t.

    dh_t:  (N, H) dL/dh_t
    dc_t:  (N, H) dL/dc_t arriving along the cell state, or None for zeros
    cache: the LSTMStepCache of ``lstm_step``
    returns (dx_t, dh_prev, dc_prev, grads): dx_t (N, D); dh_prev, dc_prev
    (N, H); grads an LSTMGrads with dL/dW_x (D, 4H), dL/dW_h (H, 4H),
    dL/db (4H,).
    """
    x_t, h_prev, c_prev, gates, c_t, p = validate.cache(
        cache, LSTMStepCache, "lstm_step"
    )
    N, dtype = c_t.shape[0], c_t.dtype
    dh_t = as_float_array("dh_t", dh_t, (("N", N), ("H", p.H)), dtype=dtype)
    dc_t = validate.state("dc_t", dc_t, N, p.H, dtype)
    dx_t, dh_prev, dc_prev, dW_x, dW_h, db, _ = _lstm_step_backward_math(
        dh_t, dc_t, x_t, h_prev, c_prev, gates, c_t, p.W_x, p.W_h
    )
    return dx_t, dh_prev, dc_prev, LSTMGrads(dW_x, dW_h, db)


def lstm_backward(dhs, cache: LSTMCache, dh_T=None, dc_T=None):
    """Backpropagation through time for the whole sequence.

    dhs:   (N, T, H) dL/dh_t where the loss reads each h_t directly
           (zeros where it does not)
    cache: the LSTMCache of ``lstm_forward``
    dh_T, dc_T: optional (N, H) extra gradients on the last states
    returns (dx, dh0, dc0, grads): dx (N, T, D); dh0, dc0 (N, H); grads an
    LSTMGrads with dL/dW_x (D, 4H), dL/dW_h (H, 4H), dL/db (4H,), and
    dh, dc (N, T, H): the total gradient on every h_t and every c_t
    (through h_t and along the cell state to step t+1).
    """
    x, h0, c0, hs, cs, gates, p = validate.cache(
        cache, LSTMCache, "lstm_forward"
    )
    N, T, H = hs.shape
    dhs = as_float_array(
        "dhs", dhs, (("N", N), ("T", T), ("H", H)), dtype=hs.dtype
    )
    dh = validate.state("dh_T", dh_T, N, H, hs.dtype)
    dc = validate.state("dc_T", dc_T, N, H, hs.dtype)
    dx, dh0, dc0, dW_x, dW_h, db, dh_total, dc_total = _lstm_backward_math(
        dhs, dh, dc, x, h0, c0, hs, cs, gates, p.W_x, p.W_h
    )
    return dx, dh0, dc0, LSTMGrads(dW_x, dW_h, db, dh=dh_total, dc=dc_total)
