import numpy as np
import pytest

from companion.char_lm import CharLM, initial_state, lm_forward
from companion.lm_inspect import (
    activation_trace,
    correlations,
    entropy,
    text_features,
    text_html,
    top_k,
    unit_search,
)


def test_trace_is_the_forward_read_step_by_step(rng):
    model = CharLM.random("lstm", 6, 4, rng)
    ids = rng.integers(0, 6, 9)
    trace = activation_trace(model, ids)
    assert trace["h"].shape == trace["c"].shape == (9, 4)
    logits, _, _ = lm_forward(model, ids[None], initial_state(model, 1))
    np.testing.assert_allclose(trace["logits"], logits[0], atol=1e-12)
    # h_t = o_t * tanh(c_t): |h| <= |tanh(c)| unit by unit
    assert np.all(np.abs(trace["h"]) <= np.abs(np.tanh(trace["c"])) + 1e-12)
    # the state after ids[:5] is the state the first five steps leave
    _, (h5, c5), _ = lm_forward(model, ids[None, :5], initial_state(model, 1))
    np.testing.assert_allclose(trace["h"][4], h5[0], atol=1e-12)
    np.testing.assert_allclose(trace["c"][4], c5[0], atol=1e-12)


def test_trace_of_a_one_state_cell_has_no_c(rng):
    trace = activation_trace(CharLM.random("gru", 5, 3, rng), np.arange(4))
    assert set(trace) == {"h", "logits"}


def test_features_of_a_small_play():
    text = "MACDUFF.\nO horror!\n[Enter Lady.]\nAy [Exit\nNo"
    f = text_features(text)
    assert all(v.shape == (len(text),) for v in f.values())
    line2 = text.index("O horror")
    assert f["line position"][line2 : line2 + 3].tolist() == [0, 1, 2]
    assert f["line position"][7] == 7  # the "." of MACDUFF.
    assert (
        f["speaker name"][:8].sum() == 8 and f["speaker name"][8:].sum() == 0
    )
    assert f["punctuation"].sum() == 3  # ". ! ."
    inside = "".join(c for c, b in zip(text, f["in brackets"]) if b)
    assert inside == "[Enter Lady.][Exit\n"  # an open one ends with its line


def test_unit_search_finds_a_planted_unit(rng):
    T, H = 400, 12
    feature = (rng.random(T) < 0.3).astype(float)
    acts = rng.normal(size=(T, H))
    acts[:, 7] = -2.0 * feature + 0.3 * rng.normal(size=T)  # the planted unit
    acts[:, 3] = 1.0  # a dead unit: r = 0, not NaN
    r = correlations(acts, feature)
    assert r[3] == 0 and np.all(np.isfinite(r))
    np.testing.assert_allclose(r[0], np.corrcoef(acts[:, 0], feature)[0, 1])
    unit, r7 = unit_search(acts, {"f": feature})["f"]
    assert unit == 7 and r7 < -0.9


def test_text_html_escapes_and_shades():
    out = text_html("a<b>&\n", np.array([1.0, -1.0, 0, 0.5, 0, 0]))
    assert "&lt;" in out and "&gt;" in out and "&amp;" in out
    assert "<b>" not in out and "↵" in out
    assert "rgba(220,50,47,1.0)" in out and "rgba(38,139,210,1.0)" in out
    assert "rgba(220,50,47,0.5)" in out
    # neighbours of the same shade share one span
    assert text_html("aaaa", np.ones(4)).count("<span") == 1
    assert "transparent" in text_html("ab", np.zeros(2))
    assert "0.5)" in text_html("ab", np.array([1.0, 2.0]), vmax=2.0)


def test_top_k_and_entropy(rng):
    logits = rng.normal(size=(3, 7))
    ids, probs = top_k(logits, 3)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_array_equal(ids[:, 0], p.argmax(axis=1))
    np.testing.assert_allclose(probs, np.sort(p, axis=1)[:, ::-1][:, :3])
    np.testing.assert_allclose(entropy(np.zeros((1, 7))), [np.log(7)])
    h = [entropy(logits, tau).mean() for tau in (0.25, 0.5, 1.0, 2.0)]
    assert np.all(np.diff(h) > 0)
    assert entropy(np.array([[0.0, 1e4]]))[0] == pytest.approx(0, abs=1e-12)


def test_bad_input_names_the_argument(rng):
    model = CharLM.random("rnn", 4, 3, rng)
    with pytest.raises(ValueError, match="ids must be a 1-D array"):
        activation_trace(model, np.zeros((2, 3), dtype=int))
    with pytest.raises(ValueError, match=r"feature must have shape \(T=5,\)"):
        correlations(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="feature must vary"):
        correlations(np.zeros((5, 2)), np.ones(5))
    with pytest.raises(ValueError, match="features must be a non-empty"):
        unit_search(np.zeros((5, 2)), {})
    with pytest.raises(ValueError, match=r"values must have shape \(T=3,\)"):
        text_html("abc", np.zeros(2))
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        text_features("")
    with pytest.raises(ValueError, match="vmax"):
        text_html("abc", np.ones(3), vmax=0)
    with pytest.raises(ValueError, match="k must be at most V=4"):
        top_k(np.zeros((2, 4)), 5)
    with pytest.raises(ValueError, match="temperature"):
        entropy(np.zeros((2, 4)), 0)
