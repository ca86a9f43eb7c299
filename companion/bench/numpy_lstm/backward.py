"""Forward and backward through time of one NumPy LSTM layer: naive and fused.

Both return (hs (N, T, H), grads), the gradients of the loss ``sum(hs * dhs)``
with ``dhs`` (N, T, H) the upstream gradient of hs.
"""

from __future__ import annotations

import numpy as np

from .forward import _fused_forward
from .layout import check_inputs, fused_columns, fused_weights, per_gate
from .sigmoids import sigmoid


def lstm_forward_backward_naive(x, params, dhs):
    """Forward and backward through time with one weight matrix per gate (16 GEMMs per step back).

    x: (N, T, D); params: LSTMParams; dhs: (N, T, H) upstream gradient of hs.
    returns (hs (N, T, H), grads) with grads a dict of dx (N, T, D), dW_x (D, 4H),
    dW_h (H, 4H), db (4H,), in the book's gate order.
    """
    x, p, dhs = check_inputs(x, params, dhs)
    N, T, _ = x.shape
    H = p.H
    gates = per_gate(p)
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
        dz = (
            dc * g * i * (1 - i),
            dc * c_prev * f * (1 - f),
            dc * i * (1 - g**2),
            do * o * (1 - o),
        )
        dc_next = dc * f
        dh_next = np.zeros((N, H), x.dtype)
        x_t = x[:, t, :]
        for k, (W_xk, W_hk, _) in enumerate(gates):
            dWx[k] += x_t.T @ dz[k]
            dWh[k] += h_prev.T @ dz[k]
            db[k] += dz[k].sum(axis=0)
            dx[:, t, :] += dz[k] @ W_xk.T
            dh_next += dz[k] @ W_hk.T
    grads = {
        "dx": dx,
        "dW_x": np.concatenate(dWx, axis=1),
        "dW_h": np.concatenate(dWh, axis=1),
        "db": np.concatenate(db),
    }
    return hs, grads


def _fused_backward(dhs, W_x, W_h, A, hs, cs, tanh_c, xt):
    """Backward through time on the fused forward's buffers; gradients in (i, f, o, g) order."""
    T, N, H = tanh_c.shape
    W_hT = np.ascontiguousarray(W_h.T)  # (4H, H)
    dZ = np.empty_like(A)  # (T, N, 4H) gradients of the pre-activations
    dh = np.zeros((N, H), A.dtype)
    dc = np.zeros((N, H), A.dtype)
    ds = np.empty(
        (N, 3 * H), A.dtype
    )  # sigma'(z) = s (1 - s) for i, f, o at once
    tmp = np.empty((N, H), A.dtype)
    dhs_tm = dhs.transpose(1, 0, 2)  # (T, N, H) view
    for t in reversed(range(T)):
        a, dz, tc = A[t], dZ[t], tanh_c[t]
        s, g = a[:, : 3 * H], a[:, 3 * H :]
        i, f, o = s[:, :H], s[:, H : 2 * H], s[:, 2 * H :]
        dzi, dzf, dzo, dzg = (
            dz[:, :H],
            dz[:, H : 2 * H],
            dz[:, 2 * H : 3 * H],
            dz[:, 3 * H :],
        )
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
    dx = (
        (dZ2 @ W_x.T).reshape(T, N, -1).transpose(1, 0, 2)
    )  # (T*N, D) -> (N, T, D)
    return dx, dW_x, dW_h, db


def fused_forward_backward_prepared(x, dhs, W_x, W_h, b):
    """The fused forward and backward on ``fused_weights(params)``; returns (hs, grads)."""
    A, hs, cs, tanh_c, xt = _fused_forward(x, W_x, W_h, b, keep=True)
    dx, dW_x, dW_h, db = _fused_backward(dhs, W_x, W_h, A, hs, cs, tanh_c, xt)
    back = np.argsort(
        fused_columns(W_h.shape[0])
    )  # (i, f, o, g) -> (i, f, g, o)
    grads = {
        "dx": dx,
        "dW_x": dW_x[:, back],
        "dW_h": dW_h[:, back],
        "db": db[back],
    }
    return hs[1:].transpose(1, 0, 2), grads


def lstm_forward_backward_fused(x, params, dhs):
    """Forward and backward, fused: only h_prev W_h and dz W_h^T stay inside the loops.

    x: (N, T, D); params: LSTMParams; dhs: (N, T, H) upstream gradient of hs.
    returns (hs (N, T, H), grads) as in ``lstm_forward_backward_naive``.
    """
    x, p, dhs = check_inputs(x, params, dhs)
    return fused_forward_backward_prepared(x, dhs, *fused_weights(p))
