"""Attention weights as a heatmap, source characters on x and the characters
written on y; Korean and Chinese characters use an installed CJK font when
there is one. Import it from ``companion.plots``.
"""

from __future__ import annotations

from ..validate import as_float_array
from ._common import _axes, _cjk_family


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
