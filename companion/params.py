"""The base of every cell's parameter container, in the book's convention.

Row vectors, batch first: a step computes ``x_t @ W_x + h_prev @ W_h + b``
with the cell's k gate blocks side by side (k = ``BLOCKS``: 1 for the RNN,
4 for the LSTM in the order i, f, g, o, 3 for the GRU in the order r, z, g).
Each cell's own class lives with its equations: ``RNNParams`` in
companion.rnn, ``LSTMParams`` in companion.lstm, ``GRUParams`` in
companion.gru.
"""

from __future__ import annotations

from dataclasses import fields
from typing import ClassVar

import numpy as np

from . import validate
from .validate import as_float_array, positive_int


def uniform_draw(D, H, rng, scale=None, dtype=np.float64):
    """Checked (D, H, draw): draw(*shape) is uniform in [-scale, scale].

    The default scale 1/sqrt(H) is PyTorch's initial range for its cells.
    """
    D, H = positive_int("D", D), positive_int("H", H)
    rng = validate.rng("rng", rng)
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
    cell with k = BLOCKS gate blocks side by side, named in GATES; checked
    on construction. Further fields (the GRU's b_hg) may be None.
    """

    BLOCKS: ClassVar[int] = 1
    GATES: ClassVar[tuple] = ()

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

    @classmethod
    def random(cls, D, H, rng, scale=None, dtype=np.float64):
        """Seeded random parameters, every entry uniform in [-scale, scale].

        D, H: input and hidden size; rng: numpy.random.Generator. The
        default scale 1/sqrt(H) is PyTorch's initial range for its layers.
        The bias is drawn too, so that tests see non-zero biases.
        """
        D, H, draw = uniform_draw(D, H, rng, scale, dtype)
        kH = cls.BLOCKS * H
        return cls(draw(D, kH), draw(H, kH), draw(kH))

    def astype(self, dtype):
        """The same parameters cast to the float ``dtype``.

        They were checked when built, so the copy is not checked again:
        a forward pass casts its parameters at every call.
        """
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise ValueError(
                f"dtype must be a floating-point type; got {dtype}"
            )
        out = object.__new__(type(self))
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                value = np.asarray(value, dtype=dtype)
            object.__setattr__(out, f.name, value)
        return out

    def as_dict(self) -> dict:
        """{name: array} of every field, in order, leaving out None ones."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: v for k, v in out.items() if v is not None}

    def gate(self, name: str):
        """One gate block's ``(W_x[:, k], W_h[:, k], b[k])``, name in GATES."""
        validate.one_of("name", name, self.GATES)
        k, H = self.GATES.index(name), self.H
        cols = slice(k * H, (k + 1) * H)
        W_x, W_h, b = list(self.as_dict().values())[:3]
        return W_x[:, cols], W_h[:, cols], b[cols]
