"""Parameter containers for the book's RNN and LSTM, in the book's convention.

Row vectors, batch first: a step computes ``x_t @ W_x + h_prev @ W_h + b``.
The LSTM packs its four gates side by side in the order i, f, g, o, the
order Keras and PyTorch both use.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np

from . import validate
from .validate import as_float_array, positive_int

GATES = ("i", "f", "g", "o")


def uniform_draw(D, H, rng, scale=None, dtype=np.float64):
    """Checked (D, H, draw): draw(*shape) is uniform in [-scale, scale].

    The default scale 1/sqrt(H) is PyTorch's initial range for its cells.
    """
    D, H = positive_int("D", D), positive_int("H", H)
    rng = validate.rng(rng)
    s = (
        1.0 / np.sqrt(H)
        if scale is None
        else validate.positive_number("scale", scale)
    )

    def draw(*shape):
        return rng.uniform(-s, s, size=shape).astype(dtype)

    return D, H, draw


class BlockParams:
    """Base of the parameter classes: their first three fields are the input
    weights (D, kH), the recurrent weights (H, kH) and the bias (kH,) of a
    cell with k = BLOCKS gate blocks side by side, checked on construction.
    """

    BLOCKS: ClassVar[int] = 1

    def __post_init__(self):
        k = self.BLOCKS
        kH = f"{k}H" if k > 1 else "H"
        x, h, b = (f.name for f in fields(self)[:3])
        W_x = as_float_array(x, getattr(self, x), ("D", kH))
        if W_x.shape[1] % k:
            raise ValueError(
                f"{x} must have shape (D, {kH}) with {kH} divisible by {k}; "
                f"got {W_x.shape}"
            )
        H = W_x.shape[1] // k
        object.__setattr__(self, x, W_x)
        for name, spec in ((h, (("H", H), (kH, k * H))), (b, ((kH, k * H),))):
            arr = as_float_array(name, getattr(self, name), spec)
            object.__setattr__(self, name, arr)

    @property
    def D(self) -> int:
        """Input size."""
        return getattr(self, fields(self)[0].name).shape[0]

    @property
    def H(self) -> int:
        """Hidden size (the number of units)."""
        return getattr(self, fields(self)[1].name).shape[0]


@dataclass(frozen=True, eq=False)
class RNNParams(BlockParams):
    """Weights of a vanilla (Elman) RNN.

    h_t = tanh(x_t W_xh + h_{t-1} W_hh + b_h)

    W_xh: (D, H) input-to-hidden weights
    W_hh: (H, H) hidden-to-hidden weights
    b_h:  (H,)   bias
    """

    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray

    @classmethod
    def random(cls, D, H, rng, scale=None, dtype=np.float64) -> "RNNParams":
        """Seeded random parameters, every entry uniform in [-scale, scale].

        D, H: input and hidden size; rng: numpy.random.Generator.
        The default scale 1/sqrt(H) is PyTorch's initial range for every
        weight and bias of nn.RNN. Keras 3 initialises differently: a
        Glorot-uniform kernel, an orthogonal recurrent kernel and a zero
        bias. The bias is drawn here too, so that tests see non-zero biases.
        """
        D, H, draw = uniform_draw(D, H, rng, scale, dtype)
        return cls(draw(D, H), draw(H, H), draw(H))

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
class LSTMParams(BlockParams):
    """Weights of an LSTM with packed gates in the order i, f, g, o.

    W_x: (D, 4H) input weights, columns [i | f | g | o]
    W_h: (H, 4H) recurrent weights, same column blocks
    b:   (4H,)   one bias (Keras' layout; PyTorch splits it in two)
    """

    BLOCKS: ClassVar[int] = 4

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray

    @classmethod
    def random(cls, D, H, rng, scale=None, dtype=np.float64) -> "LSTMParams":
        """Seeded random parameters, every entry uniform in [-scale, scale].

        The default scale 1/sqrt(H) is PyTorch's initial range for nn.LSTM.
        Keras 3 uses a Glorot-uniform kernel, an orthogonal recurrent kernel
        and a zero bias with the forget gate's block at 1 (unit_forget_bias).
        """
        D, H, draw = uniform_draw(D, H, rng, scale, dtype)
        return cls(draw(D, 4 * H), draw(H, 4 * H), draw(4 * H))

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
