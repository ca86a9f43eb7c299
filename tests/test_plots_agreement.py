import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from companion.plots import plot_diff_per_step, plot_overlaid_states  # noqa: E402


def test_overlaid_states_one_line_per_implementation_and_unit():
    hs = np.random.default_rng(0).uniform(-1, 1, (2, 6, 3))
    ax = plot_overlaid_states(
        {"a": hs, "b": hs, "c": hs}, sample=1, units=(0, 2)
    )
    assert len(ax.lines) == 6
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "a",
        "b",
        "c",
    ]
    assert (
        len({line.get_marker() for line in ax.lines}) == 3
    )  # distinct markers
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), hs[1, :, 2])
    with pytest.raises(ValueError, match="units below H=3"):
        plot_overlaid_states({"a": hs}, units=(3,))
    plt.close("all")


def test_diff_per_step_puts_zeros_on_the_floor():
    ax = plot_diff_per_step(
        {"x": [0.0, 1e-7, 2e-7]}, eps={"eps": 1.2e-7}, floor=1e-18
    )
    assert ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [1e-18, 1e-7, 2e-7])
    with pytest.raises(ValueError, match="diffs must be a non-empty dict"):
        plot_diff_per_step({})
    plt.close("all")


def test_legends_stay_readable():
    hs = np.zeros((1, 4, 2))
    ax = plot_overlaid_states({"a": hs, "b": hs}, units=(0, 1))
    assert min(t.get_fontsize() for t in ax.get_legend().get_texts()) >= 9
    ax = plot_diff_per_step({"x": [1e-7, 2e-7]}, eps={"eps": 1.2e-7})
    assert min(t.get_fontsize() for t in ax.get_legend().get_texts()) >= 9
    plt.close("all")
