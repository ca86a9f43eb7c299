"""The base of every cell's gradient container: dL/dW, named as gradients.

A backward pass returns one of these, not a parameter container: its fields
carry a ``d`` prefix (``dW_xh``), its messages and repr say ``dL/dW_xh``, and
it accepts NaN and infinite values, so an exploding float32 gradient can be
shown instead of refused. After a sequence backward it also carries the
gradient that reached every hidden state (``dh``, and ``dc`` for the LSTM).

    RNNGrads (companion.rnn):   dW_xh (D, H), dW_hh (H, H), db_h (H,); dh
    LSTMGrads (companion.lstm): dW_x (D, 4H), dW_h (H, 4H), db (4H,); dh, dc
    GRUGrads (companion.gru):   dW_x (D, 3H), dW_h (H, 3H), db (3H,),
                                db_hg (H,) or None; dh

A gradient has its parameter's shape, so a new cell's subclass states its
``PARAMS`` class, its fields and ``STEPS``, and the shapes follow: with
k = ``PARAMS.BLOCKS`` the first three fields are (D, kH), (H, kH) and (kH,),
as in ``BlockParams`` ("4H" means 4 times H, checked), and each per-step
field is (N, T, H). ``SHAPES`` gives the symbolic shape of any other field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import ClassVar

from .clip import clip_grad_norm, grad_norm
from .validate import as_float_array


def _resolve(spec, dims):
    """A concrete shape spec from a symbolic one, fixing sizes seen before."""
    out = []
    for axis in spec:
        m = re.fullmatch(r"(\d+)H", axis)
        if m and "H" in dims and axis not in dims:
            dims[axis] = int(m.group(1)) * dims["H"]
        out.append((axis, dims.get(axis)))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Grads:
    """Base of RNNGrads, LSTMGrads, GRUGrads: checks shapes, allows NaN, inf.

    Subclasses list the parameter gradients first, then the per-step
    gradients (``dh``, ``dc``), which may be None. A parameter gradient
    named in ``OPTIONAL`` may be None too (the GRU's ``db_hg``); it is then
    left out of ``as_dict``. ``shapes()`` gives every field's shape.
    """

    PARAMS: ClassVar[type] = type(None)
    #: symbolic shapes of fields beyond the rule of shapes() (the GRU's db_hg)
    SHAPES: ClassVar[dict] = {}
    STEPS: ClassVar[tuple] = ()  # per-step fields, e.g. ("dh",)
    OPTIONAL: ClassVar[tuple] = ()  # parameter gradients that may be None

    def __post_init__(self):
        shapes, dims = self.shapes(), {}
        for name in self.param_names() + self.STEPS:
            value = getattr(self, name)
            if value is None and name in self.STEPS + self.OPTIONAL:
                continue
            spec = _resolve(shapes[name], dims)
            arr = as_float_array(f"dL/{name}", value, spec, finite=False)
            for (axis, _), size in zip(spec, arr.shape):
                dims.setdefault(axis, size)
            for axis, size in dims.items():
                m = re.fullmatch(r"(\d+)H", axis)
                if m and "H" in dims and size != int(m.group(1)) * dims["H"]:
                    raise ValueError(
                        f"dL/{name} must fit H={dims['H']} ({axis}="
                        f"{int(m.group(1)) * dims['H']}); got {arr.shape}"
                    )
            object.__setattr__(self, name, arr)

    @classmethod
    def shapes(cls) -> dict:
        """{name: symbolic shape} of every field, e.g. {'dW_x': ('D', '4H'),
        'dW_h': ('H', '4H'), 'db': ('4H',), 'dh': ('N', 'T', 'H'), ...}:
        the parameters' shapes for PARAMS.BLOCKS blocks, (N, T, H) for the
        per-step gradients, and SHAPES (which wins over both)."""
        k = getattr(cls.PARAMS, "BLOCKS", 1)
        kH = f"{k}H" if k > 1 else "H"
        rule = zip(cls.param_names(), (("D", kH), ("H", kH), (kH,)))
        steps = ((name, ("N", "T", "H")) for name in cls.STEPS)
        return {**dict(rule), **dict(steps), **cls.SHAPES}

    @classmethod
    def param_names(cls) -> tuple:
        """The parameter gradients' names, e.g. ('dW_xh', 'dW_hh', 'db_h')."""
        return tuple(f.name for f in fields(cls) if f.name not in cls.STEPS)

    def as_dict(self) -> dict:
        """{name: array} of the parameter gradients (not dh / dc), leaving
        out an OPTIONAL one that is None."""
        out = {name: getattr(self, name) for name in self.param_names()}
        return {k: v for k, v in out.items() if v is not None}

    def norm(self) -> float:
        """The global L2 norm of the parameter gradients (``grad_norm``)."""
        return grad_norm(self)

    def clip(self, max_norm, eps=1e-6):
        """``clip_grad_norm(self, max_norm, eps)``: (clipped, norm before)."""
        return clip_grad_norm(self, max_norm, eps)

    def __repr__(self):
        parts = []
        for name in self.param_names() + self.STEPS:
            value = getattr(self, name)
            if value is not None:
                parts.append(f"dL/{name} {tuple(value.shape)}")
        return f"{type(self).__name__}({', '.join(parts)})"
