# The two commands: `make run` and `make test`. Each builds .venv from pyproject.toml when needed.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench bundle clean translations system-check

# Debian's own Python leaves venv's pip out (package python3-venv): installed as root, else named.
$(STAMP): pyproject.toml
	@python3 -c 'import ensurepip' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	  else echo "Python's venv is missing: sudo apt-get install python3-venv" >&2; exit 1; fi; }
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Both commands first check the Debian packages the Qt platform plugin links (and, for the tests,
# the tools they use); as root they are installed, otherwise the apt-get line is printed.
system-check: $(STAMP)
	$(PY) scripts/system_check.py

run: system-check
	$(VENV)/bin/gpc-portfolio

test: $(STAMP)
	$(PY) scripts/system_check.py --tests
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/python -m pytest -n auto --dist loadgroup --durations=25
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The self-contained app folder, dist/gpc-portfolio/ (PyInstaller; docs/install.md). The tests
# build the same spec and run the frozen program with every Python on the machine hidden.
bundle: $(STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/gpc-portfolio.spec
	@echo "Built dist/gpc-portfolio/: run dist/gpc-portfolio/gpc-portfolio"

# The English plural forms of the window's %n strings (portfolio/ui/translations.py).
translations: $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent resources/translations/gpc_portfolio_en.ts \
		-qm resources/translations/gpc_portfolio_en.qm

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
