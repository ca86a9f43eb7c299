import numpy as np
import pytest

from companion.ngram import fit_ngram, ngram_losses, ngram_probs


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
