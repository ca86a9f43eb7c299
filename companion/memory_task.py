"""A task that needs long memory: recall the class shown at the first step after k noisy steps.

Each sequence has T = k + 1 steps of D = C + 1 features (C classes):

* step 0:      the class as a one-hot vector in features 0..C-1, and a 1 in feature C (the marker);
* steps 1..k:  distractors, Gaussian noise of standard deviation ``noise`` in features 0..C-1, marker 0.

The label is the class of step 0; a model reads the whole sequence and answers at
the last step. The noise arrives on the same features as the class, so the model
must store the class when the marker is on and then keep it while ignoring k noisy
inputs. Guessing scores 1/C.

``train_recall`` and ``recall_accuracy`` import torch when called; importing this
module does not.
"""

from __future__ import annotations

import numpy as np

from . import cells, validate
from .validate import one_of, positive_int, positive_number


def _torch_cells() -> tuple:
    """The cells this task can build: those of companion.cells with a torch
    module, a torch.nn twin (``torch``) or the book's own (``torch_own``,
    such as companion.torch_mingru's MinGRU)."""
    return tuple(k for k, c in cells.CELLS.items() if c.torch or c.torch_own)


def recall_sequences(n, k, rng, n_classes=2, noise=3.0, dtype=np.float32):
    """n sequences of the recall task with k distractor steps.

    n: number of sequences; k: distractor steps (>= 1); rng: numpy.random.Generator;
    n_classes: C (>= 2); noise: standard deviation of the distractors.
    returns (X, y): X (n, k + 1, C + 1) in ``dtype``, y (n,) int64 classes in 0..C-1.
    """
    n, k, C = (
        positive_int("n", n),
        positive_int("k", k),
        positive_int("n_classes", n_classes),
    )
    if C < 2:
        raise ValueError(f"n_classes must be at least 2; got {C}")
    noise = positive_number("noise", noise)
    rng = validate.rng("rng", rng)
    y = rng.integers(0, C, size=n)
    X = np.zeros((n, k + 1, C + 1), dtype=dtype)
    X[:, 1:, :C] = noise * rng.standard_normal(
        (n, k, C)
    )  # distractors on the class features
    X[np.arange(n), 0, y] = 1.0  # step 0: one-hot class
    X[:, 0, C] = 1.0  # step 0: marker
    return X, y.astype(np.int64)


def _check_data(X, y):
    X = validate.as_float_array("X", X, ("N", "T", "D"))
    y = np.asarray(y)
    if y.shape != (X.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"y must be an int array of shape (N={X.shape[0]},); got {y.dtype} {y.shape}"
        )
    return X, y


#: init name -> what ``recall_model`` starts the recurrent layer from
INITS = ("torch", "keras")


def recall_model(
    cell, input_size, hidden_size, n_classes, forget_bias=None, init="torch"
):
    """A one-layer nn.RNN (tanh), nn.LSTM, nn.GRU or MinGRU, read at its last step by a Linear(H, C) layer.

    cell: "rnn", "lstm", "gru" or "mingru"; forget_bias: for the LSTM, start value of the forget gate's
    bias (bias_ih block f; bias_hh block f is zeroed), or None for the initial values of ``init``.
    init: "torch" keeps PyTorch's defaults (for nn.RNN, nn.LSTM, nn.GRU every
    weight and bias uniform in +-1/sqrt(H); MinGRU's Linear(D, 2H) uniform in
    +-1/sqrt(D)); "keras" starts the recurrent layer as Keras 3's SimpleRNN, LSTM and
    GRU (reset_after=True) do: the input kernel (D, kH) Glorot-uniform, the recurrent
    kernel (H, kH) orthogonal, the biases zero, and for the LSTM the forget block 1
    (unit_forget_bias). The read-out Linear keeps PyTorch's default in both.
    The module maps x (N, T, D) to class scores (N, C). Weights come from torch's
    global generator: seed it first.
    """
    import torch
    from torch import nn

    cell = one_of("cell", cell, _torch_cells())
    D, H, C = (
        positive_int(n, v)
        for n, v in (
            ("input_size", input_size),
            ("hidden_size", hidden_size),
            ("n_classes", n_classes),
        )
    )
    init = one_of("init", init, INITS)
    if init == "keras" and cells.get(cell).torch is None:
        twins = ", ".join(k for k, c in cells.CELLS.items() if c.torch)
        raise ValueError(f"init='keras' is for {twins}; got cell={cell!r}")
    if forget_bias is not None and cell != "lstm":
        raise ValueError(
            f"forget_bias is for cell='lstm'; got cell={cell!r}, which has no forget gate"
        )

    class RecallModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = _layer_class(cell)(D, H, batch_first=True)
            self.head = nn.Linear(H, C)

        def forward(self, x):
            hs, _ = self.rnn(x)  # (N, T, H)
            return self.head(hs[:, -1, :])  # (N, C), from the last step only

    model = RecallModel()
    if init == "keras":
        _keras_init(model.rnn, cell, H)
    if forget_bias is not None:
        with torch.no_grad():
            model.rnn.bias_ih_l0[H : 2 * H] = float(
                forget_bias
            )  # gate order i, f, g, o
            model.rnn.bias_hh_l0[H : 2 * H] = 0.0
    return model


