# coa-e2e — see README.md. Every target that needs the environment runs `setup`
# first; scripts/setup.sh is idempotent and fast once everything is installed.
PYTEST ?= .venv/bin/pytest
WORKERS ?= 2
# Tutorial mode, a fixed seed and the committed baselines: the same screens every run.
SEED ?= 20240730
VISUAL ?= $(if $(wildcard baselines/*),compare,off)
RUN_FLAGS ?= --tutorial-mode --seed $(SEED) --visual=$(VISUAL) --keep-runs $(KEEP_RUNS)
COA := .venv/bin/coa-e2e
KEEP_RUNS ?= 10

.PHONY: setup test demo lint serve clean-reports baselines constraints

## setup: .venv + project (editable, with dev extras), Chromium, CJK fonts
setup:
	bash scripts/setup.sh

## test: every test — unit tests (tests/) and the end-to-end suite (scenarios/)
test: setup
	$(PYTEST) -n $(WORKERS) tests scenarios $(RUN_FLAGS)

## demo: the whole regression suite against the bundled mock, writing a run folder
## under reports/runs/ (report, screenshots, tutorials); exits non-zero if tests failed.
demo: setup
	@status=0; \
	echo "$(PYTEST) -n $(WORKERS) scenarios $(RUN_FLAGS) --alluredir=reports/allure-results"; \
	$(PYTEST) -n $(WORKERS) scenarios $(RUN_FLAGS) --alluredir=reports/allure-results || status=$$?; \
	echo ""; \
	echo "Reports (see reports/README.md):"; \
	echo "  reports/latest/index.html       the regression report (open it from disk)"; \
	echo "  reports/latest/tutorials/       regenerated tutorials, <id>/index.html"; \
	echo "  reports/latest/steps/           step manifests, one JSON per scenario run"; \
	echo "  reports/latest/screens/         screenshots per scenario"; \
	echo "  reports/latest/visual/          expected, actual and diff of each visual difference"; \
	echo "  reports/latest/traces/          Playwright traces of failed tests (.venv/bin/playwright show-trace <trace.zip>)"; \
	echo "  reports/runs/                   earlier runs (the newest $(KEEP_RUNS) are kept)"; \
	echo "  reports/allure-results/         allure generate reports/allure-results -o reports/allure-report --clean"; \
	if [ $$status -ne 0 ]; then echo "demo: tests FAILED (pytest exit status $$status)"; fi; \
	exit $$status

## lint: ruff lint + format check
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

## serve: run the bundled mock platforms
serve: setup
	$(COA) serve

## clean-reports: delete every run folder, keep reports/README.md
clean-reports:
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +

## baselines: rewrite every committed visual baseline and baselines/environment.json
## from a fresh run on this machine (review `git diff baselines/` before committing!)
baselines: setup
	find baselines -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
	$(PYTEST) -n $(WORKERS) scenarios --tutorial-mode --seed $(SEED) --visual=update

## constraints: pin what .venv has now (after a deliberate upgrade; then re-record baselines)
constraints:
	{ grep '^#' constraints.txt; .venv/bin/pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
