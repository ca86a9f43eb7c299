"""The encoder-decoder: NumPy forward = PyTorch forward, the masked loss of a
padded batch = the unpadded sequences one by one (loss and every gradient),
greedy = beam width 1, save/load, and the recorded training runs."""

import csv
import pathlib

import numpy as np
import pytest

from companion.beam import beam_search
from companion.dates import (
    BOS,
    EOS,
    PAD,
    encode_batch,
    make_examples,
    source_vocab,
    target_vocab,
)
from companion.seq2seq import (
    Seq2SeqParams,
    greedy_decode,
    load_seq2seq,
    masked_cross_entropy,
    save_seq2seq,
    seq2seq_forward,
    step_fn,
)

DATA = pathlib.Path(__file__).resolve().parents[1] / "book/data"
VOCABS = (source_vocab(), target_vocab())


def _model(attention=True, H=8, A=5, seed=0):
    rng = np.random.default_rng(seed)
    return Seq2SeqParams.random(
        VOCABS[0].size, VOCABS[1].size, H, A, rng, attention
    )


def _batch(n=4, seed=5):
    return encode_batch(make_examples(n, seed), *VOCABS)


@pytest.mark.parametrize("attention", [True, False])
def test_numpy_forward_equals_torch(torch, attention):
    from companion.torch_seq2seq import TorchSeq2Seq

    params = _model(attention)
    src, src_len, tgt_in, _ = _batch()
    assert len(set(src_len)) > 1  # a padded batch
    logits, weights = seq2seq_forward(params, src, src_len, tgt_in)
    module = TorchSeq2Seq.from_numpy(params)
    t_logits, t_weights = module(
        *(torch.from_numpy(a) for a in (src, src_len, tgt_in))
    )
    np.testing.assert_allclose(
        t_logits.detach().numpy(), logits, rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        t_weights.detach().numpy(), weights, rtol=0, atol=1e-12
    )
    back = module.to_numpy()
    for a, b in zip(
        back.enc.as_dict().values(), params.enc.as_dict().values()
    ):
        np.testing.assert_array_equal(a, b)


def _ragged(src, src_len, tgt_in, tgt_out, tgt_len):
    """Targets cut to tgt_len tokens, padded with <pad> after."""
    tgt_in, tgt_out = tgt_in.copy(), tgt_out.copy()
    for n, L in enumerate(tgt_len):
        tgt_in[n, L:] = PAD
        tgt_out[n, L:] = PAD
    return src, src_len, tgt_in, tgt_out


def test_padded_batch_equals_one_by_one(torch):
    from companion.torch_seq2seq import TorchSeq2Seq, masked_loss

    module = TorchSeq2Seq.from_numpy(_model())
    tgt_len = np.array([11, 6, 3, 9])
    src, src_len, tgt_in, tgt_out = _ragged(*_batch(), tgt_len)
    T = torch.from_numpy
    logits, _ = module(T(src), T(src_len), T(tgt_in))
    loss = masked_loss(logits, T(tgt_out), T(tgt_len))
    grads = torch.autograd.grad(loss, list(module.parameters()))
    # one by one, no padding at all: each sequence's summed loss / all tokens
    total, summed = 0.0, [torch.zeros_like(g) for g in grads]
    for n in range(len(src)):
        S, L = src_len[n], tgt_len[n]
        lg, _ = module(
            T(src[n : n + 1, :S]),
            T(src_len[n : n + 1]),
            T(tgt_in[n : n + 1, :L]),
        )
        part = masked_loss(
            lg, T(tgt_out[n : n + 1, :L]), T(tgt_len[n : n + 1])
        )
        part = part * L / tgt_len.sum()
        total += part.item()
        for acc, g in zip(
            summed, torch.autograd.grad(part, list(module.parameters()))
        ):
            acc += g
    assert loss.item() == pytest.approx(total, abs=1e-14)
    for g, s in zip(grads, summed):
        np.testing.assert_allclose(g.numpy(), s.numpy(), rtol=0, atol=1e-14)
    # the NumPy loss is the same number
    ours = masked_cross_entropy(
        seq2seq_forward(_model(), src, src_len, tgt_in)[0], tgt_out, tgt_len
    )
    assert ours == pytest.approx(loss.item(), abs=1e-13)
    # the mean over all padded positions is another number
    nll = torch.nn.functional.cross_entropy(
        logits.transpose(1, 2), T(tgt_out), reduction="none"
    )
    mask = torch.arange(11)[None] < T(tgt_len)[:, None]
    assert abs((nll * mask).mean().item() - loss.item()) > 0.1 * loss.item()


