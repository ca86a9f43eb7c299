"""Deep (stacked) and bidirectional RNNs, LSTMs and GRUs, forward, in NumPy.

Built from the one-layer references of companion.rnn, companion.lstm and
companion.gru:

* stacked:        h^(1) = layer_1(x),  h^(l) = layer_l(h^(l-1)),  output h^(L)
* bidirectional:  forward states read x_1 .. x_T, backward states read
                  x_T .. x_1 and are put back in time order, then the two
                  are merged, by default side by side: [h_fw_t, h_bw_t]
                  (N, T, 2H)

A bidirectional stack feeds each layer's merged (N, T, 2H) sequence into
the next layer, as PyTorch's ``nn.RNN(..., num_layers=L,
bidirectional=True)`` does. The arguments are checked once, at the entry;
the layers then run the forward of each cell of companion.cells (any
registered cell works).  PyTorch's per-layer tensors are read and
written by ``companion.convert.stacked_from_torch`` / ``stacked_to_torch``.

Letters: N batch, T time steps, D input size, H hidden size, L layers.
"""

from __future__ import annotations

import numpy as np

from . import cells
from .counting import count_params
from .validate import (
    as_float_array,
    boolean,
    instance_of,
    one_of,
    positive_int,
)

MERGES = ("concat", "sum", "ave", "mul")


def merge_directions(h_fw, h_bw, merge="concat"):
    """Join forward and backward states of the same time steps.

    h_fw, h_bw: (N, T, H) or (N, H), the same shape
    merge: "concat" -> [h_fw, h_bw] on the last axis (..., 2H); "sum" ->
           h_fw + h_bw; "ave" -> (h_fw + h_bw) / 2; "mul" -> h_fw * h_bw
           (..., H). Keras' merge_mode names.
    """
    merge = one_of("merge", merge, MERGES)
    h_fw, h_bw = np.asarray(h_fw), np.asarray(h_bw)
    if h_fw.shape != h_bw.shape:
        raise ValueError(
            "h_fw and h_bw must have the same shape; "
            f"got {h_fw.shape} and {h_bw.shape}"
        )
    return _merge(h_fw, h_bw, merge)


def _merge(h_fw, h_bw, merge):
    if merge == "concat":
        return np.concatenate([h_fw, h_bw], axis=-1)
    if merge == "sum":
        return h_fw + h_bw
    if merge == "ave":
        return (h_fw + h_bw) / 2
    return h_fw * h_bw


def _run(cell, x, p):
    """(hs (N, T, H), final): final is h_T (N, H) for a one-state cell,
    else the tuple of the final states, such as (h_T, c_T)."""
    hs, finals, _ = cell.run(x, p)
    return hs, finals[0] if len(finals) == 1 else finals


def _bidirectional(x, p_fw, p_bw, cell, merge):
    """A bidirectional layer: (merged (N, T, .), (final_fw, final_bw))."""
    hs_fw, final_fw = _run(cell, x, p_fw)  # (N, T, H)
    hs_bw_reversed, final_bw = _run(
        cell, x[:, ::-1, :], p_bw
    )  # step s read x_T .. x_{T-s}
    hs_bw = hs_bw_reversed[
        :, ::-1, :
    ]  # time order: hs_bw[:, t] has read x_T .. x_t
    return _merge(hs_fw, hs_bw, merge), (final_fw, final_bw)


def _check_layers(layers, cell, bidirectional, merge):
    """Every layer checked against the cell and the width of the layer below.

    returns a list of tuples of parameter sets (one or two per layer).
    """
    params_class = cells.get(cell).params
    if not isinstance(layers, (list, tuple)) or len(layers) == 0:
        raise ValueError(
            "layers must be a non-empty list of parameter sets, bottom layer "
            f"first; got {layers!r:.60}"
        )
    checked, width = [], None
    hint = f" for cell={cell!r}"
    for k, layer in enumerate(layers):
        name = f"layers[{k}]"
        if bidirectional:
            if not isinstance(layer, (list, tuple)) or len(layer) != 2:
                raise ValueError(
                    f"{name} must be a pair (params_fw, params_bw) when "
                    "bidirectional=True"
                )
            pair = tuple(
                instance_of(f"{name}[{j}]", p, params_class, hint)
                for j, p in enumerate(layer)
            )
        else:
            pair = (instance_of(name, layer, params_class, hint),)
        p = pair[0]
        if any((q.D, q.H) != (p.D, p.H) for q in pair):
            raise ValueError(
                f"{name}'s params_fw and params_bw must have the same D and "
                f"H; got (D={pair[0].D}, H={pair[0].H}) and "
                f"(D={pair[1].D}, H={pair[1].H})"
            )
        if width is not None and p.D != width:
            raise ValueError(
                f"{name} must take the {width} features of the layer below "
                f"(D={width}); got D={p.D}"
            )
        width = 2 * p.H if bidirectional and merge == "concat" else p.H
        checked.append(pair)
    return checked


