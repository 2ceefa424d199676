#!/bin/sh
# Golden test of `ttlx render`: renders one case and compares it with its
# expected file, printing a unified diff on mismatch.
#   run.sh TTLX SOURCE_DIR CASE          check expected/CASE.expected
#   run.sh TTLX SOURCE_DIR CASE --update rewrite it
# CASE is INPUT__VIEW[__BUFFER][@WxH]; INPUT is tests/render/inputs/INPUT.json
# or samples/INPUT.json. Frames are 100x32 unless @WxH names the size
# (80x24, the first-class size, has a golden for every view of every sample).
set -u
ttlx=$1 src=$2 case=$3 mode=${4:-}
here=$src/tests/render
width=100 height=32
base=${case%%@*}
if [ "$base" != "$case" ]; then
  size=${case#*@}
  width=${size%%x*} height=${size#*x}
fi
input=${base%%__*}
rest=${base#*__}
view=${rest%%__*}
buffer=
[ "$rest" != "$view" ] && buffer=${rest#*__}
file=$here/inputs/$input.json
[ -f "$file" ] || file=$src/samples/$input.json
if [ ! -f "$file" ]; then echo "render test $case: no input $input.json"; exit 1; fi
expected=$here/expected/$case.expected
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
set -- render --view "$view" --width "$width" --height "$height"
[ -n "$buffer" ] && set -- "$@" --buffer "$buffer"
# The input path is shown relative to the tree so output is the same anywhere.
(cd "$(dirname "$file")" && LC_ALL=C.UTF-8 NO_COLOR= "$ttlx" "$@" "$(basename "$file")") >"$out" 2>&1
rc=$?
if [ "$rc" -gt 1 ]; then echo "render test $case: ttlx exited with $rc"; cat "$out"; exit 1; fi
if [ "$mode" = "--update" ]; then cp "$out" "$expected"; echo "updated $expected"; exit 0; fi
if ! diff -u "$expected" "$out"; then
  echo "render test $case: output differs from $expected (diff above; rerun with --update to accept)"
  exit 1
fi
exit 0
