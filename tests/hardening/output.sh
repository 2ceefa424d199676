#!/bin/sh
# What reaches a terminal, through the real binary:
#   names       a hostile PrimFunc (an OSC title sequence, BEL, newlines,
#               CSI, C1 U+0085/U+009B, bidi U+202E/U+2066 in the function,
#               buffer and axis names and a hint) and a hostile device
#               profile name, theme, script, --func and paths: every text
#               output shows them as \x1b / \u202e escapes (exact lines),
#               --json keeps exact JSON escapes, and the bytes of every
#               stdout and stderr hold no control, C1 or bidi character and
#               no invalid UTF-8 (--json: C1 and bidi are data)
#   didyoumean  10,000 hints for misspelt buffer names: every one gets its
#               suggestion (exact), and fast (was 20 s; the bound here is
#               5 s so that a loaded machine does not fail it)
#   theme       theme errors name the file ("theme PATH: ..."), for every
#               way a theme fails; render --theme without --color says it
#               has no effect
#   output.sh TTLX SOURCE_DIR CASE
set -u
ttlx=$1 src=$2 case=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
cd "$tmp" || exit 1
E=$(printf '\033')
BEL=$(printf '\007')

# scan FILE [json]: no byte that could steer a terminal: C0 controls but
# newline and tab, DEL, C1 (U+0080..U+009F), bidi controls and separators,
# invalid UTF-8 (the raw CSI byte 0x9b). json: C1 and bidi are data.
scan() {
    od -An -v -tx1 "$1" | tr -s ' ' '\n' | grep . | awk -v json="${2:-}" '
    function hex(h) { return (index("0123456789abcdef", substr(h, 1, 1)) - 1) * 16 + index("0123456789abcdef", substr(h, 2, 1)) - 1 }
    function nope(w) { printf "%s at byte %d\n", w, n; found = 1; exit 1 }
    function check(c) {
        if (json != "") return
        if (c >= 128 && c < 160) nope("C1 control")
        if ((c >= 8234 && c <= 8238) || (c >= 8294 && c <= 8297) || c == 8206 || c == 8207 || c == 1564 || c == 8232 || c == 8233) nope("bidi control")
    }
    { b = hex($1); n++
      if (need > 0) {
          if (b < 128 || b >= 192) nope("invalid UTF-8")
          cp = cp * 64 + b - 128
          if (--need == 0) check(cp)
          next
      }
      if ((b < 32 && b != 9 && b != 10) || b == 127) nope("control byte " $1)
      if (b < 128) next
      if (b >= 194 && b < 224) { need = 1; cp = b - 192 }
      else if (b >= 224 && b < 240) { need = 2; cp = b - 224 }
      else if (b >= 240 && b < 245) { need = 3; cp = b - 240 }
      else nope("invalid UTF-8 byte " $1)
    }
    END { if (!found && need) { print "UTF-8 cut at the end"; exit 1 } }'
}

# run NAME WANT_STATUS CMD...: stdout in NAME.out, stderr in NAME.err,
# both scanned (NAME.out as JSON when NAME ends in _json)
run() {
    name=$1 want=$2
    shift 2
    timeout 30 "$@" > "$name.out" 2> "$name.err" < /dev/null
    st=$?
    [ "$st" = "$want" ] && ok || bad "$name: exit $st, expected $want"
    case $name in *_json) j=json ;; *) j= ;; esac
    why=$(scan "$name.out" $j) && ok || bad "$name: stdout: $why"
    why=$(scan "$name.err") && ok || bad "$name: stderr: $why"
}
# has NAME FILE LINE: FILE (out or err of NAME) holds exactly this line
has() {
    grep -qxF -- "$3" "$1.$2" && ok || {
        bad "$1: no line '$3' in $2:"
        sed 's/^/  | /' "$1.$2"
    }
}
# is NAME FILE TEXT: FILE is exactly TEXT
is() {
    printf '%s\n' "$3" > want
    cmp -s want "$1.$2" && ok || { bad "$1: $2 differs:"; diff -u want "$1.$2"; }
}

