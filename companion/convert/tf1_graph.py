"""Weights between the book's LSTMParams and the per-gate layout of a hand-unrolled TF1 LSTM.

The Chinese unrolling post gives every gate its own variable scope with three
variables (row vectors, as in the book):
    x_weights (D, H), h_weights (H, H), biases (1, H)
Scope names and the book's gates:
    'inputs' -> i,  'forget' -> f,  'memory' -> g (candidate),  'outputs' -> o
The book's packed W_x (D, 4H) is these four x_weights side by side, in the
order i, f, g, o; likewise W_h and b.

The per-gate layout is a plain dict ``{scope: {"x_weights", "h_weights", "biases"}}``
of NumPy arrays. ``from_tf1`` also reads it straight from a ``tf.compat.v1.Session``
and ``to_tf1`` can write it into one; TensorFlow is imported inside only.
"""
from __future__ import annotations

import numpy as np

from ..params import GATES, LSTMParams
from ..validate import as_float_array

#: gate scope of the TF1 post -> the book's gate letter, in the book's packing order
GATE_SCOPES = {"inputs": "i", "forget": "f", "memory": "g", "outputs": "o"}
VARIABLES = ("x_weights", "h_weights", "biases")


def _is_session(obj) -> bool:
    return hasattr(obj, "run") and hasattr(obj, "graph")


def _read_session(session, scope):
    """The per-gate dict read from the variables under ``scope`` in a session's graph."""
    found = {}
    for var in session.graph.get_collection("variables"):
        name = var.op.name  # e.g. 'lstm_nn/inputs/x_weights'
        parts = name.split("/")
        if len(parts) == 3 and parts[0] == scope and parts[1] in GATE_SCOPES and parts[2] in VARIABLES:
            found.setdefault(parts[1], {})[parts[2]] = var
    missing = [f"{scope}/{g}/{v}" for g in GATE_SCOPES for v in VARIABLES if v not in found.get(g, {})]
    if missing:
        raise ValueError(f"session's graph lacks the variables {missing}; was it built with scope {scope!r}?")
    values = session.run(found)
    return {g: {v: np.asarray(values[g][v]) for v in VARIABLES} for g in GATE_SCOPES}


def from_tf1(gates, scope="lstm_nn") -> LSTMParams:
    """Pack a per-gate TF1 LSTM into LSTMParams (gates i, f, g, o).

    gates: either a dict {'inputs'|'forget'|'memory'|'outputs': {'x_weights' (D, H),
           'h_weights' (H, H), 'biases' (1, H) or (H,)}}, or a tf.compat.v1.Session
           whose graph holds those variables under ``scope``/<gate>/.
    returns LSTMParams with W_x (D, 4H), W_h (H, 4H), b (4H,).
    """
    if _is_session(gates):
        gates = _read_session(gates, scope)
    if not isinstance(gates, dict) or set(gates) != set(GATE_SCOPES):
        got = sorted(gates) if isinstance(gates, dict) else type(gates).__name__
        raise ValueError(f"gates must be a dict with the keys {sorted(GATE_SCOPES)}; got {got}")
    blocks = {}
    D = H = None
    for scope_name, letter in GATE_SCOPES.items():
        g = gates[scope_name]
        if not isinstance(g, dict) or set(g) != set(VARIABLES):
            raise ValueError(f"gates[{scope_name!r}] must be a dict with the keys {list(VARIABLES)}")
        if D is None:
            x_w = as_float_array(f"gates[{scope_name!r}]['x_weights']", g["x_weights"], ("D", "H"))
            D, H = x_w.shape
        x_w = as_float_array(f"gates[{scope_name!r}]['x_weights']", g["x_weights"], (("D", D), ("H", H)))
        h_w = as_float_array(f"gates[{scope_name!r}]['h_weights']", g["h_weights"], (("H", H), ("H", H)))
        b = np.asarray(g["biases"])
        b = as_float_array(f"gates[{scope_name!r}]['biases']", b.reshape(-1) if b.shape == (1, H) else b, (("H", H),))
        blocks[letter] = (x_w, h_w, b)
    order = [blocks[letter] for letter in GATES]  # i, f, g, o
    return LSTMParams(
        W_x=np.concatenate([blk[0] for blk in order], axis=1),  # (D, 4H)
        W_h=np.concatenate([blk[1] for blk in order], axis=1),  # (H, 4H)
        b=np.concatenate([blk[2] for blk in order]),  # (4H,)
    )


def to_tf1(params, session=None, scope="lstm_nn") -> dict:
    """Split LSTMParams into the per-gate TF1 layout, and optionally load it into a session.

    params:  LSTMParams, W_x (D, 4H), W_h (H, 4H), b (4H,)
    session: None, or a tf.compat.v1.Session whose graph holds ``scope``/<gate>/
             x_weights (D, H), h_weights (H, H), biases (1, H); they are assigned.
    returns {'inputs'|'forget'|'memory'|'outputs': {'x_weights', 'h_weights', 'biases' (1, H)}}.
    """
    if not isinstance(params, LSTMParams):
        raise ValueError(f"params must be an LSTMParams; got {type(params).__name__}")
    gates = {}
    for scope_name, letter in GATE_SCOPES.items():
        x_w, h_w, b = params.gate(letter)
        gates[scope_name] = {"x_weights": x_w.copy(), "h_weights": h_w.copy(), "biases": b.reshape(1, -1).copy()}
    if session is not None:
        _write_session(session, scope, gates, params.D, params.H)
    return gates


def _write_session(session, scope, gates, D, H):
    if not _is_session(session):
        raise ValueError(f"session must be a tf.compat.v1.Session; got {type(session).__name__}")
    import tensorflow as tf

    variables = {v.op.name: v for v in session.graph.get_collection("variables")}
    assigns = []
    with session.graph.as_default():
        for scope_name, values in gates.items():
            for var_name, value in values.items():
                key = f"{scope}/{scope_name}/{var_name}"
                if key not in variables:
                    raise ValueError(f"session's graph has no variable {key!r}; was it built with scope {scope!r}?")
                var = variables[key]
                shape = tuple(var.shape.as_list())
                if shape != value.shape:
                    raise ValueError(
                        f"variable {key!r} has shape {shape} but params give {value.shape}; "
                        f"build the graph with num_embedding_size={D} and num_lstm_nodes=[{H}]"
                    )
                assigns.append(tf.compat.v1.assign(var, value.astype(var.dtype.as_numpy_dtype)))
    session.run(assigns)