def test_greedy_is_beam_width_one():
    params = _model(H=6, seed=2)
    src, src_len, _, _ = _batch(3)
    ids, _ = greedy_decode(params, src, src_len, 11, BOS)
    for n in range(3):
        step, state = step_fn(params, src[n : n + 1], src_len[n : n + 1])
        ((tokens, _),) = beam_search(step, state, BOS, EOS, 1, 11)
        L = len(tokens)
        assert tuple(ids[n, :L]) == tokens


def test_save_and_load(tmp_path):
    for attention in (True, False):
        params = _model(attention)
        save_seq2seq(tmp_path / "m.npz", params, seed=3)
        back, meta = load_seq2seq(tmp_path / "m.npz")
        assert meta["seed"] == 3
        src, src_len, tgt_in, _ = _batch()
        np.testing.assert_array_equal(
            seq2seq_forward(back, src, src_len, tgt_in)[0],
            seq2seq_forward(params, src, src_len, tgt_in)[0],
        )


def _runs():
    with open(DATA / "seq2seq_runs.csv") as f:
        return list(csv.DictReader(f))


def test_record_reproduces_a_prefix_of_training(torch):
    """Seed 0 with attention, re-run for the recorded prefix of steps."""
    from threadpoolctl import threadpool_limits

    from companion.torch_seq2seq import SETTINGS, date_data, train_seq2seq

    run = next(
        r for r in _runs() if r["seed"] == "0" and r["attention"] == "1"
    )
    steps = int(run["prefix_steps"])
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            vocabs, train, _ = date_data(SETTINGS["n_train"], 1)
            _, losses = train_seq2seq(0, True, train, vocabs, steps)
    finally:
        torch.set_num_threads(threads)
    assert f"{losses[-1]:.6f}" == run["loss_prefix"]
    _, meta = load_seq2seq(DATA / "seq2seq_attn.npz")
    np.testing.assert_allclose(
        meta["losses"][:steps], losses, rtol=0, atol=1e-6
    )


def test_record_scores_the_stored_models():
    from companion.seq2seq import date_accuracy
    from companion.torch_seq2seq import SETTINGS, date_data

    vocabs, _, test = date_data(1, SETTINGS["n_test"])
    for name, flag in (("seq2seq_attn.npz", "1"), ("seq2seq_plain.npz", "0")):
        params, _ = load_seq2seq(DATA / name, dtype=np.float32)
        run = next(
            r for r in _runs() if r["seed"] == "0" and r["attention"] == flag
        )
        _, exact, chars = date_accuracy(params, test, vocabs)
        assert f"{exact:.4f}" == run["greedy_exact"]
        assert f"{chars:.4f}" == run["greedy_chars"]


@pytest.mark.parametrize(
    "change, word",
    [
        ({"src": np.zeros((4, 5))}, "src must be integer"),
        ({"src": np.full((4, 5), 999)}, "src must hold ids"),
        ({"src_len": np.array([1, 2, 3])}, "src_len must"),
        ({"src_len": np.array([1, 2, 3, 6])}, "src_len must"),
        ({"tgt_in": np.zeros((3, 2), int)}, "tgt_in must have shape"),
        ({"tgt_in": np.full((4, 2), 99)}, "tgt_in must hold ids"),
    ],
)
def test_bad_batch_names_the_argument(change, word):
    args = {
        "src": np.ones((4, 5), int),
        "src_len": np.array([5, 4, 3, 1]),
        "tgt_in": np.ones((4, 2), int),
        **change,
    }
    with pytest.raises(ValueError, match=word):
        seq2seq_forward(_model(), **args)
