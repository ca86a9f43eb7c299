"""Every benchmarked implementation behind one interface: a zero-argument call.

``make_runner(impl, mode, params, x, dhs)`` prepares weights and inputs once
(outside the timed region, as ``nn.LSTM`` holds its weights in its own
layout) and returns a ``Runner`` whose ``call()`` does one forward
(``mode="forward"``) or one forward and backward (``mode="forward+backward"``,
the loss ``sum(hs * dhs)``). ``runner.outputs(result)`` turns what ``call``
returned into NumPy arrays in the book's layout, for checking agreement:
``hs`` (N, T, H), and for forward+backward also ``dx`` (N, T, D),
``dW_x`` (D, 4H), ``dW_h`` (H, 4H), ``db`` (4H,).

PyTorch and TensorFlow are imported only when their runners are made.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from ..compare import to_numpy
from ..validate import one_of
from . import numpy_lstm as nl

IMPLS = (
    "numpy_naive",
    "numpy_opt",
    "torch_loop",
    "torch_loop_compiled",
    "torch_nn",
    "torch_nn_onednn_off",
    "keras",
)
MODES = ("forward", "forward+backward")


@contextmanager
def onednn(enabled):
    """PyTorch's oneDNN (``torch.backends.mkldnn.enabled``) on or off inside
    the block, restored after. On the CPU ``nn.LSTM`` runs oneDNN's RNN
    kernel (``aten::mkldnn_rnn_layer``) when it is on, PyTorch's default."""
    import torch

    default = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = enabled
    try:
        yield
    finally:
        torch.backends.mkldnn.enabled = default


def graph_nodes(t) -> set:
    """Names of every node of the autograd graph behind tensor ``t``: the
    backward of each operation that made it (``MkldnnRnnLayerBackward0`` for
    oneDNN's RNN kernel)."""
    seen, todo = set(), [t.grad_fn]
    while todo:
        fn = todo.pop()
        if fn is not None and fn not in seen:
            seen.add(fn)
            todo += [nxt for nxt, _ in fn.next_functions]
    return {fn.name() for fn in seen}


@dataclass
class Runner:
    """One implementation ready to time: ``call()`` runs it, ``sync()`` waits for the device."""

    impl: str
    mode: str
    device: str
    call: Callable
    outputs: Callable
    sync: Callable = lambda: None


def _numpy_runner(impl, mode, p, x, dhs):
    if impl == "numpy_naive":
        if mode == "forward":
            return Runner(
                impl,
                mode,
                "cpu",
                lambda: nl.lstm_forward_naive(x, p),
                lambda r: {"hs": r[0]},
            )
        return Runner(
            impl,
            mode,
            "cpu",
            lambda: nl.lstm_forward_backward_naive(x, p, dhs),
            lambda r: {"hs": r[0], **r[1]},
        )
    W = nl.fused_weights(p)  # (i, f, o, g) column order, done once
    if mode == "forward":
        return Runner(
            impl,
            mode,
            "cpu",
            lambda: nl.fused_forward_prepared(x, *W),
            lambda r: {"hs": r[0]},
        )
    return Runner(
        impl,
        mode,
        "cpu",
        lambda: nl.fused_forward_backward_prepared(x, dhs, *W),
        lambda r: {"hs": r[0], **r[1]},
    )


def torch_lstm_step(x_t, h, c, W_x, W_h, b):
    """One LSTM step in PyTorch, book layout: x_t (N, D), h, c (N, H) -> (h_t, c_t)."""
    import torch

    z = x_t @ W_x + h @ W_h + b  # (N, 4H)
    i, f, g, o = z.chunk(4, dim=1)
    c_t = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c_t), c_t


def torch_lstm_loop(x, W_x, W_h, b, step=torch_lstm_step):
    """The hand-written loop over time: x (N, T, D) -> hs (N, T, H)."""
    N, T, _ = x.shape
    h = x.new_zeros(N, W_h.shape[0])
    c = x.new_zeros(N, W_h.shape[0])
    out = []
    for t in range(T):
        h, c = step(x[:, t], h, c, W_x, W_h, b)
        out.append(h)
    return torch_stack(out)


def torch_stack(hs):
    import torch

    return torch.stack(hs, dim=1)  # T tensors (N, H) -> (N, T, H)


