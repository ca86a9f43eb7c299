"""The global norm of gradients, and clipping: one implementation for the
whole package (companion.gradcheck, companion.optim and the gradient
containers' ``.norm()`` / ``.clip()`` all call these).

    ||g||  = sqrt(sum over every entry of every array of g**2)
    g     <- g * min(1, max_norm / (||g|| + eps))        (clip_grad_norm)
    g     <- min(max(g, -c), c), entry by entry          (clip_grad_value)

Gradients come as one of: an ndarray; a list or tuple of ndarrays; a dict
{name: ndarray} (companion.optim's layout); or a gradient container
(RNNGrads, LSTMGrads, GRUGrads: its parameter gradients, not dh / dc).
Results keep that layout, the shapes and the dtypes.

NaN and infinity: ``grad_norm`` returns NaN or inf, so that an exploding
gradient can be shown; ``clip_grad_norm`` refuses it with a ValueError
(no scale repairs a NaN; ``torch.nn.utils.clip_grad_norm_`` would silently
return NaN gradients); ``clip_grad_value`` clamps inf to +-c and keeps NaN.
"""

from __future__ import annotations

import numpy as np

from .validate import positive_number


def _arrays(grads) -> dict:
    """{key: ndarray} of any accepted layout (see the module docstring)."""
    if isinstance(grads, np.ndarray):
        return {"grads": grads}
    if isinstance(grads, dict):
        arrays = grads
    elif isinstance(grads, (list, tuple)):
        arrays = {f"grads[{k}]": a for k, a in enumerate(grads)}
    elif hasattr(grads, "as_dict") and hasattr(grads, "param_names"):
        arrays = grads.as_dict()  # a gradient container
    else:
        raise ValueError(
            "grads must be a NumPy array, a list, tuple or dict of arrays, "
            "or a gradient container (RNNGrads, LSTMGrads, GRUGrads); got "
            f"{type(grads).__name__}"
        )
    if not arrays:
        raise ValueError(
            "grads must hold at least one array; got an empty "
            f"{type(grads).__name__}"
        )
    out = {}
    for key, a in arrays.items():
        a = np.asarray(a)
        if not np.issubdtype(a.dtype, np.floating):
            raise ValueError(
                f"{key} must hold floating-point numbers; got dtype {a.dtype}"
            )
        out[key] = a
    return out


def _rebuild(like, arrays: dict):
    """``arrays`` in the layout of ``like`` (a container loses dh / dc)."""
    values = list(arrays.values())
    if isinstance(like, np.ndarray):
        return values[0]
    if isinstance(like, dict):
        return dict(zip(like, values))
    if isinstance(like, (list, tuple)):
        return type(like)(values)
    return type(like)(*values)


def grad_norm(grads) -> float:
    """The global L2 norm: sqrt(sum of every entry squared), in float64.

    grads: any layout of the module docstring. NaN or infinite entries give
    a NaN or infinite norm (shown, not refused).
    """
    arrays = _arrays(grads).values()
    total = sum(float(np.sum(a.astype(np.float64) ** 2)) for a in arrays)
    return float(np.sqrt(total))


def clip_grad_norm(grads, max_norm, eps=1e-6):
    """Scale all gradients together to a global norm of at most ``max_norm``.

    g <- g * min(1, max_norm / (||g|| + eps)), the rule of
    torch.nn.utils.clip_grad_norm_: the direction is kept, only the length
    shrinks. grads: any layout of the module docstring; max_norm, eps:
    positive numbers. returns (clipped, norm): clipped in the layout, shapes
    and dtypes of grads (new arrays; a container loses dh / dc), norm the
    global norm before clipping. Raises ValueError if the norm is NaN or
    infinite.
    """
    max_norm = positive_number("max_norm", max_norm)
    eps = positive_number("eps", eps)
    norm = grad_norm(grads)
    if not np.isfinite(norm):
        raise ValueError(
            "grads contain NaN or infinite values; clipping cannot repair them"
        )
    scale = min(1.0, max_norm / (norm + eps))
    arrays = {
        k: a * np.asarray(scale, dtype=a.dtype)
        for k, a in _arrays(grads).items()
    }
    return _rebuild(grads, arrays), norm


def clip_grad_value(grads, clip_value):
    """Clamp every gradient entry to [-clip_value, clip_value] (as
    torch.nn.utils.clip_grad_value_): large entries are cut one by one, so
    the direction of the whole gradient can change. returns the clipped
    gradients in the layout of grads."""
    c = positive_number("clip_value", clip_value)
    arrays = {k: np.clip(a, -c, c) for k, a in _arrays(grads).items()}
    return _rebuild(grads, arrays)
