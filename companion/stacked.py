"""Deep (stacked) and bidirectional RNNs and LSTMs, forward, in NumPy.

Built from the one-layer references ``rnn_forward`` and ``lstm_forward``:

* stacked:        h^(1) = layer_1(x),  h^(l) = layer_l(h^(l-1)),  output h^(L)
* bidirectional:  forward states read x_1 .. x_T, backward states read
                  x_T .. x_1 and are put back in time order, then the two
                  are merged, by default side by side: [h_fw_t, h_bw_t] (N, T, 2H)

A bidirectional stack feeds each layer's merged (N, T, 2H) sequence into the
next layer, as PyTorch's ``nn.RNN(..., num_layers=L, bidirectional=True)`` does.
``stacked_from_torch`` / ``stacked_to_torch`` read and write PyTorch's
per-layer, per-direction tensors (``weight_ih_l1``, ``weight_ih_l0_reverse``, ...);
torch is imported inside them, so ``import companion.stacked`` stays NumPy-only.

Letters: N batch, T time steps, D input size, H hidden size, L layers.
"""
from __future__ import annotations

import numpy as np

from .counting import count_params
from .lstm import lstm_forward
from .params import LSTMParams, RNNParams
from .rnn import rnn_forward
from .validate import as_float_array, one_of, positive_int

CELLS = ("rnn", "lstm")
MERGES = ("concat", "sum", "ave", "mul")
_PARAMS = {"rnn": RNNParams, "lstm": LSTMParams}
_FORWARD = {"rnn": rnn_forward, "lstm": lstm_forward}


def _check_layer(name, params, cell):
    cls = _PARAMS[cell]
    if not isinstance(params, cls):
        raise ValueError(f"{name} must be an {cls.__name__} for cell={cell!r}; got {type(params).__name__}")
    return params


def merge_directions(h_fw, h_bw, merge="concat"):
    """Join forward and backward states of the same time steps.

    h_fw, h_bw: (N, T, H) or (N, H), the same shape
    merge: "concat" -> [h_fw, h_bw] on the last axis (..., 2H); "sum" -> h_fw + h_bw;
           "ave" -> (h_fw + h_bw) / 2; "mul" -> h_fw * h_bw (..., H). Keras' merge_mode names.
    """
    merge = one_of("merge", merge, MERGES)
    h_fw, h_bw = np.asarray(h_fw), np.asarray(h_bw)
    if h_fw.shape != h_bw.shape:
        raise ValueError(f"h_fw and h_bw must have the same shape; got {h_fw.shape} and {h_bw.shape}")
    if merge == "concat":
        return np.concatenate([h_fw, h_bw], axis=-1)
    if merge == "sum":
        return h_fw + h_bw
    if merge == "ave":
        return (h_fw + h_bw) / 2
    return h_fw * h_bw


def bidirectional_forward(x, params_fw, params_bw, cell="rnn", merge="concat"):
    """Run one layer forwards and a second one backwards over x, and merge them.

    x:         (N, T, D) inputs, batch first
    params_fw: RNNParams or LSTMParams (matching ``cell``) of the forward layer, D -> H
    params_bw: the same kind, D -> H, for the backward layer (its own weights)
    cell:      "rnn" or "lstm"
    merge:     "concat" (default), "sum", "ave" or "mul", see merge_directions
    returns (out, (final_fw, final_bw)):
        out (N, T, 2H) for "concat", else (N, T, H). out[:, t] joins the forward
            state after x_1..x_t with the backward state after x_T..x_t.
        final_fw, final_bw: each direction's last state, as rnn_forward returns it
            (h_T, (N, H)) or lstm_forward ((h_T, c_T)). The backward layer's last
            state is the one at t = 1: it has read the whole sequence.
    """
    cell = one_of("cell", cell, CELLS)
    merge = one_of("merge", merge, MERGES)
    p_fw = _check_layer("params_fw", params_fw, cell)
    p_bw = _check_layer("params_bw", params_bw, cell)
    if (p_fw.D, p_fw.H) != (p_bw.D, p_bw.H):
        raise ValueError(
            f"params_fw and params_bw must have the same D and H; got (D={p_fw.D}, H={p_fw.H}) "
            f"and (D={p_bw.D}, H={p_bw.H})"
        )
    x = as_float_array("x", x, ("N", "T", ("D", p_fw.D)))
    forward = _FORWARD[cell]
    hs_fw, final_fw = forward(x, p_fw)  # (N, T, H)
    hs_bw_reversed, final_bw = forward(x[:, ::-1, :], p_bw)  # step s read x_T .. x_{T-s}
    hs_bw = hs_bw_reversed[:, ::-1, :]  # back in time order: hs_bw[:, t] has read x_T .. x_t
    return merge_directions(hs_fw, hs_bw, merge), (final_fw, final_bw)


