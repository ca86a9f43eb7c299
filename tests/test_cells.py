"""The four-function API every cell shares, tested once for every cell of
companion.cells: a new cell registered there is tested here too.
"""

import numpy as np
import pytest
from hypothesis import given, settings

from companion import (
    check_gradient,
    mingru,
    numerical_gradient,
    relative_error,
)
from companion.cells import CELLS, get, of
from conftest import GRADCHECK_ATOL, PROBLEM_SIZES

cells = pytest.mark.parametrize("name", list(CELLS))
# the cells with a torch.nn twin (nn.RNN, nn.LSTM, nn.GRU); minGRU and minLSTM
# are checked against torch autograd in tests/test_mingru.py
nn_twins = pytest.mark.parametrize(
    "name", [name for name, cell in CELLS.items() if cell.torch]
)


def problem(cell, N, T, D, H, seed):
    """params, x (N, T, D), initial states [(N, H)...], loss weights G (N, T, H) and g [(N, H)...]."""
    rng = np.random.default_rng(seed)
    params = cell.params.random(D, H, rng)
    x = rng.standard_normal((N, T, D))
    states = [rng.standard_normal((N, H)) for _ in cell.states]
    G = rng.standard_normal((N, T, H))
    g = [rng.standard_normal((N, H)) for _ in cell.states]
    return params, x, states, G, g


def forward(cell, x, params, states):
    """(hs, [last states], cache) for any cell."""
    hs, finals, cache = cell.run(x, params, *states)
    return hs, list(finals), cache


def loss(cell, params, x, states, G, g):
    """L = sum(hs * G) + sum over the last states of sum(state_T * g)."""
    hs, finals, _ = forward(cell, x, params, states)
    return float(
        np.sum(hs * G) + sum(np.sum(s * w) for s, w in zip(finals, g))
    )


def backward(cell, G, cache, g):
    """(dx, [d initial states], grads) for any cell."""
    dx, dstates, grads = cell.run_backward(G, cache, *g)
    return dx, list(dstates), grads


@cells
def test_forward_returns_states_and_cache(name):
    cell = CELLS[name]
    params, x, states, _, _ = problem(cell, 2, 5, 3, 4, 0)
    out = cell.forward(x, params, *states)
    assert len(out) == 2 + len(cell.states)
    hs, finals, cache = forward(cell, x, params, states)
    assert hs.shape == (2, 5, 4) and all(s.shape == (2, 4) for s in finals)
    assert type(cache).__name__ == cell.caches[0].__name__
    np.testing.assert_array_equal(finals[0], hs[:, -1])


@cells
def test_forward_is_the_step_repeated(name):
    cell = CELLS[name]
    params, x, states, _, _ = problem(cell, 3, 6, 2, 4, 1)
    hs, finals, _ = forward(cell, x, params, states)
    state = states
    for t in range(6):
        *state, step_cache = cell.step(x[:, t], *state, params)
        np.testing.assert_allclose(hs[:, t], state[0], rtol=1e-13)
        assert type(step_cache).__name__ == cell.caches[1].__name__
    for final, s in zip(finals, state):
        np.testing.assert_allclose(final, s, rtol=1e-13)


@cells
def test_zero_initial_states_by_default(name):
    cell = CELLS[name]
    params = cell.params.random(3, 4, np.random.default_rng(0))
    x = np.ones((2, 3, 3))
    zeros = [np.zeros((2, 4)) for _ in cell.states]
    np.testing.assert_array_equal(
        cell.forward(x, params)[0], cell.forward(x, params, *zeros)[0]
    )


@cells
def test_step_takes_none_for_zero_states(name):
    cell = CELLS[name]
    params = cell.params.random(3, 4, np.random.default_rng(0))
    x_t = np.ones((2, 3))
    nones = [None] * len(cell.states)
    *from_none, _ = cell.step(x_t, *nones, params)
    *from_zeros, _ = cell.step(x_t, *cell.zero_states(2, 4), params)
    assert len(from_none) == len(cell.states)
    for a, b in zip(from_none, from_zeros):
        np.testing.assert_array_equal(a, b)


