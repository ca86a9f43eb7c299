"""Linear recurrences h_t = a_t * h_{t-1} + b_t, by a loop and by scans.

One step is the affine map h -> a_t h + b_t, element-wise over the H
channels. Two steps compose into one affine map of the same kind,

    (a1, b1) then (a2, b2)  =  (a1 a2,  a2 b1 + b2),

and composition is associative, so the prefixes h_1 .. h_T can be computed
by a parallel prefix scan (Blelloch, 1990) in about log2(T) rounds instead of
T steps. With batch first, every array here is (N, T, H); h0 is (N, H).

Methods of ``linear_scan``:

* "sequential": the loop, T steps.
* "hillis_steele": ceil(log2 T) rounds, each composing every element with
  the one 2^k before it; about T log2 T compositions in all.
* "blelloch": up-sweep and down-sweep over T padded with the identity (1, 0)
  to P, the next power of two: 2 (P - 1) + T compositions (about 3T at a
  power of two, up to about 5T just above one) in 2 log2 P rounds.
* "chunked": the loop inside chunks of C steps (all chunks at once), then a
  loop of T / C steps across chunks: about C + T / C Python steps.
* "log": h_t = exp(A_t) (h0 + sum_k exp(log b_k - A_k)) with A_t the
  cumulative sum of log a: a cumulative sum and a log-sum-exp scan
  (the idea of minGRU's parallel mode, which keeps b > 0 instead). a must
  be > 0; b of either sign is split into b+ - b- (the recurrence is linear
  in b and h0) and run twice.
"""

from __future__ import annotations

import numpy as np

from .validate import as_float_array, one_of, positive_int

METHODS = ("sequential", "hillis_steele", "blelloch", "chunked", "log")


# shown in: parallel-recurrence
def compose(first, second):
    """The affine map 'first, then second': (a1, b1) then (a2, b2) is
    (a1 a2, a2 b1 + b2). Each argument a pair of arrays of one shape."""
    (a1, b1), (a2, b2) = first, second
    return a1 * a2, a2 * b1 + b2


# ---------------------------------------------------------------------------
# The maths (no checks): each returns the prefix maps (A_t, B_t) with
# h_t = A_t h0 + B_t, all (N, T, H).
# ---------------------------------------------------------------------------


# shown in: parallel-recurrence
def _sequential(a, b, h0):
    hs = np.empty_like(b)
    h = h0
    for t in range(a.shape[1]):
        h = a[:, t] * h + b[:, t]
        hs[:, t] = h
    return hs


# shown in: parallel-recurrence
def _hillis_steele(a, b):
    A, B = a.copy(), b.copy()
    d = 1
    while d < a.shape[1]:  # round k: compose with the prefix 2^k back
        A_new, B_new = compose((A[:, :-d], B[:, :-d]), (A[:, d:], B[:, d:]))
        A[:, d:], B[:, d:] = A_new, B_new
        d *= 2
    return A, B


def _pad_identity(a, b, length):
    """a, b padded along T with the identity map (1, 0) to ``length``."""
    N, T, H = a.shape
    A = np.ones((N, length, H), a.dtype)
    B = np.zeros((N, length, H), b.dtype)
    A[:, :T], B[:, :T] = a, b
    return A, B


