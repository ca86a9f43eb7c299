"""Text for character-level language models: the corpus, its vocabulary,
training batches, cross-entropy and perplexity, and sampling.

The corpus (``book/data/shakespeare.txt``) is Hamlet followed by Macbeth,
public-domain plays as Project Gutenberg transcribed them; the loader checks
the file's SHA-256, so every machine trains on the same characters.
Letters: N sequences per batch, T characters per sequence, V characters in
the vocabulary. Token ids are int64; a batch is ``(X, Y)`` with X, Y (N, T)
and Y the characters that follow X (Y[n, t] = text[start + t + 1]).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import validate
from .ops import softmax
from .validate import positive_int, positive_number

#: SHA-256 of book/data/shakespeare.txt (Hamlet + Macbeth, 277,374 characters)
SHAKESPEARE_SHA256 = (
    "bf6f0f46227ccbd22a339db822bc748f3daabc065a69942ccfc17f9d56e78c56"
)


def load_text(path, sha256=SHAKESPEARE_SHA256) -> str:
    """Read a UTF-8 text file after checking its SHA-256.

    path: str or pathlib.Path; sha256: the expected hex digest (or None to
    skip the check). returns the text. A changed file raises ValueError.
    """
    data = validate.verified_file("path", path, sha256)
    return data.decode("utf-8")


@dataclass(frozen=True)
class Vocab:
    """The characters of a text, sorted; a character's id is its position.

    chars: tuple of single characters. ``Vocab.from_text(text)`` builds it.
    """

    chars: tuple

    def __post_init__(self):
        chars = tuple(self.chars)
        if not chars or any(
            not isinstance(c, str) or len(c) != 1 for c in chars
        ):
            raise ValueError("chars must be a non-empty tuple of characters")
        if len(set(chars)) != len(chars):
            raise ValueError("chars must not repeat a character")
        object.__setattr__(self, "chars", chars)
        index = {c: k for k, c in enumerate(chars)}
        object.__setattr__(self, "_index", index)

    @classmethod
    def from_text(cls, text: str) -> Vocab:
        """Every distinct character of ``text``, in sorted order."""
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        return cls(tuple(sorted(set(text))))

    @property
    def size(self) -> int:
        """V, the number of characters."""
        return len(self.chars)

    def encode(self, text: str, name: str = "text") -> np.ndarray:
        """text (str of length L) -> ids (L,) int64."""
        if not isinstance(text, str):
            raise ValueError(
                f"{name} must be a string; got {type(text).__name__}"
            )
        missing = sorted(set(text) - set(self._index))
        if missing:
            raise ValueError(
                f"{name} contains {missing[0]!r}, which is not in the "
                f"vocabulary of {self.size} characters"
            )
        return np.fromiter(
            (self._index[c] for c in text), dtype=np.int64, count=len(text)
        )

    def decode(self, ids) -> str:
        """ids (L,) integers in [0, V) -> the text they stand for."""
        ids = np.asarray(ids)
        if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
            raise ValueError("ids must be a 1-D array of integers")
        if ids.size and (ids.min() < 0 or ids.max() >= self.size):
            raise ValueError(f"ids must lie in [0, V={self.size})")
        return "".join(self.chars[k] for k in ids)


def train_val_split(ids, val_fraction=0.1):
    """Cut ids (L,) in two, in reading order: (train, validation).

    The validation part is the last ``val_fraction`` of the text, so no
    validation character is ever seen in training.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError("ids must be a 1-D array of integer token ids")
    if not 0 < validate.probability("val_fraction", val_fraction):
        raise ValueError(f"val_fraction must be in (0, 1); got {val_fraction}")
    n_val = round(ids.size * val_fraction)
    if n_val < 2 or ids.size - n_val < 2:
        raise ValueError(
            f"val_fraction={val_fraction} leaves a part of fewer than 2 "
            f"characters of the L={ids.size}"
        )
    return ids[: ids.size - n_val], ids[ids.size - n_val :]


def _check_ids(ids, seq_len):
    ids = np.asarray(ids)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError("ids must be a 1-D array of integer token ids")
    T = positive_int("seq_len", seq_len)
    if T >= ids.size:
        raise ValueError(
            f"seq_len must be shorter than the text (L={ids.size} "
            f"characters); got {T}"
        )
    return ids, T


def _too_short(L, N, T):
    return ValueError(
        f"the text (L={L}) is too short for one batch of "
        f"batch_size={N} sequences of seq_len={T}"
    )


