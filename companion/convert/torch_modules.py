"""PyTorch recurrent modules <-> the book's RNNParams / LSTMParams.

PyTorch multiplies column vectors: ``weight_ih`` is (H, D) for the RNN and
(4H, D) for the LSTM, ``weight_hh`` is (H, H) or (4H, H), and there are two
biases, ``bias_ih`` and ``bias_hh``, that are always added together. The gates
of the LSTM are stacked as row blocks in the order i, f, g, o, the book's order.

    from_torch:  W_xh = weight_ih.T   W_hh = weight_hh.T   b_h = bias_ih + bias_hh
    to_torch:    weight_ih = W_xh.T   weight_hh = W_hh.T   bias_ih = b_h, bias_hh = 0

(the same with W_x, W_h, b for the LSTM). Only the sum of the two biases enters
the equations, so the round trip params -> module -> params is exact, and the
module computes the same function as the book's NumPy reference.

Torch is imported inside the functions: ``import companion.convert`` stays
NumPy-only.
"""
from __future__ import annotations

import numpy as np

from ..params import LSTMParams, RNNParams

_KINDS = "nn.RNN, nn.RNNCell, nn.LSTM or nn.LSTMCell"


def _describe(module):
    """(kind, suffix) for a supported module: kind 'rnn' or 'lstm', suffix '_l0' or ''."""
    from torch import nn

    if isinstance(module, (nn.RNN, nn.LSTM)):
        name = type(module).__name__
        if module.num_layers != 1:
            raise ValueError(
                f"module must be a single-layer nn.{name} (num_layers=1); got num_layers={module.num_layers}. "
                f"Build one nn.{name} per layer, or read weight_ih_l1, ... yourself"
            )
        if module.bidirectional:
            raise ValueError(f"module must be a one-directional nn.{name} (bidirectional=False); got bidirectional=True")
        if isinstance(module, nn.LSTM) and module.proj_size:
            raise ValueError(f"module must be an nn.LSTM without projection (proj_size=0); got proj_size={module.proj_size}")
        suffix = "_l0"
    elif isinstance(module, (nn.RNNCell, nn.LSTMCell)):
        suffix = ""
    else:
        raise ValueError(f"module must be an {_KINDS}; got {type(module).__name__}")
    if isinstance(module, (nn.RNN, nn.RNNCell)):
        if module.nonlinearity != "tanh":
            raise ValueError(
                f"module must use nonlinearity='tanh', the book's RNN; got nonlinearity={module.nonlinearity!r}"
            )
        return "rnn", suffix
    return "lstm", suffix


def _numpy(tensor):
    return tensor.detach().cpu().numpy().copy()


def from_torch(module):
    """The book's parameters of a single-layer PyTorch RNN or LSTM.

    module: nn.RNN or nn.RNNCell (tanh)  -> RNNParams  W_xh (D, H), W_hh (H, H), b_h (H,)
            nn.LSTM or nn.LSTMCell       -> LSTMParams W_x (D, 4H), W_h (H, 4H), b (4H,)
    The two PyTorch biases are folded into one: b = bias_ih + bias_hh (zeros if
    the module was built with bias=False). Arrays are copies, in the module's dtype.
    """
    kind, s = _describe(module)
    W_in = _numpy(getattr(module, "weight_ih" + s)).T  # (G*H, D) -> (D, G*H), G = 1 or 4
    W_rec = _numpy(getattr(module, "weight_hh" + s)).T  # (G*H, H) -> (H, G*H)
    if module.bias:
        b = _numpy(getattr(module, "bias_ih" + s)) + _numpy(getattr(module, "bias_hh" + s))  # (G*H,)
    else:
        b = np.zeros(W_in.shape[1], dtype=W_in.dtype)
    return RNNParams(W_in, W_rec, b) if kind == "rnn" else LSTMParams(W_in, W_rec, b)


def to_torch(params, module):
    """Copy the book's parameters into a single-layer PyTorch module, in place.

    params: RNNParams for nn.RNN / nn.RNNCell, LSTMParams for nn.LSTM / nn.LSTMCell,
            with D = module.input_size and H = module.hidden_size.
    Sets weight_ih = W.T, weight_hh = W_h.T, bias_ih = b and bias_hh = 0; values are
    cast to the module's dtype. A module built with bias=False only accepts b = 0.
    returns the module.
    """
    import torch

    kind, s = _describe(module)
    expected = RNNParams if kind == "rnn" else LSTMParams
    if not isinstance(params, expected):
        raise ValueError(f"params must be an {expected.__name__} for {type(module).__name__}; got {type(params).__name__}")
    D, H = module.input_size, module.hidden_size
    if (params.D, params.H) != (D, H):
        raise ValueError(
            f"params must have D={D} and H={H} to match {type(module).__name__}({D}, {H}); "
            f"got D={params.D}, H={params.H}"
        )
    W_in, W_rec, b = (params.W_xh, params.W_hh, params.b_h) if kind == "rnn" else (params.W_x, params.W_h, params.b)
    if not module.bias and np.any(b != 0):
        raise ValueError(f"params' bias must be zero for a {type(module).__name__} built with bias=False")
    weight_ih = getattr(module, "weight_ih" + s)
    with torch.no_grad():
        weight_ih.copy_(torch.as_tensor(W_in.T))  # (D, G*H) -> (G*H, D)
        getattr(module, "weight_hh" + s).copy_(torch.as_tensor(W_rec.T))  # (H, G*H) -> (G*H, H)
        if module.bias:
            getattr(module, "bias_ih" + s).copy_(torch.as_tensor(b))
            getattr(module, "bias_hh" + s).zero_()
    return module
