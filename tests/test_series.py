import pathlib

import numpy as np
import pytest

from companion.series import (
    Scaler,
    chronological_split,
    load_sunspots,
    mae,
    persistence_forecast,
    rmse,
    seasonal_naive_forecast,
)

CSV = (
    pathlib.Path(__file__).resolve().parents[1]
    / "book/data/sunspots_yearly.csv"
)


def test_sunspots_are_the_checked_copy():
    years, values = load_sunspots(CSV)
    assert years.shape == values.shape == (309,)
    assert years[0] == 1700 and years[-1] == 2008
    np.testing.assert_array_equal(np.diff(years), 1)
    assert values[:3].tolist() == [5.0, 11.0, 16.0] and values.min() >= 0


def test_load_sunspots_refuses_a_changed_file(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text('"YEAR","SUNACTIVITY"\n1700,5\n')
    with pytest.raises(ValueError, match="path 's.csv' has SHA-256"):
        load_sunspots(path)
    years, values = load_sunspots(path, sha256=None)
    assert years.tolist() == [1700] and values.tolist() == [5.0]


def test_split_is_chronological():
    train, val, test = chronological_split(np.arange(10.0), 2, 3)
    assert train.tolist() == list(range(5))
    assert val.tolist() == [5, 6] and test.tolist() == [7, 8, 9]
    with pytest.raises(
        ValueError, match="must leave at least 2 training values"
    ):
        chronological_split(np.arange(10.0), 5, 4)


def test_scaler_uses_the_training_part_only():
    scaler = Scaler.fit(np.array([1.0, 3.0]))
    assert scaler == (2.0, 1.0)
    np.testing.assert_allclose(scaler.transform([5.0]), [3.0])
    np.testing.assert_allclose(scaler.inverse(scaler.transform([7.5])), [7.5])
    with pytest.raises(ValueError, match="train must not be constant"):
        Scaler.fit(np.ones(3))


def test_baselines_repeat_earlier_values():
    s = np.arange(20.0) ** 2
    np.testing.assert_array_equal(persistence_forecast(s, 15), s[14:19])
    np.testing.assert_array_equal(seasonal_naive_forecast(s, 15, 11), s[4:9])
    with pytest.raises(ValueError, match=r"start must lie in \[11, S=20\)"):
        seasonal_naive_forecast(s, 5, 11)
    with pytest.raises(ValueError, match="season must be a positive integer"):
        seasonal_naive_forecast(s, 15, 0)


def test_errors_follow_their_definitions():
    y, y_hat = np.array([1.0, 2.0, 3.0]), np.array([1.0, 4.0, 0.0])
    assert rmse(y, y_hat) == pytest.approx(np.sqrt(13 / 3))
    assert mae(y, y_hat) == pytest.approx(5 / 3)
    with pytest.raises(ValueError, match=r"y_hat must have shape \(S=3,\)"):
        rmse(y, np.zeros(2))
