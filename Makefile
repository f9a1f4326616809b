# yuanqu — make demo | make test | make bench | make lint
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PORT   ?= 8000

.PHONY: install demo test test-sqlite test-postgres lint bench lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/yuanqu demo --port $(PORT)

# Installs chromium, postgresql and a Chinese font when missing, then runs the whole
# suite on SQLite and again on a throw-away PostgreSQL server.
test: install
	bash scripts/test-deps.sh
	bash scripts/run-tests.sh

test-sqlite: install
	bash scripts/run-tests.sh sqlite

test-postgres: install
	bash scripts/test-deps.sh
	bash scripts/run-tests.sh postgres

# bandit (no high-severity finding) and schemathesis over every API operation (no server
# error) on a throw-away demo database; CI runs it after make test.
.PHONY: security
security: install
	bash scripts/security.sh

lint: install
	$(VENV)/bin/ruff check yuanqu

bench: install
	$(PY) -m yuanqu.benchmarks

# Re-pin after changing dependencies in pyproject.toml.
lock:
	rm -rf /tmp/yuanqu-lock && python3 -m venv /tmp/yuanqu-lock
	/tmp/yuanqu-lock/bin/pip install -q --upgrade pip
	/tmp/yuanqu-lock/bin/pip install -q -e ".[test]"
	/tmp/yuanqu-lock/bin/pip freeze --exclude-editable | grep -v '^yuanqu' > requirements.lock

clean:
	rm -rf $(VENV) var
