# chipexport — set-up and checks. `make demo` and `make test` are the two commands a new user
# runs after `git clone` (README.md); both need nothing outside the repository.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.dev-installed
DEMO_OUT := demo-output

# Benchmarks only (never the tests) read the full public data set (lists, evaluation sets) that
# is not in the repository: `make bench SHARED=/path/to/it`, else bench/README.md says where
# bench looks for it.
SHARED ?=

.PHONY: install install-dev system-deps demo test test-fast lint bench screenshots clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

install-dev: $(DEVSTAMP)

$(DEVSTAMP): $(STAMP) requirements-dev.lock
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.lock
	@touch $@

# Debian packages the real-server tests need (PostgreSQL, Chromium). Installs only what is missing.
system-deps:
	@scripts/install-system-deps.sh

demo: install
	@mkdir -p $(DEMO_OUT)
	$(BIN)/chipexport lists load
	$(BIN)/chipexport lists status
	$(BIN)/chipexport screen "Huawei Technologies Co Ltd" --country CN
	$(BIN)/chipexport screen --input examples/orders.csv --output $(DEMO_OUT)/screening.jsonl --summary
	$(BIN)/chipexport check --input examples/transactions.jsonl --output $(DEMO_OUT)/determinations.jsonl --summary
	$(BIN)/chipexport check examples/transaction-h800.json --explain
	@echo "Results written to $(DEMO_OUT)/"

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: install-dev system-deps lint
	$(BIN)/python -m pytest -q

test-fast: install-dev
	$(BIN)/python -m pytest -q -m "not postgres and not slow"

bench: install-dev system-deps
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-bench.lock
	$(if $(SHARED),CHIPEXPORT_SHARED="$(SHARED)") $(BIN)/python -m bench

# Screenshots of each web page at 1280x800 into docs/screenshots/ (embedded in the README).
screenshots: install-dev system-deps
	$(BIN)/python -m scripts.screenshots

clean:
	rm -rf $(VENV) $(DEMO_OUT) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
