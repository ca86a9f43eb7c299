"""A character-level language model in NumPy, on the package's cells.

Each character enters as a one-hot row x_t (V,); a recurrent cell (RNN,
GRU, LSTM, minGRU or minLSTM: any cell of companion.cells, the package's
forward and backward) reads the sequence, and
an output layer scores the next character:

    hs, state_T = cell_forward(one_hot(X), params, state_0)     (N, T, H)
    logits      = hs W_hy + b_y                                 (N, T, V)
    L           = cross_entropy(logits, Y)

Truncated BPTT: the state carried into a batch is the last state of the
previous one, used as a plain array: the backward stops at state_0 (its
gradient dh0 is dropped), which is what PyTorch's ``.detach()`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from . import cells, validate
from .text import cross_entropy


@dataclass(frozen=True, eq=False)
class CharLM:
    """A recurrent cell and its output layer.

    cell: the parameters of any cell of companion.cells (RNNParams,
          LSTMParams, GRUParams, ...) with D = V
    W_hy: (H, V) output weights; b_y: (V,) output bias
    """

    cell: object
    W_hy: np.ndarray
    b_y: np.ndarray

    def __post_init__(self):
        kinds = tuple(c.params for c in cells.CELLS.values())
        validate.instance_of("cell", self.cell, kinds)
        H, V = self.cell.H, self.cell.D
        W_hy = validate.as_float_array("W_hy", self.W_hy, (("H", H), ("V", V)))
        b_y = validate.as_float_array("b_y", self.b_y, (("V", V),))
        object.__setattr__(self, "W_hy", W_hy)
        object.__setattr__(self, "b_y", b_y)

    @property
    def kind(self) -> str:
        """The cell's name in companion.cells: 'rnn', 'lstm', 'gru', ..."""
        return cells.of(self.cell).name

    @classmethod
    def random(cls, kind, V, H, rng, dtype=np.float64) -> CharLM:
        """Every weight uniform in [-1/sqrt(H), 1/sqrt(H)], PyTorch's range."""
        cell_cls = cells.get(kind, "kind").params
        cell = cell_cls.random(V, H, rng, dtype=dtype)
        s = 1.0 / np.sqrt(H)
        W_hy = rng.uniform(-s, s, (H, V)).astype(dtype)
        return cls(cell, W_hy, rng.uniform(-s, s, V).astype(dtype))

    def as_dict(self) -> dict:
        """{name: array}: the cell's parameters, then W_hy and b_y."""
        return {**self.cell.as_dict(), "W_hy": self.W_hy, "b_y": self.b_y}

    def replace(self, arrays: dict) -> CharLM:
        """A model of the same kind holding ``arrays`` (names of as_dict)."""
        names = list(self.as_dict())
        if sorted(arrays) != sorted(names):
            raise ValueError(f"arrays must have the keys {sorted(names)}")
        cell = type(self.cell)(*(arrays[k] for k in self.cell.as_dict()))
        return CharLM(cell, arrays["W_hy"], arrays["b_y"])


def initial_state(model: CharLM, N):
    """Zeros: h (N, H), or a tuple such as (h, c) for a cell of two states."""
    N = validate.positive_int("N", N)
    zeros = cells.of(model.cell).zero_states(N, model.cell.H, model.W_hy.dtype)
    return zeros[0] if len(zeros) == 1 else zeros


def _one_hot(X, V, dtype):
    X = np.asarray(X)
    if X.ndim != 2 or not np.issubdtype(X.dtype, np.integer):
        raise ValueError(
            f"X must be integer ids of shape (N, T); got {X.shape}"
        )
    if X.min() < 0 or X.max() >= V:
        raise ValueError(f"X must hold ids in [0, V={V})")
    return np.eye(V, dtype=dtype)[X]  # (N, T, V)


def lm_forward(model: CharLM, X, state):
    """logits (N, T, V), the last state, and a cache for ``lm_backward``."""
    x = _one_hot(X, model.cell.D, model.W_hy.dtype)
    cell = cells.of(model.cell)
    states = state if isinstance(state, tuple) else (state,)
    hs, finals, cache = cell.run(x, model.cell, *states)
    state_T = finals[0] if len(finals) == 1 else finals
    logits = hs @ model.W_hy + model.b_y  # (N, T, H) @ (H, V)
    return logits, state_T, (model, hs, cache)


def lm_backward(dlogits, cache) -> dict:
    """Gradients {"d" + name: array} of every parameter of the model.

    The gradient that reaches the initial state is dropped: the state
    carried in from the previous batch is a constant here (detached).
    """
    model, hs, cell_cache = cache
    dW_hy = np.einsum("nth,ntv->hv", hs, dlogits)
    db_y = dlogits.sum(axis=(0, 1))
    dhs = dlogits @ model.W_hy.T  # (N, T, V) @ (V, H)
    grads = cells.of(model.cell).backward(dhs, cell_cache)[-1]
    return {**grads.as_dict(), "dW_hy": dW_hy, "db_y": db_y}


# shown in: language-model
def lm_loss(model: CharLM, X, Y, state):
    """(loss, grads, state_T) of one batch: forward, cross-entropy, backward."""
    logits, state_T, cache = lm_forward(model, X, state)
    loss, dlogits = cross_entropy(logits, Y)
    return loss, lm_backward(dlogits, cache), state_T


def evaluate(model: CharLM, batches):
    """Mean cross-entropy over sequential batches, state carried along."""
    state, total = initial_state(model, batches[0][0].shape[0]), 0.0
    for X, Y in batches:
        logits, state, _ = lm_forward(model, X, state)
        total += cross_entropy(logits, Y)[0]
    return total / len(batches)


def step_fn(model: CharLM):
    """step(ids (1,), state) -> (logits (1, V), state), for text.generate."""

    def step(ids, state):
        logits, state, _ = lm_forward(model, np.asarray(ids)[:, None], state)
        return logits[:, 0], state

    return step


def save_char_lm(path, model: CharLM, **meta):
    """Write the model's arrays (and numbers in ``meta``) to a .npz file."""
    validate.instance_of("model", model, CharLM)
    arrays = {f"param_{k}": v for k, v in model.as_dict().items()}
    extra = {f"meta_{k}": np.asarray(v) for k, v in meta.items()}
    np.savez_compressed(path, kind=np.asarray(model.kind), **arrays, **extra)


def load_char_lm(path, dtype=np.float64):
    """(model, meta) from a file of ``save_char_lm``; arrays cast to dtype."""
    with np.load(path) as f:
        kind = str(f["kind"])
        arrays = {
            k[len("param_") :]: f[k].astype(dtype)
            for k in f.files
            if k.startswith("param_")
        }
        meta = {
            k[len("meta_") :]: f[k].item()
            for k in f.files
            if k.startswith("meta_")
        }
    cell_cls = cells.get(kind, "kind").params
    names = [f.name for f in fields(cell_cls) if f.name in arrays]
    cell = cell_cls(**{n: arrays[n] for n in names})
    return CharLM(cell, arrays["W_hy"], arrays["b_y"]), meta
