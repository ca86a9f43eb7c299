"""Comparing two implementations' numbers in a way that prints the same on any CPU.

The exact size of a float32 rounding difference (1.2e-07 here, 9.5e-08 there)
depends on the CPU's instructions and the BLAS kernel, so the book never prints
it. It prints the tolerance the difference stays below, and asserts it.
"""
from __future__ import annotations

import numpy as np


def to_numpy(a) -> np.ndarray:
    """A NumPy array from a NumPy array, a list, or a TensorFlow/PyTorch tensor."""
    if hasattr(a, "detach"):  # torch.Tensor
        a = a.detach().cpu().numpy()
    elif hasattr(a, "numpy") and not isinstance(a, np.ndarray):  # tf.Tensor / Variable
        a = a.numpy()
    return np.asarray(a)


def max_abs_diff(a, b) -> float:
    """max |a - b| over all elements; a and b must have the same shape."""
    a, b = to_numpy(a), to_numpy(b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError("a and b must not be empty")
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))


def check_close(name: str, a, b, tol: float) -> str:
    """Assert max |a - b| < tol and return a printable line that does not vary by machine.

    name: what is compared, e.g. "nn.LSTM vs lstm_forward"; tol: a positive float.
    Raises AssertionError naming the pair and the difference when they disagree.
    """
    if not (isinstance(tol, (int, float)) and tol > 0):
        raise ValueError(f"tol must be a positive number; got {tol!r}")
    d = max_abs_diff(a, b)
    if not d < tol:
        raise AssertionError(f"{name}: max |difference| = {d:.3e} is not below {tol:.0e}")
    return f"{name}: max |difference| < {tol:.0e}"
