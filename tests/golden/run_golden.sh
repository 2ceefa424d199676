#!/bin/sh
# Golden test: runs `ttlx infer --json [ARGS] SAMPLE` and compares stdout with
# the expected file byte for byte, printing a unified diff on mismatch. The
# exit status must be 1 when the expected output has an error diagnostic,
# else 0. TTLX_UPDATE_GOLDEN=1 rewrites the expected file instead.
#   run_golden.sh TTLX SAMPLE EXPECTED [ARGS...]
set -u
ttlx=$1 sample=$2 expected=$3
shift 3
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$ttlx" infer --json "$@" "$sample" > "$actual"
status=$?
if [ "${TTLX_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$actual" "$expected"
    echo "updated $expected"
    exit 0
fi
want=0
grep -q '"severity": "error"' "$expected" && want=1
if ! cmp -s "$actual" "$expected"; then
    echo "golden mismatch for $sample (expected $expected):"
    diff -u "$expected" "$actual"
    exit 1
fi
if [ "$status" != "$want" ]; then
    echo "exit status $status, expected $want for $sample"
    exit 1
fi
echo "ok: $sample"
