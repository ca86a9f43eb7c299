"""A real series to forecast: yearly sunspot numbers, 1700-2008.

``book/data/sunspots_yearly.csv`` is the copy statsmodels ships
(statsmodels.datasets.sunspots; public domain, from NOAA's National
Geophysical Data Center); the loader checks its SHA-256. Below it: the
chronological split, a scaler fitted on the training part only, the two
naive baselines every forecast must beat, and the error measures.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .validate import as_float_array, positive_int, verified_file

#: SHA-256 of book/data/sunspots_yearly.csv
SUNSPOTS_SHA256 = (
    "f67889b1d9002cd5227f0e0ef54e35b419cdd85a31279adef6f73fb41e5c0a9b"
)


def load_sunspots(path, sha256=SUNSPOTS_SHA256):
    """(years (309,) int64, sunspots (309,) float64) after a SHA-256 check."""
    data = verified_file("path", path, sha256)
    rows = [line.split(",") for line in data.decode().splitlines()[1:]]
    years = np.array([int(r[0]) for r in rows], dtype=np.int64)
    return years, np.array([float(r[1]) for r in rows])


def chronological_split(series, n_val, n_test):
    """(train, val, test): the last n_test values are the test part, the
    n_val before them the validation part, everything earlier trains.
    No shuffling: the model is never shown a year after the one it predicts.
    """
    series = as_float_array("series", series, ("S",))
    n_val, n_test = (
        positive_int("n_val", n_val),
        positive_int("n_test", n_test),
    )
    n_train = series.size - n_val - n_test
    if n_train < 2:
        raise ValueError(
            f"n_val + n_test must leave at least 2 training values of the "
            f"S={series.size}; got n_val={n_val}, n_test={n_test}"
        )
    cut = (n_train, n_train + n_val)
    return series[: cut[0]], series[cut[0] : cut[1]], series[cut[1] :]


class Scaler(NamedTuple):
    """z = (x - mean) / std, with mean and std of the TRAINING part only."""

    mean: float
    std: float

    @classmethod
    def fit(cls, train) -> Scaler:
        train = as_float_array("train", train, ("S",))
        std = float(train.std())
        if std == 0:
            raise ValueError("train must not be constant (its std is 0)")
        return cls(float(train.mean()), std)

    def transform(self, x):
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.std

    def inverse(self, z):
        return np.asarray(z, dtype=np.float64) * self.std + self.mean


def _check_start(series, start, lag):
    series = as_float_array("series", series, ("S",))
    start = positive_int("start", start)
    if not lag <= start < series.size:
        raise ValueError(
            f"start must lie in [{lag}, S={series.size}) so that the "
            f"forecast has {lag} earlier value(s) to use; got {start}"
        )
    return series, start


def persistence_forecast(series, start):
    """Forecast of series[start:]: each year repeats the year before."""
    series, start = _check_start(series, start, 1)
    return series[start - 1 : -1].copy()


def seasonal_naive_forecast(series, start, season):
    """Forecast of series[start:]: each year repeats the year one season
    (e.g. 11 years, one sunspot cycle) before it."""
    season = positive_int("season", season)
    series, start = _check_start(series, start, season)
    return series[start - season : series.size - season].copy()


def _pair(y, y_hat):
    y = as_float_array("y", y, ("S",))
    y_hat = as_float_array("y_hat", y_hat, (("S", y.size),))
    return y, y_hat


def rmse(y, y_hat) -> float:
    """sqrt(mean((y - y_hat)^2)), in the units of y."""
    y, y_hat = _pair(y, y_hat)
    return float(np.sqrt(np.mean((y - y_hat) ** 2)))


def mae(y, y_hat) -> float:
    """mean(|y - y_hat|), in the units of y."""
    y, y_hat = _pair(y, y_hat)
    return float(np.mean(np.abs(y - y_hat)))
