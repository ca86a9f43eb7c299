import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from companion.diagrams import (
    LSTM_PARTS,
    draw_lstm_cell,
    draw_rnn_cell,
    draw_unrolled_rnn,
)  # noqa: E402


def texts(ax):
    return [t.get_text() for t in ax.texts if t.get_text()]


def test_unrolled_rnn_has_one_box_per_step_plus_the_folded_one():
    ax = draw_unrolled_rnn(T=3)
    assert isinstance(ax, Axes)
    assert len(ax.patches) == 3 + 1
    assert {"$x_{1}$", "$x_{3}$", "$h_0$", "$h_{3}$", "$h_t$"} <= set(
        texts(ax)
    )
    plt.close(ax.figure)


def test_unrolled_rnn_draws_on_a_given_axes_and_names_its_state():
    fig, ax = plt.subplots()
    assert draw_unrolled_rnn(T=2, ax=ax, cell="LSTM", state="s") is ax
    assert "LSTM" in texts(ax) and "$s_{2}$" in texts(ax)
    plt.close(fig)


@pytest.mark.parametrize(
    "T, message",
    [(0, "T must be a positive integer"), (9, "T must be at most 8")],
)
def test_unrolled_rnn_rejects_bad_lengths(T, message):
    with pytest.raises(ValueError, match=message):
        draw_unrolled_rnn(T=T)
    plt.close("all")


def test_rnn_cell_has_a_single_tanh_layer():
    ax = draw_rnn_cell()
    assert texts(ax).count("tanh") == 1
    plt.close(ax.figure)


def test_lstm_cell_has_four_gates_and_five_operations():
    ax = draw_lstm_cell()
    assert isinstance(ax.figure, plt.Figure)
    labels = texts(ax)
    assert labels.count(r"$\sigma$") == 3 and labels.count("tanh") == 2
    assert {"$f_t$", "$i_t$", "$g_t$", "$o_t$", "$c_{t-1}$", "$c_t$"} <= set(
        labels
    )
    assert labels.count(r"$\times$") == 3 and labels.count("+") == 1
    plt.close(ax.figure)


@pytest.mark.parametrize("part", LSTM_PARTS)
def test_lstm_cell_highlights_one_part_and_greys_the_rest(part):
    full, ax = draw_lstm_cell(), draw_lstm_cell(highlight=part, title=part)
    colours = {p.get_edgecolor() for p in ax.patches[1:]}
    grey = matplotlib.colors.to_rgba("#bbbbbb")
    assert grey in colours and len(colours) == 2  # the part's colour and grey
    assert ax.get_title() == part
    plt.close(full.figure)
    plt.close(ax.figure)


def test_lstm_cell_rejects_an_unknown_part():
    with pytest.raises(ValueError, match="highlight must be one of"):
        draw_lstm_cell(highlight="memory")
    plt.close("all")
