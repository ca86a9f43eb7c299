"""Every data plot of the book: figures that draw numbers the book computed
(schematic drawings are in companion.diagrams). Each function draws on an
Axes (or a Figure) and returns it.

    plot_hidden_heatmap, plot_hidden_traces          one sequence's hidden states
    plot_overlaid_states, plot_diff_per_step         several implementations compared
    plot_training_curves, plot_accuracy_against_gap  results of training
    plot_gate_layout, plot_gate_rows_and_columns     gate blocks of the weights
    plot_attention                                   attention weights

Hidden states are drawn in ``hidden.py``, training results in ``training.py``,
gate weights in ``gates.py``, attention in ``attention.py``, with the shared
private helpers in ``_common.py``; import them from here. Importing this
package does not import matplotlib.
"""

from ._common import LEGEND_FONTSIZE, NUMBER_FONTSIZE
from .attention import plot_attention
from .gates import plot_gate_layout, plot_gate_rows_and_columns
from .hidden import (
    plot_diff_per_step,
    plot_hidden_heatmap,
    plot_hidden_traces,
    plot_overlaid_states,
)
from .training import plot_accuracy_against_gap, plot_training_curves

__all__ = [
    "LEGEND_FONTSIZE",
    "NUMBER_FONTSIZE",
    "plot_accuracy_against_gap",
    "plot_attention",
    "plot_diff_per_step",
    "plot_gate_layout",
    "plot_gate_rows_and_columns",
    "plot_hidden_heatmap",
    "plot_hidden_traces",
    "plot_overlaid_states",
    "plot_training_curves",
]
