"""The NumPy GRU: shapes, input checks, the two reset variants, and BPTT against
finite differences. Framework comparisons live in test_gru_frameworks.py."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import (
    GRUGrads,
    GRUParams,
    count_params,
    gru_backward,
    gru_forward,
    gru_step,
    gru_step_backward,
)
from companion.gradcheck import check_gradient
from conftest import GRADCHECK_ATOL, PROBLEM_SIZES


def problem(N, T, D, H, seed, reset_after):
    rng = np.random.default_rng(seed)
    params = GRUParams.random(D, H, rng, reset_after=reset_after)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    G, g_h = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
    return params, x, h0, G, g_h


def loss(params, x, h0, G, g_h):
    """L = sum(hs * G) + sum(h_T * g_h)."""
    hs, h_T, _ = gru_forward(x, params, h0)
    return float(np.sum(hs * G) + np.sum(h_T * g_h))


def replace(params, name, value):
    fields = params.as_dict()
    fields[name] = value
    return GRUParams(**fields)


# --- forward -----------------------------------------------------------------


@pytest.mark.parametrize("reset_after", [True, False])
def test_shapes_and_dtypes(reset_after):
    rng = np.random.default_rng(0)
    p = GRUParams.random(3, 4, rng, reset_after=reset_after)
    assert (p.D, p.H, p.reset_after) == (3, 4, reset_after)
    assert (
        p.W_x.shape == (3, 12)
        and p.W_h.shape == (4, 12)
        and p.b.shape == (12,)
    )
    assert (p.b_hg is None) == (not reset_after)
    x = rng.standard_normal((2, 5, 3))
    hs, h_T, cache = gru_forward(x, p)
    assert hs.shape == (2, 5, 4) and h_T.shape == (2, 4)
    np.testing.assert_array_equal(hs[:, -1], h_T)
    hs32, h32, _ = gru_forward(x.astype(np.float32), p)
    assert hs32.dtype == np.float32 and h32.dtype == np.float32
    assert p.astype(np.float32).W_x.dtype == np.float32
    assert p.astype(np.float32).reset_after == reset_after


@pytest.mark.parametrize("reset_after", [True, False])
def test_step_by_step_equals_sequence(reset_after):
    params, x, h0, _, _ = problem(2, 4, 3, 5, 1, reset_after)
    hs, h_T, _ = gru_forward(x, params, h0)
    h = h0
    for t in range(4):
        h, _ = gru_step(x[:, t], h, params)
        np.testing.assert_allclose(h, hs[:, t], rtol=0, atol=1e-15)
    np.testing.assert_allclose(h, h_T, rtol=0, atol=1e-15)


def test_equations_written_out():
    """One step against the equations written out gate by gate (the module docstring)."""
    rng = np.random.default_rng(2)
    for reset_after in (True, False):
        p = GRUParams.random(3, 2, rng, reset_after=reset_after)
        x_t, h = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
        s = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
        Wxr, Whr, br = p.gate("r")
        Wxz, Whz, bz = p.gate("z")
        Wxg, Whg, bg = p.gate("g")
        r = s(x_t @ Wxr + h @ Whr + br)
        z = s(x_t @ Wxz + h @ Whz + bz)
        if reset_after:
            g = np.tanh(x_t @ Wxg + bg + r * (h @ Whg + p.b_hg))
        else:
            g = np.tanh(x_t @ Wxg + bg + (r * h) @ Whg)
        h_t, _ = gru_step(x_t, h, p)
        np.testing.assert_allclose(
            h_t, z * h + (1 - z) * g, rtol=1e-14, atol=1e-15
        )


def test_variants_differ_with_the_same_weights():
    rng = np.random.default_rng(3)
    after = GRUParams.random(3, 4, rng, reset_after=True)
    after = GRUParams(
        after.W_x, after.W_h, after.b, np.zeros(4)
    )  # no b_hg: only the placement differs
    before = GRUParams(after.W_x, after.W_h, after.b)
    x = rng.standard_normal((2, 6, 3))
    hs_a, _, _ = gru_forward(x, after)
    hs_b, _, _ = gru_forward(x, before)
    assert np.max(np.abs(hs_a - hs_b)) > 1e-3
    # From a zero state the first step agrees (r * 0 = 0 either way); afterwards they part.
    np.testing.assert_allclose(hs_a[:, 0], hs_b[:, 0], rtol=0, atol=1e-15)


# --- checks -----------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda p, rng: GRUParams(np.zeros((3, 10)), p.W_h, p.b),
            r"W_x must have shape \(D, 3H\) with 3H divisible by 3",
        ),
        (
            lambda p, rng: GRUParams(p.W_x, np.zeros((4, 8)), p.b),
            r"W_h must have shape \(H=4, 3H=12\); got \(4, 8\)",
        ),
        (
            lambda p, rng: GRUParams(p.W_x, p.W_h, np.zeros(4)),
            r"b must have shape \(3H=12,\); got \(4,\)",
        ),
        (
            lambda p, rng: GRUParams(p.W_x, p.W_h, p.b, np.zeros(12)),
            r"b_hg must have shape \(H=4,\); got \(12,\)",
        ),
        (
            lambda p, rng: GRUParams(np.zeros((3, 12), dtype=int), p.W_h, p.b),
            "W_x must hold floating-point",
        ),
        (
            lambda p, rng: GRUParams.random(3, 4, 0),
            "rng must be a numpy.random.Generator",
        ),
        (
            lambda p, rng: GRUParams.random(3, 4, rng, reset_after="yes"),
            "reset_after must be True or False",
        ),
        (
            lambda p, rng: GRUParams.random(3, 0, rng),
            "H must be a positive integer",
        ),
        (lambda p, rng: p.gate("n"), "name must be one of 'r', 'z', 'g'"),
    ],
)
def test_params_refuse_mismatched_arrays(rng, call, message):
    p = GRUParams.random(3, 4, rng)
    with pytest.raises(ValueError, match=message):
        call(p, rng)


def test_public_functions_refuse_bad_input():
    rng = np.random.default_rng(0)
    p = GRUParams.random(3, 4, rng)
    with pytest.raises(
        ValueError,
        match=r"x must have shape \(N, T, D=3\) \(3-D\); got \(5, 3\)",
    ):
        gru_forward(np.zeros((5, 3)), p)
    with pytest.raises(
        ValueError, match=r"x must have shape \(N, T, D=3\); got \(2, 5, 2\)"
    ):
        gru_forward(np.zeros((2, 5, 2)), p)
    with pytest.raises(
        ValueError, match=r"h0 must have shape \(N=2, H=4\); got \(2, 3\)"
    ):
        gru_forward(np.zeros((2, 5, 3)), p, h0=np.zeros((2, 3)))
    with pytest.raises(
        ValueError, match="params must be a GRUParams; got dict"
    ):
        gru_forward(np.zeros((2, 5, 3)), p.as_dict())
    with pytest.raises(
        ValueError, match=r"h_prev must have shape \(N=2, H=4\)"
    ):
        gru_step(np.zeros((2, 3)), np.zeros((3, 4)), p)
    _, _, cache = gru_forward(np.zeros((2, 5, 3)), p)
    with pytest.raises(
        ValueError, match=r"dhs must have shape \(N=2, T=5, H=4\)"
    ):
        gru_backward(np.zeros((2, 4, 4)), cache)
    with pytest.raises(
        ValueError, match="cache must be a GRUCache returned by gru_forward"
    ):
        gru_backward(np.zeros((2, 5, 4)), (1, 2))
    _, step_cache = gru_step(np.zeros((2, 3)), np.zeros((2, 4)), p)
    with pytest.raises(
        ValueError, match="cache must be a GRUStepCache returned by gru_step"
    ):
        gru_step_backward(np.zeros((2, 4)), cache)
    with pytest.raises(ValueError, match=r"dh_t must have shape \(N=2, H=4\)"):
        gru_step_backward(np.zeros((2, 5)), step_cache)


def test_gradients_may_hold_inf():
    """An exploding float32 gradient is returned, not refused (the input dhs must be finite)."""
    rng = np.random.default_rng(0)
    p = GRUParams.random(3, 4, rng, scale=30.0, dtype=np.float32)
    _, _, cache = gru_forward(
        rng.standard_normal((2, 40, 3)).astype(np.float32), p
    )
    with np.errstate(all="ignore"):
        _, _, grads = gru_backward(
            np.full((2, 40, 4), 3e38, np.float32), cache
        )
    assert not all(np.all(np.isfinite(a)) for a in grads.as_dict().values())
    assert "dL/dW_x" in repr(grads)
    with pytest.raises(ValueError, match="dhs contains NaN or infinite"):
        gru_backward(np.full((2, 40, 4), np.nan), cache)


# --- backward ---------------------------------------------------------------


@settings(max_examples=12, deadline=None)
@given(PROBLEM_SIZES, st.booleans())
def test_backward_matches_finite_differences(size, reset_after):
    params, x, h0, G, g_h = problem(*size, reset_after)
    _, _, cache = gru_forward(x, params, h0)
    dx, dh0, grads = gru_backward(G, cache, g_h)
    assert isinstance(grads, GRUGrads)
    check_gradient(
        "params",
        lambda p: loss(p, x, h0, G, g_h),
        params,
        grads,
        atol=GRADCHECK_ATOL,
    )
    check_gradient(
        "x", lambda v: loss(params, v, h0, G, g_h), x, dx, atol=GRADCHECK_ATOL
    )
    check_gradient(
        "h0",
        lambda v: loss(params, x, v, G, g_h),
        h0,
        dh0,
        atol=GRADCHECK_ATOL,
    )


@pytest.mark.parametrize("reset_after", [True, False])
def test_backward_reaches_1e_7_on_a_fixed_problem(reset_after):
    """The issue's bar: relative error <= 1e-7 in float64, without the absolute escape."""
    params, x, h0, G, g_h = problem(3, 5, 4, 3, 7, reset_after)
    _, _, cache = gru_forward(x, params, h0)
    dx, dh0, grads = gru_backward(G, cache, g_h)
    assert set(grads.as_dict()) == (
        {"dW_x", "dW_h", "db", "db_hg"}
        if reset_after
        else {"dW_x", "dW_h", "db"}
    )
    check_gradient(
        "params", lambda p: loss(p, x, h0, G, g_h), params, grads, tol=1e-7
    )
    for (
        dname,
        analytic,
    ) in grads.as_dict().items():  # and each array on its own
        name = dname[1:]  # dW_x -> W_x
        f = lambda v, name=name: loss(replace(params, name, v), x, h0, G, g_h)  # noqa: E731
        check_gradient(name, f, params.as_dict()[name], analytic, tol=1e-7)
    check_gradient("x", lambda v: loss(params, v, h0, G, g_h), x, dx, tol=1e-7)
    check_gradient(
        "h0", lambda v: loss(params, x, v, G, g_h), h0, dh0, tol=1e-7
    )


