"""Tests of companion.bench: every implementation computes the book's LSTM, and the sweep's plumbing."""

import pathlib
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import companion
from companion import bench
from companion.bench import numpy_lstm as nl

ROOT = bench.__file__.rsplit("/companion/", 1)[0]


#: the sizes and seed of a small bench.problem, for the property tests
PROBLEM = dict(
    N=st.integers(1, 4),
    T=st.integers(1, 5),
    D=st.integers(1, 4),
    H=st.integers(1, 5),
    seed=st.integers(0, 99),
)


def needs(*modules):
    """Skip unless every module imports (the NumPy-only wheel test has none)."""
    for name in modules:
        pytest.importorskip(name)


def needs_scripts():
    """Skip where the repository's tools/bench_*.py scripts are absent (an installed wheel)."""
    needs("torch", "matplotlib", "threadpoolctl")
    if not (pathlib.Path(ROOT) / "tools" / "bench_run.py").is_file():
        pytest.skip(
            "tools/bench_*.py live in the repository, not in the wheel"
        )


def python_in_root(*args):
    """``python args...`` run in the repository root, output as text."""
    return subprocess.run(
        [sys.executable, *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def torch_reference(x, params, dhs):
    """hs and the gradients of sum(hs * dhs) by PyTorch autograd, float64."""
    import torch

    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    W = [
        torch.tensor(a, dtype=torch.float64, requires_grad=True)
        for a in (params.W_x, params.W_h, params.b)
    ]
    hs = bench.runners.torch_lstm_loop(xt, *W)
    (hs * torch.tensor(dhs, dtype=torch.float64)).sum().backward()
    grads = {
        "dx": xt.grad,
        "dW_x": W[0].grad,
        "dW_h": W[1].grad,
        "db": W[2].grad,
    }
    return hs.detach().numpy(), {k: v.numpy() for k, v in grads.items()}


@settings(max_examples=8, deadline=None)
@given(**PROBLEM)
def test_every_numpy_forward_matches_lstm_forward(N, T, D, H, seed):
    params, x, _ = bench.problem(N, T, D, H, seed=seed, dtype=np.float64)
    ref, h_ref, c_ref = reference_forward(x, params)
    assert list(nl.FORWARD) == [
        "naive",
        "packed",
        "hoisted",
        "tanh_sigmoid",
        "fused",
    ]
    for name, fn in nl.FORWARD.items():
        hs, (h, c) = fn(x, params)
        assert hs.shape == (N, T, H), name
        np.testing.assert_allclose(hs, ref, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(h, h_ref, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(c, c_ref, atol=1e-12, err_msg=name)


def reference_forward(x, params):
    """(hs, h_T, c_T) of the book's reference ``companion.lstm_forward``."""
    out = companion.lstm_forward(x, params)
    if len(out) == 2:  # (hs, (h_T, c_T))
        return out[0], *out[1]
    return out[0], out[1], out[2]  # (hs, h_T, c_T, cache)


def test_three_sigmoids_are_one_function():
    z = np.array([-800.0, -30.0, -1.0, 0.0, 0.5, 30.0, 800.0])
    exact = 1 / (1 + np.exp(-np.clip(z, -700, 700)))
    forms = (nl.sigmoid, nl.sigmoid_logaddexp, nl.sigmoid_tanh)
    with np.errstate(over="raise"):  # sigmoid silences its own overflow
        for form in forms:
            np.testing.assert_allclose(form(z), exact, atol=1e-15)
    z32 = np.linspace(-20, 20, 101, dtype=np.float32)
    assert {form(z32).dtype for form in forms} == {np.dtype(np.float32)}


def test_textbook_sigmoid_overflows_to_zero_without_a_warning():
    import warnings

    z = np.array([-100.0, -89.0, 89.0], np.float32)
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        1 / (1 + np.exp(-z))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = nl.sigmoid(z)
    assert s[0] == 0.0 and s[2] == 1.0 and s.dtype == np.float32
    assert abs(s[1] - 1 / (1 + np.exp(89.0))) < 3e-39  # the docstring's bound


def test_products_table_counts_every_level_flops():
    N, T, D, H = 3, 5, 4, 6
    for level, products in nl.PRODUCTS.items():
        flops = sum(
            2 * m * k * n * count for m, k, n, count in products(N, T, D, H)
        )
        assert flops == bench.lstm_flops(N, T, D, H), level
    assert set(nl.PRODUCTS) == set(nl.FORWARD)
    # in the loop: 8, 2, then 1 product per step
    assert [
        sum(c for m, *_, c in nl.PRODUCTS[lv](N, T, D, H) if m == N) / T
        for lv in nl.FORWARD
    ] == [8, 2, 1, 1, 1]


def test_elementwise_table_matches_fused_step():
    import ast
    import inspect
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(nl.fused_step)))
    calls = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.AugAssign)
        or (
            isinstance(n, ast.Call)
            and getattr(n.func, "attr", "") in ("tanh", "multiply")
        )
    ]
    assert len(calls) == len(bench.breakdown.FUSED_ELEMENTWISE)
    ops, nbytes = bench.elementwise_work(2, 3, T=5)
    assert ops == 5 * 2 * 3 * 22 and nbytes == 5 * 2 * 3 * 4 * 52
    for size in bench.parse_sizes(
        "all"
    ):  # the docstring's "under 4 % of the FLOPs"
        assert bench.elementwise_work(size.N, size.H, size.T)[
            0
        ] < 0.04 * bench.lstm_flops(size.N, size.T, size.D, size.H)


