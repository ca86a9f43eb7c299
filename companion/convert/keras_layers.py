"""Weights between Keras' SimpleRNN / LSTM layers and the book's RNNParams / LSTMParams.

Keras already uses the book's layout (row vectors, gates packed i, f, g, o):
    SimpleRNN: kernel (D, H) = W_xh, recurrent_kernel (H, H) = W_hh, bias (H,) = b_h
    LSTM:      kernel (D, 4H) = W_x, recurrent_kernel (H, 4H) = W_h, bias (4H,) = b
so converting is copying, plus checks that the layer is of the right kind and size.
Keras is imported inside the functions only.
"""
from __future__ import annotations

import numpy as np

from ..params import LSTMParams, RNNParams


def _kind(layer) -> str:
    """'rnn' for a SimpleRNN layer, 'lstm' for an LSTM layer, else a ValueError."""
    import keras

    if isinstance(layer, keras.layers.SimpleRNN):
        return "rnn"
    if isinstance(layer, keras.layers.LSTM):
        return "lstm"
    raise ValueError(f"layer must be a keras.layers.SimpleRNN or keras.layers.LSTM; got {type(layer).__name__}")


def _check_built(layer):
    if not layer.built or not layer.weights:
        raise ValueError(
            f"layer {layer.name!r} has no weights yet: build it first, e.g. layer.build((None, T, D)) "
            "or call it on an input"
        )
    if not layer.cell.use_bias:
        raise ValueError(f"layer {layer.name!r} has use_bias=False; only layers with a bias are supported")


def from_keras(layer):
    """The weights of a built Keras SimpleRNN or LSTM layer in the book's layout.

    SimpleRNN -> RNNParams(W_xh (D, H), W_hh (H, H), b_h (H,))
    LSTM      -> LSTMParams(W_x (D, 4H), W_h (H, 4H), b (4H,)), gates i, f, g, o
    The arrays are copies, in the layer's dtype (float32 by default).
    """
    kind = _kind(layer)
    _check_built(layer)
    kernel, recurrent, bias = (np.array(w) for w in layer.get_weights())
    if kind == "rnn":
        return RNNParams(W_xh=kernel, W_hh=recurrent, b_h=bias)
    return LSTMParams(W_x=kernel, W_h=recurrent, b=bias)


def to_keras(params, layer):
    """Load RNNParams into a SimpleRNN layer or LSTMParams into an LSTM layer.

    The layer must be built with the same input size D and units H as the
    parameters. Values are cast to the layer's dtype. Returns the layer.
    """
    kind = _kind(layer)
    _check_built(layer)
    want = RNNParams if kind == "rnn" else LSTMParams
    if not isinstance(params, want):
        raise ValueError(
            f"params must be an {want.__name__} for a {type(layer).__name__} layer; got {type(params).__name__}"
        )
    arrays = [params.W_xh, params.W_hh, params.b_h] if kind == "rnn" else [params.W_x, params.W_h, params.b]
    current = layer.get_weights()
    D, G = current[0].shape  # G = H for SimpleRNN, 4H for LSTM
    if arrays[0].shape != (D, G) or arrays[1].shape != current[1].shape:
        H = current[1].shape[0]
        raise ValueError(
            f"params have D={params.D}, H={params.H} but layer {layer.name!r} has D={D}, H={H} "
            f"(kernel {tuple(current[0].shape)}); "
            f"build the layer with units={params.H} on inputs of {params.D} features"
        )
    layer.set_weights([np.asarray(a, dtype=c.dtype) for a, c in zip(arrays, current)])
    return layer
