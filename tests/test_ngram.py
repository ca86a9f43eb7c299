import numpy as np
import pytest

from companion.ngram import (
    context_counts,
    fit_ngram,
    fit_witten_bell,
    ngram_losses,
    ngram_probs,
    witten_bell_losses,
    witten_bell_probs,
)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_probabilities_sum_to_one(n, rng):
    ids = rng.integers(0, 6, 300)
    model = fit_ngram(ids, n, 6, k=0.5)
    for context in (ids[: n - 1], np.full(n - 1, 5)):
        p = ngram_probs(model, context)
        assert p.shape == (6,) and np.all(p > 0)
        assert p.sum() == pytest.approx(1, abs=1e-12)


def test_counts_by_hand():
    ids = np.array([0, 1, 0, 1, 0, 2])  # "abab ac"
    model = fit_ngram(ids, 2, 3, k=1.0)
    # after 0: 1 twice, 2 once; add one to each of three counts
    np.testing.assert_allclose(ngram_probs(model, [0]), [1 / 6, 3 / 6, 2 / 6])
    # a context never seen gives the uniform distribution
    np.testing.assert_allclose(ngram_probs(model, [2]), [1 / 3] * 3)
    losses = ngram_losses(model, ids)
    assert losses.shape == (5,)
    np.testing.assert_allclose(losses[0], -np.log(3 / 6))  # 0 -> 1
    np.testing.assert_allclose(losses[1], -np.log(3 / 5))  # 1 -> 0: 2 of 2


def test_uniform_unigram_loss_is_log_v():
    V = 7
    ids = np.tile(np.arange(V), 20)
    losses = ngram_losses(fit_ngram(ids, 1, V), ids)
    np.testing.assert_allclose(losses, np.log(V), rtol=1e-12)


def test_losses_match_the_probabilities(rng):
    ids = rng.integers(0, 5, 200)
    model = fit_ngram(ids[:150], 3, 5, k=0.1)
    losses = ngram_losses(model, ids[150:])
    for t in (2, 10, 47):
        context = ids[150 + t - 2 : 150 + t]
        p = ngram_probs(model, context)[ids[150 + t]]
        assert losses[t - 2] == pytest.approx(-np.log(p), rel=1e-12)


def test_bad_input_names_the_argument():
    ids = np.arange(4)
    with pytest.raises(ValueError, match="n must be between 1 and 5"):
        fit_ngram(ids, 6, 4)
    with pytest.raises(ValueError, match=r"ids must hold ids in \[0, V=3\)"):
        fit_ngram(ids, 2, 3)
    with pytest.raises(ValueError, match="k must be"):
        fit_ngram(ids, 2, 4, k=0)
    model = fit_ngram(ids, 3, 4)
    with pytest.raises(ValueError, match="context must hold n - 1 = 2 ids"):
        ngram_probs(model, [1])
    with pytest.raises(ValueError, match="ids must be a 1-D array"):
        ngram_losses(model, np.zeros((2, 2), dtype=int))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_witten_bell_probabilities_sum_to_one(n, rng):
    ids = rng.integers(0, 6, 300)
    model = fit_witten_bell(ids, n, 6)
    for context in (ids[: n - 1], np.full(n - 1, 5), np.zeros(n - 1, int)):
        p = witten_bell_probs(model, context)
        assert p.shape == (6,) and np.all(p > 0)
        assert p.sum() == pytest.approx(1, abs=1e-12)


def test_witten_bell_unigram_by_hand():
    ids = np.array([0, 1, 0, 1, 0, 2])  # counts 3, 2, 1 of V = 4 ids
    model = fit_witten_bell(ids, 1, 4)
    # T = 6 characters, U = 3 different ones, mixed with the uniform 1/4
    want = (np.array([3, 2, 1, 0]) + 3 / 4) / (6 + 3)
    np.testing.assert_allclose(
        witten_bell_probs(model, np.zeros(0, int)), want
    )
    np.testing.assert_allclose(
        witten_bell_losses(model, ids), -np.log(want[ids])
    )


def test_witten_bell_bigram_by_hand():
    ids = np.array([0, 1, 0, 1, 0, 2])
    model = fit_witten_bell(ids, 2, 3)
    uni = (np.array([3, 2, 1]) + 3 / 3) / (6 + 3)
    # after 0: 1 twice, 2 once; T = 3, U = 2
    want = (np.array([0, 2, 1]) + 2 * uni) / (3 + 2)
    np.testing.assert_allclose(witten_bell_probs(model, [0]), want)
    # context 2 is never followed by anything: the unigram
    np.testing.assert_allclose(witten_bell_probs(model, [2]), uni)


def test_witten_bell_losses_match_the_probabilities(rng):
    ids = rng.integers(0, 5, 400)
    model = fit_witten_bell(ids[:300], 3, 5)
    losses = witten_bell_losses(model, ids[300:])
    for i, t in enumerate(range(302, 400)):
        p = witten_bell_probs(model, ids[t - 2 : t])
        assert losses[i] == pytest.approx(-np.log(p[ids[t]]))


def test_context_counts():
    ids = np.array([0, 1, 0, 1, 0, 2])
    model = fit_ngram(ids, 2, 3)
    np.testing.assert_array_equal(context_counts(model, [2, 0, 1]), [0, 3])


def test_witten_bell_bad_input_names_the_argument():
    ids = np.array([0, 1, 2, 1])
    with pytest.raises(ValueError, match="n must be between 1 and 5"):
        fit_witten_bell(ids, 6, 3)
    with pytest.raises(ValueError, match="n must be"):
        fit_witten_bell(ids, 0, 3)
    with pytest.raises(ValueError, match="ids must hold ids in"):
        fit_witten_bell(ids, 2, 2)
    model = fit_witten_bell(ids, 2, 3)
    with pytest.raises(ValueError, match="context must hold n - 1 = 1"):
        witten_bell_probs(model, [0, 1])
    with pytest.raises(ValueError, match="ids must hold at least n=2"):
        witten_bell_losses(model, [0])
    with pytest.raises(ValueError, match="model must be"):
        witten_bell_losses(fit_ngram(ids, 2, 3), ids)
    with pytest.raises(ValueError, match="ids must hold at least n=2"):
        context_counts(fit_ngram(ids, 2, 3), [0])
