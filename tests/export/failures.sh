#!/bin/sh
# failures.sh TTLX SAMPLE - export failures are clean: exit 2, a message,
# the original output untouched, no temporary file left.
ttlx=$1 sample=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/ttlx-fail.XXXXXX") || exit 1
trap 'chmod -R u+w "$dir" 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

# Unknown format and missing arguments: usage errors.
"$ttlx" export --format pdf "$sample" 2>"$dir/err"; [ $? -eq 2 ] || fail "unknown format not 2"
grep -q "unknown format 'pdf'" "$dir/err" || fail "no unknown-format message"
"$ttlx" export "$sample" 2>"$dir/err"; [ $? -eq 2 ] || fail "missing --format not 2"
"$ttlx" export --format json 2>"$dir/err"; [ $? -eq 2 ] || fail "missing FILE not 2"

# A directory in the way of OUT: rename fails, the directory stays.
mkdir "$dir/outdir"
echo keep >"$dir/outdir/inside"
"$ttlx" export --format json -o "$dir/outdir" "$sample" 2>"$dir/err"
[ $? -eq 2 ] || fail "export over a directory did not fail with 2"
grep -q "outdir: cannot save: Is a directory" "$dir/err" || fail "no clear message: $(cat "$dir/err")"
[ "$(cat "$dir/outdir/inside")" = keep ] || fail "directory contents changed"
[ -z "$(ls -A "$dir" | grep ttlx-)" ] || fail "temporary file left: $(ls -A "$dir")"

# A missing directory: nothing is created.
"$ttlx" export --format json -o "$dir/missing/out.json" "$sample" 2>"$dir/err"
[ $? -eq 2 ] || fail "export into a missing directory did not fail with 2"
grep -q "cannot create a temporary file" "$dir/err" || fail "no clear message: $(cat "$dir/err")"

# An existing file keeps its permissions and is replaced whole.
echo "old" >"$dir/keep.json"
chmod 640 "$dir/keep.json"
"$ttlx" export --format json -o "$dir/keep.json" "$sample" || fail "export over a file failed"
[ "$(stat -c %a "$dir/keep.json")" = 640 ] || fail "permissions not kept"
grep -q '"buffers"' "$dir/keep.json" || fail "file not replaced"

# Bad input: exit 2 with the position, output untouched.
printf '@T.prim_func\ndef f(A: T.Buffer((n,), "int8")):\n    pass\n' >"$dir/bad.py"
echo "old" >"$dir/o.json"
"$ttlx" export --format json -o "$dir/o.json" "$dir/bad.py" 2>"$dir/err"
[ $? -eq 2 ] || fail "bad input not 2"
grep -q "bad.py:2:20: parameter 'A' shape: symbol 'n' is unbound" "$dir/err" || fail "message: $(cat "$dir/err")"
[ "$(cat "$dir/o.json")" = old ] || fail "output touched on bad input"
"$ttlx" export --format json --bind n=8 -o "$dir/o.json" "$dir/bad.py" || fail "--bind did not help"
echo "ok: export failures"
