"""Private helpers shared by the plotting modules of companion.plots.

The text sizes that stay readable at the book's column width, the Axes a
plot draws on (a new one when none is given), the legend placed under the
axes, the check that a plot's dict argument is a non-empty dict, and the
installed font family with Hangul and Han glyphs that the attention heatmap
uses. Nothing here imports matplotlib at import time; the public names are
re-exported by ``companion.plots``.
"""

from __future__ import annotations

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