case $case in
names)
    printf '%s' '{"name": "f\u001b]0;pwned\u0007\nforged", "buffers": [
 {"name": "A\u001b[31m\u009b2J\u202eevil\u2066", "shape": [64, 64], "dtype": "bfloat16"},
 {"name": "B", "shape": [64, 64], "dtype": "bfloat16", "role": "output"}],
 "kernel": [2, 2],
 "attrs": {"tt.user_layout": {"A\u001b[31m\u009b2J\u202eevil\u2066": {"memory": "L1",
   "layout": "sharded", "nd_shard": {"axes": ["M\u001b", "N"], "grid": [2, 2],
   "shard_shape_elems": [32, 32]}}, "X\u0085\n": {"memory": "L1"}}}}' > h.json
    A='A\x1b[31m\u009b2J\u202eevil\u2066'
    F='f\x1b]0;pwned\x07\x0aforged'
    run infer 1 "$ttlx" infer h.json
    has infer out "$F on wormhole_n150: 8x8 cores, 1,382,144 B L1 per core, 12 DRAM banks"
    has infer out "$A  [64, 64] bfloat16  L1 sharded  (error)"
    has infer out "  error   TTL003 $A: axes [\"M\x1b\", \"N\"] lack \"M\": the shard grid projects M to core rows and N to columns"
    has infer out '  warning TTL011 X\u0085\x0a: hint for unknown buffer "X\u0085\x0a"'
    [ "$(wc -l < infer.out)" = 27 ] && ok || bad "infer: $(wc -l < infer.out) lines, not 27: a name forged a line"
    # --json: exact JSON escapes for C0; C1 and bidi are data
    run infer_json 1 "$ttlx" infer --json h.json
    has infer_json out '  "func": "f\u001b]0;pwned\u0007\nforged",'
    grep -qF '"tt.buffer.A\u001b[31m' infer_json.out && ok || bad "infer --json: the buffer key is not escaped"
    # --func: the listing of the functions
    run func 2 "$ttlx" infer --func "g${E}[2J" h.json
    is func err "ttlx: h.json: no function named 'g\x1b[2J' (it has: $F)"
    # a device profile's name
    printf '{"name": "dev\\u001b]0;t\\u0007\\n\\u202eX\\u009b", "grid": [8, 8], "l1": 1499136, "l1_bank": 1382144, "dram_banks": 12, "dram_bank": 1073741792, "dram_align": 32, "l1_align": 16, "max_cbs": 32, "dispatch": "tensix"}' > dev.json
    run device 1 "$ttlx" infer --device dev.json h.json
    has device out "$F on dev\x1b]0;t\x07\x0a\u202eX\u009b: 8x8 cores, 1,382,144 B L1 per core, 12 DRAM banks"
    run render_device 1 "$ttlx" render --device dev.json --width 120 --height 30 h.json
    grep -qF "| dev\x1b]0;t\x07\x0a\u202eX\u009b |" render_device.out && ok || bad "render: the device name is not escaped"
    grep -qF "$A 64x64 bfloat16" render_device.out && ok || bad "render: the buffer name is not escaped"
    # a theme's syntax error quotes the file's text
    printf 'return {\n  x = "\342\200\256\302\233\033[2J\n}\n' > th.lua
    run theme 2 "$ttlx" render --color --theme ./th.lua h.json
    is theme err "ttlx: theme ./th.lua: line 2: unfinished string near '\"\u202e\u009b\x1b[2J'"
    # error messages: an option, a path, a device name, a raw 0x9b byte
    run option 2 "$ttlx" infer "--bogus${E}[1m" h.json
    is option err "ttlx: unknown option '--bogus\x1b[1m'
Try 'ttlx help infer'."
    run path 2 "$ttlx" infer "no${E}]0;x${BEL}such
.json"
    is path err "ttlx: no\x1b]0;x\x07such\x0a.json: cannot open: No such file or directory"
    run devname 2 "$ttlx" infer --device "$(printf 'd\233\302\233x')" h.json
    has devname err "ttlx: unknown device 'd\x9b\u009bx' (known: wormhole_n150, wormhole_n300, wormhole_n300_tensix_dispatch, blackhole_p100, blackhole_p150, blackhole_p150_130, or a .json file)"
    # a script's error: the message stays one line, the traceback its own
    printf 'error("boom \\27[2J\\n\\226\\128\\174 forged")\n' > s.lua
    run script 1 "$ttlx" run s.lua h.json
    is script err "s.lua:1: boom \x1b[2J\x0a\u202e forged
