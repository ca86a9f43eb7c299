"""Do several implementations compute the same numbers? Pairwise differences, and a TF1-style RNN.

* ``pairwise_max_diffs(outputs)``: max |a - b| for every pair of named outputs
* ``agreement_table(outputs, tol)``: asserts every pair stays below ``tol`` and
  returns a table that prints the same on any CPU (the bound, never the value)
* ``diff_per_step(a, b)``: max |a - b| at each time step, (N, T, H) -> (T,)
* ``build_tf1_rnn`` / ``assign_tf1_rnn`` / ``run_tf1_rnn``: the vanilla RNN
  unrolled by hand in the style of ``companion.tf1`` (which has the LSTM):
  ``variable_scope('rnn_nn')`` with ``x_weights`` (D, H), ``h_weights`` (H, H),
  ``biases`` (1, H), a non-trainable zero variable ``h`` (N, H), and a Python
  loop over time computing h = tanh(x_t x_weights + h h_weights + biases).

TensorFlow is imported inside the TF1 functions only; ``import companion.agreement``
stays NumPy-only.
"""
from __future__ import annotations

from itertools import combinations
from typing import NamedTuple

import numpy as np

from .compare import max_abs_diff, to_numpy
from .params import RNNParams
from .tf1 import HParams, check_build_args
from .validate import as_float_array


def _check_outputs(outputs, at_least=2):
    if not isinstance(outputs, dict) or len(outputs) < at_least:
        raise ValueError(
            f"outputs must be a dict {{name: array}} with at least {at_least} entries; "
            f"got {type(outputs).__name__} of length {len(outputs) if hasattr(outputs, '__len__') else '?'}"
        )
    arrays = {}
    shape = None
    for name, value in outputs.items():
        if not isinstance(name, str):
            raise ValueError(f"outputs' keys must be names (str); got {name!r}")
        a = to_numpy(value)
        if shape is None:
            shape = a.shape
        elif a.shape != shape:
            first = next(iter(outputs))
            raise ValueError(f"outputs[{name!r}] has shape {a.shape}, but outputs[{first!r}] has {shape}; all must match")
        arrays[name] = a
    return arrays


def pairwise_max_diffs(outputs) -> dict:
    """max |a - b| for every unordered pair of named outputs.

    outputs: {name: array}, all of the same shape, e.g. hidden states (N, T, H)
             from several implementations (NumPy arrays or framework tensors).
    returns {(name_a, name_b): float}, pairs in the order of ``outputs``, a before b.
    """
    arrays = _check_outputs(outputs)
    return {(a, b): max_abs_diff(arrays[a], arrays[b]) for a, b in combinations(arrays, 2)}


def agreement_table(outputs, tol) -> str:
    """Assert that every pair of outputs differs by less than ``tol``; return a printable table.

    outputs: {name: array}, all of the same shape; tol: a positive float.
    Each line names a pair and the bound, e.g. ``NumPy  nn.LSTM  < 1e-06``. The
    measured values are not printed: they vary with the CPU and the maths library.
    Raises AssertionError naming every pair that is not below ``tol``.
    """
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not tol > 0:
        raise ValueError(f"tol must be a positive number; got {tol!r}")
    diffs = pairwise_max_diffs(outputs)
    bad = [f"{a} vs {b}: {d:.3e}" for (a, b), d in diffs.items() if not d < tol]
    if bad:
        raise AssertionError(f"not below {tol:.0e}: " + "; ".join(bad))
    w = max(len("compared with"), *(len(name) for name in outputs)) + 2  # column width
    lines = [f"{'output of':<{w}}{'compared with':<{w}}{'max |difference|':>17}"]
    lines += [f"{a:<{w}}{b:<{w}}{'< ' + format(tol, '.0e'):>17}" for a, b in diffs]
    return "\n".join(lines)


def diff_per_step(a, b):
    """max |a - b| over the batch and the units, at each time step.

    a, b: (N, T, H) hidden states; returns (T,) float64.
    """
    a = as_float_array("a", to_numpy(a), ("N", "T", "H"))
    b = as_float_array("b", to_numpy(b), (("N", a.shape[0]), ("T", a.shape[1]), ("H", a.shape[2])))
    return np.abs(a.astype(np.float64) - b.astype(np.float64)).max(axis=(0, 2))


