import numpy as np
import pytest
from hypothesis import given, settings

from companion.gradcheck import check_gradient
from companion.mingru import (
    MinGRUGrads,
    MinGRUParams,
    MinLSTMGrads,
    MinLSTMParams,
    min_gru_backward,
    min_gru_forward,
    min_gru_step,
    min_gru_step_backward,
    min_lstm_backward,
    min_lstm_forward,
    min_lstm_step,
    min_lstm_step_backward,
)
from companion.scan import METHODS
from conftest import PROBLEM_SIZES

CELLS = {
    "mingru": (
        MinGRUParams,
        min_gru_step,
        min_gru_forward,
        min_gru_step_backward,
        min_gru_backward,
    ),
    "minlstm": (
        MinLSTMParams,
        min_lstm_step,
        min_lstm_forward,
        min_lstm_step_backward,
        min_lstm_backward,
    ),
}


def setup(cell, N, T, D, H, seed):
    rng = np.random.default_rng(seed)
    params = CELLS[cell][0].random(D, H, rng)
    return (
        params,
        rng.standard_normal((N, T, D)),
        rng.standard_normal((N, H)),
        rng,
    )


@pytest.mark.parametrize("cell", CELLS)
@settings(max_examples=40, deadline=None)
@given(size=PROBLEM_SIZES)
def test_both_modes_and_every_scan_agree(cell, size):
    params, x, h0, _ = setup(cell, *size)
    _, step, forward, _, _ = CELLS[cell]
    loop, h_T, _ = forward(x, params, h0, parallel=False)
    h, steps = h0, []
    for t in range(x.shape[1]):
        h, _ = step(x[:, t], h, params)
        steps.append(h)
    np.testing.assert_allclose(np.stack(steps, axis=1), loop, atol=1e-12)
    np.testing.assert_array_equal(h_T, loop[:, -1])
    for method in METHODS:
        hs, _, _ = forward(x, params, h0, parallel=True, method=method)
        np.testing.assert_allclose(hs, loop, atol=1e-12, err_msg=method)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("parallel", [False, True])
def test_gradients_by_finite_differences(cell, parallel):
    params, x, h0, rng = setup(cell, 2, 5, 3, 4, seed=1)
    forward, backward = CELLS[cell][2], CELLS[cell][4]
    G, dh_T = rng.standard_normal((2, 5, 4)), rng.standard_normal((2, 4))

    def loss(p=params, x=x, h0=h0):
        hs, h_T, _ = forward(x, p, h0, parallel=parallel)
        return np.sum(hs * G) + np.sum(h_T * dh_T)

    _, _, cache = forward(x, params, h0, parallel=parallel)
    dx, dh0, grads = backward(G, cache, dh_T)
    assert isinstance(grads, MinGRUGrads if cell == "mingru" else MinLSTMGrads)
    check_gradient("params", lambda p: loss(p=p), params, grads, tol=1e-7)
    check_gradient("x", lambda v: loss(x=v), x, dx, tol=1e-7)
    check_gradient("h0", lambda v: loss(h0=v), h0, dh0, tol=1e-7)


@pytest.mark.parametrize("cell", CELLS)
def test_reverse_scan_equals_bptt_through_the_steps(cell):
    params, x, h0, rng = setup(cell, 3, 7, 2, 5, seed=2)
    _, step, forward, step_backward, backward = CELLS[cell]
    G = rng.standard_normal((3, 7, 5))
    caches, h = [], h0
    for t in range(7):
        h, c = step(x[:, t], h, params)
        caches.append(c)
    dh, dW_x, dxs = np.zeros_like(h0), 0, []
    for t in reversed(range(7)):
        dx_t, dh, g = step_backward(G[:, t] + dh, caches[t])
        dW_x, dxs = dW_x + g.dW_x, [dx_t, *dxs]
    for method in ("blelloch", "hillis_steele", "log"):
        _, _, cache = forward(x, params, h0, method=method)
        dx, dh0, grads = backward(G, cache)
        np.testing.assert_allclose(grads.dW_x, dW_x, atol=1e-12)
        np.testing.assert_allclose(dx, np.stack(dxs, axis=1), atol=1e-12)
        np.testing.assert_allclose(dh0, dh, atol=1e-12)
        assert grads.dh.shape == (3, 7, 5)


def test_min_gru_agrees_with_torch_autograd(torch):
    from companion.torch_mingru import MinGRU

    params, x, h0, rng = setup("mingru", 2, 6, 3, 4, seed=3)
    G = rng.standard_normal((2, 6, 4))
    module = MinGRU.from_params(params)
    tx, th0 = (
        torch.tensor(x, requires_grad=True),
        torch.tensor(h0[None], requires_grad=True),
    )
    out, h_n = module(tx, th0)
    (out * torch.from_numpy(G)).sum().backward()
    hs, _, cache = min_gru_forward(x, params, h0)
    np.testing.assert_allclose(out.detach().numpy(), hs, atol=1e-12)
    np.testing.assert_array_equal(
        h_n[0].detach().numpy(), out[:, -1].detach().numpy()
    )
    dx, dh0, grads = min_gru_backward(G, cache)
    np.testing.assert_allclose(tx.grad.numpy(), dx, atol=1e-12)
    np.testing.assert_allclose(th0.grad.numpy()[0], dh0, atol=1e-12)
    np.testing.assert_allclose(
        module.linear.weight.grad.numpy().T, grads.dW_x, atol=1e-12
    )
    np.testing.assert_allclose(
        module.linear.bias.grad.numpy(), grads.db, atol=1e-12
    )


