# tflc: set up a virtual environment, run the example, run the tests.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

EXAMPLE_VENV ?= .venv-example

.PHONY: setup example lint test test-python test-lit docs fuzz fuzz-seeds proto clean

$(BIN)/tflc-opt: pyproject.toml requirements-nodeps.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[test]'
	$(BIN)/pip install --no-deps -r requirements-nodeps.txt
	touch $@

setup: $(BIN)/tflc-opt

# The example needs only tflc and its runtime dependencies: a venv of its own, no test extra.
$(EXAMPLE_VENV)/bin/tflc-convert: pyproject.toml
	$(PYTHON) -m venv $(EXAMPLE_VENV)
	$(EXAMPLE_VENV)/bin/pip install --upgrade pip
	$(EXAMPLE_VENV)/bin/pip install -e .
	touch $@

# Convert the bundled two-signature SavedModel, print its signatures, run one.
example: $(EXAMPLE_VENV)/bin/tflc-convert
	$(EXAMPLE_VENV)/bin/tflc-convert --saved-model-dir examples/addsub_savedmodel --output-file addsub.tflite
	$(EXAMPLE_VENV)/bin/python examples/run_example.py addsub.tflite

# ruff (settings in pyproject.toml; the generated protobuf modules are excluded) and mypy on tflc.
lint: setup
	$(BIN)/ruff check tflc test bench tools examples
	$(BIN)/mypy

# Two workers (the machines have 2 cores), each test file on one worker so its
# session fixtures (TensorFlow models) are built once.
PYTEST_WORKERS ?= 2
test-python: setup
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile test/python

test-lit: setup
	$(BIN)/lit -v test/filecheck

# Lint first: a lint error fails the run (CI runs `make test`).
test: lint test-python test-lit

# The documentation site (docs/, mkdocs.yml); the generated pages first.
docs: setup
	$(BIN)/python tools/gen_docs.py
	$(BIN)/mkdocs build --strict

# Fuzz every parser and the options for FUZZ_SECONDS in FUZZ_JOBS workers at low priority
# (reproducers go to FUZZ_FINDINGS, the counts per parser and outcome to FUZZ_SUMMARY).
FUZZ_SECONDS ?= 600
FUZZ_SEED ?= 0
FUZZ_JOBS ?= 2
FUZZ_FINDINGS ?= fuzz-findings
FUZZ_SUMMARY ?= fuzz-summary.md
FUZZ_SEEDS ?= fuzz-seeds
# The extra seed corpus (SavedModels and .tflite files the test suite's model scripts make with TensorFlow).
fuzz-seeds: setup
	$(BIN)/python test/fuzz/build_seeds.py $(FUZZ_SEEDS)

fuzz: setup
	nice -n 19 $(BIN)/python test/fuzz/campaign.py --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED) --jobs $(FUZZ_JOBS) \
		--findings $(FUZZ_FINDINGS) --summary $(FUZZ_SUMMARY) $(if $(wildcard $(FUZZ_SEEDS)),--seeds-dir $(FUZZ_SEEDS))

# Regenerate the protobuf modules (needs the dev extra: pip install -e '.[dev]').
proto:
	bash tflc/frontend/proto/regenerate.sh

clean:
	rm -rf $(VENV) $(EXAMPLE_VENV) addsub.tflite site test/filecheck/*/Output .mypy_cache .ruff_cache
