#!/bin/sh
# Lua hardening, round 2, through the real binary:
#   bounded   string functions that run in C end at the budget or the cap
#   explorer  the same from the explorer's :lua line (tmux), and SIGTERM
#             ends a `ttlx run` busy in a pattern at once
#   keys      ttlx.json / ttlx.hint on huge tables: fast, and bounded
#   memory    memory the core allocates for a script counts against the cap
#   access    untrusted scripts touch only the files they were given
#   load_error ttlx.load of a non-PrimFunc never quotes the file
#   lua_round2.sh TTLX SOURCE_DIR CASE
set -u
ttlx=$1 src=$2 case=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
cp "$src/samples/matmul_default.json" "$tmp/m.json"
now_ms() { echo $(($(date +%s%N) / 1000000)); }
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# lua NAME WANT_STATUS WANT_STDERR_SUBSTRING MAX_SECONDS SCRIPT [OPTIONS...]
lua() {
    name=$1 want=$2 text=$3 max=$4 script=$5
    shift 5
    printf '%s\n' "$script" > "$tmp/$name.lua"
    t0=$(now_ms)
    (cd "$tmp" && timeout 60 "$ttlx" run "$@" "$name.lua" m.json > "$tmp/out" 2> "$tmp/err")
    status=$?
    ms=$(($(now_ms) - t0))
    okk=1
    [ "$status" = "$want" ] || { echo "FAIL $name: exit $status, expected $want"; okk=0; }
    [ -z "$text" ] || grep -qF -- "$text" "$tmp/err" || { echo "FAIL $name: stderr lacks '$text':"; head -5 "$tmp/err"; okk=0; }
    grep -q 'Sanitizer\|runtime error' "$tmp/err" && { echo "FAIL $name: sanitizer report"; okk=0; }
    [ "$ms" -le $((max * 1000)) ] || { echo "FAIL $name: took $ms ms (limit $max s)"; okk=0; }
    if [ $okk = 1 ]; then ok; else fail=$((fail + 1)); fi
}

budget_err="script exceeded its instruction budget (300 ms)"
case $case in
bounded)
    for mode in "" --trust; do
        # an empty rep of 2^62: nothing to build, returns at once
        lua rep_empty$mode 0 "" 3 'local s = string.rep("", 1 << 62) print(#s)' --lua-budget 300 $mode
        grep -qx 0 "$tmp/out" || bad "rep_empty$mode: printed $(cat "$tmp/out")"
        lua rep_sep_empty$mode 0 "" 3 'print(#string.rep("", 1 << 40, ""))' --lua-budget 300 $mode
        # huge reps and concats: refused by size (the cap) or stopped by the budget
        lua rep_huge$mode 1 "script exceeded its memory cap (32 MiB)" 3 'local s = ("x"):rep(1 << 40)' --lua-budget 300 --lua-memory 32 $mode
        lua concat_huge$mode 1 "script exceeded its memory cap (32 MiB)" 5 'local t = {} for i = 1, 1e5 do t[i] = "abcdefgh" end print(#table.concat(t, ("x"):rep(4096)))' --lua-budget 2000 --lua-memory 32 $mode
        # backtracking patterns: the matcher looks at the clock
        lua pattern_optional$mode 1 "$budget_err" 3 'print(string.find(("a"):rep(40), ("a?"):rep(40) .. ("a"):rep(40)))' --lua-budget 300 $mode
        lua pattern_star$mode 1 "$budget_err" 3 'print(("a"):rep(400000):find("a*b"))' --lua-budget 300 $mode
        lua pattern_gsub$mode 1 "$budget_err" 3 'print(("a"):rep(30000):gsub(("a-"):rep(12) .. "b", ""))' --lua-budget 300 $mode
        lua pattern_gmatch$mode 1 "$budget_err" 3 'for m in ("a"):rep(400000):gmatch("a*b") do print(m) end' --lua-budget 300 $mode
        # a pcall cannot swallow the budget error and carry on
        lua pattern_pcall$mode 1 "instruction budget" 3 'while true do pcall(string.find, ("a"):rep(400000), "a*b") end' --lua-budget 300 $mode
        # everyday use is unchanged
        lua pattern_ok$mode 0 "" 3 'print(("abc"):rep(3, "-"), table.concat({1, 2, 3}, ","), ("key = value"):match("^%s*(%w+)%s*=%s*(%w+)%s*$"))' --lua-budget 300 $mode
        [ "$(cat "$tmp/out")" = "abc-abc-abc	1,2,3	key	value" ] || bad "pattern_ok$mode: printed $(cat "$tmp/out")"
    done
    ;;
