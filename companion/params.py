"""Parameter containers for the book's RNN and LSTM, in the book's convention.

Row vectors, batch first: a step computes ``x_t @ W_x + h_prev @ W_h + b``.
The LSTM packs its four gates side by side in the order i, f, g, o, the
order Keras and PyTorch both use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import validate
from .validate import as_float_array, positive_int

GATES = ("i", "f", "g", "o")


def _uniform(rng, shape, scale, dtype):
    return rng.uniform(-scale, scale, size=shape).astype(dtype)


@dataclass(frozen=True, eq=False)
class RNNParams:
    """Weights of a vanilla (Elman) RNN.

    h_t = tanh(x_t W_xh + h_{t-1} W_hh + b_h)

    W_xh: (D, H) input-to-hidden weights
    W_hh: (H, H) hidden-to-hidden weights
    b_h:  (H,)   bias
    """

    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray

    def __post_init__(self):
        W_xh = as_float_array("W_xh", self.W_xh, ("D", "H"))
        H = W_xh.shape[1]
        W_hh = as_float_array("W_hh", self.W_hh, (("H", H), ("H", H)))
        b_h = as_float_array("b_h", self.b_h, (("H", H),))
        object.__setattr__(self, "W_xh", W_xh)
        object.__setattr__(self, "W_hh", W_hh)
        object.__setattr__(self, "b_h", b_h)

    @property
    def D(self) -> int:
        """Input size."""
        return self.W_xh.shape[0]

    @property
    def H(self) -> int:
        """Hidden size."""
        return self.W_xh.shape[1]

    @classmethod
    def random(cls, D, H, rng, scale=None, dtype=np.float64) -> "RNNParams":
        """Seeded random parameters, every entry uniform in [-scale, scale].

        D, H: input and hidden size; rng: numpy.random.Generator.
        The default scale 1/sqrt(H) is PyTorch's initial range for every
        weight and bias of nn.RNN. Keras 3 initialises differently: a
        Glorot-uniform kernel, an orthogonal recurrent kernel and a zero
        bias. The bias is drawn here too, so that tests see non-zero biases.
        """
        D, H = positive_int("D", D), positive_int("H", H)
        rng = validate.rng(rng)
        s = (
            1.0 / np.sqrt(H)
            if scale is None
            else validate.positive_number("scale", scale)
        )
        return cls(
            _uniform(rng, (D, H), s, dtype),
            _uniform(rng, (H, H), s, dtype),
            _uniform(rng, (H,), s, dtype),
        )

    def astype(self, dtype) -> "RNNParams":
        """The same parameters cast to ``dtype``."""
        return RNNParams(
            *(
                np.asarray(a, dtype=dtype)
                for a in (self.W_xh, self.W_hh, self.b_h)
            )
        )

    def as_dict(self) -> dict:
        return {"W_xh": self.W_xh, "W_hh": self.W_hh, "b_h": self.b_h}


@dataclass(frozen=True, eq=False)
class LSTMParams:
    """Weights of an LSTM with packed gates in the order i, f, g, o.

    W_x: (D, 4H) input weights, columns [i | f | g | o]
    W_h: (H, 4H) recurrent weights, same column blocks
    b:   (4H,)   one bias (Keras' layout; PyTorch splits it in two)
    """

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray

    def __post_init__(self):
        W_x = as_float_array("W_x", self.W_x, ("D", "4H"))
        if W_x.shape[1] % 4:
            raise ValueError(
                "W_x must have shape (D, 4H) with 4H divisible by 4; "
                f"got {W_x.shape}"
            )
        H = W_x.shape[1] // 4
        W_h = as_float_array("W_h", self.W_h, (("H", H), ("4H", 4 * H)))
        b = as_float_array("b", self.b, (("4H", 4 * H),))
        object.__setattr__(self, "W_x", W_x)
        object.__setattr__(self, "W_h", W_h)
        object.__setattr__(self, "b", b)

    @property
    def D(self) -> int:
        """Input size."""
        return self.W_x.shape[0]

    @property
    def H(self) -> int:
        """Hidden size (the number of units)."""
        return self.W_h.shape[0]

    @classmethod
    def random(cls, D, H, rng, scale=None, dtype=np.float64) -> "LSTMParams":
        """Seeded random parameters, every entry uniform in [-scale, scale].

        The default scale 1/sqrt(H) is PyTorch's initial range for nn.LSTM.
        Keras 3 uses a Glorot-uniform kernel, an orthogonal recurrent kernel
        and a zero bias with the forget gate's block at 1 (unit_forget_bias).
        """
        D, H = positive_int("D", D), positive_int("H", H)
        rng = validate.rng(rng)
        s = (
            1.0 / np.sqrt(H)
            if scale is None
            else validate.positive_number("scale", scale)
        )
        return cls(
            _uniform(rng, (D, 4 * H), s, dtype),
            _uniform(rng, (H, 4 * H), s, dtype),
            _uniform(rng, (4 * H,), s, dtype),
        )

    def astype(self, dtype) -> "LSTMParams":
        """The same parameters cast to ``dtype``."""
        return LSTMParams(
            *(np.asarray(a, dtype=dtype) for a in (self.W_x, self.W_h, self.b))
        )

    def gate(self, name: str):
        """One gate's ``(W_x[:, k], W_h[:, k], b[k])``, name one of i f g o."""
        validate.one_of("name", name, GATES)
        H = self.H
        k = GATES.index(name)
        cols = slice(k * H, (k + 1) * H)
        return self.W_x[:, cols], self.W_h[:, cols], self.b[cols]

    def as_dict(self) -> dict:
        return {"W_x": self.W_x, "W_h": self.W_h, "b": self.b}