def _torch_runner(impl, mode, p, x, dhs, device):
    import torch

    dev = torch.device(device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    if dev.type == "cuda":
        # Strict float32 everywhere: by default cuDNN's RNNs (and Ampere+ matmuls) may use
        # TF32 tensor cores, 10-bit mantissas, which no CPU implementation matches.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    xt = torch.as_tensor(x, device=dev)
    G = torch.as_tensor(dhs, device=dev) if dhs is not None else None
    grad = mode != "forward"
    if impl.startswith("torch_nn"):
        from ..convert import to_torch

        lstm = to_torch(p, torch.nn.LSTM(p.D, p.H, batch_first=True)).to(dev)
        params = [lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0]

        def forward(xin):
            return lstm(xin)[0]

        def grads():
            return {
                "dW_x": lstm.weight_ih_l0.grad.T,
                "dW_h": lstm.weight_hh_l0.grad.T,
                "db": lstm.bias_ih_l0.grad,
            }

    else:
        W = [
            torch.tensor(a, device=dev, requires_grad=grad)
            for a in (p.W_x, p.W_h, p.b)
        ]
        params = W
        step = torch_lstm_step
        if impl == "torch_loop_compiled":
            # A fresh compile cache per size and mode: each shape and grad mode is its own
            # graph, and reusing one cache across the sweep hits dynamo's recompile limit.
            torch._dynamo.reset()
            step = torch.compile(
                torch_lstm_step, fullgraph=True, dynamic=False
            )

        def forward(xin):
            return torch_lstm_loop(xin, *W, step=step)

        def grads():
            return {"dW_x": W[0].grad, "dW_h": W[1].grad, "db": W[2].grad}

    on = impl != "torch_nn_onednn_off"  # oneDNN: PyTorch's default
    if not grad:

        def call():
            with torch.no_grad(), onednn(on):
                return forward(xt)

        return Runner(impl, mode, device, call, lambda r: {"hs": r}, sync)
    x_leaf = xt.clone().requires_grad_(True)

    def call():
        for q in params + [x_leaf]:
            q.grad = None
        with onednn(on):
            hs = forward(x_leaf)
            (hs * G).sum().backward()
        return hs

    return Runner(
        impl,
        mode,
        device,
        call,
        lambda r: {"hs": r, "dx": x_leaf.grad, **grads()},
        sync,
    )


def _keras_runner(mode, p, x, dhs):
    import keras
    import tensorflow as tf

    layer = keras.layers.LSTM(p.H, return_sequences=True)
    layer.build((None, None, p.D))
    layer.set_weights(
        [p.W_x, p.W_h, p.b]
    )  # the book's layout is Keras' layout
    xt = tf.constant(x)
    if mode == "forward":
        fn = tf.function(lambda xin: layer(xin), reduce_retracing=True)
        return Runner(
            "keras", mode, "cpu", lambda: fn(xt), lambda r: {"hs": r}
        )
    G = tf.constant(dhs)

    @tf.function(reduce_retracing=True)
    def fb(xin):
        with tf.GradientTape() as tape:
            tape.watch(xin)
            hs = layer(xin)
            loss = tf.reduce_sum(hs * G)
        return (hs, *tape.gradient(loss, [xin, *layer.trainable_weights]))

    def outputs(r):
        hs, dx, dW_x, dW_h, db = r
        return {"hs": hs, "dx": dx, "dW_x": dW_x, "dW_h": dW_h, "db": db}

    return Runner("keras", mode, "cpu", lambda: fb(xt), outputs)


def make_runner(impl, mode, params, x, dhs=None, device="cpu"):
    """Prepare ``impl`` on ``params`` and ``x`` and return a Runner.

    impl:   one of IMPLS; mode: "forward" or "forward+backward"
    params: LSTMParams; x: (N, T, D); dhs: (N, T, H), needed for forward+backward
    device: "cpu" or "cuda" (only PyTorch runners use it; NumPy and Keras run on the CPU)
    """
    one_of("impl", impl, IMPLS)
    one_of("mode", mode, MODES)
    one_of("device", device, ("cpu", "cuda"))
    if mode == "forward+backward" and dhs is None:
        raise ValueError(
            "dhs must be given for mode 'forward+backward': an (N, T, H) upstream gradient"
        )
    x, p, dhs = nl.check_inputs(
        x, params, dhs if mode == "forward+backward" else None
    )
    if impl.startswith("numpy"):
        return _numpy_runner(impl, mode, p, x, dhs)
    if impl == "keras":
        return _keras_runner(mode, p, x, dhs)
    return _torch_runner(impl, mode, p, x, dhs, device)


def runner_outputs(runner, result) -> dict:
    """``runner.outputs(result)`` as float64 NumPy arrays."""
    return {
        k: to_numpy(v).astype(np.float64)
        for k, v in runner.outputs(result).items()
    }
