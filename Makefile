# Framescope: `make run` sets up and serves the demo (server and background worker); `make test` sets up and runs every test.
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup demo chromium axe clean

$(PY):
	"$$(scripts/find-python)" -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

setup: $(VENV)/.runtime-installed
	$(PY) manage.py migrate --noinput

demo: setup
	$(PY) manage.py load_demo

run: demo
	@echo
	@echo "Framescope is running at http://$(HOST):$(PORT)/ with its background worker"
	@echo "(log in with a login printed above; Ctrl+C stops both)"
	@echo
	PY=$(PY) scripts/serve $(HOST):$(PORT)

chromium:
	scripts/ensure-chromium

# axe-core (pinned in package.json / package-lock.json) for the browser tests' accessibility checks.
axe: node_modules/axe-core/axe.min.js
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

test: $(VENV)/.dev-installed chromium axe
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules
