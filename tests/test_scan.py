import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.gradcheck import check_gradient
from companion.scan import (
    METHODS,
    closed_form,
    compose,
    linear_scan,
    linear_scan_backward,
    rounding_tolerance,
)

#: lengths with T = 1, primes, powers of two and their neighbours
LENGTHS = st.one_of(
    st.sampled_from(
        [1, 2, 3, 4, 5, 7, 8, 13, 16, 17, 31, 32, 33, 64, 97, 128, 257]
    ),
    st.integers(1, 300),
)
SHAPES = st.tuples(
    st.integers(1, 3), LENGTHS, st.integers(1, 4), st.integers(0, 2**31 - 1)
)


def problem(N, T, H, seed, low=-1.0, dtype=np.float64):
    """a in (low, 1), b and h0 standard normal."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(low, 1.0, (N, T, H)).astype(dtype)
    b = rng.standard_normal((N, T, H)).astype(dtype)
    return a, b, rng.standard_normal((N, H)).astype(dtype)


@settings(max_examples=40, deadline=None)
@given(SHAPES)
def test_every_method_equals_the_loop_in_float64(shape):
    a, b, h0 = problem(*shape)
    loop = linear_scan(a, b, h0)
    scale = max(1.0, np.abs(loop).max())
    for method in METHODS[1:-1]:  # a of either sign
        hs = linear_scan(a, b, h0, method=method)
        assert hs.shape == loop.shape and hs.dtype == np.float64
        assert np.abs(hs - loop).max() <= 1e-12 * scale, method
    a_pos = np.abs(a) + 0.05  # log: a > 0
    loop = linear_scan(a_pos, b, h0)
    scale = max(1.0, np.abs(loop).max())
    assert (
        np.abs(linear_scan(a_pos, b, h0, method="log") - loop).max()
        <= 1e-12 * scale
    )


@settings(max_examples=40, deadline=None)
@given(SHAPES, st.sampled_from([0.05, 1e-6]))
def test_float32_within_the_derived_tolerance(shape, low):
    a, b, h0 = problem(*shape, low=low, dtype=np.float32)
    a = a * (1e-3 if low < 0.01 else 1.0)  # small a: U(1e-9, 1e-3)
    exact = linear_scan(
        a.astype(np.float64), b.astype(np.float64), h0.astype(np.float64)
    )
    scale = np.abs(exact).max()
    for method in METHODS:
        hs = linear_scan(a, b, h0, method=method)
        assert hs.dtype == np.float32
        a_log = a if method == "log" else None
        tol = rounding_tolerance(shape[1], np.float32, a_log) * scale
        assert np.abs(hs - exact).max() <= tol, method


def test_the_log_tolerance_grows_with_small_a():
    T, a = 10, np.full((1, 10, 1), np.exp(-3.0))  # |A_T| = 30
    expected = 2 * np.finfo(np.float32).eps * (T + 30)
    assert np.isclose(rounding_tolerance(T, np.float32, a), expected)
    with pytest.raises(ValueError, match="a must be > 0"):
        rounding_tolerance(T, np.float32, -a)


def test_the_tolerance_grows_with_T_and_the_log_error_does_too():
    assert rounding_tolerance(1000, np.float32) == 1000 * rounding_tolerance(
        1, np.float32
    )
    assert rounding_tolerance(1, np.float64) < rounding_tolerance(
        1, np.float32
    )
    errors = []
    for T in (100, 10_000):
        a, b, _ = problem(1, T, 8, seed=0, low=0.05, dtype=np.float32)
        exact = linear_scan(a.astype(np.float64), b.astype(np.float64))
        hs = linear_scan(a, b, method="log")
        errors.append(np.abs(hs - exact).max() / np.abs(exact).max())
    assert (
        errors[1] > 10 * errors[0]
    )  # 100 times the steps, over 10 times the error


@settings(max_examples=40, deadline=None)
@given(SHAPES, st.integers(1, 40))
def test_chunked_any_chunk(shape, chunk):
    a, b, h0 = problem(*shape)
    loop = linear_scan(a, b, h0)
    hs = linear_scan(a, b, h0, method="chunked", chunk=chunk)
    assert np.abs(hs - loop).max() <= 1e-12 * max(1.0, np.abs(loop).max())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_composition_is_associative_with_an_identity(seed):
    rng = np.random.default_rng(seed)
    f, g, h = (
        (rng.uniform(-2, 2, 5), rng.standard_normal(5)) for _ in range(3)
    )
    left = compose(compose(f, g), h)
    right = compose(f, compose(g, h))
    np.testing.assert_allclose(left, right, rtol=1e-12, atol=1e-12)
    identity = (np.ones(5), np.zeros(5))
    np.testing.assert_array_equal(compose(identity, f), f)
    np.testing.assert_array_equal(compose(f, identity), f)
    x = rng.standard_normal(5)  # applying f then g = applying the composition
    a, b = compose(f, g)
    np.testing.assert_allclose(
        g[0] * (f[0] * x + f[1]) + g[1], a * x + b, rtol=1e-12
    )


def test_closed_form_agrees_short_and_breaks_long():
    a, b, h0 = problem(2, 50, 3, seed=1, low=0.5)
    np.testing.assert_allclose(
        closed_form(a, b, h0), linear_scan(a, b, h0), rtol=1e-9
    )
    a, b, h0 = problem(1, 3000, 3, seed=1, low=0.5)  # prod a underflows to 0
    assert not np.all(np.isfinite(closed_form(a, b, h0)))
    assert np.all(np.isfinite(linear_scan(a, b, h0, method="log")))


@pytest.mark.parametrize("method", METHODS)
def test_backward_is_a_reverse_scan_checked_by_finite_differences(method):
    a, b, h0 = problem(2, 6, 3, seed=2, low=0.1)
    G = np.random.default_rng(3).standard_normal(a.shape)  # L = sum(hs * G)
    hs = linear_scan(a, b, h0)
    da, db, dh0 = linear_scan_backward(G, a, hs, h0, method=method)
    for name, x, grad in (("a", a, da), ("b", b, db), ("h0", h0, dh0)):

        def loss(v, name=name):
            args = {"a": a, "b": b, "h0": h0, name: v}
            return np.sum(linear_scan(args["a"], args["b"], args["h0"]) * G)

        check_gradient(name, loss, x, grad, tol=1e-7)


def test_backward_agrees_with_torch_autograd(torch):
    a, b, h0 = problem(2, 9, 4, seed=4)
    G = np.random.default_rng(5).standard_normal(a.shape)
    ta, tb, th0 = (torch.tensor(v, requires_grad=True) for v in (a, b, h0))
    h, out = th0, []
    for t in range(a.shape[1]):
        h = ta[:, t] * h + tb[:, t]
        out.append(h)
    hs_torch = torch.stack(out, dim=1)
    (hs_torch * torch.from_numpy(G)).sum().backward()
    hs = linear_scan(a, b, h0, method="blelloch")
    np.testing.assert_allclose(hs, hs_torch.detach().numpy(), atol=1e-12)
    for ours, theirs in zip(linear_scan_backward(G, a, hs, h0), (ta, tb, th0)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"b": np.ones((2, 4, 3))}, r"b must have shape \(N=2, T=5, H=3\)"),
        ({"a": np.ones((5, 3))}, r"a must have shape \(N, T, H\)"),
        ({"h0": np.ones((2, 4))}, r"h0 must have shape \(N=2, H=3\)"),
        (
            {"method": "scan"},
            "method must be one of 'sequential', 'hillis_steele'",
        ),
        (
            {"method": "log", "a": -np.ones((2, 5, 3))},
            "a must be > 0 for method='log'",
        ),
        ({"chunk": 2}, "chunk is for method='chunked'"),
        (
            {"method": "chunked", "chunk": 0},
            "chunk must be a positive integer",
        ),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    args = {"a": np.ones((2, 5, 3)) / 2, "b": np.ones((2, 5, 3))} | kwargs
    with pytest.raises(ValueError, match=message):
        linear_scan(**args)


def test_backward_checks_its_arguments():
    a = np.full((1, 4, 2), 0.5)
    with pytest.raises(
        ValueError, match=r"dhs must have shape \(N=1, T=4, H=2\)"
    ):
        linear_scan_backward(np.ones((1, 3, 2)), a, a)
    with pytest.raises(ValueError, match="method must be one of"):
        linear_scan_backward(a, a, a, method="fast")


def test_bench_script_writes_a_record(tmp_path):
    # tools/, on the path from conftest; absent where only the wheel is
    bench_scan = pytest.importorskip("bench_scan")

    out = tmp_path / "s.csv"
    bench_scan.main(
        ["--T", "8", "--H", "1", "--threads", "1", "--out", str(out)]
    )
    from companion.bench import read_csv

    rows, meta = read_csv(out)
    extra = ["closed_form", "closed_form_time_last", "python_floats"]
    assert [r["method"] for r in rows] == [*METHODS, *extra]
    assert {"numpy", "threadpoolctl", "settings", "cores"} <= set(meta)
    assert [r["python_steps"] for r in rows] == [8, 3, 6, 5, 1, 1, 1, 8]
    assert all(r["max_rel_err"] < 1e-12 for r in rows)
