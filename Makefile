# Two commands for a newcomer: `make demo` and `make test`. Both install what they need.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)

SOURCES := $(shell find src schema style jupyterlab_emr_schedule jupyter-config -type f -not -path '*/labextension/*' -not -name '_version.py' -not -path '*/__pycache__/*' 2>/dev/null) package.json pyproject.toml tsconfig.json

.PHONY: screenshots demo test lint test-unit test-server test-ui setup clean bench studio-venv demo-studio test-ui-studio capture-runs test-compat

setup: $(STAMPS)/installed

$(STAMPS):
	mkdir -p $(STAMPS)

# gssapi (pulled in by sparkmagic's Kerberos support) compiles against krb5; kinit is what
# %sm_analytics runs for Kerberos clusters; krb5kdc (krb5-kdc), kdb5_util and kadmin.local
# (krb5-admin-server) run the KDC of the demo's and the tests' Kerberos cluster (demo/local_kdc.py,
# its own database in a temporary folder). The packages' own system KDC is not started here: it
# has no realm database, and policy-rc.d, where present, stops it starting at all.
KRB5_PROGRAMS := krb5-config kinit /usr/sbin/krb5kdc /usr/sbin/kdb5_util /usr/sbin/kadmin.local
$(STAMPS)/system: | $(STAMPS)
	@for p in $(KRB5_PROGRAMS); do command -v $$p >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    libkrb5-dev krb5-user krb5-kdc krb5-admin-server; fi
	touch $@

$(STAMPS)/chromium: | $(STAMPS)
	@if [ ! -x /usr/bin/chromium ]; then \
	  apt-get update && apt-get install -y chromium; fi
	touch $@

$(STAMPS)/venv: requirements-dev.txt $(STAMPS)/system
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	# The sparkmagic kernels, so the demo's PySpark notebook has its kernel.
	SPARKMAGIC=$$($(BIN)/python -c 'import os, sparkmagic; print(os.path.dirname(sparkmagic.__file__))'); \
	for k in pysparkkernel sparkkernel; do \
	  $(BIN)/jupyter kernelspec install --sys-prefix --replace "$$SPARKMAGIC/kernels/$$k" >/dev/null; done
	touch $@

$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund
	touch $@

# A real, non-editable install: both halves land where JupyterLab looks for them.
$(STAMPS)/installed: $(STAMPS)/venv $(STAMPS)/npm $(SOURCES)
	npm run build:prod
	$(BIN)/pip install --quiet --no-build-isolation --no-deps --force-reinstall .
	touch $@

demo: setup
	$(BIN)/python demo/run.py

lint: $(STAMPS)/npm $(STAMPS)/venv
	npx eslint .
	node test/lint/importLayers.mjs
	npx prettier --check "**/*{.ts,.tsx,.js,.mjs,.json,.css}"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-unit: $(STAMPS)/npm
	npx jest

