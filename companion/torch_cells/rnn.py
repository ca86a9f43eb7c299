"""The README's RNN cell, and the loop over time that every torch cell runs in.

* ``LinearRNNCell``: the Korean PyTorch README's ``RNN_Cell``, built from two
  ``nn.Linear`` layers: h_t = tanh(x_t U + h_{t-1} W + b_U + b_W);
  ``from_params`` / ``to_params`` move RNNParams in and out.
* ``run_cell_over_time``: any of the book's cells, or nn.RNNCell / nn.LSTMCell /
  nn.GRUCell, stepped over a batch-first sequence, the states stacked to (N, T, H).

This module imports torch; ``import companion`` does not import it.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..rnn import RNNParams
from ..validate import float_tensor, instance_of, positive_int


def _sizes(module, input_size, hidden_size):
    """Checked (D, H), kept as module.input_size and module.hidden_size."""
    D = positive_int("input_size", input_size)
    H = positive_int("hidden_size", hidden_size)
    module.input_size, module.hidden_size = D, H
    return D, H


class LinearRNNCell(nn.Module):
    """One RNN step from two Linear layers: h_t = tanh(U(x_t) + W(h_prev)).

    U = Linear(D, H) and W = Linear(H, H) each carry a bias, so the cell has
    H*D + H*H + 2H parameters, PyTorch's count for nn.RNNCell(D, H).
    forward(x_t (N, D), h_prev (N, H) or None for zeros) -> h_t (N, H)
    In the book's terms W_xh = U.weight.T, W_hh = W.weight.T,
    b_h = U.bias + W.bias (``to_params`` / ``from_params``).
    """

    def __init__(self, input_size, hidden_size):
        super().__init__()
        D, H = _sizes(self, input_size, hidden_size)
        self.U = nn.Linear(D, H)  # x_t U^T + b_U: weight (H, D), bias (H,)
        self.W = nn.Linear(H, H)  # h_prev W^T + b_W: weight (H, H), bias (H,)

    @classmethod
    def from_params(cls, params):
        """A cell computing the same function as ``params`` (RNNParams).

        U.weight = W_xh.T, U.bias = b_h, W.weight = W_hh.T, W.bias = 0;
        the cell takes the dtype of the parameters.
        """
        instance_of("params", params, RNNParams)
        cell = cls(params.D, params.H).to(torch.from_numpy(params.W_xh).dtype)
        with torch.no_grad():
            cell.U.weight.copy_(
                torch.from_numpy(params.W_xh.T)
            )  # (D, H) -> (H, D)
            cell.U.bias.copy_(
                torch.from_numpy(params.b_h)
            )  # the whole bias here ...
            cell.W.weight.copy_(
                torch.from_numpy(params.W_hh.T)
            )  # (H, H), transposed
            cell.W.bias.zero_()  # ... and none here
        return cell

    def to_params(self):
        """The cell's weights as RNNParams.

        W_xh = U.weight.T, W_hh = W.weight.T, b_h = U.bias + W.bias.
        """

        def numpy(t):
            return t.detach().cpu().numpy().copy()

        return RNNParams(
            W_xh=numpy(self.U.weight).T,  # (H, D) -> (D, H)
            W_hh=numpy(self.W.weight).T,  # (H, H), transposed
            b_h=numpy(self.U.bias + self.W.bias),  # the two biases, summed
        )

    def forward(self, x_t, h_prev=None):
        float_tensor("x_t", x_t, ("N", ("D", self.input_size)))
        if h_prev is None:
            h_prev = x_t.new_zeros(x_t.shape[0], self.hidden_size)
        float_tensor(
            "h_prev", h_prev, (("N", x_t.shape[0]), ("H", self.hidden_size))
        )
        return torch.tanh(self.U(x_t) + self.W(h_prev))


def run_cell_over_time(cell, x, state=None):
    """Step a cell over a batch-first sequence and stack its hidden states.

    cell:  a module called as cell(x_t, state) -> h_t, or -> (h_t, c_t) for
           LSTM cells: nn.RNNCell, nn.LSTMCell, nn.GRUCell, LinearRNNCell,
           RowVectorLSTMCell, RowVectorGRUCell
    x:     (N, T, D) tensor or NumPy array (converted without a copy; its
           dtype must match the cell's)
    state: the initial state as the cell takes it (h_0, or (h_0, c_0)), or
           None for zeros
    returns (hs, state): hs (N, T, H) tensor of every h_t; state the last
    one as the cell returned it (h_T, or (h_T, c_T)). Runs under
    torch.no_grad().
    """
    if not callable(cell):
        raise ValueError(
            f"cell must be a torch cell module; got {type(cell).__name__}"
        )
    x = torch.from_numpy(x) if isinstance(x, np.ndarray) else x
    float_tensor("x", x, ("N", "T", "D"))
    hs = []
    with torch.no_grad():
        for t in range(x.shape[1]):
            state = cell(x[:, t, :], state)  # h_t, or (h_t, c_t): (N, H) each
            hs.append(state[0] if isinstance(state, tuple) else state)
    return torch.stack(hs, dim=1), state  # (N, T, H)
