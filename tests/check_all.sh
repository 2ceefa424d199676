#!/bin/sh
# make check-all: the test suite, the sanitizer suite, the hostile-input
# corpus, the valgrind sample and the fuzzers, then one table of numbers.
# Every step runs even when an earlier one fails; the exit status is 1 when
# any did. Logs go to build/check-all/.
set -u
cd "$(dirname "$0")/.."
logs=${BUILD:-build}/check-all
mkdir -p "$logs"
failed=""
t_start=$(date +%s)

step() { # NAME CMD...: runs CMD, logs it, records a failure
    name=$1
    shift
    s0=$(date +%s)
    printf 'check-all: %-11s ... ' "$name"
    if "$@" > "$logs/$name.log" 2>&1; then r=ok; else r=FAILED; failed="$failed $name"; fi
    echo "$r ($(( $(date +%s) - s0 )) s, log $logs/$name.log)"
}

step test make test
step asan-test make asan-test
step bad-inputs make bad-inputs
step valgrind make valgrind
step fuzz make fuzz

tests=$(grep -o '[0-9]* tests failed out of [0-9]*' "$logs/test.log" | tail -1)
asan=$(grep -o '[0-9]* tests failed out of [0-9]*' "$logs/asan-test.log" | tail -1)
bad=$(grep '^bad inputs:' "$logs/bad-inputs.log" | tail -1)
vg=$(grep '^valgrind:' "$logs/valgrind.log" | tail -1)
leaks=$(echo "$vg" | sed -n 's/.*failed, \([0-9]*\) bytes leaked.*/\1/p')
echo
echo "| check | result |"
echo "|---|---|"
echo "| ctest (gcc, -Werror) | ${tests:-not run} |"
echo "| ctest under ASan+UBSan | ${asan:-not run} |"
echo "| hostile inputs (tests/bad, exit 2 + exact message; hints exit 1 + codes) | ${bad#bad inputs: } |"
echo "| valgrind memcheck (samples + hostile sample) | ${vg#valgrind: } |"
echo "| leaks (valgrind definite + indirect, bytes) | ${leaks:-?} |"
echo
echo "| fuzz target | execs/s | total execs | cov | ft | crashes |"
echo "|---|---:|---:|---:|---:|---:|"
if [ -f "${FUZZ_BUILD:-build-fuzz}/fuzz-results.txt" ]; then
    tail -n +2 "${FUZZ_BUILD:-build-fuzz}/fuzz-results.txt" |
        awk '{printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}'
fi
echo
echo "check-all: $(( $(date +%s) - t_start )) s in all${failed:+; FAILED:$failed}"
[ -z "$failed" ]
