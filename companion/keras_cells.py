"""Custom Keras recurrent cells, after the Korean Keras blog post, with its errors fixed.

Use a cell through ``keras.layers.RNN(cell)``. This module imports Keras;
``import companion`` does not import it.

Correct cells (the book's row-vector convention):
    RNNCell:   h_t = tanh(x_t W_xh + h_{t-1} W_hh + b_h); state h_t; output h_t,
               or y_t = h_t W_hy + b_y with ``readout=True`` (the post's read-out)
    LSTMCell:  one matrix per gate, each (H + D, H), on the concatenation [h_{t-1}, x_t]:
               f = sigma([h, x] w_f + b_f), i = sigma([h, x] w_i + b_i),
               c~ = tanh([h, x] w_c + b_c), o = sigma([h, x] w_o + b_o),
               c_t = f * c_{t-1} + i * c~, h_t = o * tanh(c_t); states [h_t, c_t]
    GRUCell:   the book's packed layout, blocks r, z, g (companion.gru), with
               either reset variant; state h_t; output h_t

The post's versions with its bugs live in ``companion.errata``.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from .gru import GRUParams
from .lstm import GATES, LSTMParams
from .rnn import RNNParams
from .validate import boolean, instance_of, positive_int

_CELL_GATES = (
    "f",
    "i",
    "c",
    "o",
)  # the post's order; its 'c' is the book's candidate g


def _uniform(units):
    s = 1.0 / np.sqrt(units)
    return keras.initializers.RandomUniform(-s, s)


class RNNCell(keras.layers.Layer):
    """A vanilla RNN cell: h_t = tanh(x_t W_xh + h_{t-1} W_hh + b_h).

    units: H. With ``readout=True`` the cell also has W_hy (H, H) and b_y (H,)
    and outputs y_t = h_t W_hy + b_y, while the state it carries stays h_t.
    Inputs x_t (N, D); state h (N, H); output (N, H).
    """

    def __init__(self, units, readout=False, **kwargs):
        super().__init__(**kwargs)
        self.units = positive_int("units", units)
        self.readout = bool(readout)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        D, H = input_shape[-1], self.units
        self.W_xh = self.add_weight(
            shape=(D, H), initializer=_uniform(H), name="W_xh"
        )
        self.W_hh = self.add_weight(
            shape=(H, H), initializer=_uniform(H), name="W_hh"
        )
        self.b_h = self.add_weight(shape=(H,), initializer="zeros", name="b_h")
        if self.readout:
            self.W_hy = self.add_weight(
                shape=(H, H), initializer=_uniform(H), name="W_hy"
            )
            self.b_y = self.add_weight(
                shape=(H,), initializer="zeros", name="b_y"
            )

    # shown in: keras-custom-cells
    def _step(self, x_t, h_prev):
        h = ops.tanh(
            ops.matmul(x_t, self.W_xh)
            + ops.matmul(h_prev, self.W_hh)
            + self.b_h
        )  # (N, H)
        y = (
            ops.matmul(h, self.W_hy) + self.b_y if self.readout else h
        )  # (N, H)
        return h, y

    # shown in: keras-custom-cells
    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        h, y = self._step(inputs, h_prev)
        return y, [h]  # the state carries h, never the read-out y

    def load_params(self, params: RNNParams, W_hy=None, b_y=None):
        """Set W_xh, W_hh, b_h from RNNParams (and W_hy (H, H), b_y (H,) if readout)."""
        instance_of("params", params, RNNParams)
        if not self.built or self.W_xh.shape != params.W_xh.shape:
            got = tuple(self.W_xh.shape) if self.built else "an unbuilt cell"
            raise ValueError(
                f"params have W_xh of shape {params.W_xh.shape}; the cell has {got} (build it first)"
            )
        values = [params.W_xh, params.W_hh, params.b_h]
        if self.readout:
            if W_hy is None or b_y is None:
                raise ValueError(
                    "a cell with readout=True also needs W_hy (H, H) and b_y (H,)"
                )
            values += [W_hy, b_y]
        self.set_weights([np.asarray(v, dtype="float32") for v in values])
        return self


class LSTMCell(keras.layers.Layer):
    """An LSTM cell with one weight matrix per gate on [h_{t-1}, x_t] (see the module docstring).

    units: H. Weights w_f, w_i, w_c, w_o of shape (H + D, H): the first H rows
    act on h_{t-1}, the last D rows on x_t; biases b_f, b_i, b_c, b_o of (H,).
    Inputs x_t (N, D); states [h (N, H), c (N, H)]; output h_t (N, H).
    """

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = positive_int("units", units)
        self.state_size = [self.units, self.units]  # two states: h and c
        self.output_size = self.units

    def build(self, input_shape):
        rows = self.units + input_shape[-1]  # the length of [h_prev, x_t]
        self._add_gate_weights(rows)

    def _add_gate_weights(self, rows):
        """w_f, w_i, w_c, w_o of shape (rows, H), then b_f ... b_o of (H,)."""
        H = self.units
        for g in _CELL_GATES:
            setattr(
                self,
                f"w_{g}",
                self.add_weight(
                    shape=(rows, H), initializer=_uniform(H), name=f"w_{g}"
                ),
            )
        for g in _CELL_GATES:
            setattr(
                self,
                f"b_{g}",
                self.add_weight(
                    shape=(H,), initializer="zeros", name=f"b_{g}"
                ),
            )

    # shown in: keras-custom-cells
    def call(self, inputs, states, training=False):
        h_prev, c_prev = states  # two states: [h, c]
        hx = ops.concatenate([h_prev, inputs], axis=-1)  # (N, H + D)
        f = ops.sigmoid(
            ops.matmul(hx, self.w_f) + self.b_f
        )  # (N, H + D) @ (H + D, H)
        i = ops.sigmoid(ops.matmul(hx, self.w_i) + self.b_i)
        c_tilde = ops.tanh(ops.matmul(hx, self.w_c) + self.b_c)
        c = f * c_prev + i * c_tilde
        o = ops.sigmoid(ops.matmul(hx, self.w_o) + self.b_o)
        h = o * ops.tanh(c)
        return h, [h, c]

    def load_params(self, params: LSTMParams):
        """Set the per-gate weights from the book's packed LSTMParams.

        w_f = [W_h^(f); W_x^(f)] stacked row-wise, (H + D, H); likewise i, c (= g), o.
        """
        instance_of("params", params, LSTMParams)
        if not self.built or tuple(self.w_f.shape) != (
            params.H + params.D,
            params.H,
        ):
            got = tuple(self.w_f.shape) if self.built else "an unbuilt cell"
            raise ValueError(
                f"params need gate weights of shape (H + D, H) = ({params.H + params.D}, {params.H}); "
                f"the cell has {got} (build it with units={params.H} on {params.D} features)"
            )
        mats, biases = [], []
        for g in _CELL_GATES:
            W_x, W_h, b = params.gate("g" if g == "c" else g)
            mats.append(
                np.vstack([W_h, W_x])
            )  # rows: h part first, then x part, as in [h_prev, x_t]
            biases.append(b)
        self.set_weights(
            [np.asarray(a, dtype="float32") for a in mats + biases]
        )
        return self

    def to_params(self) -> LSTMParams:
        """The cell's weights packed in the book's layout (gates i, f, g, o)."""
        H = self.units
        blocks = {}
        for g in _CELL_GATES:
            w = np.asarray(getattr(self, f"w_{g}").numpy())
            blocks["g" if g == "c" else g] = (
                w[H:],
                w[:H],
                np.asarray(getattr(self, f"b_{g}").numpy()),
            )
        return LSTMParams(
            *(
                np.concatenate([blocks[k][j] for k in GATES], axis=-1)
                for j in range(3)
            )
        )


class GRUCell(keras.layers.Layer):
    """A GRU cell in the book's layout: blocks r, z, g packed side by side (companion.gru).

    units: H; reset_after: True (keras.layers.GRU's default) applies the reset
    gate to the recurrent product, which has its own bias b_hg; False applies
    it to h_{t-1} before the product (the original GRU).
    Weights W_x (D, 3H), W_h (H, 3H), b (3H,) and, if reset_after, b_hg (H,).
    Inputs x_t (N, D); state h (N, H); output h_t (N, H).
    """

    def __init__(self, units, reset_after=True, **kwargs):
        super().__init__(**kwargs)
        self.units = positive_int("units", units)
        self.reset_after = boolean("reset_after", reset_after)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        D, H = input_shape[-1], self.units
        self.W_x = self.add_weight(
            shape=(D, 3 * H), initializer=_uniform(H), name="W_x"
        )
        self.W_h = self.add_weight(
            shape=(H, 3 * H), initializer=_uniform(H), name="W_h"
        )
        self.b = self.add_weight(shape=(3 * H,), initializer="zeros", name="b")
        if self.reset_after:
            self.b_hg = self.add_weight(
                shape=(H,), initializer="zeros", name="b_hg"
            )

    # shown in: gru
    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        H = self.units
        a = ops.matmul(inputs, self.W_x) + self.b  # (N, 3H), blocks r, z, g
        rz = ops.sigmoid(
            a[:, : 2 * H] + ops.matmul(h_prev, self.W_h[:, : 2 * H])
        )
        r, z = rz[:, :H], rz[:, H:]  # (N, H) each
        W_hg = self.W_h[:, 2 * H :]  # (H, H)
        if self.reset_after:
            g = ops.tanh(
                a[:, 2 * H :] + r * (ops.matmul(h_prev, W_hg) + self.b_hg)
            )
        else:
            g = ops.tanh(a[:, 2 * H :] + ops.matmul(r * h_prev, W_hg))
        h = z * h_prev + (1 - z) * g
        return h, [h]

    def load_params(self, params: GRUParams):
        """Set W_x, W_h, b (and b_hg) from GRUParams of the cell's variant; returns the cell."""
        instance_of("params", params, GRUParams)
        if params.reset_after != self.reset_after:
            raise ValueError(
                f"params must be of the cell's variant: the cell has reset_after={self.reset_after}, "
                f"params have reset_after={params.reset_after}"
            )
        if not self.built or tuple(self.W_x.shape) != params.W_x.shape:
            got = tuple(self.W_x.shape) if self.built else "an unbuilt cell"
            raise ValueError(
                f"params have W_x of shape {params.W_x.shape}; the cell has {got} "
                f"(build it with units={params.H} on {params.D} features)"
            )
        values = list(
            params.as_dict().values()
        )  # W_x, W_h, b[, b_hg]: the cell's weight order
        self.set_weights(
            [
                np.asarray(v, dtype=w.dtype)
                for v, w in zip(values, self.weights)
            ]
        )
        return self

    def to_params(self) -> GRUParams:
        """The cell's weights as GRUParams of its variant."""
        return GRUParams(*(np.asarray(w.numpy()) for w in self.weights))