def random_batches(ids, batch_size, seq_len, rng):
    """Random sampling: non-overlapping pieces in a shuffled order.

    The text is cut, from a random offset in [0, T), into pieces of T ids;
    the pieces are shuffled and grouped N at a time. Neighbouring rows of
    consecutive batches are unrelated, so a hidden state must start afresh
    for every batch. ids: (L,); returns a list of (X, Y), each (N, T).
    """
    ids, T = _check_ids(ids, seq_len)
    N = positive_int("batch_size", batch_size)
    rng = validate.rng("rng", rng)
    offset = int(rng.integers(T))
    starts = offset + T * np.arange((ids.size - 1 - offset) // T)
    starts = starts[rng.permutation(starts.size)]
    if starts.size < N:
        raise _too_short(ids.size, N, T)
    steps = np.arange(T)
    batches = []
    for k in range(starts.size // N):
        rows = starts[k * N : (k + 1) * N, None] + steps  # (N, T)
        batches.append((ids[rows], ids[rows + 1]))
    return batches


def sequential_batches(ids, batch_size, seq_len, offset=0):
    """Sequential partitioning: N parallel streams read in order.

    The text (from ``offset``) is split into N equal streams, one per row;
    batch k holds columns k*T .. (k+1)*T - 1 of every stream, so row n of
    batch k+1 continues row n of batch k exactly. This is what lets a
    hidden state be carried from one batch to the next.
    ids: (L,); returns a list of (X, Y), each (N, T).
    """
    ids, T = _check_ids(ids, seq_len)
    N = positive_int("batch_size", batch_size)
    offset = validate.seed("offset", offset)
    if offset >= T:
        raise ValueError(
            f"offset must be smaller than seq_len={T}; got {offset}"
        )
    width = (ids.size - 1 - offset) // N  # characters per stream
    if width < T:
        raise _too_short(ids.size, N, T)
    Xs = ids[offset : offset + N * width].reshape(N, width)  # (N, width)
    Ys = ids[offset + 1 : offset + 1 + N * width].reshape(N, width)
    return [
        (Xs[:, k : k + T], Ys[:, k : k + T])
        for k in range(0, width - T + 1, T)
    ]


def cross_entropy(logits, targets):
    """Mean negative log-likelihood of the targets, and its gradient.

    logits: (N, T, V) scores; targets: (N, T) ids in [0, V).
    L = -(1/NT) sum_{n,t} log softmax(logits[n, t])[targets[n, t]]
    returns (L, dlogits): dlogits (N, T, V) = (softmax - one_hot) / (N T)
    """
    logits = validate.as_float_array("logits", logits, ("N", "T", "V"))
    N, T, V = logits.shape
    targets = np.asarray(targets)
    if targets.shape != (N, T) or not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(
            f"targets must be integer ids of shape (N={N}, T={T}); "
            f"got {targets.dtype} {targets.shape}"
        )
    if targets.min() < 0 or targets.max() >= V:
        raise ValueError(f"targets must lie in [0, V={V})")
    z = logits - logits.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))  # (N, T, V)
    picked = np.take_along_axis(log_p, targets[..., None], axis=-1)
    loss = -picked.mean()
    dlogits = np.exp(log_p)
    np.put_along_axis(
        dlogits,
        targets[..., None],
        np.take_along_axis(dlogits, targets[..., None], axis=-1) - 1,
        axis=-1,
    )
    return float(loss), dlogits / (N * T)


def perplexity(mean_nll) -> float:
    """exp(mean negative log-likelihood per character, in nats).

    A model that spreads its probability evenly over V characters scores
    exactly V; a model that is always certain and right scores 1.
    """
    value = validate.non_negative_number("mean_nll", mean_nll)
    return float(np.exp(value))


def generate(step, state, prime, vocab, length, temperature, rng):
    """Sample ``length`` characters after a priming prefix.

    step(ids (1,), state) -> (logits (1, V), state): one step of a model.
    The prime is fed first (its characters are given, not sampled); then
    each next character is drawn from softmax(logits / temperature) and fed
    back. Lower temperatures sharpen the distribution (towards the most
    likely character), higher ones flatten it (towards uniform).
    returns prime + the sampled characters.
    """
    if not isinstance(vocab, Vocab):
        raise ValueError(f"vocab must be a Vocab; got {type(vocab).__name__}")
    if not isinstance(prime, str) or not prime:
        raise ValueError("prime must be a non-empty string, e.g. 'HAMLET.'")
    ids = vocab.encode(prime, name="prime")
    length = positive_int("length", length)
    positive_number("temperature", temperature)
    rng = validate.rng("rng", rng)
    for k in ids[:-1]:
        _, state = step(np.array([k]), state)
    out, current = [], ids[-1]
    for _ in range(length):
        logits, state = step(np.array([current]), state)
        p = softmax(logits[0], temperature)
        current = int(rng.choice(vocab.size, p=p))
        out.append(current)
    return prime + vocab.decode(np.array(out, dtype=np.int64))
