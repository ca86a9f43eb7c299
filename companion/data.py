"""Small, reproducible data sets used in the book."""
from __future__ import annotations

import numpy as np

from .validate import positive_int


def zeroed_sequences(dtype=np.float32):
    """The 15-sample toy classification set of the parameter-counting post (S3).

    The base sequence has 5 time steps of 3 features: [[1,2,3], [4,5,6], ...,
    [13,14,15]]. Sample k (k = 0..14) is the base with its k-th element, in
    row-major order, set to 0. Samples 0-7 are labelled [1, 0], samples 8-14
    [0, 1].
    returns (X, y): X (15, 5, 3), y (15, 2), both of ``dtype``.
    """
    base = np.arange(1, 16, dtype=dtype).reshape(5, 3)  # (T=5, D=3)
    n = base.size
    X = np.repeat(base[None], n, axis=0)  # (15, 5, 3)
    X.reshape(n, n)[np.arange(n), np.arange(n)] = 0  # zero element k of sample k
    y = np.zeros((n, 2), dtype=dtype)
    y[:8, 0] = 1
    y[8:, 1] = 1
    return X, y


def random_sequences(N, T, D, rng, dtype=np.float64):
    """Standard-normal inputs of shape (N, T, D), drawn from ``rng``."""
    N, T, D = (positive_int(k, v) for k, v in (("N", N), ("T", T), ("D", D)))
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
    return rng.standard_normal((N, T, D)).astype(dtype)
