"""Greedy decoding and beam search over any step function.

A decoder is given as ``step(tokens, state) -> (log_probs, state)``: tokens
int (B,), log_probs (B, V) (log-probabilities of the next token for each of
B hypotheses), ``state`` an array or a tuple of arrays whose first axis is
B. Beam search keeps the ``beam_width`` best partial sequences by their sum
of log-probabilities,

    score(y_1 .. y_L) = sum_t log p(y_t | y_<t, x)  /  L ** length_penalty,

and moves a hypothesis to the finished list when it writes ``eos``.
"""

from __future__ import annotations

import numpy as np

from . import validate


def _take(state, rows):
    """The state's rows ``rows`` (an array, or a tuple of arrays)."""
    if isinstance(state, tuple):
        return tuple(s[rows] for s in state)
    return state[rows]


def _checked_log_probs(log_probs, B, eos):
    log_probs = np.asarray(log_probs)
    if log_probs.ndim != 2 or log_probs.shape[0] != B:
        raise ValueError(
            f"step must return log_probs of shape (B={B}, V); "
            f"got {log_probs.shape}"
        )
    if not 0 <= eos < log_probs.shape[1]:
        raise ValueError(
            f"eos must be a token id in [0, V={log_probs.shape[1]}); got {eos}"
        )
    return log_probs


def _score(total, length, length_penalty):
    return total / length**length_penalty if length_penalty else total


def greedy_search(step, state, bos, eos, max_len):
    """(tokens, score): the most likely token at every step, one sequence."""
    tokens, total, token = [], 0.0, np.array([bos])
    for _ in range(max_len):
        log_probs, state = step(token, state)
        log_probs = _checked_log_probs(log_probs, 1, eos)
        best = int(np.argmax(log_probs[0]))
        tokens.append(best)
        total += float(log_probs[0, best])
        if best == eos:
            break
        token = np.array([best])
    return tuple(tokens), total


# shown in: seq2seq
def beam_search(
    step, state, bos, eos, beam_width, max_len, length_penalty=0.0
):
    """[(tokens, score), ...] best first, at most beam_width of them.

    Starts from one hypothesis (state with first axis 1) holding ``bos``.
    tokens: a tuple of ints without bos, ending with eos when the sequence
    ended, at most max_len long; score: the sum of log-probabilities,
    divided by len(tokens) ** length_penalty when that is not 0.
    """
    beam_width = validate.positive_int("beam_width", beam_width)
    max_len = validate.positive_int("max_len", max_len)
    length_penalty = validate.non_negative_number(
        "length_penalty", length_penalty
    )
    alive = [((), 0.0)]  # (tokens, sum of log-probabilities)
    last = np.array([bos])
    finished = []
    for t in range(max_len):
        log_probs, state = step(last, state)
        log_probs = _checked_log_probs(log_probs, len(alive), eos)
        totals = np.array([s for _, s in alive])[:, None] + log_probs
        # the beam_width best continuations (ties: lowest row, lowest token)
        order = np.argsort(-totals, axis=None, kind="stable")[:beam_width]
        rows, toks = np.unravel_index(order, totals.shape)
        keep, new_alive = [], []
        for r, tok in zip(rows, toks):
            hyp = (alive[r][0] + (int(tok),), float(totals[r, tok]))
            if tok == eos:
                finished.append(hyp)
            else:
                keep.append(r)
                new_alive.append(hyp)
        if not new_alive:
            break
        alive = new_alive
        state = _take(state, np.array(keep))
        last = np.array([tokens[-1] for tokens, _ in alive])
    else:
        finished.extend(alive)  # max_len reached without eos
    ranked = sorted(
        ((tok, _score(s, len(tok), length_penalty)) for tok, s in finished),
        key=lambda pair: -pair[1],
    )
    return ranked[:beam_width]
