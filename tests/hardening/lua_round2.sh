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

# The explorer in a detached tmux session "t" on server SOCK (the explorer
# and access cases): explorer SOCK WIDTH HEIGHT DIR FILE starts it in DIR on
# FILE and waits for it; screen and wait_text read it back.
explorer() {
    sock=$1
    export TMUX_TMPDIR="$tmp"
    uiterm=tmux-256color
    infocmp "$uiterm" > /dev/null 2>&1 || uiterm=screen-256color
    trap 'tmux -L "$sock" kill-server 2> /dev/null; rm -rf "$tmp"' EXIT
    tmux -L "$sock" -f /dev/null new-session -d -s t -x "$2" -y "$3" \
        "cd '$4' && env TERM=$uiterm LC_ALL=C.UTF-8 TTLX_THEME=default '$ttlx' $5 2>>'$tmp/stderr.log'; echo EXITED-\$?; sleep 60"
    wait_text "Buffers (" 100 || bad "explorer did not start"
}
screen() { tmux -L "$sock" capture-pane -p -t t; }
wait_text() { # TEXT TENTHS
    i=0
    while [ $i -lt "$2" ]; do
        screen | grep -Fq -- "$1" && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

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
    explorer "ttlx-r2-$$" 120 36 "$tmp" m.json
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
    # What the core builds for a script counts against the cap with the
    # script's own values: refused when the sum would pass it, at once and
    # without growing (64 references to one 16 MiB string reached 2.1 GB
    # and ran 9 s), and everything is freed (the sanitizer build reports a
    # leak on stderr).
    limit="memory limit of 64 MiB reached (the script's Lua values and what ttlx builds for it count together; raise it with --lua-memory MIB)"
    rss() { # NAME MAX_MIB SCRIPT [OPTIONS...]: the run's peak RSS under MAX_MIB
        name=$1 max=$2 script=$3
        shift 3
        printf '%s\n' "$script" > "$tmp/$name.lua"
        (cd "$tmp" && /usr/bin/time -f '%M' -o "$tmp/time" timeout 60 "$ttlx" run "$@" "$name.lua" m.json > /dev/null 2>&1)
        kb=$(tail -1 "$tmp/time")
        [ "$kb" -le $((max * 1024)) ] && ok || bad "$name: peak RSS $kb KiB (limit $max MiB)"
    }
    lua json_64x16 1 "json_64x16.lua:1: ttlx.json: $limit" 3 'local s = ("x"):rep(16 << 20) local t = {} for i = 1, 64 do t[i] = s end print(#ttlx.json(t))' --lua-memory 64
    rss json_64x16 200 'local s = ("x"):rep(16 << 20) local t = {} for i = 1, 64 do t[i] = s end print(#ttlx.json(t))' --lua-memory 64
    lua json_at_cap 1 "json_at_cap.lua:1: ttlx.json: $limit" 10 'local s = ("x"):rep(20 << 20) print(#ttlx.json({s, s, s}))' --lua-memory 64
    # the same through the other calls that build for a script
    lua hint_at_cap 1 "hint_at_cap.lua:1: ttlx.hint: $limit" 10 'local s = ("x"):rep(20 << 20) ttlx.hint("A", {a = s, b = s, c = s})' --lua-memory 64
    lua hints_at_cap 1 "hints_at_cap.lua:1: ttlx.hints: $limit" 10 'local s = ("x"):rep(20 << 20) ttlx.hints({A = {a = s}, B = {b = s}, C = {c = s}})' --lua-memory 64
    lua device_at_cap 1 "device_at_cap.lua:1: ttlx.device: $limit" 10 'local d = ttlx.device() d.name = ("x"):rep(20 << 20) d.x = d.name d.y = d.name ttlx.device(d)' --lua-memory 64
    # a pcall sees the same message, and the script can carry on
    lua json_pcall 0 "" 10 'local s = ("x"):rep(20 << 20) local ok, e = pcall(ttlx.json, {s, s, s}) s = nil collectgarbage() print(ok, e, ttlx.json({1}))' --lua-memory 64
    [ "$(cat "$tmp/out")" = "false	ttlx.json: $limit	[1]" ] && ok || bad "json_pcall printed $(cat "$tmp/out")"
    # under the cap nothing changes
    lua json_fits 0 "" 10 'local s = ("x"):rep(4 << 20) print(#ttlx.json({s, s}))' --lua-memory 64
    [ "$(cat "$tmp/out")" = 8388616 ] && ok || bad "json_fits printed $(cat "$tmp/out")"
    # a module loaded by the script counts while it is built
    awk 'BEGIN { printf "{\"name\": \"big\", \"buffers\": [" ; for (i = 0; i < 60000; i++) printf "%s{\"name\": \"b%d\", \"shape\": [32, 32], \"dtype\": \"bfloat16\"}", (i ? ", " : ""), i; print "]}" }' > "$tmp/big.json"
    lua load_at_cap 1 "load_at_cap.lua:1: ttlx.load: memory limit of 8 MiB reached" 10 'ttlx.load("big.json")' --lua-memory 8
    lua load_fits 0 "" 10 'ttlx.load("big.json") print(#ttlx.buffers())' --lua-memory 256
    [ "$(cat "$tmp/out")" = 60000 ] && ok || bad "load_fits printed $(cat "$tmp/out")"
    ;;
access)
    # Untrusted scripts open only: the loaded file, paths under the
    # script's folder and the current folder, paths on the command line.
    mkdir -p "$tmp/run/sub" "$tmp/scripts" "$tmp/data" "$tmp/out" "$tmp/outside"
    cp "$tmp/m.json" "$tmp/data/m.json"
    cp "$tmp/m.json" "$tmp/outside/secret.json"
    printf '{"name": "mine", "grid": [8, 8], "l1": 1499136, "l1_bank": 1382144, "dram_banks": 12, "dram_bank": 1073741792, "dram_align": 32, "l1_align": 16, "max_cbs": 32}\n' > "$tmp/outside/dev.json"
    ln -s "$tmp/outside" "$tmp/run/link"
    ln -s "$tmp/outside/new.json" "$tmp/run/dangling.json"
    refusal() { # WHO PATH
        echo "$1: $2 is outside the allowed paths (the loaded file, the script's folder, the current folder, paths on the command line); run with --trust to allow it"
    }
    # acc NAME WANT_STATUS WANT_OUTPUT SCRIPT [OPTIONS/ARGS...]: runs
    # scripts/NAME.lua from run/ with data/m.json; compares stdout exactly
    acc() {
        name=$1 want=$2 text=$3 script=$4
        shift 4
        printf '%s\n' "$script" > "$tmp/scripts/$name.lua"
        (cd "$tmp/run" && timeout 20 "$ttlx" run "$@" ../scripts/$name.lua ../data/m.json ../out ${extra:-} > "$tmp/out.txt" 2> "$tmp/err")
        status=$?
        okk=1
        [ "$status" = "$want" ] || { echo "FAIL $name: exit $status, expected $want"; head -3 "$tmp/err"; okk=0; }
        [ "$(cat "$tmp/out.txt")" = "$text" ] || { echo "FAIL $name: printed '$(cat "$tmp/out.txt")'"; echo " expected '$text'"; okk=0; }
        if [ $okk = 1 ]; then ok; else fail=$((fail + 1)); fi
    }
    # allowed: the loaded file (read and written back), the script's folder,
    # the current folder, a folder given on the command line
    acc loaded 0 "true	true" 'print(pcall(ttlx.save), pcall(ttlx.load, "../data/m.json"))'
    acc script_folder 0 "true" 'print((pcall(ttlx.export, "../scripts/e.json", "json")))'
    [ -f "$tmp/scripts/e.json" ] && ok || bad "script_folder: nothing written"
    acc current_folder 0 "true	true" 'print(pcall(ttlx.export, "e.svg", "svg"), (pcall(ttlx.export, "./sub/../e2.json", "json")))'
    acc command_line 0 "true" 'print((pcall(ttlx.export, arg[1] .. "/e.json", "json")))'
    [ -f "$tmp/out/e.json" ] && ok || bad "command_line: nothing written"
    # refused, with the message that says how to allow it
    acc absolute 0 "false	$(refusal ttlx.load /etc/passwd)" 'print(pcall(ttlx.load, "/etc/passwd"))'
    acc escape 0 "false	$(refusal ttlx.export ../escape.json)" 'print(pcall(ttlx.export, "../escape.json", "json"))'
    [ -e "$tmp/escape.json" ] && bad "escape: the file was written"
    acc escape_deep 0 "false	$(refusal ttlx.save ./a/../../x.json)" 'print(pcall(ttlx.save, "./a/../../x.json"))'
    acc symlink 0 "false	$(refusal ttlx.load link/secret.json)" 'print(pcall(ttlx.load, "link/secret.json"))'
    acc dangling 0 "false	$(refusal ttlx.save dangling.json)" 'print(pcall(ttlx.save, "dangling.json"))'
    [ -e "$tmp/outside/new.json" ] && bad "dangling: the link's target was created"
    acc device_file 0 "false	$(refusal ttlx.device "$tmp/outside/dev.json")" "print(pcall(ttlx.device, '$tmp/outside/dev.json'))"
    acc uncaught 1 "" 'ttlx.export("/tmp/x.json", "json")'
    grep -qF "uncaught.lua:1: $(refusal ttlx.export /tmp/x.json)" "$tmp/err" && ok || { bad "uncaught: stderr"; head -2 "$tmp/err"; }
    # --trust lifts it; a path named on the command line is allowed
    acc trusted 0 "true" 'print((pcall(ttlx.load, "link/secret.json")))' --trust
    extra="$tmp/outside/secret.json"
    acc named 0 "true	mine" "print((pcall(ttlx.load, '$tmp/outside/secret.json')), ttlx.device('$tmp/outside/dev.json').name)" --device "$tmp/outside/dev.json"
    extra=

    # the explorer's :lua line: the same rule
    command -v tmux > /dev/null 2>&1 || { echo "lua round 2 ($case): $pass passed, $fail failed (explorer part skipped: no tmux)"; [ $fail = 0 ]; exit $?; }
    explorer "ttlx-acc-$$" 200 30 "$tmp/run" ../data/m.json
    tmux -L "$sock" send-keys -t t : ; sleep 0.2
    tmux -L "$sock" send-keys -t t -l 'lua ttlx.load("/etc/passwd")'; sleep 0.1
    tmux -L "$sock" send-keys -t t Enter
    wait_text 'ttlx.load: /etc/passwd is outside the allowed paths' 50 && ok || { bad "explorer :lua load outside"; screen | tail -4; }
    tmux -L "$sock" send-keys -t t Escape; sleep 0.2
    tmux -L "$sock" send-keys -t t : ; sleep 0.2
    tmux -L "$sock" send-keys -t t -l 'lua print(pcall(ttlx.export, "e3.json", "json"))'; sleep 0.1
    tmux -L "$sock" send-keys -t t Enter
    wait_text 'true' 50 && [ -f "$tmp/run/e3.json" ] && ok || { bad "explorer :lua export in the current folder"; screen | tail -4; }
    tmux -L "$sock" send-keys -t t Escape; sleep 0.2
    tmux -L "$sock" send-keys -t t q
    wait_text "EXITED-0" 50 && ok || { bad "explorer did not quit on q"; screen | tail -5; }
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
