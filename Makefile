# callassist — the two commands are `make demo` and `make test`; both set up what is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench lint format clean system redis

setup: system $(STAMP) redis
	@$(BIN)/callassist prepare-demo

system:
	@deploy/setup/system-packages.sh

redis: system
	@deploy/redis/build.sh >/dev/null

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev,tune]'
	@# Whisper's tokenizer ranks (multilingual.tiktoken) ship in openai-whisper; its own dependencies
	@# (triton, numba …) are not needed for them, so it is installed alone.
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps openai-whisper==20250625
	@touch $(STAMP)

demo: setup
	$(BIN)/callassist demo

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m pytest -q -s tests/bench -p no:cacheprovider
	$(BIN)/callassist bench asr --json .bench/asr.json

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
