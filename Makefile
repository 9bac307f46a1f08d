# Two commands do all the set-up on a fresh machine:
#   make run   — the platform on the embedded SQLite database, with demo data, at http://127.0.0.1:8000
#   make test  — lint, architecture and migration checks, then the whole test suite
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif
HOST ?= 127.0.0.1
PORT ?= 8000
RUN := $(UV) run --frozen --no-sync

.PHONY: run test setup lint messages bench

.venv/.synced: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || command -v uv >/dev/null || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

setup: .venv/.synced

run: setup
	@mkdir -p var
	$(RUN) kechuang migrate --noinput
	$(RUN) kechuang demo
	@echo ""
	@echo "  科创 Kechuang  →  http://$(HOST):$(PORT)/"
	@echo "  演示账号 / demo logins (password: kechuang-demo):"
	@echo "    admin          科技局管理员 bureau admin"
	@echo "    staff          科技局工作人员 bureau staff"
	@echo "    reporter_tjj   统计局填报员 statistics bureau reporter"
	@echo "    reporter_czj   财政局填报员 finance bureau reporter"
	@echo "    reporter_scjgj 市场监管局填报员 market regulation reporter"
	@echo "    enterprise_demo 企业用户 enterprise user"
	@echo "    expert_demo    专家 expert"
	@echo "    provider_demo  服务机构 service provider"
	@echo ""
	@# The task worker runs background work (large imports) beside the web server.
	$(RUN) kechuang db_worker & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	$(RUN) kechuang runserver $(HOST):$(PORT)

lint: setup
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) lint-imports
	$(RUN) kechuang makemigrations --check --dry-run

test: lint
	$(RUN) pytest $(PYTEST_ARGS)

messages: setup
	cd kechuang && $(CURDIR)/.venv/bin/kechuang makemessages -l en --no-obsolete && $(CURDIR)/.venv/bin/kechuang compilemessages -l en

bench: setup
	$(RUN) python benchmarks/indicators.py
	$(RUN) python benchmarks/criteria.py
	$(RUN) python benchmarks/enterprise_import.py
	$(RUN) python benchmarks/criteria_orm.py
	$(RUN) python benchmarks/draw.py
	$(RUN) python benchmarks/review_list.py
	$(RUN) python benchmarks/policies.py
	$(RUN) python benchmarks/vouchers.py
	$(RUN) python benchmarks/report.py
