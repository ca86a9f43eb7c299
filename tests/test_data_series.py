import numpy as np
import pytest

from companion.data import noisy_sine, sliding_windows


def test_noisy_sine_is_seeded_and_follows_the_formula():
    a = noisy_sine(
        100, np.random.default_rng(3), period=20, amplitude=2.0, noise=0.5
    )
    b = noisy_sine(
        100, np.random.default_rng(3), period=20, amplitude=2.0, noise=0.5
    )
    assert a.shape == (100,) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    clean = noisy_sine(
        100,
        np.random.default_rng(3),
        period=20,
        amplitude=2.0,
        noise=0.0,
        dtype=np.float64,
    )
    np.testing.assert_allclose(
        clean, 2.0 * np.sin(2 * np.pi * np.arange(100) / 20), atol=1e-12
    )
    noise = a - clean
    assert 0.4 < noise.std() < 0.6


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_steps": 1}, "n_steps must be at least 2"),
        ({"n_steps": 0}, "n_steps must be a positive integer"),
        ({"period": 0}, "period must be a positive number"),
        ({"noise": -0.1}, "noise must be a number >= 0"),
        (
            {"amplitude": float("nan")},
            "amplitude must be a number >= 0; got nan",
        ),
        ({"rng": 0}, "rng must be a numpy.random.Generator"),
    ],
)
def test_noisy_sine_refuses_bad_arguments(kwargs, message):
    args = {"n_steps": 10, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(ValueError, match=message):
        noisy_sine(**args)


def test_sliding_windows_pair_each_window_with_the_next_value():
    series = np.arange(10, dtype=np.float64)
    X, y = sliding_windows(series, 3)
    assert X.shape == (7, 3, 1) and y.shape == (7, 1) and X.dtype == np.float64
    np.testing.assert_array_equal(X[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(X[-1, :, 0], [6, 7, 8])
    np.testing.assert_array_equal(y[:, 0], np.arange(3, 10))


@pytest.mark.parametrize(
    "series, window, message",
    [
        (np.zeros((4, 1)), 2, r"series must have shape \(S,\)"),
        (np.arange(5), 2, "series must hold floating-point numbers"),
        (np.zeros(5), 5, "window must be smaller than the series length S=5"),
        (np.zeros(5), 0, "window must be a positive integer"),
    ],
)
def test_sliding_windows_refuse_bad_arguments(series, window, message):
    with pytest.raises(ValueError, match=message):
        sliding_windows(series, window)
