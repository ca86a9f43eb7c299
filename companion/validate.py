"""Every argument check of the package, in one place.

Each check raises ``ValueError`` with a message a learner can act on, naming
the argument and what it should be, e.g.
``x must have shape (N, T, D=3); got (5, 3)``.
Public functions call these once, at their entry; the maths below them is
written without checks.
"""

from __future__ import annotations

import hashlib
import numbers
import pathlib

import numpy as np


def _fmt_spec(spec):
    """Render a shape spec such as ("N", "T", ("D", 3)) as '(N, T, D=3)'."""
    parts = []
    for item in spec:
        if isinstance(item, tuple):
            name, size = item
            parts.append(f"{name}={size}" if size is not None else name)
        else:
            parts.append(str(item))
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _size(item):
    """The fixed size of one axis of a spec, or None for any size."""
    if isinstance(item, tuple):
        return item[1]
    return item if isinstance(item, int) else None


def as_float_array(
    name: str, value, spec, *, dtype=None, finite: bool = True
) -> np.ndarray:
    """Return ``value`` as a float ndarray whose shape matches ``spec``.

    ``spec`` is a tuple with one entry per axis: a plain name ("N") accepts
    any positive size, a ``(name, size)`` pair or an int fixes the size.
    ``dtype`` (optional) casts the result; without it the array's own float
    dtype is kept. Integer, boolean and complex inputs are refused, and so
    are NaN and infinite values when ``finite`` is true.
    """
    arr = np.asarray(value)
    want = _fmt_spec(spec)
    if arr.ndim != len(spec):
        raise ValueError(
            f"{name} must have shape {want} ({len(spec)}-D); "
            f"got {tuple(arr.shape)} ({arr.ndim}-D)"
        )
    for axis, item in enumerate(spec):
        size = _size(item)
        if size is not None and arr.shape[axis] != size:
            raise ValueError(
                f"{name} must have shape {want}; got {tuple(arr.shape)}"
            )
        if arr.shape[axis] == 0:
            raise ValueError(
                f"{name} must have shape {want} with no empty axis; "
                f"got {tuple(arr.shape)}"
            )
    if not np.issubdtype(arr.dtype, np.floating):
        raise ValueError(
            f"{name} must hold floating-point numbers (float16/32/64); "
            f"got dtype {arr.dtype}. "
            f"Convert it first, e.g. {name}.astype(np.float32)"
        )
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def float_tensor(name: str, value, spec):
    """Return ``value`` if it is a float torch.Tensor of shape ``spec``.

    ``spec`` as in ``as_float_array``. Torch is imported here, never at
    ``import companion``.
    """
    import torch

    want = _fmt_spec(spec)
    if not isinstance(value, torch.Tensor):
        raise ValueError(
            f"{name} must be a torch.Tensor of shape {want}; "
            f"got {type(value).__name__}"
        )
    sizes = [_size(item) for item in spec]
    if value.ndim != len(spec) or any(
        s is not None and value.shape[k] != s for k, s in enumerate(sizes)
    ):
        raise ValueError(
            f"{name} must have shape {want}; got {tuple(value.shape)}"
        )
    if not value.is_floating_point():
        raise ValueError(
            f"{name} must hold floating-point numbers; got dtype {value.dtype}"
        )
    return value


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(
        value, (bool, np.bool_)
    )


def positive_int(name: str, value) -> int:
    """Return ``value`` as an int; bools, floats and numbers < 1 refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, np.integer)
    ):
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value}")
    return int(value)


def positive_number(name: str, value) -> float:
    """Return ``value`` as a float if it is a finite number > 0 (no bool)."""
    if not _is_number(value) or not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number; got {value!r}")
    return float(value)


def non_negative_number(name: str, value) -> float:
    """Return ``value`` as a float if it is a finite number >= 0 (no bool)."""
    if not _is_number(value) or not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a number >= 0; got {value!r}")
    return float(value)


def probability(name: str, value) -> float:
    """Return ``value`` as a float if it lies in [0, 1)."""
    if not _is_number(value) or not 0 <= value < 1:
        raise ValueError(
            f"{name} must be a probability in [0, 1); got {value!r}"
        )
    return float(value)


def seed(name: str, value) -> int:
    """Return ``value`` as an int if it is a non-negative integer (a seed)."""
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, (int, np.integer))
        or value < 0
    ):
        raise ValueError(
            f"{name} must be a non-negative integer; got {value!r}"
        )
    return int(value)


def rng(name: str, value) -> np.random.Generator:
    """Return ``value`` if it is a numpy.random.Generator."""
    if not isinstance(value, np.random.Generator):
        raise ValueError(
            f"{name} must be a numpy.random.Generator, "
            f"e.g. np.random.default_rng(0); got {type(value).__name__}"
        )
    return value


def boolean(name: str, value) -> bool:
    """Return ``value`` if it is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def one_of(name: str, value, choices):
    """Return ``value`` if it is one of ``choices``; else list them."""
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value


def instance_of(name: str, value, cls, hint: str = ""):
    """Return ``value`` if it is an instance of ``cls`` (class or tuple)."""
    if not isinstance(value, cls):
        classes = cls if isinstance(cls, tuple) else (cls,)
        want = " or ".join(c.__name__ for c in classes)
        article = "an" if want[0] in "AEFHILMNORSX" else "a"  # spoken letters
        raise ValueError(
            f"{name} must be {article} {want}{hint}; "
            f"got {type(value).__name__}"
        )
    return value


def verified_file(name: str, path, sha256) -> bytes:
    """The bytes of the file at ``path`` after checking its SHA-256.

    sha256: the expected hex digest, or None to skip the check. A missing
    file or a changed one (not the copy the book was tested with) raises a
    ValueError naming the argument.
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise ValueError(
            f"{name} must name an existing file; got {str(path)!r}"
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if sha256 is not None and digest != sha256:
        raise ValueError(
            f"{name} {path.name!r} has SHA-256 {digest}; expected {sha256} "
            "(the file is not the copy the book was tested with)"
        )
    return data


def state(name: str, value, N: int, H: int, dtype):
    """A checked (N, H) state (or its gradient) in ``dtype``; zeros where
    ``value`` is None. The cells' h0, c0, h_prev, dh_T ... all pass here."""
    if value is None:
        return np.zeros((N, H), dtype=dtype)
    return as_float_array(name, value, (("N", N), ("H", H)), dtype=dtype)


def cache(value, cls, source: str):
    """Return ``value`` if it is a ``cls`` (the cache a forward returned);
    the message names the forward: "cache must be an RNNCache returned by
    rnn_forward"."""
    return instance_of("cache", value, cls, f" returned by {source}")
