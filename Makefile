# Two commands on a fresh machine:  `make book`  and  `make test`.
# Both create .venv (Python 3.11) and install the exact lock, requirements.lock,
# on first use (requirements.txt is the human list of ranges; `make lock`).

SHELL  := /bin/bash
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NB     ?=
JOBS   ?= auto

.PHONY: help venv book test unit lint site-test bench bench-breakdown bench-scan experiments-scan train-lm experiments execute lab lock check-lock test-latest wheel-test clean train-seq2seq

help:
	@echo "make book     build the HTML book into _build/html (one build per edition, stored outputs)"
	@echo "make test     unit tests + every notebook of every edition under strict nbval"
	@echo "make unit     unit tests only (fast)"
	@echo "make lint     ruff check and ruff format --check of companion, tests, tools"
	@echo "make site-test  read the built book in headless Chromium (after make book)"
	@echo "make bench    time one LSTM layer in five implementations (CSV + plot; minutes)"
	@echo "make bench-breakdown  record where an LSTM step's time goes (minutes)"
	@echo "make bench-scan  time the loop against the scans of h_t = a_t h_(t-1) + b_t (minutes)"
	@echo "make experiments-scan  minGRU against the GRU on the recall task, 5 seeds (a few CPU minutes)"
	@echo "make train-lm retrain book/data/char_lstm.npz (deterministic, a few CPU minutes)"
	@echo "make experiments  re-record the book's comparisons over 5 seeds (a few CPU minutes)"
	@echo "make train-seq2seq  retrain the seq2seq chapter's 10 date models and book/data/seq2seq_runs.csv (deterministic, ~5 CPU minutes)"
	@echo "make execute  re-run notebooks in place and save their outputs (NB=path ... for some)"
	@echo "make lab      open JupyterLab on the book with the project's kernel"
	@echo "make lock     re-resolve requirements.txt into requirements.lock (exact versions, all platforms)"
	@echo "make check-lock  check that the lock resolves on Linux, macOS and Windows"
	@echo "make test-latest  the newest releases inside requirements.txt's ranges, all tests"
	@echo "make wheel-test   build a wheel, install it in a fresh venv, NumPy-only unit tests"
	@echo "make clean    remove _build"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

# The book renders the stored outputs that nbval checks: one strict Sphinx build
# per edition (its own interface language and search) plus the language picker,
# all from _config.yml and _toc.yml (tools/build_book.py; -W -n --keep-going).
# EXECUTE=1 runs every notebook again during the build (execute_notebooks: force).
EXECUTE ?=

book: $(STAMP)
	$(BIN)/python tools/build_book.py $(if $(EXECUTE),--execute,)
	@echo
	@echo "The book is built. Open $(CURDIR)/_build/html/index.html in a browser."

test: $(STAMP)
	$(BIN)/python -m pytest --nbval -n $(JOBS) --dist loadfile

unit: $(STAMP)
	$(BIN)/python -m pytest

# Lint the package, the tests and the scripts: the rules are in pyproject.toml
# ([tool.ruff.lint]).
lint: $(STAMP)
	$(BIN)/ruff check companion tests tools
	$(BIN)/ruff format --check companion tests tools

site-test: $(STAMP)
	REQUIRE_SITE_TEST=1 $(BIN)/python -m pytest tests/test_site.py

bench: $(STAMP)
	$(BIN)/python tools/bench_run.py --sizes tiny,small,medium --reps 5 --threads 1 --clock process --out book/data/bench_cpu.csv --plot _build/bench_cpu.png

# Where one time step's time goes (products, element-wise work, overhead), one
# thread, thread CPU time: writes book/data/bench_breakdown_cpu.csv and
# bench_kernels_cpu.csv, read by the performance chapter (minutes).
bench-breakdown: $(STAMP)
	$(BIN)/python tools/bench_breakdown.py

# The loop, the scans and the closed form of a linear recurrence, over T,
# channels and 1-2 threads: book/data/bench_scan_cpu.csv, read by the
# parallel-recurrence chapter (minutes).
bench-scan: $(STAMP)
	$(BIN)/python tools/bench_scan.py

# minGRU against the GRU on the recall task, 5 seeds, one thread:
# book/data/mingru_recall.csv; tests/test_mingru.py re-runs one seed.
experiments-scan: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python tools/experiments_scan.py

# The language-model chapter's checkpoint: an LSTM trained deterministically
# (seeded, one thread) in a few CPU minutes; tests/test_char_lm.py checks its
# validation perplexity. The same run records its learning curve and samples
# (book/data/char_lstm_curve.json, the inside-the-language-model chapter);
# tests/test_lm_curve.py re-runs its first steps.
train-lm: $(STAMP)
	$(BIN)/python tools/train_lm.py --out book/data/char_lstm.npz --curve book/data/char_lstm_curve.json

# The chapters' comparisons of trained models, five seeds each, deterministic
# (one thread): book/data/seeds_*.csv, read by the chapters;
# tests/test_experiments.py re-runs one row of each.
experiments: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python tools/experiments.py
train-seq2seq: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python tools/train_seq2seq.py

execute: $(STAMP)
	$(BIN)/python tools/nbtools.py execute $(NB)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=book $(if $(filter 0,$(shell id -u)),--allow-root,)

lock: $(STAMP)
	UV=$(BIN)/uv bash tools/lock.sh

# The lock resolves for Linux (x86_64, aarch64), macOS (arm64) and Windows.
check-lock: $(STAMP)
	UV=$(BIN)/uv bash tools/check_lock.sh

# A fresh venv with the newest releases that requirements.txt allows, then every
# test: a new numpy, keras or matplotlib that breaks the book shows up here first.
test-latest:
	rm -rf _build/latest-venv
	$(PYTHON) -m venv _build/latest-venv
	_build/latest-venv/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -r requirements.txt
	_build/latest-venv/bin/python -m pip install --quiet --no-deps -e .
	_build/latest-venv/bin/python -m pip freeze --exclude-editable > _build/latest-versions.txt
	diff <(grep -v '^#' requirements.lock | sed 's/ ;.*//' | sort -f) <(sed 's/+cpu$$//' _build/latest-versions.txt | sort -f) || true
	_build/latest-venv/bin/python -m pytest --nbval -n $(JOBS) --dist loadfile

# The package as users get it: a wheel (not editable) in a fresh venv, every
# module imported, and the unit tests that need nothing but NumPy.
wheel-test: $(STAMP)
	bash tools/wheel_test.sh $(BIN)/python

clean:
	rm -rf _build
