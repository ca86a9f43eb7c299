"""A small optimiser (Adam), in NumPy, and the clipping it is used with.

Parameters travel as a dict {name: array}; gradients as a dict
{"d" + name: array} (the names of the package's gradient containers, e.g.
``grads.as_dict()``). The update follows ``torch.optim.Adam`` operation for
operation, so a NumPy model and a PyTorch model trained from the same
weights on the same batches take the same steps.
"""

from __future__ import annotations

import numpy as np

from . import validate

# Gradient norm and clipping live in companion.clip (one implementation for
# the package); here under the names the language-model chapter uses.
from .clip import clip_grad_norm as clip_by_norm
from .clip import clip_grad_value as clip_by_value
from .clip import grad_norm as global_norm

__all__ = ["Adam", "clip_by_norm", "clip_by_value", "global_norm"]


def _match(params, grads):
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise ValueError("params and grads must be dicts of arrays")
    want = sorted("d" + k for k in params)
    if sorted(grads) != want:
        raise ValueError(
            f"grads must have the keys {want}; got {sorted(grads)}"
        )
    for k, p in params.items():
        if np.shape(grads["d" + k]) != np.shape(p):
            raise ValueError(
                f"grads['d{k}'] must have shape {np.shape(p)}; "
                f"got {np.shape(grads['d' + k])}"
            )


class Adam:
    """Adam (Kingma and Ba, 2015), as torch.optim.Adam computes it.

    m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
    p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.lr = validate.positive_number("lr", lr)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (b1, b2); got {betas!r}")
        self.b1 = validate.probability("betas[0]", betas[0])
        self.b2 = validate.probability("betas[1]", betas[1])
        self.eps = validate.positive_number("eps", eps)
        self.t, self.m, self.v = 0, {}, {}

    def step(self, params: dict, grads: dict) -> dict:
        """One update. returns the new parameters (a new dict)."""
        _match(params, grads)
        self.t += 1
        c1, c2 = 1 - self.b1**self.t, 1 - self.b2**self.t
        new = {}
        for k, p in params.items():
            g = grads["d" + k]
            m = self.m.get(k, np.zeros_like(p))
            v = self.v.get(k, np.zeros_like(p))
            self.m[k] = m = self.b1 * m + (1 - self.b1) * g
            self.v[k] = v = self.b2 * v + (1 - self.b2) * g * g
            denom = np.sqrt(v) / np.sqrt(c2) + self.eps
            new[k] = p - (self.lr / c1) * (m / denom)
        return new
