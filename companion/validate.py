"""Input checks shared by every public function.

Each check raises ``ValueError`` with a message a learner can act on, naming the
argument and the shape it should have, e.g.
``x must have shape (N, T, D=3); got (5, 3)``.
"""
from __future__ import annotations

import numpy as np


def _fmt_spec(spec):
    """Render a shape spec such as ("N", "T", ("D", 3)) as '(N, T, D=3)'."""
    parts = []
    for item in spec:
        if isinstance(item, tuple):
            name, size = item
            parts.append(f"{name}={size}" if size is not None else name)
        elif isinstance(item, int):
            parts.append(str(item))
        else:
            parts.append(str(item))
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def as_float_array(name: str, value, spec, *, dtype=None, finite: bool = True) -> np.ndarray:
    """Return ``value`` as a float ndarray whose shape matches ``spec``.

    ``spec`` is a tuple with one entry per axis: a plain name ("N") accepts any
    positive size, a ``(name, size)`` pair or an int fixes the size.
    ``dtype`` (optional) casts the result; without it the array's own float
    dtype is kept. Integer, boolean and complex inputs are refused, and so are
    NaN and infinite values when ``finite`` is true.
    """
    arr = np.asarray(value)
    want = _fmt_spec(spec)
    if arr.ndim != len(spec):
        raise ValueError(
            f"{name} must have shape {want} ({len(spec)}-D); got {tuple(arr.shape)} ({arr.ndim}-D)"
        )
    for axis, item in enumerate(spec):
        size = item[1] if isinstance(item, tuple) else item if isinstance(item, int) else None
        if size is not None and arr.shape[axis] != size:
            raise ValueError(f"{name} must have shape {want}; got {tuple(arr.shape)}")
        if arr.shape[axis] == 0:
            raise ValueError(f"{name} must have shape {want} with no empty axis; got {tuple(arr.shape)}")
    if not np.issubdtype(arr.dtype, np.floating):
        raise ValueError(
            f"{name} must hold floating-point numbers (float16/32/64); got dtype {arr.dtype}. "
            f"Convert it first, e.g. {name}.astype(np.float32)"
        )
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def positive_int(name: str, value) -> int:
    """Return ``value`` as an int, refusing bools, floats and numbers below 1."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value}")
    return int(value)


def one_of(name: str, value, choices) -> str:
    """Return ``value`` if it is one of ``choices``, else raise a ValueError listing them."""
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value
