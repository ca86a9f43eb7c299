"""Recurrent cells unrolled by hand in TF1 style, after the Chinese post.

The design of the post, made runnable on TensorFlow 2 (``tf.compat.v1``, no
``disable_eager_execution``): an explicit ``tf.Graph``; variables made by
``get_variable`` inside a ``variable_scope``, each set being ``x_weights``
(D, H), ``h_weights`` (H, H) and ``biases`` (1, H); the states as
non-trainable zero variables of (batch_size, H); a Python loop over time.

LSTM (``build_tf1_lstm``), scope 'lstm_nn', one sub-scope per gate:

    gate    = sigma(x_t x_weights + h h_weights + biases)  inputs, forget,
                                                            outputs
    memory  = tanh(x_t x_weights + h h_weights + biases)
    state   = memory * input_gate + state * forget_gate
    h       = output_gate * tanh(state)

RNN (``build_tf1_rnn``), scope 'rnn_nn', one set of variables:

    h       = tanh(x_t x_weights + h h_weights + biases)

``run_tf1`` feeds inputs through either graph. Weights move in and out with
``companion.convert.to_tf1`` / ``from_tf1``. TensorFlow is imported when a
function is called, never by ``import companion``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import validate
from .validate import as_float_array, positive_int

#: the post's gate scopes, in its order, -> the book's gate letters
GATE_SCOPES = {"inputs": "i", "outputs": "o", "forget": "f", "memory": "g"}
#: the variables of every scope (per gate for the LSTM, once for the RNN)
VARIABLES = ("x_weights", "h_weights", "biases")
#: the outer scope of each graph
SCOPES = {"lstm": "lstm_nn", "rnn": "rnn_nn"}


@dataclass(frozen=True)
class HParams:
    """The post's hyper-parameters (it used ``tf.contrib.training.HParams``).

    num_embedding_size: D, the size of each (embedded) input vector
    num_lstm_nodes:     list of layer sizes; the hand-unrolled cell is one
                        layer, so one entry H
    batch_size:         N, fixed: the states are variables of (N, H)
    num_timesteps:      T, fixed: the loop over time is Python code
    """

    num_embedding_size: int
    num_lstm_nodes: tuple
    batch_size: int
    num_timesteps: int

    def __post_init__(self):
        positive_int("num_embedding_size", self.num_embedding_size)
        positive_int("batch_size", self.batch_size)
        positive_int("num_timesteps", self.num_timesteps)
        nodes = self.num_lstm_nodes
        if (
            isinstance(nodes, (int, np.integer))
            or not hasattr(nodes, "__len__")
            or len(nodes) != 1
        ):
            raise ValueError(
                "num_lstm_nodes must be a list with one layer size, "
                f"e.g. [4]; got {nodes!r}"
            )
        positive_int("num_lstm_nodes[0]", nodes[0])
        object.__setattr__(
            self, "num_lstm_nodes", tuple(int(n) for n in nodes)
        )

    @property
    def units(self) -> int:
        return self.num_lstm_nodes[0]


class TF1Graph(NamedTuple):
    """What ``build_tf1_lstm`` / ``build_tf1_rnn`` return."""

    cell: str  # "lstm" or "rnn"
    graph: object  # tf.Graph
    embed_inputs: object  # placeholder (N, T, D)
    hs: list  # T tensors of (N, H): h after each step
    last_h: object  # (N, H), the sequence representation
    init: object  # op that initialises every variable


# shown in: tf1-unrolling
def _gate_variables(x_size, h_size):
    """The post's helper: x_weights (x_size, h_size),
    h_weights (h_size, h_size), biases (1, h_size)."""
    import tensorflow as tf

    v1 = tf.compat.v1
    x_w = v1.get_variable("x_weights", [x_size, h_size])
    h_w = v1.get_variable("h_weights", [h_size, h_size])
    b = v1.get_variable(
        "biases", [1, h_size], initializer=v1.constant_initializer(0.0)
    )
    return x_w, h_w, b


# shown in: tf1-unrolling
def _unroll_lstm(embed_inputs, N, T, D, H):
    """The post's LSTM: a variable scope per gate, a loop over time; hs."""
    import tensorflow as tf

    v1 = tf.compat.v1
    with v1.variable_scope("lstm_nn"):
        weights = {}
        for name in GATE_SCOPES:
            with v1.variable_scope(name):
                weights[name] = _gate_variables(D, H)
        state = tf.Variable(tf.zeros([N, H]), trainable=False, name="state")
        h = tf.Variable(tf.zeros([N, H]), trainable=False, name="h")
        hs = []
        for t in range(T):
            x_t = tf.reshape(embed_inputs[:, t, :], [N, D])  # (N, D)

            def pre(name):
                x_w, h_w, b = weights[name]
                return tf.matmul(x_t, x_w) + tf.matmul(h, h_w) + b  # (N, H)

            input_gate = tf.sigmoid(pre("inputs"))
            output_gate = tf.sigmoid(pre("outputs"))
            forget_gate = tf.sigmoid(pre("forget"))
            memory = tf.tanh(pre("memory"))
            state = memory * input_gate + state * forget_gate
            h = output_gate * tf.tanh(state)
            hs.append(h)
    return hs


