"""The LSTM and GRU cells in the book's row-vector layout, as nn.Modules.

* ``RowVectorLSTMCell``: an LSTM cell holding the book's W_x (D, 4H),
  W_h (H, 4H) and b (4H,), computing the notation page's equations.
* ``RowVectorGRUCell``: a GRU cell holding the book's W_x (D, 3H), W_h (H, 3H),
  b (3H,) and, for the reset-after variant, b_hg (H,) (companion.gru).

This module imports torch; ``import companion`` does not import it.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..gru import GRUParams
from ..lstm import LSTMParams
from ..validate import boolean, float_tensor, instance_of
from .rnn import _sizes


class RowVectorLSTMCell(nn.Module):
    """An LSTM cell in the book's layout: z = x_t W_x + h_prev W_h + b.

    Parameters W_x (D, 4H), W_h (H, 4H), b (4H,): one bias, as in Keras, so
    4(H(D + H) + H) parameters. forward(x_t (N, D), state=None or (h_prev,
    c_prev), each (N, H)) -> (h_t, c_t), the calling convention of nn.LSTMCell.
    """

    def __init__(self, input_size, hidden_size):
        super().__init__()
        D, H = _sizes(self, input_size, hidden_size)
        s = 1.0 / np.sqrt(H)  # PyTorch's own initial range
        self.W_x = nn.Parameter(torch.empty(D, 4 * H).uniform_(-s, s))
        self.W_h = nn.Parameter(torch.empty(H, 4 * H).uniform_(-s, s))
        self.b = nn.Parameter(torch.empty(4 * H).uniform_(-s, s))

    @classmethod
    def from_params(cls, params):
        """A cell holding a copy of ``params`` (LSTMParams), in their dtype."""
        instance_of("params", params, LSTMParams)
        cell = cls(params.D, params.H).to(torch.from_numpy(params.W_x).dtype)
        with torch.no_grad():
            for name, value in params.as_dict().items():
                getattr(cell, name).copy_(torch.as_tensor(value))
        return cell

    def to_params(self):
        """The cell's weights as LSTMParams (NumPy copies, cell's dtype)."""
        return LSTMParams(
            *(
                p.detach().cpu().numpy().copy()
                for p in (self.W_x, self.W_h, self.b)
            )
        )

    def forward(self, x_t, state=None):
        H = self.hidden_size
        float_tensor("x_t", x_t, ("N", ("D", self.input_size)))
        N = x_t.shape[0]
        if state is None:
            h_prev = c_prev = x_t.new_zeros(N, H)
        else:
            if not isinstance(state, (tuple, list)) or len(state) != 2:
                raise ValueError(
                    "state must be None or a pair (h_prev, c_prev), "
                    "each of shape (N, H)"
                )
            h_prev, c_prev = state
            float_tensor("h_prev", h_prev, (("N", N), ("H", H)))
            float_tensor("c_prev", c_prev, (("N", N), ("H", H)))
        z = x_t @ self.W_x + h_prev @ self.W_h + self.b  # (N, 4H)
        i, f, g, o = z.split(
            H, dim=1
        )  # four (N, H) blocks, in the order i, f, g, o
        c_t = torch.sigmoid(f) * c_prev + torch.sigmoid(i) * torch.tanh(g)
        h_t = torch.sigmoid(o) * torch.tanh(c_t)
        return h_t, c_t


class RowVectorGRUCell(nn.Module):
    """A GRU cell in the book's layout: a = x_t W_x + b, blocks r, z, g (companion.gru).

    Parameters W_x (D, 3H), W_h (H, 3H), b (3H,) and, with reset_after=True
    (nn.GRUCell's variant), b_hg (H,): 3(H(D + H) + H) + H parameters;
    without b_hg (reset before the product) 3(H(D + H) + H).
    forward(x_t (N, D), h_prev=None or (N, H)) -> h_t (N, H), the calling
    convention of nn.GRUCell.
    """

    def __init__(self, input_size, hidden_size, reset_after=True):
        super().__init__()
        D, H = _sizes(self, input_size, hidden_size)
        self.reset_after = boolean("reset_after", reset_after)
        s = 1.0 / np.sqrt(H)  # PyTorch's own initial range
        self.W_x = nn.Parameter(torch.empty(D, 3 * H).uniform_(-s, s))
        self.W_h = nn.Parameter(torch.empty(H, 3 * H).uniform_(-s, s))
        self.b = nn.Parameter(torch.empty(3 * H).uniform_(-s, s))
        self.b_hg = (
            nn.Parameter(torch.empty(H).uniform_(-s, s))
            if self.reset_after
            else None
        )

    @classmethod
    def from_params(cls, params):
        """A cell holding a copy of ``params`` (GRUParams, either variant), in their dtype."""
        instance_of("params", params, GRUParams)
        cell = cls(params.D, params.H, reset_after=params.reset_after)
        cell = cell.to(torch.from_numpy(params.W_x).dtype)
        with torch.no_grad():
            for name, value in params.as_dict().items():
                getattr(cell, name).copy_(torch.as_tensor(value))
        return cell

    def to_params(self):
        """The cell's weights as GRUParams of its variant (NumPy copies, in the cell's dtype)."""
        tensors = (self.W_x, self.W_h, self.b) + (
            (self.b_hg,) if self.reset_after else ()
        )
        return GRUParams(*(p.detach().cpu().numpy().copy() for p in tensors))

    # shown in: gru
    def forward(self, x_t, h_prev=None):
        H = self.hidden_size
        float_tensor("x_t", x_t, ("N", ("D", self.input_size)))
        if h_prev is None:
            h_prev = x_t.new_zeros(x_t.shape[0], H)
        float_tensor("h_prev", h_prev, (("N", x_t.shape[0]), ("H", H)))
        a = x_t @ self.W_x + self.b  # (N, 3H), blocks r, z, g
        rz = torch.sigmoid(a[:, : 2 * H] + h_prev @ self.W_h[:, : 2 * H])
        r, z = rz.split(H, dim=1)  # (N, H) each
        W_hg = self.W_h[:, 2 * H :]  # (H, H)
        if self.reset_after:
            g = torch.tanh(a[:, 2 * H :] + r * (h_prev @ W_hg + self.b_hg))
        else:
            g = torch.tanh(a[:, 2 * H :] + (r * h_prev) @ W_hg)
        return z * h_prev + (1 - z) * g
