"""The character-level language model of companion.char_lm, in PyTorch.

Same equations, same parameter layout through companion.convert: one-hot
characters -> nn.RNN / nn.GRU / nn.LSTM (batch first) -> nn.Linear.
``TorchCharLM.from_numpy(model)`` copies a NumPy CharLM in, ``to_numpy()``
copies it back out. Imports torch, so ``import companion`` never loads it.
"""

from __future__ import annotations

import torch
from torch import nn

from . import cells, validate
from .char_lm import CharLM
from .convert import from_torch, to_torch
from .text import sequential_batches


class TorchCharLM(nn.Module):
    """logits (N, T, V) of the next character, from ids X (N, T).

    The gradient of bias_hh is masked to zero (but for the GRU's b_hg),
    so that its parameters are exactly those of CharLM.
    """

    def __init__(self, kind, V, H, dtype=torch.float32):
        super().__init__()
        twins = tuple(k for k, c in cells.CELLS.items() if c.torch)  # nn.*
        layer = cells.get(validate.one_of("kind", kind, twins)).torch_layer()
        self.kind, self.V = kind, validate.positive_int("V", V)
        H = validate.positive_int("H", H)
        self.cell = layer(V, H, batch_first=True, dtype=dtype)
        self.out = nn.Linear(H, V, dtype=dtype)
        # One bias per block, as in the book: PyTorch adds bias_ih and
        # bias_hh, so training both would move their sum twice as fast.
        # Only the GRU candidate's bias_hh (b_hg) is a parameter of its own.
        keep = torch.zeros(self.cell.bias_hh_l0.shape, dtype=dtype)
        if kind == "gru":
            keep[2 * H :] = 1  # blocks r, z, n: only n is b_hg
        self.cell.bias_hh_l0.register_hook(lambda g: g * keep)

    def forward(self, X, state=None):
        """X: (N, T) int64 ids; state: None, h (1, N, H) or (h, c).
        returns (logits (N, T, V), the last state)"""
        x = nn.functional.one_hot(X, self.V).to(self.out.weight.dtype)
        hs, state = self.cell(x, state)  # (N, T, H)
        return self.out(hs), state

    @classmethod
    def from_numpy(cls, model: CharLM, dtype=torch.float64):
        """A module holding the weights of a NumPy CharLM."""
        validate.instance_of("model", model, CharLM)
        module = cls(model.kind, model.cell.D, model.cell.H, dtype=dtype)
        to_torch(model.cell, module.cell)
        with torch.no_grad():
            module.out.weight.copy_(torch.from_numpy(model.W_hy.T))  # (V, H)
            module.out.bias.copy_(torch.from_numpy(model.b_y))
        return module

    def to_numpy(self) -> CharLM:
        """The weights as a NumPy CharLM (float64 arrays keep their dtype)."""
        W_hy = self.out.weight.detach().numpy().T.copy()  # (V, H) -> (H, V)
        b_y = self.out.bias.detach().numpy().copy()
        return CharLM(from_torch(self.cell), W_hy, b_y)


# shown in: language-model
def detach(state):
    """The state as a constant for the next batch (truncated BPTT)."""
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


# shown in: language-model
def train_on_budget(kind, train_ids, V, seed=0, steps=80, H=32, N=32, T=32):
    """A TorchCharLM trained for ``steps`` sequential batches; its NumPy copy.

    train_ids: (L,) int ids; V: vocabulary size. float64, Adam (lr 0.01),
    state carried and detached, gradients clipped by norm at 1.0; the
    weights are drawn after torch.manual_seed(seed).
    """
    torch.manual_seed(validate.seed("seed", seed))
    net = TorchCharLM(kind, V, H, dtype=torch.float64)
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    state = None
    for X, Y in sequential_batches(train_ids, N, T)[:steps]:
        logits, state = net(torch.from_numpy(X), state)
        state = detach(state)
        loss = nn.functional.cross_entropy(
            logits.reshape(-1, V), torch.from_numpy(Y).reshape(-1)
        )
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
    return net.to_numpy()
