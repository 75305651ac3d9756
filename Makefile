# The front door for developers. `make run` and `make test` are the two commands in README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-postgres lint format translations extract-messages browser icu ux-audit vendor-plotly lighthouse bench bench-postgres bench-country bench-growth bench-reconcile import-load mutants clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

## PyICU (Vietnamese collation) builds against the system's ICU: Debian's libicu-dev
icu:
	@pkg-config --exists icu-uc 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config g++ >/dev/null; \
	  else echo "PyICU needs libicu-dev, pkg-config and g++: install them first"; exit 1; fi; }

$(VENV)/.runtime: requirements.txt | $(BIN)/python icu
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python icu
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d tracker/translations --statistics

## Set up, build the SQLite database, load the demo data and serve on http://127.0.0.1:5000
run: $(VENV)/.runtime translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) run --host $(HOST) --port $(PORT)

## Set up and run the whole test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
test: $(VENV)/.dev translations browser
	$(BIN)/pytest

## Headless Chromium from Debian's packages for the browser journeys (needs root; skipped if not)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation2 >/dev/null; \
	  else echo "chromium is not installed: browser tests will be skipped"; fi; }

## Every page of every role in Vietnamese and English: overflow from 360 to 1366 px, axe-core,
## layout shift on officer pages; the report goes to bench/results/ux-audit.md (it runs in `make test` too)
ux-audit: $(VENV)/.dev translations browser
	$(BIN)/pytest -q tests/browser/test_ux_audit.py; status=$$?; echo "report: bench/results/ux-audit.md"; exit $$status

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r tracker
	$(BIN)/vulture

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Refresh the message catalogs after changing visible strings
extract-messages: $(VENV)/.dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -o tracker/translations/messages.pot --no-location --project "Outreach Tracker" . >/dev/null
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching
	@$(BIN)/python -c "from babel.messages.pofile import read_po; c = read_po(open('tracker/translations/vi/LC_MESSAGES/messages.po', 'rb')); m = [x.id for x in c if x.id and not x.string]; print(len(m), 'strings to translate'); [print('  ', i) for i in m]"

BENCH_DB ?= $(CURDIR)/bench/province.db
BENCH_PG ?= postgresql+psycopg://postgres@127.0.0.1:5432
BENCH_VENV := .venv-bench
COUNTRY := --officers 20000 --areas 3400 --provinces 34 --orgs 1000 --households 1500000 \
	--contacts 10000000 --enrollments 1000000

## Province on SQLite: generate once (about a minute), then measure every read users wait on
bench: $(VENV)/.dev translations
	$(BIN)/python bench/generate.py --reuse --database sqlite:///$(BENCH_DB)
	$(BIN)/python bench/run.py --database sqlite:///$(BENCH_DB) --repeat 20 --name province-sqlite

$(BENCH_VENV)/bin/locust: requirements-bench.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet -r requirements-bench.txt

## Province on PostgreSQL (database bench): the reads; then the load test with gunicorn + locust:
## 300 officers of the 34 provinces' offices on the country (database country, generated once,
## about 25 minutes), boards cached in the Redis of REDIS_URL (default 127.0.0.1:6379)
bench-postgres: $(VENV)/.dev translations $(BENCH_VENV)/bin/locust
	$(BIN)/python bench/generate.py --reuse --database $(BENCH_PG)/bench
	$(BIN)/python bench/run.py --database $(BENCH_PG)/bench --repeat 20 --name province-postgresql
	$(BIN)/python bench/generate.py --reuse --database $(BENCH_PG)/country $(COUNTRY)
	$(BIN)/python bench/load.py --database $(BENCH_PG)/country --users 300 --workers 2 --threads 8 \
	  --name load-postgresql

## Country on PostgreSQL (database country, about 15 minutes to generate), then the reads
bench-country: $(VENV)/.dev translations
	$(BIN)/python bench/generate.py --reuse --database $(BENCH_PG)/country $(COUNTRY)
	$(BIN)/python bench/run.py --database $(BENCH_PG)/country --repeat 10 --name country-postgresql

## The insurer's list of 10,000 and 100,000 people reconciled on SQLite (time and peak memory)
bench-reconcile: $(VENV)/.dev translations
	$(BIN)/python bench/reconcile.py --database sqlite:///$(CURDIR)/bench/reconcile.db --name reconcile-sqlite

