"""The registry of recurrent cells: one description of each, used everywhere.

Every cell module (companion.rnn, companion.lstm, companion.gru and
companion.mingru, which holds two: minGRU and minLSTM) holds its Params,
Grads, caches and four functions; this module says, once, how code that
works for any cell (stacked layers, the character model, parameter
counting, weight conversion to PyTorch, the recall task, gradient checks,
the tests) finds them. The cells differ in their states: the LSTM carries
(h, c), so its forward returns (hs, h_T, c_T, cache) where the others return
(hs, h_T, cache); ``Cell.run`` and ``Cell.run_backward`` give every cell
one shape.

The registered cells are "rnn", "lstm", "gru", "mingru" and "minlstm". A
new cell plugs in by adding one entry to ``CELLS`` below (or calling
``register(Cell(...))``): see companion/README.md, "Adding a cell".
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

import numpy as np

from . import gru, lstm, mingru, rnn
from .validate import instance_of, one_of


@dataclass(frozen=True)
class Cell:
    """What the package knows about one kind of recurrent cell.

    name:    its name in ``cell=`` / ``kind=`` arguments, e.g. "lstm"
    params, grads: its parameter and gradient classes
    caches:  (sequence cache class, step cache class)
    states:  the names of its states, ("h",) or ("h", "c"); the forward
             takes one initial value for each and returns one final value
             for each: forward(x, params, *states0) -> (hs, *finals, cache)
    step, forward, step_backward, backward: its four functions, called as
             step(x_t, *states, params) -> (*states_t, cache),
             step_backward(dh_t, *dstates_along, cache) -> (dx_t, *dstates,
             grads) (dstates_along: one per state after the first),
             backward(dhs, cache, *dfinals) -> (dx, *dstates0, grads)
    torch:   the torch.nn layer that computes the same (nn.<torch> and
             nn.<torch>Cell), or None if there is none
    keras:   the keras.layers layer that computes the same, or None
    parts:   (label, ...) of its gate blocks (counting): each with an
             (H, D + H) weight and one bias vector per framework bias, or,
             where reads_h is False, an (H, D) weight and one bias
    reads_h: whether its blocks read h_{t-1} (True: recurrent weights);
             False for minGRU and minLSTM, whose blocks read x_t only
    torch_own: for a cell without a torch.nn twin, the book's own torch
             module as "module.Class" inside companion (e.g.
             "torch_mingru.MinGRU"), with nn.GRU's interface: built as
             Class(input_size, hidden_size, batch_first=True), called as
             forward(x) -> (hs, h_n); None if there is none
    """

    name: str
    params: type
    grads: type
    caches: tuple
    states: tuple
    step: Callable
    forward: Callable
    step_backward: Callable
    backward: Callable
    torch: str | None
    keras: str | None
    parts: tuple
    reads_h: bool = True
    torch_own: str | None = None

    def torch_layer(self) -> type:
        """The torch module class that computes this cell: nn.<torch>, else
        the ``torch_own`` class (imports torch); a ValueError if neither."""
        if self.torch:
            return getattr(import_module("torch.nn"), self.torch)
        if self.torch_own:
            module, name = self.torch_own.rsplit(".", 1)
            return getattr(import_module(f".{module}", __package__), name)
        raise ValueError(f"cell {self.name!r} has no torch module")

    def run(self, x, params, *states):
        """(hs, finals, cache): ``forward`` with the finals as one tuple."""
        hs, *finals, cache = self.forward(x, params, *states)
        return hs, tuple(finals), cache

    def run_backward(self, dhs, cache, *dfinals):
        """(dx, dstates0, grads): ``backward`` with the d-states as a tuple."""
        dx, *dstates, grads = self.backward(dhs, cache, *dfinals)
        return dx, tuple(dstates), grads

    def zero_states(self, N, H, dtype=np.float64) -> tuple:
        """One (N, H) array of zeros per state."""
        return tuple(np.zeros((N, H), dtype) for _ in self.states)


CELLS = {
    "rnn": Cell(
        "rnn",
        rnn.RNNParams,
        rnn.RNNGrads,
        (rnn.RNNCache, rnn.RNNStepCache),
        ("h",),
        rnn.rnn_step,
        rnn.rnn_forward,
        rnn.rnn_step_backward,
        rnn.rnn_backward,
        "RNN",
        "SimpleRNN",
        ("hidden state h",),
    ),
    "lstm": Cell(
        "lstm",
        lstm.LSTMParams,
        lstm.LSTMGrads,
        (lstm.LSTMCache, lstm.LSTMStepCache),
        ("h", "c"),
        lstm.lstm_step,
        lstm.lstm_forward,
        lstm.lstm_step_backward,
        lstm.lstm_backward,
        "LSTM",
        "LSTM",
        ("input gate i", "forget gate f", "candidate g", "output gate o"),
    ),
    "gru": Cell(  # either reset variant; GRUParams.random draws "after"
        "gru",
        gru.GRUParams,
        gru.GRUGrads,
        (gru.GRUCache, gru.GRUStepCache),
        ("h",),
        gru.gru_step,
        gru.gru_forward,
        gru.gru_step_backward,
        gru.gru_backward,
        "GRU",
        "GRU",
        ("reset gate r", "update gate z", "candidate g"),
    ),
    "mingru": Cell(  # forward(..., parallel=True): a scan over all t at once
        "mingru",
        mingru.MinGRUParams,
        mingru.MinGRUGrads,
        (mingru.MinCache, mingru.MinStepCache),
        ("h",),
        mingru.min_gru_step,
        mingru.min_gru_forward,
        mingru.min_gru_step_backward,
        mingru.min_gru_backward,
        None,
        None,
        ("update gate z", "candidate g"),
        reads_h=False,
        torch_own="torch_mingru.MinGRU",
    ),
    "minlstm": Cell(
        "minlstm",
        mingru.MinLSTMParams,
        mingru.MinLSTMGrads,
        (mingru.MinCache, mingru.MinStepCache),
        ("h",),
        mingru.min_lstm_step,
        mingru.min_lstm_forward,
        mingru.min_lstm_step_backward,
        mingru.min_lstm_backward,
        None,
        None,
        ("input gate i", "forget gate f", "candidate g"),
        reads_h=False,
    ),
}


def register(cell: Cell) -> Cell:
    """Add ``cell`` to CELLS (or replace the one of that name); returns it."""
    CELLS[instance_of("cell", cell, Cell).name] = cell
    return cell


def get(name: str, argument: str = "cell") -> Cell:
    """The cell called ``name``; a ValueError naming ``argument`` lists the
    known names."""
    return CELLS[one_of(argument, name, tuple(CELLS))]


def of(params) -> Cell | None:
    """The cell whose parameter class ``params`` is, or None."""
    for cell in CELLS.values():
        if type(params) is cell.params:
            return cell
    return None