# Fixtures written by the TypeScript generators (test/fixtures/generate<Name>.ts prints
# JSON to test/server/fixtures/generated/<Name>.json), so the server tests check what the
# TypeScript writes against the real Python parts and the two cannot drift apart.
GENERATORS := $(wildcard test/fixtures/generate*.ts)
FIXTURES := $(STAMPS)/fixtures.done
$(FIXTURES): $(STAMPS)/npm $(shell find src/core test/fixtures -type f 2>/dev/null) tsconfig.fixtures.json
	mkdir -p test/server/fixtures/generated
	npx tsc -p tsconfig.fixtures.json
	for g in $(GENERATORS); do n=$$(basename $$g .ts); \
	  node $(STAMPS)/fixtures/test/fixtures/$$n.js > test/server/fixtures/generated/$${n#generate}.json || exit 1; done
	touch $@

test-server: setup $(FIXTURES)
	$(BIN)/python -m pytest test/server -q

# Rewrites test/fixtures/runs/ from real failing runs (not part of `make test`).
capture-runs: setup
	$(BIN)/python -m pytest test/server/capture_runs.py test/server/capture_kerberos_runs.py -q

test-ui: setup $(STAMPS)/chromium
	cd test/ui && npx playwright test

test: setup $(STAMPS)/chromium
	$(MAKE) lint
	$(MAKE) test-unit
	$(MAKE) test-server
	$(MAKE) test-ui
	$(MAKE) test-ui-studio
	$(MAKE) test-compat

# The Studio stack (README, "Studio stack"): JupyterLab 4.5 with SageMaker's scheduler plugin, in
# a venv of its own. This project goes in as a wheel of the tree `make setup` built (no second
# node build). `make demo-studio` is the demo on it, `make test-ui-studio` its UI tests.
STUDIO_VENV := $(STAMPS)/studio-venv
$(STAMPS)/studio-venv.done: requirements-studio.txt | $(STAMPS)
	test -x $(STUDIO_VENV)/bin/python || python3 -m venv $(STUDIO_VENV)
	$(STUDIO_VENV)/bin/pip install --quiet --upgrade pip
	$(STUDIO_VENV)/bin/pip install --quiet -r requirements-studio.txt
	SPARKMAGIC=$$($(STUDIO_VENV)/bin/python -c 'import os, sparkmagic; print(os.path.dirname(sparkmagic.__file__))'); \
	for k in pysparkkernel sparkkernel; do \
	  $(STUDIO_VENV)/bin/jupyter kernelspec install --sys-prefix --replace "$$SPARKMAGIC/kernels/$$k" >/dev/null; done
	touch $@

$(STAMPS)/studio-installed: $(STAMPS)/studio-venv.done $(STAMPS)/installed
	rm -rf $(STAMPS)/dist
	$(BIN)/pip wheel --quiet --no-build-isolation --no-deps -w $(STAMPS)/dist .
	$(STUDIO_VENV)/bin/pip install --quiet --no-deps --force-reinstall $(STAMPS)/dist/jupyterlab_emr_schedule-*.whl
	touch $@

studio-venv: $(STAMPS)/studio-installed

demo-studio: setup studio-venv
	$(BIN)/python demo/run.py --studio

test-ui-studio: setup studio-venv $(STAMPS)/chromium
	cd test/ui-studio && npx playwright test

# The JupyterLab range (README, "Requirements"): on the lowest release supported, in a venv of its
# own, and on the Studio venv's 4.5: `jupyter labextension list` says OK, our remote entry's
# requiredVersions are satisfied, and the page loads our plugin with no "Unsatisfied version"
# from it; on the lowest, a smoke run too (with the local AWS: toolbar button, panel, pickers,
# connect cell inserted). Then src/ is compiled against the lowest release's packages (npm, in a
# temporary directory). 4.6 is .venv's, checked by test/server/test_jupyterlab_range.py.
JL_LOWEST := 4.2.0
LOWEST_VENV := $(STAMPS)/jl-$(JL_LOWEST)-venv
$(STAMPS)/jl-lowest.done: $(STAMPS)/studio-installed
	test -x $(LOWEST_VENV)/bin/python || python3 -m venv $(LOWEST_VENV)
	$(LOWEST_VENV)/bin/pip install --quiet --upgrade pip
	$(LOWEST_VENV)/bin/pip install --quiet 'jupyterlab==$(JL_LOWEST)' $(STAMPS)/dist/jupyterlab_emr_schedule-*.whl
	$(LOWEST_VENV)/bin/pip install --quiet --no-deps --force-reinstall $(STAMPS)/dist/jupyterlab_emr_schedule-*.whl
	touch $@

test-compat: setup $(STAMPS)/jl-lowest.done $(STAMPS)/chromium
	$(BIN)/python test/compat/jupyterlab_range.py check $(LOWEST_VENV) --page --smoke
	$(BIN)/python test/compat/jupyterlab_range.py check $(STUDIO_VENV) --page
	$(BIN)/python test/compat/jupyterlab_range.py typecheck $(JL_LOWEST)

# SageMaker's EMR extension, which the benchmarks compare code sizes with: in a venv of its
# own, never in .venv. Its wheel is kept, so its files can be measured even if it cannot install.
BENCH_VENV := $(STAMPS)/bench-venv
$(STAMPS)/bench-venv.done: | $(STAMPS)
	test -x $(BENCH_VENV)/bin/python || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip download --quiet --no-deps -d $(BENCH_VENV)/wheels sagemaker-jupyterlab-emr-extension
	$(BENCH_VENV)/bin/pip install --quiet sagemaker-jupyterlab-emr-extension \
	  || echo "sagemaker-jupyterlab-emr-extension did not install; the benchmarks measure its wheel."
	touch $@

# The README's pictures (docs/panel.png, checks.png, runs.png), from a clean demo as a newcomer
# starts it (not part of `make test`).
screenshots: setup $(STAMPS)/chromium
	cd test/screenshots && npx playwright test

# Figures, not tests (not part of `make test`): see BENCHMARKS.md.
bench: setup studio-venv $(STAMPS)/chromium $(STAMPS)/bench-venv.done
	$(BIN)/python bench/run.py

clean:
	rm -rf $(STAMPS) lib jupyterlab_emr_schedule/labextension tsconfig.tsbuildinfo
