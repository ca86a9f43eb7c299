"""Moving weights between the book's layout and each framework's.

The book's layout is RNNParams / LSTMParams / GRUParams (row vectors,
gates packed side by side: i, f, g, o; r, z, g). Each framework has its own
submodule, which imports the framework only when one of its functions is
called, so
``import companion.convert`` stays NumPy-only:

* ``keras_weights``: from_keras / to_keras (SimpleRNN, LSTM, GRU layers)
* ``torch_weights``: from_torch / to_torch (nn.RNN, nn.RNNCell, nn.LSTM,
  nn.LSTMCell, nn.GRU, nn.GRUCell), stacked_from_torch / stacked_to_torch
  (num_layers, bidirectional)
* ``tf1_weights``:   from_tf1 / to_tf1 (the hand-unrolled graphs of
  companion.tf1_graph)
"""

from .keras_weights import from_keras, to_keras
from .tf1_weights import from_tf1, to_tf1
from .torch_weights import (
    from_torch,
    stacked_from_torch,
    stacked_to_torch,
    to_torch,
)

__all__ = [
    "from_keras",
    "from_tf1",
    "from_torch",
    "stacked_from_torch",
    "stacked_to_torch",
    "to_keras",
    "to_tf1",
    "to_torch",
]
