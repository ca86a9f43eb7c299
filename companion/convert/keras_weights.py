"""Weights between Keras' recurrent layers and the book's parameter containers.

Keras already uses the book's layout (row vectors, gates packed i, f, g, o):
    SimpleRNN: kernel (D, H) = W_xh, recurrent_kernel (H, H) = W_hh, bias (H,) = b_h
    LSTM:      kernel (D, 4H) = W_x, recurrent_kernel (H, 4H) = W_h, bias (4H,) = b
so converting is copying, plus checks that the layer is of the right kind
and size.

The GRU is the exception. Keras packs its blocks z, r, h where the book has
r, z, g (PyTorch's order), so the first two column blocks are swapped; and
with reset_after=True (Keras' default) its bias is (2, 3H), an input row and
a recurrent row, of which only the candidate's recurrent part stays apart:
    GRU: W_x = swap(kernel), W_h = swap(recurrent_kernel),
         reset_after=False: b = swap(bias) (3H,), b_hg None
         reset_after=True:  b = swap(bias[0]) + [swap(bias[1])_r, _z, 0], b_hg = bias[1]_h
Keras is imported inside the functions only.
"""

from __future__ import annotations

import numpy as np

from .. import cells
from ..gru import GRUParams
from ..validate import instance_of


def layers() -> dict:
    """Keras layer class name -> the book's parameter class, for every cell
    of companion.cells that names a Keras twin. The parameter class's fields
    are, in order, kernel, recurrent_kernel, bias (the GRU is converted by
    _gru_from_keras / _gru_arrays)."""
    return {c.keras: c.params for c in cells.CELLS.values() if c.keras}


def _swap_zr(a, H):
    """Keras' GRU column blocks (z, r, h) <-> the book's (r, z, g); its own inverse."""
    return np.concatenate(
        [a[..., H : 2 * H], a[..., :H], a[..., 2 * H :]], axis=-1
    )


def _gru_from_keras(layer):
    kernel, recurrent, bias = (np.array(w) for w in layer.get_weights())
    H = recurrent.shape[0]
    W_x, W_h, bias = (
        _swap_zr(kernel, H),
        _swap_zr(recurrent, H),
        _swap_zr(bias, H),
    )
    if not layer.reset_after:
        return GRUParams(W_x, W_h, bias)  # bias (3H,)
    b = bias[0].copy()  # bias (2, 3H): input row, recurrent row
    b[: 2 * H] += bias[1, : 2 * H]  # r and z: the two biases are simply added
    return GRUParams(W_x, W_h, b, bias[1, 2 * H :].copy())


def _gru_arrays(params, layer, H):
    """kernel, recurrent_kernel, bias for a Keras GRU of the params' variant."""
    if params.reset_after != layer.reset_after:
        raise ValueError(
            f"params must be of the layer's variant: layer {layer.name!r} has "
            f"reset_after={layer.reset_after}, params have reset_after={params.reset_after} "
            f"(b_hg {'set' if params.reset_after else 'None'})"
        )
    bias = params.b
    if params.reset_after:
        recurrent_bias = np.concatenate(
            [np.zeros(2 * H, params.b.dtype), params.b_hg]
        )
        bias = np.stack([params.b, recurrent_bias])  # (2, 3H)
    return [
        _swap_zr(a, H) for a in (params.W_x, params.W_h, bias)
    ]  # back to z, r, h


def _params_class(layer):
    """The parameter class for a built Keras layer, or a ValueError."""
    import keras

    known = layers()
    for name, cls in known.items():
        if isinstance(layer, getattr(keras.layers, name)):
            break
    else:
        kinds = " or ".join(f"keras.layers.{n}" for n in known)
        raise ValueError(
            f"layer must be a {kinds}; got {type(layer).__name__}"
        )
    if not layer.built or not layer.weights:
        raise ValueError(
            f"layer {layer.name!r} has no weights yet: build it first, e.g. "
            "layer.build((None, T, D)) or call it on an input"
        )
    if not layer.cell.use_bias:
        raise ValueError(
            f"layer {layer.name!r} has use_bias=False; "
            "only layers with a bias are supported"
        )
    return cls


def from_keras(layer):
    """The weights of a built Keras SimpleRNN or LSTM layer in the book's layout.

    SimpleRNN -> RNNParams(W_xh (D, H), W_hh (H, H), b_h (H,))
    LSTM      -> LSTMParams(W_x (D, 4H), W_h (H, 4H), b (4H,)), gates i, f, g, o
    GRU       -> GRUParams(W_x (D, 3H), W_h (H, 3H), b (3H,), b_hg (H,) or None),
                 blocks r, z, g; the variant follows layer.reset_after
    The arrays are copies, in the layer's dtype (float32 by default).
    """
    cls = _params_class(layer)
    if cls is GRUParams:
        return _gru_from_keras(layer)
    return cls(*(np.array(w) for w in layer.get_weights()))


def to_keras(params, layer):
    """Load RNNParams into a SimpleRNN, LSTMParams into an LSTM, GRUParams into a GRU layer.

    The layer must be built with the same input size D and units H as the
    parameters (and, for a GRU, the same reset_after). Values are cast to the
    layer's dtype. Returns the layer.
    """
    cls = _params_class(layer)
    instance_of("params", params, cls, f" for a {type(layer).__name__} layer")
    current = layer.get_weights()
    if cls is GRUParams and params.W_h.shape == current[1].shape:
        arrays = _gru_arrays(params, layer, params.H)
    else:
        arrays = list(params.as_dict().values())  # kernel, recurrent, bias
    if any(a.shape != c.shape for a, c in zip(arrays, current)):
        D, H = current[0].shape[0], current[1].shape[0]
        raise ValueError(
            f"params have D={params.D}, H={params.H} but layer {layer.name!r} "
            f"has D={D}, H={H} (kernel {tuple(current[0].shape)}); build the "
            f"layer with units={params.H} on inputs of {params.D} features"
        )
    layer.set_weights(
        [np.asarray(a, dtype=c.dtype) for a, c in zip(arrays, current)]
    )
    return layer
