# Critical minerals report. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_SYS ?= python3.11
VENV       := .venv
PY         := $(VENV)/bin/python
STAMP      := $(VENV)/.requirements.stamp
DATA_MIRROR ?= ../shared/data/raw
PARAMS     ?= params/default.yml
REPORT_DIR ?= report
JOBS       ?= 2
# pytest workers (pytest-xdist); the session-wide reports are built once for all of them (tests/report_support.py)
TEST_JOBS  ?= 2
# The report date shown under the title and stamped in the PDF (2026-12-01 UTC): reproducible
# builds carry no clock time; move it forward when a new release of the report is published.
export SOURCE_DATE_EPOCH := 1796083200
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
# Byte-compiled modules are reused, not recompiled by every process and kernel (≈2 s each when
# this machine's environment sets PYTHONDONTWRITEBYTECODE); __pycache__ is ignored by git.
unexport PYTHONDONTWRITEBYTECODE
export DATA_MIRROR PARAMS REPORT_DIR

CFF_VERSION := 2.0.0
CFF_SHA256  := 573c825e4e16173d99396dc956bd22ff5d4f84215cc16b6ab05299124f5373bb
RAW_STAMP  := $(or $(CRITMIN_RAW),data/raw)/.verified
PROCESSED  := $(wildcard data/processed/*.csv)
# tables git does not hold (their sources' republishing terms are unconfirmed): built when missing
LOCAL      := $(addprefix data/processed/,trade.csv bgs_production.csv wmd_production.csv baci_supply.csv)
PKG        := $(shell find critmin -name '*.py' 2>/dev/null)

.PHONY: help setup data report test bench clean chromium check

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
	@echo "  Variables: PARAMS=$(PARAMS) REPORT_DIR=$(REPORT_DIR) DATA_MIRROR=$(DATA_MIRROR)"

$(STAMP): requirements.txt Makefile
	test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.txt
	echo "$(CURDIR)" > $$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/critmin.pth
	$(PY) -m compileall -q -j 2 $$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') >/dev/null
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	# The Citation File Format schema, read by tests/test_citation.py from cffconvert's wheel (its
	# own dependencies clash with our pins, so it is fetched, checked and never installed).
	$(PY) -m pip download -q --disable-pip-version-check --no-deps cffconvert==$(CFF_VERSION) -d $(VENV)/share/cff
	echo "$(CFF_SHA256)  $(VENV)/share/cff/cffconvert-$(CFF_VERSION)-py3-none-any.whl" | sha256sum -c --quiet
	touch $@

setup: $(STAMP) ## Create the virtual env from pinned requirements (uv)

$(RAW_STAMP): $(STAMP) data/sources.yml
	$(PY) -m critmin.ingest.fetch --mirror "$(DATA_MIRROR)"
	touch $@

# `make data` always runs the fetch (≈0.5 s when nothing is missing): it restores any raw copy that
# is missing or differs from data/sources.yml, whatever the stamp says.
# A fresh clone has no copy of the uncommitted tables: build just those; a pull that changes
# their recorded sha256 rebuilds the stale ones (touch: make then sees them as newer).
$(LOCAL) &: data/processed.sha256 | $(RAW_STAMP)
	$(PY) -m critmin.ingest.pipeline --missing
	touch $(LOCAL)

data: $(STAMP) ## Restore data/raw/ from DATA_MIRROR (size + sha256 of every file) and rebuild data/processed/
	$(PY) -m critmin.ingest.fetch --mirror "$(DATA_MIRROR)"
	touch $(RAW_STAMP)
	$(PY) -m critmin.ingest.pipeline

report: $(RAW_STAMP) $(LOCAL) ## Execute the notebooks with PARAMS and render REPORT_DIR (HTML + PDF); no-op if nothing changed
	$(PY) -m critmin.engine.build --params "$(PARAMS)" --report-dir "$(REPORT_DIR)" --jobs "$(JOBS)"
	@if [ "$(REPORT_DIR)" = report ] && [ "$(PARAMS)" = params/default.yml ]; then $(PY) -m critmin.sections.headlines --write-readme; fi

test: $(RAW_STAMP) $(LOCAL) ## Run the whole test suite (TEST_JOBS workers)
	$(PY) -m pytest -q -n $(TEST_JOBS)

check: $(RAW_STAMP) $(LOCAL) ## Check an article's figures: make check ARTICLE=path (writes build/check/data/claims_check.csv)
	@test -n "$(ARTICLE)" || { echo "usage: make check ARTICLE=path/to/article.txt" >&2; exit 2; }
	$(PY) -m critmin.claims check "$(ARTICLE)"

bench: $(RAW_STAMP) $(LOCAL) ## Time cold, no-op and one-mineral builds against the floor and the naive baseline
	$(PY) -m critmin.engine.bench

clean: ## Remove the virtual env, raw copies and build caches (committed outputs stay)
	rm -rf $(VENV) data/raw build .pytest_cache $(dir $(REPORT_DIR)).$(notdir $(REPORT_DIR)).tmp-*

chromium: ## Install headless chromium for the browser test if missing (apt; needs root)
	scripts/ensure_chromium.sh
