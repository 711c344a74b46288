# The two commands: `make run` and `make test`. Each builds .venv from pyproject.toml when needed.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench bundle clean translations

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Both commands first check the Debian packages the Qt platform plugin links (and, for the tests,
# the tools they use); as root they are installed, otherwise the apt-get line is printed.
run: $(STAMP)
	$(PY) scripts/system_check.py
	$(VENV)/bin/gpc-portfolio

test: $(STAMP)
	$(PY) scripts/system_check.py --tests
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/python -m pytest
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

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
