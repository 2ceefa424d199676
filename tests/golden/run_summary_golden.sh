#!/bin/sh
# Golden test of the readable summary: runs `ttlx infer SAMPLE` (no --json)
# and compares stdout and the exit status, byte for byte, with the expected
# file (the status as a last line "--- exit N"). TTLX_UPDATE_GOLDEN=1
# rewrites the expected file instead.
#   run_summary_golden.sh TTLX SAMPLE EXPECTED [ARGS...]
set -u
ttlx=$1 sample=$2 expected=$3
shift 3
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$ttlx" infer "$@" "$sample" > "$actual"
echo "--- exit $?" >> "$actual"
if [ "${TTLX_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$actual" "$expected"
    echo "updated $expected"
    exit 0
fi
if ! cmp -s "$actual" "$expected"; then
    echo "summary golden mismatch for $sample (expected $expected):"
    diff -u "$expected" "$actual"
    exit 1
fi
echo "ok: $sample"
