"""Looking inside a character language model: what its units do.

Activation traces of the hidden state h_t (and the LSTM's cell state c_t)
over a text, features of the text (position in the line, a speaker's name,
punctuation, stage directions in brackets), the unit whose activation
correlates most with each feature (|Pearson r|), a rendering of a text with
each character shaded by one unit's value, the top-k guesses for the next
character and the entropy of the next-character distribution.
Letters: T characters of text, H units, V characters in the vocabulary.
"""

from __future__ import annotations

import html

import numpy as np

from . import cells, validate
from .char_lm import CharLM, initial_state, lm_forward
from .ops import softmax

#: the punctuation marks of the feature "punctuation"
PUNCTUATION = ",.;:!?"


def activation_trace(model: CharLM, ids) -> dict:
    """Read ids (T,) from the zero state; every state and every logit.

    returns {"h": (T, H), "logits": (T, V)} and, for a cell with a cell
    state (the LSTM), "c": (T, H). Row t is the state after reading
    ids[t]; logits[t] scores the character that follows ids[t].
    """
    validate.instance_of("model", model, CharLM)
    ids = np.asarray(ids)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(
            f"ids must be a 1-D array (T,) of integer ids; got {ids.shape}"
        )
    logits, _, (_, hs, cache) = lm_forward(
        model, ids[None], initial_state(model, 1)
    )
    trace = {"h": hs[0], "logits": logits[0]}
    if "c" in cells.of(model.cell).states:
        trace["c"] = cache.cs[0]  # (1, T, H) -> (T, H)
    return trace


def text_features(text: str) -> dict:
    """Per-character features of a play's text, each a (T,) float array.

    "line position": characters since the start of the line (0, 1, ...);
    "speaker name": 1 inside a line in upper case that ends with "." (a
    speaker's name, e.g. "MACDUFF."), else 0; "punctuation": 1 on one of
    PUNCTUATION; "in brackets": 1 from "[" to the next "]" or the end of
    the line, whichever comes first (a stage direction; the transcription
    leaves some brackets open), both included.
    """
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string")
    T = len(text)
    position, speaker = np.zeros(T), np.zeros(T)
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        stop = min(end + 1, T)  # the line and its line end
        position[start:stop] = np.arange(stop - start)
        name = line.strip()
        if len(name) > 1 and name.endswith(".") and name.isupper():
            speaker[start:end] = 1
        start = end + 1
    punct = np.array([c in PUNCTUATION for c in text], dtype=float)
    brackets, inside = np.zeros(T), False
    for t, c in enumerate(text):
        inside = inside or c == "["
        brackets[t] = inside
        inside = inside and c not in "]\n"
    return {
        "line position": position,
        "speaker name": speaker,
        "punctuation": punct,
        "in brackets": brackets,
    }


def correlations(acts, feature) -> np.ndarray:
    """(H,) Pearson r between each unit's activation and a feature.

    acts: (T, H) activations; feature: (T,). A constant unit has r = 0.
    r_j = sum_t (a_tj - mean_j)(f_t - mean_f) / (T std_j std_f)
    """
    acts = validate.as_float_array("acts", acts, ("T", "H"))
    T = acts.shape[0]
    feature = validate.as_float_array("feature", feature, (("T", T),))
    if T < 2 or np.ptp(feature) == 0:
        raise ValueError("feature must vary over at least two characters")
    a = acts - acts.mean(axis=0)
    f = feature - feature.mean()
    norms = np.linalg.norm(a, axis=0) * np.linalg.norm(f)
    r = np.zeros(acts.shape[1])
    alive = norms > 0
    r[alive] = (f @ a[:, alive]) / norms[alive]
    return r


def unit_search(acts, features: dict) -> dict:
    """For each feature, the unit of acts (T, H) with the largest |r|.

    returns {name: (unit, r)}: the unit's index and its signed r.
    """
    if not isinstance(features, dict) or not features:
        raise ValueError("features must be a non-empty dict {name: (T,)}")
    found = {}
    for name, feature in features.items():
        r = correlations(acts, feature)
        unit = int(np.argmax(np.abs(r)))
        found[name] = (unit, float(r[unit]))
    return found


def _shade(v):
    """An rgba background: red for v > 0, blue for v < 0, v in [-1, 1]."""
    alpha = round(min(abs(v), 1.0), 1)
    colour = "220,50,47" if v > 0 else "38,139,210"
    return f"rgba({colour},{alpha})" if alpha else "transparent"


def text_html(text: str, values, vmax=None) -> str:
    """The text as HTML, each character shaded by its value.

    values: (T,) one number per character; shades are values / vmax in
    ten steps (vmax: the largest |value| if None), red positive, blue
    negative; neighbours of one shade share a <span>. Characters are
    escaped; a line end shows as "↵". Monospace, wraps to the page.
    """
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string")
    values = validate.as_float_array("values", values, (("T", len(text)),))
    if vmax is None:
        scale = float(np.max(np.abs(values))) or 1.0  # all zeros: no shade
    else:
        scale = validate.positive_number("vmax", vmax)
    runs = []
    for c, v in zip(text, values / scale):
        shade, c = _shade(v), html.escape(c) if c != "\n" else "↵\n"
        if runs and runs[-1][0] == shade:
            runs[-1][1].append(c)
        else:
            runs.append((shade, [c]))
    body = "".join(
        f'<span style="background:{s}">{"".join(cs)}</span>' for s, cs in runs
    )
    style = (
        "font-family:monospace;white-space:pre-wrap;line-height:1.6;"
        "font-size:0.85em;color:#222;max-width:100%;overflow-wrap:anywhere"
    )
    return f'<div style="{style}">{body}</div>'


def top_k(logits, k=5):
    """The k most likely next characters under each position.

    logits: (T, V); returns (ids (T, k) int64, probs (T, k)), most likely
    first.
    """
    logits = validate.as_float_array("logits", logits, ("T", "V"))
    k = validate.positive_int("k", k)
    if k > logits.shape[1]:
        raise ValueError(f"k must be at most V={logits.shape[1]}; got {k}")
    p = softmax(logits)
    ids = np.argsort(-p, axis=1, kind="stable")[:, :k]
    return ids.astype(np.int64), np.take_along_axis(p, ids, axis=1)


def entropy(logits, temperature=1.0) -> np.ndarray:
    """(T,) entropy in nats of softmax(logits / temperature), logits (T, V).

    H = -sum_c p(c) log p(c); 0 for a certain choice, log V for uniform.
    """
    logits = validate.as_float_array("logits", logits, ("T", "V"))
    p = softmax(logits, temperature)
    with np.errstate(divide="ignore"):
        logp = np.where(p > 0, np.log(np.where(p > 0, p, 1)), 0.0)
    return -(p * logp).sum(axis=1)
