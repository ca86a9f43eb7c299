"""Dot-product and additive attention: gradient checks, the padding mask, bad
input, and agreement with Keras' Attention / AdditiveAttention and PyTorch's
scaled_dot_product_attention and a one-head nn.MultiheadAttention."""

import numpy as np
import pytest

from companion.attention import (
    AdditiveAttentionParams,
    additive_attention,
    additive_attention_backward,
    dot_attention,
    dot_attention_backward,
)
from companion.gradcheck import numerical_gradient, relative_error


def _qkv(N=2, Tq=3, Tk=5, d=4, dv=3, seed=0, dq=None):
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((N, Tq, dq or d)),
        rng.standard_normal((N, Tk, d)),
        rng.standard_normal((N, Tk, dv)),
        rng,
    )


def _mask(N=2, Tk=5):
    mask = np.ones((N, Tk), bool)
    mask[0, 3:] = False  # row 0 has 3 real keys, row 1 all 5
    return mask


@pytest.mark.parametrize("masked", [False, True])
def test_dot_attention_gradients(masked):
    q, k, v, rng = _qkv()
    mask = _mask() if masked else None
    G = rng.standard_normal((2, 3, 3))
    _, _, cache = dot_attention(q, k, v, mask)
    dq, dk, dv = dot_attention_backward(G, cache)
    for name, x, d in (("q", q, dq), ("k", k, dk), ("v", v, dv)):

        def loss(a, name=name):
            args = {"q": q, "k": k, "v": v, name: a}
            return np.sum(dot_attention(**args, mask=mask)[0] * G)

        assert relative_error(numerical_gradient(loss, x), d) < 1e-7, name


@pytest.mark.parametrize("masked", [False, True])
def test_additive_attention_gradients(masked):
    q, k, v, rng = _qkv(dq=6)
    params = AdditiveAttentionParams.random(6, 4, 7, rng)
    mask = _mask() if masked else None
    G = rng.standard_normal((2, 3, 3))
    _, _, cache = additive_attention(q, k, v, params, mask)
    dq, dk, dv, grads = additive_attention_backward(G, cache)

    def loss_of(**change):
        args = {"q": q, "k": k, "v": v, "params": params, **change}
        return np.sum(additive_attention(**args, mask=mask)[0] * G)

    for name, x, d in (("q", q, dq), ("k", k, dk), ("v", v, dv)):
        num = numerical_gradient(lambda a, n=name: loss_of(**{n: a}), x)
        assert relative_error(num, d) < 1e-7, name
    for i, name in enumerate(("W_q", "W_k", "w")):
        num = numerical_gradient(
            lambda a, n=name: loss_of(params=params._replace(**{n: a})),
            params[i],
        )
        assert relative_error(num, grads[i]) < 1e-7, name


def test_mask_gives_exactly_zero_weight_and_rows_sum_to_one():
    q, k, v, rng = _qkv()
    params = AdditiveAttentionParams.random(4, 4, 5, rng)
    v2 = v.copy()
    v2[0, 3:] = 1e6  # padded values
    for attend in (
        lambda v: dot_attention(q, k, v, _mask()),
        lambda v: additive_attention(q, k, v, params, _mask()),
    ):
        ctx, w, _ = attend(v)
        assert np.all(w[0, :, 3:] == 0.0)
        assert np.all(w[0, :, :3] > 0)
        np.testing.assert_allclose(w.sum(-1), 1, rtol=0, atol=1e-15)
        # padded values do not matter at all
        assert np.array_equal(attend(v2)[0][0], ctx[0])


def test_per_query_mask_and_default_scale():
    q, k, v, _ = _qkv()
    causal = np.tril(np.ones((3, 5), bool))[None].repeat(2, 0)  # (N, Tq, Tk)
    _, w, _ = dot_attention(q, k, v, causal)
    assert np.all(w[:, 0, 1:] == 0) and np.all(w[:, 2, 3:] == 0)
    scores = q @ k.transpose(0, 2, 1) / 2.0  # d = 4: 1/sqrt(4)
    e = np.exp(scores - scores.max(-1, keepdims=True))
    np.testing.assert_allclose(
        dot_attention(q, k, v)[1], e / e.sum(-1, keepdims=True), atol=1e-15
    )


@pytest.mark.parametrize(
    "change, word",
    [
        ({"k": np.zeros((2, 5, 3))}, "k must"),
        ({"v": np.zeros((2, 4, 3))}, "v must"),
        ({"q": np.zeros((3, 4))}, "q must"),
        ({"mask": np.ones((2, 4), bool)}, "mask must"),
        ({"mask": np.ones((2, 5))}, "mask must be boolean"),
        ({"mask": np.zeros((2, 5), bool)}, "mask leaves"),
    ],
)
def test_bad_input_names_the_argument(change, word):
    q, k, v, _ = _qkv()
    args = {"q": q, "k": k, "v": v, "mask": None, **change}
    with pytest.raises(ValueError, match=word):
        dot_attention(**args)