def _unroll_rnn(embed_inputs, N, T, D, H):
    """A vanilla RNN in the post's style: one variable set, a loop; hs."""
    import tensorflow as tf

    v1 = tf.compat.v1
    with v1.variable_scope("rnn_nn"):
        x_w, h_w, b = _gate_variables(D, H)
        h = tf.Variable(tf.zeros([N, H]), trainable=False, name="h")
        hs = []
        for t in range(T):
            x_t = tf.reshape(embed_inputs[:, t, :], [N, D])  # (N, D)
            h = tf.tanh(tf.matmul(x_t, x_w) + tf.matmul(h, h_w) + b)  # (N, H)
            hs.append(h)
    return hs


#: cell name -> the function that unrolls it (a new cell registers here)
UNROLL = {"lstm": _unroll_lstm, "rnn": _unroll_rnn}


def _build(cell, hps, seed) -> TF1Graph:
    """A new tf.Graph: the placeholder, the unrolled cell, the init op."""
    validate.instance_of("hps", hps, HParams, " (companion.tf1_graph.HParams)")
    seed = validate.seed("seed", seed)
    import tensorflow as tf

    v1 = tf.compat.v1
    N, T, D, H = (
        hps.batch_size,
        hps.num_timesteps,
        hps.num_embedding_size,
        hps.units,
    )
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(seed)
        embed_inputs = v1.placeholder(
            tf.float32, [N, T, D], name="embed_inputs"
        )
        scale = 1.0 / np.sqrt(H)
        initializer = v1.random_uniform_initializer(-scale, scale)
        with v1.variable_scope("", initializer=initializer):
            hs = UNROLL[cell](embed_inputs, N, T, D, H)
        init_op = v1.global_variables_initializer()
    return TF1Graph(cell, graph, embed_inputs, hs, hs[-1], init_op)


def build_tf1_lstm(hps: HParams, seed=0) -> TF1Graph:
    """Build the hand-unrolled LSTM (``_unroll_lstm``) in a new ``tf.Graph``.

    hps:  HParams; the weights start uniform in [-1/sqrt(H), 1/sqrt(H)]
          (graph seed ``seed``), the biases at zero.
    returns TF1Graph("lstm", graph, embed_inputs (N, T, D) placeholder, hs,
    last_h (N, H), init).
    """
    return _build("lstm", hps, seed)


def build_tf1_rnn(hps: HParams, seed=0) -> TF1Graph:
    """Build the hand-unrolled RNN (``_unroll_rnn``) in a new ``tf.Graph``.

    hps:  HParams (H = num_lstm_nodes[0]); initial values as build_tf1_lstm.
    returns TF1Graph("rnn", graph, embed_inputs (N, T, D), hs,
    last_h (N, H), init).
    """
    return _build("rnn", hps, seed)


def run_tf1(model: TF1Graph, session, x):
    """Feed x (N, T, D) through a built graph in ``session``.

    model: what build_tf1_lstm or build_tf1_rnn returned; session: a
    tf.compat.v1.Session of model.graph with the variables initialised.
    returns hs (N, T, H) as float32.
    """
    validate.instance_of(
        "model", model, TF1Graph, " (from build_tf1_lstm or build_tf1_rnn)"
    )
    N, T, D = model.embed_inputs.shape.as_list()
    x = as_float_array(
        "x", x, (("N", N), ("T", T), ("D", D)), dtype=np.float32
    )
    hs = session.run(model.hs, feed_dict={model.embed_inputs: x})
    return np.stack(hs, axis=1)  # T arrays of (N, H) -> (N, T, H)
