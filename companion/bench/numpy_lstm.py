"""One LSTM layer in NumPy, from naive to fused, forward and forward+backward.

Every function computes the book's LSTM (gates i, f, g, o packed side by side,
``z = x_t W_x + h_prev W_h + b``; see ``companion.lstm``) and differs only in
*how*. The four forward levels of the performance chapter:

* ``naive``:   one small GEMM per gate and per operand, 8 GEMMs a step
               (the layout of TF1 code with one weight matrix per gate);
* ``packed``:  gates packed, 2 GEMMs a step: ``companion.lstm_forward`` itself;
* ``hoisted``: the input projection ``x W_x + b`` of all T steps as one big
               GEMM before the loop, 1 GEMM a step;
* ``fused``:   hoisted, plus time-major buffers allocated once, gates
               reordered to (i, f, o, g) so that one sigmoid covers three gates,
               and every element-wise operation written in place (``out=``).

The forward+backward functions return the gradients of the loss
``sum(hs * dhs)`` (so ``dhs`` (N, T, H) is the upstream gradient of ``hs``),
with zero initial states.
"""
from __future__ import annotations

import numpy as np

from ..lstm import _check_params, _cell, lstm_forward, sigmoid
from ..validate import as_float_array

# Column blocks of the fused layout: (i, f, o, g) taken from the book's (i, f, g, o).
_FUSED_ORDER = (0, 1, 3, 2)


def _check_x(x, p, dtype=None):
    return as_float_array("x", x, ("N", "T", ("D", p.D)), dtype=dtype)


def _check_dhs(dhs, x, p):
    N, T, _ = x.shape
    return as_float_array("dhs", dhs, (("N", N), ("T", T), ("H", p.H)), dtype=x.dtype)


def _per_gate(p, dtype):
    """Four (W_x_k (D, H), W_h_k (H, H), b_k (H,)) triples, contiguous, gates i, f, g, o."""
    H = p.H
    return [
        tuple(np.ascontiguousarray(a[..., k * H : (k + 1) * H], dtype=dtype) for a in (p.W_x, p.W_h, p.b))
        for k in range(4)
    ]


def _fused_columns(H):
    """Column indices that reorder packed (i, f, g, o) blocks into (i, f, o, g)."""
    return np.concatenate([np.arange(k * H, (k + 1) * H) for k in _FUSED_ORDER])


def lstm_forward_naive(x, params):
    """LSTM forward with separate weights per gate: 8 GEMMs per step.

    x: (N, T, D); params: LSTMParams; zero initial state.
    returns (hs, (h_T, c_T)): hs (N, T, H), h_T and c_T (N, H), in x's dtype.
    """
    p = _check_params(params)
    x = _check_x(x, p)
    N, T, _ = x.shape
    (Wxi, Whi, bi), (Wxf, Whf, bf), (Wxg, Whg, bg), (Wxo, Who, bo) = _per_gate(p, x.dtype)
    h = np.zeros((N, p.H), x.dtype)
    c = np.zeros((N, p.H), x.dtype)
    hs = np.empty((N, T, p.H), x.dtype)
    for t in range(T):
        x_t = x[:, t, :]  # (N, D)
        i = sigmoid(x_t @ Wxi + h @ Whi + bi)  # (N, H) each
        f = sigmoid(x_t @ Wxf + h @ Whf + bf)
        g = np.tanh(x_t @ Wxg + h @ Whg + bg)
        o = sigmoid(x_t @ Wxo + h @ Who + bo)
        c = f * c + i * g
        h = o * np.tanh(c)
        hs[:, t, :] = h
    return hs, (h, c)


def lstm_forward_packed(x, params):
    """LSTM forward with packed gates, 2 GEMMs per step (``companion.lstm_forward``).

    x: (N, T, D); params: LSTMParams; returns (hs (N, T, H), (h_T, c_T)).
    """
    return lstm_forward(x, params)


def lstm_forward_hoisted(x, params):
    """LSTM forward with the input projection of all steps as one GEMM: 1 GEMM per step.

    x: (N, T, D); params: LSTMParams; returns (hs (N, T, H), (h_T, c_T)).
    """
    p = _check_params(params)
    x = _check_x(x, p)
    N, T, D = x.shape
    W_x, W_h, b = (a.astype(x.dtype, copy=False) for a in (p.W_x, p.W_h, p.b))
    Zx = (x.reshape(N * T, D) @ W_x + b).reshape(N, T, 4 * p.H)  # all T input projections at once
    h = np.zeros((N, p.H), x.dtype)
    c = np.zeros((N, p.H), x.dtype)
    hs = np.empty((N, T, p.H), x.dtype)
    for t in range(T):
        h, c = _cell(Zx[:, t, :] + h @ W_h, c, p.H)
        hs[:, t, :] = h
    return hs, (h, c)


