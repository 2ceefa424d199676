#!/bin/sh
# Hostile-input corpus: every input here (and the big ones generated below
# into a temporary directory) must make `ttlx infer FILE` exit 2 within the
# time limit, print nothing on stdout and exactly one stderr line, equal to
# NAME.expected ("ttlx: FILE:LINE:COL: what" or "ttlx: FILE: what"). Under
# a sanitizer build any report changes stderr and the status, so it fails.
# hints/*.json are hostile hints: not load errors, so exit 1 with the TTL
# codes listed in hints/NAME.expected ("CODE severity buffer" per line).
#   run_bad.sh TTLX SOURCE_DIR [TIME_LIMIT_MS]
set -u
ttlx=$1 src=$2 limit_ms=${3:-${TTLX_BAD_LIMIT_MS:-1000}}
case $ttlx in /*) ;; *) ttlx=$(pwd)/$ttlx ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
dir=$src/tests/bad
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in"
pass=0 fail=0 tried=0

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Inputs too big to commit, made at test time.
gen() {
    out=$tmp/in
    # 100 MB files: a buffer list, one long name, TVMScript, a 1 MB line.
    { printf '{"name": "f", "buffers": ['
      head -c 104857600 /dev/zero | tr '\0' ' '
      printf ']}\n'; } > "$out/gen_100mb_buffers.json"
    { printf '{"name": "'
      head -c 104857600 /dev/zero | tr '\0' 'x'
      printf '", "buffers": []}\n'; } > "$out/gen_100mb_name.json"
    { printf '@T.prim_func\ndef f(A: T.Buffer((64, 64), "int8")):\n'
      head -c 104857600 /dev/zero | tr '\0' '#'; } > "$out/gen_100mb_script.py"
    # 100 KB names: the PrimFunc's, and a duplicated buffer's.
    name=$(head -c 102400 /dev/zero | tr '\0' 'n')
    printf '{"name": "%s", "buffers": 5}\n' "$name" > "$out/gen_100kb_func_name.json"
    printf '{"name": "f", "buffers": [{"name": "%s", "shape": [1], "dtype": "int8"}, {"name": "%s", "shape": [1], "dtype": "int8"}]}\n' \
        "$name" "$name" > "$out/gen_100kb_buffer_name.json"
    printf '@T.prim_func\ndef f(%s: T.Buffer((64, 64), "int8"), %s: T.Buffer((64, 64), "int8")):\n    pass\n' \
        "$name" "$name" > "$out/gen_100kb_param_name.py"
    # 100,000-deep nesting, closed and unclosed.
    { head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; } \
        > "$out/gen_nesting_100000.json"
    head -c 100000 /dev/zero | tr '\0' '{' > "$out/gen_unclosed_100000.json"
    # 2,001 buffers, the last a duplicate of the first.
    { printf '{"name": "f", "buffers": ['
      i=0; while [ $i -lt 2000 ]; do printf '{"name": "B%d", "shape": [32, 32], "dtype": "int8"}, ' $i; i=$((i + 1)); done
      printf '{"name": "B0", "shape": [32, 32], "dtype": "int8"}]}\n'; } > "$out/gen_duplicate_after_2000.json"
}

# The committed inputs: every file with an .expected twin.
for e in "$dir"/*.expected; do
    name=$(basename "$e" .expected)
    case $name in gen_*) continue ;; esac
    set -- "$dir/$name".*
    for f in "$@"; do
        case $f in *.expected) ;; *) cp "$f" "$tmp/in/" ;; esac
    done
done
# Every input needs an expected message.
for f in "$dir"/*; do
    case $f in *.expected|*.sh|*/CMakeLists.txt|*/README.md|*/hints) continue ;; esac
    n=$(basename "$f"); n=${n%.*}
    if [ ! -f "$dir/$n.expected" ]; then echo "FAIL $f: no $n.expected"; fail=$((fail + 1)); fi
done
gen

cd "$tmp/in" || exit 1
for f in *; do
    name=${f%.*}
    tried=$((tried + 1))
    want=$dir/$name.expected
    if [ ! -f "$want" ]; then echo "FAIL $f: no expected message $want"; fail=$((fail + 1)); continue; fi
    t0=$(now_ms)
    timeout 20 "$ttlx" infer "$f" > "$tmp/out" 2> "$tmp/err"
    status=$?
    ms=$(( $(now_ms) - t0 ))
    sed "s|$tmp|@TMP@|g" "$tmp/err" > "$tmp/err.n"
    ok=1
    if grep -q 'Sanitizer\|runtime error\|LeakSanitizer' "$tmp/err"; then
        echo "FAIL $f: sanitizer report:"; head -30 "$tmp/err"; ok=0
    elif [ "$status" != 2 ]; then
        echo "FAIL $f: exit $status, expected 2"; ok=0
    fi
    if [ -s "$tmp/out" ]; then echo "FAIL $f: wrote to stdout"; ok=0; fi
    if [ "$(wc -l < "$tmp/err")" != 1 ]; then echo "FAIL $f: stderr is not one line"; ok=0; fi
    if ! grep -q "^ttlx: $f\(:[0-9]*:[0-9]*\)\{0,1\}: ." "$tmp/err"; then
        echo "FAIL $f: not 'ttlx: FILE[:LINE:COL]: what'"; ok=0
    fi
    if ! cmp -s "$want" "$tmp/err.n"; then
        echo "FAIL $f: message differs:"; diff "$want" "$tmp/err.n"; ok=0
    fi
    if [ "$ms" -gt "$limit_ms" ]; then echo "FAIL $f: took $ms ms (limit $limit_ms)"; ok=0; fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done

# Hostile hints: diagnostics, not load errors.
cd "$dir/hints" || exit 1
for f in *.json; do
    name=${f%.json}
    tried=$((tried + 1))
    t0=$(now_ms)
    timeout 20 "$ttlx" infer --json "$f" > "$tmp/out" 2> "$tmp/err"
    status=$?
    ms=$(( $(now_ms) - t0 ))
    ok=1
    if [ -s "$tmp/err" ]; then echo "FAIL hints/$f: stderr:"; head -30 "$tmp/err"; ok=0; fi
    if [ "$status" != 1 ]; then echo "FAIL hints/$f: exit $status, expected 1"; ok=0; fi
    sed -n 's/^ *{"code": "\(TTL[0-9]*\)", "severity": "\([a-z]*\)"\(, "buffer": "\([^"]*\)"\)\{0,1\}.*/\1 \2 \4/p' \
        "$tmp/out" | sed 's/ $//' > "$tmp/codes"
    if ! cmp -s "$name.expected" "$tmp/codes"; then
        echo "FAIL hints/$f: diagnostics differ:"; diff "$name.expected" "$tmp/codes"; ok=0
    fi
    if [ "$ms" -gt "$limit_ms" ]; then echo "FAIL hints/$f: took $ms ms (limit $limit_ms)"; ok=0; fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done

echo "bad inputs: $tried tried, $pass passed, $fail failed"
[ $fail = 0 ]
