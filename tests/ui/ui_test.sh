#!/bin/sh
# End-to-end tests of the explorer: the real binary in a detached tmux
# session of fixed size; keys are sent, the pane is read back and exact
# lines are asserted. Each case uses its own tmux server (-L) so cases can
# run in parallel.
#   ui_test.sh TTLX SOURCE_DIR CASE
set -u
ttlx=$1 src=$2 case=$3
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed: skipped"; exit 77; }
sock="ttlx-ui-$case-$$"
work=$(mktemp -d) || exit 1
# the tmux server's socket lives in the case's own directory, removed with it
export TMUX_TMPDIR="$work"
sess=t
# the pane speaks tmux's own key sequences: describe it as tmux does
uiterm=tmux-256color
infocmp "$uiterm" >/dev/null 2>&1 || uiterm=screen-256color
[ "$case" = colors8 ] && uiterm=xterm # 8 colours, as TERM=xterm says
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp "$src/samples/matmul_sharded.json" "$work/m.json"
fail() {
  echo "FAIL ($case): $*"
  echo "---- screen ----"
  tmux -L "$sock" capture-pane -p -t "$sess" 2>/dev/null
  exit 1
}
screen() { tmux -L "$sock" capture-pane -p -t "$sess"; }
# wait_line LINE: waits up to 5 s for a screen line exactly equal to LINE
wait_line() {
  i=0
  while [ $i -lt 50 ]; do
    screen | grep -Fxq -- "$1" && return 0
    sleep 0.1; i=$((i + 1))
  done
  fail "no line exactly '$1'"
}
# wait_text TEXT: waits for TEXT anywhere on the screen
wait_text() {
  i=0
  while [ $i -lt 50 ]; do
    screen | grep -Fq -- "$1" && return 0
    sleep 0.1; i=$((i + 1))
  done
  fail "no text '$1'"
}
# no_text TEXT: TEXT must not be on the screen (checked after a short settle)
no_text() {
  sleep 0.3
  screen | grep -Fq -- "$1" && fail "unexpected text '$1'"
  return 0
}
keys() { tmux -L "$sock" send-keys -t "$sess" "$@"; sleep 0.15; }
# Mouse reports as a terminal sends them (the pane's kmous is ESC [ M, X10):
# button, column and row, each plus 32, 1-based. x and y are 0-based cells.
mouse() {
  tmux -L "$sock" send-keys -t "$sess" -H 1b 5b 4d "$(printf '%x' "$1")" \
    "$(printf '%x' $((33 + $2)))" "$(printf '%x' $((33 + $3)))"
}
click() { mouse 32 "$1" "$2"; mouse 35 "$1" "$2"; sleep 0.15; }   # press, release
wheel() { mouse $((96 + $3)) "$1" "$2"; sleep 0.15; }            # $3: 0 up, 1 down
start() {
  tmux -L "$sock" -f /dev/null new-session -d -s "$sess" -x "${ui_w:-120}" -y "${ui_h:-36}" \
    "cd '$work' && env TERM=$uiterm LC_ALL=C.UTF-8 TTLX_THEME=default '$ttlx' $* 2>>'$work/stderr.log'; echo EXITED-\$?; sleep 60"
  wait_text "Buffers (3)"
}

