"""PyTorch recurrent modules <-> the book's RNNParams / LSTMParams.

PyTorch multiplies column vectors: ``weight_ih`` is (G*H, D) and
``weight_hh`` is (G*H, H) (G = 1 for the RNN, 4 for the LSTM, gates stacked
as row blocks i, f, g, o, the book's order), and there are two biases,
``bias_ih`` and ``bias_hh``, that are always added together.

    from_torch:  W_xh = weight_ih.T   W_hh = weight_hh.T   b_h = bias_ih + bias_hh
    to_torch:    weight_ih = W_xh.T   weight_hh = W_hh.T   bias_ih = b_h, bias_hh = 0

(the same with W_x, W_h, b for the LSTM). Only the sum of the two biases
enters the equations, so the round trip params -> module -> params is exact.

The GRU (nn.GRU, nn.GRUCell; row blocks r, z, n = the book's r, z, g) resets
after the recurrent product, where the candidate's bias_hh cannot be added
into bias_ih. So only the r and z blocks are folded:

    from_torch:  b = bias_ih + [bias_hh_r, bias_hh_z, 0],  b_hg = bias_hh_n
    to_torch:    bias_ih = b,  bias_hh = [0, 0, b_hg]   (GRUParams with b_hg only)

* ``from_torch`` / ``to_torch``: one layer (nn.RNN, nn.LSTM with one layer,
  or nn.RNNCell, nn.LSTMCell)
* ``stacked_from_torch`` / ``stacked_to_torch``: every layer and direction of
  an nn.RNN / nn.LSTM with num_layers and bidirectional (the ``layers`` list
  of ``companion.stacked.stacked_forward``)

A new cell with a torch.nn twin names it in its companion.cells entry. Torch is imported inside the
functions: ``import companion.convert`` stays NumPy-only.
"""

from __future__ import annotations

import numpy as np

from .. import cells
from ..gru import GRUParams
from ..validate import instance_of


def modules() -> dict:
    """torch.nn class name -> (the book's parameter class, is a whole
    layer): nn.<torch> and nn.<torch>Cell of every cell of companion.cells
    that names one (RNN, RNNCell, LSTM, LSTMCell, GRU, GRUCell)."""
    out = {}
    for cell in cells.CELLS.values():
        if cell.torch:
            out[cell.torch] = (cell.params, True)
            out[cell.torch + "Cell"] = (cell.params, False)
    return out


def _describe(module):
    """(params class, suffixes): suffixes [('_l0', '_l0_reverse'), ...] or [('',)]."""
    from torch import nn

    known = modules()
    for name, (cls, is_layer) in known.items():
        if isinstance(module, getattr(nn, name)):
            break
    else:
        kinds = ", ".join(f"nn.{n}" for n in known)
        raise ValueError(
            f"module must be one of {kinds}; got {type(module).__name__}"
        )
    if getattr(module, "nonlinearity", "tanh") != "tanh":
        raise ValueError(
            "module must use nonlinearity='tanh', the book's RNN; "
            f"got nonlinearity={module.nonlinearity!r}"
        )
    if getattr(module, "proj_size", 0):
        raise ValueError(
            "module must be an nn.LSTM without projection (proj_size=0); "
            f"got proj_size={module.proj_size}"
        )
    if not is_layer:
        return cls, [("",)]
    dirs = ("", "_reverse") if module.bidirectional else ("",)
    return cls, [
        tuple(f"_l{k}{d}" for d in dirs) for k in range(module.num_layers)
    ]


def _read(module, s, cls):
    """The parameters stored under suffix s: W = weight.T, b = bias_ih + bias_hh."""
    W_in = (
        getattr(module, "weight_ih" + s).detach().cpu().numpy().T.copy()
    )  # (G*H, D) -> (D, G*H)
    W_rec = (
        getattr(module, "weight_hh" + s).detach().cpu().numpy().T.copy()
    )  # (G*H, H) -> (H, G*H)
    if cls is GRUParams:
        return _read_gru(module, s, W_in, W_rec)
    if module.bias:
        b = (
            (getattr(module, "bias_ih" + s) + getattr(module, "bias_hh" + s))
            .detach()
            .cpu()
            .numpy()
            .copy()
        )
    else:
        b = np.zeros(W_in.shape[1], dtype=W_in.dtype)
    return cls(W_in, W_rec, b)


def _read_gru(module, s, W_x, W_h):
    """GRUParams (reset after): b = bias_ih + bias_hh on r and z only, b_hg = bias_hh of n."""
    H = W_h.shape[0]
    if not module.bias:
        return GRUParams(
            W_x, W_h, np.zeros(3 * H, W_x.dtype), np.zeros(H, W_x.dtype)
        )
    b = getattr(module, "bias_ih" + s).detach().cpu().numpy().copy()  # (3H,)
    b_hh = (
        getattr(module, "bias_hh" + s).detach().cpu().numpy()
    )  # (3H,) blocks r, z, n
    b[: 2 * H] += b_hh[: 2 * H]
    return GRUParams(W_x, W_h, b, b_hh[2 * H :].copy())


