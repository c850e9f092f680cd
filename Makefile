# mastery: `make demo` and `make test` are the whole set-up on a fresh
# Debian 12 machine with Swift 6.3. Both install the system packages that
# are missing (checked with dpkg -s first, so a warm machine skips it).

SWIFT ?= swift
# libxml2-dev: the C library we wrap. libxml2-utils: xmllint, the benchmark's baseline.
# python3-jsonschema: SARIF and Open Badges schema tests. python3-jwt, python3-cryptography: a second
# implementation that checks our credential signatures. python3-yaml: the example workflow test.
# valgrind: leak check of LibXML. poppler-utils: pdftotext, the text of PDF evidence in `mastery review`.
# bubblewrap, python3-pytest, util-linux (setpriv, prlimit): the sandbox and python-tests.
# python3-numpy: a test that numerical code runs under the sandbox's default memory limit.
# libsqlite3-dev: the ledger (GRDB uses the system SQLite). zlib1g-dev: GZIP of credential status lists.
APT_PACKAGES := poppler-utils libxml2-dev libxml2-utils python3-jsonschema python3-yaml python3-jwt python3-cryptography python3-numpy valgrind pkg-config bubblewrap python3-pytest util-linux libsqlite3-dev zlib1g-dev
BIN := .build/debug/mastery
SOAK_ITERATIONS ?= 200

# chromium: web criteria with render="browser" (and the tests of them). Installed by `make browser`,
# by `make test`, and by `make demo` only when a bundled rubric renders pages in a browser.
BROWSER_PACKAGES := chromium

.PHONY: all deps browser install build test demo leak-check bench generate docs format clean

all: build

deps:
	@$(MAKE) --no-print-directory install PACKAGES="$(APT_PACKAGES)"

browser:
	@$(MAKE) --no-print-directory install PACKAGES="$(BROWSER_PACKAGES)"

install:
	@missing=""; \
	for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

test: deps browser
	$(SWIFT) build --build-tests
	@$(BIN) sandbox check || true
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory leak-check

# The bundled rubrics validated, one explained as a teacher reads it, the
# example reviews imported into a fresh demo ledger, and every example
# submission graded, ending with a summary table. Exit statuses 1-4 are
# decisions (not yet, pending, invalid, grader error), not demo failures.
DEMO_LEDGER := .mastery/demo-ledger.sqlite
demo: build
	@if grep -rqs 'render="browser"' rubrics; then $(MAKE) --no-print-directory browser; fi
	$(BIN) validate rubrics
	@echo; echo "=== mastery explain rubrics/digital-literacy/rubric.xml"
	$(BIN) explain rubrics/digital-literacy/rubric.xml
	@echo; echo "=== mastery review --import submissions/reviews.xml (a fresh demo ledger)"
	@rm -f $(DEMO_LEDGER) $(DEMO_LEDGER)-wal $(DEMO_LEDGER)-shm
	$(BIN) review --import submissions/reviews.xml --ledger $(DEMO_LEDGER)
	@echo; echo "=== mastery grade submissions"
	@$(BIN) grade --ledger $(DEMO_LEDGER) submissions; status=$$?; \
	  echo "(exit status $$status: see README.md, Exit codes)"; [ $$status -le 4 ]

# Parse + validate + XPath + HTML in a loop under valgrind: no definite or indirect leak.
leak-check: deps
	$(SWIFT) build --product libxml-soak
	valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  --show-leak-kinds=definite,indirect --error-exitcode=1 \
	  .build/debug/libxml-soak rubrics/schema/microcredential.xsd rubrics/python-foundations/rubric.xml $(SOAK_ITERATIONS)
	@echo "leak-check: no leak"

bench: deps
	Benchmarks/validate.sh
	Benchmarks/grade.sh
	Benchmarks/python.sh
	Benchmarks/batch.sh
	Benchmarks/exercises.sh
	Benchmarks/web.sh
	Benchmarks/pathological.sh
	Benchmarks/plugin.sh

# Re-embed rubrics/schema/*.xsd after editing them (a test checks the copy is current).
generate:
	scripts/generate-schemas.sh

# Re-run the examples in README.md and docs/*.md and write their output (a test checks them).
docs: build
	scripts/update-doc-examples.py

# Format the sources with the toolchain's swift-format and .swift-format.
format:
	swift format -i -r Sources Tests Package.swift

clean:
	rm -rf .build
