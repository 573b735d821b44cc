# coa-e2e — see README.md. Every target that needs the environment runs `setup`
# first; scripts/setup.sh is idempotent and fast once everything is installed.
PYTEST ?= .venv/bin/pytest
WORKERS ?= 2
# Tutorial mode, a fixed seed and the committed baselines: the same screens every run.
SEED ?= 20240730
VISUAL ?= $(if $(wildcard baselines/*),compare,off)
RUN_FLAGS ?= --tutorial-mode --seed $(SEED) --visual=$(VISUAL)
COA := .venv/bin/coa-e2e

.PHONY: setup test demo lint serve clean-reports baselines

## setup: .venv + project (editable, with dev extras), Chromium, CJK fonts
setup:
	bash scripts/setup.sh

## test: every test — unit tests (tests/) and the end-to-end suite (scenarios/)
test: setup
	$(PYTEST) -n $(WORKERS) tests scenarios $(RUN_FLAGS)

## demo: the whole regression suite against the bundled mock, writing reports/.
## Keeps going to say where the reports are, but exits non-zero if tests failed.
demo: setup
	@status=0; \
	echo "$(PYTEST) -n $(WORKERS) scenarios $(RUN_FLAGS) --alluredir=reports/allure-results"; \
	$(PYTEST) -n $(WORKERS) scenarios $(RUN_FLAGS) --alluredir=reports/allure-results || status=$$?; \
	$(COA) report || status=$$?; \
	$(COA) tutorials || status=$$?; \
	echo ""; \
	echo "Reports (see reports/README.md):"; \
	echo "  reports/index.html       the regression report (open it from disk)"; \
	echo "  reports/tutorials/       regenerated tutorials, reports/tutorials/<id>/index.html"; \
	echo "  reports/steps/           step manifests, one JSON per scenario run"; \
	echo "  reports/screens/         screenshots per scenario"; \
	echo "  reports/traces/          Playwright traces of failed tests (.venv/bin/playwright show-trace <trace.zip>)"; \
	echo "  reports/allure-results/  allure generate reports/allure-results -o reports/allure-report --clean"; \
	if [ $$status -ne 0 ]; then echo "demo: tests FAILED (pytest exit status $$status)"; fi; \
	exit $$status

## lint: ruff lint + format check
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

## serve: run the bundled mock platforms
serve: setup
	$(COA) serve

## clean-reports: delete generated reports, keep reports/README.md
clean-reports:
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +

## baselines: rewrite the committed visual baselines from a fresh run (review the diff!)
baselines: setup
	$(PYTEST) -n $(WORKERS) scenarios --tutorial-mode --seed $(SEED) --visual=update
