"""One-call set-up for every chapter: seeds, precision, quiet TF, fixed widths.

The first code cell of each notebook is
``rng = companion.setup_notebook(...)``.
``seed_everything`` is called again right before a model is built, because
Keras and PyTorch draw initial weights when a layer is created.
"""

from __future__ import annotations

import os
import random
import sys

import numpy as np

from . import validate

FRAMEWORKS = ("tensorflow", "torch")

# Must be set before TensorFlow is imported: level 3 hides C++ info/warning
# lines, and TF_ENABLE_ONEDNN_OPTS=0 (TensorFlow's oneDNN custom operations
# off; its matrix products still call oneDNN's sgemm, block by block) removes
# both a per-machine log line and a source of run-to-run numerical differences.
_TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}

# What a library reads to size its text output: fixed, so that a chapter's
# outputs do not depend on the reader's terminal (tqdm, rich, shutil).
_TERMINAL_ENV = {"COLUMNS": "80", "LINES": "24"}


def quiet_tensorflow():
    """Set TensorFlow's logging environment (before ``import tensorflow``)."""
    os.environ.update(_TF_ENV)


def seed_everything(seed=0):
    """Seed Python, NumPy and, if loaded, TensorFlow/Keras and PyTorch.

    For Keras this also clears the session, so layer and model names start
    again at 'lstm', 'dense', ... and printed summaries do not depend on what
    ran before. Returns ``numpy.random.default_rng(seed)``.
    """
    seed = validate.seed("seed", seed)
    random.seed(seed)
    np.random.seed(seed)
    if "keras" in sys.modules or "tensorflow" in sys.modules:
        import keras
        import tensorflow as tf

        # free_memory=False: no gc.collect(), which costs a chapter with
        # TensorFlow and PyTorch loaded about 0.2 s a call and changes nothing
        keras.utils.clear_session(free_memory=False)
        keras.utils.set_random_seed(seed)
        tf.config.experimental.enable_op_determinism()
    if "torch" in sys.modules:
        import torch

        torch.manual_seed(seed)
        torch.use_deterministic_algorithms(True)
    return np.random.default_rng(seed)


def setup_notebook(seed=0, frameworks=(), torch_threads=None):
    """Prepare a chapter's kernel; return a seeded ``numpy.random.Generator``.

    seed: int; frameworks: names from ("tensorflow", "torch") to import and
    seed now (TensorFlow is made quiet and deterministic first).
    torch_threads: None to leave PyTorch's thread count alone, or a number,
    e.g. 1 for chapters with small matrices, so that results do not depend
    on the core count (needs "torch" in frameworks).
    With TensorFlow, Grappler (its graph optimiser) is switched off: traced
    functions run as traced, which is quicker for small models.
    Also fixes the terminal width the kernel reports (COLUMNS=80), NumPy's
    print precision (4 digits) and the book's matplotlib defaults.
    """
    if isinstance(frameworks, str):
        frameworks = (frameworks,)
    for name in frameworks:
        validate.one_of("frameworks item", name, FRAMEWORKS)
    if torch_threads is not None:
        torch_threads = validate.positive_int("torch_threads", torch_threads)
        if "torch" not in frameworks:
            raise ValueError('torch_threads needs "torch" in frameworks')
    os.environ.update(_TERMINAL_ENV)
    quiet_tensorflow()
    if "tensorflow" in frameworks:
        import keras  # noqa: F401  (imports tensorflow as its backend)
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
        # Grappler, TensorFlow's graph optimiser, rewrites every traced
        # function and every tf.data pipeline a `fit` starts (two per epoch).
        # For the book's small models that costs more than it saves (a third
        # of a 100-epoch `fit` here) and changes none of the chapters'
        # printed numbers; the functions then run as traced.
        tf.config.optimizer.set_experimental_options(
            {"disable_meta_optimizer": True}
        )
    if "torch" in frameworks:
        import torch

        if torch_threads is not None:
            torch.set_num_threads(torch_threads)
    np.set_printoptions(precision=4, suppress=True, linewidth=88)
    _matplotlib_defaults()
    return seed_everything(seed)


def _matplotlib_defaults():
    try:
        import matplotlib
    except ImportError:  # plots are optional for the package itself
        return
    matplotlib.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
        }
    )