def test_min_lstm_agrees_with_torch_autograd(torch):
    params, x, h0, rng = setup("minlstm", 2, 6, 3, 4, seed=4)
    G = rng.standard_normal((2, 6, 4))
    W, b, tx, th0 = (
        torch.tensor(v, requires_grad=True)
        for v in (params.W_x, params.b, x, h0)
    )
    i, f, g = (tx @ W + b).split(4, dim=-1)
    i, f = torch.sigmoid(i), torch.sigmoid(f)
    h, out = th0, []
    for t in range(6):
        h = (
            f[:, t] / (f[:, t] + i[:, t]) * h
            + i[:, t] / (f[:, t] + i[:, t]) * g[:, t]
        )
        out.append(h)
    (torch.stack(out, dim=1) * torch.from_numpy(G)).sum().backward()
    _, _, cache = min_lstm_forward(x, params, h0, method="chunked")
    dx, dh0, grads = min_lstm_backward(G, cache)
    for ours, theirs in ((dx, tx), (dh0, th0), (grads.dW_x, W), (grads.db, b)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda p, x: min_gru_forward(x[:, :, :2], p),
            r"x must have shape \(N, T, D=3\)",
        ),
        (
            lambda p, x: min_gru_forward(x, p, np.ones((2, 5))),
            r"h0 must have shape \(N=2, H=4\)",
        ),
        (
            lambda p, x: min_gru_forward(x, p, method="fft"),
            "method must be one of",
        ),
        (
            lambda p, x: min_gru_forward(x, p, parallel="yes"),
            "parallel must be True or False",
        ),
        (
            lambda p, x: min_lstm_forward(x, p),
            "params must be an? MinLSTMParams",
        ),
        (
            lambda p, x: min_gru_step(x[:, 0], np.ones((3, 4)), p),
            r"h_prev must have shape \(N=2, H=4\)",
        ),
        (
            lambda p, x: MinGRUParams(np.ones((3, 5)), np.ones(5)),
            r"W_x must have shape \(D, 2H\)",
        ),
        (
            lambda p, x: MinGRUParams(np.ones((3, 4)), np.ones(3)),
            r"b must have shape \(2H=4,\)",
        ),
        (
            lambda p, x: min_gru_backward(
                np.ones((2, 5, 4)), min_gru_forward(x, p)[2]
            ),
            r"dhs must have shape \(N=2, T=6, H=4\)",
        ),
    ],
)
def test_bad_arguments_are_named(call, message):
    params, x, _, _ = setup("mingru", 2, 6, 3, 4, seed=0)
    with pytest.raises(ValueError, match=message):
        call(params, x)


def test_params_shapes_and_dtype():
    p = MinLSTMParams.random(3, 4, np.random.default_rng(0), dtype=np.float32)
    assert (p.D, p.H, p.W_x.shape, p.b.dtype) == (3, 4, (3, 12), np.float32)
    assert p.astype(np.float64).W_x.dtype == np.float64
    assert np.abs(p.W_x).max() <= 0.5  # 1 / sqrt(H)


def test_recall_model_runs_a_min_gru(torch):
    from companion.memory_task import recall_model
    from companion.torch_mingru import MinGRU

    torch.manual_seed(0)
    model = recall_model("mingru", 3, 5, 2)
    assert isinstance(model.rnn, MinGRU) and model(
        torch.zeros(7, 6, 3)
    ).shape == (7, 2)
    with pytest.raises(ValueError, match="init='keras' is for rnn, lstm, gru"):
        recall_model("mingru", 3, 5, 2, init="keras")


def test_one_recorded_seed_reproduces(torch):
    import pathlib

    # tools/, on the path from conftest; absent where only the wheel is
    experiments_scan = pytest.importorskip("experiments_scan")

    from companion.bench import read_csv

    path = (
        pathlib.Path(__file__).resolve().parents[1]
        / "book/data/mingru_recall.csv"
    )
    rows, meta = read_csv(path)
    assert len(rows) == 30 and "torch" in meta and "settings" in meta
    recorded = next(
        r for r in rows if (r["k"], r["cell"], r["seed"]) == (5, "mingru", 1)
    )
    again = experiments_scan.run_one(5, "mingru", 1)
    assert float(again["test_accuracy"]) == recorded["test_accuracy"]
    assert float(again["final_loss"]) == recorded["final_loss"]
    assert again["params"] == recorded["params"]
