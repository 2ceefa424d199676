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
# the Lua limits: budgets in C code, the core's memory under --lua-memory
# (64 references to one 16 MiB string, measured), scripts' file access
lua_step() {
    t="$PWD/${BUILD:-build}/ttlx"
    sh tests/hardening/lua_limits.sh "$t" "$PWD" || return 1
    for c in bounded keys memory access load_error; do
        sh tests/hardening/lua_round2.sh "$t" "$PWD" $c || return 1
    done
    d=$(mktemp -d) || return 1
    printf 'local s = ("x"):rep(16 << 20) local t = {} for i = 1, 64 do t[i] = s end print(#ttlx.json(t))\n' > "$d/refs.lua"
    /usr/bin/time -f 'refs64x16: %e s, %M KB max RSS' "$t" run --lua-memory 64 "$d/refs.lua" \
        samples/matmul_sharded.json > /dev/null 2> "$d/err"
    grep '^refs64x16:' "$d/err"
    rm -rf "$d"
}
step lua lua_step
# input checks: kernel extents that overflow (TTL010), duplicate JSON keys
# (TTL011), NFKC-equivalent names
step inputs ctest --test-dir "${BUILD:-build}" -R 'kernel_overflow|duplicate_keys|nfkc_names|test_names'

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
lua_lim=$(grep '^lua limits:' "$logs/lua.log" | tail -1)
lua_r2() { grep "^lua round 2 ($1):" "$logs/lua.log" | tail -1 | sed 's/^[^:]*: //'; }
refs=$(grep '^refs64x16:' "$logs/lua.log" | tail -1)
inputs=$(grep -o '[0-9]* tests failed out of [0-9]*' "$logs/inputs.log" | tail -1)
echo "| Lua budgets and caps (tests/hardening/lua_limits.sh) | ${lua_lim#lua limits: } |"
echo "| Lua functions that run in C end at the budget; key ordering of huge tables | $(lua_r2 bounded); $(lua_r2 keys) |"
echo "| the core's memory for a script counts against --lua-memory | $(lua_r2 memory) |"
echo "| 64 references to one 16 MiB string, --lua-memory 64 (was 13.5 s, 2.13 GB) | ${refs#refs64x16: } |"
echo "| scripts' file access without --trust; ttlx.load never quotes a file | $(lua_r2 access); $(lua_r2 load_error) |"
echo "| kernel extent overflow (TTL010), duplicate JSON keys (TTL011), NFKC names | ${inputs:-not run} |"
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
