"""Weights between Keras' recurrent layers and the book's parameter containers.

Keras already uses the book's layout (row vectors, gates packed i, f, g, o):
    SimpleRNN: kernel (D, H) = W_xh, recurrent_kernel (H, H) = W_hh, bias (H,)
    = b_h
    LSTM:      kernel (D, 4H) = W_x, recurrent_kernel (H, 4H) = W_h,
               bias (4H,) = b
so converting is copying, plus checks that the layer is of the right kind
and size. A new layer kind (GRU) adds one entry to ``LAYERS``.
Keras is imported inside the functions only.
"""

from __future__ import annotations

import numpy as np

from ..params import LSTMParams, RNNParams
from ..validate import instance_of

#: Keras layer class name -> the book's parameter class. The parameter
#: class's fields are, in order, kernel, recurrent_kernel, bias.
LAYERS = {"SimpleRNN": RNNParams, "LSTM": LSTMParams}


def _params_class(layer):
    """The parameter class for a built Keras layer, or a ValueError."""
    import keras

    for name, cls in LAYERS.items():
        if isinstance(layer, getattr(keras.layers, name)):
            break
    else:
        kinds = " or ".join(f"keras.layers.{n}" for n in LAYERS)
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
    """The weights of a built Keras SimpleRNN or LSTM layer, book layout.

    SimpleRNN -> RNNParams(W_xh (D, H), W_hh (H, H), b_h (H,))
    LSTM      -> LSTMParams(W_x (D, 4H), W_h (H, 4H), b (4H,)), gates i f g o
    The arrays are copies, in the layer's dtype (float32 by default).
    """
    cls = _params_class(layer)
    return cls(*(np.array(w) for w in layer.get_weights()))


def to_keras(params, layer):
    """Load RNNParams into a SimpleRNN layer or LSTMParams into an LSTM layer.

    The layer must be built with the same input size D and units H as the
    parameters. Values are cast to the layer's dtype. Returns the layer.
    """
    cls = _params_class(layer)
    instance_of("params", params, cls, f" for a {type(layer).__name__} layer")
    arrays = list(params.as_dict().values())  # kernel, recurrent, bias
    current = layer.get_weights()
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
