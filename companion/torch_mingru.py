"""minGRU as a PyTorch module, for training and for autograd checks.

The same equations as ``companion.mingru`` (blocks [z | g] of one Linear(D, 2H)
layer, whose weight (2H, D) is the book's W_x transposed):

    z_t = sigma(x_t W_z + b_z),  g_t = x_t W_g + b_g,
    h_t = (1 - z_t) * h_{t-1} + z_t * g_t

Importing this module imports torch.
"""

from __future__ import annotations

import torch
from torch import nn

from .validate import float_tensor, instance_of, positive_int


def linear_scan_torch(a, b, h0):
    """h_t = a_t h_{t-1} + b_t by a loop over t. a, b (N, T, H); h0 (N, H).
    Returns hs (N, T, H); differentiable by autograd."""
    hs, h = [], h0
    for t in range(a.shape[1]):
        h = a[:, t] * h + b[:, t]
        hs.append(h)
    return torch.stack(hs, dim=1)


def min_gru_torch(x, W_x, b, h0=None):
    """minGRU over x (N, T, D) with W_x (D, 2H), b (2H,), h0 (N, H) or None,
    all tensors; returns hs (N, T, H)."""
    x = float_tensor("x", x, ("N", "T", "D"))
    H = W_x.shape[1] // 2
    z, g = (x @ W_x + b).split(H, dim=-1)
    z = torch.sigmoid(z)
    h0 = x.new_zeros(x.shape[0], H) if h0 is None else h0
    return linear_scan_torch(1 - z, z * g, h0)


class MinGRU(nn.Module):
    """A minGRU layer with nn.GRU's interface (batch_first=True):
    forward(x (N, T, D), h0 (1, N, H) or None) -> (hs (N, T, H), h_n (1, N, H)).
    Its Linear layer starts from PyTorch's default initialisation."""

    def __init__(self, input_size, hidden_size, batch_first=True):
        super().__init__()
        if batch_first is not True:
            raise ValueError(
                "batch_first must be True (the book is batch first)"
            )
        D, H = (
            positive_int("input_size", input_size),
            positive_int("hidden_size", hidden_size),
        )
        self.hidden_size = H
        self.linear = nn.Linear(D, 2 * H)

    def forward(self, x, h0=None):
        h0 = None if h0 is None else h0[0]
        hs = min_gru_torch(x, self.linear.weight.T, self.linear.bias, h0)
        return hs, hs[:, -1].unsqueeze(0)

    @classmethod
    def from_params(cls, params):
        """A module holding the book's MinGRUParams (W_x (D, 2H), b (2H,))."""
        from .mingru import MinGRUParams

        p = instance_of("params", params, MinGRUParams)
        module = cls(p.D, p.H).to(torch.float64)
        with torch.no_grad():
            module.linear.weight.copy_(torch.from_numpy(p.W_x.T.copy()))
            module.linear.bias.copy_(torch.from_numpy(p.b.copy()))
        return module
