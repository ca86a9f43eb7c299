"""The date task: babel's formats with field spans, the date-range split,
vocabularies and batches."""

import datetime

import numpy as np
import pytest

from companion.dates import (
    BOS,
    EOS,
    PAD,
    TEST_RANGE,
    encode_batch,
    format_with_spans,
    make_examples,
    source_vocab,
    target_vocab,
)


@pytest.mark.parametrize("locale", ["en", "ko", "zh"])
@pytest.mark.parametrize("style", ["full", "long", "medium", "short"])
def test_format_is_babels(locale, style):
    from babel.dates import format_date

    d = datetime.date(2026, 12, 7)
    text, spans = format_with_spans(d, style, locale)
    assert text == format_date(d, style, locale=locale)
    assert (
        "12" in text[slice(*spans["month"])]
        or "Dec" in text[slice(*spans["month"])]
    )
    assert text[slice(*spans["day"])] == "7"
    assert text[slice(*spans["year"])] in ("2026", "26")


def test_split_by_date_range():
    lo, hi = TEST_RANGE
    train = make_examples(3000, 0)
    test = make_examples(300, 1, test=True)
    assert all(not lo.isoformat() <= e.target <= hi.isoformat() for e in train)
    assert all(lo.isoformat() <= e.target <= hi.isoformat() for e in test)
    assert {e.target for e in train}.isdisjoint(e.target for e in test)
    assert {e.locale for e in train} == {"en", "ko", "zh"}
    assert make_examples(5, 0) == make_examples(5, 0)


def test_vocab_and_batches():
    sv, tv = source_vocab(), target_vocab()
    examples = make_examples(50, 3)
    src, src_len, tgt_in, tgt_out = encode_batch(examples, sv, tv)
    for n, e in enumerate(examples):
        assert sv.decode(src[n]) == e.source
        assert np.all(src[n, src_len[n] :] == PAD)
        assert tv.decode(tgt_out[n]) == e.target
    assert np.all(tgt_in[:, 0] == BOS) and np.all(tgt_out[:, -1] == EOS)
    assert np.array_equal(tgt_in[:, 1:], tgt_out[:, :-1])
    with pytest.raises(ValueError, match="outside the vocabulary"):
        tv.encode("2026/12/07")
    with pytest.raises(ValueError, match="style"):
        format_with_spans(datetime.date(2026, 1, 1), "tiny", "en")
