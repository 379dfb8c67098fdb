# The two commands of the README: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Core install: native + anthropic backends, no torch. The source is compiled to bytecode as pip does for a
# wheel: an editable install otherwise compiles every module at each start where PYTHONDONTWRITEBYTECODE is set.
$(VENV)/.core: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q figtab schemas tiling extractors flows > /dev/null
	touch $@

# Tests need the dev tools and the paligemma extra (CPU torch from the pinned wheel).
$(VENV)/.dev: $(VENV)/.core
	$(BIN)/pip install --quiet -e '.[dev,paligemma]'
	touch $@

install: $(VENV)/.core
install-dev: $(VENV)/.dev

demo: $(VENV)/.core
	$(BIN)/figtab demo

# The report test opens `figtab show` output in a real headless browser: Debian's chromium (as root, e.g. on CI).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

test: $(VENV)/.dev $(CHROMIUM)
	$(BIN)/python -m pytest

bench: $(VENV)/.dev
	$(BIN)/python -m bench.pipeline

clean:
	rm -rf $(VENV) *.egg-info figtab.duckdb