case $case in
work)
  # blocks of 4x4 tiles (T.Kernel(16, 16) over 64x64 tiles), cores col_major
  cp "$src/tests/golden/inputs/launch_blocks.json" "$work/b.json"
  start b.json
  keys 4
  wait_text "│ launch grid 16x16 blocks (T.Kernel), 4 blocks per core on 64 cores"
  wait_text "│ output C: 64x64 tiles, 4x4 per block, 64 tiles per core"
  wait_text "│ Kt 32: A x B is matmul-shaped, K = 1024 in tiles 32 wide"
  wait_text "│ core order col_major (y fastest, as tt-metal's split_work_to_cores)"
  wait_text "│ runtime constants {\"Mt\":16,\"Kt\":32,\"Nt\":16}"
  wait_text "│   core           start     blocks  out tiles"
  # the second core of the column-major walk is (0,1), blocks 4-7
  wait_text "│   (0,1)              4          4         64"
  wait_text "TTL017 -: launch grid 16x16 blocks over a 64x64-tile output: each block covers 4x4 tiles"
  # a function that is not matmul-shaped says so
  tmux -L "$sock" kill-session -t "$sess"
  cp "$src/samples/padding.json" "$work/p.json"
  tmux -L "$sock" -f /dev/null new-session -d -s "$sess" -x 120 -y 36 \
    "cd '$work' && env TERM=$uiterm LC_ALL=C.UTF-8 TTLX_THEME=default '$ttlx' p.json 2>>'$work/stderr.log'; echo EXITED-\$?; sleep 60"
  wait_text "Buffers (4)"
  keys 4
  wait_text "│ Kt not derived: 1 (no matmul-shaped A x B -> C)"
  wait_text "│ launch grid none (no T.Kernel): the split is by output tile"
  no_text "TTL017"
  ;;
nav)
  start m.json
  wait_line ">✓ A                    L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7        Core (0,0) L1 breakdown"
  wait_line "   256x256 bfloat16           │ y0 >s0    s1    s2    s3    ·     ·     ·     ·         used 28.0K of 1.32M (2%) work"
  keys j
  wait_line " ✓ A                    L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7        Core (0,0) L1 breakdown"
  wait_text ">✓ B                  DRAM IL │"
  keys k Tab l
  wait_text "│ y0  s0   >s1    s2    s3    ·     ·     ·     ·"
  wait_text "Core (1,0) L1 breakdown"
  wait_text "> A                16.0K"
  # cross-highlight: the core's tiles in the Tiles view
  keys 2
  wait_text "core (1,0) holds 8 tiles of A (marked *)"
  wait_text "│ 0 00<00 10*10*20 20 30 30"
  keys l l l
  wait_text "tile (0,3) → core (1,0), shard 1 slot 0, tile 1 in shard | logical"
  keys l
  wait_text "tile (0,4) → core (2,0), shard 2 slot 0, tile 0 in shard | logical"
  keys 1
  wait_text "Core (2,0) L1 breakdown"
  # filter, then views by number and by command
  keys Tab Tab / C
  wait_text "▸Buffers 1/3 /C"
  keys Enter
  wait_text ">✓ C                  DRAM IL │"
  keys Escape
  wait_text "▸Buffers (3)"
  keys : 'buffer A' Enter : 'view projection' Enter
  wait_text "[3 Projection]"
  wait_text "dim  axis        size   grid     shard    tiles  goes to"
  keys 5
  wait_text "│ \"tt.buffer.A\": {"
  wait_text "│     \"memory\": \"L1\","
  keys : 'device blackhole_p150' Enter
  wait_text "matmul @ blackhole_p150 11x10"
  # the device list
  keys d
  wait_text "Device (Enter selects, Esc closes)"
  wait_text ">* blackhole_p150"
  keys k Enter
  wait_text "matmul @ blackhole_p100 11x10"
  wait_text "device blackhole_p100 (11x10 cores, 7 DRAM banks)"
  ;;
