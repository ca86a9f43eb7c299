"""Do implementations compute the same numbers? Checks printed alike anywhere.

The exact size of a float32 rounding difference (1.2e-07 here, 9.5e-08
there) depends on the CPU's instructions and the BLAS kernel, so the book
never prints it. It prints the tolerance the difference stays below, and
asserts it.

* ``check_close(name, a, b, tol)``: one pair, one printable line
* ``agreement_table(outputs, tol)``: every pair of named outputs, a table
* ``pairwise_max_diffs(outputs)``: max |a - b| for every pair (the numbers)
* ``diff_per_step(a, b)``: max |a - b| at each time step, (N, T, H) -> (T,)
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from .validate import as_float_array, positive_number


def to_numpy(a) -> np.ndarray:
    """A NumPy array from an array, a list, or a TensorFlow/PyTorch tensor."""
    if hasattr(a, "detach"):  # torch.Tensor
        a = a.detach().cpu().numpy()
    elif hasattr(a, "numpy") and not isinstance(a, np.ndarray):  # tf.Tensor
        a = a.numpy()
    return np.asarray(a)


def max_abs_diff(a, b) -> float:
    """max |a - b| over all elements; a and b must have the same shape."""
    a, b = to_numpy(a), to_numpy(b)
    if a.shape != b.shape:
        raise ValueError(
            f"a and b must have the same shape; got {a.shape} and {b.shape}"
        )
    if a.size == 0:
        raise ValueError("a and b must not be empty")
    diff = a.astype(np.float64) - b.astype(np.float64)
    return float(np.max(np.abs(diff)))


def check_close(name: str, a, b, tol: float) -> str:
    """Assert max |a - b| < tol; return a line that does not vary by machine.

    name: what is compared, e.g. "nn.LSTM vs lstm_forward";
    tol: a positive number.
    Raises AssertionError naming the pair and the difference when they
    disagree.
    """
    tol = positive_number("tol", tol)
    d = max_abs_diff(a, b)
    if not d < tol:
        raise AssertionError(
            f"{name}: max |difference| = {d:.3e} is not below {tol:.0e}"
        )
    return f"{name}: max |difference| < {tol:.0e}"


def _check_outputs(outputs, at_least=2):
    if not isinstance(outputs, dict) or len(outputs) < at_least:
        length = len(outputs) if hasattr(outputs, "__len__") else "?"
        raise ValueError(
            f"outputs must be a dict {{name: array}} with at least "
            f"{at_least} entries; got {type(outputs).__name__} of length "
            f"{length}"
        )
    arrays = {}
    shape = None
    for name, value in outputs.items():
        if not isinstance(name, str):
            raise ValueError(
                f"outputs' keys must be names (str); got {name!r}"
            )
        a = to_numpy(value)
        if shape is None:
            shape = a.shape
        elif a.shape != shape:
            first = next(iter(outputs))
            raise ValueError(
                f"outputs[{name!r}] has shape {a.shape}, but "
                f"outputs[{first!r}] has {shape}; all must match"
            )
        arrays[name] = a
    return arrays


def pairwise_max_diffs(outputs) -> dict:
    """max |a - b| for every unordered pair of named outputs.

    outputs: {name: array}, all of the same shape, e.g. hidden states
             (N, T, H) from several implementations (arrays or tensors).
    returns {(name_a, name_b): float}, pairs in the order of ``outputs``.
    """
    arrays = _check_outputs(outputs)
    return {
        (a, b): max_abs_diff(arrays[a], arrays[b])
        for a, b in combinations(arrays, 2)
    }


def agreement_table(outputs, tol) -> str:
    """Assert every pair of outputs differs by less than ``tol``; a table.

    outputs: {name: array}, all of the same shape; tol: a positive number.
    Each line names a pair and the bound, e.g. ``NumPy  nn.LSTM  < 1e-06``.
    The measured values are not printed: they vary with the CPU and the
    maths library. Raises AssertionError naming every pair not below tol.
    """
    tol = positive_number("tol", tol)
    diffs = pairwise_max_diffs(outputs)
    bad = [
        f"{a} vs {b}: {d:.3e}" for (a, b), d in diffs.items() if not d < tol
    ]
    if bad:
        raise AssertionError(f"not below {tol:.0e}: " + "; ".join(bad))
    w = max(len("compared with"), *(len(name) for name in outputs)) + 2
    bound = "< " + format(tol, ".0e")
    lines = [
        f"{'output of':<{w}}{'compared with':<{w}}{'max |difference|':>17}"
    ]
    lines += [f"{a:<{w}}{b:<{w}}{bound:>17}" for a, b in diffs]
    return "\n".join(lines)


def diff_per_step(a, b):
    """max |a - b| over the batch and the units, at each time step.

    a, b: (N, T, H) hidden states; returns (T,) float64.
    """
    a = as_float_array("a", to_numpy(a), ("N", "T", "H"))
    b = as_float_array("b", to_numpy(b), tuple(zip("NTH", a.shape)))
    return np.abs(a.astype(np.float64) - b.astype(np.float64)).max(axis=(0, 2))
