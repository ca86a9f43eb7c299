"""plot_attention: one heatmap cell per (target, source) pair, labelled with
the characters, and a clear error for labels that do not match the weights."""

import numpy as np
import pytest

from companion.plots import plot_attention


def test_plot_attention_labels_and_values():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    w = np.random.default_rng(0).dirichlet(np.ones(5), size=3)  # (3, 5)
    ax = plot_attention(w, "12월 7", "abc", title="2026년")
    assert [t.get_text() for t in ax.get_xticklabels()] == list("12월 7")
    assert [t.get_text() for t in ax.get_yticklabels()] == list("abc")
    np.testing.assert_array_equal(ax.images[0].get_array(), w)
    plt.close(ax.figure)


def test_plot_attention_refuses_mismatched_labels():
    with pytest.raises(ValueError, match="source and target"):
        plot_attention(np.full((2, 3), 1 / 3), "ab", "xy")
    with pytest.raises(ValueError, match="weights must"):
        plot_attention(np.ones(3), "abc", "x")