edit)
  start m.json
  keys e
  wait_text "┌ Hints for A ─"
  wait_text "│>memory   L1"
  keys j j j j j j
  wait_text "│>shard    128,64"
  keys Enter BSpace BSpace BSpace BSpace BSpace BSpace 1 0 0 , 6 4
  wait_text "│>shard    100,64_"
  wait_text "│✗ TTL004 L1 shard"
  wait_text " Diagnostics: 2 errors, 0 warnings, 0 info"
  keys Enter
  wait_text "│>shard    100,64 "
  keys u
  wait_text "│>shard    128,64"
  wait_text " Diagnostics: 0 errors, 0 warnings, 0 info"
  wait_text "│✓ no diagnostics "
  keys U
  wait_text " Diagnostics: 2 errors, 0 warnings, 0 info"
  keys u Escape
  # cycling a choice shows the change diff
  keys j e
  wait_text "Hints for B"
  keys Right Right
  wait_text "│>memory   L1 "
  wait_text "Δ B: DRAM->L1 cores 12->64"
  keys Escape
  wait_text "m.json [+] | matmul"
  # a script's hint edit is one undo step like a manual one
  keys : "lua ttlx.hint('C', {memory='L1'})" Enter
  wait_text " ✓ C                    L1 IL"
  wait_text "Δ last change: C: DRAM->L1"
  keys u
  wait_text " ✓ C                  DRAM IL"
  # a failing script changes nothing and the explorer goes on
  keys : "lua ttlx.hint('C', {memory='L1'}); error('boom')" Enter
  wait_text "boom"
  wait_text " ✓ C                  DRAM IL"
  # an "infer" handler sees every rerun, with the new document
  keys : "lua ttlx.on('infer', function(d) print('infer: ' .. #d.diagnostics .. ' diagnostics') end)" Enter
  # (TTL012 for the 16x16 tile, TTL017 as C's 16x16 tiles outgrow the 8x8 launch grid)
  keys : "lua ttlx.hint('C', {memory='L1', tile_shape={16, 16}})" Enter
  wait_text "infer: 2 diagnostics"
  ;;
edit80)
  # 80x24 is the first-class size: the editor is a side panel, the heat map
  # it edits stays on screen, and the diff counts from the editor's opening
  ui_w=80 ui_h=24 start m.json
  wait_line "   256x256 bfloat16     │ y0 >░s0   ░s1   ░s2   ░s3   · 0%  · 0%  · 0%  · 0%"
  keys e
  wait_text "┌ Hints for A ─"
  wait_text "│>memory   L1"
  wait_text "│ y0 >░s0   ░s1   ░s2   ░s3   · 0%  · 0%  · 0%  · 0%"
  wait_text "│ y7  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%"
  keys j j j j j j
  wait_text "│>shard    128,64"
  # type a new shard shape key by key: the half-typed values in between
  # are not where the diff starts
  keys Enter BSpace BSpace BSpace BSpace BSpace BSpace 6 4 , 6 4
  wait_text "│>shard    64,64_"
  wait_text "│ y0 >░s0   ░s1   ░s2   ░s3   · 0%  · 0%  · 0%  · 0%"
  keys Enter
  # measured from the opening (128,64 -> 64,64), not from "64,6"
  wait_text "│Δ A: 16.0K->8.0K each │"
  wait_text "Δ last change: A: 16.0K->8.0K each …"
  wait_text "│now: 8 cores x 8.0K   │"
  # the heat map is still there beside the panel
  wait_text "│ y7  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%"
  wait_text "│ L1/1.32M: ·0% ░<25% ▒<50% ▓<75% █<=100% ‼over"
  # a hint from the editor goes when it closes
  keys k Right
  wait_line "nd_shard.grid takes a typed value: press Enter"
  keys Escape
  no_text "press Enter"
  no_text "Hints for A"
  wait_text "▸Buffers (3)"
  ;;
save)
  start m.json
  keys : 'buffer B' Enter : 'set memory L1' Enter
  wait_text "m.json [+] | matmul"
  keys w
  wait_line "saved hints to m.json"
  keys Escape
  wait_text " m.json | matmul | wormhole_n150"
  grep -q '"B":' "$work/m.json" || fail "B's hint not in the saved file"
  tr -d ' \n\t' < "$work/m.json" | grep -q '"B":{"memory":"L1"}' || fail "saved file lacks B memory L1"
  ls -a "$work" | grep -q ttlx- && fail "temporary file left behind"
  # exports: a key and a command
  keys x
  wait_line "exported python to m_layout.py"
  grep -q 'annotate_tt_layout' "$work/m_layout.py" || fail "python export lacks annotate_tt_layout"
  keys Escape : 'export plan' Enter
  wait_line "exported plan to m.tt.plan.json"
  [ -s "$work/m.tt.plan.json" ] || fail "no plan written"
  keys Escape
  # quitting with unsaved edits asks first
  keys : 'set memory DRAM' Enter q
  wait_text "Unsaved hint edits. w: save and quit  q: quit without saving  Esc: stay"
  keys Escape
  no_text "Unsaved hint edits"
  # live reload: a change on disk reruns; a broken file keeps the last good state
  keys : 'q!' Enter
  wait_text "EXITED-0"
  tmux -L "$sock" kill-server
  sock="$sock-b"
  start m.json
  keys j
  sed "s/\\[2, 4\\]/[2, 2]/" "$work/m.json" > "$work/m2" && cat "$work/m2" > "$work/m.json"
  wait_text "m.json changed on disk: reloaded"
  wait_text ">✓ B                    L1 IL"
  keys k
  wait_text "│ A 256x256 bfloat16 | L1 sharded | 4 shards on 4 cores, 16.0K each"
  wait_text ">✗ TTL008 error    A      axis N not covered"
  echo '{ "name": ' > "$work/m.json"
  wait_text "reload failed, showing the last good state: m.json"
  wait_text "│ A 256x256 bfloat16 | L1 sharded | 4 shards on 4 cores, 16.0K each"
  ;;