@cells
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_dtype_in_is_dtype_out(name, dtype):
    cell = CELLS[name]
    params, x, states, G, _ = problem(cell, 2, 3, 3, 4, 2)
    hs, finals, cache = forward(
        cell, x.astype(dtype), params, [s.astype(dtype) for s in states]
    )
    assert hs.dtype == dtype and all(s.dtype == dtype for s in finals)
    assert cache.hs.dtype == dtype and all(
        a.dtype == dtype for a in cache.params.as_dict().values()
    )
    dx, dstates, grads = backward(cell, G, cache, [])
    assert dx.dtype == dtype and all(d.dtype == dtype for d in dstates)
    assert all(a.dtype == dtype for a in grads.as_dict().values())


@cells
def test_float32_agrees_with_float64(name):
    cell = CELLS[name]
    params, x, _, _, _ = problem(cell, 4, 6, 3, 4, 4)
    hs64 = cell.forward(x, params)[0]
    hs32 = cell.forward(x.astype(np.float32), params)[0]
    np.testing.assert_allclose(hs32, hs64, atol=1e-6)


@cells
@settings(max_examples=12, deadline=None)
@given(size=PROBLEM_SIZES)
def test_backward_matches_finite_differences(name, size):
    cell = CELLS[name]
    params, x, states, G, g = problem(cell, *size)
    _, _, cache = forward(cell, x, params, states)
    dx, dstates, grads = backward(cell, G, cache, g)
    assert isinstance(grads, cell.grads)
    check_gradient(
        "params",
        lambda p: loss(cell, p, x, states, G, g),
        params,
        grads,
        atol=GRADCHECK_ATOL,
    )
    check_gradient(
        "x",
        lambda v: loss(cell, params, v, states, G, g),
        x,
        dx,
        atol=GRADCHECK_ATOL,
    )
    for k, (s, ds) in enumerate(zip(states, dstates)):

        def f(v, k=k):
            return loss(
                cell, params, x, states[:k] + [v] + states[k + 1 :], G, g
            )

        check_gradient(f"{cell.states[k]}0", f, s, ds, atol=GRADCHECK_ATOL)


@nn_twins
@settings(max_examples=10, deadline=None)
@given(size=PROBLEM_SIZES)
def test_backward_matches_torch_autograd(name, size):
    torch = pytest.importorskip("torch")
    from companion.convert import to_torch

    cell = CELLS[name]
    params, x, states, G, g = problem(cell, *size)
    N, T, D, H, _ = size
    module = to_torch(
        params,
        getattr(torch.nn, cell.torch)(D, H, batch_first=True).double(),
    )
    x_t = torch.tensor(x, requires_grad=True)
    s_t = [torch.tensor(s[None], requires_grad=True) for s in states]
    out, finals = module(x_t, s_t[0] if len(s_t) == 1 else tuple(s_t))
    finals = [finals] if len(s_t) == 1 else list(finals)
    L = torch.sum(out * torch.from_numpy(G)) + sum(
        torch.sum(f[0] * torch.from_numpy(w)) for f, w in zip(finals, g)
    )
    L.backward()

    _, _, cache = forward(cell, x, params, states)
    dx, dstates, grads = backward(cell, G, cache, g)
    close = dict(rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dx, x_t.grad.numpy(), **close)
    for ds, st_ in zip(dstates, s_t):
        np.testing.assert_allclose(ds, st_.grad.numpy()[0], **close)
    dW_in, dW_rec, db = list(grads.as_dict().values())[
        :3
    ]  # the GRU's db_hg: test_gru_frameworks.py
    np.testing.assert_allclose(
        dW_in, module.weight_ih_l0.grad.numpy().T, **close
    )
    np.testing.assert_allclose(
        dW_rec, module.weight_hh_l0.grad.numpy().T, **close
    )
    np.testing.assert_allclose(db, module.bias_ih_l0.grad.numpy(), **close)


