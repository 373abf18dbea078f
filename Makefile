# policylang — 两个命令: `make run` (安装，检查、测试每个地区并生成公开页面) 与 `make test` (运行全部测试)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup lint clean docs bench fuzz

$(BIN)/policylang: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/policylang

setup: $(BIN)/policylang

run: setup
	$(BIN)/policylang check regions/
	$(BIN)/policylang test regions/ --coverage
	$(BIN)/policylang doc regions/ -o docs/_build/html

docs: setup
	$(BIN)/sphinx-build -q -W docs docs/_build/site

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) build dist *.egg-info

# ---- editor tooling (policylang fmt / lsp, the VS Code extension under editors/vscode) --------------
VSCODE := editors/vscode
.PHONY: vscode-grammar vscode-test vscode-screenshot vsix bench-lsp

vscode-grammar: setup
	$(BIN)/python -m policylang.lsp.textmate

$(VSCODE)/node_modules: $(VSCODE)/package-lock.json
	cd $(VSCODE) && npm ci --no-audit --no-fund
	touch $@

vscode-test: $(VSCODE)/node_modules
	cd $(VSCODE) && npm test

vscode-screenshot: $(VSCODE)/node_modules
	cd $(VSCODE) && npm run screenshot

vsix: $(VSCODE)/node_modules
	cd $(VSCODE) && npm run package

bench-lsp: setup
	$(BIN)/python bench/lsp_latency.py

# Long fuzzing runs of the robustness properties (scripts of every region, stdlib and vocabulary mutated;
# claim files of every region mutated): the suite runs them with 80 examples, this with FUZZ_EXAMPLES each.
FUZZ_EXAMPLES ?= 20000
fuzz: setup
	POLICYLANG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/robustness -p no:cacheprovider -q
