"""One LSTM layer in NumPy, from naive to fused, forward and forward+backward.

Every function computes the book's LSTM (gates i, f, g, o packed side by side,
``z = x_t W_x + h_prev W_h + b``, zero initial states) and differs only in
*how*. The five forward levels of the performance chapter, each one change
on top of the one before:

* ``naive``:        one small GEMM per gate and per operand, 8 GEMMs a step
                    (the layout of TF1 code with one weight matrix per gate);
                    the textbook sigmoid ``1 / (1 + exp(-z))`` (``sigmoid``);
* ``packed``:       gates packed into W_x (D, 4H) and W_h (H, 4H), 2 GEMMs a step;
* ``hoisted``:      the input projection ``x W_x + b`` of all T steps as one big
                    GEMM before the loop, 1 GEMM a step;
* ``tanh_sigmoid``: hoisted, with the sigmoid as ``(1 + tanh(z / 2)) / 2``
                    (``sigmoid_tanh``): no reciprocal, and no exp that overflows;
* ``fused``:        tanh_sigmoid, plus time-major buffers allocated once, gates
                    reordered to (i, f, o, g) so that one sigmoid covers three
                    gates, and every element-wise operation written in place
                    (``fused_step``).

``PRODUCTS[level](N, T, D, H)`` lists the matrix products each level makes, so
that ``companion.bench.breakdown`` can time them apart from the rest.

The forward+backward functions return the gradients of the loss
``sum(hs * dhs)`` (so ``dhs`` (N, T, H) is the upstream gradient of ``hs``).

The sigmoids are in ``sigmoids.py``, the input check and the weight layouts
(per gate, fused) in ``layout.py``, the forward levels with ``FORWARD`` and
``PRODUCTS`` in ``forward.py``, the forward+backward functions in
``backward.py``; import them from here.
"""

from .backward import (
    fused_forward_backward_prepared,
    lstm_forward_backward_fused,
    lstm_forward_backward_naive,
)
from .forward import (
    FORWARD,
    PRODUCTS,
    fused_forward_prepared,
    fused_step,
    lstm_forward_fused,
    lstm_forward_hoisted,
    lstm_forward_naive,
    lstm_forward_packed,
    lstm_forward_tanh_sigmoid,
)
from .layout import (
    FUSED_ORDER,
    check_inputs,
    fused_columns,
    fused_weights,
    per_gate,
)
from .sigmoids import sigmoid, sigmoid_logaddexp, sigmoid_tanh

__all__ = [
    "FORWARD",
    "FUSED_ORDER",
    "PRODUCTS",
    "check_inputs",
    "fused_columns",
    "fused_forward_backward_prepared",
    "fused_forward_prepared",
    "fused_step",
    "fused_weights",
    "lstm_forward_backward_fused",
    "lstm_forward_backward_naive",
    "lstm_forward_fused",
    "lstm_forward_hoisted",
    "lstm_forward_naive",
    "lstm_forward_packed",
    "lstm_forward_tanh_sigmoid",
    "per_gate",
    "sigmoid",
    "sigmoid_logaddexp",
    "sigmoid_tanh",
]
