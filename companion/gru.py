"""The GRU (Cho et al., 2014), forward and backward, in NumPy: the book's reference.

The book packs the three blocks side by side in the order r, z, g (reset gate,
update gate, candidate), the order PyTorch and cuDNN use (PyTorch calls the
candidate n). Keras packs z, r, h: the converters swap the first two blocks.
With row vectors and batch first (x_t (N, D), h_prev (N, H)):

    a   = x_t W_x + b                                     (N, 3H), blocks [r | z | g]
    r   = sigma(a_r + h_prev W_hr)                        reset gate
    z   = sigma(a_z + h_prev W_hz)                        update gate
    g   = tanh(a_g + (r * h_prev) W_hg)                   candidate, reset BEFORE
    g   = tanh(a_g + r * (h_prev W_hg + b_hg))            candidate, reset AFTER
    h_t = z * h_prev + (1 - z) * g

"Before" is the original GRU (Keras ``reset_after=False``); "after" is cuDNN's
(PyTorch, and Keras' default ``reset_after=True``). In the "after" variant the
recurrent product has its own bias b_hg inside the reset gate's reach, which
cannot be folded into b: it is the one extra bias the variant needs. The
variant travels with the parameters: ``GRUParams.b_hg is None`` means "before".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple, Optional

import numpy as np

from . import validate
from .grads import Grads
from .ops import sigmoid
from .params import BlockParams, uniform_draw
from .validate import as_float_array, instance_of

GRU_GATES = ("r", "z", "g")


@dataclass(frozen=True, eq=False)
class GRUParams(BlockParams):
    """Weights of a GRU, blocks packed in the order r, z, g (see the module docstring).

    W_x:  (D, 3H) input weights, columns [r | z | g]
    W_h:  (H, 3H) recurrent weights, same column blocks
    b:    (3H,)   input-side bias (the r and z parts hold both framework biases)
    b_hg: (H,)    recurrent bias of the candidate, for the reset-AFTER variant;
          None for the reset-BEFORE variant (the original GRU), and then left
          out of ``as_dict()``
    """

    BLOCKS: ClassVar[int] = 3
    GATES: ClassVar[tuple] = GRU_GATES

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray
    b_hg: Optional[np.ndarray] = None

    def __post_init__(self):
        super().__post_init__()
        if self.b_hg is not None:
            b_hg = as_float_array("b_hg", self.b_hg, (("H", self.H),))
            object.__setattr__(self, "b_hg", b_hg)

    @property
    def reset_after(self) -> bool:
        """True for the cuDNN/PyTorch variant (reset after the recurrent product)."""
        return self.b_hg is not None

    @classmethod
    def random(
        cls, D, H, rng, reset_after=True, scale=None, dtype=np.float64
    ) -> "GRUParams":
        """Seeded random parameters, uniform in [-scale, scale] (default 1/sqrt(H),
        PyTorch's initialisation). reset_after (default True, the frameworks'
        default) decides whether b_hg is drawn or None."""
        D, H, draw = uniform_draw(D, H, rng, scale, dtype)
        reset_after = validate.boolean("reset_after", reset_after)
        W_x, W_h, b = draw(D, 3 * H), draw(H, 3 * H), draw(3 * H)
        return cls(W_x, W_h, b, draw(H) if reset_after else None)


@dataclass(frozen=True, eq=False, repr=False)
class GRUGrads(Grads):
    """Gradients of a loss L for the GRU: dL/dW_x (D, 3H), dL/dW_h (H, 3H),
    dL/db (3H,), dL/db_hg (H,) (None for the reset-before variant, which has
    no b_hg) and, after ``gru_backward``, dh (N, T, H): dL/dh_t through every
    path (None after a step backward). NaN and inf are kept as they are."""

    PARAMS: ClassVar[type] = GRUParams
    # dW_x, dW_h, db and dh follow Grads.shapes(); db_hg is the GRU's own
    SHAPES: ClassVar[dict] = {"db_hg": ("H",)}
    STEPS: ClassVar[tuple] = ("dh",)
    OPTIONAL: ClassVar[tuple] = ("db_hg",)

    dW_x: np.ndarray
    dW_h: np.ndarray
    db: np.ndarray
    db_hg: Optional[np.ndarray] = None
    dh: Optional[np.ndarray] = None


# ---------------------------------------------------------------------------
# The maths (no checks); the gru chapter prints the two marked "shown in".
# ---------------------------------------------------------------------------


# shown in: gru
def _gru_step_math(x_t, h_prev, W_x, W_h, b, b_hg):
    """One GRU step; returns h_t (N, H), the gates [r | z | g] (N, 3H) and the
    candidate's recurrent term m: (r * h_prev) for "before" (b_hg None),
    h_prev W_hg + b_hg for "after"."""
    H = h_prev.shape[1]
    a = x_t @ W_x + b  # (N, 3H)
    rz = sigmoid(a[:, : 2 * H] + h_prev @ W_h[:, : 2 * H])  # (N, 2H)
    r, z = rz[:, :H], rz[:, H:]
    if b_hg is None:
        m = r * h_prev  # reset before the product
        g = np.tanh(a[:, 2 * H :] + m @ W_h[:, 2 * H :])
    else:
        m = h_prev @ W_h[:, 2 * H :] + b_hg  # reset after the product
        g = np.tanh(a[:, 2 * H :] + r * m)
    h_t = z * h_prev + (1 - z) * g
    return h_t, np.concatenate([r, z, g], axis=1), m


# shown in: gru
def _gru_step_backward_math(dh_t, x_t, h_prev, gates, m, W_x, W_h, b_hg):
    """Backward of ``_gru_step_math``: returns dx_t, dh_prev, (dW_x, dW_h, db, db_hg)."""
    H = h_prev.shape[1]
    r, z, g = (
        gates[:, :H],
        gates[:, H : 2 * H],
        gates[:, 2 * H :],
    )  # each (N, H)
    dz = dh_t * (h_prev - g)
    da_g = dh_t * (1 - z) * (1 - g**2)  # through g = tanh(.)
    dh_prev = dh_t * z
    W_hg = W_h[:, 2 * H :]  # (H, H)
    if b_hg is None:
        dm = da_g @ W_hg.T  # m = r * h_prev
        dr, dh_prev = dm * h_prev, dh_prev + dm * r
        dW_hg, db_hg = m.T @ da_g, None
    else:
        dm = da_g * r  # m = h_prev W_hg + b_hg
        dr, dh_prev = da_g * m, dh_prev + dm @ W_hg.T
        dW_hg, db_hg = h_prev.T @ dm, dm.sum(axis=0)
    da_rz = np.concatenate(
        [dr * r * (1 - r), dz * z * (1 - z)], axis=1
    )  # (N, 2H)
    da = np.concatenate([da_rz, da_g], axis=1)  # (N, 3H)
    dh_prev = dh_prev + da_rz @ W_h[:, : 2 * H].T
    dW_h = np.concatenate([h_prev.T @ da_rz, dW_hg], axis=1)  # (H, 3H)
    return da @ W_x.T, dh_prev, (x_t.T @ da, dW_h, da.sum(axis=0), db_hg)


def _gru_sequence(x, h0, W_x, W_h, b, b_hg):
    """``_gru_step_math`` over t = 1..T: returns hs (N, T, H), gates (N, T, 3H), ms (N, T, H)."""
    N, T, _ = x.shape
    H = h0.shape[1]
    hs, ms = np.empty((N, T, H), x.dtype), np.empty((N, T, H), x.dtype)
    gates = np.empty((N, T, 3 * H), x.dtype)
    h = h0
    for t in range(T):
        h, gates[:, t], ms[:, t] = _gru_step_math(
            x[:, t], h, W_x, W_h, b, b_hg
        )
        hs[:, t] = h
    return hs, gates, ms


# ---------------------------------------------------------------------------
# The public functions: check once, then call the maths.
# ---------------------------------------------------------------------------


class GRUStepCache(NamedTuple):
    """What ``gru_step`` keeps for ``gru_step_backward``: x_t (N, D), h_prev (N, H),
    gates (N, 3H) the activated r, z, g, m (N, H) the candidate's recurrent term,
    params cast to the dtype of x_t."""

    x_t: np.ndarray
    h_prev: np.ndarray
    gates: np.ndarray
    m: np.ndarray
    params: GRUParams


class GRUCache(NamedTuple):
    """What ``gru_forward`` keeps for ``gru_backward``: x (N, T, D), h0 (N, H),
    hs (N, T, H), gates (N, T, 3H), ms (N, T, H), params in the dtype of x."""

    x: np.ndarray
    h0: np.ndarray
    hs: np.ndarray
    gates: np.ndarray
    ms: np.ndarray
    params: GRUParams


def gru_step(x_t, h_prev, params: GRUParams):
    """One GRU step (see the module docstring for the equations).

    x_t: (N, D); h_prev: (N, H), or None for zeros; params: GRUParams
    (either variant)
    returns (h_t, cache): h_t (N, H) in the dtype of x_t, cache a GRUStepCache
    """
    p = instance_of("params", params, GRUParams)
    x_t = as_float_array("x_t", x_t, ("N", ("D", p.D)))
    h_prev = validate.state("h_prev", h_prev, x_t.shape[0], p.H, x_t.dtype)
    p = p.astype(x_t.dtype)
    h_t, gates, m = _gru_step_math(x_t, h_prev, p.W_x, p.W_h, p.b, p.b_hg)
    return h_t, GRUStepCache(x_t, h_prev, gates, m, p)


def gru_forward(x, params: GRUParams, h0=None):
    """Run the GRU over a whole sequence.

    x: (N, T, D) inputs, batch first; params: GRUParams; h0: (N, H) or None for zeros
    returns (hs, h_T, cache): hs (N, T, H) every hidden state, h_T (N, H) the last,
    both in the dtype of x; cache a GRUCache for ``gru_backward``
    """
    p = instance_of("params", params, GRUParams)
    x = as_float_array("x", x, ("N", "T", ("D", p.D)))
    h0 = validate.state("h0", h0, x.shape[0], p.H, x.dtype)
    p = p.astype(x.dtype)
    hs, gates, ms = _gru_sequence(x, h0, p.W_x, p.W_h, p.b, p.b_hg)
    return hs, hs[:, -1].copy(), GRUCache(x, h0, hs, gates, ms, p)


def gru_step_backward(dh_t, cache: GRUStepCache):
    """Backward through one GRU step.

    dh_t: (N, H) dL/dh_t; cache: the GRUStepCache of ``gru_step``
    returns (dx_t, dh_prev, grads): dx_t (N, D), dh_prev (N, H), grads a GRUGrads
    (dW_x (D, 3H), dW_h (H, 3H), db (3H,), db_hg (H,) or None; dh None)
    """
    x_t, h_prev, gates, m, p = validate.cache(cache, GRUStepCache, "gru_step")
    dh_t = as_float_array(
        "dh_t", dh_t, (("N", h_prev.shape[0]), ("H", p.H)), dtype=h_prev.dtype
    )
    dx_t, dh_prev, grads = _gru_step_backward_math(
        dh_t, x_t, h_prev, gates, m, p.W_x, p.W_h, p.b_hg
    )
    return dx_t, dh_prev, GRUGrads(*grads)


def gru_backward(dhs, cache: GRUCache, dh_T=None):
    """Backpropagation through time for the whole sequence.

    dhs: (N, T, H) dL/dh_t where the loss reads each h_t directly (zeros elsewhere)
    cache: the GRUCache of ``gru_forward``; dh_T: optional (N, H) extra gradient on h_T
    returns (dx, dh0, grads): dx (N, T, D), dh0 (N, H), grads a GRUGrads with
    dW_x, dW_h, db, db_hg (None for "before") and dh (N, T, H), the total dL/dh_t
    """
    x, h0, hs, gates, ms, p = validate.cache(cache, GRUCache, "gru_forward")
    N, T, H = hs.shape
    dtype = hs.dtype
    dhs = as_float_array(
        "dhs", dhs, (("N", N), ("T", T), ("H", H)), dtype=dtype
    )
    dh = validate.state("dh_T", dh_T, N, H, dtype)
    dx, dh_total = np.empty_like(x), np.empty_like(hs)  # (N, T, D), (N, T, H)
    totals = [np.zeros_like(p.W_x), np.zeros_like(p.W_h), np.zeros_like(p.b)]
    totals.append(None if p.b_hg is None else np.zeros_like(p.b_hg))
    for t in reversed(range(T)):
        dh = (
            dhs[:, t] + dh
        )  # the loss's own gradient at step t + what step t+1 sends back
        dh_total[:, t] = dh
        h_prev = hs[:, t - 1] if t > 0 else h0
        dx[:, t], dh, step = _gru_step_backward_math(
            dh, x[:, t], h_prev, gates[:, t], ms[:, t], p.W_x, p.W_h, p.b_hg
        )
        for total, g in zip(totals, step):
            if total is not None:
                total += g
    return dx, dh, GRUGrads(*totals, dh=dh_total)