conflict)
  # never lose an edit: the file changes on disk under unsaved hints
  start m.json
  keys : 'buffer B' Enter : 'set memory L1' Enter
  wait_text ">✓ B                    L1 IL"
  sed "s/\\[2, 4\\]/[2, 2]/" "$work/m.json" > "$work/m2" && cat "$work/m2" > "$work/m.json"
  wait_text "m.json changed on disk and you have unsaved edits: [k]eep mine, [t]ake the file's, [d]iff"
  keys d
  wait_text "Your hints vs the file's (k keep, t take)"
  wait_text "│ A nd_shard.grid: yours [2,4], file's [2,2]"
  wait_text "│ B memory: yours L1, file's (unset)"
  wait_text "m.json changed on disk and you have unsaved edits: [k]eep mine, [t]ake the file's, [d]iff"
  keys k
  wait_text "kept your edits; m.json differs on disk (w asks before overwriting)"
  no_text "Your hints vs the file's"
  wait_text ">✓ B                    L1 IL"
  wait_text "│ B 256x256 bfloat16 | L1 interleaved"
  keys Escape
  wait_text " m.json [+] [differs on disk] | matmul"
  # a save over the other writer's file asks; n leaves the file as it was
  cp "$work/m.json" "$work/theirs"
  keys w
  wait_text "m.json changed on disk since it was loaded: overwrite? [y/N]"
  keys n
  wait_text "not saved: m.json was changed by another writer; your edits are kept"
  cmp -s "$work/m.json" "$work/theirs" || fail "the file changed after n"
  # changed again: take the file's hints, then u brings the edit back
  sed "s/\\[2, 2\\]/[2, 4]/" "$work/theirs" > "$work/m2" && cat "$work/m2" > "$work/m.json"
  wait_text "m.json changed on disk and you have unsaved edits: [k]eep mine, [t]ake the file's, [d]iff"
  keys t
  wait_text "took m.json as it is on disk (u brings your edits back)"
  wait_text ">✓ B                  DRAM IL"
  keys Escape
  wait_text " m.json | matmul"
  keys u
  wait_text ">✓ B                    L1 IL"
  wait_text " m.json [+] | matmul"
  # once more, keep, and y overwrites with the edits
  sed "s/\\[2, 4\\]/[2, 2]/" "$work/theirs" > "$work/m2" && cat "$work/m2" > "$work/m.json"
  wait_text "[k]eep mine, [t]ake the file's, [d]iff"
  keys k w
  wait_text "m.json changed on disk since it was loaded: overwrite? [y/N]"
  keys y
  wait_line "saved hints to m.json"
  tr -d ' \n\t' < "$work/m.json" | grep -q '"B":{"memory":"L1"}' || fail "y did not write B memory L1"
  tr -d ' \n\t' < "$work/m.json" | grep -q '"grid":\[2,4\]' || fail "y did not write the kept grid"
  # no unsaved edits: a change on disk reloads at once, one undo step
  sed "s/\\[2, 4\\]/[2, 2]/" "$work/m.json" > "$work/m2" && cat "$work/m2" > "$work/m.json"
  wait_text "m.json changed on disk: reloaded"
  keys Escape : 'buffer A' Enter
  wait_text "│ A 256x256 bfloat16 | L1 sharded | 4 shards on 4 cores, 16.0K each"
  # TVMScript: y writes T.func_attr into the file's current text, never the stale one
  keys : 'q!' Enter
  wait_text "EXITED-0"
  tmux -L "$sock" kill-server
  sock="$sock-b"
  cp "$src/samples/matmul_sharded.py" "$work/t.py"
  start t.py
  keys : 'buffer B' Enter : 'set memory L1' Enter
  wait_text ">✓ B                    L1 IL"
  { echo "# edited elsewhere"; cat "$src/samples/matmul_sharded.py"; } > "$work/t2" && cat "$work/t2" > "$work/t.py"
  wait_text "t.py changed on disk and you have unsaved edits: [k]eep mine, [t]ake the file's, [d]iff"
  keys k w
  wait_text "t.py changed on disk since it was loaded: overwrite? [y/N]"
  keys y
  wait_line "saved hints to t.py (TVMScript: the file's text kept, T.func_attr updated)"
  head -1 "$work/t.py" | grep -Fxq "# edited elsewhere" || fail "the other writer's text was lost"
  tr -d ' \n' < "$work/t.py" | grep -q '"B":{"memory":"L1"}' || fail "B memory L1 not in T.func_attr"
  [ "$(grep -c 'T.func_attr' "$work/t.py")" = 1 ] || fail "not exactly one T.func_attr"
  ;;
