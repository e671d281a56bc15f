# tflc: set up a virtual environment, run the example, run the tests.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup example test test-python test-lit fuzz proto clean

$(BIN)/tflc-opt: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[test]'
	touch $@

setup: $(BIN)/tflc-opt

# Convert the bundled two-signature SavedModel, print its signatures, run one.
example: setup
	$(BIN)/tflc-convert --saved-model-dir examples/addsub_savedmodel --output-file addsub.tflite
	$(BIN)/python examples/run_example.py addsub.tflite

test-python: setup
	$(BIN)/python -m pytest -q test/python

test-lit: setup
	$(BIN)/lit -v test/filecheck

test: test-python test-lit

# Fuzz every parser and the options for FUZZ_SECONDS (reproducers go to FUZZ_FINDINGS).
FUZZ_SECONDS ?= 600
FUZZ_SEED ?= 0
FUZZ_FINDINGS ?= fuzz-findings
fuzz: setup
	$(BIN)/python test/fuzz/campaign.py --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED) --findings $(FUZZ_FINDINGS)

# Regenerate the protobuf modules (needs the dev extra: pip install -e '.[dev]').
proto:
	bash tflc/frontend/proto/regenerate.sh

clean:
	rm -rf $(VENV) addsub.tflite test/filecheck/*/Output
