"""minGRU and minLSTM (Feng et al., 2024), in NumPy: two modes, one answer.

Both drop the recurrent weights from the gates, so that every gate reads x_t
only and the state update is linear in the state (row vectors, batch first):

    minGRU  (blocks [z | g]):     z_t = sigma(x_t W_z + b_z)
                                  g_t = x_t W_g + b_g
                                  h_t = (1 - z_t) * h_{t-1} + z_t * g_t
    minLSTM (blocks [i | f | g]): i_t = sigma(x_t W_i + b_i)
                                  f_t = sigma(x_t W_f + b_f)
                                  g_t = x_t W_g + b_g
                                  h_t = f_t / (f_t + i_t) * h_{t-1}
                                        + i_t / (f_t + i_t) * g_t

Each is h_t = a_t * h_{t-1} + b_t with (a_t, b_t) computed from x_t alone, so
the sequence can run as a loop of steps (``parallel=False``) or as one
``linear_scan`` over all t (``parallel=True``). The backward of the scan is a
reverse scan (``companion.scan``). The four functions have the shape of the
other cells; both are entries of the registry (companion.cells: "mingru",
"minlstm"). Each Params class carries its cell's coefficient maths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np

from . import validate
from .grads import Grads
from .lstm import sigmoid
from .params import uniform_draw
from .scan import METHODS, _linear_scan, _scan_backward
from .validate import as_float_array, boolean, instance_of, one_of


@dataclass(frozen=True, eq=False)
class _InputParams:
    """Input weights W_x (D, kH) and bias b (kH,) of k = BLOCKS blocks."""

    BLOCKS: ClassVar[int] = 2
    W_x: np.ndarray
    b: np.ndarray

    def __post_init__(self):
        k = self.BLOCKS
        W_x = as_float_array("W_x", self.W_x, ("D", f"{k}H"))
        if W_x.shape[1] % k:
            raise ValueError(f"W_x must have shape (D, {k}H); got {W_x.shape}")
        b = as_float_array("b", self.b, ((f"{k}H", W_x.shape[1]),))
        object.__setattr__(self, "W_x", W_x)
        object.__setattr__(self, "b", b)

    D = property(lambda self: self.W_x.shape[0], doc="Input size.")
    H = property(lambda self: self.W_x.shape[1] // self.BLOCKS, doc="Units.")

    @classmethod
    def random(cls, D, H, rng, scale=None, dtype=np.float64):
        """Seeded parameters, uniform in [-scale, scale] (default 1/sqrt(H))."""
        D, H, draw = uniform_draw(D, H, rng, scale, dtype)
        return cls(draw(D, cls.BLOCKS * H), draw(cls.BLOCKS * H))

    def astype(self, dtype):
        """The same parameters cast to ``dtype``."""
        return type(self)(*(np.asarray(v, dtype) for v in (self.W_x, self.b)))

    def as_dict(self) -> dict:
        return {"W_x": self.W_x, "b": self.b}


@dataclass(frozen=True, eq=False)
class MinGRUParams(_InputParams):
    """minGRU weights: W_x (D, 2H) columns [z | g], b (2H,)."""

    def coefficients(self, x):
        """(a, b_t, gates) of h_t = a * h_{t-1} + b_t for x (..., D)."""
        return _min_gru_coefficients(x, self.W_x, self.b)

    @staticmethod
    def coefficients_backward(da, db_t, gates):
        """dL/d(pre-activations) (..., 2H) from dL/da and dL/db_t."""
        return _min_gru_coefficients_backward(da, db_t, gates)


@dataclass(frozen=True, eq=False)
class MinLSTMParams(_InputParams):
    """minLSTM weights: W_x (D, 3H) columns [i | f | g], b (3H,)."""

    BLOCKS: ClassVar[int] = 3

    def coefficients(self, x):
        """(a, b_t, gates) of h_t = a * h_{t-1} + b_t for x (..., D)."""
        return _min_lstm_coefficients(x, self.W_x, self.b)

    @staticmethod
    def coefficients_backward(da, db_t, gates):
        """dL/d(pre-activations) (..., 3H) from dL/da and dL/db_t."""
        return _min_lstm_coefficients_backward(da, db_t, gates)


@dataclass(frozen=True, eq=False, repr=False)
class MinGRUGrads(Grads):
    """dL/dW_x (D, 2H), dL/db (2H,) and, after a sequence backward, dh
    (N, T, H): dL/dh_t through every path."""

    PARAMS: ClassVar[type] = MinGRUParams
    SHAPES: ClassVar[dict] = {"dW_x": ("D", "2H"), "db": ("2H",)}
    STEPS: ClassVar[tuple] = ("dh",)
    dW_x: np.ndarray
    db: np.ndarray
    dh: np.ndarray | None = None


@dataclass(frozen=True, eq=False, repr=False)
class MinLSTMGrads(Grads):
    """dL/dW_x (D, 3H), dL/db (3H,) and dh (N, T, H) as for MinGRUGrads."""

    PARAMS: ClassVar[type] = MinLSTMParams
    SHAPES: ClassVar[dict] = {"dW_x": ("D", "3H"), "db": ("3H",)}
    STEPS: ClassVar[tuple] = ("dh",)
    dW_x: np.ndarray
    db: np.ndarray
    dh: np.ndarray | None = None


# ---------------------------------------------------------------------------
# The maths (no checks). x is (N, D) or (N, T, D); "..." is N or N, T.
# ---------------------------------------------------------------------------


# shown in: parallel-recurrence
def _min_gru_coefficients(x, W_x, b):
    """(a, b_t, gates): a = 1 - z, b_t = z * g, gates [z | g] (..., 2H)."""
    pre = x @ W_x + b  # (..., 2H)
    z, g = np.split(pre, 2, axis=-1)
    z = sigmoid(z)
    return 1 - z, z * g, np.concatenate([z, g], axis=-1)


def _min_gru_coefficients_backward(da, db_t, gates):
    """dL/d(pre-activations) (..., 2H) from dL/da and dL/db_t."""
    z, g = np.split(gates, 2, axis=-1)
    dz = db_t * g - da
    return np.concatenate([dz * z * (1 - z), db_t * z], axis=-1)


# shown in: parallel-recurrence
def _min_lstm_coefficients(x, W_x, b):
    """(a, b_t, gates): a = f / (f + i), b_t = i / (f + i) * g, gates [i|f|g]."""
    i, f, g = np.split(x @ W_x + b, 3, axis=-1)
    i, f = sigmoid(i), sigmoid(f)
    s = f + i
    return f / s, i / s * g, np.concatenate([i, f, g], axis=-1)


def _min_lstm_coefficients_backward(da, db_t, gates):
    i, f, g = np.split(gates, 3, axis=-1)
    s = f + i
    di_hat = db_t * g  # dL/d(i / s)
    df = (da - di_hat) * i / s**2
    di = (di_hat - da) * f / s**2
    dg = db_t * i / s
    return np.concatenate([di * i * (1 - i), df * f * (1 - f), dg], axis=-1)


class MinStepCache(NamedTuple):
    """x_t (N, D), h_prev (N, H), gates (N, kH), params in x_t's dtype."""

    x_t: np.ndarray
    h_prev: np.ndarray
    gates: np.ndarray
    params: _InputParams