def test_breakdown_parts_add_up_and_kernels_are_timed():
    size = bench.Size("t", 2, 4, 3, 5)
    rows = bench.time_breakdown(
        size, levels=["naive", "fused"], reps=2, threads=1
    )
    assert [r["level"] for r in rows] == ["naive", "fused"]
    for r in rows:
        parts = bench.split(r)
        assert parts["products"] + parts["overhead"] + parts[
            "elementwise"
        ] == pytest.approx(parts["total"])
        assert (
            r["total_min_ms"] > 0
            and r["products_min_ms"] > 0
            and r["total_median_ms"] >= r["total_min_ms"]
        )
    kernels = bench.kernel_rates(size, reps=2, threads=1)
    names = [k["kernel"] for k in kernels]
    assert names[3] == "element-wise work, fused step"
    assert names[4:] == list(bench.breakdown.SIGMOIDS)
    assert kernels[4]["flops"] == 2 * 3 * 5 and kernels[4]["bytes"] == 8 * 30
    assert kernels[0]["flops"] == 2 * 2 * 4 * 3 * 4 * 5 and all(
        k["min_ms"] > 0 for k in kernels
    )


@settings(max_examples=8, deadline=None)
@given(**PROBLEM)
def test_numpy_backward_matches_torch_autograd(N, T, D, H, seed):
    params, x, dhs = bench.problem(N, T, D, H, seed=seed, dtype=np.float64)
    hs_ref, g_ref = torch_reference(x, params, dhs)
    for fn in (nl.lstm_forward_backward_naive, nl.lstm_forward_backward_fused):
        hs, grads = fn(x, params, dhs)
        np.testing.assert_allclose(hs, hs_ref, atol=1e-12, err_msg=fn.__name__)
        assert set(grads) == set(g_ref)
        for k in g_ref:
            assert grads[k].shape == g_ref[k].shape, (fn.__name__, k)
            np.testing.assert_allclose(
                grads[k], g_ref[k], atol=1e-10, err_msg=f"{fn.__name__} {k}"
            )


def test_fused_backward_is_not_trivially_right():
    # A wrong upstream gradient must change the result: the comparison above can fail.
    params, x, dhs = bench.problem(2, 3, 2, 3, dtype=np.float64)
    _, g1 = nl.lstm_forward_backward_fused(x, params, dhs)
    _, g2 = nl.lstm_forward_backward_fused(x, params, 2 * dhs)
    np.testing.assert_allclose(g2["dW_h"], 2 * g1["dW_h"], atol=1e-12)
    assert not np.allclose(g1["dW_h"], 0)


def test_float32_keeps_dtype():
    params, x, dhs = bench.problem(2, 3, 4, 5)
    hs, grads = nl.lstm_forward_backward_fused(x, params, dhs)
    assert hs.dtype == np.float32 and all(
        g.dtype == np.float32 for g in grads.values()
    )
    assert nl.lstm_forward_fused(x, params)[0].dtype == np.float32


@pytest.mark.parametrize("mode", bench.MODES)
def test_every_cpu_runner_agrees(mode):
    params, x, dhs = bench.problem(3, 4, 5, 6)
    others = ["numpy_naive", "torch_loop", "torch_nn", "torch_nn_onednn_off"]
    diffs = bench.agreement([*others, "keras"], mode, params, x, dhs)
    assert set(diffs) == {"numpy_opt", *others, "keras"}
    for impl, d in diffs.items():
        expected = (
            {"hs"} if mode == "forward" else {"hs", "dx", "dW_x", "dW_h", "db"}
        )
        assert set(d) == expected, impl
        assert max(d.values()) < 1e-5, (impl, d)


def test_input_errors_are_clear():
    params, x, dhs = bench.problem(2, 3, 4, 5)
    with pytest.raises(ValueError, match=r"x must have shape \(N, T, D=4\)"):
        nl.lstm_forward_fused(x[:, :, :3], params)
    with pytest.raises(ValueError, match=r"dhs must have shape"):
        nl.lstm_forward_backward_fused(x, params, dhs[:, :2])
    with pytest.raises(ValueError, match="impl must be one of"):
        bench.make_runner("numpy_fast", "forward", params, x)
    with pytest.raises(ValueError, match="dhs must be given"):
        bench.make_runner("numpy_opt", "forward+backward", params, x)
    with pytest.raises(ValueError, match="size must be one of"):
        bench.parse_sizes("tiny,huge")


