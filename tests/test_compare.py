"""companion.compare: one pair, every pair, per step; printed bounds, never values."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.compare import (
    agreement_table,
    check_close,
    diff_per_step,
    max_abs_diff,
    pairwise_max_diffs,
)


def test_max_abs_diff():
    assert max_abs_diff([1.0, 2.0], [1.5, 1.0]) == 1.0
    with pytest.raises(
        ValueError,
        match=r"a and b must have the same shape; got \(2,\) and \(3,\)",
    ):
        max_abs_diff(np.zeros(2), np.zeros(3))


def test_check_close_prints_the_bound_not_the_value():
    line = check_close("x vs y", np.ones(3), np.ones(3) + 3e-8, tol=1e-6)
    assert line == "x vs y: max |difference| < 1e-06"


def test_check_close_fails_loudly():
    with pytest.raises(
        AssertionError,
        match="x vs y: max .difference. = 1.000e-03 is not below 1e-06",
    ):
        check_close("x vs y", np.zeros(2), np.array([0.0, 1e-3]), tol=1e-6)


@pytest.mark.parametrize("tol", [0, -1e-6, True, "1e-6", np.inf, np.nan])
def test_every_comparison_refuses_the_same_bad_tolerances(tol):
    a = np.zeros((1, 2, 2))
    with pytest.raises(ValueError, match="tol must be a positive number"):
        check_close("x", a, a, tol=tol)
    with pytest.raises(ValueError, match="tol must be a positive number"):
        agreement_table({"a": a, "b": a}, tol=tol)


def test_tensors_are_accepted():
    torch = pytest.importorskip("torch")
    assert max_abs_diff(torch.ones(2), np.ones(2)) == 0.0


def test_pairwise_covers_every_pair_once_in_order():
    a = np.zeros((2, 3, 4))
    outputs = {"a": a, "b": a + 1e-3, "c": a - 2e-3}
    diffs = pairwise_max_diffs(outputs)
    assert list(diffs) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert diffs[("a", "b")] == pytest.approx(1e-3) and diffs[
        ("b", "c")
    ] == pytest.approx(3e-3)


@settings(max_examples=20, deadline=None)
@given(k=st.integers(2, 6))
def test_number_of_pairs(k):
    outputs = {f"m{j}": np.full((1, 2, 1), float(j)) for j in range(k)}
    assert len(pairwise_max_diffs(outputs)) == k * (k - 1) // 2


def test_table_prints_the_bound_not_the_value():
    a = np.zeros((2, 3, 4), np.float32)
    table = agreement_table(
        {"NumPy": a, "nn.LSTM": a + np.float32(3.3e-8)}, tol=1e-6
    )
    lines = table.splitlines()
    assert lines[0].split() == [
        "output",
        "of",
        "compared",
        "with",
        "max",
        "|difference|",
    ]
    assert lines[1].split() == ["NumPy", "nn.LSTM", "<", "1e-06"]
    assert "3.3" not in table


def test_table_fails_and_names_the_pair():
    a = np.zeros((1, 2, 2))
    with pytest.raises(
        AssertionError, match=r"not below 1e-06: a vs c: 1\.000e-03"
    ):
        agreement_table({"a": a, "b": a, "c": a + 1e-3}, tol=1e-6)


def test_outputs_are_checked():
    with pytest.raises(ValueError, match="at least 2 entries"):
        pairwise_max_diffs({"a": np.zeros(3)})
    with pytest.raises(
        ValueError,
        match=r"outputs\['b'\] has shape \(2,\), but outputs\['a'\] has \(3,\)",
    ):
        pairwise_max_diffs({"a": np.zeros(3), "b": np.zeros(2)})
    with pytest.raises(ValueError, match="keys must be names"):
        pairwise_max_diffs({1: np.zeros(3), "b": np.zeros(3)})


def test_diff_per_step():
    a = np.zeros((2, 4, 3))
    b = a.copy()
    b[1, 2, 0] = -0.5
    b[0, 3, 2] = 1e-7
    np.testing.assert_allclose(diff_per_step(a, b), [0, 0, 0.5, 1e-7])
    with pytest.raises(
        ValueError, match=r"b must have shape \(N=2, T=4, H=3\)"
    ):
        diff_per_step(a, np.zeros((2, 5, 3)))
