# congvan: make run (set up, ingest corpus/, serve) and make test (set up, run the tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
DB     ?= outputs/congvan.db
PORT   ?= 8001
STAMP  := $(VENV)/.installed

.PHONY: install install-system run ingest serve reprocess prune test check eval printed bench bench-scale clean
SYSTEM_PACKAGES := python3-venv make sqlite3 poppler-utils tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui chromium fonts-dejavu-core

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## install-system: Debian packages for OCR (tesseract + vie), legacy Word (LibreOffice), browser tests (chromium)
install-system:
	@if command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "install-system: no apt-get here; install $(SYSTEM_PACKAGES) by hand"; fi

## run: set up, ingest the bundled corpus into $(DB), and browse it at http://127.0.0.1:$(PORT)/
run: ingest serve

## ingest: load INPUT (files or folders; default the bundled corpus) into $(DB)
INPUT ?= corpus
ingest: install
	$(BIN)/congvan ingest $(INPUT) --db $(DB)

serve: install
	$(BIN)/congvan serve --db $(DB) --port $(PORT)

## reprocess: re-extract, from the stored text, the records an older pipeline version made
reprocess: install
	$(BIN)/congvan reprocess --db $(DB)

## prune: list the records whose files are gone; YES=1 removes them
prune: install
	$(BIN)/congvan prune --db $(DB) $(if $(YES),--yes,)

test: install
	$(BIN)/pytest

## check: lint and format (ruff) and types (mypy, settings in pyproject.toml)
check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## eval: score extraction per group (seeds, dev batch 1, dev batch 2, all dev, wild gold from the original
##       files), then original/text and OCR parity; VERBOSE=1 prints each document's misses
eval: install
	rm -rf outputs/eval
	$(BIN)/python scripts/eval.py --shared $(SHARED) $(if $(VERBOSE),--verbose,)
	@if [ -d $(SHARED)/corpus/dev/files ]; then \
	  echo "== originals vs text ($(SHARED)/corpus/dev/files)"; \
	  $(BIN)/python scripts/parity.py $(SHARED)/corpus/dev | tail -n 1; \
	  echo "== scanned originals read by OCR vs their text"; \
	  $(BIN)/python scripts/parity.py --ocr $(SHARED)/corpus/dev | tail -n 3; \
	fi

## printed: the wild originals judged file by file against what their pages print (tests/gold/printed)
printed: install
	rm -rf outputs/printed
	$(BIN)/congvan extract $(SHARED)/corpus/wild --out outputs/printed || true
	$(BIN)/python scripts/printed.py outputs/printed

## bench: throughput against underthesea and pdftotext, cost per stage, wild ingest time and memory
bench: install
	$(BIN)/python scripts/bench.py --shared $(SHARED)

## bench-scale: 100,000 generated dispatches (seeded): ingest time, peak memory, database size, query latency
bench-scale: install
	$(BIN)/python scripts/bench_scale.py --shared $(SHARED) --n $(or $(N),100000)

clean:
	rm -rf outputs/eval $(DB) $(DB)-wal $(DB)-shm
