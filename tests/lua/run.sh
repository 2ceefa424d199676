#!/bin/sh
# run.sh TTLX EXPECTED ARGS... - runs `TTLX run ARGS...` and compares its
# stdout, stderr and exit status with the file EXPECTED; prints a diff and
# fails on any difference. UPDATE_EXPECTED=1 rewrites EXPECTED instead.
ttlx=$1
expected=$2
shift 2
out=$(mktemp) || exit 2
trap 'rm -f "$out" "$out.err"' EXIT
"$ttlx" run "$@" >"$out" 2>"$out.err"
rc=$?
{
  if [ -s "$out.err" ]; then
    echo "--- stderr"
    cat "$out.err"
  fi
  echo "--- exit $rc"
} >>"$out"
if [ "$UPDATE_EXPECTED" = 1 ]; then
  cp "$out" "$expected"
  exit 0
fi
if ! diff -u "$expected" "$out"; then
  echo "run.sh: 'ttlx run $*' differs from $expected (diff above: - expected, + got)"
  exit 1
fi