class MinCache(NamedTuple):
    """x (N, T, D), h0 (N, H), hs (N, T, H), gates (N, T, kH), params, and
    the mode: method None for the loop, else the scan's name."""

    x: np.ndarray
    h0: np.ndarray
    hs: np.ndarray
    gates: np.ndarray
    params: _InputParams
    method: str | None


def _step(x_t, h_prev, params, cls):
    p = instance_of("params", params, cls)
    x_t = as_float_array("x_t", x_t, ("N", ("D", p.D)))
    h_prev = validate.state("h_prev", h_prev, x_t.shape[0], p.H, x_t.dtype)
    p = p.astype(x_t.dtype)
    a, b_t, gates = p.coefficients(x_t)
    return a * h_prev + b_t, MinStepCache(x_t, h_prev, gates, p)


def _forward(x, params, h0, parallel, method, cls):
    p = instance_of("params", params, cls)
    x = as_float_array("x", x, ("N", "T", ("D", p.D)))
    h0 = validate.state("h0", h0, x.shape[0], p.H, x.dtype)
    parallel = boolean("parallel", parallel)
    method = one_of("method", method, METHODS) if parallel else None
    p = p.astype(x.dtype)
    a, b_t, gates = p.coefficients(x)  # all steps at once
    hs = _linear_scan(a, b_t, h0, method or "sequential")
    return hs, hs[:, -1].copy(), MinCache(x, h0, hs, gates, p, method)


