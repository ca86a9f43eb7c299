"""Companion package of the book "Recurrent Networks, Line by Line".

``import companion`` imports NumPy only. Framework bridges (Keras, TF1,
PyTorch) live in their own modules and import their framework when called.

Convention (the book's notation page): batch first (N, T, D), row vectors
``x_t @ W`` with W of shape (D, H), LSTM gates packed in the order i, f, g, o.
"""
from .counting import breakdown_table, count_params, param_breakdown
from .data import random_sequences, zeroed_sequences
from .gradcheck import check_gradient, clip_grad_norm, grad_norm, numerical_gradient, relative_error
from .lstm import (
    LSTMCache,
    LSTMStepCache,
    lstm_backward,
    lstm_forward,
    lstm_forward_with_cache,
    lstm_hidden_grads,
    lstm_step,
    lstm_step_backward,
    lstm_step_with_cache,
    sigmoid,
)
from .notebook import seed_everything, setup_notebook
from .params import GATES, LSTMParams, RNNParams
from .rnn import (
    RNNCache,
    RNNStepCache,
    rnn_backward,
    rnn_forward,
    rnn_forward_with_cache,
    rnn_hidden_grads,
    rnn_step,
    rnn_step_backward,
    rnn_step_with_cache,
)

__all__ = [
    "LSTMCache",
    "LSTMStepCache",
    "RNNCache",
    "RNNStepCache",
    "check_gradient",
    "clip_grad_norm",
    "grad_norm",
    "lstm_backward",
    "lstm_forward_with_cache",
    "lstm_hidden_grads",
    "lstm_step_backward",
    "lstm_step_with_cache",
    "numerical_gradient",
    "relative_error",
    "rnn_backward",
    "rnn_forward_with_cache",
    "rnn_hidden_grads",
    "rnn_step_backward",
    "rnn_step_with_cache",
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