# shown in: parallel-recurrence
def _blelloch(a, b):
    N, T, H = a.shape
    P = 1 << (T - 1).bit_length()  # T padded to a power of two
    A, B = _pad_identity(a, b, P)
    s = 1
    while s < P:  # up-sweep: node i + 2s - 1 holds its block of 2s steps
        A4, B4 = (
            A.reshape(N, P // (2 * s), 2 * s, H),
            B.reshape(N, -1, 2 * s, H),
        )
        left = A4[:, :, s - 1], B4[:, :, s - 1]
        A4[:, :, -1], B4[:, :, -1] = compose(
            left, (A4[:, :, -1], B4[:, :, -1])
        )
        s *= 2
    A[:, -1], B[:, -1] = 1, 0  # down-sweep: the root gets the identity
    while s > 1:  # each node passes its prefix left, and prefix+left right
        s //= 2
        A4, B4 = (
            A.reshape(N, P // (2 * s), 2 * s, H),
            B.reshape(N, -1, 2 * s, H),
        )
        left = A4[:, :, s - 1].copy(), B4[:, :, s - 1].copy()
        prefix = A4[:, :, -1].copy(), B4[:, :, -1].copy()
        A4[:, :, s - 1], B4[:, :, s - 1] = prefix
        A4[:, :, -1], B4[:, :, -1] = compose(prefix, left)
    # exclusive prefixes, then each step's own map: the inclusive scan
    return compose((A[:, :T], B[:, :T]), (a, b))


# shown in: parallel-recurrence
def _chunked(a, b, h0, C):
    N, T, H = a.shape
    n = -(-T // C)  # number of chunks
    A, B = _pad_identity(a, b, n * C)
    A, B = A.reshape(N, n, C, H), B.reshape(N, n, C, H)
    for j in range(1, C):  # the loop inside every chunk at once
        A[:, :, j], B[:, :, j] = compose(
            (A[:, :, j - 1], B[:, :, j - 1]), (A[:, :, j], B[:, :, j])
        )
    starts = np.empty((N, n, H), b.dtype)  # h entering each chunk
    h = h0
    for k in range(n):  # the short loop across chunks
        starts[:, k] = h
        h = A[:, k, -1] * h + B[:, k, -1]
    hs = A * starts[:, :, None] + B  # (N, n, C, H)
    return hs.reshape(N, n * C, H)[:, :T]


def _log_positive(log_a, b, h0):
    """The log-space scan for b >= 0, h0 >= 0 (log 0 = -inf is allowed)."""
    with np.errstate(divide="ignore"):
        log_b, log_h0 = np.log(b), np.log(h0)
    A = np.cumsum(log_a, axis=1)  # (N, T, H): log of a_1 ... a_t
    terms = np.concatenate([log_h0[:, None], log_b - A], axis=1)
    return np.exp(A + np.logaddexp.accumulate(terms, axis=1)[:, 1:])


# shown in: parallel-recurrence
def _log(a, b, h0):
    log_a = np.log(a)
    plus = _log_positive(log_a, np.maximum(b, 0), np.maximum(h0, 0))
    minus = _log_positive(log_a, np.maximum(-b, 0), np.maximum(-h0, 0))
    return plus - minus


def _linear_scan(a, b, h0, method, chunk=None):
    if method == "sequential":
        return _sequential(a, b, h0)
    if method == "chunked":
        C = chunk or max(1, int(np.ceil(np.sqrt(a.shape[1]))))
        return _chunked(a, b, h0, C)
    if method == "log":
        return _log(a, b, h0)
    A, B = (_hillis_steele if method == "hillis_steele" else _blelloch)(a, b)
    return A * h0[:, None] + B


def closed_form(a, b, h0=None):
    """h_t = P_t (h0 + sum_{k<=t} b_k / P_k) with P_t = a_1 ... a_t, by
    np.cumprod and np.cumsum: vectorised, but wrong for long T: once P_t is
    below 1 / (the largest float), b_k / P_k overflows to inf (long before
    P_t itself could round to 0). a, b (N, T, H); h0 (N, H)."""
    a, b, h0 = _check(a, b, h0)
    P = np.cumprod(a, axis=1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return P * (h0[:, None] + np.cumsum(b / P, axis=1))


def _check(a, b, h0):
    a = as_float_array("a", a, ("N", "T", "H"))
    b = as_float_array(
        "b", b, (("N", a.shape[0]), ("T", a.shape[1]), ("H", a.shape[2]))
    )
    dtype = np.result_type(a, b)
    a, b = a.astype(dtype, copy=False), b.astype(dtype, copy=False)
    N, _, H = a.shape
    h0 = (
        np.zeros((N, H), dtype)
        if h0 is None
        else as_float_array("h0", h0, (("N", N), ("H", H)), dtype=dtype)
    )
    return a, b, h0


def linear_scan(a, b, h0=None, method="sequential", chunk=None):
    """Every h_t of h_t = a_t * h_{t-1} + b_t (element-wise), t = 1..T.

    a, b: (N, T, H) coefficients and inputs (one float dtype: the wider);
    h0: (N, H) or None for zeros; method: one of METHODS (module docstring);
    chunk: steps per chunk for "chunked" (default ceil(sqrt(T))).
    returns hs (N, T, H) in the dtype of a and b.
    """
    a, b, h0 = _check(a, b, h0)
    method = one_of("method", method, METHODS)
    if chunk is not None:
        if method != "chunked":
            raise ValueError(
                f"chunk is for method='chunked'; got method={method!r}"
            )
        chunk = positive_int("chunk", chunk)
    if method == "log" and not np.all(a > 0):
        raise ValueError(
            "a must be > 0 for method='log' (its logarithm is taken); "
            f"got a minimum of {a.min():.3g}"
        )
    return _linear_scan(a, b, h0, method, chunk)


# shown in: parallel-recurrence
def _scan_backward(dhs, a, hs, h0, method):
    """g_t = dhs_t + a_{t+1} g_{t+1}: the same recurrence, run in reverse."""
    a_next = np.concatenate([a[:, 1:], np.ones_like(a[:, :1])], axis=1)
    g = _linear_scan(a_next[:, ::-1], dhs[:, ::-1], np.zeros_like(h0), method)
    g = g[:, ::-1]  # dL/dh_t through every later step
    h_prev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    return g * h_prev, g, a[:, 0] * g[:, 0]  # da, db, dh0


def linear_scan_backward(dhs, a, hs, h0=None, method="sequential"):
    """Gradients of h_t = a_t h_{t-1} + b_t, themselves a reverse scan.

    With g_t = dL/dh_t through every path, g_t = dhs_t + a_{t+1} g_{t+1}
    (g_{T+1} = 0), so da_t = g_t h_{t-1}, db_t = g_t, dh0 = a_1 g_1.
    dhs: (N, T, H) dL/dh_t where the loss reads h_t directly; a, hs: (N, T, H)
    the coefficients and the states of the forward; h0: (N, H) or None;
    method: the scan that runs the reverse recurrence (METHODS; "log" only
    where every a > 0).
    returns (da, db, dh0): (N, T, H), (N, T, H), (N, H)
    """
    a, hs, h0 = _check(a, hs, h0)
    N, T, H = a.shape
    dhs = as_float_array(
        "dhs", dhs, (("N", N), ("T", T), ("H", H)), dtype=a.dtype
    )
    method = one_of("method", method, METHODS)
    if method == "log" and not np.all(a > 0):
        raise ValueError("a must be > 0 for method='log'")
    return _scan_backward(dhs, a, hs, h0, method)


def rounding_tolerance(T, dtype, a=None):
    """The largest |error| / max|h| accepted for a scan of length T in dtype.

    One step of the loop rounds twice (a h, then + b), each by at most the
    unit roundoff u = eps / 2; with |a| <= 1 an earlier error is not
    amplified, so after T steps the loop is within 2 T u max|h| of the exact
    result. The other exact scans round in another order: allowing twice
    that, 4 T u = 2 T eps, for |a| <= 1.

    The log method is different: it computes exponents of the size of
    A_t = sum_{k<=t} log a_k, whose absolute rounding error (about u |A_t|,
    plus the cumulative sums' own) becomes a relative error of h_t. Pass the
    coefficients a (any shape, > 0, time on axis 1) for the log method's
    tolerance 2 eps (T + max_t |A_t|): it grows with T and with how small a is.
    """
    T = positive_int("T", T)
    eps = float(np.finfo(dtype).eps)
    if a is None:
        return 2 * T * eps
    a = np.asarray(a, dtype=np.float64)
    if np.any(a <= 0):
        raise ValueError("a must be > 0 (the log method's coefficients)")
    A = np.cumsum(np.log(a), axis=1)
    return 2 * eps * (T + float(np.abs(A).max()))
