"""Figures used across chapters. Each function draws on an Axes and returns it."""

from __future__ import annotations

import numpy as np

from .validate import as_float_array

# Text sizes (points) that stay readable when a figure of the book's column
# width (6.8 in at 100 dpi = 684 px) is shown at full size.
NUMBER_FONTSIZE = 9  # weights written inside heatmap cells
LEGEND_FONTSIZE = 9  # legends and line labels


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def _non_empty_dict(name, value, what):
    """Refuse anything but a non-empty dict, saying what it should hold."""
    if not isinstance(value, dict) or not value:
        raise ValueError(f"{name} must be a non-empty dict {what}")


def _legend_below(ax, ncol):
    """The legend in ``ncol`` columns under the axes; returns the Axes."""
    ax.legend(
        fontsize=LEGEND_FONTSIZE,
        ncol=ncol,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
    )
    return ax


def plot_hidden_heatmap(hs, ax=None, title=None, vmin=-1.0, vmax=1.0):
    """Heatmap of one sequence's hidden states: time on x, unit on y.

    hs: (T, H) hidden states of one sample (e.g. ``hs[0]`` from rnn_forward).
    """
    hs = as_float_array("hs", hs, ("T", "H"))
    ax = _axes(ax)
    im = ax.imshow(
        hs.T,
        aspect="auto",
        cmap="RdBu_r",
        vmin=vmin,
        vmax=vmax,
        interpolation="nearest",
    )
    ax.set_xlabel("time step t")
    ax.set_ylabel("hidden unit")
    ax.set_xticks(range(hs.shape[0]))
    ax.set_yticks(range(hs.shape[1]))
    ax.grid(False)
    if title:
        ax.set_title(title)
    ax.figure.colorbar(im, ax=ax, fraction=0.05, pad=0.02)
    return ax


def plot_hidden_traces(hs, ax=None, title=None):
    """One line per hidden unit over time. hs: (T, H)."""
    hs = as_float_array("hs", hs, ("T", "H"))
    ax = _axes(ax)
    t = np.arange(hs.shape[0])
    for k in range(hs.shape[1]):
        ax.plot(t, hs[:, k], marker="o", markersize=3, linewidth=1)
    ax.set_xlabel("time step t")
    ax.set_ylabel("$h_t$ (each unit)")
    ax.set_ylim(-1.05, 1.05)
    if title:
        ax.set_title(title)
    return ax


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


def plot_gate_layout(
    W_x, gate_names=("i", "f", "g", "o"), scope_names=None, fig=None
):
    """The packed input weights W_x (D, 4H) above the four per-gate matrices it is cut into.

    W_x:         (D, 4H), gate blocks side by side in the order of ``gate_names``
    scope_names: optional titles for the four lower panels (e.g. TF1 scope names)
    Returns the Figure.
    """
    W_x = as_float_array("W_x", W_x, ("D", "4H"))
    if W_x.shape[1] % 4:
        raise ValueError(
            f"W_x must have shape (D, 4H) with 4H divisible by 4; got {W_x.shape}"
        )
    import matplotlib.pyplot as plt

    H = W_x.shape[1] // 4
    scope_names = scope_names or gate_names
    fig = fig or plt.figure(figsize=(6.8, 4.6))  # the book's column: 684 px
    grid = fig.add_gridspec(2, 4, height_ratios=[1, 1], hspace=0.6)
    lim = float(np.abs(W_x).max())
    top = fig.add_subplot(grid[0, :])
    top.imshow(
        W_x,
        cmap="RdBu_r",
        vmin=-lim,
        vmax=lim,
        aspect="auto",
        interpolation="nearest",
    )
    for k in range(1, 4):
        top.axvline(k * H - 0.5, color="black", linewidth=2)
    centres = [k * H + (H - 1) / 2 for k in range(4)]
    top.set_xticks(
        centres,
        [
            f"{g}: columns {k * H}..{(k + 1) * H - 1}"
            for k, g in enumerate(gate_names)
        ],
    )
    top.set_ylabel("input feature")
    top.set_title(f"one packed matrix W_x, shape {W_x.shape}")
    top.grid(False)
    for k, name in enumerate(scope_names):
        ax = fig.add_subplot(grid[1, k])
        block = W_x[:, k * H : (k + 1) * H]  # (D, H): one gate's columns
        ax.imshow(
            block,
            cmap="RdBu_r",
            vmin=-lim,
            vmax=lim,
            aspect="auto",
            interpolation="nearest",
        )
        ax.set_title(
            f"{name}\n({W_x.shape[0]}, {H})"
        )  # two lines: fits a quarter column
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    return fig


