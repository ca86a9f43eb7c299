"""A character n-gram model with add-k smoothing: the language model that
needs no state, the baseline a recurrent model has to beat.

An n-gram model predicts character c from the n - 1 characters before it,
by counting in the training text how often each context was followed by
each character, with k added to every count:

    p(c | ctx) = (count(ctx, c) + k) / (count(ctx) + k V)

A context never seen in training gets the uniform 1/V. Contexts are
stored as integer codes (the n - 1 ids read as a number in base V), so
n <= 5 with V = 69 fits int64 with room to spare.

Add-k has no backoff. The interpolated Witten-Bell model (fit_witten_bell)
mixes each order with the order below, trusting a context more the more
often it was seen and the fewer different characters followed it:

    p_m(c | ctx) = (count(ctx, c) + U(ctx) p_{m-1}(c | ctx'))
                   / (count(ctx) + U(ctx))

ctx: the m - 1 characters before, ctx' its last m - 2, U(ctx) the number
of different characters seen after ctx, p_0 = 1/V; an unseen context
gives p_m = p_{m-1}. Training counts only, nothing to tune.
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


def _check_context(model, context, kind):
    """``context`` as ids, checked: n - 1 of them for a ``kind`` model."""
    validate.instance_of("model", model, kind)
    context = _check_ids("context", context, model.V)
    if context.size != model.n - 1:
        raise ValueError(
            f"context must hold n - 1 = {model.n - 1} ids; got {context.size}"
        )
    return context


def ngram_probs(model: NGram, context) -> np.ndarray:
    """(V,) p(c | context) for every c; context: the n - 1 ids before."""
    context = _check_context(model, context, NGram)
    code = _context_codes(np.append(context, 0), model.n, model.V)[0]
    total = _lookup(model.contexts, model.context_counts, code)
    pairs = code * model.V + np.arange(model.V)
    counts = _lookup(model.pairs, model.pair_counts, pairs)
    return (counts + model.k) / (total + model.k * model.V)


def _text_contexts(model: NGram, ids):
    """(ids checked, the code of each position's context), for t >= n - 1."""
    validate.instance_of("model", model, NGram)
    ids = _check_ids("ids", ids, model.V)
    if ids.size < model.n:
        raise ValueError(
            f"ids must hold at least n={model.n} ids; got {ids.size}"
        )
    return ids, _context_codes(ids, model.n, model.V)


def ngram_losses(model: NGram, ids) -> np.ndarray:
    """(L - n + 1,) -log p(ids[t] | ids[t-n+1:t]) for t = n-1, ..., L-1.

    The per-character loss in nats; its mean is the cross-entropy of
    companion.text.cross_entropy on the same characters.
    """
    ids, ctx = _text_contexts(model, ids)
    total = _lookup(model.contexts, model.context_counts, ctx)
    pair = _lookup(
        model.pairs, model.pair_counts, ctx * model.V + ids[model.n - 1 :]
    )
    p = (pair + model.k) / (total + model.k * model.V)
    return -np.log(p)


def context_counts(model: NGram, ids) -> np.ndarray:
    """(L - n + 1,) how often the context of ids[t] was seen in training.

    For t = n - 1, ..., L - 1, the training count of ids[t-n+1:t].
    """
    ids, ctx = _text_contexts(model, ids)
    return _lookup(model.contexts, model.context_counts, ctx)


@dataclass(frozen=True, eq=False)
class WittenBell:
    """An interpolated Witten-Bell n-gram: the counts of orders 1 to n.

    orders: the NGram of each order m = 1..n; types: for each order, (C,)
    U(ctx), the number of different characters after each context.
    """

    n: int
    V: int
    orders: tuple
    types: tuple


def fit_witten_bell(ids, n, V) -> WittenBell:
    """Count orders 1..n of ids (L,) with ids in [0, V) for Witten-Bell."""
    n = validate.positive_int("n", n)
    if n > 5:
        raise ValueError(f"n must be between 1 and 5; got {n}")
    orders = tuple(fit_ngram(ids, m, V) for m in range(1, n + 1))
    types = tuple(
        np.unique(o.pairs // o.V, return_counts=True)[1] for o in orders
    )
    return WittenBell(n, orders[0].V, orders, types)


def _wb(model, codes, targets):
    """p(target) for each row: codes (n, R) context codes per order."""
    p = np.full(targets.shape, 1.0 / model.V)
    for o, U_keys, ctx in zip(model.orders, model.types, codes):
        T = _lookup(o.contexts, o.context_counts, ctx)
        U = _lookup(o.contexts, U_keys, ctx)
        pair = _lookup(o.pairs, o.pair_counts, ctx * o.V + targets)
        p = np.where(T > 0, (pair + U * p) / np.maximum(T + U, 1), p)
    return p


def witten_bell_probs(model: WittenBell, context) -> np.ndarray:
    """(V,) p_n(c | context) for every c; context: the n - 1 ids before."""
    context = _check_context(model, context, WittenBell)
    c = np.arange(model.V)
    codes = [
        np.repeat(
            _context_codes(
                np.append(context[context.size - m + 1 :], 0), m, model.V
            )[0],
            model.V,
        )
        for m in range(1, model.n + 1)
    ]
    return _wb(model, codes, c)


def witten_bell_losses(model: WittenBell, ids) -> np.ndarray:
    """(L - n + 1,) -log p_n(ids[t] | ids[t-n+1:t]) for t = n-1, ..., L-1.

    The same characters as ngram_losses of the same order: the first n - 1
    have no full context and are not scored.
    """
    validate.instance_of("model", model, WittenBell)
    ids = _check_ids("ids", ids, model.V)
    n = model.n
    if ids.size < n:
        raise ValueError(f"ids must hold at least n={n} ids; got {ids.size}")
    codes = [_context_codes(ids, m, model.V)[n - m :] for m in range(1, n + 1)]
    return -np.log(_wb(model, codes, ids[n - 1 :]))
