"""PyTorch cells by hand, a loop over time for any cell, a training loop.

    LinearRNNCell        the README's RNN_Cell from two nn.Linear layers
    run_cell_over_time   any cell stepped over (N, T, D), states stacked
    RowVectorLSTMCell    an LSTM cell holding the book's W_x, W_h, b
    RowVectorGRUCell     a GRU cell holding the book's W_x, W_h, b (, b_hg)
    StackedRNNRegressor  the README's stacked-cell time-series model
    train_regressor      mini-batch Adam on mean squared error
    predict              the model's outputs in evaluation mode

The plain cell and the loop are in ``rnn.py``, the gated cells in
``gated.py``, the model and its training in ``regressor.py``; import them
from here. This package imports torch; ``import companion`` does not import it.
"""

from .gated import RowVectorGRUCell, RowVectorLSTMCell
from .regressor import StackedRNNRegressor, predict, train_regressor
from .rnn import LinearRNNCell, run_cell_over_time

__all__ = [
    "LinearRNNCell",
    "RowVectorGRUCell",
    "RowVectorLSTMCell",
    "StackedRNNRegressor",
    "predict",
    "run_cell_over_time",
    "train_regressor",
]
