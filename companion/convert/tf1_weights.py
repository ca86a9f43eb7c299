"""Weights between RNNParams / LSTMParams and a hand-unrolled TF1 graph.

The Chinese unrolling post (``companion.tf1_graph``) makes every set of
weights as three variables (row vectors, as in the book):
    x_weights (D, H), h_weights (H, H), biases (1, H)
The LSTM has one set per gate scope under 'lstm_nn':
    'inputs' -> i,  'forget' -> f,  'memory' -> g (candidate),  'outputs' -> o
and the book's packed W_x (D, 4H) is the four x_weights side by side in the
order i, f, g, o (likewise W_h and b). The RNN has one set under 'rnn_nn':
    x_weights = W_xh,  h_weights = W_hh,  biases = b_h as (1, H)

The TF1 layout is a plain dict of NumPy arrays: for the LSTM
``{scope: {"x_weights", "h_weights", "biases"}}``, for the RNN
``{"x_weights", "h_weights", "biases"}``. ``from_tf1`` also reads it from a
``tf.compat.v1.Session`` and ``to_tf1`` can write it into one; TensorFlow is
imported inside only.
"""

from __future__ import annotations

import numpy as np

from ..lstm import GATES, LSTMParams
from ..rnn import RNNParams
from ..tf1_graph import GATE_SCOPES, SCOPES, VARIABLES
from ..validate import as_float_array, instance_of

_KIND = {RNNParams: "rnn", LSTMParams: "lstm"}


def _is_session(obj) -> bool:
    return hasattr(obj, "run") and hasattr(obj, "graph")


def _variables(session, scope):
    """{'name/under/scope': variable} of a session's graph."""
    prefix = scope + "/"
    return {
        v.op.name[len(prefix) :]: v
        for v in session.graph.get_collection("variables")
        if v.op.name.startswith(prefix)
    }


def _read_session(session, scope):
    """The TF1 dict (per gate for 'lstm_nn', else flat) read from a session."""
    found = _variables(session, scope)
    gated = any("/" in name for name in found)
    keys = (
        [f"{g}/{v}" for g in GATE_SCOPES for v in VARIABLES]
        if gated
        else list(VARIABLES)
    )
    missing = [f"{scope}/{k}" for k in keys if k not in found]
    if missing:
        raise ValueError(
            f"session's graph lacks the variables {missing}; "
            f"was it built with scope {scope!r}?"
        )
    values = {
        k: np.asarray(v)
        for k, v in zip(keys, session.run([found[k] for k in keys]))
    }
    if not gated:
        return values
    return {g: {v: values[f"{g}/{v}"] for v in VARIABLES} for g in GATE_SCOPES}


def _weight_set(where, w, D=None, H=None):
    """Checked (x_weights (D, H), h_weights (H, H), biases (H,)) of one set."""
    if not isinstance(w, dict) or set(w) != set(VARIABLES):
        raise ValueError(
            f"{where} must be a dict with the keys {list(VARIABLES)}"
        )
    x_w = as_float_array(
        f"{where}['x_weights']", w["x_weights"], (("D", D), ("H", H))
    )
    D, H = x_w.shape
    h_w = as_float_array(
        f"{where}['h_weights']", w["h_weights"], (("H", H), ("H", H))
    )
    b = np.asarray(w["biases"])
    b = b.reshape(-1) if b.shape == (1, H) else b
    b = as_float_array(f"{where}['biases']", b, (("H", H),))
    return x_w, h_w, b


def from_tf1(weights, scope="lstm_nn"):
    """The book's parameters of a hand-unrolled TF1 LSTM or RNN.

    weights: a TF1 dict (see the module docstring), or a tf.compat.v1.Session
             whose graph holds the variables under ``scope`` ('lstm_nn' for
             build_tf1_lstm, 'rnn_nn' for build_tf1_rnn).
    returns LSTMParams with W_x (D, 4H), W_h (H, 4H), b (4H,) for the per-gate
    dict, RNNParams with W_xh (D, H), W_hh (H, H), b_h (H,) for the flat one.
    """
    if _is_session(weights):
        weights = _read_session(weights, scope)
    if isinstance(weights, dict) and set(weights) == set(VARIABLES):
        return RNNParams(*_weight_set("weights", weights))
    if not isinstance(weights, dict) or set(weights) != set(GATE_SCOPES):
        got = (
            sorted(weights)
            if isinstance(weights, dict)
            else type(weights).__name__
        )
        raise ValueError(
            "weights must be a dict with the keys "
            f"{sorted(GATE_SCOPES)} (LSTM) "
            f"or {sorted(VARIABLES)} (RNN); got {got}"
        )
    blocks, D, H = {}, None, None
    for scope_name, letter in GATE_SCOPES.items():
        blocks[letter] = _weight_set(
            f"weights[{scope_name!r}]", weights[scope_name], D, H
        )
        D, H = blocks[letter][0].shape
    order = [blocks[letter] for letter in GATES]  # i, f, g, o
    return LSTMParams(
        W_x=np.concatenate([blk[0] for blk in order], axis=1),  # (D, 4H)
        W_h=np.concatenate([blk[1] for blk in order], axis=1),  # (H, 4H)
        b=np.concatenate([blk[2] for blk in order]),  # (4H,)
    )


def to_tf1(params, session=None, scope=None) -> dict:
    """The TF1 layout of RNNParams or LSTMParams, optionally put in a session.

    params:  LSTMParams (split per gate) or RNNParams (one set)
    session: None, or a tf.compat.v1.Session whose graph holds the variables
             under ``scope``; they are assigned (cast to their dtype).
    scope:   default 'lstm_nn' for LSTMParams, 'rnn_nn' for RNNParams
    returns the TF1 dict (see the module docstring), biases as (1, H).
    """
    instance_of("params", params, tuple(_KIND))
    kind = _KIND[type(params)]
    scope = SCOPES[kind] if scope is None else scope
    if kind == "rnn":
        weights = {
            "x_weights": params.W_xh.copy(),
            "h_weights": params.W_hh.copy(),
            "biases": params.b_h.reshape(1, -1).copy(),
        }
        flat = dict(weights)
    else:
        weights = {}
        for scope_name, letter in GATE_SCOPES.items():
            x_w, h_w, b = params.gate(letter)
            weights[scope_name] = {
                "x_weights": x_w.copy(),
                "h_weights": h_w.copy(),
                "biases": b.reshape(1, -1).copy(),
            }
        flat = {
            f"{g}/{v}": a for g, d in weights.items() for v, a in d.items()
        }
    if session is not None:
        _write_session(session, scope, flat, params.D, params.H)
    return weights


def _write_session(session, scope, flat, D, H):
    if not _is_session(session):
        raise ValueError(
            "session must be a tf.compat.v1.Session; "
            f"got {type(session).__name__}"
        )
    import tensorflow as tf

    variables = _variables(session, scope)
    assigns = []
    with session.graph.as_default():
        for name, value in flat.items():
            key = f"{scope}/{name}"
            if name not in variables:
                raise ValueError(
                    f"session's graph has no variable {key!r}; "
                    f"was it built with scope {scope!r}?"
                )
            var = variables[name]
            shape = tuple(var.shape.as_list())
            if shape != value.shape:
                raise ValueError(
                    f"variable {key!r} has shape {shape} but params give "
                    f"{value.shape}; build the graph with "
                    f"num_embedding_size={D} and num_lstm_nodes=[{H}]"
                )
            assigns.append(
                tf.compat.v1.assign(
                    var, value.astype(var.dtype.as_numpy_dtype)
                )
            )
    session.run(assigns)
