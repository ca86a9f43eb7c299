"""One LSTM layer in NumPy, from naive to fused, forward and forward+backward.

Every function computes the book's LSTM (gates i, f, g, o packed side by side,
``z = x_t W_x + h_prev W_h + b``, zero initial states) and differs only in
*how*. The five forward levels of the performance chapter, each one change
on top of the one before:

* ``naive``:        one small GEMM per gate and per operand, 8 GEMMs a step
                    (the layout of TF1 code with one weight matrix per gate);
                    the textbook sigmoid ``1 / (1 + exp(-z))`` (``sigmoid``);
* ``packed``:       gates packed into W_x (D, 4H) and W_h (H, 4H), 2 GEMMs a step;
* ``hoisted``:      the input projection ``x W_x + b`` of all T steps as one big
                    GEMM before the loop, 1 GEMM a step;
* ``tanh_sigmoid``: hoisted, with the sigmoid as ``(1 + tanh(z / 2)) / 2``
                    (``sigmoid_tanh``): no reciprocal, and no exp that overflows;
* ``fused``:        tanh_sigmoid, plus time-major buffers allocated once, gates
                    reordered to (i, f, o, g) so that one sigmoid covers three
                    gates, and every element-wise operation written in place
                    (``fused_step``).

``PRODUCTS[level](N, T, D, H)`` lists the matrix products each level makes, so
that ``companion.bench.breakdown`` can time them apart from the rest.

The forward+backward functions return the gradients of the loss
``sum(hs * dhs)`` (so ``dhs`` (N, T, H) is the upstream gradient of ``hs``).
"""

from __future__ import annotations

import numpy as np

from ..lstm import LSTMParams
from ..validate import as_float_array, instance_of

# Column blocks of the fused layout: (i, f, o, g) taken from the book's (i, f, g, o).
FUSED_ORDER = (0, 1, 3, 2)


def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), written as a reader writes it first.

    Below z = -88.7 in float32 (-709.8 in float64) exp(-z) overflows to inf
    and the result is 0.0, which differs from the true value by less than
    3e-39 (1e-308): the overflow is harmless, so its warning is silenced.
    """
    with np.errstate(over="ignore"):  # exp(-z) = inf gives 1 / inf = 0.0
        return 1 / (1 + np.exp(-z))


def sigmoid_logaddexp(z):
    """sigma(z) as exp(-logaddexp(0, -z)): never overflows; an exp and a log1p inside logaddexp, then an exp."""
    return np.exp(-np.logaddexp(0, -z))


def sigmoid_tanh(z):
    """sigma(z) = (1 + tanh(z / 2)) / 2: the same function, one tanh, never overflows."""
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def check_inputs(x, params, dhs=None):
    """Checked (x (N, T, D), params, dhs (N, T, H) or None), all in x's float dtype."""
    instance_of("params", params, LSTMParams)
    x = as_float_array("x", x, ("N", "T", ("D", params.D)))
    if dhs is not None:
        N, T, _ = x.shape
        dhs = as_float_array(
            "dhs", dhs, (("N", N), ("T", T), ("H", params.H)), dtype=x.dtype
        )
    return x, params.astype(x.dtype), dhs


def per_gate(params):
    """Four (W_x_k (D, H), W_h_k (H, H), b_k (H,)) triples, contiguous, gates i, f, g, o."""
    H = params.H
    return [
        tuple(
            np.ascontiguousarray(a[..., k * H : (k + 1) * H])
            for a in (params.W_x, params.W_h, params.b)
        )
        for k in range(4)
    ]


def fused_columns(H):
    """Column indices that reorder packed (i, f, g, o) blocks into (i, f, o, g)."""
    return np.concatenate([np.arange(k * H, (k + 1) * H) for k in FUSED_ORDER])


def fused_weights(params):
    """(W_x, W_h, b) with columns reordered to (i, f, o, g), contiguous: done once, outside a timer."""
    cols = fused_columns(params.H)
    return tuple(
        np.ascontiguousarray(a[..., cols])
        for a in (params.W_x, params.W_h, params.b)
    )


def _gate_arithmetic(i, f, g, o, c_prev):
    c_t = f * c_prev + i * g
    return o * np.tanh(c_t), c_t


def lstm_forward_naive(x, params):
    """LSTM forward with separate weights per gate: 8 GEMMs per step.

    x: (N, T, D); params: LSTMParams; zero initial state.
    returns (hs, (h_T, c_T)): hs (N, T, H), h_T and c_T (N, H), in x's dtype.
    """
    x, p, _ = check_inputs(x, params)
    N, T, _ = x.shape
    (Wxi, Whi, bi), (Wxf, Whf, bf), (Wxg, Whg, bg), (Wxo, Who, bo) = per_gate(
        p
    )
    h = np.zeros((N, p.H), x.dtype)
    c = np.zeros((N, p.H), x.dtype)
    hs = np.empty((N, T, p.H), x.dtype)
    for t in range(T):
        x_t = x[:, t, :]  # (N, D)
        i = sigmoid(x_t @ Wxi + h @ Whi + bi)  # (N, H) each
        f = sigmoid(x_t @ Wxf + h @ Whf + bf)
        g = np.tanh(x_t @ Wxg + h @ Whg + bg)
        o = sigmoid(x_t @ Wxo + h @ Who + bo)
        h, c = _gate_arithmetic(i, f, g, o, c)
        hs[:, t, :] = h
    return hs, (h, c)


def _packed_cell(z, c, H, sigma):
    i, f = sigma(z[:, :H]), sigma(z[:, H : 2 * H])
    g, o = np.tanh(z[:, 2 * H : 3 * H]), sigma(z[:, 3 * H :])
    return _gate_arithmetic(i, f, g, o, c)


def lstm_forward_packed(x, params):
    """LSTM forward with packed gates: 2 GEMMs per step, ``x_t W_x + h_prev W_h + b``.

    x: (N, T, D); params: LSTMParams; returns (hs (N, T, H), (h_T, c_T)).
    """
    x, p, _ = check_inputs(x, params)
    N, T, _ = x.shape
    h = np.zeros((N, p.H), x.dtype)
    c = np.zeros((N, p.H), x.dtype)
    hs = np.empty((N, T, p.H), x.dtype)
    for t in range(T):
        z = x[:, t, :] @ p.W_x + h @ p.W_h + p.b  # (N, 4H)
        h, c = _packed_cell(z, c, p.H, sigmoid)
        hs[:, t, :] = h
    return hs, (h, c)


def _hoisted(x, params, sigma):
    x, p, _ = check_inputs(x, params)
    N, T, D = x.shape
    Zx = (x.reshape(N * T, D) @ p.W_x + p.b).reshape(
        N, T, 4 * p.H
    )  # every step's x_t W_x + b
    h = np.zeros((N, p.H), x.dtype)
    c = np.zeros((N, p.H), x.dtype)
    hs = np.empty((N, T, p.H), x.dtype)
    for t in range(T):
        h, c = _packed_cell(Zx[:, t, :] + h @ p.W_h, c, p.H, sigma)
        hs[:, t, :] = h
    return hs, (h, c)


def lstm_forward_hoisted(x, params):
    """LSTM forward with the input projection of all steps as one GEMM: 1 GEMM per step.

    x: (N, T, D); params: LSTMParams; returns (hs (N, T, H), (h_T, c_T)).
    """
    return _hoisted(x, params, sigmoid)


def lstm_forward_tanh_sigmoid(x, params):
    """``lstm_forward_hoisted`` with the sigmoid computed as (1 + tanh(z / 2)) / 2.

    x: (N, T, D); params: LSTMParams; returns (hs (N, T, H), (h_T, c_T)).
    """
    return _hoisted(x, params, sigmoid_tanh)


