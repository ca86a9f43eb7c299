"""Small element-wise functions every module shares: one home for each.

    sigmoid(z)             = 1 / (1 + exp(-z))                any shape
    softmax(z, tau)[..., v] = exp(z_v / tau) / sum_u exp(z_u / tau)   last axis

Both are written so that they never overflow.
"""

from __future__ import annotations

import numpy as np

from .validate import positive_number


def sigmoid(z):
    """The logistic function 1 / (1 + exp(-z)), computed without overflow.

    z: any shape; returns the same shape and dtype, values in (0, 1).
    """
    z = np.asarray(z)
    return np.exp(-np.logaddexp(0, -z)).astype(z.dtype, copy=False)


def softmax(logits, temperature=1.0):
    """Probabilities softmax(logits / temperature) over the last axis.

    logits: (..., V) any float shape; temperature: a positive number.
    returns (..., V) float64, each row summing to 1.
    """
    tau = positive_number("temperature", temperature)
    z = np.asarray(logits, dtype=np.float64) / tau
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
