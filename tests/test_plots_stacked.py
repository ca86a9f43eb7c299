import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from companion.diagrams import (  # noqa: E402
    draw_bidirectional_rnn,
    draw_stacked_rnn,
)
from companion.plots import plot_accuracy_against_gap  # noqa: E402


def test_stacked_diagram_has_one_box_per_state():
    ax = draw_stacked_rnn(num_layers=2, T=3)
    assert len(ax.patches) == 3 * (2 + 1)  # inputs and two layers
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "input",
        "layer 1",
        "layer 2",
    ]
    plt.close(ax.figure)


def test_bidirectional_diagram_rows():
    ax = draw_bidirectional_rnn(T=3)
    assert len(ax.patches) == 4 * 3
    assert [t.get_text() for t in ax.get_yticklabels()][1:3] == [
        "forward",
        "backward",
    ]
    plt.close(ax.figure)


def test_accuracy_plot_lines_and_checks():
    ax = plot_accuracy_against_gap(
        [5, 10, 20],
        {"RNN": [1.0, 0.6, 0.5], "LSTM": [1.0, 1.0, 0.99]},
        chance=0.5,
    )
    assert len(ax.lines) == 3 and ax.get_ylabel() == "test accuracy"
    plt.close(ax.figure)
    with pytest.raises(
        ValueError, match=r"accuracies\['RNN'\] must have shape \(K=3,\)"
    ):
        plot_accuracy_against_gap([5, 10, 20], {"RNN": [1.0, 0.6]})
    with pytest.raises(
        ValueError, match="num_layers must be a positive integer"
    ):
        draw_stacked_rnn(num_layers=0)