def test_additive_bad_params():
    q, k, v, rng = _qkv()
    params = AdditiveAttentionParams.random(5, 4, 3, rng)  # dq 5, not 4
    with pytest.raises(ValueError, match="W_q must"):
        additive_attention(q, k, v, params)
    with pytest.raises(ValueError, match="params must"):
        additive_attention(q, k, v, (1, 2, 3))


# --- frameworks ---------------------------------------------------------------


@pytest.mark.parametrize("dtype, tol", [("float64", 1e-12), ("float32", 1e-6)])
def test_keras_attention_agrees(keras, dtype, tol):
    q, k, v, _ = _qkv(d=4, dv=4)
    mask = _mask()
    layer = keras.layers.Attention(dtype=dtype)  # scores q . k, no scale
    ctx, w = layer(
        [q.astype(dtype), v.astype(dtype), k.astype(dtype)],
        mask=[None, mask],
        return_attention_scores=True,
    )
    ours, our_w, _ = dot_attention(q, k, v, mask, scale=1.0)
    np.testing.assert_allclose(np.asarray(ctx), ours, rtol=0, atol=tol)
    np.testing.assert_allclose(np.asarray(w), our_w, rtol=0, atol=tol)


@pytest.mark.parametrize("dtype, tol", [("float64", 1e-12), ("float32", 1e-6)])
def test_keras_additive_attention_agrees(keras, dtype, tol):
    q, k, v, _ = _qkv(d=4, dv=4)
    mask = _mask()
    layer = keras.layers.AdditiveAttention(dtype=dtype)
    ctx, w = layer(
        [q.astype(dtype), v.astype(dtype), k.astype(dtype)],
        mask=[None, mask],
        return_attention_scores=True,
    )
    # Keras: score = sum(scale * tanh(q + k)): W_q = W_k = I, w = scale
    (scale,) = layer.get_weights()
    params = AdditiveAttentionParams(np.eye(4), np.eye(4), scale.astype(float))
    ours, our_w, _ = additive_attention(q, k, v, params, mask)
    np.testing.assert_allclose(np.asarray(ctx), ours, rtol=0, atol=tol)
    np.testing.assert_allclose(np.asarray(w), our_w, rtol=0, atol=tol)


@pytest.mark.parametrize("dtype, tol", [("float64", 1e-12), ("float32", 1e-6)])
def test_torch_sdpa_agrees(torch, dtype, tol):
    q, k, v, _ = _qkv()
    mask = np.broadcast_to(_mask()[:, None], (2, 3, 5))
    t = getattr(torch, dtype)
    ctx = torch.nn.functional.scaled_dot_product_attention(
        *(torch.from_numpy(a).to(t) for a in (q, k, v)),
        attn_mask=torch.from_numpy(mask.copy()),
    )
    ours = dot_attention(q, k, v, _mask())[0]
    np.testing.assert_allclose(ctx.numpy(), ours, rtol=0, atol=tol)


def test_torch_sdpa_gradients_agree(torch):
    q, k, v, rng = _qkv()
    G = rng.standard_normal((2, 3, 3))
    tq, tk, tv = (torch.tensor(a, requires_grad=True) for a in (q, k, v))
    ctx = torch.nn.functional.scaled_dot_product_attention(tq, tk, tv)
    (ctx * torch.from_numpy(G)).sum().backward()
    _, _, cache = dot_attention(q, k, v)
    for ours, theirs in zip(dot_attention_backward(G, cache), (tq, tk, tv)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), atol=1e-12)


def test_one_head_multihead_attention_agrees(torch, nn):
    E, N, Tq, Tk = 4, 2, 3, 5
    rng = np.random.default_rng(1)
    mha = nn.MultiheadAttention(E, 1, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_bias.copy_(torch.from_numpy(rng.standard_normal(3 * E)))
        mha.out_proj.bias.copy_(torch.from_numpy(rng.standard_normal(E)))
    q, k, v = (rng.standard_normal((N, T, E)) for T in (Tq, Tk, Tk))
    out, w = mha(
        *(torch.from_numpy(a) for a in (q, k, v)),
        key_padding_mask=torch.from_numpy(~_mask()),  # True = ignore
    )
    W = mha.in_proj_weight.detach().numpy()  # (3E, E): rows [q | k | v]
    b = mha.in_proj_bias.detach().numpy()
    W_q, W_k, W_v = (W[i * E : (i + 1) * E].T for i in range(3))  # (E, E)
    b_q, b_k, b_v = (b[i * E : (i + 1) * E] for i in range(3))
    ctx, our_w, _ = dot_attention(
        q @ W_q + b_q, k @ W_k + b_k, v @ W_v + b_v, _mask()
    )
    W_o = mha.out_proj.weight.detach().numpy().T
    ours = ctx @ W_o + mha.out_proj.bias.detach().numpy()
    np.testing.assert_allclose(out.detach().numpy(), ours, rtol=0, atol=1e-12)
    np.testing.assert_allclose(w.detach().numpy(), our_w, rtol=0, atol=1e-12)