stack traceback:
	[C]: in function 'error'
	s.lua:1: in main chunk"
    # solve and --fix print names too
    run solve 0 "$ttlx" solve --top 1 h.json
    has solve out "Solve $F on wormhole_n150: objective l1, reserve 0 B per core"
    has solve out "   $A: L1 sharded (no valid nd_shard) -> L1 sharded 2x2 block"
    cp h.json fix.json
    run fix 0 "$ttlx" infer --fix fix.json
    has fix out "$A: axes [\"M\", \"N\"], grid [2, 2], shard_shape_elems [32, 32] (TTL003)"
    run export_json 0 "$ttlx" export --format plan h.json
    ;;
didyoumean)
    n=10000
    awk -v n=$n 'BEGIN {
        printf "{\"name\": \"f\", \"kernel\": [2, 2], \"buffers\": ["
        for (i = 0; i < n; i++) printf "%s{\"name\": \"buf_%d\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"}", i ? ", " : "", i
        printf "], \"attrs\": {\"tt.user_layout\": {"
        for (i = 0; i < n; i++) printf "%s\"bfu_%d\": {\"memory\": \"DRAM\"}", i ? ", " : "", i
        printf "}}}\n" }' > dym.json
    t0=$(date +%s%N)
    "$ttlx" infer dym.json > /dev/null
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    run dym 1 "$ttlx" infer dym.json
    echo "did-you-mean: $n misspelt hint names in $ms ms"
    [ "$ms" -lt 5000 ] && ok || bad "did-you-mean took $ms ms for $n names"
    [ "$(grep -c '(did you mean "buf_' dym.out)" = $n ] && ok || bad "not $n suggestions"
    has dym out '  warning TTL011 bfu_0: hint for unknown buffer "bfu_0" (did you mean "buf_0"?)'
    has dym out '  warning TTL011 bfu_9999: hint for unknown buffer "bfu_9999" (did you mean "buf_9999"?)'
    has dym out '          fix: rename the hint to "buf_4711"'
    ;;
theme)
    s=$src/samples/matmul_sharded.json
    t() { # NAME BODY WANT: a theme that fails, its exact message
        printf "$2" > "$1.lua"
        run "$1" 2 "$ttlx" render --color --theme "./$1.lua" "$s"
        is "$1" err "ttlx: theme ./$1.lua: $3"
    }
    t memory 'local t = {}\nfor i = 1, 1e9 do t[i] = i end\nreturn t\n' "not enough memory"
    t loop 'while true do end\n' "runs too long (instruction budget exhausted)"
    t cstack "return $(awk 'BEGIN { for (i = 0; i < 300; i++) printf "("; printf "1"; for (i = 0; i < 300; i++) printf ")" }')\n" "C stack overflow"
    t binary '\033Lua\124\000' "attempt to load a binary chunk (mode is 't')"
    t syntax 'return { normal = { fg = "#ffffff" }\n  x }\n' "line 2: '}' expected (to close '{' at line 1) near 'x'"
    t runtime 'local s = string.rep("x", 3)\n' "line 1: attempt to index a nil value (global 'string')"
    t notable 'return 5\n' "a theme must return a table"
    t color 'return { normal = { fg = "red" } }\n' "style 'normal': fg must be \"#rrggbb\" or \"default\""
    run missing 2 "$ttlx" render --color --theme ./missing.lua "$s"
    is missing err "ttlx: theme ./missing.lua: cannot open: No such file or directory"
    # a long path: Lua shortens it in its message; the file is still named
    d=dir_with_a_rather_long_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    mkdir "$d" && printf 'return {\n  x = }\n' > "$d/long.lua"
    run long 2 "$ttlx" render --color --theme "./$d/long.lua" "$s"
    is long err "ttlx: theme ./$d/long.lua: line 2: unexpected symbol near '}'"
    # without --color a theme has no effect: said, and the text rendered
    run plain 0 "$ttlx" render --theme light --width 80 --height 24 "$s"
    is plain err "ttlx: render: --theme light has no effect without --color (a theme sets colours only)"
    "$ttlx" render --width 80 --height 24 "$s" > nothm.out
    cmp -s nothm.out plain.out && ok || bad "render --theme without --color: the text differs"
    ;;
*) echo "unknown case $case"; exit 2 ;;
esac
echo "output.$case: $pass passed, $fail failed"
[ "$fail" = 0 ]