def test_flops_and_sizes():
    assert bench.lstm_flops(64, 100, 128, 256) == 100 * 2 * 64 * 384 * 1024
    assert bench.lstm_flops(1, 1, 1, 1, "forward+backward") == 3 * 16
    required = {(s.N, s.T, s.D, s.H) for s in bench.parse_sizes("all")}
    assert {(64, 100, 128, 256), (256, 200, 512, 1024)} <= required
    assert bench.gemm_intensity(1024, 1024, 1024) == pytest.approx(
        2 * 1024**3 / (4 * 3 * 1024**2)
    )


def test_summarize_and_ratios():
    s = bench.summarize([0.001, 0.003, 0.002])
    assert s["median_ms"] == pytest.approx(2.0) and s[
        "min_ms"
    ] == pytest.approx(1.0)
    rows = [
        {
            "impl": "torch_nn",
            "size": "a",
            "mode": "forward",
            "device": "cpu",
            "median_ms": 2.0,
            "status": "ok",
        },
        {
            "impl": "numpy_opt",
            "size": "a",
            "mode": "forward",
            "device": "cpu",
            "median_ms": 3.0,
            "status": "ok",
        },
        {
            "impl": "keras",
            "size": "a",
            "mode": "forward",
            "device": "cpu",
            "status": "failed: X",
        },
    ]
    bench.add_ratios(rows)
    assert (
        rows[1]["ratio_to_torch_nn"] == pytest.approx(1.5)
        and "ratio_to_torch_nn" not in rows[2]
    )


def test_run_suite_writes_and_reads_csv(tmp_path):
    needs("torch", "keras")
    size = bench.Size("t", 2, 3, 4, 5)
    rows = bench.run_suite(
        [size],
        ["numpy_opt", "torch_nn", "keras"],
        reps=2,
        threads=1,
        gemm_peak=10.0,
        log=None,
    )
    assert len(rows) == 6 and all(r["status"] == "ok" for r in rows), rows
    path = tmp_path / "r.csv"
    bench.write_csv(path, rows, {"cpu": "test cpu", "note": "a: b"})
    back, meta = bench.read_csv(path)
    assert meta == {"cpu": "test cpu", "note": "a: b"}
    assert [r["impl"] for r in back] == [r["impl"] for r in rows]
    assert back[0]["T"] == 3 and back[1]["ratio_to_torch_nn"] == pytest.approx(
        1.0
    )
    assert back[0]["median_ms"] > 0


