"""PyTorch cells by hand, a loop over time for any cell, a training loop.

* ``LinearRNNCell``: the Korean PyTorch README's ``RNN_Cell``, built from two
  ``nn.Linear`` layers: h_t = tanh(x_t U + h_{t-1} W + b_U + b_W);
  ``from_params`` / ``to_params`` move RNNParams in and out.
* ``StackedRNNRegressor``: the README's model: stacked cells of that kind over
  a
  univariate series, then Linear - Dropout - Linear - Dropout - Linear(H, 1).
* ``RowVectorLSTMCell``: an LSTM cell holding the book's W_x (D, 4H),
  W_h (H, 4H) and b (4H,), computing the notation page's equations.
* ``RowVectorGRUCell``: a GRU cell holding the book's W_x (D, 3H), W_h (H, 3H),
  b (3H,) and, for the reset-after variant, b_hg (H,) (companion.gru).
* ``run_cell_over_time``: any of these cells, or nn.RNNCell / nn.LSTMCell / nn.GRUCell,
  stepped over a batch-first sequence, the states stacked to (N, T, H).
* ``train_regressor`` / ``predict``: mini-batch Adam on mean squared error.

This module imports torch; ``import companion`` does not import it.
"""

from __future__ import annotations

import sys

import numpy as np
import torch
from torch import nn

from .gru import GRUParams
from .lstm import LSTMParams
from .rnn import RNNParams
from .validate import (
    boolean,
    float_tensor,
    instance_of,
    positive_int,
    positive_number,
    probability,
)
from .validate import seed as check_seed


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


class StackedRNNRegressor(nn.Module):
    """The README's time-series model: stacked LinearRNNCells, a 3-layer head.

    input_size D (1 for a univariate series), hidden_size H, num_layers cells
    (the first D -> H, the others H -> H), then fc1 Linear(H, H), Dropout,
    fc2 Linear(H, H), Dropout, fc3 Linear(H, 1), with ReLU after fc1 and fc2.
    leftover_cell=True adds the README's unused extra cell ``rnn`` (D -> H): it
    is printed and counted but never called.
    forward(x (N, T, D)) -> (N, 1), read from the top cell's last hidden state.
    """

    def __init__(
        self,
        input_size=1,
        hidden_size=128,
        num_layers=4,
        dropout=0.25,
        leftover_cell=False,
    ):
        super().__init__()
        D, H = _sizes(self, input_size, hidden_size)
        L = positive_int("num_layers", num_layers)
        dropout = probability("dropout", dropout)
        self.num_layers = L
        if leftover_cell:
            self.rnn = LinearRNNCell(
                D, H
            )  # the README's leftover: registered, never used
        self.rnn_cells = nn.ModuleList(
            [LinearRNNCell(D if k == 0 else H, H) for k in range(L)]
        )
        self.fc1 = nn.Linear(H, H)
        self.dropout1 = nn.Dropout(dropout)
        self.fc2 = nn.Linear(H, H)
        self.dropout2 = nn.Dropout(dropout)
        self.fc3 = nn.Linear(H, 1)

    def forward(self, x):
        float_tensor("x", x, ("N", "T", ("D", self.input_size)))
        N, T, _ = x.shape
        hs = [
            x.new_zeros(N, self.hidden_size) for _ in self.rnn_cells
        ]  # one (N, H) state per layer
        for t in range(T):
            inp = x[:, t, :]  # (N, D)
            for k, cell in enumerate(self.rnn_cells):
                hs[k] = cell(inp, hs[k])  # (N, H)
                inp = hs[k]
        out = self.dropout1(torch.relu(self.fc1(hs[-1])))
        out = self.dropout2(torch.relu(self.fc2(out)))
        return self.fc3(out)  # (N, 1)


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


def _as_float_tensor(name, value, spec):
    x = torch.as_tensor(value)
    if not x.is_floating_point():
        raise ValueError(
            f"{name} must hold floating-point numbers; got dtype {x.dtype}"
        )
    return float_tensor(name, x.float(), spec)


def predict(model, X, batch_size=256):
    """The model's outputs in evaluation mode (dropout off), as a NumPy array.

    X: (N, T, D) array or tensor; returns (N, 1) float32.
    """
    X = _as_float_tensor("X", X, ("N", "T", "D"))
    batch_size = positive_int("batch_size", batch_size)
    model.eval()
    with torch.no_grad():
        out = torch.cat(
            [
                model(X[k : k + batch_size])
                for k in range(0, len(X), batch_size)
            ]
        )
    return out.numpy()


def train_regressor(
    model, X, y, epochs=10, batch_size=32, lr=1e-3, seed=0, progress=False
):
    """Train ``model`` on (X, y) with Adam and mean squared error; the losses.

    X: (N, T, D) inputs; y: (N, 1) targets (arrays or tensors, cast to
    float32). Mini-batches are shuffled by a torch.Generator seeded with
    ``seed``, so two runs from the same initial weights give the same curve.
    progress=True draws a tqdm bar on stdout, one update per epoch, showing
    only the epoch count and the rounded loss (no timings), so its text is the
    same on every run. returns a list of the mean training loss of each epoch.
    """
    from tqdm import tqdm

    X = _as_float_tensor("X", X, ("N", "T", "D"))
    y = _as_float_tensor("y", y, (("N", X.shape[0]), 1))
    epochs, batch_size = (
        positive_int("epochs", epochs),
        positive_int("batch_size", batch_size),
    )
    seed = check_seed("seed", seed)
    lr = positive_number("lr", lr)
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    bar = tqdm(
        range(epochs),
        desc="training",
        file=sys.stdout,
        disable=not progress,
        mininterval=0,
        miniters=1,
        bar_format="{desc} |{bar:20}| {n_fmt}/{total_fmt} epochs{postfix}",
        ascii=" #",
    )
    curve = []
    for _ in bar:
        model.train()
        order = torch.randperm(len(X), generator=generator)
        total = 0.0
        for k in range(0, len(X), batch_size):
            idx = order[k : k + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[idx]), y[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        curve.append(total / len(X))
        bar.set_postfix_str(f"loss {curve[-1]:.4f}", refresh=False)
    bar.close()
    return curve
