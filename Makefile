# The README's two commands: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= ../shared/data

.PHONY: demo test lint format bench clean install

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "formcoach needs Python 3.11: install it, or run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24,<27"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[all,ray,dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/formcoach demo --data $(DATA)

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/pose_throughput.py $(DATA)/videos/chauhan08_fitness__barbell-curl.mp4 --json
	$(BIN)/python benchmarks/count_latency.py --data $(DATA) --json
	$(BIN)/python benchmarks/judge_speed.py
	$(BIN)/python benchmarks/face_speed.py $(DATA)/faces/obama.jpg
	$(BIN)/python benchmarks/face_distances.py $(DATA)/faces --json
	$(BIN)/python benchmarks/speech_latency.py --data $(DATA)
	$(BIN)/python benchmarks/speech_thresholds.py --data $(DATA)
	$(BIN)/python benchmarks/batch_scaling.py --data $(DATA) --json
	$(BIN)/python benchmarks/batch_chunks.py --data $(DATA) --json
	$(BIN)/python benchmarks/soak.py --minutes 60 --json

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache
