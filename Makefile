# The front door. `make test` passes the tests; `make conformance` is the main job.
SWIFT      ?= swift
CC         ?= gcc
CFLAGS     ?= -std=c11 -Wall -Wextra -Werror -O1
CTEST_DIR  := .build/ctests
CTESTS     := $(patsubst CTests/%.c,$(CTEST_DIR)/%,$(wildcard CTests/*.c))
SUBMISSION ?= Exercises
# A selection of rules for conformance, grade and tsan: chapters, concepts, ids, or prefixes like WAIT-*.
RULES      ?=
# The reports' language: the tools read LC_ALL, LC_MESSAGES and LANG (zh_* is Chinese); `make grade LANG=zh` asks
# for Chinese even when LC_ALL says otherwise.
LANG_OPTION = $(if $(and $(filter command line,$(origin LANG)),$(filter zh%,$(LANG))),--lang zh)

.PHONY: ps-tools peers browser test tsan conformance ctest ctests grade rules guides fuzz bench gil-demo proc-states build cmocka clean

## test: the C witnesses and the whole Swift test suite (installs libcmocka-dev, procps and psmisc for
## ps and pstree, and the HTTP clients curl and wrk, when root; Python's requests with pip).
test: ctest build ps-tools peers
	$(SWIFT) test

## browser: headless Chromium renders a page from the HTTP server (installs chromium, when root).
browser: build
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "chromium is missing: install it with  sudo apt-get install chromium" >&2; exit 1; }
	$(SWIFT) test --skip-build --filter chromiumRendersAPage

## tsan: the threads chapter's reference checks under ThreadSanitizer (RULES= selects others). Every
## target is built with -sanitize=thread into .build/tsan, the reference-runner whose check processes
## run the checks included; a race report ends the check process (halt_on_error), so its rule fails
## with the report as its output.
tsan:
	SPEC_RULES="$(or $(RULES),threads)" TSAN_OPTIONS="halt_on_error=1 $(TSAN_OPTIONS)" \
	  $(SWIFT) test --sanitize=thread --scratch-path .build/tsan --filter referencePasses

## conformance: every rule against the reference implementation and the C witnesses on this kernel.
conformance: $(CTESTS) build
	.build/debug/conformance --ctests $(CTEST_DIR) $(LANG_OPTION) $(RULES)

## ctests: build the cmocka witnesses into .build/ctests.
ctests: $(CTESTS)

## ctest: build and run the cmocka witnesses.
ctest: $(CTESTS)
	@for test in $(CTESTS); do echo "$$test"; $$test || exit 1; done

## grade: grade the student workspace, or SUBMISSION=path (a package depending on the kit), or a whole class:
## SUBMISSIONS=folder (a copy of Exercises per student; summary.csv and summary.json in reports/). LANG=zh: in Chinese.
grade:
	$(SWIFT) build --product grade
	.build/debug/grade $(LANG_OPTION) $(if $(SUBMISSIONS),--submissions $(SUBMISSIONS),--package $(SUBMISSION)) $(RULES)

## bench: the reference's figures beside their peers (CPython ...), as ratios; writes reports/bench.json.
## ROWS=queue runs only the rows whose name contains a word of ROWS (and writes no report).
bench: peers
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && echo "installing nginx" && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; } \
	  || echo "cannot install nginx: its peer is missing"
	$(SWIFT) build -c release --product bench
	$(SWIFT) build -c release --product echo-server
	$(SWIFT) build -c release --product http-server
	$(SWIFT) build -c release --product ftp-server
	@mkdir -p .build/peers
	@python3.11 -c "import greenlet, gevent" 2>/dev/null || python3.11 -m pip install --quiet greenlet gevent \
	  || python3.11 -m pip install --quiet --break-system-packages greenlet gevent \
	  || echo "cannot install greenlet and gevent: their peers are missing"
	@python3.11 -c "import pyftpdlib" 2>/dev/null || python3.11 -m pip install --quiet pyftpdlib \
	  || python3.11 -m pip install --quiet --break-system-packages pyftpdlib \
	  || echo "cannot install pyftpdlib: its peer is missing"
	@for peer in Benchmarks/peers/*.c; do \
	  $(CC) -O2 -pthread -ISources/CSystem/include -o .build/peers/$$(basename $$peer .c) $$peer || echo "cannot build the C peer $$peer"; \
	done
	.build/release/bench $(ROWS)

## fuzz: libFuzzer (swiftc -sanitize=fuzzer,address) on the HTTP request parser for FUZZ_SECONDS (60), from the
## seeds in Fuzz/corpus; a crash, a hang (5 s) or a difference between reading an input whole and in two pieces
## leaves its input in .build/fuzz/.
FUZZ_SECONDS ?= 60
fuzz:
	@mkdir -p .build/fuzz/corpus
	swiftc -sanitize=fuzzer,address -parse-as-library -O Fuzz/HTTPRequestFuzz.swift Sources/Networking/HTTP/HTTPRequest.swift \
	  Sources/Networking/HTTP/HTTPRequestParser.swift Sources/Networking/HTTP/HTTPStatus.swift -o .build/fuzz/http-request
	cd .build/fuzz && SWIFT_BACKTRACE=enable=no ./http-request -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=5 \
	  corpus ../../Fuzz/corpus

## gil-demo: the GIL model measured: CPU-bound and IO-bound work on 1 thread, N threads and N processes.
gil-demo:
	$(SWIFT) build -c release --product gil-demo
	.build/release/gil-demo

## proc-states: the process states on real children, our STAT beside ps's, and a process tree as pstree draws it.
proc-states:
	$(SWIFT) build --product proc-states
	.build/debug/proc-states

## guides: regenerate the chapter guides in Guides/ from the catalog, the skeletons and the C witnesses.
guides: build
	.build/debug/conformance guides

## rules: regenerate RULES.md from the catalog.
rules: build
	.build/debug/conformance rules > RULES.md

build:
	$(SWIFT) build --build-tests

$(CTEST_DIR)/%: CTests/%.c CTests/witness.h | cmocka
	@mkdir -p $(CTEST_DIR)
	$(CC) $(CFLAGS) $< -lcmocka -pthread -o $@

## ps-tools: ps and pstree, which the states chapter compares itself with; as root on Debian, install them.
ps-tools:
	@if ! command -v ps >/dev/null || ! command -v pstree >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing procps and psmisc"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq procps psmisc >/dev/null; \
	  else \
	    echo "note: ps or pstree is missing (Debian packages procps, psmisc): STATE-11 is then unsupported" >&2; \
	  fi; \
	fi

## peers: what the servers are tested with that no one here wrote: curl, wrk and Python's requests
## (clients), pyftpdlib (a server the FTP rules are run against); as root on Debian, install them.
peers:
	@if ! command -v curl >/dev/null || ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing curl and wrk"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl wrk >/dev/null; \
	  else \
	    echo "note: curl or wrk is missing (Debian: curl wrk): clientsNoOneHereWrote fails" >&2; \
	  fi; \
	fi
	@python3 -c "import requests" 2>/dev/null || python3 -m pip install --quiet requests 2>/dev/null \
	  || python3 -m pip install --quiet --break-system-packages requests \
	  || echo "note: cannot install Python's requests: clientsNoOneHereWrote fails" >&2
	@python3 -c "import pyftpdlib" 2>/dev/null || python3 -m pip install --quiet pyftpdlib 2>/dev/null \
	  || python3 -m pip install --quiet --break-system-packages pyftpdlib \
	  || echo "note: cannot install pyftpdlib: pyftpdlibAgainstTheRules fails" >&2

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