explorer)
    command -v tmux > /dev/null 2>&1 || { echo "tmux not installed: skipped"; exit 77; }
    sock="ttlx-r2-$$"
    export TMUX_TMPDIR="$tmp"
    uiterm=tmux-256color
    infocmp "$uiterm" > /dev/null 2>&1 || uiterm=screen-256color
    trap 'tmux -L "$sock" kill-server 2> /dev/null; rm -rf "$tmp"' EXIT
    screen() { tmux -L "$sock" capture-pane -p -t t; }
    wait_text() { # TEXT TENTHS
        i=0
        while [ $i -lt "$2" ]; do
            screen | grep -Fq -- "$1" && return 0
            sleep 0.1; i=$((i + 1))
        done
        return 1
    }
    tmux -L "$sock" -f /dev/null new-session -d -s t -x 120 -y 36 \
        "cd '$tmp' && env TERM=$uiterm LC_ALL=C.UTF-8 TTLX_THEME=default '$ttlx' m.json 2>>'$tmp/stderr.log'; echo EXITED-\$?; sleep 60"
    wait_text "Buffers (" 100 || bad "explorer did not start"
    for code in 'string.rep("", 1 << 62) .. "done"' \
                'string.find(("a"):rep(40), ("a?"):rep(40) .. ("a"):rep(40))' \
                '("a"):rep(400000):find("a*b")'; do
        tmux -L "$sock" send-keys -t t : ; sleep 0.2
        tmux -L "$sock" send-keys -t t -l "lua $code"; sleep 0.1
        t0=$(now_ms)
        tmux -L "$sock" send-keys -t t Enter
        case $code in
        *\"done\") want='"done"' ;;
        *) want="script exceeded its instruction budget" ;;
        esac
        if wait_text "$want" 50; then
            ms=$(($(now_ms) - t0))
            [ $ms -le 4000 ] && ok || bad "explorer :lua $code: took $ms ms"
        else
            bad "explorer :lua $code: no '$want' within 5 s"; screen | tail -8
        fi
        tmux -L "$sock" send-keys -t t Escape; sleep 0.2
    done
    # still responsive: the help overlay opens
    tmux -L "$sock" send-keys -t t q
    wait_text "EXITED-0" 50 && ok || { bad "explorer did not quit on q"; screen | tail -5; }

    # SIGTERM ends a `ttlx run` busy in a pattern within a second
    printf '%s\n' 'print(("a"):rep(400000):find("a*b"))' > "$tmp/busy.lua"
    "$ttlx" run --lua-budget 0 "$tmp/busy.lua" > /dev/null 2>&1 &
    pid=$!
    sleep 0.5
    t0=$(now_ms)
    kill -TERM $pid
    i=0
    while kill -0 $pid 2> /dev/null && [ $i -lt 50 ]; do sleep 0.05; i=$((i + 1)); done
    ms=$(($(now_ms) - t0))
    if kill -0 $pid 2> /dev/null; then
        bad "ttlx run ignored SIGTERM for $ms ms"; kill -KILL $pid
    elif [ $ms -le 1000 ]; then ok; else bad "SIGTERM took $ms ms"; fi
    wait $pid 2> /dev/null
    ;;