def plot_gate_rows_and_columns(
    weight_ih, kernel, gate_names=("i", "f", "g", "o"), axes=None
):
    """PyTorch's weight_ih (4H, D), gates as row blocks, beside Keras' kernel (D, 4H), gates as column blocks.

    weight_ih: (4H, D), e.g. ``nn.LSTM(...).weight_ih_l0``; kernel: (D, 4H), e.g. Keras'
    LSTM kernel; for the same layer kernel == weight_ih.T. Each entry is written in
    its cell. axes: two Axes, or None for a new figure. Returns the two Axes.
    """
    weight_ih = as_float_array("weight_ih", weight_ih, ("4H", "D"))
    if weight_ih.shape[0] % 4:
        raise ValueError(
            f"weight_ih must have shape (4H, D) with 4H divisible by 4; got {weight_ih.shape}"
        )
    H, D = weight_ih.shape[0] // 4, weight_ih.shape[1]
    kernel = as_float_array("kernel", kernel, (("D", D), ("4H", 4 * H)))
    if axes is None:
        import matplotlib.pyplot as plt

        # One column of the book (6.8 in at 100 dpi = 684 px), shown at full
        # size: Keras' wide kernel on top, PyTorch's tall matrix below it.
        fig = plt.figure(
            figsize=(6.8, 2.4 + 0.42 * 4 * H), layout="constrained"
        )
        grid = fig.add_gridspec(
            2, 2, height_ratios=[D + 1, 4 * H], width_ratios=[D + 2, 10]
        )
        axes = [fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[0, :])]
        note = fig.add_subplot(grid[1, 1])
        note.axis("off")
        note.text(
            0.05,
            0.5,
            "the same numbers:\nrow block k of weight_ih_l0\nis column block k of the kernel,\nkernel = weight_ih_l0 transposed",
            va="center",
            fontsize=NUMBER_FONTSIZE + 1,
        )
    lim = float(max(np.abs(weight_ih).max(), np.abs(kernel).max()))
    for ax, W, gate_axis in ((axes[0], weight_ih, 0), (axes[1], kernel, 1)):
        ax.imshow(
            W,
            cmap="RdBu_r",
            vmin=-lim,
            vmax=lim,
            aspect="auto",
            interpolation="nearest",
        )
        for (r, c), v in np.ndenumerate(W):
            ax.text(
                c,
                r,
                f"{v:.2f}".replace("-0.00", "0.00"),
                ha="center",
                va="center",
                fontsize=NUMBER_FONTSIZE,
                color="white" if abs(v) > 0.6 * lim else "black",
            )
        line = ax.axhline if gate_axis == 0 else ax.axvline
        for k in range(1, 4):
            line(k * H - 0.5, color="black", linewidth=2)
        centres = [k * H + (H - 1) / 2 for k in range(4)]
        labels = [
            f"{g}: {k * H}..{(k + 1) * H - 1}"
            for k, g in enumerate(gate_names)
        ]
        if gate_axis == 0:
            ax.set_yticks(centres, labels)
            ax.set_xticks(range(D))
            ax.set_xlabel("input feature (column)")
        else:
            ax.set_xticks(centres, labels)
            ax.set_yticks(range(D))
            ax.set_ylabel("input feature (row)")
        ax.grid(False)
    axes[0].set_title(
        f"PyTorch weight_ih_l0 {weight_ih.shape}\ngates are row blocks"
    )
    axes[1].set_title(f"Keras kernel {kernel.shape}\ngates are column blocks")
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


_STYLES = [
    ("o", "-", 9),
    ("s", "--", 8),
    ("^", "-.", 7),
    ("D", ":", 6),
    ("v", "-", 5),
    ("x", "--", 4),
]


