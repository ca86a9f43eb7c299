"""A small optimiser (Adam) and gradient clipping, in NumPy.

Parameters travel as a dict {name: array}; gradients as a dict
{"d" + name: array} (the names of the package's gradient containers, e.g.
``grads.as_dict()``). The update follows ``torch.optim.Adam`` operation for
operation, so a NumPy model and a PyTorch model trained from the same
weights on the same batches take the same steps.
"""

from __future__ import annotations

import numpy as np

from . import validate


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


def global_norm(grads: dict) -> float:
    """sqrt of the sum of every gradient entry squared."""
    return float(np.sqrt(sum(np.sum(np.square(g)) for g in grads.values())))


def clip_by_norm(grads: dict, max_norm, eps=1e-6):
    """Scale all gradients together so that their global norm is at most
    max_norm (as torch.nn.utils.clip_grad_norm_): the direction is kept.

    returns (clipped grads, the norm before clipping)
    """
    max_norm = validate.positive_number("max_norm", max_norm)
    norm = global_norm(grads)
    scale = min(1.0, max_norm / (norm + eps))
    return {k: g * scale for k, g in grads.items()}, norm


def clip_by_value(grads: dict, clip_value):
    """Clamp every gradient entry to [-clip_value, clip_value] (as
    torch.nn.utils.clip_grad_value_): large entries are cut one by one,
    so the direction of the whole gradient can change."""
    c = validate.positive_number("clip_value", clip_value)
    return {k: np.clip(g, -c, c) for k, g in grads.items()}
