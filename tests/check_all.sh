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
# terminal safety, did-you-mean and theme messages (tests/hardening/output.sh)
# and the did-you-mean scaling (bench/bench_didyoumean)
output_step() {
    for c in names didyoumean theme; do
        sh tests/hardening/output.sh "$PWD/${BUILD:-build}/ttlx" "$PWD" $c || return 1
    done
    "${BUILD:-build}/bench/bench_didyoumean" infer
}
step output output_step

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
out_names=$(grep '^output.names:' "$logs/output.log" | tail -1)
out_theme=$(grep '^output.theme:' "$logs/output.log" | tail -1)
dym_ms=$(sed -n 's/^did-you-mean: 10000 misspelt hint names in \([0-9]*\) ms.*/\1/p' "$logs/output.log" | tail -1)
dym() { sed -n "s/^infer *$1 misspelt hints:.*did-you-mean *\([0-9.]*\) s.*/\1/p" "$logs/output.log" | tail -1; }
echo "| terminal safety: names, paths, device, theme, script errors as \\x1b/\\u202e escapes; every stdout/stderr byte scanned | ${out_names#output.names: } |"
echo "| theme errors name the file; render --theme without --color says so | ${out_theme#output.theme: } |"
echo "| did-you-mean, 10,000 misspelt hint names (ttlx infer, whole run; was 20.3 s) | ${dym_ms:-?} ms |"
echo "| did-you-mean scaling, infer with 1k / 10k / 100k misspelt hints (s) | $(dym 1000) / $(dym 10000) / $(dym 100000) |"
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
