"""The README's time-series model and its training loop.

* ``StackedRNNRegressor``: the README's model: stacked LinearRNNCells over a
  univariate series, then Linear - Dropout - Linear - Dropout - Linear(H, 1).
* ``train_regressor`` / ``predict``: mini-batch Adam on mean squared error.

This module imports torch; ``import companion`` does not import it.
"""

from __future__ import annotations

import sys

import torch
from torch import nn

from ..validate import (
    float_tensor,
    positive_int,
    positive_number,
    probability,
)
from ..validate import seed as check_seed
from .rnn import LinearRNNCell, _sizes


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
