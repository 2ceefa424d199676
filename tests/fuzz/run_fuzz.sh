#!/bin/sh
# Runs every libFuzzer target of BUILD_DIR for SECONDS each on a seed corpus
# copied from samples/, tests/, themes/ and scripts/ (nothing is duplicated
# in the tree), then prints execs/s, total execs, coverage and crashes per
# target, and writes the same table to BUILD_DIR/fuzz-results.txt.
# Crashes, leaks and timeouts are copied to tests/fuzz/regressions/TARGET/
# (commit them: the replay tests then keep them fixed) and fail the run.
#   run_fuzz.sh BUILD_DIR SOURCE_DIR [SECONDS] [TARGETS...]
set -u
build=$1 src=$2 secs=${3:-60}
shift 3 2>/dev/null || shift $#
targets=${*:-fuzz_json_loader fuzz_tvmscript fuzz_infer fuzz_theme fuzz_lua}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
results=$build/fuzz-results.txt
: > "$results"
total_crashes=0

seed() { # TARGET DIR: copy the seeds of TARGET into DIR
    t=$1 d=$2
    case $t in
    fuzz_json_loader) cp "$src"/samples/*.json "$src"/tests/bad/*.json "$src"/tests/bad/hints/*.json \
                         "$src"/tests/golden/*.expected "$d"/ 2>/dev/null ;;
    fuzz_tvmscript) cp "$src"/samples/*.py "$src"/tests/bad/*.py "$src"/tests/twins/*.py "$d"/ 2>/dev/null
                    for f in "$src"/tests/export/*tvmscript.expected; do [ -f "$f" ] && cp "$f" "$d"/; done ;;
    fuzz_infer) i=0; for f in "$src"/tests/bad/hints/*.json "$src"/samples/*.json; do
                    # the tt.user_layout object of each file, as the fuzzer reads '{...}' input
                    i=$((i + 1)); cp "$f" "$d/seed$i.json"; done ;;
    fuzz_theme) cp "$src"/themes/*.lua "$d"/ ;;
    fuzz_lua) cp "$src"/scripts/*.lua "$src"/scripts/lessons/*.lua "$d"/ 2>/dev/null
              cp "$src"/tests/lua/inputs/*.lua "$d"/ 2>/dev/null ;;
    esac
    cp "$src"/tests/fuzz/regressions/"$t"/* "$d"/ 2>/dev/null
    return 0
}

printf '%-18s %10s %12s %8s %8s %8s\n' target execs/s "total execs" cov ft crashes | tee -a "$results"
for t in $targets; do
    bin=$build/tests/fuzz/$t
    if [ ! -x "$bin" ]; then echo "run_fuzz: $bin not built" >&2; exit 2; fi
    mkdir -p "$work/$t/corpus" "$work/$t/art"
    seed "$t" "$work/$t/corpus"
    case $t in
    fuzz_json_loader) opts="-max_len=16384 -dict=$src/tests/fuzz/json.dict" ;;
    fuzz_tvmscript) opts="-max_len=16384 -dict=$src/tests/fuzz/tvmscript.dict" ;;
    fuzz_infer) opts="-max_len=4096 -dict=$src/tests/fuzz/json.dict" ;;
    fuzz_theme) opts="-max_len=8192" ;;
    fuzz_lua) opts="-max_len=4096 -dict=$src/tests/fuzz/lua.dict" ;;
    esac
    (cd "$work/$t" && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" $opts -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/$t/art/" corpus > log 2>&1)
    log=$work/$t/log
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    crashes=$(ls "$work/$t/art" | wc -l)
    if [ "$crashes" -gt 0 ]; then
        mkdir -p "$src/tests/fuzz/regressions/$t"
        cp "$work/$t/art"/* "$src/tests/fuzz/regressions/$t/"
        echo "run_fuzz: $t found $crashes crash(es), copied to tests/fuzz/regressions/$t/:" >&2
        grep -m5 'ERROR\|SUMMARY\|runtime error' "$log" >&2
    fi
    total_crashes=$((total_crashes + crashes))
    printf '%-18s %10s %12s %8s %8s %8s\n' "$t" "${rate:-?}" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$crashes" \
        | tee -a "$results"
done
[ "$total_crashes" = 0 ]