def plot_overlaid_states(hs, sample=0, units=(0,), ax=None, title=None):
    """One sample's hidden states from several implementations, drawn on top of each other.

    hs: {name: (N, T, H)} hidden states; sample: which of the N sequences; units: which
    hidden units to draw. Each implementation gets its own marker (hollow, shrinking in
    size) and line style, so curves that coincide stay visible. Returns the Axes.
    """
    _non_empty_dict("hs", hs, "{implementation name: hidden states (N, T, H)}")
    ax = _axes(ax)
    for k, (name, value) in enumerate(hs.items()):
        value = as_float_array(
            f"hs[{name!r}]", np.asarray(value), ("N", "T", "H")
        )
        if not 0 <= sample < value.shape[0] or any(
            not 0 <= u < value.shape[2] for u in units
        ):
            raise ValueError(
                f"sample must be below N={value.shape[0]} and units below H={value.shape[2]}"
            )
        marker, style, size = _STYLES[k % len(_STYLES)]
        t = np.arange(1, value.shape[1] + 1)
        for j, u in enumerate(units):
            ax.plot(
                t,
                value[sample, :, u],
                linestyle=style,
                marker=marker,
                markersize=size,
                markerfacecolor="none",
                color=f"C{k}",
                linewidth=1,
                label=name if j == 0 else None,
            )
            if k == 0:
                ax.annotate(
                    f"unit {u}",
                    (t[-1], value[sample, -1, u]),
                    textcoords="offset points",
                    xytext=(8, 0),
                    va="center",
                    fontsize=LEGEND_FONTSIZE,
                )
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("time step t")
    ax.set_ylabel(
        "hidden state $h_t$"
        + (
            f" (units {', '.join(map(str, units))})"
            if len(units) > 1
            else f" (unit {units[0]})"
        )
    )
    ax.set_title(title or "the same sequence, every implementation")
    return _legend_below(ax, ncol=3)


def plot_diff_per_step(diffs, eps=None, floor=1e-18, ax=None, title=None):
    """max |difference| at each time step, on a log scale, one line per comparison.

    diffs: {label: (T,) differences}; zeros are drawn at ``floor`` (a log scale has no 0).
    eps: optional {label: machine epsilon}, drawn as dashed horizontal lines. Returns the Axes.
    """
    _non_empty_dict("diffs", diffs, "{label: differences per time step (T,)}")
    ax = _axes(ax)
    for k, (label, d) in enumerate(diffs.items()):
        d = as_float_array(
            f"diffs[{label!r}]", np.asarray(d, dtype=float), ("T",)
        )
        marker, style, size = _STYLES[k % len(_STYLES)]
        ax.plot(
            np.arange(1, d.size + 1),
            np.maximum(d, floor),
            linestyle=style,
            marker=marker,
            markersize=size - 2,
            markerfacecolor="none",
            linewidth=1,
            label=label,
        )
    for label, value in (eps or {}).items():
        ax.axhline(float(value), color="grey", linestyle="--", linewidth=1)
        ax.annotate(
            label,
            (1, float(value)),
            textcoords="offset points",
            xytext=(2, 3),
            fontsize=LEGEND_FONTSIZE,
            color="grey",
        )
    ax.set_yscale("log")
    ax.set_ylim(floor / 3, 1e-4)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("time step t")
    ax.set_ylabel("max |difference| over batch and units")
    ax.set_title(title or "how far apart, step by step")
    return _legend_below(ax, ncol=2)


def _cjk_family():
    """An installed font family with Hangul and Han glyphs, or None."""
    from matplotlib import font_manager

    for family in ("Noto Sans CJK KR", "Noto Sans CJK SC", "NanumGothic"):
        try:
            font_manager.findfont(family, fallback_to_default=False)
        except ValueError:
            continue
        return family
    return None


def plot_attention(weights, source, target, ax=None, title=None):
    """Heatmap of attention weights: source characters on x, target on y.

    weights: (Ty, Ts) rows summing to 1; source: Ts characters; target: Ty
    labels (the characters written). Korean and Chinese characters use an
    installed CJK font when there is one (a missing glyph is not an error).
    """
    import warnings

    weights = as_float_array("weights", weights, ("Ty", "Ts"))
    if len(source) != weights.shape[1] or len(target) != weights.shape[0]:
        raise ValueError(
            f"source and target must have {weights.shape[1]} and "
            f"{weights.shape[0]} characters; got {len(source)}, {len(target)}"
        )
    warnings.filterwarnings("ignore", message="Glyph .* missing")
    ax = _axes(ax)
    ax.imshow(weights, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(source)), list(source), family=_cjk_family())
    ax.set_yticks(range(len(target)), list(target))
    ax.tick_params(length=0)
    if title:
        ax.set_title(title, family=_cjk_family())
    return ax
