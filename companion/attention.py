"""Attention in NumPy, forward and backward: scaled dot-product (Luong et al.,
2015; Vaswani et al.'s scaling) and additive (Bahdanau et al., 2015).

A query row q_i reads the keys k_j and values v_j of one sequence:

    score_ij = scale * q_i . k_j                           dot product
    score_ij = tanh(q_i W_q + k_j W_k) . w                 additive
    a_ij     = exp(score_ij) / sum_j' exp(score_ij')      (masked j' excluded)
    c_i      = sum_j a_ij v_j

Shapes, batch first: q (N, Tq, dq), k (N, Tk, dk), v (N, Tk, dv), weights a
(N, Tq, Tk), context c (N, Tq, dv). ``mask`` is boolean, (N, Tk) or
(N, Tq, Tk), True where a key may be attended: a masked key gets weight
exactly 0 (its score is set to -inf before the softmax). Every query row
needs at least one key it may attend.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .validate import as_float_array


class AdditiveAttentionParams(NamedTuple):
    """W_q (dq, A), W_k (dk, A), w (A,): score = tanh(q W_q + k W_k) . w."""

    W_q: np.ndarray
    W_k: np.ndarray
    w: np.ndarray

    @classmethod
    def random(cls, dq, dk, A, rng, dtype=np.float64):
        """Seeded uniform draws in [-1/sqrt(A), 1/sqrt(A)]."""
        s = 1 / np.sqrt(A)
        return cls(
            *(
                rng.uniform(-s, s, shape).astype(dtype)
                for shape in ((dq, A), (dk, A), (A,))
            )
        )


class AdditiveGrads(NamedTuple):
    """Gradients of the additive attention's parameters (same shapes)."""

    dW_q: np.ndarray
    dW_k: np.ndarray
    dw: np.ndarray


class AttentionCache(NamedTuple):
    """What the backward passes need."""

    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    weights: np.ndarray
    scale: float
    tanh: np.ndarray  # additive only: (N, Tq, Tk, A); None for dot
    params: AdditiveAttentionParams  # additive only


def _check(q, k, v, mask, same_d):
    """Validated (q, k, v, mask (N, Tq, Tk) or None)."""
    q = as_float_array("q", q, ("N", "Tq", "dq"))
    N, Tq, dq = q.shape
    dk = ("d", dq) if same_d else "dk"
    k = as_float_array("k", k, (("N", N), "Tk", dk))
    Tk = k.shape[1]
    v = as_float_array("v", v, (("N", N), ("Tk", Tk), "dv"))
    if mask is None:
        return q, k, v, None
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise ValueError(f"mask must be boolean; got dtype {mask.dtype}")
    if mask.shape == (N, Tk):
        mask = np.broadcast_to(mask[:, None, :], (N, Tq, Tk))
    elif mask.shape != (N, Tq, Tk):
        raise ValueError(
            f"mask must have shape (N={N}, Tk={Tk}) or "
            f"(N={N}, Tq={Tq}, Tk={Tk}); got {mask.shape}"
        )
    if not mask.any(axis=-1).all():
        raise ValueError("mask leaves a query with no key to attend")
    return q, k, v, mask


def masked_softmax(scores, mask=None):
    """Softmax over the last axis; masked entries (mask False) get exactly 0."""
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_backward(dweights, weights):
    """dL/dscores from dL/dweights through a (masked) softmax."""
    return weights * (
        dweights - np.sum(dweights * weights, axis=-1, keepdims=True)
    )


def dot_attention(q, k, v, mask=None, scale=None):
    """(context (N, Tq, dv), weights (N, Tq, Tk), cache) of scaled dot-product
    attention: a = softmax(scale q k^T), scale = 1/sqrt(d) by default."""
    q, k, v, mask = _check(q, k, v, mask, same_d=True)
    if scale is None:
        scale = 1 / np.sqrt(q.shape[-1])
    scores = scale * q @ k.transpose(0, 2, 1)  # (N, Tq, Tk)
    weights = masked_softmax(scores, mask)
    context = weights @ v  # (N, Tq, Tk) @ (N, Tk, dv)
    return (
        context,
        weights,
        AttentionCache(q, k, v, weights, scale, None, None),
    )


def dot_attention_backward(dcontext, cache):
    """(dq, dk, dv) from dL/dcontext (N, Tq, dv)."""
    q, k, v, weights, scale = cache[:5]
    dcontext = as_float_array(
        "dcontext", dcontext, weights.shape[:2] + v.shape[2:]
    )
    dv = weights.transpose(0, 2, 1) @ dcontext  # (N, Tk, dv)
    dscores = _softmax_backward(dcontext @ v.transpose(0, 2, 1), weights)
    dq = scale * dscores @ k
    dk = scale * dscores.transpose(0, 2, 1) @ q
    return dq, dk, dv


def additive_attention(q, k, v, params, mask=None):
    """(context, weights, cache) of additive attention:
    score_ij = tanh(q_i W_q + k_j W_k) . w, a = softmax(score)."""
    q, k, v, mask = _check(q, k, v, mask, same_d=False)
    if not isinstance(params, AdditiveAttentionParams):
        raise ValueError(  # noqa: TRY004 - the package raises ValueError
            "params must be an AdditiveAttentionParams"
        )
    W_q = as_float_array("W_q", params.W_q, (("dq", q.shape[2]), "A"))
    A = W_q.shape[1]
    as_float_array("W_k", params.W_k, (("dk", k.shape[2]), ("A", A)))
    as_float_array("w", params.w, (("A", A),))
    # (N, Tq, 1, A) + (N, 1, Tk, A) -> (N, Tq, Tk, A)
    t = np.tanh((q @ params.W_q)[:, :, None] + (k @ params.W_k)[:, None])
    weights = masked_softmax(t @ params.w, mask)  # (N, Tq, Tk)
    context = weights @ v
    return context, weights, AttentionCache(q, k, v, weights, 1.0, t, params)


def additive_attention_backward(dcontext, cache):
    """(dq, dk, dv, AdditiveGrads) from dL/dcontext (N, Tq, dv)."""
    q, k, v, weights, _, t, params = cache
    dcontext = as_float_array(
        "dcontext", dcontext, weights.shape[:2] + v.shape[2:]
    )
    dv = weights.transpose(0, 2, 1) @ dcontext
    dscores = _softmax_backward(dcontext @ v.transpose(0, 2, 1), weights)
    dw = np.einsum("nij,nija->a", dscores, t)
    du = dscores[..., None] * params.w * (1 - t**2)  # (N, Tq, Tk, A)
    dqa, dka = du.sum(axis=2), du.sum(axis=1)  # (N, Tq, A), (N, Tk, A)
    dq, dk = dqa @ params.W_q.T, dka @ params.W_k.T
    dW_q = np.einsum("nid,nia->da", q, dqa)
    dW_k = np.einsum("njd,nja->da", k, dka)
    return dq, dk, dv, AdditiveGrads(dW_q, dW_k, dw)
