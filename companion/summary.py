"""Plain-text model summaries that fit the book's code column and never vary."""
from __future__ import annotations

import contextlib


@contextlib.contextmanager
def _no_rich_jupyter():
    """Stop rich (Keras' renderer) from also sending an empty HTML display in Jupyter."""
    try:
        import rich.console
    except ImportError:  # pragma: no cover - Keras 3 always ships rich
        yield
        return
    saved = rich.console._is_jupyter
    rich.console._is_jupyter = lambda: False
    try:
        yield
    finally:
        rich.console._is_jupyter = saved


def keras_summary(model, width=64) -> str:
    """Keras' ``model.summary()`` as one string of at most ``width`` columns.

    Keras 3 renders the summary through rich (box characters, terminal width,
    several display outputs); collecting it through ``print_fn`` gives stable
    text that a notebook prints once.
    """
    if not hasattr(model, "summary") or not hasattr(model, "count_params"):
        raise ValueError(f"model must be a built Keras model; got {type(model).__name__}")
    if isinstance(width, bool) or not isinstance(width, int) or width < 40:
        raise ValueError(f"width must be an integer of at least 40 columns; got {width!r}")
    chunks = []
    with _no_rich_jupyter():
        model.summary(line_length=width, print_fn=lambda text, line_break=True: chunks.append(text))
    return "\n".join(chunk.rstrip("\n") for chunk in chunks)


def torch_summary(module) -> str:
    """A table of a PyTorch module's parameters: name, shape, count, and the total."""
    if not hasattr(module, "named_parameters"):
        raise ValueError(f"module must be a torch.nn.Module; got {type(module).__name__}")
    rows = [(name, "x".join(str(s) for s in p.shape), p.numel()) for name, p in module.named_parameters()]
    w = max([len("parameter")] + [len(r[0]) for r in rows])
    lines = [f"{'parameter':<{w}}  {'shape':>10}  {'count':>8}"]
    lines += [f"{name:<{w}}  {shape:>10}  {n:>8}" for name, shape, n in rows]
    lines.append(f"{'total':<{w}}  {'':>10}  {sum(r[2] for r in rows):>8}")
    return "\n".join(lines)
