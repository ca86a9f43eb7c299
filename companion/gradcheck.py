"""Checking gradients by finite differences.

A gradient check compares an analytic gradient (from a backward pass) with
central differences of the loss itself:

    dL/dw_k  ~  (L(w + eps e_k) - L(w - eps e_k)) / (2 eps)

The error of this estimate is of order eps**2 (truncation) plus
(machine epsilon * |L|) / eps (rounding): with float64 and eps = 1e-6 both are
far below 1e-7, with float32 they are not, so the check insists on float64.

The point x is a float64 array or a parameter container (RNNParams,
LSTMParams, GRUParams, MinGRUParams, ...: any cell of companion.cells);
gradients are arrays or the matching gradient containers (the registry's
``grads`` of that cell), which hold one array per weight. The
gradient norm and clipping live in companion.clip.
"""

from __future__ import annotations

import numpy as np

from . import cells
from .grads import Grads
from .validate import non_negative_number, positive_number


def _grads_class(value):
    """The gradient class for a parameter container, its registered cell's
    (companion.cells); None for anything else."""
    cell = cells.of(value)
    return None if cell is None else cell.grads


def _is_params(value) -> bool:
    return _grads_class(value) is not None


def _arrays(name, value):
    """{name: array} for an ndarray, a parameter or a gradient container."""
    if _is_params(value) or isinstance(value, Grads):
        return value.as_dict()
    if isinstance(value, np.ndarray):
        return {name: value}
    raise ValueError(
        f"{name} must be a NumPy array, a parameter container (RNNParams, "
        f"LSTMParams) or a gradient container (RNNGrads, LSTMGrads); "
        f"got {type(value).__name__}"
    )


def _rebuild(like, arrays):
    """An object of the same kind as ``like`` holding ``arrays`` (no dh/dc)."""
    if _is_params(like) or isinstance(like, Grads):
        return type(like)(*arrays.values())
    return arrays[next(iter(arrays))]


def _grads_of(x, arrays):
    """The gradient container for the point x (or an array for an array)."""
    if _is_params(x):
        return _grads_class(x)(*arrays.values())
    return arrays[next(iter(arrays))]


def _scalar(f, value):
    out = f(value)
    if np.ndim(out) != 0 or not np.isrealobj(out):
        raise ValueError(
            "f must return a real scalar (the loss); got "
            f"{type(out).__name__} of shape {np.shape(out)}"
        )
    out = float(out)
    if not np.isfinite(out):
        raise ValueError(
            "f returned NaN or infinity; "
            "the loss must be finite at the point checked"
        )
    return out


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of a scalar function.

    f:   callable taking an object like ``x``, returning a real scalar L
    x:   float64 ndarray of any shape, or an RNNParams / LSTMParams of
         float64 arrays
    eps: step size (default 1e-6)
    returns dL/dx: an array of x's shape, or for parameters the matching
    gradient container (RNNGrads, LSTMGrads). f is called 2 * (number of
    entries) times; x is not changed.
    """
    if not callable(f):
        raise ValueError(
            f"f must be a callable returning the loss; got {type(f).__name__}"
        )
    eps = positive_number("eps", eps)
    arrays = _arrays("x", x)
    for name, a in arrays.items():
        if a.dtype != np.float64:
            raise ValueError(
                f"{name} must be float64 for finite differences (float32 "
                f"rounding swamps the estimate); got {a.dtype}. Use "
                "x.astype(np.float64) or params.astype(np.float64)"
            )
        if a.size == 0:
            raise ValueError(f"{name} must not be empty; got shape {a.shape}")
    work = {name: a.copy() for name, a in arrays.items()}
    grads = {name: np.zeros_like(a) for name, a in arrays.items()}
    for name, a in work.items():
        for k in np.ndindex(a.shape):
            old = a[k]
            a[k] = old + eps
            plus = _scalar(f, _rebuild(x, work))
            a[k] = old - eps
            minus = _scalar(f, _rebuild(x, work))
            a[k] = old
            grads[name][k] = (plus - minus) / (2 * eps)
    return _grads_of(x, grads)


def relative_error(a, b):
    """Relative error of two gradients: ||a - b|| / (||a|| + ||b||), or 0.

    a, b: arrays of one shape, or two gradient containers of one kind (all
    entries together; dh / dc are not compared). Unlike an entry-by-entry
    ratio, this stays meaningful where a true gradient entry is (nearly) zero.
    Returns a float in [0, 1].
    """
    da, db = _arrays("a", a), _arrays("b", b)
    if type(a) is not type(b) or [v.shape for v in da.values()] != [
        v.shape for v in db.values()
    ]:
        raise ValueError(
            "a and b must be of the same kind and shapes; got "
            f"{type(a).__name__} {[v.shape for v in da.values()]} and "
            f"{type(b).__name__} {[v.shape for v in db.values()]}"
        )
    va = np.concatenate([np.ravel(v).astype(np.float64) for v in da.values()])
    vb = np.concatenate([np.ravel(v).astype(np.float64) for v in db.values()])
    scale = np.linalg.norm(va) + np.linalg.norm(vb)
    return 0.0 if scale == 0 else float(np.linalg.norm(va - vb) / scale)


def check_gradient(name, f, x, analytic, tol=1e-7, eps=1e-6, atol=0.0):
    """Assert that ``analytic`` matches the finite-difference gradient.

    name: what is checked, for the message; f, x, eps: as in
    ``numerical_gradient``; analytic: the gradient to test, same kind and
    shapes as x; tol: the largest relative error accepted. atol (default 0,
    off): also accept when the whole difference ||analytic - numeric|| is below
    atol. Central differences carry an absolute rounding error of about 1e-16
    |f| / eps, so a gradient that is itself tiny (a saturated unit, a long
    product of small factors) cannot reach a small *relative* error; random
    tests pass a small atol for that case. Returns a printable line that does
    not vary by machine, "name: relative error < 1e-07"; raises AssertionError
    with the error otherwise.
    """
    tol = positive_number("tol", tol)
    atol = non_negative_number("atol", atol)
    numeric = numerical_gradient(f, x, eps)
    err = relative_error(analytic, numeric)
    if not err < tol:
        a, b = _arrays("analytic", analytic), _arrays("numeric", numeric)
        gap = float(
            np.sqrt(
                sum(
                    np.sum((u - v) ** 2)
                    for u, v in zip(a.values(), b.values())
                )
            )
        )
        if not gap < atol:
            raise AssertionError(
                f"{name}: relative error {err:.3e} is not below {tol:.0e} "
                f"(absolute difference {gap:.3e})"
            )
    return f"{name}: relative error < {tol:.0e}"
