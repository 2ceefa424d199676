#!/bin/sh
# Lua limits through the real binary (`ttlx run`): runaway, recursive,
# memory-hungry and failing scripts each end with a clear error, exit 1,
# within the time limit, and hints edited before a failure are not saved.
#   lua_limits.sh TTLX SOURCE_DIR [CASE]   (CASE gc_finalizer: see below)
set -u
ttlx=$1 src=$2 only=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
cp "$src/samples/matmul_default.json" "$tmp/m.json"

# (memory cases get a long budget: the cap, not the clock, must stop them,
# also in the slower sanitizer build)
budget=300
# lua NAME WANT_STATUS WANT_STDERR_FIRST_LINE_SUBSTRING MAX_SECONDS SCRIPT [OPTIONS...]
lua() {
    name=$1 want=$2 text=$3 max=$4 script=$5
    shift 5
    printf '%s\n' "$script" > "$tmp/$name.lua"
    t0=$(date +%s%N)
    (cd "$tmp" && timeout 20 "$ttlx" run --lua-budget $budget --lua-memory 32 "$@" "$name.lua" m.json \
        > "$tmp/out" 2> "$tmp/err")
    status=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    ok=1
    [ "$status" = "$want" ] || { echo "FAIL $name: exit $status, expected $want"; ok=0; }
    [ -z "$text" ] || head -1 "$tmp/err" | grep -qF -- "$text" || { echo "FAIL $name: stderr lacks '$text':"; head -5 "$tmp/err"; ok=0; }
    grep -q 'Sanitizer\|runtime error' "$tmp/err" && { echo "FAIL $name: sanitizer report"; ok=0; }
    [ "$ms" -le $((max * 1000)) ] || { echo "FAIL $name: took $ms ms (limit $max s)"; ok=0; }
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

if [ "$only" = gc_finalizer ]; then
    # Finalizers run with hooks off, where no budget can stop them: the
    # sandbox refuses __gc, so an endless one cannot hang the program.
    lua gc_loop 1 "setmetatable: __gc finalizers are not available in the sandbox" 5 'setmetatable({}, {__gc = function() while true do end end})'
    lua gc_error 1 "setmetatable: __gc finalizers are not available in the sandbox" 5 'setmetatable({}, {__gc = function() error("in gc") end})'
    # A __gc added after setmetatable never runs (Lua marks objects only then).
    lua gc_late 0 "" 5 'local mt = {} local t = setmetatable({}, mt) mt.__gc = function() while true do end end t = nil collectgarbage()'
    echo "lua limits (gc_finalizer): $pass passed, $fail failed"
    [ $fail = 0 ]
    exit
fi

lua loop 1 "script exceeded its instruction budget (300 ms)" 3 'while true do end'
lua loop_pcall 1 "instruction budget" 3 'while true do pcall(function() while true do end end) end'
lua loop_xpcall 1 "instruction budget" 3 'while true do xpcall(function() while true do end end, function() return "no" end) end'
lua loop_in_tostring 1 "instruction budget" 3 'error(setmetatable({}, {__tostring = function() while true do end end}))'
lua error_in_tostring 1 "again" 3 'error(setmetatable({}, {__tostring = function() error("again") end}))'
lua error_nil 1 "nil" 3 'error(nil)'
lua error_table 1 "" 3 'error({code = 1})'
lua recursion_deep 1 "recursion_deep.lua:1:" 5 'local function f(n) return 1 + f(n + 1) end return f(1)'
lua recursion_coroutines 1 "recursion_coroutines.lua:1:" 5 'local function g() return coroutine.wrap(g)() end return g()'
lua recursion_metamethod 1 "recursion_metamethod.lua:1:" 5 'local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k] end return t.x'
budget=10000
lua memory_table 1 "memory cap (32 MiB)" 10 'local t = {} for i = 1, 1e9 do t[i] = {i} end'
lua memory_string_doubling 1 "memory cap (32 MiB)" 10 'local s = "x" while true do s = s .. s end'
lua string_rep_huge 1 "" 10 'local s = ("x"):rep(1e10, "yy")'
lua string_rep_cap 1 "memory cap" 10 'local s = string.rep("x", 1 << 30)'
lua string_format_bomb 1 "" 10 'local s = string.format("%099d", 1) for i = 1, 30 do s = s .. s end'
lua table_concat_bomb 1 "memory cap" 10 'local t = {} for i = 1, 1e7 do t[i] = "abcdefgh" end print(#table.concat(t))'
lua gsub_bomb 0 "" 10 'local s = ("a"):rep(5000) print(s:gsub("(a*)*b", "x"))'
budget=300
lua json_cycle 1 "nested too deeply" 3 'local t = {} t.t = t print(ttlx.json(t))'
lua hint_deep 1 "nested too deeply" 5 'local t = {} for i = 1, 1e5 do t = {t} end ttlx.hint("A", {memory = t})'
lua inspect_deep 0 "" 5 'local t = {} for i = 1, 1e5 do t = {t} end print(#ttlx.inspect(t))'
lua handler_error 1 "in handler" 3 'ttlx.on("infer", function() error("in handler") end) ttlx.infer()'
lua handler_loop 1 "instruction budget" 3 'ttlx.on("infer", function() while true do end end) ttlx.infer()'
lua handler_recursive_infer 0 "" 5 'ttlx.on("infer", function() ttlx.infer() end) ttlx.infer()'
lua command_rebinds_itself 0 "" 3 'ttlx.command("c", function() ttlx.command("c", function() end) error("x") end) print("ok")'
lua binary_chunk 1 "" 3 'print(load(string.dump(function() end)))  error("binary chunks must not load: " .. tostring(load(string.dump(function() end))))'

# Edit, then fail: the hints roll back, so a save made before the failure
# wrote the old hints and the file is as it was.
cp "$tmp/m.json" "$tmp/orig.json"
lua edit_then_fail 1 "late failure" 3 'ttlx.hint("A", {memory = "L1", layout = "sharded"}) ttlx.device("blackhole_p100") error("late failure")'
cmp -s "$tmp/m.json" "$tmp/orig.json" || { echo "FAIL edit_then_fail: m.json changed"; fail=$((fail + 1)); }
lua edit_then_loop 1 "instruction budget" 3 'ttlx.clear_hint("A") ttlx.hint("B", {memory = "L1"}) while true do end'
cmp -s "$tmp/m.json" "$tmp/orig.json" || { echo "FAIL edit_then_loop: m.json changed"; fail=$((fail + 1)); }
# Within one run a failing pcall'd call rolls back nothing the script kept.
lua edit_pcall_then_check 0 "" 3 'pcall(function() ttlx.hint("A", {memory = "L1"}) error("x") end) assert(ttlx.hint("A").memory == "L1") print("kept")'

echo "lua limits: $pass passed, $fail failed"
[ $fail = 0 ]
