#!/bin/sh
# `ttlx solve`: usage errors and exit statuses, --apply into the file and
# into -o OUT (the written file re-infers with no error; a JSON file keeps
# its text outside the hints), run against the real binary.
#   run_solve_tests.sh TTLX SOURCE_DIR
set -u
ttlx=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# check NAME WANT_STATUS WANT_STDERR -- CMD...   (stdout not checked)
check() {
    name=$1 want_status=$2 want_err=$3
    shift 4
    "$@" > "$tmp/out" 2> "$tmp/err"
    status=$?
    if [ -z "$want_err" ]; then : > "$tmp/want"; else printf '%s\n' "$want_err" > "$tmp/want"; fi
    if [ "$status" != "$want_status" ]; then bad "$name: exit $status, expected $want_status"; cat "$tmp/err"
    elif ! cmp -s "$tmp/want" "$tmp/err"; then bad "$name: stderr differs:"; diff -u "$tmp/want" "$tmp/err"
    else ok; fi
}

mm=$src/samples/matmul_default.json
check no-file 2 "ttlx: solve needs a FILE
Try 'ttlx help solve'." -- "$ttlx" solve
check keep-unknown 2 "ttlx: $mm: keep: no buffer named \"Z\" in matmul" -- \
    "$ttlx" solve --keep A,Z "$mm"
check keep-empty 2 "ttlx: --keep takes buffer names separated by commas, not 'A,'
Try 'ttlx help solve'." -- "$ttlx" solve --keep A, "$mm"
check top-zero 2 "ttlx: --top takes a number from 1 to 1000, not '0'
Try 'ttlx help solve'." -- "$ttlx" solve --top 0 "$mm"
check top-word 2 "ttlx: --top takes a number from 1 to 1000, not 'five'
Try 'ttlx help solve'." -- "$ttlx" solve --top five "$mm"
check top-big 2 "ttlx: --top takes a number from 1 to 1000, not '1001'
Try 'ttlx help solve'." -- "$ttlx" solve --top 1001 "$mm"
check top-missing 2 "ttlx: --top needs a value
Try 'ttlx help solve'." -- "$ttlx" solve "$mm" --top
check objective 2 "ttlx: unknown objective 'speed' (known: l1, cores, headroom)
Try 'ttlx help solve'." -- "$ttlx" solve --objective speed "$mm"
check reserve-word 2 "ttlx: --reserve takes bytes up to the L1 bank (1382144 on wormhole_n150) or a percentage like 10%, not 'lots'
Try 'ttlx help solve'." -- "$ttlx" solve --reserve lots "$mm"
check reserve-pct 2 "ttlx: --reserve takes bytes up to the L1 bank (1461504 on blackhole_p150) or a percentage like 10%, not '101%'
Try 'ttlx help solve'." -- "$ttlx" solve --device blackhole_p150 --reserve 101% "$mm"
check reserve-negative 2 "ttlx: --reserve takes bytes up to the L1 bank (1382144 on wormhole_n150) or a percentage like 10%, not '-5'
Try 'ttlx help solve'." -- "$ttlx" solve --reserve -5 "$mm"
check o-without-apply 2 "ttlx: -o goes with --apply
Try 'ttlx help solve'." -- "$ttlx" solve -o "$tmp/x.json" "$mm"
check json-apply 2 "ttlx: --json and --apply do not go together
Try 'ttlx help solve'." -- "$ttlx" solve --json --apply "$mm"
check unknown-option 2 "ttlx: unknown option '--fast'
Try 'ttlx help solve'." -- "$ttlx" solve --fast "$mm"
check missing 2 "ttlx: /nonexistent/x.json: cannot open: No such file or directory" -- \
    "$ttlx" solve /nonexistent/x.json
check clean 0 "" -- "$ttlx" solve "$mm"
check reserve-ok 0 "" -- "$ttlx" solve --reserve 50% --top 1 "$mm"
check none-clean 1 "" -- "$ttlx" solve "$src/samples/hint_mistakes.json"

# --reserve 10% is a tenth of the bank, rounded down.
"$ttlx" solve --reserve 10% --top 1 "$mm" > "$tmp/r.txt"
if head -1 "$tmp/r.txt" | grep -qF "objective l1, reserve 138214 B per core"; then ok; else bad "reserve-10%:"; cat "$tmp/r.txt"; fi

# help solve prints the command's help.
"$ttlx" help solve > "$tmp/help.txt"
if head -1 "$tmp/help.txt" | grep -qF "Usage: ttlx solve [--objective l1|cores|headroom]"; then ok; else bad "help solve"; fi
"$ttlx" --help > "$tmp/all.txt"
if grep -qF "  ttlx solve [--objective O] [--top K] [--apply] FILE" "$tmp/all.txt"; then ok; else bad "overview row"; fi

