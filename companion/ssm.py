"""Where S4 and Mamba meet the scan: two small NumPy references.

A time-invariant recurrence h_t = a * h_{t-1} + b_t (one a per channel, h0 = 0)
is a convolution of the inputs with the kernel K_k = a^k (S4's view, Gu et
al., 2022):

    h_t = sum_{k=0}^{t-1} a^k b_{t-k}

An input-dependent a_t is Mamba's selective scan (Gu & Dao, 2023). For one
input channel x_t (a scalar per sequence) and a diagonal state of size S:

    Delta_t = softplus(x_t w + c)                 step size, > 0
    h_t     = exp(Delta_t A) * h_{t-1} + Delta_t B_t x_t      (S,)
    y_t     = C_t . h_t

with A (S,) < 0 and B_t, C_t (S,) computed from the input. The state update is
``linear_scan`` with a_t = exp(Delta_t A), b_t = Delta_t B_t x_t.
"""

from __future__ import annotations

import numpy as np

from .scan import METHODS, _linear_scan
from .validate import as_float_array, one_of, positive_int


def convolution_kernel(a, T):
    """K (T, H) with K_k = a^k, k = 0..T-1, for a (H,)."""
    a = as_float_array("a", a, ("H",))
    T = positive_int("T", T)
    return a[None, :] ** np.arange(T)[:, None]


# shown in: parallel-recurrence
def scan_by_convolution(a, b):
    """Every h_t of h_t = a h_{t-1} + b_t from h0 = 0, as a causal convolution
    computed with the FFT. a (H,) one coefficient per channel; b (N, T, H)."""
    a = as_float_array("a", a, ("H",))
    b = as_float_array("b", b, ("N", "T", ("H", a.shape[0])))
    T = b.shape[1]
    K = convolution_kernel(a, T)  # (T, H)
    n = 2 * T  # zero-padded: a linear, not circular, convolution
    spectrum = np.fft.rfft(b, n, axis=1) * np.fft.rfft(K, n, axis=0)[None]
    return np.fft.irfft(spectrum, n, axis=1)[:, :T]


def _softplus(z):
    return np.logaddexp(0.0, z)


def _selective_inputs(x, w, c, A, B, C):
    delta = _softplus(x * w + c)  # (N, T)
    a = np.exp(delta[..., None] * A)  # (N, T, S)
    return a, delta[..., None] * B * x[..., None], C


# shown in: parallel-recurrence
def selective_scan_loop(x, w, c, A, B, C):
    """The loop of one selective-scan channel. x (N, T); w, c scalars;
    A (S,) negative; B, C (N, T, S). Returns y (N, T)."""
    N, T = x.shape
    h = np.zeros((N, A.shape[0]))
    y = np.empty((N, T))
    for t in range(T):
        delta = _softplus(x[:, t] * w + c)[:, None]  # (N, 1)
        h = np.exp(delta * A) * h + delta * B[:, t] * x[:, t, None]
        y[:, t] = np.sum(C[:, t] * h, axis=1)
    return y


def selective_scan(x, w, c, A, B, C, method="blelloch"):
    """The same channel with its state update as one ``linear_scan``.

    x (N, T); w, c: floats; A (S,) all < 0; B, C (N, T, S);
    method: a scan of companion.scan.METHODS. Returns y (N, T).
    """
    x = as_float_array("x", x, ("N", "T"))
    N, T = x.shape
    A = as_float_array("A", A, ("S",))
    if not np.all(A < 0):
        raise ValueError(
            f"A must be < 0 (a decaying state); got a maximum of {A.max():.3g}"
        )
    spec = (("N", N), ("T", T), ("S", A.shape[0]))
    B, C = as_float_array("B", B, spec), as_float_array("C", C, spec)
    method = one_of("method", method, METHODS)
    a, b, C = _selective_inputs(x, float(w), float(c), A, B, C)
    hs = _linear_scan(a, b, np.zeros((N, A.shape[0])), method)
    return np.sum(C * hs, axis=2)