def _write(params, module, s, where, D):
    """Copy one layer's parameters under suffix s, after checking them."""
    import torch

    cls, _ = _describe(module)
    H = module.hidden_size
    instance_of(where, params, cls, f" for {type(module).__name__}")
    if (params.D, params.H) != (D, H):
        raise ValueError(
            f"{where} must have D={D} and H={H} to match "
            f"{type(module).__name__} (weight_ih{s}); got D={params.D}, H={params.H}"
        )
    W_in, W_rec, b = list(params.as_dict().values())[
        :3
    ]  # the GRU's b_hg comes fourth
    b_hh = None  # bias_hh: zero, but for the GRU's candidate block
    if cls is GRUParams:
        if not params.reset_after:
            raise ValueError(
                f"{where} must be of the reset-after variant (b_hg set) for {type(module).__name__}: "
                "PyTorch applies the reset gate after the recurrent product; got reset_after=False"
            )
        b_hh = np.concatenate(
            [np.zeros(2 * H, params.b.dtype), params.b_hg]
        )  # (3H,) [0 | 0 | b_hg]
    if not module.bias and (
        np.any(b != 0) or (b_hh is not None and np.any(b_hh != 0))
    ):
        raise ValueError(
            f"{where}'s bias must be zero for a {type(module).__name__} built with bias=False"
        )
    with torch.no_grad():
        getattr(module, "weight_ih" + s).copy_(
            torch.as_tensor(W_in.T)
        )  # (D, G*H) -> (G*H, D)
        getattr(module, "weight_hh" + s).copy_(
            torch.as_tensor(W_rec.T)
        )  # (H, G*H) -> (G*H, H)
        if module.bias:
            getattr(module, "bias_ih" + s).copy_(torch.as_tensor(b))
            if b_hh is None:
                getattr(module, "bias_hh" + s).zero_()
            else:
                getattr(module, "bias_hh" + s).copy_(torch.as_tensor(b_hh))


def _single(module):
    cls, suffixes = _describe(module)
    if len(suffixes) != 1 or len(suffixes[0]) != 1:
        name = type(module).__name__
        raise ValueError(
            f"module must be a single-layer, one-directional nn.{name}; got "
            f"num_layers={module.num_layers}, bidirectional={module.bidirectional}. "
            "Use companion.convert.stacked_from_torch / stacked_to_torch for "
            "every layer and direction"
        )
    return cls, suffixes[0][0]


def from_torch(module):
    """The book's parameters of a single-layer PyTorch RNN or LSTM.

    module: nn.RNN or nn.RNNCell (tanh)  -> RNNParams  W_xh (D, H), W_hh (H, H), b_h (H,)
            nn.LSTM or nn.LSTMCell       -> LSTMParams W_x (D, 4H), W_h (H, 4H), b (4H,)
            nn.GRU or nn.GRUCell         -> GRUParams  W_x (D, 3H), W_h (H, 3H), b (3H,),
                                            b_hg (H,) (reset after; see the module docstring)
    The two PyTorch biases are folded into one: b = bias_ih + bias_hh (zeros
    if the module was built with bias=False). Arrays are copies, in the
    module's dtype.
    """
    cls, s = _single(module)
    return _read(module, s, cls)


def to_torch(params, module):
    """Copy the book's parameters into a single-layer PyTorch module, in place.

    params: RNNParams for nn.RNN / nn.RNNCell, LSTMParams for nn.LSTM /
            nn.LSTMCell, GRUParams of the reset-after variant for nn.GRU /
            nn.GRUCell, with D = module.input_size and H = module.hidden_size.
    Sets weight_ih = W.T, weight_hh = W_h.T, bias_ih = b and bias_hh = 0;
    values are cast to the module's dtype. A module built with bias=False
    only accepts b = 0. returns the module.
    """
    _, s = _single(module)
    _write(params, module, s, "params", module.input_size)
    return module


def stacked_from_torch(module):
    """The book's parameters of every layer and direction of an nn.RNN (tanh) or nn.LSTM.

    Reads weight_ih_l{k}{,_reverse} (G*H, D_k), weight_hh_l{k}... (G*H, H) and
    the two biases and returns the ``layers`` list of stacked_forward: one
    RNNParams / LSTMParams per layer, or a pair (forward, backward) per layer
    when module.bidirectional. W = weight.T, b = bias_ih + bias_hh.
    """
    cls, suffixes = _describe(module)
    if suffixes == [("",)]:
        raise ValueError(
            f"module must be an nn.RNN or nn.LSTM (a layer); got {type(module).__name__}, "
            "use from_torch for a cell"
        )
    layers = [
        tuple(_read(module, s, cls) for s in level) for level in suffixes
    ]
    return layers if module.bidirectional else [level[0] for level in layers]


def stacked_to_torch(layers, module):
    """Copy a ``layers`` list (as stacked_forward takes it) into an nn.RNN / nn.LSTM, in place.

    module: nn.RNN (tanh) or nn.LSTM with num_layers = len(layers), any
    bidirectional; every layer's D and H must match the module's (layer 1:
    input_size, above: hidden_size, times 2 when bidirectional). Sets
    weight_ih_l{k}... = W.T, weight_hh_l{k}... = W_h.T, bias_ih_l{k}... = b,
    bias_hh_l{k}... = 0. returns the module.
    """
    _, suffixes = _describe(module)
    if not isinstance(layers, (list, tuple)) or len(layers) != len(suffixes):
        length = len(layers) if isinstance(layers, (list, tuple)) else "?"
        raise ValueError(
            f"layers must be a list of {len(suffixes)} layers for a module "
            f"with num_layers={len(suffixes)}; got {type(layers).__name__} of "
            f"length {length}"
        )
    directions = len(suffixes[0])
    for k, (level, names) in enumerate(zip(layers, suffixes)):
        if directions == 2:
            if not isinstance(level, (list, tuple)) or len(level) != 2:
                raise ValueError(
                    f"layers[{k}] must be a pair (params_fw, params_bw) for a "
                    "bidirectional module"
                )
        else:
            level = (level,)
        D = module.input_size if k == 0 else directions * module.hidden_size
        for j, (params, s) in enumerate(zip(level, names)):
            where = f"layers[{k}]" + ("" if directions == 1 else f"[{j}]")
            _write(params, module, s, where, D)
    return module
