"""Benchmarks of one LSTM layer: NumPy naive and fused, PyTorch loop and nn.LSTM, Keras.

``import companion.bench`` imports NumPy only; PyTorch and TensorFlow load
when one of their runners is made. The command line is ``bench/run.py``.

* ``numpy_lstm``: the NumPy implementations, forward and forward+backward
* ``runners``:    every implementation behind ``make_runner(...).call()``
* ``timing``:     FLOP counts, timers, thread control, GEMM peak, bandwidth, machine info
* ``suite``:      agreement checks, the sweep, ratios to nn.LSTM, CSV in and out
* ``plot``:       ratios to nn.LSTM, roofline
"""
from .numpy_lstm import (  # noqa: F401
    FORWARD,
    lstm_forward_backward_fused,
    lstm_forward_backward_naive,
    lstm_forward_fused,
    lstm_forward_hoisted,
    lstm_forward_naive,
    lstm_forward_packed,
)
from .plot import gemm_intensity, plot_ratios, plot_roofline  # noqa: F401
from .runners import IMPLS, MODES, make_runner, runner_outputs  # noqa: F401
from .suite import COLUMNS, add_ratios, agreement, problem, read_csv, run_suite, write_csv  # noqa: F401
from .timing import (  # noqa: F401
    SIZES,
    Size,
    bandwidth_gbs,
    gemm_gflops,
    lstm_flops,
    machine_info,
    parse_sizes,
    set_blas_threads,
    set_threads,
    summarize,
    time_calls,
)
