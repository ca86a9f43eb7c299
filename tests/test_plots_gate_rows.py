import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from companion.plots import plot_gate_rows_and_columns  # noqa: E402


def test_draws_rows_beside_columns():
    W = np.random.default_rng(0).uniform(-1, 1, (12, 2))  # 4H = 12, D = 2
    axes = plot_gate_rows_and_columns(W, W.T)
    assert [lab.get_text() for lab in axes[0].get_yticklabels()] == [
        "i: 0..2",
        "f: 3..5",
        "g: 6..8",
        "o: 9..11",
    ]
    assert [lab.get_text() for lab in axes[1].get_xticklabels()] == [
        "i: 0..2",
        "f: 3..5",
        "g: 6..8",
        "o: 9..11",
    ]
    assert (
        len(axes[0].texts) == len(axes[1].texts) == 24
    )  # every weight written in its cell
    plt.close(axes[0].figure)


def test_numbers_stay_readable_in_the_book_column():
    W = np.random.default_rng(0).uniform(-1, 1, (12, 2))
    axes = plot_gate_rows_and_columns(W, W.T)
    fig = axes[0].figure
    assert (
        fig.get_figwidth() * fig.dpi <= 684
    )  # shown at full size, not scaled down
    assert min(t.get_fontsize() for ax in axes for t in ax.texts) >= 9
    plt.close(fig)


def test_refuses_mismatched_shapes():
    W = np.zeros((12, 2))
    with pytest.raises(
        ValueError, match=r"kernel must have shape \(D=2, 4H=12\)"
    ):
        plot_gate_rows_and_columns(W, W)
    with pytest.raises(ValueError, match="4H divisible by 4"):
        plot_gate_rows_and_columns(np.zeros((10, 2)), np.zeros((2, 10)))
