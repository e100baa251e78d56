# The front door. `make test` passes the tests; `make conformance` is the main job.
SWIFT      ?= swift
CC         ?= gcc
CFLAGS     ?= -std=c11 -Wall -Wextra -Werror -O1
CTEST_DIR  := .build/ctests
CTESTS     := $(patsubst CTests/%.c,$(CTEST_DIR)/%,$(wildcard CTests/*.c))
SUBMISSION ?= Exercises
# A selection of rules for conformance and grade: chapters, concepts, ids, or prefixes like WAIT-*.
RULES      ?=

.PHONY: test conformance ctest ctests grade rules bench gil-demo build cmocka clean

## test: the C witnesses and the whole Swift test suite (installs libcmocka-dev when root).
test: ctest build
	$(SWIFT) test

## conformance: every rule against the reference implementation and the C witnesses on this kernel.
conformance: $(CTESTS) build
	.build/debug/conformance --ctests $(CTEST_DIR) $(RULES)

## ctests: build the cmocka witnesses into .build/ctests.
ctests: $(CTESTS)

## ctest: build and run the cmocka witnesses.
ctest: $(CTESTS)
	@for test in $(CTESTS); do echo "$$test"; $$test || exit 1; done

## grade: grade the student workspace, or SUBMISSION=path (a package depending on the kit).
grade:
	$(SWIFT) build --product grade
	.build/debug/grade --package $(SUBMISSION) $(RULES)

## bench: the reference's figures beside their peers (CPython ...), as ratios; writes reports/bench.json.
## ROWS=queue runs only the rows whose name contains a word of ROWS (and writes no report).
bench:
	$(SWIFT) build -c release --product bench
	@mkdir -p .build/peers
	@for peer in Benchmarks/peers/*.c; do \
	  $(CC) -O2 -o .build/peers/$$(basename $$peer .c) $$peer || echo "cannot build the C peer $$peer"; \
	done
	.build/release/bench $(ROWS)

## gil-demo: the GIL model measured: CPU-bound and IO-bound work on 1 thread, N threads and N processes.
gil-demo:
	$(SWIFT) build -c release --product gil-demo
	.build/release/gil-demo

## rules: regenerate RULES.md from the catalog.
rules: build
	.build/debug/conformance rules > RULES.md

build:
	$(SWIFT) build --build-tests

$(CTEST_DIR)/%: CTests/%.c CTests/witness.h | cmocka
	@mkdir -p $(CTEST_DIR)
	$(CC) $(CFLAGS) $< -lcmocka -pthread -o $@

## cmocka: make sure cmocka is installed; as root on Debian, install it.
CMOCKA_PROBE = printf '\#include <stdarg.h>\n\#include <stddef.h>\n\#include <stdint.h>\n\#include <setjmp.h>\n\#include <cmocka.h>\nint main(void) { return 0; }\n' \
	| $(CC) -x c - -lcmocka -o /dev/null >/dev/null 2>&1
cmocka:
	@if ! $(CMOCKA_PROBE); then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing libcmocka-dev"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcmocka-dev >/dev/null; \
	  fi; \
	  if ! $(CMOCKA_PROBE); then \
	    echo "cmocka is missing: install it with  sudo apt-get install libcmocka-dev" >&2; exit 1; \
	  fi; \
	fi

clean:
	rm -rf .build .build-grade reports