open)
  mkdir "$work/more"
  cp "$src/samples/padding.json" "$work/more/pad.json"
  cp "$src/samples/matmul_default.json" "$work/more/plain.json"
  start m.json
  # Tab completes command names, export formats and paths
  keys : ex Tab
  wait_line ":export _"
  keys pl Tab
  wait_line ":export plan _"
  keys Escape : w Tab
  wait_text ":w_  w  wq"
  keys Escape : 'e mo' Tab
  wait_line ":e more/_"
  keys Tab
  wait_text ":e more/p_  pad.json  plain.json"
  keys Tab
  wait_text ":e more/pad.json_  [pad.json]  plain.json"
  keys Tab
  wait_text ":e more/plain.json_  pad.json  [plain.json]"
  keys Tab Enter
  wait_line "opened more/pad.json"
  keys Escape
  wait_text " pad.json | odd_shapes | wormhole_n150 | 4 buffers"
  # counts say one with the singular
  keys : 'e m.json' Enter : 'buffer A' Enter : 'set nd_shard.grid 1,1' Enter
  keys : 'set nd_shard.shard_shape_elems 256,256' Enter
  wait_text "│ A 256x256 bfloat16 | L1 sharded | 1 shard on 1 core, 128.0K each"
  # :e over unsaved edits asks: cancel keeps them, discard opens
  keys : 'e more/plain.json' Enter
  wait_line "unsaved edits: [w]rite, [d]iscard, [c]ancel (then open more/plain.json)"
  keys c
  wait_line "not opened more/plain.json: your edits are kept"
  wait_text "1 shard on 1 core"
  keys : 'open more/plain.json' Enter
  wait_text "[c]ancel (then open more/plain.json)"
  keys d
  wait_line "opened more/plain.json"
  keys : 'e nope.json' Enter
  wait_text "open: nope.json: cannot open: No such file or directory"
  ;;
hostile)
  # names with an OSC title sequence, CSI, C1 and bidi are drawn as their
  # escapes, never sent to the terminal; a mistyped : command gets its
  # did-you-mean
  printf '%s' '{"name": "f\u001b]0;pwned\u0007\nforged", "buffers": [
   {"name": "A\u001b[31m\u009b2J\u202e", "shape": [64, 64], "dtype": "bfloat16"},
   {"name": "B", "shape": [64, 64], "dtype": "bfloat16"},
   {"name": "C", "shape": [64, 64], "dtype": "bfloat16", "role": "output"}],
   "kernel": [2, 2]}' > "$work/h.json"
  start h.json
  wait_text " h.json | f\x1b]0;pwned\x07\x0aforged | wormhole_n150 | 3 buffers"
  wait_text "│ A\x1b[31m\u009b2J\u202e 64x64 bfloat16 | DRAM interleaved"
  tmux -L "$sock" capture-pane -p -e -t "$sess" > "$work/raw.txt"
  # the only escape sequences on the screen are the explorer's own SGR
  LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' "$work/raw.txt" | LC_ALL=C grep -q "$(printf '\033')" &&
    fail "an escape sequence from a name reached the terminal"
  keys : exprot Enter
  wait_text "unknown command ':exprot' (did you mean ':export'? ? lists the commands)"
  ;;
