# Everyday actions. `make run` and `make test` work from a fresh clone.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | md5sum | cut -c1-12)
DEV_ENV := DEBUG=true

.PHONY: run serve test quality format system-deps test-system-deps install demo migrate bench lock clean

system-deps:
	@scripts/install-system-deps

test-system-deps:
	@scripts/install-system-deps --test

$(STAMP): pyproject.toml constraints.txt
	@python=$$(scripts/find-python) && \
	  { [ -x $(BIN)/python ] || $$python -m venv $(VENV); }
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: system-deps $(STAMP)

migrate: install
	@mkdir -p var
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input -v0

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_reference
	$(DEV_ENV) $(BIN)/python manage.py load_demo

run: demo
	@echo "Portail : http://127.0.0.1:$(PORT)/  – comptes de démonstration (mot de passe « demo ») : admin, coordination, ars"
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production-like on this machine: DEBUG off, gunicorn, static files collected and served by
# WhiteNoise, but plain HTTP (no TLS proxy here) and a throwaway SECRET_KEY unless one is set.
# No demo data is loaded (`make run` loads it once). See README, « Deployment ».
serve: install
	@mkdir -p var
	@export SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-localhost,127.0.0.1}" SECURE_SSL_REDIRECT=false \
	  SECURE_HSTS_SECONDS=0 PORT=$(PORT) && \
	$(BIN)/python manage.py migrate --no-input -v0 && \
	$(BIN)/python manage.py collectstatic --no-input -v0 && \
	echo "Portail (gunicorn) : http://127.0.0.1:$(PORT)/" && \
	exec $(BIN)/gunicorn -c portal/gunicorn.conf.py portal.wsgi

test: test-system-deps $(STAMP)
	SECRET_KEY=test-only-secret ALLOWED_HOSTS=localhost $(BIN)/pytest $(PYTEST_ARGS)

# Every target that imports Django needs GDAL & co. first (install = system-deps + venv).
quality: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

BENCH_DATABASE_URL ?= postgis://postgres@127.0.0.1:5432/bench_portal

BENCH_ENV := SECRET_KEY=bench-only ALLOWED_HOSTS=localhost DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_DATABASE_URL=$(BENCH_DATABASE_URL)

# Imports and lookups, then the public pages and the API under gunicorn (wrk as load generator);
# figures in var/bench/. The database BENCH_DATABASE_URL is dropped and rebuilt: a scratch one.
bench: install
	@scripts/install-system-deps --bench
	$(BENCH_ENV) $(BIN)/python scripts/bench_imports.py
	$(BENCH_ENV) $(BIN)/python scripts/bench_lookup.py
	$(BENCH_ENV) $(BIN)/python scripts/bench_pages.py
	$(BENCH_ENV) $(BIN)/python scripts/bench_api.py

lock: install
	$(BIN)/pip freeze --exclude-editable | grep -v '^pip==' > constraints.txt

clean:
	rm -rf $(VENV) var/ staticfiles/ .pytest_cache .ruff_cache