@cells
def test_step_backward_is_one_step_of_the_sequence(name):
    cell = CELLS[name]
    params, x, states, G, g = problem(cell, 2, 1, 3, 4, 1)
    *_, step_cache = cell.step(x[:, 0], *states, params)
    g_step = g[
        1:
    ]  # the LSTM's dL/dc_1 arrives along the cell; h's own is G[:, 0]
    dx_t, *dprev, step_grads = cell.step_backward(G[:, 0], *g_step, step_cache)
    _, _, cache = forward(cell, x, params, states)
    dx, dstates, grads = backward(cell, G, cache, [None] + g_step)
    np.testing.assert_allclose(dx[:, 0], dx_t, rtol=1e-14)
    for a, b in zip(dstates, dprev):
        np.testing.assert_allclose(a, b, rtol=1e-14)
    assert relative_error(grads, step_grads) < 1e-15
    assert step_grads.dh is None and isinstance(step_grads, cell.grads)


@cells
def test_grads_carry_what_reaches_every_state(name):
    cell = CELLS[name]
    params, x, states, G, g = problem(cell, 2, 4, 3, 3, 5)
    _, _, cache = forward(cell, x, params, states)
    _, _, grads = backward(cell, G, cache, g)
    assert grads.dh.shape == (2, 4, 3)
    np.testing.assert_allclose(grads.dh[:, -1], G[:, -1] + g[0], rtol=1e-14)
    # dL/dh_3 = G_3 + what step 4 sends back, computed with the step functions
    prev = [cache.hs[:, 2]] + ([cache.cs[:, 2]] if name == "lstm" else [])
    *_, step_cache = cell.step(x[:, 3], *prev, params)
    later = [grads.dc[:, 3]] if name == "lstm" else []
    if name == "lstm":  # the step backward wants dL/dc_4 along the cell only
        o = cache.gates[:, 3, 9:12]
        later = [
            grads.dc[:, 3]
            - grads.dh[:, 3] * o * (1 - np.tanh(cache.cs[:, 3]) ** 2)
        ]
    _, back, *_ = cell.step_backward(grads.dh[:, 3], *later, step_cache)
    np.testing.assert_allclose(grads.dh[:, 2], G[:, 2] + back, rtol=1e-12)


@cells
def test_exploding_float32_gradients_can_be_shown(name):
    cell = CELLS[name]
    rng = np.random.default_rng(0)
    params = cell.params.random(2, 3, rng, scale=30.0, dtype=np.float32)
    x = rng.standard_normal((1, 40, 2)).astype(np.float32)
    _, _, cache = forward(cell, x, params, [])
    G = np.full((1, 40, 3), 3e38, np.float32)  # near float32's largest value
    with np.errstate(all="ignore"):
        _, _, grads = backward(cell, G, cache, [])
    assert not all(np.all(np.isfinite(a)) for a in grads.as_dict().values())
    assert "dL/d" in repr(grads)


@cells
def test_forward_refuses_bad_input(name):
    cell = CELLS[name]
    params = cell.params.random(3, 4, np.random.default_rng(0))
    bad = [
        (
            (np.ones((5, 3)),),
            r"x must have shape \(N, T, D=3\) \(3-D\); got \(5, 3\)",
        ),
        (
            (np.ones((2, 5, 4)),),
            r"x must have shape \(N, T, D=3\); got \(2, 5, 4\)",
        ),
        (
            (np.ones((2, 5, 3), dtype=int),),
            "x must hold floating-point numbers",
        ),
        ((np.full((2, 5, 3), np.inf),), "x contains NaN or infinite"),
        ((np.ones((2, 0, 3)),), "no empty axis"),
        (
            (np.ones((2, 5, 3)), np.ones((3, 4))),
            r"h0 must have shape \(N=2, H=4\); got \(3, 4\)",
        ),
        (
            (np.ones((2, 5, 3)), np.ones((2, 5))),
            r"h0 must have shape \(N=2, H=4\); got \(2, 5\)",
        ),
    ]
    for args, message in bad:
        with pytest.raises(ValueError, match=message):
            cell.forward(args[0], params, *args[1:])
    with pytest.raises(
        ValueError, match=f"params must be an? {cell.params.__name__}"
    ):
        cell.forward(np.ones((2, 3, 3)), {"W": 1})
    with pytest.raises(
        ValueError, match=r"h_prev must have shape \(N=2, H=4\)"
    ):
        cell.step(
            np.ones((2, 3)),
            np.ones((2, 3)),
            *([np.ones((2, 4))] * (len(cell.states) - 1)),
            params,
        )


@cells
def test_backward_refuses_bad_input(name):
    cell = CELLS[name]
    params, x, states, _, _ = problem(cell, 2, 3, 3, 4, 0)
    _, _, cache = forward(cell, x, params, states)
    G = np.ones((2, 3, 4))
    fwd = cell.forward.__name__
    bad = [
        (
            lambda: cell.backward(G[:, :2], cache),
            r"dhs must have shape \(N=2, T=3, H=4\); got \(2, 2, 4\)",
        ),
        (
            lambda: cell.backward(G, cache, np.ones((2, 5))),
            r"dh_T must have shape \(N=2, H=4\); got \(2, 5\)",
        ),
        (
            lambda: cell.backward(G, (1, 2, 3, 4)),
            f"cache must be an? {cell.caches[0].__name__} returned by {fwd}",
        ),
        (
            lambda: cell.backward(np.full(G.shape, np.nan), cache),
            "dhs contains NaN",
        ),
        (
            lambda: cell.step_backward(*([G[:, 0]] * len(cell.states)), cache),
            f"cache must be an? {cell.caches[1].__name__}",
        ),
    ]
    for call, message in bad:
        with pytest.raises(ValueError, match=message):
            call()
    *_, step_cache = cell.step(x[:, 0], *states, params)
    with pytest.raises(
        ValueError,
        match=r"dh_t must have shape \(N=2, H=4\) \(2-D\); got \(4,\)",
    ):
        cell.step_backward(
            np.ones(4), *([None] * (len(cell.states) - 1)), step_cache
        )


@pytest.mark.parametrize(
    "name, params, grads, prefix",
    [
        ("mingru", mingru.MinGRUParams, mingru.MinGRUGrads, "min_gru"),
        ("minlstm", mingru.MinLSTMParams, mingru.MinLSTMGrads, "min_lstm"),
    ],
)
def test_the_min_cells_are_registered(name, params, grads, prefix):
    cell = get(name)
    assert (cell.name, cell.params, cell.grads) == (name, params, grads)
    assert cell.caches == (mingru.MinCache, mingru.MinStepCache)
    assert cell.states == ("h",) and not cell.reads_h
    for part in ("step", "forward", "step_backward", "backward"):
        assert getattr(cell, part) is getattr(mingru, f"{prefix}_{part}")
    assert (cell.torch, cell.keras) == (None, None)
    assert len(cell.parts) == params.BLOCKS
    p = params.random(3, 4, np.random.default_rng(0))
    assert of(p) is cell
    assert isinstance(
        numerical_gradient(lambda q: float(np.sum(q.W_x)), p), grads
    )  # companion.gradcheck finds the Grads class through the registry


@cells
def test_run_and_run_backward_give_one_shape(name):
    cell = CELLS[name]
    params, x, states, G, _ = problem(cell, 2, 5, 3, 4, 0)
    hs, finals, cache = cell.run(x, params, *states)
    assert hs.shape == (2, 5, 4) and len(finals) == len(cell.states)
    dx, dstates, grads = cell.run_backward(G, cache)
    assert dx.shape == x.shape and len(dstates) == len(cell.states)
    assert all(d.shape == (2, 4) for d in dstates)
    assert isinstance(grads, cell.grads) and type(params) is cell.params


@cells
def test_torch_layer_is_the_declared_module(name):
    pytest.importorskip("torch")
    import torch

    cell = CELLS[name]
    if cell.torch is None and cell.torch_own is None:
        with pytest.raises(ValueError, match=f"{name!r} has no torch module"):
            cell.torch_layer()
        return
    layer = cell.torch_layer()
    if cell.torch:
        assert layer is getattr(torch.nn, cell.torch)
    else:
        module, cls = cell.torch_own.rsplit(".", 1)
        assert layer.__module__ == f"companion.{module}"
        assert layer.__name__ == cls
    out, _ = layer(3, 4, batch_first=True)(torch.zeros(2, 5, 3))
    assert out.shape == (2, 5, 4)
