# Every target sets up what it needs: a fresh machine only needs `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DIR ?=

.PHONY: run test unit e2e e2e-full bench screenshots snapshots system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## The wizard, on DIR when given (make run DIR=~/code/my-service), else on the bundled demo.
run: $(STAMP)
	@if [ -n "$(DIR)" ]; then $(BIN)/rustdock "$(DIR)"; else $(BIN)/rustdock --demo; fi

## The whole test suite: unit, pilot, snapshot, matrix and real image builds.
test: $(STAMP) system-deps
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q -rs -m 'not samples'

## Everything but the image builds (quick, no root needed).
unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m 'not e2e'

e2e: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -rs -m 'e2e and not samples'

## The e2e tier with the real-crate samples (tests/e2e/test_real_samples*.py): cold, far
## over make test's 30 minutes on a shared machine (tests/e2e/README.md has the figures).
e2e-full: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -rs -m e2e

## Build benchmarks on Docker (benchmarks/RESULTS.md). Full: 2 rounds x 3 edits (12 cold builds
## of a 209-crate service: hours on 2 cores); QUICK=1: 1 round x 2 edits, caching=none's rebuilds
## left out (6 cold builds).
bench: $(STAMP) system-deps
	$(BIN)/python -m benchmarks.run $(if $(QUICK),--quick,)

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

snapshots: $(STAMP)
	$(BIN)/python -m pytest -q tests/snapshot --snapshot-update

## Debian packages the image builds need (buildah, debootstrap); a no-op when present.
system-deps:
	@bash scripts/system-deps.sh

clean:
	rm -rf $(VENV) build *.egg-info
