"""Companion package of the book "Recurrent Networks, Line by Line".

``import companion`` imports NumPy only. Framework bridges (Keras, TF1,
PyTorch) live in their own modules and import their framework when called.

Convention (the book's notation page): batch first (N, T, D), row vectors
``x_t @ W`` with W of shape (D, H), LSTM gates packed in the order i, f, g, o.
"""
from .counting import breakdown_table, count_params, param_breakdown
from .data import random_sequences, zeroed_sequences
from .lstm import lstm_forward, lstm_step, sigmoid
from .notebook import seed_everything, setup_notebook
from .params import GATES, LSTMParams, RNNParams
from .rnn import rnn_forward, rnn_step

__all__ = [
    "GATES",
    "LSTMParams",
    "RNNParams",
    "breakdown_table",
    "count_params",
    "lstm_forward",
    "lstm_step",
    "param_breakdown",
    "random_sequences",
    "rnn_forward",
    "rnn_step",
    "seed_everything",
    "setup_notebook",
    "sigmoid",
    "zeroed_sequences",
]
__version__ = "0.1.0"
