"""Moving weights between the book's layout and each framework's.

The book's layout is RNNParams / LSTMParams (row vectors, gates i, f, g, o
packed side by side). Each framework has its own submodule, which imports the
framework only when one of its functions is called, so
``import companion.convert`` stays NumPy-only:

* ``keras_layers``: from_keras / to_keras (SimpleRNN, LSTM layers)
* ``tf1_graph``:    from_tf1 / to_tf1 (one set of variables per gate)
* ``torch_modules``: from_torch / to_torch (nn.RNN, nn.RNNCell, nn.LSTM, nn.LSTMCell)
"""
from .torch_modules import from_torch, to_torch  # noqa: F401
from .keras_layers import from_keras, to_keras  # noqa: F401
from .tf1_graph import from_tf1, to_tf1  # noqa: F401
