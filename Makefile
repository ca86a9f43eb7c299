# Two commands on a fresh machine:  `make book`  and  `make test`.
# Both create .venv (Python 3.11) and install requirements.txt on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NB     ?=
JOBS   ?= 2

.PHONY: help venv book test unit site-test bench execute clean

help:
	@echo "make book     build the HTML book into _build/html (executes every notebook)"
	@echo "make test     unit tests + every notebook of every edition under strict nbval"
	@echo "make unit     unit tests only (fast)"
	@echo "make site-test  read the built book in headless Chromium (after make book)"
	@echo "make bench    time one LSTM layer in five implementations (CSV + plot; minutes)"
	@echo "make execute  re-run notebooks in place and save their outputs (NB=path ... for some)"
	@echo "make clean    remove _build"

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

# The book renders the stored outputs that nbval checks. EXECUTE=1 runs every
# notebook again during the build (a config copy with execute_notebooks: force).
EXECUTE ?=
BOOK_CONFIG = $(if $(EXECUTE),--config _build/_config_execute.yml,)

book: $(STAMP)
ifneq ($(EXECUTE),)
	@mkdir -p _build
	sed 's/^  execute_notebooks: .*/  execute_notebooks: force/' _config.yml > _build/_config_execute.yml
endif
	$(BIN)/jupyter-book build . -W -n --keep-going $(BOOK_CONFIG)
	@echo
	@echo "The book is built. Open $(CURDIR)/_build/html/index.html in a browser."

test: $(STAMP)
	$(BIN)/python -m pytest --nbval -n $(JOBS) --dist loadscope

unit: $(STAMP)
	$(BIN)/python -m pytest

site-test: $(STAMP)
	REQUIRE_SITE_TEST=1 $(BIN)/python -m pytest tests/test_site.py

bench: $(STAMP)
	$(BIN)/python bench/run.py --sizes all --reps 5 --threads 2 --out book/data/bench_cpu.csv --plot _build/bench_cpu.png

execute: $(STAMP)
	$(BIN)/python tests/nbtools.py execute $(NB)

clean:
	rm -rf _build
