"""A character n-gram model with add-k smoothing: the language model that
needs no state, the baseline a recurrent model has to beat.

An n-gram model predicts character c from the n - 1 characters before it,
by counting in the training text how often each context was followed by
each character, with k added to every count:

    p(c | ctx) = (count(ctx, c) + k) / (count(ctx) + k V)

A context never seen in training gets the uniform 1/V. Contexts are
stored as integer codes (the n - 1 ids read as a number in base V), so
n <= 5 with V = 69 fits int64 with room to spare.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import validate


@dataclass(frozen=True, eq=False)
class NGram:
    """Counts of an n-gram model.

    n: the order (context of n - 1 characters); V: vocabulary size;
    k: the added count; contexts (C,) sorted context codes with
    context_counts (C,); pairs (P,) sorted codes ctx * V + c with
    pair_counts (P,).
    """

    n: int
    V: int
    k: float
    contexts: np.ndarray
    context_counts: np.ndarray
    pairs: np.ndarray
    pair_counts: np.ndarray


def _check_ids(name, ids, V):
    ids = np.asarray(ids)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-D array (L,) of integer ids")
    if ids.size and (ids.min() < 0 or ids.max() >= V):
        raise ValueError(f"{name} must hold ids in [0, V={V})")
    return ids.astype(np.int64)


def _context_codes(ids, n, V):
    """(L - n + 1,) the code of the n - 1 ids before each position t >= n-1."""
    L = ids.size
    codes = np.zeros(L - n + 1, dtype=np.int64)
    for j in range(n - 1):  # most significant digit first
        codes = codes * V + ids[j : L - n + 1 + j]
    return codes


def fit_ngram(ids, n, V, k=1.0) -> NGram:
    """Count the n-grams of ids (L,) with ids in [0, V); add-k smoothing."""
    n = validate.positive_int("n", n)
    if n > 5:
        raise ValueError(f"n must be between 1 and 5; got {n}")
    V = validate.positive_int("V", V)
    k = validate.positive_number("k", k)
    ids = _check_ids("ids", ids, V)
    if ids.size < n:
        raise ValueError(f"ids must hold at least n={n} ids; got {ids.size}")
    ctx = _context_codes(ids, n, V)
    contexts, context_counts = np.unique(ctx, return_counts=True)
    pairs, pair_counts = np.unique(ctx * V + ids[n - 1 :], return_counts=True)
    return NGram(n, V, k, contexts, context_counts, pairs, pair_counts)


def _lookup(keys, counts, query):
    """counts[keys == q] for each q of query, 0 where q is not a key."""
    at = np.searchsorted(keys, query)
    at = np.minimum(at, keys.size - 1)
    return np.where(keys[at] == query, counts[at], 0)


def ngram_probs(model: NGram, context) -> np.ndarray:
    """(V,) p(c | context) for every c; context: the n - 1 ids before."""
    validate.instance_of("model", model, NGram)
    context = _check_ids("context", context, model.V)
    if context.size != model.n - 1:
        raise ValueError(
            f"context must hold n - 1 = {model.n - 1} ids; got {context.size}"
        )
    code = _context_codes(np.append(context, 0), model.n, model.V)[0]
    total = _lookup(model.contexts, model.context_counts, code)
    pairs = code * model.V + np.arange(model.V)
    counts = _lookup(model.pairs, model.pair_counts, pairs)
    return (counts + model.k) / (total + model.k * model.V)


def ngram_losses(model: NGram, ids) -> np.ndarray:
    """(L - n + 1,) -log p(ids[t] | ids[t-n+1:t]) for t = n-1, ..., L-1.

    The per-character loss in nats; its mean is the cross-entropy of
    companion.text.cross_entropy on the same characters.
    """
    validate.instance_of("model", model, NGram)
    ids = _check_ids("ids", ids, model.V)
    if ids.size < model.n:
        raise ValueError(
            f"ids must hold at least n={model.n} ids; got {ids.size}"
        )
    ctx = _context_codes(ids, model.n, model.V)
    total = _lookup(model.contexts, model.context_counts, ctx)
    pair = _lookup(
        model.pairs, model.pair_counts, ctx * model.V + ids[model.n - 1 :]
    )
    p = (pair + model.k) / (total + model.k * model.V)
    return -np.log(p)