def _sigmoid_(a):
    """Sigmoid in place, sigma(a) = (1 + tanh(a / 2)) / 2: no overflow, no allocation."""
    a *= 0.5
    np.tanh(a, out=a)
    a *= 0.5
    a += 0.5


def _fused_prepare(p, dtype):
    cols = _fused_columns(p.H)
    return tuple(np.ascontiguousarray(a[..., cols], dtype=dtype) for a in (p.W_x, p.W_h, p.b))


def _fused_forward(x, W_x, W_h, b, keep):
    """The fused loop on prepared (i, f, o, g) weights; returns time-major buffers.

    returns A (T, N, 4H) gate activations, hs (T+1, N, H), cs (T+1, N, H), tanh_c (T, N, H)
    (cs and tanh_c hold only the last steps unless keep is true) and xt (T*N, D).
    """
    N, T, D = x.shape
    H = W_h.shape[0]
    xt = np.ascontiguousarray(x.transpose(1, 0, 2)).reshape(T * N, D)  # time-major (T*N, D)
    A = np.matmul(xt, W_x).reshape(T, N, 4 * H)  # input projection of every step, one GEMM
    A += b
    hs = np.zeros((T + 1, N, H), x.dtype)  # hs[0] = h0 = 0
    cs = np.zeros((T + 1 if keep else 2, N, H), x.dtype)
    tanh_c = np.empty((T if keep else 1, N, H), x.dtype)
    rec = np.empty((N, 4 * H), x.dtype)  # h_prev W_h
    tmp = np.empty((N, H), x.dtype)
    for t in range(T):
        a = A[t]  # (N, 4H) pre-activations of step t, overwritten by the activations
        np.matmul(hs[t], W_h, out=rec)
        a += rec
        _sigmoid_(a[:, : 3 * H])  # i, f, o in one call
        np.tanh(a[:, 3 * H :], out=a[:, 3 * H :])  # g
        i, f, o, g = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
        c_prev, c_t = (cs[t], cs[t + 1]) if keep else (cs[t % 2], cs[(t + 1) % 2])
        tc = tanh_c[t] if keep else tanh_c[0]
        np.multiply(f, c_prev, out=c_t)
        np.multiply(i, g, out=tmp)
        c_t += tmp
        np.tanh(c_t, out=tc)
        np.multiply(o, tc, out=hs[t + 1])
    return A, hs, cs, tanh_c, xt


def lstm_forward_fused(x, params):
    """LSTM forward, hoisted and fused (see the module docstring).

    x: (N, T, D); params: LSTMParams; zero initial state.
    returns (hs, (h_T, c_T)): hs (N, T, H) is a transposed view of a time-major buffer.
    """
    p = _check_params(params)
    x = _check_x(x, p)
    return _fused_forward_outputs(x, *_fused_prepare(p, x.dtype))


def _fused_forward_outputs(x, W_x, W_h, b):
    _, hs, cs, _, _ = _fused_forward(x, W_x, W_h, b, keep=False)
    T = x.shape[1]
    return hs[1:].transpose(1, 0, 2), (hs[T], cs[T % 2])  # (T, N, H) -> (N, T, H)


def lstm_forward_backward_naive(x, params, dhs):
    """Forward and backward through time with one weight matrix per gate (16 GEMMs per step back).

    x: (N, T, D); params: LSTMParams; dhs: (N, T, H) upstream gradient of hs.
    returns (hs (N, T, H), grads) with grads a dict of dx (N, T, D), dW_x (D, 4H),
    dW_h (H, 4H), db (4H,), in the book's gate order.
    """
    p = _check_params(params)
    x = _check_x(x, p)
    dhs = _check_dhs(dhs, x, p)
    N, T, _ = x.shape
    H = p.H
    gates = _per_gate(p, x.dtype)
    (Wxi, Whi, bi), (Wxf, Whf, bf), (Wxg, Whg, bg), (Wxo, Who, bo) = gates
    h = np.zeros((N, H), x.dtype)
    c = np.zeros((N, H), x.dtype)
    hs = np.empty((N, T, H), x.dtype)
    cache = []
    for t in range(T):
        x_t = x[:, t, :]
        i = sigmoid(x_t @ Wxi + h @ Whi + bi)
        f = sigmoid(x_t @ Wxf + h @ Whf + bf)
        g = np.tanh(x_t @ Wxg + h @ Whg + bg)
        o = sigmoid(x_t @ Wxo + h @ Who + bo)
        c_new = f * c + i * g
        tc = np.tanh(c_new)
        cache.append((h, c, i, f, g, o, tc))
        h, c = o * tc, c_new
        hs[:, t, :] = h
    dWx = [np.zeros_like(w[0]) for w in gates]
    dWh = [np.zeros_like(w[1]) for w in gates]
    db = [np.zeros_like(w[2]) for w in gates]
    dx = np.zeros_like(x)
    dh_next = np.zeros((N, H), x.dtype)
    dc_next = np.zeros((N, H), x.dtype)
    for t in reversed(range(T)):
        h_prev, c_prev, i, f, g, o, tc = cache[t]
        dh = dhs[:, t, :] + dh_next
        do = dh * tc
        dc = dc_next + dh * o * (1 - tc**2)
        dz = (dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g**2), do * o * (1 - o))
        dc_next = dc * f
        dh_next = np.zeros((N, H), x.dtype)
        x_t = x[:, t, :]
        for k, (W_xk, W_hk, _) in enumerate(gates):
            dWx[k] += x_t.T @ dz[k]
            dWh[k] += h_prev.T @ dz[k]
            db[k] += dz[k].sum(axis=0)
            dx[:, t, :] += dz[k] @ W_xk.T
            dh_next += dz[k] @ W_hk.T
    grads = {"dx": dx, "dW_x": np.concatenate(dWx, axis=1), "dW_h": np.concatenate(dWh, axis=1), "db": np.concatenate(db)}
    return hs, grads