class TF1RNN(NamedTuple):
    """What ``build_tf1_rnn`` returns: the graph and the tensors a session runs."""

    graph: object  # tf.Graph
    embed_inputs: object  # placeholder (N, T, D)
    hs: list  # T tensors of (N, H): h after each step
    last_h: object  # (N, H)
    init: object  # op that initialises every variable
    weights: dict  # {'x_weights', 'h_weights', 'biases'}: the trainable variables


def build_tf1_rnn(hps: HParams, seed=0) -> TF1RNN:
    """Build a vanilla RNN unrolled by hand in a new ``tf.Graph`` (see the module docstring).

    hps:  companion.tf1.HParams (N = batch_size, T = num_timesteps, D = num_embedding_size,
          H = num_lstm_nodes[0]); the weights start uniform in [-1/sqrt(H), 1/sqrt(H)]
          (graph seed ``seed``), the biases at zero.
    returns TF1RNN(graph, embed_inputs (N, T, D) placeholder, hs, last_h (N, H), init, weights).
    """
    check_build_args(hps, seed)
    import tensorflow as tf

    v1 = tf.compat.v1
    N, T, D, H = hps.batch_size, hps.num_timesteps, hps.num_embedding_size, hps.units
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(int(seed))
        embed_inputs = v1.placeholder(tf.float32, [N, T, D], name="embed_inputs")
        scale = 1.0 / np.sqrt(H)
        with v1.variable_scope("rnn_nn", initializer=v1.random_uniform_initializer(-scale, scale)):
            x_w = v1.get_variable("x_weights", [D, H])
            h_w = v1.get_variable("h_weights", [H, H])
            b = v1.get_variable("biases", [1, H], initializer=v1.constant_initializer(0.0))
            h = tf.Variable(tf.zeros([N, H]), trainable=False, name="h")
            hs = []
            for t in range(T):
                x_t = tf.reshape(embed_inputs[:, t, :], [N, D])  # (N, D)
                h = tf.tanh(tf.matmul(x_t, x_w) + tf.matmul(h, h_w) + b)  # (N, H)
                hs.append(h)
        init_op = v1.global_variables_initializer()
    weights = {"x_weights": x_w, "h_weights": h_w, "biases": b}
    return TF1RNN(graph, embed_inputs, hs, hs[-1], init_op, weights)


def _check_model(model):
    if not isinstance(model, TF1RNN):
        raise ValueError(f"model must be what build_tf1_rnn returns; got {type(model).__name__}")
    return model


def assign_tf1_rnn(params: RNNParams, model: TF1RNN, session):
    """Load RNNParams into the graph's variables in ``session`` (cast to float32).

    x_weights = W_xh (D, H), h_weights = W_hh (H, H), biases = b_h as (1, H).
    Run ``model.init`` first. Returns the model.
    """
    if not isinstance(params, RNNParams):
        raise ValueError(f"params must be an RNNParams; got {type(params).__name__}")
    _check_model(model)
    D, H = model.weights["x_weights"].shape.as_list()
    if (params.D, params.H) != (D, H):
        raise ValueError(
            f"params have D={params.D}, H={params.H} but the graph was built with D={D}, H={H}; "
            f"build it with num_embedding_size={params.D} and num_lstm_nodes=[{params.H}]"
        )
    import tensorflow as tf

    values = {"x_weights": params.W_xh, "h_weights": params.W_hh, "biases": params.b_h.reshape(1, H)}
    with model.graph.as_default():
        assigns = [tf.compat.v1.assign(model.weights[k], np.asarray(v, np.float32)) for k, v in values.items()]
    session.run(assigns)
    return model


def run_tf1_rnn(model: TF1RNN, session, x):
    """Feed x (N, T, D) through the graph in ``session``; returns hs (N, T, H) as float32."""
    _check_model(model)
    N, T, D = model.embed_inputs.shape.as_list()
    x = as_float_array("x", x, (("N", N), ("T", T), ("D", D)), dtype=np.float32)
    hs = session.run(model.hs, feed_dict={model.embed_inputs: x})
    return np.stack(hs, axis=1)  # T arrays of (N, H) -> (N, T, H)
