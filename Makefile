# alliances: two commands. `make run` serves the platform with demo data; `make test` checks it.
# Everything is installed into .venv (Python, from requirements.lock) and node_modules (npm,
# from package-lock.json, with the Node.js that the lock file pins as a Python wheel).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.local

# What WeasyPrint needs from Debian for every PDF (certificates, reports, diagnostics,
# partnerships): Pango, HarfBuzz's subsetter, a font.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: run test install system-packages lint typecheck pytest lock messages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=python3.11).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	$(BIN)/npm ci --no-audit --no-fund --loglevel=error
	@touch $@

locale/fr/LC_MESSAGES/django.mo: locale/fr/LC_MESSAGES/django.po $(VENV)/.installed
	$(BIN)/alliances compile_translations

# Installs the Debian packages above when one is missing (as root, else through sudo).
system-packages:
	@libs=$$($$(command -v ldconfig || echo /sbin/ldconfig) -p 2>/dev/null); \
	  echo "$$libs" | grep -q libpango-1.0 && echo "$$libs" | grep -q libharfbuzz-subset \
	  && test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf && exit 0; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=; elif command -v sudo >/dev/null; then sudo=sudo; \
	  else echo "The PDFs need the Debian packages $(SYSTEM_PACKAGES): install them as root (apt-get install $(SYSTEM_PACKAGES))." >&2; exit 1; fi; \
	  echo "Installing $(SYSTEM_PACKAGES) for the PDFs"; \
	  { $$sudo apt-get update -qq && $$sudo apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES); } \
	  || { echo "Could not install $(SYSTEM_PACKAGES) with apt-get: install them, then run make again." >&2; exit 1; }

install: system-packages $(VENV)/.installed node_modules/.installed locale/fr/LC_MESSAGES/django.mo

run: install
	$(BIN)/alliances migrate --no-input
	$(BIN)/alliances load_demo
	@echo "Serving http://$(HOST):$(PORT)/ with the background worker. Ctrl-C stops both."
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/alliances worker & \
	  $(BIN)/alliances runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

pytest: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Maintainers: refresh the lock files after changing pyproject.toml or package.json.
lock: $(BIN)/python
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 -o requirements.lock
	$(BIN)/npm install --package-lock-only --no-audit --no-fund

# Maintainers: refresh the French catalogue after changing source strings (needs gettext).
messages: install
	$(BIN)/alliances makemessages --locale fr --no-obsolete --no-location $(MESSAGES_IGNORE)
	$(BIN)/alliances compile_translations

MESSAGES_IGNORE := --ignore node_modules --ignore var --ignore bench --ignore 'alliances/*/tests/*'

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