# shown in: performance (printed with inspect.getsource)
def fused_step(a, h_prev, c_prev, W_h, rec, tmp, c_t, tanh_c, h_t):
    """One LSTM step, fused and in place; gates in the order (i, f, o, g).

    a: (N, 4H) holds x_t W_x + b and becomes the gate activations;
    rec (N, 4H), tmp (N, H): scratch; c_t, tanh_c, h_t (N, H): written.
    """
    H = c_prev.shape[1]
    np.matmul(h_prev, W_h, out=rec)  # the one product left in the loop
    a += rec  # z_t
    s = a[:, : 3 * H]  # i, f, o: one sigmoid for three gates
    s *= 0.5
    np.tanh(s, out=s)
    s *= 0.5
    s += 0.5  # sigma(z) = (1 + tanh(z / 2)) / 2
    np.tanh(a[:, 3 * H :], out=a[:, 3 * H :])  # g
    i, f, o, g = (a[:, k * H : (k + 1) * H] for k in range(4))
    np.multiply(f, c_prev, out=c_t)
    np.multiply(i, g, out=tmp)
    c_t += tmp  # c_t = f c_prev + i g
    np.tanh(c_t, out=tanh_c)
    np.multiply(o, tanh_c, out=h_t)  # h_t = o tanh(c_t)


def _fused_forward(x, W_x, W_h, b, keep):
    """The fused loop on (i, f, o, g) weights; returns time-major buffers.

    returns A (T, N, 4H) gate activations, hs (T+1, N, H), cs (T+1, N, H), tanh_c (T, N, H)
    (cs and tanh_c hold only the last steps unless keep is true) and xt (T*N, D).
    """
    N, T, D = x.shape
    H = W_h.shape[0]
    xt = np.ascontiguousarray(x.transpose(1, 0, 2)).reshape(
        T * N, D
    )  # time-major (T*N, D)
    A = np.matmul(xt, W_x).reshape(
        T, N, 4 * H
    )  # input projection of every step, one GEMM
    A += b
    hs = np.zeros((T + 1, N, H), x.dtype)  # hs[0] = h0 = 0
    cs = np.zeros((T + 1 if keep else 2, N, H), x.dtype)
    tanh_c = np.empty((T if keep else 1, N, H), x.dtype)
    rec = np.empty((N, 4 * H), x.dtype)
    tmp = np.empty((N, H), x.dtype)
    for t in range(T):
        c_prev, c_t = (
            (cs[t], cs[t + 1]) if keep else (cs[t % 2], cs[(t + 1) % 2])
        )
        fused_step(
            A[t],
            hs[t],
            c_prev,
            W_h,
            rec,
            tmp,
            c_t,
            tanh_c[t if keep else 0],
            hs[t + 1],
        )
    return A, hs, cs, tanh_c, xt


def fused_forward_prepared(x, W_x, W_h, b):
    """The fused forward on ``fused_weights(params)``: x (N, T, D) -> (hs (N, T, H), (h_T, c_T))."""
    _, hs, cs, _, _ = _fused_forward(x, W_x, W_h, b, keep=False)
    T = x.shape[1]
    return hs[1:].transpose(1, 0, 2), (
        hs[T],
        cs[T % 2],
    )  # (T, N, H) -> (N, T, H)


def lstm_forward_fused(x, params):
    """LSTM forward, hoisted and fused (see the module docstring and ``fused_step``).

    x: (N, T, D); params: LSTMParams; zero initial state.
    returns (hs, (h_T, c_T)): hs (N, T, H) is a transposed view of a time-major buffer.
    """
    x, p, _ = check_inputs(x, params)
    return fused_forward_prepared(x, *fused_weights(p))


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


FORWARD = {
    "naive": lstm_forward_naive,
    "packed": lstm_forward_packed,
    "hoisted": lstm_forward_hoisted,
    "tanh_sigmoid": lstm_forward_tanh_sigmoid,
    "fused": lstm_forward_fused,
}


def _hoisted_products(N, T, D, H):
    return [(N * T, D, 4 * H, 1), (N, H, 4 * H, T)]


PRODUCTS = {
    "naive": lambda N, T, D, H: [(N, D, H, 4 * T), (N, H, H, 4 * T)],
    "packed": lambda N, T, D, H: [(N, D, 4 * H, T), (N, H, 4 * H, T)],
    "hoisted": _hoisted_products,
    "tanh_sigmoid": _hoisted_products,
    "fused": _hoisted_products,
}
"""Matrix products of each forward level: lists of (m, k, n, count), an (m, k) @ (k, n) product ``count`` times."""