keys)
    # 200k keys through ttlx.json and 300k through ttlx.hint: the CPU time
    # (user + sys, so a loaded machine does not count) stays under 2 s
    # (the key ordering was quadratic: minutes)
    cpu() { # NAME SCRIPT: the run's CPU seconds x 100 in $cs
        printf '%s\n' "$2" > "$tmp/$1.lua"
        (cd "$tmp" && /usr/bin/time -f '%U %S' -o "$tmp/time" timeout 120 "$ttlx" run --lua-budget 0 "$1.lua" m.json > "$tmp/out" 2> "$tmp/err")
        st=$?
        cs=$(awk '{ printf "%d", ($1 + $2) * 100 }' "$tmp/time" | tail -1)
        [ $st = 0 ] || { bad "$1: exit $st"; head -3 "$tmp/err"; }
    }
    cpu json200k 'local t = {} for i = 1, 200000 do t["k" .. i] = i end local s = ttlx.json(t) print(#s, s:sub(1, 12))'
    [ "$cs" -le 200 ] && ok || bad "json200k: $cs cs of CPU"
    [ "$(cat "$tmp/out")" = "$(printf '3977792\t{\n  "k1": 1,')" ] && ok || bad "json200k printed $(cat "$tmp/out")"
    cpu hint300k 'local t = {} for i = 1, 300000 do t["k" .. i] = i end ttlx.hint("A", t) print(ttlx.hint("A").k300000)'
    [ "$cs" -le 200 ] && ok || bad "hint300k: $cs cs of CPU"
    [ "$(cat "$tmp/out")" = 300000 ] && ok || bad "hint300k printed $(cat "$tmp/out")"
    # the order: SPEC 2 keys first in their order, then strcmp order
    lua order 0 "" 5 'print(ttlx.json({zeta = 1, memory = "L1", b = 0, B = 0, layout = "x", grid = {y = 1, x = 2}, dtype = "bf16", align_tiles = true, axes = {"a"}, aa = 2}))'
    [ "$(tr -d ' \n' < "$tmp/out")" = '{"memory":"L1","layout":"x","dtype":"bf16","axes":["a"],"grid":{"x":2,"y":1},"align_tiles":true,"B":0,"aa":2,"b":0,"zeta":1}' ] && ok || bad "order: $(cat "$tmp/out")"
    # huge conversions end at the budget
    # (a billion values from shared tables: built at once, converted never)
    lua json_budget 1 "script exceeded its instruction budget (200 ms)" 5 'local a = {} for i = 1, 1000 do a["k" .. i] = i end local b = {} for i = 1, 1000 do b[i] = a end local c = {} for i = 1, 1000 do c[i] = b end ttlx.json(c)' --lua-budget 200
    lua hint_budget 1 "script exceeded its instruction budget (200 ms)" 5 'local a = {} for i = 1, 1000 do a[i] = i end local b = {} for i = 1, 1000 do b[i] = a end local c = {} for i = 1, 1000 do c["k" .. i] = b end ttlx.hint("A", c)' --lua-budget 200
    ;;
memory)
    # ttlx.json whose text does not fit under the cap: the memory error, and
    # the text is freed (the sanitizer build reports any leak on stderr)
    lua json_at_cap 1 "json_at_cap.lua:1: script exceeded its memory cap (64 MiB)" 10 'local s = ("x"):rep(20 << 20) print(#ttlx.json({s, s, s}))' --lua-memory 64
    ;;
load_error)
    # a file that is not a PrimFunc: named with the position, never quoted
    printf 'root:$6$secretHASH:19000:0:99999:7:::\n' > "$tmp/shadow"
    printf '{"name": "f", "buffers": "secretVALUE"}\n' > "$tmp/bad.json"
    lua load_text 1 'ttlx.load: shadow:1:1: not a PrimFunc ttlx can read (`ttlx infer shadow` shows why)' 5 'ttlx.load("shadow")'
    grep -q secret "$tmp/err" && bad "load_text: the error quotes the file: $(head -1 "$tmp/err")"
    lua load_json 1 'ttlx.load: bad.json:1:' 5 'ttlx.load("bad.json")'
    grep -q secret "$tmp/err" && bad "load_json: the error quotes the file: $(head -1 "$tmp/err")"
    lua load_pcall 0 "" 5 'local ok, e = pcall(ttlx.load, "shadow") print(ok, (e:find("secret")))'
    [ "$(cat "$tmp/out")" = "false	nil" ] && ok || bad "load_pcall printed $(cat "$tmp/out")"
    lua load_missing 1 "ttlx.load: nothere.json" 5 'ttlx.load("nothere.json")'
    ;;
*)
    echo "unknown case $case"; exit 2 ;;
esac
echo "lua round 2 ($case): $pass passed, $fail failed"
[ $fail = 0 ]
