# union-warehouse — everything a newcomer needs is `make demo` and `make test`.
# Bootstraps from nothing but Python 3.11 and make: a private uv in .tools/, the locked environment in .venv/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin

export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := False
export DAGSTER_HOME := $(CURDIR)/dagster_home
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

DBT_SOURCES := $(shell find dbt_project -name '*.sql' -o -name '*.yml' -o -name '*.csv' | grep -v -e target/ -e logs/)

# make bench SIZES="12x3 120x10 3000x10" adds the national size (~30 min: 30,000 files generated, 3 full runs)
SIZES ?= 12x3 120x10

.PHONY: bootstrap browser postgres office demo portal test test-fast lint bench eval probe samples clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	touch $@

# dagster-dbt loads the manifest; it is produced by `dbt parse`, never committed.
dbt_project/target/manifest.json: $(VENV)/.synced $(DBT_SOURCES)
	cd dbt_project && UWH_WORK_DB=target/parse-only.duckdb ../$(BIN)/dbt parse --quiet --project-dir . --profiles-dir .

bootstrap: $(VENV)/.synced dbt_project/target/manifest.json

demo: bootstrap
	$(BIN)/uwh demo

# The report is tested in a real headless browser (Debian chromium, CJK fonts); installed here when missing and root.
browser:
	@{ command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 ; } || { [ "$$(id -u)" = 0 ] && \
	  command -v apt-get >/dev/null 2>&1 && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	  chromium chromium-driver fonts-noto-cjk >/dev/null) ; } \
	  || echo "chromium unavailable: the browser test will be skipped"

# dbt's models are also built and tested on a throwaway PostgreSQL server (Debian's postgresql, installed when missing).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) ; } \
	  || echo "postgresql unavailable: the PostgreSQL build test will be skipped"

# LibreOffice (Debian) converts old .doc/.xls/.wps/.et submissions and renders the workbook; poppler reads the
# printed report back in tests. Writer is needed for Word files, Calc for sheets.
office:
	@{ command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && \
	  ls /usr/lib/libreoffice/program/libswlo.so /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1 ; } || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui \
	  libreoffice-writer-nogui poppler-utils fonts-noto-cjk >/dev/null) ; } \
	  || echo "libreoffice/poppler unavailable: old Office files are refused; workbook and print tests are skipped"

test: bootstrap browser postgres office
	$(BIN)/pytest -n 2 --dist loadfile

# Style, types and the layering of packages (pyproject.toml: [tool.ruff], [tool.mypy], [tool.importlinter]).
lint: bootstrap
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	cd dbt_project && ../$(BIN)/sqlfluff lint models
	@# the Dagster definitions load from defs/ (dg check defs, run inside the project's environment)
	@PATH=$(CURDIR)/$(VENV)/bin:$$PATH VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg check defs > $(VENV)/dg-check.log 2>&1 \
	  && echo "dg check defs: definitions load" || { cat $(VENV)/dg-check.log; exit 1; }

test-fast: bootstrap
	$(BIN)/pytest -n 2 -m "not e2e"

# The shared scorer on the real corpus and the samples, then per-file misses and the audit's unexplained money, then
# the headline score per split (bench/headline_score.py; corpus/README.md).
eval: bootstrap
	$(BIN)/python ../shared/tools/eval_extract.py ../shared/corpus/truth.jsonl ../shared/corpus --cmd "$(BIN)/uwh extract"
	$(BIN)/python ../shared/tools/eval_extract.py samples/truth.jsonl samples/landing --cmd "$(BIN)/uwh extract"
	$(BIN)/python bench/eval_report.py ../shared/corpus/truth.jsonl ../shared/corpus samples/truth.jsonl samples/landing
	@# the reader judged by what the city sums: shared corpus, our train split and the held-out split (never tuned on)
	$(BIN)/python bench/headline_score.py

bench: bootstrap
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_ocr.py
	$(BIN)/python bench/bench_pipeline.py --sizes $(SIZES)
	$(BIN)/python bench/bench_portal.py

# The districts' and the city's web portal on 127.0.0.1:8770 (make demo prints the demo accounts).
portal: bootstrap
	$(BIN)/uwh portal

# Bad and unusual inputs beside the samples, one real run: how many block the city, publish wrong data, are ignored.
probe: bootstrap
	$(BIN)/python bench/probe_bad_inputs.py

samples: bootstrap
	$(BIN)/python -m synth --out samples --seed 2026 --years 2021 2022 2023

clean:
	rm -rf landing archive warehouse reports receipts quarantine refused .work dbt_project/target dbt_project/logs
