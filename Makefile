# ttlx front door. `make run` and `make test` do everything on a fresh
# Debian 12 machine: install what is missing (as root), build, run or test.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
SAMPLE     ?= samples/matmul_sharded.json
# CI turns warnings into errors.
WERROR     ?= $(if $(CI),ON,OFF)
DEB_PACKAGES = cmake make gcc pkg-config libcjson-dev libncurses-dev \
               liblua5.4-dev libcmocka-dev tmux valgrind \
               lua-check clang-format
# Only `make fuzz` (and check-all) needs these: libFuzzer comes with clang.
FUZZ_PACKAGES = clang libclang-rt-14-dev
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all build deps run test asan asan-test bench clean help format format-check

all: build

help:
	@echo "make          build ttlx into $(BUILD)/"
	@echo "make run      install missing packages (as root), build, open the explorer on $(SAMPLE)"
	@echo "make test     build and run the whole test suite (ctest)"
	@echo "make asan-test  the tests under AddressSanitizer + UndefinedBehaviorSanitizer"
	@echo "make bench    build and run the benchmarks"
	@echo "make deps     install missing Debian packages ($(DEB_PACKAGES))"
	@echo "make format   clang-format every C source in place"
	@echo "make format-check  fail when a C source differs from .clang-format (CI runs it)"

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "ttlx: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "ttlx: missing Debian packages:$$missing"; \
	    echo "ttlx: install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DTTLX_WERROR=$(WERROR)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/ttlx $(SAMPLE)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTTLX_SANITIZE=ON -DTTLX_WERROR=ON

asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

asan-test: asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

bench: build
	@for b in $(BUILD)/bench/bench_*; do [ -x "$$b" ] && "$$b"; done

C_SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find core app tests bench -name '*.[ch]')

format: deps
	clang-format -i $(C_SOURCES)

format-check: deps
	clang-format --dry-run --Werror $(C_SOURCES)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

# ---- hardening (tests/bad, tests/fuzz) ------------------------------------
.PHONY: fuzz-deps fuzz-build fuzz bad-inputs valgrind check-all

fuzz-deps:
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(FUZZ_PACKAGES)"

$(FUZZ_BUILD)/CMakeCache.txt: | deps fuzz-deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DTTLX_FUZZ=ON -DTTLX_SANITIZE=ON -DTTLX_WERROR=ON \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link

fuzz-build: deps fuzz-deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers

# Every fuzz target for FUZZ_SECONDS (default 60) each; crashes land in
# tests/fuzz/regressions/TARGET/ and fail the run.
fuzz: fuzz-build
	sh tests/fuzz/run_fuzz.sh $(FUZZ_BUILD) . $(FUZZ_SECONDS)

# The hostile-input corpus alone (it also runs inside `make test`).
bad-inputs: build
	sh tests/bad/run_bad.sh $(BUILD)/ttlx .

valgrind: build
	sh tests/bad/run_valgrind.sh $(BUILD)/ttlx .

# Everything, then one table of the numbers.
check-all:
	sh tests/check_all.sh
