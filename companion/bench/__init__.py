"""Benchmarks of one LSTM layer: NumPy naive to fused, PyTorch loop and nn.LSTM, Keras.

``import companion.bench`` imports NumPy only; PyTorch and TensorFlow load
when one of their runners is made. The command line is ``tools/bench_run.py``.

* ``numpy_lstm``: the NumPy implementations, forward and forward+backward
* ``runners``:    every implementation behind ``make_runner(...).call()``
* ``breakdown``:  where a NumPy forward's time goes; the roofline's kernels timed alone
* ``timing``:     FLOP counts, timers, thread control, GEMM peak, bandwidth, machine info
* ``suite``:      agreement checks, the sweep, ratios to nn.LSTM, CSV in and out
* ``plot``:       ratios to nn.LSTM (and the goals for numpy_opt), roofline
"""

from .breakdown import elementwise_work, kernel_rates, split, time_breakdown  # noqa: F401
from .numpy_lstm import (  # noqa: F401
    FORWARD,
    PRODUCTS,
    fused_step,
    lstm_forward_backward_fused,
    lstm_forward_backward_naive,
    lstm_forward_fused,
    lstm_forward_hoisted,
    lstm_forward_naive,
    lstm_forward_packed,
    lstm_forward_tanh_sigmoid,
    sigmoid,
    sigmoid_logaddexp,
    sigmoid_tanh,
)
from .plot import GOALS, gemm_intensity, plot_ratios, plot_roofline  # noqa: F401
from .runners import (  # noqa: F401
    IMPLS,
    MODES,
    graph_nodes,
    make_runner,
    onednn,
    runner_outputs,
)
from .suite import (  # noqa: F401
    COLUMNS,
    add_ratios,
    agreement,
    problem,
    read_csv,
    run_suite,
    write_csv,
)
from .timing import (  # noqa: F401
    ADD_STREAMS,
    SIZES,
    Size,
    bandwidth_gbs,
    blas_threads,
    gemm_gflops,
    lstm_flops,
    machine_info,
    parse_sizes,
    set_blas_threads,
    set_threads,
    summarize,
    time_calls,
)
