"""Tests of companion.bench: every implementation computes the book's LSTM, and the sweep's plumbing."""
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import companion
from companion import bench
from companion.bench import numpy_lstm as nl


def torch_reference(x, params, dhs):
    """hs and the gradients of sum(hs * dhs) by PyTorch autograd, float64."""
    import torch

    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    W = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (params.W_x, params.W_h, params.b)]
    hs = bench.runners.torch_lstm_loop(xt, *W)
    (hs * torch.tensor(dhs, dtype=torch.float64)).sum().backward()
    grads = {"dx": xt.grad, "dW_x": W[0].grad, "dW_h": W[1].grad, "db": W[2].grad}
    return hs.detach().numpy(), {k: v.numpy() for k, v in grads.items()}


@settings(max_examples=8, deadline=None)
@given(N=st.integers(1, 4), T=st.integers(1, 5), D=st.integers(1, 4), H=st.integers(1, 5), seed=st.integers(0, 99))
def test_every_numpy_forward_matches_lstm_forward(N, T, D, H, seed):
    params, x, _ = bench.problem(N, T, D, H, seed=seed, dtype=np.float64)
    ref, (h_ref, c_ref) = companion.lstm_forward(x, params)
    for name, fn in nl.FORWARD.items():
        hs, (h, c) = fn(x, params)
        assert hs.shape == (N, T, H), name
        np.testing.assert_allclose(hs, ref, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(h, h_ref, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(c, c_ref, atol=1e-12, err_msg=name)


@settings(max_examples=8, deadline=None)
@given(N=st.integers(1, 4), T=st.integers(1, 5), D=st.integers(1, 4), H=st.integers(1, 5), seed=st.integers(0, 99))
def test_numpy_backward_matches_torch_autograd(N, T, D, H, seed):
    params, x, dhs = bench.problem(N, T, D, H, seed=seed, dtype=np.float64)
    hs_ref, g_ref = torch_reference(x, params, dhs)
    for fn in (nl.lstm_forward_backward_naive, nl.lstm_forward_backward_fused):
        hs, grads = fn(x, params, dhs)
        np.testing.assert_allclose(hs, hs_ref, atol=1e-12, err_msg=fn.__name__)
        assert set(grads) == set(g_ref)
        for k in g_ref:
            assert grads[k].shape == g_ref[k].shape, (fn.__name__, k)
            np.testing.assert_allclose(grads[k], g_ref[k], atol=1e-10, err_msg=f"{fn.__name__} {k}")


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
    assert hs.dtype == np.float32 and all(g.dtype == np.float32 for g in grads.values())
    assert nl.lstm_forward_fused(x, params)[0].dtype == np.float32


@pytest.mark.parametrize("mode", bench.MODES)
def test_every_cpu_runner_agrees(mode):
    params, x, dhs = bench.problem(3, 4, 5, 6)
    diffs = bench.agreement(["numpy_naive", "torch_loop", "torch_nn", "keras"], mode, params, x, dhs)
    assert set(diffs) == {"numpy_opt", "numpy_naive", "torch_loop", "torch_nn", "keras"}
    for impl, d in diffs.items():
        expected = {"hs"} if mode == "forward" else {"hs", "dx", "dW_x", "dW_h", "db"}
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
    assert bench.gemm_intensity(1024, 1024, 1024) == pytest.approx(2 * 1024**3 / (4 * 3 * 1024**2))


def test_summarize_and_ratios():
    s = bench.summarize([0.001, 0.003, 0.002])
    assert s["median_ms"] == pytest.approx(2.0) and s["min_ms"] == pytest.approx(1.0)
    rows = [
        {"impl": "torch_nn", "size": "a", "mode": "forward", "device": "cpu", "median_ms": 2.0, "status": "ok"},
        {"impl": "numpy_opt", "size": "a", "mode": "forward", "device": "cpu", "median_ms": 3.0, "status": "ok"},
        {"impl": "keras", "size": "a", "mode": "forward", "device": "cpu", "status": "failed: X"},
    ]
    bench.add_ratios(rows)
    assert rows[1]["ratio_to_torch_nn"] == pytest.approx(1.5) and "ratio_to_torch_nn" not in rows[2]


def test_run_suite_writes_and_reads_csv(tmp_path):
    size = bench.Size("t", 2, 3, 4, 5)
    rows = bench.run_suite([size], ["numpy_opt", "torch_nn", "keras"], reps=2, threads=1, gemm_peak=10.0, log=None)
    assert len(rows) == 6 and all(r["status"] == "ok" for r in rows), rows
    path = tmp_path / "r.csv"
    bench.write_csv(path, rows, {"cpu": "test cpu", "note": "a: b"})
    back, meta = bench.read_csv(path)
    assert meta == {"cpu": "test cpu", "note": "a: b"}
    assert [r["impl"] for r in back] == [r["impl"] for r in rows]
    assert back[0]["T"] == 3 and back[1]["ratio_to_torch_nn"] == pytest.approx(1.0)
    assert back[0]["median_ms"] > 0


def test_run_suite_records_a_failure_instead_of_stopping(monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("no such backend")

    monkeypatch.setattr(bench.suite, "agreement", broken)
    rows = bench.run_suite([bench.Size("t", 1, 2, 2, 2)], ["numpy_opt"], modes=["forward"], reps=1, log=None)
    assert rows[0]["status"] == "failed: RuntimeError: no such backend"


def test_set_blas_threads():
    assert bench.set_blas_threads(1) in (True, False)
    with pytest.raises(ValueError):
        bench.set_blas_threads(0)


def test_runner_script_on_tiny_cpu(tmp_path):
    out = tmp_path / "b.csv"
    cmd = [sys.executable, "bench/run.py", "--sizes", "tiny", "--impls", "numpy_opt,torch_nn", "--reps", "1",
           "--threads", "1", "--modes", "forward", "--out", str(out)]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=bench.__file__.rsplit("/companion/", 1)[0])
    assert res.returncode == 0, res.stderr
    assert "cpu:" in res.stdout and "torch:" in res.stdout
    rows, meta = bench.read_csv(out)
    assert {r["impl"] for r in rows} == {"numpy_opt", "torch_nn"} and meta["threads"] == "1"
    assert out.with_suffix(".png").exists()