# --apply into the JSON file itself: the hints of rank 1, the rest of the
# text byte for byte; the file now infers with no error and solving it
# again changes nothing.
cp "$src/samples/l1_overflow.json" "$tmp/ov.json"
check apply 0 "ttlx: wrote the hints of rank 1 to $tmp/ov.json" -- "$ttlx" solve --apply "$tmp/ov.json"
"$ttlx" infer "$tmp/ov.json" > /dev/null; st=$?
if [ $st = 0 ]; then ok; else bad "apply: re-infer exit $st"; fi
head -8 "$src/samples/l1_overflow.json" > "$tmp/head.want"
head -8 "$tmp/ov.json" > "$tmp/head.got"
if cmp -s "$tmp/head.want" "$tmp/head.got"; then ok; else bad "apply: text outside the hints changed:"; diff -u "$tmp/head.want" "$tmp/head.got"; fi
"$ttlx" solve --top 1 "$tmp/ov.json" > "$tmp/again.txt"
if grep -qxF "1. no change" "$tmp/again.txt"; then ok; else bad "apply: solving again changes:"; cat "$tmp/again.txt"; fi
"$ttlx" solve --json --top 1 "$src/samples/l1_overflow.json" > "$tmp/sol.json"
"$ttlx" infer --json "$tmp/ov.json" > "$tmp/ov.infer.json"
if grep -qF '"memory": "L1"' "$tmp/ov.infer.json"; then ok; else bad "apply: no L1 buffer after applying"; fi

# -o OUT: the source stays, OUT gets the hints (as TVMScript for a .py).
check apply-o 0 "ttlx: wrote the hints of rank 1 to $tmp/out.json" -- \
    "$ttlx" solve --apply -o "$tmp/out.json" "$src/samples/l1_overflow.json"
"$ttlx" infer "$tmp/out.json" > /dev/null; st=$?
if [ $st = 0 ]; then ok; else bad "apply-o: re-infer exit $st"; fi
if cmp -s "$tmp/out.json" "$tmp/ov.json"; then ok; else bad "apply-o: differs from applying in place:"; diff -u "$tmp/ov.json" "$tmp/out.json"; fi
check apply-py 0 "ttlx: wrote the hints of rank 1 to $tmp/out.py" -- \
    "$ttlx" solve --apply -o "$tmp/out.py" "$src/samples/l1_overflow.json"
"$ttlx" infer "$tmp/out.py" > /dev/null; st=$?
if [ $st = 0 ] && grep -q "@T.prim_func" "$tmp/out.py"; then ok; else bad "apply-py: exit $st"; fi
cp "$src/samples/l1_overflow.py" "$tmp/ov.py"
check apply-tvmscript 0 "ttlx: wrote the hints of rank 1 to $tmp/ov.py" -- "$ttlx" solve --apply "$tmp/ov.py"
"$ttlx" infer "$tmp/ov.py" > /dev/null; st=$?
if [ $st = 0 ]; then ok; else bad "apply-tvmscript: re-infer exit $st"; fi

# Nothing error-free: nothing applied, exit 1, the file untouched.
cp "$src/samples/hint_mistakes.json" "$tmp/hm.json"
check apply-none 1 "ttlx: $tmp/hm.json: no alternative without errors; nothing applied" -- \
    "$ttlx" solve --apply "$tmp/hm.json"
if cmp -s "$tmp/hm.json" "$src/samples/hint_mistakes.json"; then ok; else bad "apply-none: file changed"; fi

# --keep pins a hint: act keeps its 2x2 shard (and its errors).
"$ttlx" solve --keep act --top 1 --json "$src/samples/l1_overflow.json" > "$tmp/keep.json"; st=$?
if [ $st = 1 ] && grep -qF '"grid": [2, 2]' "$tmp/keep.json"; then ok; else bad "keep: exit $st"; cat "$tmp/keep.json"; fi

# A target that is not a regular file is refused; the source is untouched.
mkfifo "$tmp/fifo"
"$ttlx" solve --apply -o "$tmp/fifo" "$mm" > /dev/null 2> "$tmp/ferr"; st=$?
if [ $st = 2 ] && grep -qF "not a regular file" "$tmp/ferr"; then ok; else bad "apply-fifo: exit $st"; cat "$tmp/ferr"; fi

# A TVMScript twin solves to the same document as its JSON form.
for n in matmul_default l1_overflow two_kernels attention_nd; do
    "$ttlx" solve --json "$src/samples/$n.py" > "$tmp/py.json"
    "$ttlx" solve --json "$src/samples/$n.json" > "$tmp/js.json"
    if cmp -s "$tmp/py.json" "$tmp/js.json"; then ok; else bad "twin $n:"; diff -u "$tmp/js.json" "$tmp/py.json"; fi
done

# A function with no buffer: one alternative, no change, exit 0.
printf '{"name": "f", "buffers": []}' > "$tmp/empty.json"
"$ttlx" solve "$tmp/empty.json" > "$tmp/empty.txt"; st=$?
if [ $st = 0 ] && grep -qxF "1. no change" "$tmp/empty.txt"; then ok; else bad "empty: exit $st"; cat "$tmp/empty.txt"; fi

echo "solve: $pass passed, $fail failed"
[ "$fail" = 0 ]
