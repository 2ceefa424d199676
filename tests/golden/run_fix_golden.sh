#!/bin/sh
# Golden test of `ttlx infer --fix`: runs `ttlx infer --fix -o OUT SAMPLE`
# and compares, byte for byte, its stdout, its exit status and the text of
# OUT with the expected file. Then runs `ttlx infer --fix` on a copy of
# SAMPLE (saving in place) and checks the copy equals OUT and the output
# is the same. TTLX_UPDATE_GOLDEN=1 rewrites the expected file instead.
#   run_fix_golden.sh TTLX SAMPLE EXPECTED
set -u
ttlx=$1 sample=$2 expected=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ext=${sample##*.}
"$ttlx" infer --fix -o "$dir/out.$ext" "$sample" > "$dir/stdout"
status=$?
{
    cat "$dir/stdout"
    echo "--- exit $status"
    echo "--- OUT"
    if [ -f "$dir/out.$ext" ]; then cat "$dir/out.$ext"; else echo "(not written)"; fi
} > "$dir/actual"
if [ "${TTLX_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$dir/actual" "$expected"
    echo "updated $expected"
    exit 0
fi
if ! cmp -s "$dir/actual" "$expected"; then
    echo "fix golden mismatch for $sample (expected $expected):"
    diff -u "$expected" "$dir/actual"
    exit 1
fi
cp "$sample" "$dir/copy.$ext"
"$ttlx" infer --fix "$dir/copy.$ext" > "$dir/stdout2"
if [ $? != "$status" ] || ! cmp -s "$dir/stdout" "$dir/stdout2"; then
    echo "infer --fix in place: output or status differs from -o OUT"
    diff -u "$dir/stdout" "$dir/stdout2"
    exit 1
fi
if [ -f "$dir/out.$ext" ] && ! cmp -s "$dir/copy.$ext" "$dir/out.$ext"; then
    echo "infer --fix in place: the saved file differs from OUT"
    diff -u "$dir/out.$ext" "$dir/copy.$ext"
    exit 1
fi
echo "ok: $sample"
