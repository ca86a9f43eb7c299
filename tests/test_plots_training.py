"""companion.plots: plot_training_curves and plot_gate_layout."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from companion.plots import plot_gate_layout, plot_training_curves  # noqa: E402


def test_training_curves_draw_both_runs():
    history = {"loss": [0.7, 0.6, 0.5], "accuracy": [0.4, 0.6, 0.8]}
    axes = plot_training_curves(
        history, reported={1: (0.59, 0.87), 3: (0.46, 0.93)}
    )
    assert len(axes[0].lines) == 2 and len(axes[1].lines) == 2
    np.testing.assert_array_equal(
        axes[0].lines[0].get_ydata(), history["loss"]
    )
    assert (
        axes[0].get_xlabel() == "epoch" and axes[1].get_ylabel() == "accuracy"
    )
    plt.close("all")


def test_training_curves_check_their_input():
    with pytest.raises(
        ValueError,
        match="history must be a dict with the lists 'loss' and 'accuracy'",
    ):
        plot_training_curves({"loss": [0.5]})
    with pytest.raises(
        ValueError, match=r"history\['accuracy'\] must have shape \(E=2,\)"
    ):
        plot_training_curves({"loss": [0.5, 0.4], "accuracy": [0.5]})


def test_gate_layout_cuts_the_packed_matrix():
    W_x = np.arange(3 * 8, dtype=float).reshape(3, 8)  # D=3, H=2
    fig = plot_gate_layout(
        W_x, scope_names=["inputs", "forget", "memory", "outputs"]
    )
    top, *gates = fig.axes
    assert len(gates) == 4
    np.testing.assert_array_equal(gates[2].images[0].get_array(), W_x[:, 4:6])
    assert gates[3].get_title() == "outputs\n(3, 2)"
    plt.close(fig)
    with pytest.raises(ValueError, match="4H divisible by 4"):
        plot_gate_layout(np.zeros((3, 6)))
