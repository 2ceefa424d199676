#!/bin/sh
# Valgrind memcheck over the samples and a sample of the hostile inputs:
# any memory error or definite/indirect leak fails (--error-exitcode), and
# the leaks are counted. Exits 77 (ctest SKIP_RETURN_CODE) without valgrind.
#   run_valgrind.sh TTLX SOURCE_DIR
set -u
ttlx=$1 src=$2
if ! command -v valgrind > /dev/null 2>&1; then
    echo "valgrind not installed: skipped (apt-get install valgrind)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=0 bad=0 leaked=0
vg() { # EXPECTED_STATUS CMD...
    want=$1
    shift
    runs=$((runs + 1))
    valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --log-file="$tmp/vg" "$@" > /dev/null 2> "$tmp/err"
    status=$?
    lost=$(sed -n 's/.*\(definitely\|indirectly\) lost: \([0-9,]*\) bytes.*/\2/p' "$tmp/vg" | tr -d , |
           awk '{s += $1} END {print s + 0}')
    leaked=$((leaked + lost))
    if [ "$status" != "$want" ] || [ -s "$tmp/vg" ]; then
        echo "FAIL (exit $status, expected $want): $*"; cat "$tmp/vg"; bad=$((bad + 1))
    fi
}
for f in "$src"/samples/*.json "$src"/samples/matmul_sharded.py "$src"/samples/two_kernels.py; do
    case $f in *l1_overflow*|*misaligned*|*halo*|*hint_mistakes*) want=1 ;; *) want=0 ;; esac
    vg $want "$ttlx" infer --json "$f"
done
for n in trunc_in_shape.json nesting_1001.json latin1_name.json nul_byte.json buffer_duplicate.json \
         shape_product_overflow.json functions_entry_bad_buffer.json py_attr_unbalanced.py \
         py_unbound_symbol.py py_trunc_docstring.py; do
    vg 2 "$ttlx" infer "$src/tests/bad/$n"
done
for n in nd_shard_order_bad.json shape_2p62_round_robin.json; do
    vg 1 "$ttlx" infer --json "$src/tests/bad/hints/$n"
done
# valgrind runs the script ~50x slower: its time budget is lifted here
# (memory errors are the point; the budget has its own tests)
vg 0 "$ttlx" run --lua-budget 0 "$src/scripts/sweep_grids.lua" "$src/samples/matmul_sharded.json" A
vg 0 "$ttlx" render --view tiles --width 100 --height 30 "$src/samples/attention_nd.json"
echo "valgrind: $runs runs, $bad failed, $leaked bytes leaked"
[ $bad = 0 ] && [ $leaked = 0 ]
