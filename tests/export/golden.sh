#!/bin/sh
# golden.sh TTLX FORMAT INPUT EXPECTED [ARGS...] - `ttlx export` of INPUT
# must equal EXPECTED byte for byte, on stdout and through -o (the atomic
# writer). Prints a diff on mismatch. TTLX_UPDATE_GOLDEN=1 rewrites EXPECTED.
ttlx=$1 fmt=$2 input=$3 expected=$4
shift 4
dir=$(mktemp -d "${TMPDIR:-/tmp}/ttlx-export.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
if ! "$ttlx" export --format "$fmt" "$@" "$input" >"$dir/stdout" 2>"$dir/stderr"; then
    echo "ttlx export --format $fmt $input failed:"
    cat "$dir/stderr"
    exit 1
fi
if [ -n "$TTLX_UPDATE_GOLDEN" ]; then
    cp "$dir/stdout" "$expected"
    echo "updated $expected"
    exit 0
fi
if ! cmp -s "$dir/stdout" "$expected"; then
    echo "export --format $fmt of $input differs from $expected:"
    diff -u "$expected" "$dir/stdout" | head -200
    exit 1
fi
# The same bytes through -o, leaving no temporary file behind.
echo "old contents" >"$dir/out"
if ! "$ttlx" export --format "$fmt" "$@" -o "$dir/out" "$input"; then
    echo "export -o failed"
    exit 1
fi
if ! cmp -s "$dir/out" "$expected"; then
    echo "export -o wrote different bytes:"
    diff -u "$expected" "$dir/out" | head -50
    exit 1
fi
left=$(ls -A "$dir" | grep -v -x -e stdout -e stderr -e out)
if [ -n "$left" ]; then
    echo "temporary files left behind: $left"
    exit 1
fi
echo "ok: $fmt $input"
