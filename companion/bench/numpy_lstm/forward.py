"""The five forward levels of one NumPy LSTM layer, naive to fused.

Each level takes x (N, T, D) and LSTMParams and returns (hs (N, T, H), (h_T, c_T));
``FORWARD`` lists them in the chapter's order and ``PRODUCTS`` the matrix
products each one makes (see the package docstring).
"""

from __future__ import annotations

import numpy as np

from .layout import check_inputs, fused_weights, per_gate
from .sigmoids import sigmoid, sigmoid_tanh


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
