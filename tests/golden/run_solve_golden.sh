#!/bin/sh
# Solve golden test: runs `ttlx solve [ARGS] SAMPLE` and compares stdout with
# the expected file byte for byte (a unified diff on mismatch), and the exit
# status with WANT (0: an error-free alternative exists, 1: none does).
# TTLX_UPDATE_GOLDEN=1 rewrites the expected file instead.
#   run_solve_golden.sh TTLX SAMPLE EXPECTED WANT [ARGS...]
set -u
ttlx=$1 sample=$2 expected=$3 want=$4
shift 4
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$ttlx" solve "$@" "$sample" > "$actual"
status=$?
if [ "${TTLX_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$actual" "$expected"
    echo "updated $expected"
    exit 0
fi
if ! cmp -s "$actual" "$expected"; then
    echo "solve golden mismatch for $sample (expected $expected):"
    diff -u "$expected" "$actual"
    exit 1
fi
if [ "$status" != "$want" ]; then
    echo "exit status $status, expected $want for $sample"
    exit 1
fi
echo "ok: solve $sample"