## Growth: one province-shaped office at 100,000, 1,000,000 and 10,000,000 contacts on PostgreSQL
bench-growth: $(VENV)/.dev translations
	for size in 100000 1000000 10000000; do \
	  $(BIN)/python bench/generate.py --reuse --database $(BENCH_PG)/growth_$$size \
	    --contacts $$size --enrollments $$((size / 10)) || exit 1; \
	  $(BIN)/python bench/run.py --database $(BENCH_PG)/growth_$$size --repeat 10 --name growth-$$size || exit 1; \
	done

## A 20,000-row import under gunicorn while 8 writers log contacts, with its figures (SQLite, then
## PostgreSQL when TEST_DATABASE_URL is set); it also runs in the normal suite
import-load: $(VENV)/.dev translations
	$(BIN)/pytest -q -s tests/test_import_load.py

## Mutation testing of the pure modules (targets_math, periods): fails on a survivor not in
## tests/mutation_survivors.txt, where each allowed one is explained
mutants: $(VENV)/.dev
	rm -rf mutants
	$(BIN)/mutmut run >/dev/null 2>&1 || true
	$(BIN)/mutmut results 2>/dev/null | grep -v ': killed' | sed 's/^ *//' | sort > mutants/survivors.txt
	grep -v '^#' tests/mutation_survivors.txt | sort | diff - mutants/survivors.txt
	@echo "mutants: no survivor beyond the explained ones"

clean:
	rm -rf $(VENV) instance/tracker.db* .pytest_cache mutants

## plotly.js for the charts, from npm (no CDN at run time): the cartesian bundle (bar, scatter,
## heatmap: every trace tracker/charts.py draws) and the vi locale, made loadable in a page
PLOTLY_VERSION := 4.1.1
PLOTLY_LOCALES_VERSION := 3.7.0
vendor-plotly:
	rm -rf .npm-pack && mkdir -p .npm-pack static/vendor/plotly
	cd .npm-pack && npm pack --silent plotly.js-cartesian-dist-min@$(PLOTLY_VERSION) plotly.js-locales@$(PLOTLY_LOCALES_VERSION) >/dev/null
	tar xzf .npm-pack/plotly.js-cartesian-dist-min-$(PLOTLY_VERSION).tgz -C .npm-pack
	cp .npm-pack/package/plotly-cartesian.min.js .npm-pack/package/LICENSE static/vendor/plotly/
	@# Two defaults point at plotly's servers (map shapes, "edit in Chart Studio"): offline users
	@# have neither, so the vendored copy points them at our own static files and nowhere.
	sed -i -e 's|dflt:"https://cdn.plot.ly/un/"|dflt:"/static/vendor/plotly/topojson/"|' \
	  -e 's|dflt:"https://cloud.plotly.com/newchart"|dflt:""|' static/vendor/plotly/plotly-cartesian.min.js
	rm -rf .npm-pack/package && tar xzf .npm-pack/plotly.js-locales-$(PLOTLY_LOCALES_VERSION).tgz -C .npm-pack
	{ echo "// plotly.js-locales $(PLOTLY_LOCALES_VERSION) vi.js (MIT, see LICENSE), registered with the loaded Plotly: make vendor-plotly"; \
	  sed -e "s/^module.exports = {/Plotly.register({/" -e 's/^};$$/});/' -e "/^'use strict';$$/d" .npm-pack/package/vi.js; } \
	  > static/vendor/plotly/plotly-locale-vi.js
	rm -rf .npm-pack

## Lighthouse mobile performance of Today, Log contact and the dashboard on a gunicorn-served
## demo (Debian's chromium); figures in bench/results/lighthouse.md, recorded in docs/performance.md.
## Not in CI: scores measured on a shared machine vary.
LIGHTHOUSE_VERSION := 12.2.3
.lighthouse/node_modules/lighthouse/cli/index.js:
	mkdir -p .lighthouse && cd .lighthouse && npm install --no-audit --no-fund --silent -E lighthouse@$(LIGHTHOUSE_VERSION)

lighthouse: $(VENV)/.dev translations browser .lighthouse/node_modules/lighthouse/cli/index.js
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python bench/lighthouse.py
