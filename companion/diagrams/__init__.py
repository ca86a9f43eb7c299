"""Every schematic drawing of the book, drawn with matplotlib (data plots,
which draw numbers the book computed, are in companion.plots).

    draw_unrolled_rnn(T)             the loop of an RNN, folded and unrolled
    draw_rnn_cell()                  inside one vanilla RNN step
    draw_lstm_cell(highlight=None)   inside one LSTM step, one part highlighted
    draw_stacked_rnn(num_layers, T)  a stack of recurrent layers
    draw_bidirectional_rnn(T)        the two directions of a layer, joined

Cells are drawn in ``cells.py``, layers in ``layers.py``; import them from
here. Importing this package does not import matplotlib.
"""

from .cells import LSTM_PARTS, draw_lstm_cell, draw_rnn_cell, draw_unrolled_rnn
from .layers import draw_bidirectional_rnn, draw_stacked_rnn

__all__ = [
    "LSTM_PARTS",
    "draw_bidirectional_rnn",
    "draw_lstm_cell",
    "draw_rnn_cell",
    "draw_stacked_rnn",
    "draw_unrolled_rnn",
]