def test_run_suite_records_a_failure_instead_of_stopping(monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("no such backend")

    monkeypatch.setattr(bench.suite, "agreement", broken)
    rows = bench.run_suite(
        [bench.Size("t", 1, 2, 2, 2)],
        ["numpy_opt"],
        modes=["forward"],
        reps=1,
        log=None,
    )
    assert rows[0]["status"] == "failed: RuntimeError: no such backend"


def test_set_blas_threads():
    assert bench.set_blas_threads(1) is True  # NumPy's OpenBLAS is loaded
    assert set(bench.blas_threads().values()) == {1}
    bench.set_blas_threads(2)
    assert set(bench.blas_threads().values()) == {2}
    with pytest.raises(ValueError):
        bench.set_blas_threads(0)


def test_bandwidth_counts_four_streams(monkeypatch):
    # c = a + b with write-allocate moves 4 arrays: a 1 MB-per-array add taking 1 ms is 4.19 GB/s
    monkeypatch.setattr(
        bench.timing, "time_calls", lambda *a, **k: np.array([1e-3])
    )
    assert bench.bandwidth_gbs(megabytes=1) == pytest.approx(
        4 * 2**20 / 1e-3 / 1e9
    )


def test_csv_with_other_columns(tmp_path):
    rows = [{"size": "t", "kernel": "k", "flops": 10, "min_ms": 0.5}]
    path = tmp_path / "k.csv"
    bench.write_csv(
        path,
        rows,
        {"threads": 2},
        columns=("size", "kernel", "flops", "min_ms"),
    )
    back, meta = bench.read_csv(path)
    assert back == rows and meta == {"threads": "2"}


def test_runner_script_on_tiny_cpu(tmp_path):
    needs_scripts()
    out = tmp_path / "b.csv"
    res = python_in_root(
        "tools/bench_run.py",
        "--sizes",
        "tiny",
        "--impls",
        "numpy_opt,torch_nn",
        "--reps",
        "1",
        "--threads",
        "1",
        "--modes",
        "forward",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    assert "cpu:" in res.stdout and "torch:" in res.stdout
    rows, meta = bench.read_csv(out)
    assert {r["impl"] for r in rows} == {"numpy_opt", "torch_nn"} and meta[
        "threads"
    ] == "1"
    assert out.with_suffix(".png").exists()


def test_runner_script_times_keras_with_tensorflow_defaults(tmp_path):
    # keras_tf_default: a child process with TF_ENABLE_ONEDNN_OPTS unset,
    # whose TensorFlow reports oneDNN on; the parent keeps the book's 0.
    # The child is also where bench.set_threads meets a fresh TensorFlow
    # (one that has run nothing yet, so its pools can still be sized): the
    # counts it reads back from each library are recorded.
    needs_scripts()
    needs("tensorflow", "keras")
    out = tmp_path / "k.csv"
    res = python_in_root(
        "tools/bench_run.py",
        *("--sizes", "tiny", "--impls", "torch_nn,keras_tf_default"),
        *("--reps", "1", "--threads", "1", "--modes", "forward"),
        *("--clock", "process", "--out", str(out)),
    )
    assert res.returncode == 0, res.stderr
    assert "keras_tf_default: TF_ENABLE_ONEDNN_OPTS unset" in res.stdout
    assert "oneDNN enabled: True" in res.stdout
    rows, meta = bench.read_csv(out)
    assert [r["impl"] for r in rows] == ["torch_nn", "keras_tf_default"]
    assert rows[1]["status"] == "ok" and rows[1]["ratio_to_torch_nn"] > 0
    assert meta["TF_ENABLE_ONEDNN_OPTS"] == "0" and meta["clock"] == "process"
    assert meta["keras_tf_default tf_onednn_enabled"] == "True"
    assert meta["keras_tf_default threads_set"] == (
        "blas=[1], torch=1, tensorflow intra-op=1, tensorflow inter-op=1"
    )


def test_breakdown_script_on_tiny(tmp_path):
    needs_scripts()
    out, kout = tmp_path / "b.csv", tmp_path / "k.csv"
    res = python_in_root(
        "tools/bench_breakdown.py",
        "--sizes",
        "tiny",
        "--kernel-size",
        "tiny",
        "--reps",
        "1",
        "--threads",
        "1",
        "--out",
        str(out),
        "--kernels-out",
        str(kout),
    )
    assert res.returncode == 0, res.stderr
    rows, meta = bench.read_csv(out)
    assert [r["level"] for r in rows] == list(nl.FORWARD) and meta[
        "blas_threads"
    ].endswith("=1")
    kernels, meta = bench.read_csv(kout)
    names = [k["kernel"] for k in kernels]
    assert names[4:7] == list(bench.breakdown.SIGMOIDS)
    assert names[-2:] == [
        "nn.LSTM forward, oneDNN on",
        "nn.LSTM forward, oneDNN off",
    ]
    assert (
        len(kernels) == 11 and kernels[0]["flops"] == 2 * 8 * 20 * 32 * 4 * 64
    )
    assert meta["torch_threads"] == "1" and "DNN" in meta["onednn"]


def test_onednn_switch_changes_what_nn_lstm_runs():
    needs("torch")
    import torch

    lstm = torch.nn.LSTM(3, 4, batch_first=True)
    x = torch.zeros(2, 5, 3)

    default = torch.backends.mkldnn.enabled
    with bench.onednn(True):
        on = bench.graph_nodes(lstm(x)[0])
    with bench.onednn(False):
        off = bench.graph_nodes(lstm(x)[0])
    assert torch.backends.mkldnn.enabled == default  # restored
    assert "MkldnnRnnLayerBackward0" in on
    assert "MkldnnRnnLayerBackward0" not in off and "MmBackward0" in off


def test_floor_rates_times_the_products_and_nn_lstm():
    needs("torch")
    rows = bench.breakdown.floor_rates(bench.Size("t", 2, 3, 4, 5), reps=2)
    assert [r["kernel"].split(",")[0] for r in rows] == [
        "T recurrent products",
        "T recurrent products",
        "nn.LSTM forward",
        "nn.LSTM forward",
    ]
    assert rows[0]["flops"] == 3 * 2 * 2 * 5 * 4 * 5
    assert rows[2]["flops"] == bench.lstm_flops(2, 3, 4, 5)
    assert all(r["min_ms"] > 0 for r in rows)


def test_import_loads_no_framework():
    # ``import companion.bench`` imports NumPy only (and no threadpoolctl either)
    code = (
        "import sys, companion.bench; print(sorted(m for m in"
        " ('tensorflow', 'keras', 'torch', 'matplotlib', 'threadpoolctl')"
        " if m in sys.modules))"
    )
    res = python_in_root("-c", code)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"
