import itertools
import pathlib

import numpy as np
import pytest

from companion.text import (
    SHAKESPEARE_SHA256,
    Vocab,
    cross_entropy,
    generate,
    load_text,
    perplexity,
    random_batches,
    sequential_batches,
    softmax,
    train_val_split,
)

CORPUS = (
    pathlib.Path(__file__).resolve().parents[1] / "book/data/shakespeare.txt"
)


def test_the_corpus_is_the_checked_copy():
    text = load_text(CORPUS)
    assert len(text) >= 200_000
    assert text.startswith("HAMLET, PRINCE OF DENMARK")
    assert "MACBETH" in text and "\r" not in text


def test_load_text_refuses_a_changed_file(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("To be, or not to be", encoding="utf-8")
    with pytest.raises(ValueError, match="path 'corpus.txt' has SHA-256"):
        load_text(path, sha256=SHAKESPEARE_SHA256)
    assert load_text(path, sha256=None) == "To be, or not to be"
    with pytest.raises(ValueError, match="path must name an existing file"):
        load_text(tmp_path / "missing.txt")


def test_vocab_encodes_and_decodes_back():
    vocab = Vocab.from_text("hello world")
    assert vocab.chars == (" ", "d", "e", "h", "l", "o", "r", "w")
    ids = vocab.encode("hello")
    assert ids.dtype == np.int64
    np.testing.assert_array_equal(ids, [3, 2, 4, 4, 5])
    assert vocab.decode(ids) == "hello"


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda v: v.encode("hex"),
            "text contains 'x', which is not in the vocabulary of 8",
        ),
        (lambda v: v.encode(5), "text must be a string"),
        (lambda v: v.decode([0, 8]), r"ids must lie in \[0, V=8\)"),
        (lambda v: v.decode([[0]]), "ids must be a 1-D array"),
        (lambda v: Vocab.from_text(""), "text must be a non-empty string"),
        (lambda v: Vocab(("a", "a")), "chars must not repeat"),
    ],
)
def test_vocab_refuses_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call(Vocab.from_text("hello world"))


def test_train_val_split_keeps_reading_order():
    ids = np.arange(100)
    train, val = train_val_split(ids, 0.1)
    np.testing.assert_array_equal(train, np.arange(90))
    np.testing.assert_array_equal(val, np.arange(90, 100))
    with pytest.raises(ValueError, match="val_fraction must be in"):
        train_val_split(ids, 0.0)
    with pytest.raises(ValueError, match="leaves a part of fewer than 2"):
        train_val_split(np.arange(10), 0.05)


def test_sequential_batches_continue_each_row():
    ids = np.arange(101)
    batches = sequential_batches(ids, batch_size=2, seq_len=5)
    assert len(batches) == 10
    for X, Y in batches:
        assert X.shape == Y.shape == (2, 5)
        np.testing.assert_array_equal(Y, X + 1)  # Y is X shifted by one
    for (X0, _), (X1, _) in itertools.pairwise(batches):
        np.testing.assert_array_equal(X1[:, 0], X0[:, -1] + 1)
    X, _ = sequential_batches(ids, 2, 5, offset=3)[0]
    np.testing.assert_array_equal(X[0], [3, 4, 5, 6, 7])


def test_random_batches_cover_disjoint_pieces():
    ids = np.arange(1000)
    batches = random_batches(ids, 4, 10, np.random.default_rng(0))
    starts = np.concatenate([X[:, 0] for X, _ in batches])
    assert len(set(starts)) == starts.size  # no piece twice
    assert len(set(starts % 10)) == 1  # on a grid of step T from one offset
    for X, Y in batches:
        np.testing.assert_array_equal(X, X[:, :1] + np.arange(10))
        np.testing.assert_array_equal(Y, X + 1)
    again = random_batches(ids, 4, 10, np.random.default_rng(0))
    np.testing.assert_array_equal(batches[3][0], again[3][0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"seq_len": 50}, r"seq_len must be shorter than the text \(L=50"),
        ({"seq_len": 0}, "seq_len must be a positive integer"),
        ({"batch_size": 20}, "too short for one batch of batch_size=20"),
        ({"ids": np.zeros(50)}, "ids must be a 1-D array of integer"),
    ],
)
@pytest.mark.parametrize("kind", ["random", "sequential"])
def test_batches_refuse_bad_arguments(kind, kwargs, message):
    args = {"ids": np.arange(50), "batch_size": 2, "seq_len": 5} | kwargs
    with pytest.raises(ValueError, match=message):
        if kind == "random":
            random_batches(rng=np.random.default_rng(0), **args)
        else:
            sequential_batches(**args)


def test_cross_entropy_matches_its_definition_and_numerical_gradient(rng):
    logits = rng.standard_normal((2, 3, 5))
    targets = rng.integers(0, 5, (2, 3))
    loss, dlogits = cross_entropy(logits, targets)
    p = softmax(logits)
    expected = -np.mean(np.log(np.take_along_axis(p, targets[..., None], -1)))
    assert loss == pytest.approx(expected, rel=1e-12)
    eps, numeric = 1e-6, np.zeros_like(logits)
    for idx in np.ndindex(logits.shape):
        plus, minus = logits.copy(), logits.copy()
        plus[idx] += eps
        minus[idx] -= eps
        numeric[idx] = (
            cross_entropy(plus, targets)[0] - cross_entropy(minus, targets)[0]
        ) / (2 * eps)
    np.testing.assert_allclose(dlogits, numeric, atol=1e-9)


def test_a_uniform_guess_has_the_vocabulary_size_as_perplexity():
    V = 65
    loss, _ = cross_entropy(
        np.zeros((4, 7, V)), np.arange(28).reshape(4, 7) % V
    )
    assert perplexity(loss) == pytest.approx(V, rel=1e-12)
    assert perplexity(0.0) == 1.0
    with pytest.raises(ValueError, match="mean_nll must be a number >= 0"):
        perplexity(-1.0)


def test_temperature_sharpens_or_flattens():
    logits = np.array([2.0, 1.0, 0.0])
    cold, warm, hot = (softmax(logits, t) for t in (0.5, 1.0, 5.0))
    assert cold[0] > warm[0] > hot[0] > 1 / 3
    with pytest.raises(
        ValueError, match="temperature must be a positive number"
    ):
        softmax(logits, 0)


def _counting_step(V):
    """A toy model: always predicts the character after the current one."""

    def step(ids, state):
        logits = np.full((1, V), -50.0)
        logits[0, (ids[0] + 1) % V] = 50.0
        return logits, state + 1

    return step


def test_generate_feeds_the_prime_and_samples_after_it():
    vocab = Vocab(tuple("abcd"))
    out = generate(
        _counting_step(4), 0, "ab", vocab, 5, 1.0, np.random.default_rng(0)
    )
    assert out == "abcdabc"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"temperature": 0.0}, "temperature must be a positive number"),
        ({"temperature": -1}, "temperature must be a positive number"),
        ({"prime": ""}, "prime must be a non-empty string"),
        (
            {"prime": "abz"},
            "prime contains 'z', which is not in the vocabulary",
        ),
        ({"length": 0}, "length must be a positive integer"),
        ({"vocab": "abcd"}, "vocab must be a Vocab"),
    ],
)
def test_generate_refuses_bad_arguments(kwargs, message):
    args = {
        "step": _counting_step(4),
        "state": 0,
        "prime": "ab",
        "vocab": Vocab(tuple("abcd")),
        "length": 3,
        "temperature": 1.0,
        "rng": np.random.default_rng(0),
    } | kwargs
    with pytest.raises(ValueError, match=message):
        generate(**args)
