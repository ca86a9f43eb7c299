"""The encoder-decoder of companion.seq2seq in PyTorch, for training.

Same equations and parameter layout: nn.GRU encoder, nn.GRUCell decoder,
additive attention with W_q, W_k, w as parameters, an nn.Linear output.
``TorchSeq2Seq.from_numpy`` / ``to_numpy`` copy the weights both ways, and
``train_seq2seq`` is the deterministic training loop of
tools/train_seq2seq.py (and of its reproducibility test). Imports torch.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .attention import AdditiveAttentionParams
from .convert import from_torch, to_torch
from .dates import encode_batch, make_examples, source_vocab, target_vocab
from .seq2seq import Seq2SeqParams


def _one_bias(bias_hh, H, dtype):
    """Mask bias_hh's gradient but for the candidate's b_hg: one bias per
    block, as in the book (PyTorch adds bias_ih and bias_hh)."""
    keep = torch.zeros(3 * H, dtype=dtype)
    keep[2 * H :] = 1
    bias_hh.register_hook(lambda g: g * keep)


class TorchSeq2Seq(nn.Module):
    """logits (N, Ty, V_out) and attention weights (N, Ty, Ts), teacher forced."""

    def __init__(self, V_in, V_out, H, A, attention=True, dtype=torch.float32):
        super().__init__()
        self.V_in, self.V_out, self.H = V_in, V_out, H
        self.enc = nn.GRU(V_in, H, batch_first=True, dtype=dtype)
        self.dec = nn.GRUCell(V_out + H, H, dtype=dtype)
        _one_bias(self.enc.bias_hh_l0, H, dtype)
        _one_bias(self.dec.bias_hh, H, dtype)
        self.attention = attention
        if attention:
            self.W_q = nn.Parameter(torch.zeros(H, A, dtype=dtype))
            self.W_k = nn.Parameter(torch.zeros(H, A, dtype=dtype))
            self.w = nn.Parameter(torch.zeros(A, dtype=dtype))
        self.out = nn.Linear(2 * H, V_out, dtype=dtype)

    def encode(self, src, src_len):
        x = nn.functional.one_hot(src, self.V_in).to(self.out.weight.dtype)
        hs, _ = self.enc(x)  # (N, Ts, H)
        h_T = hs[torch.arange(len(src)), src_len - 1]
        mask = torch.arange(src.shape[1])[None, :] < src_len[:, None]
        return hs, h_T, mask

    def forward(self, src, src_len, tgt_in):
        hs, h_T, mask = self.encode(src, src_len)
        keys = hs @ self.W_k if self.attention else None  # (N, Ts, A)
        s, logits, weights = h_T, [], []
        for t in range(tgt_in.shape[1]):
            if self.attention:
                u = torch.tanh((s @ self.W_q)[:, None] + keys)  # (N, Ts, A)
                scores = (u @ self.w).masked_fill(~mask, -torch.inf)
                a = torch.softmax(scores, dim=1)  # (N, Ts)
                c = (a[:, :, None] * hs).sum(dim=1)
            else:
                a, c = torch.zeros(mask.shape, dtype=hs.dtype), h_T
            y = nn.functional.one_hot(tgt_in[:, t], self.V_out).to(hs.dtype)
            s = self.dec(torch.cat([y, c], dim=1), s)
            logits.append(self.out(torch.cat([s, c], dim=1)))
            weights.append(a)
        return torch.stack(logits, 1), torch.stack(weights, 1)

    @classmethod
    def from_numpy(cls, params: Seq2SeqParams, dtype=torch.float64):
        V_in, V_out, H = params.sizes
        A = params.attn.w.shape[0] if params.attn is not None else 1
        m = cls(V_in, V_out, H, A, params.attn is not None, dtype=dtype)
        to_torch(params.enc, m.enc)
        to_torch(params.dec, m.dec)
        with torch.no_grad():
            if params.attn is not None:
                for name in ("W_q", "W_k", "w"):
                    getattr(m, name).copy_(
                        torch.from_numpy(getattr(params.attn, name))
                    )
            m.out.weight.copy_(torch.from_numpy(params.W_o.T))  # (V_out, 2H)
            m.out.bias.copy_(torch.from_numpy(params.b_o))
        return m

    def to_numpy(self) -> Seq2SeqParams:
        def arr(t):
            return t.detach().numpy().copy()

        attn = None
        if self.attention:
            attn = AdditiveAttentionParams(
                arr(self.W_q), arr(self.W_k), arr(self.w)
            )
        return Seq2SeqParams(
            from_torch(self.enc),
            from_torch(self.dec),
            attn,
            arr(self.out.weight).T,
            arr(self.out.bias),
        )


# shown in: seq2seq
def masked_loss(logits, targets, lengths):
    """Sum of the token losses over real tokens / number of real tokens."""
    T = targets.shape[1]
    mask = torch.arange(T)[None, :] < lengths[:, None]  # (N, T)
    nll = nn.functional.cross_entropy(
        logits.transpose(1, 2), targets, reduction="none"
    )  # (N, T)
    return (nll * mask).sum() / mask.sum()


SETTINGS = {
    "H": 64,
    "A": 32,
    "n_train": 20000,
    "n_test": 500,
    "batch_size": 64,
    "steps": 1200,
    "lr": 3e-3,
    "clip": 1.0,
}


def date_data(n_train, n_test, seed=0):
    """(vocabularies, training examples, test examples): seed for the data."""
    vocabs = (source_vocab(), target_vocab())
    train = make_examples(n_train, seed)
    test = make_examples(n_test, seed + 1, test=True)
    return vocabs, train, test


def train_seq2seq(
    seed, attention, train, vocabs, steps, settings=SETTINGS, log=None
):
    """(NumPy params, losses): a float32 model trained for ``steps`` Adam
    steps on seeded mini-batches (seed: initial weights and batch order)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    src_vocab, tgt_vocab = vocabs
    H, A = settings["H"], settings["A"]
    params = Seq2SeqParams.random(
        src_vocab.size, tgt_vocab.size, H, A, rng, attention
    )
    model = TorchSeq2Seq.from_numpy(params, dtype=torch.float32)
    opt = torch.optim.Adam(model.parameters(), lr=settings["lr"])
    losses = []
    for step in range(steps):
        idx = rng.integers(0, len(train), settings["batch_size"])
        src, src_len, tgt_in, tgt_out = (
            torch.from_numpy(a)
            for a in encode_batch(
                [train[i] for i in idx], src_vocab, tgt_vocab
            )
        )
        logits, _ = model(src, src_len, tgt_in)
        lengths = torch.full((len(idx),), tgt_out.shape[1])
        loss = masked_loss(logits, tgt_out, lengths)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), settings["clip"])
        opt.step()
        losses.append(loss.item())
        if log and (step + 1) % 250 == 0:
            log(f"step {step + 1}: loss {np.mean(losses[-250:]):.4f}")
    return model.to_numpy(), losses


__all__ = ["TorchSeq2Seq", "date_data", "masked_loss", "train_seq2seq"]