def bidirectional_forward(x, params_fw, params_bw, cell="rnn", merge="concat"):
    """Run one layer forwards and one backwards over x, and merge them.

    x:         (N, T, D) inputs, batch first
    params_fw: the parameters (matching ``cell``) of the forward layer, D -> H
    params_bw: the same kind, D -> H, for the backward layer (own weights)
    cell:      "rnn", "lstm" or "gru" (or a registered cell)
    merge:     "concat" (default), "sum", "ave" or "mul", see merge_directions
    returns (out, (final_fw, final_bw)):
        out (N, T, 2H) for "concat", else (N, T, H). out[:, t] joins the
            forward state after x_1..x_t with the backward state after
            x_T..x_t.
        final_fw, final_bw: each direction's last state, h_T (N, H) for
            "rnn" and "gru", (h_T, c_T) for "lstm". The backward layer's last state
            is the one at t = 1: it has read the whole sequence.
    """
    out, finals = stacked_forward(
        x, [(params_fw, params_bw)], cell, True, merge
    )
    return out, tuple(finals)


def stacked_forward(
    x, layers, cell="rnn", bidirectional=False, merge="concat"
):
    """Run a stack of recurrent layers, each reading all the one below gives.

    x:      (N, T, D) inputs, batch first
    layers: a list of L parameter sets, bottom layer first. One-directional:
            each an RNNParams / LSTMParams / GRUParams; layer 1 maps D -> H_1, layer l
            maps H_{l-1} -> H_l. bidirectional=True: each a pair
            (params_fw, params_bw); layer l > 1 reads the merged sequence of
            layer l - 1 (2H wide for "concat").
    cell:   "rnn", "lstm" or "gru" (every layer the same kind; or a registered cell)
    merge:  how the two directions are joined, see merge_directions
    returns (hs, finals):
        hs (N, T, H_L), or (N, T, 2H_L) bidirectional with "concat"
        finals: the last states, one per layer and direction, in PyTorch's
            h_n order (layer 1 forward, [layer 1 backward,] layer 2
            forward, ...); each is h_T (N, H) for "rnn" and "gru", or
            (h_T, c_T) for "lstm".
    """
    cell = cells.get(cell).name
    bidirectional = boolean("bidirectional", bidirectional)
    merge = one_of("merge", merge, MERGES)
    checked = _check_layers(layers, cell, bidirectional, merge)
    x = as_float_array("x", x, ("N", "T", ("D", checked[0][0].D)))
    kind = cells.get(cell)
    h, finals = x, []
    for pair in checked:
        if bidirectional:
            h, (final_fw, final_bw) = _bidirectional(
                h, pair[0], pair[1], kind, merge
            )
            finals += [final_fw, final_bw]
        else:
            h, final = _run(kind, h, pair[0])  # (N, T, H_l)
            finals.append(final)
    return h, finals


def stacked_param_count(
    kind,
    input_dim,
    units,
    num_layers=1,
    bidirectional=False,
    framework="keras",
) -> int:
    """Parameters of L stacked layers of ``units`` each, layer by layer.

    kind: "rnn", "lstm" or "gru" (reset after, the frameworks' default);
    input_dim: D; units: H; num_layers: L;
    bidirectional: two layers (own weights) per level, and levels above the
    first read 2H features; framework: "keras" (one bias per gate) or
    "torch" (two).
    """
    kind = cells.get(kind, "kind").name
    D = positive_int("input_dim", input_dim)
    H = positive_int("units", units)
    L = positive_int("num_layers", num_layers)
    directions = 2 if boolean("bidirectional", bidirectional) else 1
    total = 0
    for level in range(L):
        layer_input = D if level == 0 else directions * H
        total += directions * count_params(kind, layer_input, H, framework)
    return total
