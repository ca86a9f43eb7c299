"""Results of training: loss and accuracy per epoch beside the points a
source reported, and test accuracy against the number of distractor steps
between the cue and the answer, one line per model. Each function draws on
Axes and returns them; import them from ``companion.plots``.
"""

from __future__ import annotations

import numpy as np

from ..validate import as_float_array
from ._common import _axes, _non_empty_dict


def plot_training_curves(history, reported=None, axes=None):
    """Loss and accuracy per epoch, side by side, with optional reported points.

    history:  dict with equal-length lists 'loss' and 'accuracy' (Keras' History.history)
    reported: optional {epoch (1-based): (loss, accuracy)}, drawn as crosses
    axes:     two Axes, or None for a new figure. Returns the two Axes.
    """
    if not isinstance(history, dict) or not {"loss", "accuracy"} <= set(
        history
    ):
        raise ValueError(
            "history must be a dict with the lists 'loss' and 'accuracy' (model.fit(...).history)"
        )
    loss = as_float_array(
        "history['loss']", np.asarray(history["loss"], dtype=float), ("E",)
    )
    acc = as_float_array(
        "history['accuracy']",
        np.asarray(history["accuracy"], dtype=float),
        (("E", loss.size),),
    )
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    epochs = np.arange(1, loss.size + 1)
    for ax, values, label in (
        (axes[0], loss, "loss"),
        (axes[1], acc, "accuracy"),
    ):
        ax.plot(epochs, values, label="this book's run")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
    if reported:
        e = sorted(reported)
        for i, ax in enumerate(axes[:2]):  # reported[epoch] = (loss, acc)
            ax.plot(
                e,
                [reported[k][i] for k in e],
                "x",
                markersize=9,
                color="C3",
                label="reported by the source",
            )
    axes[1].set_ylim(0, 1.05)
    axes[0].legend(loc="upper right")
    return axes


def plot_accuracy_against_gap(ks, accuracies, chance=None, ax=None):
    """Test accuracy against the number of distractor steps k, one line per model.

    ks: the k values (length K); accuracies: {model name: K accuracies in [0, 1]};
    chance: optional accuracy of guessing, drawn as a dashed line. Returns the Axes.
    """
    ks = as_float_array("ks", np.asarray(ks, dtype=float), ("K",))
    what = "{model name: list of accuracies, one per k}"
    _non_empty_dict("accuracies", accuracies, what)
    ax = _axes(ax)
    for name, acc in accuracies.items():
        acc = as_float_array(
            f"accuracies[{name!r}]",
            np.asarray(acc, dtype=float),
            (("K", ks.size),),
        )
        ax.plot(ks, acc, marker="o", label=name)
    if chance is not None:
        ax.axhline(
            float(chance),
            color="grey",
            linestyle="--",
            linewidth=1,
            label="chance",
        )
    ax.set_xscale("log", base=2)
    ax.set_xticks(ks, [f"{k:g}" for k in ks])
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("distractor steps k between the class and the answer")
    ax.set_ylabel("test accuracy")
    ax.set_title("recalling the first step after k noisy steps")
    ax.legend(loc="lower left")
    return ax