def _layer_class(cell):
    """The module class of a cell: torch.nn's, or the book's own (such as
    companion.torch_mingru.MinGRU), as the registry says."""
    return cells.get(cell).torch_layer()


def _keras_init(rnn, cell, H):
    """Keras 3's default initial values, written into a torch recurrent layer.

    Keras' kernel (D, kH) is weight_ih_l0.T and its recurrent_kernel (H, kH) is
    weight_hh_l0.T, so Glorot-uniform on the first (limit sqrt(6 / (D + kH))) and an
    orthogonal second (orthonormal rows: W_h @ W_h.T = I_H) are the same draws on the
    transposes; the order of the gate blocks does not change either property.
    """
    import torch
    from torch import nn

    with torch.no_grad():
        nn.init.xavier_uniform_(rnn.weight_ih_l0)  # (kH, D): fans D and kH
        nn.init.orthogonal_(rnn.weight_hh_l0)  # (kH, H): orthonormal columns
        rnn.bias_ih_l0.zero_()
        rnn.bias_hh_l0.zero_()
        if cell == "lstm":  # unit_forget_bias; blocks i, f, g, o
            rnn.bias_ih_l0[H : 2 * H] = 1.0


def train_recall(
    cell,
    X,
    y,
    hidden_size=16,
    steps=300,
    batch_size=32,
    lr=0.01,
    forget_bias=None,
    seed=0,
    init="torch",
):
    """Train a recall_model on (X, y) with Adam and cross-entropy, in float64, deterministically.

    X: (N, T, D) float; y: (N,) int classes in 0..C-1 (C = y.max() + 1, at least 2).
    init: "torch" or "keras", the initial values of recall_model.
    Builds the model after torch.manual_seed(seed) and draws ``steps`` mini-batches of
    ``batch_size`` sequences (with replacement) from a torch.Generator seeded with seed.
    float64 makes it much less likely (not certain) that a CPU which rounds sums in another
    order prints other accuracies.
    returns (model, losses): the trained model and the loss of every step (a list of floats).
    """
    import torch
    from torch import nn

    X, y = _check_data(X, y)
    steps, batch_size = (
        positive_int("steps", steps),
        positive_int("batch_size", batch_size),
    )
    lr = positive_number("lr", lr)
    seed = validate.seed("seed", seed)
    C = max(int(y.max()) + 1, 2)
    torch.manual_seed(int(seed))
    model = recall_model(
        cell, X.shape[2], hidden_size, C, forget_bias, init
    ).double()
    X_t, y_t = torch.as_tensor(X, dtype=torch.float64), torch.as_tensor(y)
    generator = torch.Generator().manual_seed(int(seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        idx = torch.randint(0, len(X_t), (batch_size,), generator=generator)
        loss = nn.functional.cross_entropy(model(X_t[idx]), y_t[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return model, losses


def recall_accuracy(model, X, y) -> float:
    """Fraction of sequences whose highest score is the right class. X (N, T, D), y (N,)."""
    import torch

    X, y = _check_data(X, y)
    param = next(model.parameters())
    with torch.no_grad():
        scores = model(torch.as_tensor(X, dtype=param.dtype))  # (N, C)
    return float(np.mean(scores.argmax(dim=1).numpy() == y))