findhelp)
  start m.json
  keys '?'
  wait_text "Help: keys and commands (Esc closes, Up/Down scroll, / find)"
  keys / export
  wait_line "/export_ Enter find  Esc cancel"
  keys Enter
  wait_text "│>x                    export the hints as an annotate_tt_layout call"
  wait_line "/export: line 32 of 68"
  keys n
  wait_text "│>:export FMT [FILE]   json, python, tvmscript, plan, svg or ttnn"
  no_text "│>x "
  keys N
  wait_text "│>x                    export the hints"
  keys / zzz Enter
  wait_line "no match for 'zzz' in the help"
  keys Escape
  no_text "Help: keys and commands"
  ;;
footer)
  start m.json
  wait_line " m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 28.0K/1.32M        j/k:move Enter:edit /:filter ?:help"
  keys Tab
  wait_line " m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 28.0K/1.32M    hjkl:core Enter:tiles n/p:buffer ?:help"
  keys 2
  wait_line " m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 28.0K/1.32M            hjkl:tile +/-:zoom 0:fit ?:help"
  keys Tab
  wait_line " m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 28.0K/1.32M          j/k:move n/p:buffer e:edit ?:help"
  ;;
lessonquit)
  # a lesson on the built-in sample, an edit, quit: asks for a file, no dead end
  start --script "$src/scripts/lessons/tiles_and_padding.lua"
  keys '>' Escape : 'set memory L1' Enter q
  wait_text "Unsaved hint edits (no file yet). w: save a copy (name it) and quit  q: quit without saving  Esc: stay"
  keys w
  wait_line ":wq _"
  keys lesson.json Enter
  wait_line "EXITED-0"
  grep -q '"lesson_tiles"' "$work/lesson.json" || fail "the lesson's function was not saved"
  ;;
resize)
  start m.json
  tmux -L "$sock" resize-window -t "$sess" -x 20 -y 8
  wait_line " Terminal too small"
  wait_line "     need 60x16"
  wait_line "     have 20x8"
  tmux -L "$sock" resize-window -t "$sess" -x 120 -y 36
  wait_text "Buffers (3)"
  wait_line ">✓ A                    L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7        Core (0,0) L1 breakdown"
  tmux -L "$sock" resize-window -t "$sess" -x 80 -y 24
  wait_text " ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata"
  ;;
help)
  start m.json
  keys '?'
  wait_text "Help: keys and commands (Esc closes, Up/Down scroll, / find)"
  wait_text "Up k                 move up: buffer, core, tile row, diagnostic"
  keys End
  wait_text ":device NAME         switch device (no NAME: the list)"
  wait_text ":export FMT [FILE]   json, python, tvmscript, plan, svg or ttnn"
  keys Escape
  no_text "Help: keys and commands"
  keys : 'lua print("from lua: " .. 6 * 7)' Enter
  wait_text "from lua: 42"
  ;;
