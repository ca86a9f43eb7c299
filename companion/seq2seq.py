"""An encoder-decoder with GRUs and (optionally) additive attention, in NumPy.

Sources and targets are id sequences; the model reads one-hot rows:

    hs, h_T  = GRU_enc(onehot(src))              hs (N, Ts, H), h_T at each length
    s_0      = h_T
    c_t      = attention(s_{t-1}, hs, hs, mask)  (N, H)   (without attention: h_T)
    s_t      = GRU_dec([onehot(y_{t-1}), c_t], s_{t-1})
    z_t      = [s_t, c_t] W_o + b_o              logits (N, V_out)

Teacher forcing: in training y_{t-1} is the true previous token. The PyTorch
twin used for training (companion.torch_seq2seq) computes the same numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .attention import AdditiveAttentionParams, additive_attention
from .gru import GRUParams, gru_forward, gru_step


class Seq2SeqParams(NamedTuple):
    """enc: GRU (V_in -> H); dec: GRU (V_out + H -> H); attn: additive
    attention (H, H, A) or None; W_o (2H, V_out), b_o (V_out,)."""

    enc: GRUParams
    dec: GRUParams
    attn: AdditiveAttentionParams | None
    W_o: np.ndarray
    b_o: np.ndarray

    @property
    def sizes(self):
        """(V_in, V_out, H)."""
        return self.enc.D, self.W_o.shape[1], self.enc.H

    @classmethod
    def random(cls, V_in, V_out, H, A, rng, attention=True):
        """Seeded PyTorch-style uniform initialisation."""
        s = 1 / np.sqrt(2 * H)
        return cls(
            GRUParams.random(V_in, H, rng),
            GRUParams.random(V_out + H, H, rng),
            AdditiveAttentionParams.random(H, H, A, rng)
            if attention
            else None,
            rng.uniform(-s, s, (2 * H, V_out)),
            rng.uniform(-s, s, V_out),
        )


def check_batch(params, src, src_len, tgt_in=None):
    """Validated (src, src_len, tgt_in): ids in range, lengths in [1, Ts]."""
    V_in, V_out, _ = params.sizes
    src, src_len = np.asarray(src), np.asarray(src_len)
    if src.ndim != 2 or not np.issubdtype(src.dtype, np.integer):
        raise ValueError(
            f"src must be integer ids of shape (N, Ts); got {src.shape}"
        )
    N, Ts = src.shape
    if src.min() < 0 or src.max() >= V_in:
        raise ValueError(f"src must hold ids in [0, V_in={V_in})")
    if src_len.shape != (N,) or src_len.min() < 1 or src_len.max() > Ts:
        raise ValueError(
            f"src_len must have shape (N={N},) with lengths in [1, Ts={Ts}]; "
            f"got {src_len.shape}"
        )
    if tgt_in is not None:
        tgt_in = np.asarray(tgt_in)
        if tgt_in.ndim != 2 or len(tgt_in) != N:
            raise ValueError(
                f"tgt_in must have shape (N={N}, Ty); got {tgt_in.shape}"
            )
        if tgt_in.min() < 0 or tgt_in.max() >= V_out:
            raise ValueError(f"tgt_in must hold ids in [0, V_out={V_out})")
    return src, src_len, tgt_in


def source_mask(src_len, Ts):
    """(N, Ts) bool: True on the real characters, False on padding."""
    return np.arange(Ts)[None, :] < np.asarray(src_len)[:, None]


# shown in: seq2seq
def encode(params, src, src_len):
    """(hs (N, Ts, H), h_T (N, H), mask (N, Ts)): h_T is each row's
    state after its last real character (the padding after it is not read)."""
    x = np.eye(params.enc.D)[src]  # (N, Ts) ids -> (N, Ts, V_in)
    hs, _, _ = gru_forward(x, params.enc)
    h_T = hs[np.arange(len(src)), np.asarray(src_len) - 1]
    return hs, h_T, source_mask(src_len, src.shape[1])


def _context(params, s_prev, hs, h_T, mask):
    """(c (N, H), weights (N, Ts)) for one decoder step."""
    if params.attn is None:
        return h_T, np.zeros(mask.shape)
    c, a, _ = additive_attention(
        s_prev[:, None], hs, hs, params.attn, mask[:, None]
    )
    return c[:, 0], a[:, 0]


def decode_step(params, y_prev, s_prev, hs, h_T, mask):
    """(logits (N, V_out), s_t (N, H), weights (N, Ts)) of one step."""
    c, a = _context(params, s_prev, hs, h_T, mask)
    y = np.eye(params.W_o.shape[1])[y_prev]  # (N,) ids -> (N, V_out)
    s, _ = gru_step(np.concatenate([y, c], axis=1), s_prev, params.dec)
    logits = np.concatenate([s, c], axis=1) @ params.W_o + params.b_o
    return logits, s, a


def seq2seq_forward(params, src, src_len, tgt_in):
    """(logits (N, Ty, V_out), weights (N, Ty, Ts)) with teacher forcing."""
    src, src_len, tgt_in = check_batch(params, src, src_len, tgt_in)
    hs, h_T, mask = encode(params, src, src_len)
    s, logits, weights = h_T, [], []
    for t in range(tgt_in.shape[1]):
        z, s, a = decode_step(params, tgt_in[:, t], s, hs, h_T, mask)
        logits.append(z)
        weights.append(a)
    return np.stack(logits, axis=1), np.stack(weights, axis=1)


def log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def masked_cross_entropy(logits, targets, lengths):
    """Sum of -log p over the real tokens, divided by their number.
    logits (N, T, V), targets (N, T) ids, lengths (N,): row n's first
    lengths[n] targets are real, the rest padding."""
    T = logits.shape[1]
    mask = np.arange(T)[None, :] < np.asarray(lengths)[:, None]  # (N, T)
    nll = -np.take_along_axis(log_softmax(logits), targets[..., None], -1)
    return (nll[..., 0] * mask).sum() / mask.sum()


def step_fn(params, src, src_len):
    """(step, state) for companion.beam: state (s, hs, h_T, mask) of one
    source, rows reordered by the search; step returns log-probabilities."""
    src, src_len, _ = check_batch(params, src, src_len)
    hs, h_T, mask = encode(params, src, src_len)

    def step(tokens, state):
        s, hs, h_T, mask = state
        logits, s, _ = decode_step(params, tokens, s, hs, h_T, mask)
        return log_softmax(logits), (s, hs, h_T, mask)

    return step, (h_T, hs, h_T, mask)


def greedy_decode(params, src, src_len, steps, bos):
    """(ids (N, steps), weights (N, steps, Ts)): the arg-max token fed back."""
    src, src_len, _ = check_batch(params, src, src_len)
    hs, h_T, mask = encode(params, src, src_len)
    s, y, out, weights = h_T, np.full(len(src), bos), [], []
    for _ in range(steps):
        z, s, a = decode_step(params, y, s, hs, h_T, mask)
        y = z.argmax(axis=1)
        out.append(y)
        weights.append(a)
    return np.stack(out, axis=1), np.stack(weights, axis=1)


def save_seq2seq(path, params, **meta):
    """Write the parameters (and metadata) to an .npz file."""
    arrays = {
        f"enc_{k}": v for k, v in params.enc.as_dict().items() if v is not None
    }
    arrays |= {
        f"dec_{k}": v for k, v in params.dec.as_dict().items() if v is not None
    }
    if params.attn is not None:
        arrays |= {f"attn_{k}": v for k, v in params.attn._asdict().items()}
    meta_arrays = {f"meta_{k}": np.asarray(v) for k, v in meta.items()}
    np.savez_compressed(
        path, W_o=params.W_o, b_o=params.b_o, **arrays, **meta_arrays
    )


def load_seq2seq(path, dtype=np.float64):
    """(params, meta) from save_seq2seq's file, cast to dtype."""
    with np.load(path) as f:
        d = {k: f[k] for k in f.files}
    cast = {
        k: v.astype(dtype) for k, v in d.items() if not k.startswith("meta_")
    }

    def gru(prefix):
        return GRUParams(
            **{
                k[len(prefix) :]: v
                for k, v in cast.items()
                if k.startswith(prefix)
            }
        )

    attn = None
    if "attn_w" in cast:
        attn = AdditiveAttentionParams(
            cast["attn_W_q"], cast["attn_W_k"], cast["attn_w"]
        )
    params = Seq2SeqParams(
        gru("enc_"), gru("dec_"), attn, cast["W_o"], cast["b_o"]
    )
    meta = {
        k[5:]: v.item() if v.ndim == 0 else v
        for k, v in d.items()
        if k.startswith("meta_")
    }
    return params, meta


def date_accuracy(params, examples, vocabs, beam_width=None):
    """(predictions, exact-match share, per-character share) on examples:
    greedy decoding (beam_width None) or beam search of that width."""
    from .beam import beam_search
    from .dates import BOS, EOS, encode_batch

    src_vocab, tgt_vocab = vocabs
    src, src_len, _, tgt_out = encode_batch(examples, src_vocab, tgt_vocab)
    steps = tgt_out.shape[1]
    if beam_width is None:
        ids, _ = greedy_decode(params, src, src_len, steps, BOS)
    else:
        ids = np.full(tgt_out.shape, EOS)
        for n in range(len(src)):
            step, state = step_fn(params, src[n : n + 1], src_len[n : n + 1])
            best, _ = beam_search(step, state, BOS, EOS, beam_width, steps)[0]
            ids[n, : len(best)] = best
    preds = [tgt_vocab.decode(row) for row in ids]
    exact = np.mean([p == e.target for p, e in zip(preds, examples)])
    chars = np.mean(
        [
            a == b
            for p, e in zip(preds, examples)
            for a, b in zip(p.ljust(10), e.target)
        ]
    )
    return preds, float(exact), float(chars)
