"""Count the oneDNN calls of a Keras LSTM in TensorFlow, switch off and on.

    python tools/tf_onednn_calls.py

For ``TF_ENABLE_ONEDNN_OPTS=0`` and for the variable unset (TensorFlow's
default), runs a child process with ``ONEDNN_VERBOSE=1`` that builds a Keras
LSTM (64, 2, 128) -> 256, runs forward and backward once in a ``tf.function``
and prints what oneDNN reports; then counts the primitives oneDNN executed.
On the book's machine (TensorFlow 2.21): with the switch off, 96 ``gemm_api``
calls (Eigen's blocks, each an oneDNN sgemm) and nothing else; unset, 12
``gemm_api`` calls on whole matrices and 4 ``reorder``s. The switch turns
TensorFlow's oneDNN custom operations on and off, not oneDNN's matrix product.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys

CHILD = """
import numpy as np, tensorflow as tf, keras
from tensorflow.python.util import _pywrap_util_port
print("custom operations on:", _pywrap_util_port.IsMklEnabled())
layer = keras.layers.LSTM(256, return_sequences=True)
layer.build((None, None, 128))
x = tf.constant(np.random.rand(64, 2, 128).astype("float32"))

@tf.function
def step(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(layer(x))
    return tape.gradient(loss, [x, *layer.trainable_weights])

step(x)
"""


def count(setting):
    """{primitive: calls} executed by oneDNN, and the child's first line."""
    env = dict(os.environ, ONEDNN_VERBOSE="1", TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("TF_ENABLE_ONEDNN_OPTS", None)
    if setting is not None:
        env["TF_ENABLE_ONEDNN_OPTS"] = setting
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    calls = collections.Counter(
        line.split(",")[5]
        for line in out
        if line.startswith("onednn_verbose") and ",exec," in line
    )
    status = next(line for line in out if line.startswith("custom"))
    return calls, status


def main():
    for setting in ("0", None):
        calls, status = count(setting)
        label = "unset" if setting is None else setting
        print(
            f"TF_ENABLE_ONEDNN_OPTS={label}: {status}; oneDNN calls {dict(calls)}"
        )


if __name__ == "__main__":
    main()
