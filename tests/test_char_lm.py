import pathlib

import numpy as np
import pytest

from companion.cells import CELLS
from companion.char_lm import (
    CharLM,
    evaluate,
    initial_state,
    lm_forward,
    lm_loss,
    load_char_lm,
    save_char_lm,
    step_fn,
)
from companion.optim import Adam, clip_by_norm
from companion.text import (
    Vocab,
    generate,
    load_text,
    perplexity,
    sequential_batches,
    train_val_split,
)

DATA = pathlib.Path(__file__).resolve().parents[1] / "book/data"
KINDS = list(CELLS)
TORCH_KINDS = [k for k, c in CELLS.items() if c.torch]  # TorchCharLM: nn.*


@pytest.fixture(scope="module")
def torch_char_lm(torch):
    """companion.torch_char_lm (it imports PyTorch)."""
    from companion import torch_char_lm

    return torch_char_lm


def _batch(rng, N=2, T=4, V=5):
    return rng.integers(0, V, (N, T)), rng.integers(0, V, (N, T))


@pytest.mark.parametrize("kind", KINDS)
def test_gradients_match_central_differences(kind, rng):
    model = CharLM.random(kind, 5, 3, rng)
    X, Y = _batch(rng)
    state = initial_state(model, 2)
    state = tuple(s + 0.1 for s in state) if kind == "lstm" else state + 0.1
    _, grads, _ = lm_loss(model, X, Y, state)
    arrays = model.as_dict()
    for name, value in arrays.items():
        flat, numeric = value.ravel(), np.zeros(value.size)
        for k in range(value.size):
            saved = flat[k]
            losses = []
            for delta in (1e-6, -1e-6):
                flat[k] = saved + delta
                losses.append(lm_loss(model.replace(arrays), X, Y, state)[0])
            flat[k] = saved
            numeric[k] = (losses[0] - losses[1]) / 2e-6
        np.testing.assert_allclose(
            grads["d" + name].ravel(), numeric, atol=1e-8, err_msg=name
        )


@pytest.mark.parametrize("kind", TORCH_KINDS)
def test_numpy_and_torch_training_take_the_same_steps(
    torch, torch_char_lm, kind, rng
):
    V, H, N, T = 7, 5, 3, 6
    ids = rng.integers(0, V, 400)
    model = CharLM.random(kind, V, H, rng)
    module = torch_char_lm.TorchCharLM.from_numpy(model)
    opt, topt = Adam(lr=0.02), torch.optim.Adam(module.parameters(), lr=0.02)
    state, tstate = initial_state(model, N), None
    for X, Y in sequential_batches(ids, N, T)[:6]:
        loss, grads, state = lm_loss(model, X, Y, state)
        grads, _ = clip_by_norm(grads, 0.5)
        model = model.replace(opt.step(model.as_dict(), grads))
        logits, tstate = module(torch.from_numpy(X), tstate)
        tstate = torch_char_lm.detach(tstate)
        tloss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, V), torch.from_numpy(Y).reshape(-1)
        )
        topt.zero_grad()
        tloss.backward()
        torch.nn.utils.clip_grad_norm_(module.parameters(), 0.5)
        topt.step()
        assert abs(loss - tloss.item()) <= 1e-12
    for name, value in module.to_numpy().as_dict().items():
        np.testing.assert_allclose(
            value, model.as_dict()[name], atol=1e-12, err_msg=name
        )


def test_a_carried_state_changes_the_next_logits(rng):
    model = CharLM.random("rnn", 5, 3, rng)
    X, Y = _batch(rng)
    _, state, _ = lm_forward(model, X, initial_state(model, 2))
    assert state.shape == (2, 3)
    _, _, state2 = lm_loss(model, X, Y, state)
    logits, _, _ = lm_forward(model, X, state)
    assert not np.allclose(
        logits, lm_forward(model, X, initial_state(model, 2))[0]
    )
    assert state2.shape == (2, 3)


def test_charlm_refuses_bad_input(rng):
    model = CharLM.random("gru", 5, 3, rng)
    with pytest.raises(
        ValueError, match="kind must be one of 'rnn', 'lstm', 'gru'"
    ):
        CharLM.random("transformer", 5, 3, rng)
    with pytest.raises(ValueError, match=r"W_hy must have shape \(H=3, V=5\)"):
        CharLM(model.cell, np.zeros((3, 4)), np.zeros(5))
    with pytest.raises(ValueError, match=r"X must hold ids in \[0, V=5\)"):
        lm_forward(model, np.full((1, 2), 5), initial_state(model, 1))
    with pytest.raises(ValueError, match="arrays must have the keys"):
        model.replace({"W_hy": model.W_hy})


def test_save_and_load_round_trip(tmp_path, rng):
    model = CharLM.random("gru", 5, 3, rng)
    save_char_lm(tmp_path / "m.npz", model, val_ppl=4.5, H=3)
    loaded, meta = load_char_lm(tmp_path / "m.npz")
    assert loaded.kind == "gru" and meta == {"val_ppl": 4.5, "H": 3}
    for name, value in model.as_dict().items():
        np.testing.assert_array_equal(loaded.as_dict()[name], value)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_trains_saves_and_loads(tmp_path, kind, rng):
    model = CharLM.random(kind, 5, 3, rng)
    assert model.kind == kind
    X, Y = _batch(rng)
    loss, grads, state = lm_loss(model, X, Y, initial_state(model, 2))
    assert sorted(grads) == sorted("d" + k for k in model.as_dict())
    model = model.replace(Adam(lr=0.05).step(model.as_dict(), grads))
    assert lm_loss(model, X, Y, initial_state(model, 2))[0] < loss
    save_char_lm(tmp_path / "m.npz", model)
    loaded, _ = load_char_lm(tmp_path / "m.npz")
    assert loaded.kind == kind
    for name, value in model.as_dict().items():
        np.testing.assert_array_equal(loaded.as_dict()[name], value)


def test_torch_char_lm_takes_only_cells_with_a_torch_nn_twin(torch_char_lm):
    with pytest.raises(
        ValueError, match="kind must be one of 'rnn', 'lstm', 'gru'; got"
    ):
        torch_char_lm.TorchCharLM("mingru", 5, 3)


def test_the_checkpoint_has_the_validation_perplexity_it_claims():
    model, meta = load_char_lm(DATA / "char_lstm.npz")
    text = load_text(DATA / "shakespeare.txt")
    vocab = Vocab.from_text(text)
    _, val = train_val_split(vocab.encode(text), 0.1)
    ppl = perplexity(
        evaluate(model, sequential_batches(val, 1, meta["seq_len"]))
    )
    assert ppl == pytest.approx(meta["val_ppl"], rel=1e-4)
    assert ppl < 6.0  # far below the vocabulary size (a uniform guess)
    out = generate(
        step_fn(model),
        initial_state(model, 1),
        "HAMLET.\n",
        vocab,
        40,
        0.5,
        np.random.default_rng(0),
    )
    assert out.startswith("HAMLET.\n") and len(out) == 48
