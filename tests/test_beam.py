"""Beam search: width 1 is greedy, a wide beam is exhaustive enumeration, the
length penalty, bad input."""

import itertools

import numpy as np
import pytest

from companion.beam import beam_search, greedy_search


def _toy_decoder(V=4, H=3, seed=0):
    """A small random recurrent decoder: step(tokens, h) -> (log_probs, h)."""
    rng = np.random.default_rng(seed)
    E, W, U = (rng.standard_normal(s) for s in ((V, H), (H, H), (H, V)))

    def step(tokens, h):
        h = np.tanh(E[tokens] + h @ W)
        z = 2 * h @ U
        z = z - z.max(1, keepdims=True)
        return z - np.log(np.exp(z).sum(1, keepdims=True)), h

    return step, rng.standard_normal((1, H))


def _exhaustive(step, h0, bos, eos, V, max_len):
    """Every sequence (ended by eos, or max_len long) with its log-probability."""
    out = {}
    for L in range(1, max_len + 1):
        for seq in itertools.product(range(V), repeat=L):
            if eos in seq[:-1] or (L < max_len and seq[-1] != eos):
                continue
            h, total, prev = h0, 0.0, bos
            for tok in seq:
                lp, h = step(np.array([prev]), h)
                total += lp[0, tok]
                prev = tok
            out[seq] = total
    return out


@pytest.mark.parametrize("seed", range(5))
def test_width_one_is_greedy(seed):
    step, h0 = _toy_decoder(seed=seed)
    assert beam_search(step, h0, 0, 3, 1, 6) == [
        greedy_search(step, h0, 0, 3, 6)
    ]


@pytest.mark.parametrize("seed", range(5))
def test_wide_beam_is_exhaustive(seed):
    V, max_len, eos = 4, 4, 3
    step, h0 = _toy_decoder(V=V, seed=seed)
    every = _exhaustive(step, h0, 0, eos, V, max_len)
    best = sorted(every.items(), key=lambda kv: -kv[1])
    found = beam_search(step, h0, 0, eos, V**max_len, max_len)
    assert [t for t, _ in found] == [t for t, _ in best]
    np.testing.assert_allclose(
        [s for _, s in found], [s for _, s in best], atol=1e-12
    )
    # probabilities of all sequences sum to 1
    np.testing.assert_allclose(
        np.exp(list(every.values())).sum(), 1, atol=1e-12
    )


def test_length_penalty_divides_the_score():
    step, h0 = _toy_decoder(seed=2)
    every = 4**5  # wide enough to hold every sequence
    raw = dict(beam_search(step, h0, 0, 3, every, 5))
    normed = beam_search(step, h0, 0, 3, every, 5, length_penalty=1.0)
    for tokens, score in normed:
        assert score == pytest.approx(raw[tokens] / len(tokens), abs=1e-12)
    assert [s for _, s in normed] == sorted(
        (s for _, s in normed), reverse=True
    )


def test_tuple_state_rows_are_reordered():
    step, h0 = _toy_decoder(seed=3)

    def step2(tokens, state):
        lp, h = step(tokens, state[0])
        return lp, (h, state[1])

    extra = np.zeros((1, 2))
    assert beam_search(step2, (h0, extra), 0, 3, 3, 5) == beam_search(
        step, h0, 0, 3, 3, 5
    )


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"beam_width": 0}, "beam_width"),
        ({"eos": 4}, "eos"),
        ({"eos": -1}, "eos"),
        ({"max_len": 0}, "max_len"),
        ({"length_penalty": -1.0}, "length_penalty"),
    ],
)
def test_bad_input_names_the_argument(kwargs, word):
    step, h0 = _toy_decoder()
    args = {"bos": 0, "eos": 3, "beam_width": 2, "max_len": 4, **kwargs}
    with pytest.raises(ValueError, match=word):
        beam_search(step, h0, **args)


def test_bad_step_output():
    with pytest.raises(ValueError, match="log_probs"):
        beam_search(
            lambda t, s: (np.zeros(4), s), np.zeros((1, 2)), 0, 3, 2, 3
        )
