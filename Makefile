# The front door. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := 3.11
PYTHON ?= python3
# The bundled programme `make demo` plays: burkina-faso, small, or a YAML file of your own.
PROGRAMME ?= burkina-faso
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
STACK := $(PYTHON) deploy/local/stack.py
RUN := $(UV) run --frozen
# Load the stack's addresses (written by `make up`) for every recipe that needs them.
WITH_ENV := set -a; [ -f .env ] && source .env; set +a;

.PHONY: help install up down status logs lint typecheck schemas test unit middle integration e2e \
        chaos browser bench demo browsers clean services services-status recording tools \
        manifests deploy-check vendor-schemas web-app

help: ## Show this help
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

install: ## Install uv (from PyPI) if missing, then every workspace package and dev tool
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
	  || { echo "installing uv from PyPI"; $(PYTHON) -m pip install --quiet --user uv 2>/dev/null \
	       || $(PYTHON) -m pip install --quiet --break-system-packages uv; }
	$(UV) sync --frozen --all-packages
	npm ci --prefix tools/spec-check --no-audit --no-fund --ignore-scripts --loglevel=error
	$(MAKE) --no-print-directory web-app

web-app: ## Build the staff app (web/) from its lockfile: npm ci, then vite build into web/dist
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run -s build

up: ## Start Kafka (KRaft) and PostgreSQL as local processes; writes .env
	$(STACK) up

down: ## Stop the services, then the local stack (data kept; `stack.py down --purge` deletes it)
	$(PYTHON) deploy/local/services.py stop
	$(STACK) down

status: ## Is the local stack running?
	$(STACK) status

logs: ## Tail the local stack's logs
	$(STACK) logs --follow

services: install up ## Start the seven services (ports 8101-8107) and the staff app (8100)
	$(PYTHON) deploy/local/services.py start

services-status: ## Are the seven services and the staff app running and ready?
	$(PYTHON) deploy/local/services.py status

schemas: install ## Regenerate contracts/schemas and the AsyncAPI document after a contract change
	$(RUN) python -m reintegration_contracts.schemas write

lint: install ## ruff, import boundaries, contract schemas
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) lint-imports
	$(RUN) python -m reintegration_contracts.schemas check
	cd web && npm run -s typecheck && npm run -s lint

typecheck: install ## mypy (strict for contracts and sdk)
	$(RUN) mypy contracts/src sdk/src sdk/examples scenarios/src web/src $(wildcard services/*/src)
	MYPYPATH=deploy/local $(RUN) mypy deploy/local/reintegration_local deploy/local/stack.py \
	  deploy/local/services.py deploy/local/mirror.py deploy/bus.py deploy/capacity_inputs.py \
	  deploy/tools.py

unit: install ## Pure tests, no I/O (the staff app's with vitest)
	$(RUN) pytest -m unit
	cd web && npm run -s test

middle: install ## Handlers and reactions in memory: no broker, no database
	$(RUN) pytest -m middle

integration: install up ## Tests against the real broker and database
	$(WITH_ENV) $(RUN) pytest -m integration

e2e: install up ## All services over HTTP and Kafka
	$(WITH_ENV) $(RUN) pytest -m e2e

recording: install up ## Replay the small scenario and rewrite tests/recordings/small.jsonl
	$(WITH_ENV) $(RUN) python tests/recordings/record.py small

browsers: ## Debian's Chromium for the dashboard's browser test (apt; root or sudo)
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing Debian's chromium for the browser test"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

browser: install up browsers ## Tests in headless Chromium (the dashboard, the staff app)
	$(WITH_ENV) $(RUN) pytest -m browser

tools: ## kustomize and kubeconform from their pinned Go modules into .local/bin (once)
	$(PYTHON) deploy/tools.py

manifests: install ## Regenerate deploy/kubernetes from deploy/bus.toml and platform.toml
	$(RUN) python deploy/kubernetes/generate.py

deploy-check: install tools ## Offline: bus description, kustomize + kubeconform -strict, Compose schema
	$(RUN) pytest -m deploy

vendor-schemas: install ## Re-extract deploy/schemas from the pinned registry artifacts (Go, Maven, Java 21+)
	$(RUN) python deploy/schemas/vendor.py

test: install lint typecheck tools up browsers ## Everything CI runs: lint, types, every tier, the short fault suite (--chaos=short)
	$(WITH_ENV) $(RUN) pytest --chaos=short

chaos: install ## The full fault suite (--chaos=full): every fault, each on a private Kafka+PostgreSQL
	$(RUN) pytest tests/chaos --chaos=full -m chaos

bench: install up ## Benchmarks; prints tables and writes bench/results/*.json
	$(WITH_ENV) $(RUN) python -m bench

demo: install up ## Run the platform and a programme (PROGRAMME=burkina-faso unless given), the dashboard
	$(PYTHON) deploy/local/services.py start --offices bf,ml
	$(WITH_ENV) $(RUN) python -m reintegration_scenarios demo --programme $(PROGRAMME)

clean: ## Remove caches (not the stack's data)
	rm -rf .pytest_cache .mypy_cache .ruff_cache test-artifacts web/dist