@pytest.mark.parametrize("reset_after", [True, False])
def test_step_backward_and_hidden_grads(reset_after):
    params, x, h0, G, g_h = problem(2, 3, 3, 4, 5, reset_after)
    hs, _, cache = gru_forward(x, params, h0)
    dx, dh0, grads = gru_backward(G, cache, g_h)
    # The same gradients from gru_step / gru_step_backward, walked back by hand.
    caches, h = [], h0
    for t in range(3):
        h, c = gru_step(x[:, t], h, params)
        caches.append(c)
    dh, total = g_h, None
    for t in reversed(range(3)):
        dh = dh + G[:, t]
        np.testing.assert_allclose(grads.dh[:, t], dh, rtol=1e-13, atol=1e-14)
        dx_t, dh, step = gru_step_backward(dh, caches[t])
        assert step.dh is None
        np.testing.assert_allclose(dx_t, dx[:, t], rtol=1e-13, atol=1e-14)
        total = (
            step.as_dict()
            if total is None
            else {k: total[k] + v for k, v in step.as_dict().items()}
        )
    np.testing.assert_allclose(dh, dh0, rtol=1e-13, atol=1e-14)
    for k, v in grads.as_dict().items():
        np.testing.assert_allclose(total[k], v, rtol=1e-12, atol=1e-14)
    assert grads.norm() > 0


# --- counting ---------------------------------------------------------------


def test_count_params_gru():
    D, H = 3, 4
    assert count_params("gru", D, H, "keras", reset_after=False) == 3 * (
        H * (D + H) + H
    )
    assert (
        count_params("gru", D, H, "keras", reset_after=True)
        == 3 * (H * (D + H) + H) + 3 * H
    )
    assert count_params("gru", D, H) == count_params(
        "gru", D, H, "keras", reset_after=True
    )
    assert count_params("gru", D, H, "torch") == 3 * (H * (D + H) + 2 * H)
    # the book's GRUParams keep only the second bias that matters: the candidate's
    p = GRUParams.random(D, H, np.random.default_rng(0))
    n_book = sum(a.size for a in p.as_dict().values())
    assert n_book == count_params("gru", D, H, reset_after=False) + H
    with pytest.raises(ValueError, match="framework must be one of"):
        count_params("gru", D, H, "jax")
