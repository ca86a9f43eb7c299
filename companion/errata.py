"""The source documents' buggy code, kept to be shown and tested (errata).

S1, the Korean Keras blog post, wrote two custom cells with bugs:

* ``S1BuggyRNNCell``: returns the read-out y_t as the new state instead of
  h_t, so the recurrence is fed y.
* ``S1BuggyLSTMCell``: the post's LSTM cell with one of its four bugs
  switched on (``LSTM_BUGS``); with none of them it is
  ``companion.keras_cells.LSTMCell``.

The correct cells live in ``companion.keras_cells``. This module imports
Keras; ``import companion`` does not.
"""

from __future__ import annotations

from keras import ops

from .keras_cells import LSTMCell, RNNCell
from .validate import one_of

#: the LSTM bugs of the post, each switched on alone in S1BuggyLSTMCell
LSTM_BUGS = ("weight_shape", "reversed_dot", "bare_b_o", "state_size")


class S1BuggyRNNCell(RNNCell):
    """The post's RNN cell as written: it returns the read-out y_t as state.

    So the next step computes tanh(x_t W_xh + y_{t-1} W_hh + b_h): the
    recurrence is fed y, not h. Shapes still fit (W_hy is (H, H)), so
    nothing fails; the numbers are simply wrong.
    """

    def __init__(self, units, **kwargs):
        super().__init__(units, readout=True, **kwargs)

    # shown in: keras-custom-cells
    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        h, y = self._step(inputs, h_prev)
        return y, [y]  # BUG: y instead of h


class S1BuggyLSTMCell(LSTMCell):
    """The post's LSTM cell with exactly one of its bugs switched on.

    bug, one of LSTM_BUGS:
      'weight_shape': gate weights of (2 * input_dim, units), right only
                      when input_dim == units
      'reversed_dot': K.dot(w, [h, x]) instead of K.dot([h, x], w)
      'bare_b_o':     the output gate uses ``b_o`` instead of ``self.b_o``
                      (a NameError)
      'state_size':   state_size = units although the cell carries two states
    """

    # shown in: keras-custom-cells
    def __init__(self, units, bug, **kwargs):
        super().__init__(units, **kwargs)
        self.bug = one_of("bug", bug, LSTM_BUGS)
        if bug == "state_size":
            self.state_size = self.units  # BUG: one state declared, two used

    # shown in: keras-custom-cells
    def _weight_rows(self, input_dim):
        if self.bug == "weight_shape":
            return (
                2 * input_dim
            )  # BUG: equals units + input_dim only when input_dim == units
        return self.units + input_dim

    def build(self, input_shape):
        self._add_gate_weights(self._weight_rows(input_shape[-1]))

    # shown in: keras-custom-cells
    def _gate(self, hx, w, b):
        if self.bug == "reversed_dot":
            return ops.dot(w, hx) + b  # BUG: operands reversed
        return ops.matmul(hx, w) + b

    # shown in: keras-custom-cells
    def _output_gate(self, hx):
        if self.bug == "bare_b_o":
            return ops.sigmoid(self._gate(hx, self.w_o, b_o))  # noqa: F821  BUG: b_o is not defined here
        return ops.sigmoid(self._gate(hx, self.w_o, self.b_o))

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states  # two states: [h, c]
        hx = ops.concatenate([h_prev, inputs], axis=-1)  # (N, H + D)
        f = ops.sigmoid(self._gate(hx, self.w_f, self.b_f))
        i = ops.sigmoid(self._gate(hx, self.w_i, self.b_i))
        c_tilde = ops.tanh(self._gate(hx, self.w_c, self.b_c))
        c = f * c_prev + i * c_tilde
        o = self._output_gate(hx)
        h = o * ops.tanh(c)
        return h, [h, c]