def stacked_forward(x, layers, cell="rnn", bidirectional=False, merge="concat"):
    """Run a stack of recurrent layers: each layer reads the whole output sequence of the one below.

    x:      (N, T, D) inputs, batch first
    layers: a list of L parameter sets, bottom layer first. One-directional: each an
            RNNParams / LSTMParams; layer 1 maps D -> H_1, layer l maps H_{l-1} -> H_l.
            bidirectional=True: each a pair (params_fw, params_bw); layer l > 1 reads
            the merged sequence of layer l - 1 (2H wide for "concat").
    cell:   "rnn" or "lstm" (every layer the same kind)
    returns (hs, finals):
        hs (N, T, H_L), or (N, T, 2H_L) bidirectional with "concat": the top layer's states
        finals: list of the last states, one per layer and direction, in PyTorch's h_n order
            (layer 1 forward, [layer 1 backward,] layer 2 forward, ...); each is
            h_T (N, H) for "rnn" or (h_T, c_T) for "lstm".
    """
    cell = one_of("cell", cell, CELLS)
    if not isinstance(bidirectional, (bool, np.bool_)):
        raise ValueError(f"bidirectional must be True or False; got {bidirectional!r}")
    if not isinstance(layers, (list, tuple)) or len(layers) == 0:
        raise ValueError(f"layers must be a non-empty list of parameter sets, bottom layer first; got {layers!r:.60}")
    h = np.asarray(x)
    finals = []
    for k, layer in enumerate(layers):
        name = f"layers[{k}]"
        if bidirectional:
            if not isinstance(layer, (list, tuple)) or len(layer) != 2:
                raise ValueError(f"{name} must be a pair (params_fw, params_bw) when bidirectional=True")
            p_fw = _check_layer(name + "[0]", layer[0], cell)
            _check_layer(name + "[1]", layer[1], cell)
            D = p_fw.D
        else:
            D = _check_layer(name, layer, cell).D
        if k > 0 and h.shape[-1] != D:
            raise ValueError(
                f"{name} must take the {h.shape[-1]} features of the layer below (D={h.shape[-1]}); got D={D}"
            )
        h = as_float_array("x" if k == 0 else f"the input of {name}", h, ("N", "T", ("D", D)))
        if bidirectional:
            h, (final_fw, final_bw) = bidirectional_forward(h, layer[0], layer[1], cell, merge)
            finals += [final_fw, final_bw]
        else:
            h, final = _FORWARD[cell](h, layer)  # (N, T, H_l)
            finals.append(final)
    return h, finals


def stacked_param_count(kind, input_dim, units, num_layers=1, bidirectional=False, framework="keras") -> int:
    """Parameters of L stacked layers of ``units`` each, from count_params layer by layer.

    kind: "rnn" or "lstm"; input_dim: D; units: H; num_layers: L;
    bidirectional: two layers (own weights) per level, and levels above the first read 2H features;
    framework: "keras" (one bias per gate) or "torch" (two).
    """
    kind = one_of("kind", kind, CELLS)
    D, H, L = positive_int("input_dim", input_dim), positive_int("units", units), positive_int("num_layers", num_layers)
    directions = 2 if bidirectional else 1
    total = 0
    for level in range(L):
        layer_input = D if level == 0 else directions * H
        total += directions * count_params(kind, layer_input, H, framework)
    return total


# ---- PyTorch's nn.RNN / nn.LSTM with num_layers and bidirectional ----------------------------


def _torch_module(module):
    """(cell, suffixes) of a supported torch module; suffixes like [('_l0', '_l0_reverse'), ...]."""
    from torch import nn

    if not isinstance(module, (nn.RNN, nn.LSTM)):
        raise ValueError(f"module must be an nn.RNN or nn.LSTM; got {type(module).__name__}")
    if isinstance(module, nn.RNN) and module.nonlinearity != "tanh":
        raise ValueError(f"module must use nonlinearity='tanh', the book's RNN; got {module.nonlinearity!r}")
    if isinstance(module, nn.LSTM) and module.proj_size:
        raise ValueError(f"module must be an nn.LSTM without projection (proj_size=0); got proj_size={module.proj_size}")
    cell = "rnn" if isinstance(module, nn.RNN) else "lstm"
    dirs = ("", "_reverse") if module.bidirectional else ("",)
    return cell, [tuple(f"_l{k}{d}" for d in dirs) for k in range(module.num_layers)]