colors8)
  # On an 8-colour terminal nothing is drawn black on the default
  # background (it vanishes on a dark terminal): the SGR state tmux keeps is
  # replayed cell by cell and every visible character's pair is checked.
  ui_w=80 ui_h=24 start m.json
  wait_text "│ y0 >░s0   ░s1   ░s2   ░s3   · 0%  · 0%  · 0%  · 0%"
  tmux -L "$sock" capture-pane -e -p -t "$sess" >"$work/sgr.txt"
  grep -q "$(printf '\033')\[3[0-7]m" "$work/sgr.txt" || fail "no 8-colour SGR in the capture"
  bad=$(awk 'BEGIN { esc = sprintf("%c", 27) }
    { fg = 39; bg = 49; line = $0
      while (length(line) > 0) {
        i = index(line, esc "[")
        text = i ? substr(line, 1, i - 1) : line
        if (text ~ /[^ ]/ && fg == 30 && bg == 49) { print NR ": " text; exit }
        if (!i) break
        line = substr(line, i + 2); j = index(line, "m"); n = split(substr(line, 1, j - 1), p, ";")
        for (k = 1; k <= n; k++) { v = p[k] + 0
          if (p[k] == "" || v == 0) { fg = 39; bg = 49 }
          else if (v >= 30 && v <= 39) fg = v
          else if (v >= 40 && v <= 49) bg = v }
        line = substr(line, j + 1) } }' "$work/sgr.txt")
  [ -z "$bad" ] || fail "black on the default background at line $bad"
  ;;
console)
  start m.json
  # one printed line: the status line; several: the console opens
  keys : 'lua print("just one line")' Enter
  wait_text "just one line"
  no_text "Console: what scripts printed"
  keys : 'lua print("first of two") print("second of two")' Enter
  wait_text "┌ Console: what scripts printed (Up/Down scroll, other keys close)"
  wait_text "│ first of two"
  wait_text "│ second of two"
  keys Escape
  no_text "Console: what scripts printed"
  keys c
  wait_text "│ just one line"
  keys Escape
  # a lesson steps with its own keys, through the open console
  keys : "source $src/scripts/lessons/tiles_and_padding.lua" Enter
  wait_text "│ == tiles and padding: step 1/6: a tensor is stored as tiles =="
  keys '>'
  wait_text "│ == tiles and padding: step 2/6: what padding costs =="
  wait_text "lesson_tiles @ wormhole_n150"
  wait_text "   100x100 bfloat16"
  keys Escape q
  wait_line "EXITED-0"
  ;;
mouse)
  start m.json
  click 9 4
  wait_text ">✓ B                  DRAM IL │"
  wait_text "│ B 256x256 bfloat16 | DRAM interleaved | 64 pages over 12 DRAM banks, 12.0K each"
  click 19 0
  wait_text " ttlx   1 Cores  [2 Tiles]  3 Projection"
  click 9 0
  wait_text " ttlx  [1 Cores]  2 Tiles   3 Projection"
  click 9 2
  wait_text ">✓ A                    L1 SH │"
  # the core under the pointer: s1 is core (1,0)
  click 42 3
  wait_text "Core (1,0) L1 breakdown"
  wait_text "│ y0  s0   >s1    s2    s3    ·     ·     ·     ·"
  # the wheel moves the list under the pointer three rows at a time
  wheel 5 2 1
  wait_text ">✓ C                  DRAM IL │"
  wheel 5 2 0
  wait_text ">✓ A                    L1 SH │"
  # a click anywhere closes the help
  keys '?'
  wait_text "Help: keys and commands (Esc closes, Up/Down scroll, / find)"
  click 60 20
  no_text "Help: keys and commands"
  wait_text "Core (1,0) L1 breakdown"
  ;;
quit)
  start            # no FILE: the built-in sample
  wait_text " <built-in sample> | matmul | wormhole_n150 | 3 buffers"
  keys q
  wait_line "EXITED-0"
  screen | grep -Fq "Buffers (" && fail "the explorer's screen is still shown after quit"
  stty_ok=$(tmux -L "$sock" display -p -t "$sess" '#{alternate_on}')
  [ "$stty_ok" = 0 ] || fail "alternate screen still on"
  ;;
*) echo "unknown case $case"; exit 2 ;;
esac
# every case ends by quitting: the exit status must be 0 and stderr free of
# sanitizer reports (this script also runs under ASan+UBSan builds)
if ! screen | grep -Fq "EXITED-"; then
  keys Escape Escape : 'q!' Enter
  wait_line "EXITED-0"
fi
if grep -q "Sanitizer\|runtime error" "$work/stderr.log" 2>/dev/null; then
  cat "$work/stderr.log"
  fail "sanitizer report"
fi
echo "ok ($case)"
exit 0
