"""The date-translation task of the seq2seq chapter: dates as people write
them, in English, Korean and Chinese, to ISO 8601 ("2026-12-07").

The sources come from ``babel.dates`` (CLDR's locale data): the four styles
"full", "long", "medium" and "short" of the locales "en", "ko" and "zh",
e.g. "Monday, December 7, 2026", "2026년 12월 7일 월요일", "2026年12月7日星期一",
"Dec 7, 2026", "2026. 12. 7.", "12/7/26". Two-digit years ("26") are
unambiguous because every date lies in 2000-2039. Babel is imported inside
the functions (it comes with Sphinx).

Character-level vocabularies: ids 0, 1, 2 are <pad>, <bos>, <eos>.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

import numpy as np

from . import validate

LOCALES = ("en", "ko", "zh")
STYLES = ("full", "long", "medium", "short")
PAD, BOS, EOS = 0, 1, 2
SPECIALS = ("<pad>", "<bos>", "<eos>")
FIRST, LAST = datetime.date(2000, 1, 1), datetime.date(2039, 12, 31)
#: the held-out range: no date in it is ever a training date
TEST_RANGE = (datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))
FIELDS = {"y": "year", "M": "month", "L": "month", "d": "day", "E": "weekday"}


def format_with_spans(date, style, locale):
    """(text, spans): babel's format of ``date`` and, for each field of the
    pattern ("year", "month", "day", "weekday"), its (start, end) in text."""
    from babel.dates import DateTimeFormat, get_date_format, tokenize_pattern

    validate.one_of("style", style, STYLES)
    validate.one_of("locale", locale, LOCALES)
    fmt = DateTimeFormat(date, locale)
    pattern = get_date_format(style, locale=locale).pattern
    text, spans = "", {}
    for kind, value in tokenize_pattern(pattern):
        if kind == "chars":
            text += value
            continue
        char, count = value
        piece = fmt[char * count]
        spans[FIELDS[char]] = (len(text), len(text) + len(piece))
        text += piece
    return text, spans


class Example(NamedTuple):
    source: str
    target: str
    locale: str
    style: str
    spans: dict


def random_dates(n, rng, test=False):
    """n seeded dates: from TEST_RANGE if test, else from 2000-2039 outside it."""
    n = validate.positive_int("n", n)
    lo, hi = TEST_RANGE
    if test:
        days = rng.integers(0, (hi - lo).days + 1, n)
        return [lo + datetime.timedelta(int(d)) for d in days]
    before = (lo - FIRST).days
    after = (LAST - hi).days
    days = rng.integers(0, before + after, n)
    return [
        FIRST + datetime.timedelta(int(d))
        if d < before
        else hi + datetime.timedelta(int(d - before) + 1)
        for d in days
    ]


def make_examples(n, seed, test=False):
    """n seeded examples, each a random date in a random locale and style."""
    rng = np.random.default_rng(validate.seed("seed", seed))
    dates = random_dates(n, rng, test)
    locs = rng.integers(0, len(LOCALES), n)
    styles = rng.integers(0, len(STYLES), n)
    out = []
    for d, li, si in zip(dates, locs, styles):
        text, spans = format_with_spans(d, STYLES[si], LOCALES[li])
        out.append(
            Example(text, d.isoformat(), LOCALES[li], STYLES[si], spans)
        )
    return out


class CharVocab:
    """Characters <-> ids, with <pad>, <bos>, <eos> first."""

    def __init__(self, chars):
        self.itos = SPECIALS + tuple(sorted(set(chars)))
        self.stoi = {c: i for i, c in enumerate(self.itos)}

    @property
    def size(self):
        return len(self.itos)

    def encode(self, text):
        unknown = sorted(set(text) - set(self.stoi))
        if unknown:
            raise ValueError(
                f"text has characters outside the vocabulary: {unknown}"
            )
        return [self.stoi[c] for c in text]

    def decode(self, ids):
        """Text of ids, stopping at <eos>, skipping <pad> and <bos>."""
        out = []
        for i in ids:
            if int(i) == EOS:
                break
            if int(i) > EOS:
                out.append(self.itos[int(i)])
        return "".join(out)


def source_vocab():
    """Every character babel writes for 2000-2039 in LOCALES x STYLES."""
    chars = set("0123456789")
    for month in range(1, 13):
        for day in range(1, 8):  # 7 consecutive days: every weekday
            d = datetime.date(2026, month, day)
            for loc in LOCALES:
                for style in STYLES:
                    chars |= set(format_with_spans(d, style, loc)[0])
    return CharVocab(chars)


def target_vocab():
    return CharVocab("0123456789-")


def encode_batch(examples, src_vocab, tgt_vocab):
    """(src (N, Ts) int64, src_len (N,), tgt_in (N, Ty), tgt_out (N, Ty)):
    sources right-padded with <pad>; tgt_in = <bos> + target, tgt_out =
    target + <eos> (all targets have the same length)."""
    srcs = [src_vocab.encode(e.source) for e in examples]
    src_len = np.array([len(s) for s in srcs])
    src = np.full((len(srcs), src_len.max()), PAD, dtype=np.int64)
    for n, s in enumerate(srcs):
        src[n, : len(s)] = s
    tgt = np.array([tgt_vocab.encode(e.target) for e in examples])
    tgt_in = np.concatenate([np.full((len(tgt), 1), BOS), tgt], axis=1)
    tgt_out = np.concatenate([tgt, np.full((len(tgt), 1), EOS)], axis=1)
    return src, src_len, tgt_in.astype(np.int64), tgt_out.astype(np.int64)