def stacked_from_torch(module):
    """The book's parameters of every layer and direction of an nn.RNN (tanh) or nn.LSTM.

    Reads weight_ih_l{k}{,_reverse} (G*H, D_k), weight_hh_l{k}... (G*H, H) and the two
    biases (G = 1 for the RNN, 4 for the LSTM) and returns the ``layers`` list of
    stacked_forward: one RNNParams / LSTMParams per layer, or a pair (forward, backward)
    per layer when module.bidirectional. W = weight.T, b = bias_ih + bias_hh.
    """
    cell, suffixes = _torch_module(module)
    cls = _PARAMS[cell]

    def read(s):
        W_in = getattr(module, "weight_ih" + s).detach().cpu().numpy().T.copy()  # (G*H, D_k) -> (D_k, G*H)
        W_rec = getattr(module, "weight_hh" + s).detach().cpu().numpy().T.copy()  # (G*H, H) -> (H, G*H)
        if module.bias:
            b = (getattr(module, "bias_ih" + s) + getattr(module, "bias_hh" + s)).detach().cpu().numpy().copy()
        else:
            b = np.zeros(W_in.shape[1], dtype=W_in.dtype)
        return cls(W_in, W_rec, b)

    layers = [tuple(read(s) for s in level) for level in suffixes]
    return layers if module.bidirectional else [level[0] for level in layers]


def stacked_to_torch(layers, module):
    """Copy a ``layers`` list (as stacked_forward takes it) into an nn.RNN / nn.LSTM, in place.

    module: nn.RNN (tanh) or nn.LSTM with num_layers = len(layers), any bidirectional;
    every layer's D and H must match the module's (layer 1: input_size, above:
    hidden_size, times 2 when bidirectional). Sets weight_ih_l{k}... = W.T,
    weight_hh_l{k}... = W_h.T, bias_ih_l{k}... = b, bias_hh_l{k}... = 0. returns the module.
    """
    import torch

    cell, suffixes = _torch_module(module)
    cls = _PARAMS[cell]
    if not isinstance(layers, (list, tuple)) or len(layers) != len(suffixes):
        raise ValueError(
            f"layers must be a list of {len(suffixes)} layers for a module with num_layers={len(suffixes)}; "
            f"got {type(layers).__name__} of length {len(layers) if isinstance(layers, (list, tuple)) else '?'}"
        )
    directions = len(suffixes[0])
    H = module.hidden_size
    for k, (level, names) in enumerate(zip(layers, suffixes)):
        if module.bidirectional:
            if not isinstance(level, (list, tuple)) or len(level) != 2:
                raise ValueError(f"layers[{k}] must be a pair (params_fw, params_bw) for a bidirectional module")
        else:
            level = (level,)
        D = module.input_size if k == 0 else directions * H
        for params, s in zip(level, names):
            where = f"layers[{k}]" + ("" if directions == 1 else f"[{names.index(s)}]")
            if not isinstance(params, cls):
                raise ValueError(f"{where} must be an {cls.__name__} for {type(module).__name__}; got {type(params).__name__}")
            if (params.D, params.H) != (D, H):
                raise ValueError(f"{where} must have D={D} and H={H} (weight_ih{s}); got D={params.D}, H={params.H}")
            W_in, W_rec, b = (params.as_dict()[n] for n in (("W_xh", "W_hh", "b_h") if cell == "rnn" else ("W_x", "W_h", "b")))
            if not module.bias and np.any(b != 0):
                raise ValueError(f"{where}'s bias must be zero for a module built with bias=False")
            with torch.no_grad():
                getattr(module, "weight_ih" + s).copy_(torch.as_tensor(W_in.T))  # (D, G*H) -> (G*H, D)
                getattr(module, "weight_hh" + s).copy_(torch.as_tensor(W_rec.T))  # (H, G*H) -> (G*H, H)
                if module.bias:
                    getattr(module, "bias_ih" + s).copy_(torch.as_tensor(b))
                    getattr(module, "bias_hh" + s).zero_()
    return module
