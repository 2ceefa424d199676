#!/bin/sh
# twin.sh TTLX JSON PY [ARGS...] - a TVMScript twin must give byte-identical
# `ttlx infer --json` output and the same exit status as its JSON sample.
ttlx=$1 json=$2 py=$3
shift 3
tmp=${TMPDIR:-/tmp}/ttlx-twin.$$
trap 'rm -f "$tmp.json" "$tmp.py"' EXIT INT TERM
"$ttlx" infer --json "$@" "$json" >"$tmp.json" 2>&1
sj=$?
"$ttlx" infer --json "$@" "$py" >"$tmp.py" 2>&1
sp=$?
if [ "$sj" -ne "$sp" ]; then
    echo "exit status differs: $json gives $sj, $py gives $sp"
    cat "$tmp.py"
    exit 1
fi
if [ "$sj" -eq 2 ]; then
    echo "bad input:"
    cat "$tmp.json"
    exit 1
fi
if ! cmp -s "$tmp.json" "$tmp.py"; then
    echo "output differs between $json and $py:"
    diff -u "$tmp.json" "$tmp.py"
    exit 1
fi
echo "ok: $py matches $json"
