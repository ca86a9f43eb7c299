"""The three sigmoids of the NumPy LSTM levels: the textbook form, logaddexp and tanh.

All three compute sigma(z) = 1 / (1 + exp(-z)) element-wise on an array of any
shape; they differ in how, and so in speed, overflow and accuracy in the tails.
"""

import numpy as np


def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), written as a reader writes it first.

    Below z = -88.7 in float32 (-709.8 in float64) exp(-z) overflows to inf
    and the result is 0.0, which differs from the true value by less than
    3e-39 (1e-308): the overflow is harmless, so its warning is silenced.
    """
    with np.errstate(over="ignore"):  # exp(-z) = inf gives 1 / inf = 0.0
        return 1 / (1 + np.exp(-z))


def sigmoid_logaddexp(z):
    """sigma(z) as exp(-logaddexp(0, -z)): never overflows; an exp and a log1p inside logaddexp, then an exp."""
    return np.exp(-np.logaddexp(0, -z))


def sigmoid_tanh(z):
    """sigma(z) = (1 + tanh(z / 2)) / 2: the same function, one tanh, never overflows."""
    return 0.5 + 0.5 * np.tanh(0.5 * z)