def _fused_backward(dhs, W_x, W_h, A, hs, cs, tanh_c, xt):
    """Backward through time on the fused forward's buffers; gradients in (i, f, o, g) order."""
    T, N, H = tanh_c.shape
    W_hT = np.ascontiguousarray(W_h.T)  # (4H, H)
    dZ = np.empty_like(A)  # (T, N, 4H) gradients of the pre-activations
    dh = np.zeros((N, H), A.dtype)
    dc = np.zeros((N, H), A.dtype)
    ds = np.empty((N, 3 * H), A.dtype)  # sigma'(z) = s (1 - s) for i, f, o at once
    tmp = np.empty((N, H), A.dtype)
    dhs_tm = dhs.transpose(1, 0, 2)  # (T, N, H) view
    for t in reversed(range(T)):
        a, dz, tc = A[t], dZ[t], tanh_c[t]
        s, g = a[:, : 3 * H], a[:, 3 * H :]
        i, f, o = s[:, :H], s[:, H : 2 * H], s[:, 2 * H :]
        dzi, dzf, dzo, dzg = dz[:, :H], dz[:, H : 2 * H], dz[:, 2 * H : 3 * H], dz[:, 3 * H :]
        dh += dhs_tm[t]
        np.subtract(1.0, s, out=ds)
        ds *= s
        np.multiply(tc, tc, out=tmp)  # dc += dh * o * (1 - tanh(c)^2)
        np.subtract(1.0, tmp, out=tmp)
        tmp *= o
        tmp *= dh
        dc += tmp
        np.multiply(dh, tc, out=dzo)  # do * sigma'
        dzo *= ds[:, 2 * H :]
        np.multiply(dc, g, out=dzi)
        dzi *= ds[:, :H]
        np.multiply(dc, cs[t], out=dzf)
        dzf *= ds[:, H : 2 * H]
        np.multiply(g, g, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        tmp *= i
        np.multiply(dc, tmp, out=dzg)
        dc *= f  # dc_prev
        np.matmul(dz, W_hT, out=dh)  # dh_prev: the one GEMM inside the loop
    dZ2 = dZ.reshape(T * N, 4 * H)
    dW_x = xt.T @ dZ2  # every step's weight gradient as one GEMM each
    dW_h = hs[:-1].reshape(T * N, H).T @ dZ2
    db = dZ2.sum(axis=0)
    dx = (dZ2 @ W_x.T).reshape(T, N, -1).transpose(1, 0, 2)  # (T*N, D) -> (N, T, D)
    return dx, dW_x, dW_h, db


def lstm_forward_backward_fused(x, params, dhs):
    """Forward and backward, fused: only h_prev W_h and dz W_h^T stay inside the loops.

    x: (N, T, D); params: LSTMParams; dhs: (N, T, H) upstream gradient of hs.
    returns (hs (N, T, H), grads) as in ``lstm_forward_backward_naive``.
    """
    p = _check_params(params)
    x = _check_x(x, p)
    dhs = _check_dhs(dhs, x, p)
    return _fused_forward_backward(x, dhs, *_fused_prepare(p, x.dtype))


def _fused_forward_backward(x, dhs, W_x, W_h, b):
    A, hs, cs, tanh_c, xt = _fused_forward(x, W_x, W_h, b, keep=True)
    dx, dW_x, dW_h, db = _fused_backward(dhs, W_x, W_h, A, hs, cs, tanh_c, xt)
    back = np.argsort(_fused_columns(W_h.shape[0]))  # (i, f, o, g) -> (i, f, g, o)
    grads = {"dx": dx, "dW_x": dW_x[:, back], "dW_h": dW_h[:, back], "db": db[back]}
    return hs[1:].transpose(1, 0, 2), grads


FORWARD = {
    "naive": lstm_forward_naive,
    "packed": lstm_forward_packed,
    "hoisted": lstm_forward_hoisted,
    "fused": lstm_forward_fused,
}
