#!/bin/sh
# roundtrip.sh TTLX INPUT - exporting INPUT as tvmscript and as json and
# reading each back gives byte-identical `ttlx infer --json`.
ttlx=$1 input=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/ttlx-rt.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT INT TERM
"$ttlx" infer --json "$input" >"$dir/want" 2>&1
want=$?
for fmt in tvmscript json; do
    ext=py
    [ "$fmt" = json ] && ext=json
    "$ttlx" export --format $fmt -o "$dir/back.$ext" "$input" || exit 1
    "$ttlx" infer --json "$dir/back.$ext" >"$dir/got" 2>&1
    got=$?
    if [ "$want" -ne "$got" ] || ! cmp -s "$dir/want" "$dir/got"; then
        echo "$fmt round trip of $input changes the inference:"
        diff -u "$dir/want" "$dir/got" | head -60
        exit 1
    fi
done
echo "ok: $input"
