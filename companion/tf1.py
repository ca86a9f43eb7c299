"""An LSTM unrolled by hand in TensorFlow-1 style, after the Chinese unrolling post.

The design of the post, made runnable on TensorFlow 2 (``tf.compat.v1``, no
``disable_eager_execution``): an explicit ``tf.Graph``; inside
``variable_scope('lstm_nn')`` one sub-scope per gate ('inputs', 'outputs',
'forget', 'memory'), each with ``x_weights`` (D, H), ``h_weights`` (H, H) and
``biases`` (1, H) made by ``get_variable``; ``state`` and ``h`` as
non-trainable zero variables of (batch_size, H); a Python loop over time:

    gate    = sigma(x_t x_weights + h h_weights + biases)   for inputs, forget, outputs
    memory  = tanh(x_t x_weights + h h_weights + biases)
    state   = memory * input_gate + state * forget_gate
    h       = output_gate * tanh(state)

The last h is the representation of the sequence. TensorFlow is imported
when a function is called, never by ``import companion``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .validate import as_float_array, positive_int

GATE_SCOPES = ("inputs", "outputs", "forget", "memory")  # the post's order of scopes


@dataclass(frozen=True)
class HParams:
    """The post's hyper-parameters (it used ``tf.contrib.training.HParams``, gone in TF2).

    num_embedding_size: D, the size of each (embedded) input vector
    num_lstm_nodes:     list of layer sizes; the hand-unrolled LSTM is one layer, so one entry H
    batch_size:         N, fixed, because ``state`` and ``h`` are variables of (N, H)
    num_timesteps:      T, fixed, because the loop over time is Python code
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
        if isinstance(nodes, (int, np.integer)) or not hasattr(nodes, "__len__") or len(nodes) != 1:
            raise ValueError(f"num_lstm_nodes must be a list with one layer size, e.g. [4]; got {nodes!r}")
        positive_int("num_lstm_nodes[0]", nodes[0])
        object.__setattr__(self, "num_lstm_nodes", tuple(int(n) for n in nodes))

    @property
    def units(self) -> int:
        return self.num_lstm_nodes[0]


class TF1LSTM(NamedTuple):
    """What ``build_tf1_lstm`` returns: the graph and the tensors a session runs."""

    graph: object  # tf.Graph
    embed_inputs: object  # placeholder (N, T, D)
    hs: list  # T tensors of (N, H): h after each step
    last_h: object  # (N, H), the sequence representation
    init: object  # op that initialises every variable


def _gate_variables(x_size, h_size):
    """The post's helper: x_weights (x_size, h_size), h_weights (h_size, h_size), biases (1, h_size)."""
    import tensorflow as tf

    v1 = tf.compat.v1
    x_w = v1.get_variable("x_weights", [x_size, h_size])
    h_w = v1.get_variable("h_weights", [h_size, h_size])
    b = v1.get_variable("biases", [1, h_size], initializer=v1.constant_initializer(0.0))
    return x_w, h_w, b


def check_build_args(hps, seed):
    """Refuse anything but an HParams and a non-negative integer seed (graph builders' inputs)."""
    if not isinstance(hps, HParams):
        raise ValueError(f"hps must be a companion.tf1.HParams; got {type(hps).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")


def build_tf1_lstm(hps: HParams, seed=0) -> TF1LSTM:
    """Build the hand-unrolled LSTM in a new ``tf.Graph`` (see the module docstring).

    hps:  HParams; the weights start uniform in [-1/sqrt(H), 1/sqrt(H)] (graph seed ``seed``),
          the biases at zero.
    returns TF1LSTM(graph, embed_inputs (N, T, D) placeholder, hs, last_h (N, H), init).
    """
    check_build_args(hps, seed)
    import tensorflow as tf

    v1 = tf.compat.v1
    N, T, D, H = hps.batch_size, hps.num_timesteps, hps.num_embedding_size, hps.units
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(seed)
        embed_inputs = v1.placeholder(tf.float32, [N, T, D], name="embed_inputs")
        scale = 1.0 / np.sqrt(H)
        init = v1.random_uniform_initializer(-scale, scale)
        with v1.variable_scope("lstm_nn", initializer=init):
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
        init_op = v1.global_variables_initializer()
    return TF1LSTM(graph, embed_inputs, hs, hs[-1], init_op)


def run_tf1_lstm(model: TF1LSTM, session, x):
    """Feed x (N, T, D) through the graph in ``session``; returns hs (N, T, H) as float32."""
    if not isinstance(model, TF1LSTM):
        raise ValueError(f"model must be what build_tf1_lstm returns; got {type(model).__name__}")
    N, T, D = model.embed_inputs.shape.as_list()
    x = as_float_array("x", x, (("N", N), ("T", T), ("D", D)), dtype=np.float32)
    hs = session.run(model.hs, feed_dict={model.embed_inputs: x})
    return np.stack(hs, axis=1)  # T arrays of (N, H) -> (N, T, H)