def _cache(cache, cls, grads_cls, source):
    """The checked cache of ``source``, whose params are grads_cls.PARAMS."""
    cache = validate.cache(cache, cls, source)
    instance_of("cache.params", cache.params, grads_cls.PARAMS)
    return cache


def _step_backward(dh_t, cache, grads_cls, source):
    x_t, h_prev, gates, p = _cache(cache, MinStepCache, grads_cls, source)
    dh_t = as_float_array(
        "dh_t", dh_t, (("N", h_prev.shape[0]), ("H", p.H)), dtype=h_prev.dtype
    )
    a, _, _ = p.coefficients(x_t)
    dpre = p.coefficients_backward(dh_t * h_prev, dh_t, gates)
    grads = grads_cls(x_t.T @ dpre, dpre.sum(axis=0))
    return dpre @ p.W_x.T, dh_t * a, grads


def _backward(dhs, cache, dh_T, grads_cls, source):
    x, h0, hs, gates, p, method = _cache(cache, MinCache, grads_cls, source)
    N, T, H = hs.shape
    dhs = as_float_array(
        "dhs", dhs, (("N", N), ("T", T), ("H", H)), dtype=hs.dtype
    ).copy()
    dhs[:, -1] += validate.state("dh_T", dh_T, N, H, hs.dtype)  # 0 for None
    a, _, _ = p.coefficients(x)
    da, db_t, dh0 = _scan_backward(dhs, a, hs, h0, method or "sequential")
    dpre = p.coefficients_backward(da, db_t, gates)  # (N, T, kH)
    dW_x = np.einsum("ntd,ntk->dk", x, dpre)
    grads = grads_cls(dW_x, dpre.sum(axis=(0, 1)), dh=db_t)
    return dpre @ p.W_x.T, dh0, grads


# ---------------------------------------------------------------------------
# The public functions: the same four for each cell.
# ---------------------------------------------------------------------------


def min_gru_step(x_t, h_prev, params: MinGRUParams):
    """One minGRU step. x_t (N, D), h_prev (N, H) -> (h_t (N, H), cache)."""
    return _step(x_t, h_prev, params, MinGRUParams)


def min_gru_forward(
    x, params: MinGRUParams, h0=None, parallel=True, method="blelloch"
):
    """minGRU over a sequence, as a scan (parallel=True, by ``method``, one of
    companion.scan.METHODS) or as a loop of steps (parallel=False).

    x: (N, T, D); h0: (N, H) or None for zeros
    returns (hs (N, T, H), h_T (N, H), cache) for ``min_gru_backward``
    """
    return _forward(x, params, h0, parallel, method, MinGRUParams)


def min_gru_step_backward(dh_t, cache: MinStepCache):
    """Backward of one step: dh_t (N, H) -> (dx_t (N, D), dh_prev (N, H),
    MinGRUGrads)."""
    return _step_backward(dh_t, cache, MinGRUGrads, "min_gru_step")


def min_gru_backward(dhs, cache: MinCache, dh_T=None):
    """Backward over the sequence, in the mode of the forward (a reverse
    scan, or the reverse loop). dhs (N, T, H); dh_T (N, H) or None.
    returns (dx (N, T, D), dh0 (N, H), MinGRUGrads with dh (N, T, H))."""
    return _backward(dhs, cache, dh_T, MinGRUGrads, "min_gru_forward")


def min_lstm_step(x_t, h_prev, params: MinLSTMParams):
    """One minLSTM step. x_t (N, D), h_prev (N, H) -> (h_t (N, H), cache)."""
    return _step(x_t, h_prev, params, MinLSTMParams)


def min_lstm_forward(
    x, params: MinLSTMParams, h0=None, parallel=True, method="blelloch"
):
    """minLSTM over a sequence; arguments and results as min_gru_forward."""
    return _forward(x, params, h0, parallel, method, MinLSTMParams)


def min_lstm_step_backward(dh_t, cache: MinStepCache):
    """Backward of one minLSTM step, as min_gru_step_backward."""
    return _step_backward(dh_t, cache, MinLSTMGrads, "min_lstm_step")


def min_lstm_backward(dhs, cache: MinCache, dh_T=None):
    """Backward of min_lstm_forward, as min_gru_backward."""
    return _backward(dhs, cache, dh_T, MinLSTMGrads, "min_lstm_forward")
