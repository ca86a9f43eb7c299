"""Companion package of the book "Recurrent Networks, Line by Line".

``import companion`` imports NumPy only. Framework bridges (Keras, TF1,
PyTorch) live in their own modules and import their framework when called.
companion/README.md maps every module to the chapters that use it.

Convention (the book's notation page): batch first (N, T, D), row vectors
``x_t @ W`` with W of shape (D, H), LSTM gates packed in the order i, f, g, o,
GRU blocks in the order r, z, g (PyTorch's; Keras packs z, r, h).
"""

from .cells import CELLS
from .clip import clip_grad_norm, grad_norm
from .counting import breakdown_table, count_params, param_breakdown
from .data import random_sequences, zeroed_sequences
from .gradcheck import check_gradient, numerical_gradient, relative_error
from .gru import (
    GRUGrads,
    GRUParams,
    gru_backward,
    gru_forward,
    gru_step,
    gru_step_backward,
)
from .lstm import (
    GATES,
    LSTMGrads,
    LSTMParams,
    lstm_backward,
    lstm_forward,
    lstm_step,
    lstm_step_backward,
)
from .notebook import seed_everything, setup_notebook
from .ops import sigmoid, softmax
from .rnn import (
    RNNGrads,
    RNNParams,
    rnn_backward,
    rnn_forward,
    rnn_step,
    rnn_step_backward,
)

__all__ = [
    "CELLS",
    "GATES",
    "GRUGrads",
    "GRUParams",
    "LSTMGrads",
    "LSTMParams",
    "RNNGrads",
    "RNNParams",
    "breakdown_table",
    "check_gradient",
    "clip_grad_norm",
    "count_params",
    "grad_norm",
    "gru_backward",
    "gru_forward",
    "gru_step",
    "gru_step_backward",
    "lstm_backward",
    "lstm_forward",
    "lstm_step",
    "lstm_step_backward",
    "numerical_gradient",
    "param_breakdown",
    "random_sequences",
    "relative_error",
    "rnn_backward",
    "rnn_forward",
    "rnn_step",
    "rnn_step_backward",
    "seed_everything",
    "setup_notebook",
    "sigmoid",
    "softmax",
    "zeroed_sequences",
]
__version__ = "0.1.0"
