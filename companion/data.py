"""Small, reproducible data sets used in the book."""

from __future__ import annotations

import numpy as np

from . import validate
from .validate import as_float_array, positive_int


def zeroed_sequences(dtype=np.float32):
    """The 15-sample toy classification set of the counting post (S3).

    The base sequence has 5 time steps of 3 features: [[1,2,3], [4,5,6], ...,
    [13,14,15]]. Sample k (k = 0..14) is the base with its k-th element, in
    row-major order, set to 0. Samples 0-7 are labelled [1, 0], samples 8-14
    [0, 1].
    returns (X, y): X (15, 5, 3), y (15, 2), both of ``dtype``.
    """
    base = np.arange(1, 16, dtype=dtype).reshape(5, 3)  # (T=5, D=3)
    n = base.size
    X = np.repeat(base[None], n, axis=0)  # (15, 5, 3)
    X.reshape(n, n)[np.arange(n), np.arange(n)] = (
        0  # zero element k of sample k
    )
    y = np.zeros((n, 2), dtype=dtype)
    y[:8, 0] = 1
    y[8:, 1] = 1
    return X, y


def random_sequences(N, T, D, rng, dtype=np.float64):
    """Standard-normal inputs of shape (N, T, D), drawn from ``rng``."""
    N, T, D = (positive_int(k, v) for k, v in (("N", N), ("T", T), ("D", D)))
    rng = validate.rng("rng", rng)
    return rng.standard_normal((N, T, D)).astype(dtype)


def noisy_sine(
    n_steps, rng, period=40.0, amplitude=1.0, noise=0.1, dtype=np.float32
):
    """A univariate series: a sine wave plus Gaussian noise, from ``rng``.

    s_t = amplitude * sin(2 pi t / period) + noise * e_t,  e_t ~ N(0, 1),
    t = 0..n_steps-1
    n_steps: int >= 2; period > 0 (in steps); amplitude, noise >= 0.
    returns s: (n_steps,) of ``dtype``.
    """
    n_steps = positive_int("n_steps", n_steps)
    if n_steps < 2:
        raise ValueError(
            f"n_steps must be at least 2 to make a series; got {n_steps}"
        )
    rng = validate.rng("rng", rng)
    period = validate.positive_number("period", period)
    amplitude = validate.non_negative_number("amplitude", amplitude)
    noise = validate.non_negative_number("noise", noise)
    t = np.arange(n_steps)
    clean = amplitude * np.sin(2 * np.pi * t / period)
    return (clean + noise * rng.standard_normal(n_steps)).astype(dtype)


def sliding_windows(series, window):
    """Cut a series into overlapping windows and the value that follows each.

    series: (S,) one univariate series; window: T, with 1 <= T < S.
    returns (X, y): X (N, T, 1) with X[n, :, 0] = series[n : n + T], and
    y (N, 1) with y[n, 0] = series[n + T]; N = S - T. Same dtype as ``series``.
    """
    series = as_float_array("series", series, ("S",))
    T = positive_int("window", window)
    S = series.shape[0]
    if T >= S:
        raise ValueError(
            f"window must be smaller than the series length S={S}; got {T}"
        )
    windows = np.lib.stride_tricks.sliding_window_view(series, T)  # (N+1, T)
    X = windows[:-1, :, None].copy()  # (N, T, 1): row n is n, ..., n+T-1
    y = series[T:, None].copy()  # (N, 1)
    return X, y
