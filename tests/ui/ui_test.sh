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

# start_lesson NAME: the explorer at 80x24 running scripts/lessons/NAME.lua
start_lesson() {
  tmux -L "$sock" -f /dev/null new-session -d -s "$sess" -x 80 -y 24 \
    "cd '$work' && env TERM=$uiterm LC_ALL=C.UTF-8 TTLX_THEME=default '$ttlx' --script '$src/scripts/lessons/$1.lua' 2>>'$work/stderr.log'; echo EXITED-\$?; sleep 60"
}
# next_lesson: quits (dropping the lesson's hint edits) and closes the session
next_lesson() {
  keys : 'q!' Enter
  wait_line "EXITED-0"
  tmux -L "$sock" kill-server
  sleep 0.3
}

case $case in
cancel)
  # a solve longer than a frame stops on Esc: 200 buffers (about 1.5 M
  # evaluations), Esc typed right after 6 is read by the solve's progress
  { printf '{"name": "many", "buffers": ['
    i=0
    while [ $i -lt 200 ]; do
      [ $i -gt 0 ] && printf ','
      printf '{"name": "t%d", "shape": [%d, 512], "dtype": "bfloat16"}' $i $((256 + 32 * (i % 7)))
      i=$((i + 1))
    done
    printf ']}\n'; } > "$work/many.json"
  tmux -L "$sock" -f /dev/null new-session -d -s "$sess" -x 80 -y 24 \
    "cd '$work' && env TERM=$uiterm LC_ALL=C.UTF-8 TTLX_THEME=default '$ttlx' many.json 2>>'$work/stderr.log'; echo EXITED-\$?; sleep 60"
  wait_text "Buffers (200)"
  tmux -L "$sock" send-keys -t "$sess" 6 Escape
  wait_text "solve: solve cancelled after "
  wait_text "│ r solves again, o switches the objective"
  keys r
  # the full solve: its progress on the status line, then the table (a
  # sanitizer build takes several seconds)
  i=0
  while [ $i -lt 300 ] && ! screen | grep -Fq "│ objective l1 | best found |"; do sleep 0.1; i=$((i + 1)); done
  wait_text "│ objective l1 | best found |"
  wait_text "│ >now     1       0B    64   0    1.56M   549.8K"
  wait_text "│    1     1   29.88M    64   0    4.38M     1.8K"
  ;;
fix)
  # f applies a diagnostic's fix_hints as one undo step and says what changed
  cp "$src/samples/l1_overflow.json" "$work/o.json"
  tmux -L "$sock" -f /dev/null new-session -d -s "$sess" -x 120 -y 36 \
    "cd '$work' && env TERM=$uiterm LC_ALL=C.UTF-8 TTLX_THEME=default '$ttlx' o.json 2>>'$work/stderr.log'; echo EXITED-\$?; sleep 60"
  wait_text "Buffers (3)"
  wait_text ">✗ TTL005 error    act    L1 shard exceeds capacity"
  # from the buffer list: the selected buffer's first fixable diagnostic
  keys f
  wait_line "fix TTL005 applied: act grid [2, 2] -> [4, 4], shard_shape_elems [1024, 1024] -> [512, 512]"
  wait_text " Diagnostics: 0 errors, 0 warnings, 1 info"
  no_text "TTL005 error"
  wait_text "│ act 2048x2048 float32 | L1 sharded | 16 shards on 16 cores, 1.00M each"
  keys u
  wait_text " Diagnostics: 2 errors, 0 warnings, 1 info"
  wait_text ">✗ TTL005 error    act    L1 shard exceeds capacity"
  # in the diagnostics pane: the selected one; one without a fix says so
  keys Tab Tab j
  wait_text ">i TTL013 info     bias"
  keys f
  wait_line "TTL013 on bias has no fix to apply: its fix is advice, not a hint change"
  wait_text "▸Diagnostics: 2 errors, 0 warnings, 1 info"
  keys k f
  wait_line "fix TTL005 applied: act grid [2, 2] -> [4, 4], shard_shape_elems [1024, 1024] -> [512, 512]"
  keys u
  wait_text "▸Diagnostics: 2 errors, 0 warnings, 1 info"
  # a buffer with nothing to fix
  keys Tab j j
  wait_text ">✓ out"
  keys f
  wait_line "out has no diagnostics: nothing to fix"
  ;;
solve)
  start m.json
  keys 6
  wait_text "[6 Solve]"
  wait_text "│ objective l1 | optimal | 9 evaluated | no pins"
  wait_text "│    #   err       L1 cores rsh  padding     free"
  wait_text "│ >now     0   128.0K     8   0    32.0K    1.29M"
  wait_text "│    1 ★   0   384.0K    64   0       0B    1.30M"
  wait_text "│     A: L1 sharded 2x4 block -> L1 sharded 8x8 block"
  wait_text "│     B: DRAM interleaved -> L1 sharded 8x8 block"
  # the table has the keys at once; the cursor previews alternative 1 in
  # every view; the hints stay
  wait_text "│▸A 256x256 bfloat16 | L1 sharded | 8 shards on 8 cores, 16.0K each"
  keys j
  wait_text "│ >  1 ★   0   384.0K    64   0       0B    1.30M"
  wait_text "│▸[alt 1] A 256x256 bfloat16 | L1 sharded | 64 shards on 64 cores, 2.0K each"
  wait_text " preview of alternative 1 | m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 18.0K/1.32M"
  keys 1
  wait_text "│▸[alt 1] A 256x256 bfloat16 | L1 sharded | 64 shards on 64 cores, 2.0K each"
  wait_text "│ y0 >s0    s1    s2    s3    s4    s5    s6    s7        used 18.0K of 1.32M (1%) work"
  wait_text " ✓ B                    L1 SH │"
  # Esc ends the preview: the user's layout again
  keys Escape
  wait_line "preview ended: your hints are shown again"
  wait_text "│▸A 256x256 bfloat16 | L1 sharded | 8 shards on 8 cores, 16.0K each"
  wait_text " ✓ B                  DRAM IL │"
  # Enter applies an alternative as one undo step; u reverts it
  keys 6 j Enter
  wait_text "alternative 1 applied: A: L1 sharded 2x4 block -> L1 sharded 8x8 block; B: DRAM interleaved -> L1 sharded 8x8 block; C:"
  wait_text " ✓ B                    L1 SH │"
  wait_text "│ >now     0   384.0K    64   0       0B    1.30M"
  keys u
  wait_text " ✓ B                  DRAM IL │"
  wait_text "│ >now     0   128.0K     8   0    32.0K    1.29M"
  wait_text " m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 28.0K/1.32M"
  # P pins the selected buffer: marked in the list, kept by the solver
  keys P
  wait_line "A pinned: the solver keeps its hint (P frees it)"
  wait_text ">✓◆A                    L1 SH │ objective l1 | optimal | 23 evaluated | pinned A"
  wait_text "│    1 ★   0   384.0K     8   0       0B    1.29M"
  wait_text "│     B: DRAM interleaved -> L1 interleaved"
  no_text "A: L1 sharded 2x4 block ->"
  keys P
  wait_line "A freed: the solver may change its layout"
  wait_text "│ objective l1 | optimal | 9 evaluated | no pins"
  # o switches the objective
  keys o
  wait_line "objective cores: most work cores first"
  wait_text "│ objective cores | optimal |"
  ;;
follow)
  # grid and shard shape follow each other in the editor
  start m.json
  keys e j j j j j
  wait_text "│>grid     2,4"
  keys Enter BSpace BSpace BSpace 4 , 4 Enter
  wait_text "│>grid     4,4 "
  wait_text "│ shard    64,64 "
  wait_line "A grid [2, 4] -> [4, 4], shard_shape_elems [128, 64] -> [64, 64]"
  wait_text "│Δ grid [2, 4] -> [4, 4],"
  # typed in this edit: the grid no longer follows the shard shape
  keys j Enter BSpace BSpace BSpace BSpace BSpace 3 2 , 3 2 Enter
  wait_text "│>shard    32,32 "
  wait_text "│ grid     4,4 "
  wait_text "TTL008"
  # one undo step per typed value, the followed list with it
  keys u
  wait_text "│>shard    64,64 "
  keys u
  wait_text "│ grid     2,4 "
  wait_text "│>shard    128,64 "
  # a new edit: the grid follows a typed shard shape
  keys Escape e j j j j j j Enter BSpace BSpace BSpace BSpace BSpace BSpace 1 2 8 , 1 2 8 Enter
  wait_text "│ grid     2,2 "
  wait_line "A grid [2, 4] -> [2, 2], shard_shape_elems [128, 64] -> [128, 128]"
  # outside the editor, :set follows too
  keys Escape : 'set grid 8,8' Enter
  keys e j j j j j j
  wait_text "│>shard    32,32 "
  ;;
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
lessons80)
  # Every lesson at 80x24, stepped with >: each step pinned at the top
  # (title, keys, text) and the view it drives (the tab, its lines, the
  # cursor it sets).
  # ---- tiles_and_padding
  start_lesson tiles_and_padding
  # step 1
  wait_line ' ttlx   1 Cores  [2 Tiles]  3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 1/6 tiles and padding: a tensor is stored as tiles       <:back >:next X:leave'
  wait_line ' A buffer is stored as whole tiles, one tile per page. x is 100x100: 100/32 ='
  wait_line ' 3.1, so 4 tile rows by 4 tile columns. The Tiles view draws the 16 tiles,'
  wait_line ' each labelled with the DRAM bank (#B) that holds it.'
  wait_line '>✓ x            DRAM IL │ tile view 4 x 4 tiles of 32x32 | zoom 1:1, one cell p…'
  wait_line ' ✓ w            DRAM IL │ 0 #0<#1 #2 #3╱'
  wait_line '                        │ tile (0,0) → DRAM bank 0, page slot 0 | logical'
  keys '>'
  # step 2
  wait_line ' ttlx   1 Cores  [2 Tiles]  3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 2/6 tiles and padding: what padding costs                <:back >:next X:leave'
  wait_line ' The cursor is on tile (3,3): rows and columns 96..127, of which only 4x4'
  wait_line ' elements are real. x stores 128x128 = 16384 elements for 10000; TTL013'
  wait_line ' (below) counts the pages that hold padding. w, 64x64, is exactly 2x2 tiles.'
  wait_line '>✓ x            DRAM IL │ tile view 4 x 4 tiles of 32x32 | zoom 1:1, one cell p…'
  wait_line ' ✓ w            DRAM IL │ 0 #0 #1 #2 #3*'
  wait_line '                        │ tile (3,3) → DRAM bank 3, page slot 1 | padding'
  keys '>'
  # step 3
  wait_line ' ttlx   1 Cores   2 Tiles   3 Projection   4 Work  [5 Metadata]  6 Solve'
  wait_line ' 3/6 tiles and padding: the dtype sets the page size      <:back >:next X:leave'
  wait_line ' A page is one tile: 32x32 elements times the element size. w as bfloat8_b (8'
  wait_line ' bits a value plus shared exponents) has 1088 B pages, not 2048: see the pane'
  wait_line ' title. The hint'\''s dtype overrides the buffer'\''s; the CB format follows.'
  wait_line ' ✓ x            DRAM IL │ TTNN MemoryConfig'
  wait_line '>✓ w            DRAM IL │   buffer type    DRAM'
  wait_line '   64x64 bfloat8_b      │ "tt.buffer.w": {'
  wait_line '   3x40x70 float32      │     "layout": "interleaved",'
  keys '>'
  # step 4
  wait_line ' ttlx   1 Cores  [2 Tiles]  3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 4/6 tiles and padding: smaller tiles pad less            <:back >:next X:leave'
  wait_line ' x with 16x32 tiles (tile_shape = {16, 32}) pads 100 rows to 112, not 128: 7'
  wait_line ' tile rows of 4. Fewer kernels support such tiles, so ttlx warns (TTL012)'
  wait_line ' while showing the saving.'
  wait_line '>! x            DRAM IL │ tile view 7 x 4 tiles of 16x32 | zoom 1:1, one cell p…'
  wait_line ' ✓ w            DRAM IL │ 0 #0*#1 #2 #3╱'
  wait_line '                        │ tile (6,0) → DRAM bank 0, page slot 2 | padding'
  keys '>'
  # step 5
  wait_line ' ttlx   1 Cores  [2 Tiles]  3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 5/6 tiles and padding: outer dims multiply the tiles     <:back >:next X:leave'
  wait_line ' Only the last two dims are tiled. v is 3x40x70 float32: each of the 3'
  wait_line ' matrices pads to 64x96 (2x3 tiles), so the Tiles view stacks them: 6 tile'
  wait_line ' rows of 3, 18 pages of 4096 B.'
  wait_line ' ✓ x            DRAM IL │ tile view 6 x 3 tiles of 32x32 | zoom 1:1, one cell p…'
  wait_line ' ✓ w            DRAM IL │ 0 #0 #1 #2╱'
  wait_line '                        │ tile (2,0) → DRAM bank 6, page slot 0 | logical'
  keys '>'
  # step 6
  wait_line ' ttlx   1 Cores  [2 Tiles]  3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 6/6 tiles and padding: where the pages go                <:back >:next X:leave'
  wait_line ' DRAM interleaved, the default (TTNN: TensorMemoryLayout.INTERLEAVED,'
  wait_line ' BufferType.DRAM): page i goes to bank i % 12, so tile (1,0), page 4, is on'
  wait_line ' bank #4. Each bank reserves ceil(16/12) = 2 pages (lock-step).'
  wait_line '>✓ x            DRAM IL │ tile view 4 x 4 tiles of 32x32 | zoom 1:1, one cell p…'
  wait_line ' ✓ w            DRAM IL │ 0 #0 #1 #2 #3╱'
  wait_line '                        │ tile (1,0) → DRAM bank 4, page slot 0 | logical'
  next_lesson
  # ---- interleaved_vs_sharded
  start_lesson interleaved_vs_sharded
  # step 1
  wait_line ' ttlx   1 Cores  [2 Tiles]  3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 1/7 interleaved vs sharded: DRAM INTERLEAVED             <:back >:next X:leave'
  wait_line ' TTNN'\''s default MemoryConfig: TensorMemoryLayout.INTERLEAVED, BufferType.DRAM.'
  wait_line ' Page i goes to DRAM bank i % 12, so neighbouring tiles sit in different banks'
  wait_line ' (#0 #1 ... #B) and a read spreads over all of them.'
  wait_line '>✓ a            DRAM IL │ tile view 32 x 32 tiles of 32x32 | zoom 1:1, one cell…'
  wait_line ' ✓ c            DRAM IL │  0 #0 #1<#2 #3 #4 #5 #6 #7 #8 #9 #A #B #0 #1*#2 #3 #4'
  wait_line '                        │ tile (0,1) → DRAM bank 1, page slot 0 | logical'
  keys '>'
  # step 2
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 2/7 interleaved vs sharded: L1 INTERLEAVED, raster order <:back >:next X:leave'
  wait_line ' BufferType.L1: the same round-robin over the 64 cores'\'' L1 banks, 16 pages'
  wait_line ' each. ttlx draws L1 bank b on core (b % 8, b / 8), raster order; tt-metal'
  wait_line ' permutes its L1 bank ids, so on a device page i may sit elsewhere.'
  wait_line '>✓ a              L1 IL │     x0    x1    x2    x3    x4    x5    x6    x7'
  wait_line '   1024x1024 bfloat16   │ y0  ░16t >░16t  ░16t  ░16t  ░16t  ░16t  ░16t  ░16t'
  wait_line ' ✓ c            DRAM IL │ y1  ░16t  ░16t  ░16t  ░16t  ░16t  ░16t  ░16t  ░16t'
  keys '>'
  # step 3
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 3/7 interleaved vs sharded: HEIGHT_SHARDED               <:back >:next X:leave'
  wait_line ' Shards are bands of rows: grid 8x1, shard [128, 1024]. TTNN:'
  wait_line ' ShardSpec(CoreRangeSet({CoreRange((0,0), (0,7))}), [128, 1024], ROW_MAJOR):'
  wait_line ' shard m sits on core (0, m), a column of 8 cores with 256 KiB each.'
  wait_line '>✓ a              L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7'
  wait_line ' ✓ c            DRAM IL │ y1  ░s1   · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  wait_line '   1024x1024 bfloat16   │ y2 >░s2   · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  keys '>'
  # step 4
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 4/7 interleaved vs sharded: WIDTH_SHARDED                <:back >:next X:leave'
  wait_line ' Shards are bands of columns: grid 1x8, shard [1024, 128]. TTNN:'
  wait_line ' ShardSpec(CoreRangeSet({CoreRange((0,0), (7,0))}), [1024, 128], ROW_MAJOR):'
  wait_line ' shard n sits on core (n, 0), a row of 8 cores.'
  wait_line '>✓ a              L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7'
  wait_line '   1024x1024 bfloat16   │ y0  ░s0   ░s1  >░s2   ░s3   ░s4   ░s5   ░s6   ░s7'
  wait_line ' ✓ c            DRAM IL │ y1  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  keys '>'
  # step 5
  wait_line ' ttlx   1 Cores  [2 Tiles]  3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 5/7 interleaved vs sharded: BLOCK_SHARDED over 8x8       <:back >:next X:leave'
  wait_line ' ShardSpec(CoreRangeSet({CoreRange((0,0), (7,7))}), [128, 128], ROW_MAJOR):'
  wait_line ' 4x4-tile blocks, shard (m, n) on core (x = n, y = m). Tile (5,9) is in shard'
  wait_line ' 10, on core (2,1).'
  wait_line '>✓ a              L1 SH │ tile view 32 x 32 tiles of 32x32 | zoom 1:1, one cell…'
  wait_line ' ✓ c            DRAM IL │  0 00 00 00 00 10 10 10 10 20 20 20 20 30 30 30 30 40'
  wait_line '                        │ tile (5,9) → core (2,1), shard 10 slot 0, tile 5 in s…'
  keys '>'
  # step 6
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 6/7 interleaved vs sharded: shard orientation            <:back >:next X:leave'
  wait_line ' A 2x4 grid of 512x256 shards: ROW_MAJOR puts shard (m, n) on core (n, m),'
  wait_line ' CoreRange((0,0), (3,1)). order = "col_major" is ShardOrientation.COL_MAJOR:'
  wait_line ' core (m, n), CoreRange((0,0), (1,3)), as the Cores view shows.'
  wait_line '>✓ a              L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7'
  wait_line ' ✓ c            DRAM IL │ y1  ░s1   ░s5   · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  wait_line '                        │ y3  ░s3  >░s7   · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  keys '>'
  # step 7
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 7/7 interleaved vs sharded: too big for one core         <:back >:next X:leave'
  wait_line ' The whole 2 MiB tensor as one shard cannot fit a core'\''s 1.32 MiB L1 bank:'
  wait_line ' ttlx says so (TTL005, TTL006, below) and computes the nearest grid whose'
  wait_line ' shards fit. The pane below shows the first diagnostic with its fix.'
  wait_line '>✗ a              L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7'
  wait_line '   1024x1024 bfloat16   │ y0 >‼s0   · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  wait_line ' ✓ c            DRAM IL │ y1  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  next_lesson
  # ---- nd_projection
  start_lesson nd_projection
  # step 1
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 1/5 N-D projection: label the axes, split M and N        <:back >:next X:leave'
  wait_line ' Axes B, H, M, N, grid [1, 1, 4, 2]: seq cut in 4, dim in 2. Shard (m, n)'
  wait_line ' lands on core (x = n, y = m). TTNN: NdShardSpec(Shape([2, 4, 64, 64]),'
  wait_line ' CoreRange((0,0), (1,3)), ROW_MAJOR, GRID_2D).'
  wait_line '>✓ q              L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7'
  wait_line '                        │ y1  ░s2   ░s3   · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  wait_line '                        │ y3  ░s6  >░s7   · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  keys '>'
  # step 2
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 2/5 N-D projection: other axes stack on a core           <:back >:next X:leave'
  wait_line ' Splitting batch too (grid [2, 1, 4, 2]) makes 16 shards, but the core depends'
  wait_line ' on (m, n) only: shards that differ in B stack, 2 per core (s0 +1 in the'
  wait_line ' view). TTNN deals them with ROUND_ROBIN_1D over the same 2x4 cores.'
  wait_line '>✓ q              L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7'
  wait_line '   2x4x256x128 bfloat16 │ y0 >░s0+1 ░s1+1 · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  wait_line '                        │ y1  ░s2+1 ░s3+1 · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  keys '>'
  # step 3
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 3/5 N-D projection: round_robin_1d deals shards out      <:back >:next X:leave'
  wait_line ' distribution = "round_robin_1d": shard i (row-major over all axes) goes to'
  wait_line ' core i % 64 in raster order, 16 shards on 16 cores. TTNN: NdShardSpec over'
  wait_line ' CoreRange((0,0), (7,7)) with ShardDistributionStrategy.ROUND_ROBIN_1D.'
  wait_line '>✓ q              L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7'
  wait_line '                        │ y1  ░s8   ░s9   ░s10  ░s11  ░s12  ░s13  ░s14 >░s15'
  keys '>'
  # step 4
  wait_line ' ttlx   1 Cores  [2 Tiles]  3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 4/5 N-D projection: col_major turns the grid             <:back >:next X:leave'
  wait_line ' order = "col_major" is ShardOrientation.COL_MAJOR: shard (m, n) on core (x ='
  wait_line ' m, y = n), CoreRange((0,0), (3,1)). Tile (2,0), seq rows 64..95, is in shard'
  wait_line ' m = 1: core (1,0).'
  wait_line '>✓ q              L1 SH │ tile view 64 x 4 tiles of 32x32 | zoom 1:1, one cell …'
  wait_line '                        │  0 00 00 01 01'
  wait_line '                        │ tile (2,0) → core (1,0), shard 2 slot 0, tile 0 in sh…'
  keys '>'
  # step 5
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 5/5 N-D projection: when the projection cannot work      <:back >:next X:leave'
  wait_line ' Without an N label there is nothing to project (TTL003); 16 shards along M'
  wait_line ' need 16 core rows (TTL007) and 16-row shards are not whole tiles (TTL004); a'
  wait_line ' grid leaving part of q without a shard is not covered (TTL008), as below.'
  wait_line '>✗ q              L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7'
  wait_line '   2x4x256x128 bfloat16 │ y0 >░s0   ░s1   · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  wait_line '                        │ y1  ░s2   ░s3   · 0%  · 0%  · 0%  · 0%  · 0%  · 0%'
  next_lesson
  # ---- letting_ttlx_choose
  start_lesson letting_ttlx_choose
  # step 1
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 1/4 letting ttlx choose: Wormhole: an 8x8 grid           <:back >:next X:leave'
  wait_line ' ttlx.solve{} ranks every legal layout. 32 tiles a side split evenly over 8x8'
  wait_line ' cores: rank 1 is BLOCK_SHARDED, 4x4 tiles per core, no padding, all 64 cores'
  wait_line ' at work (shown applied). L1 interleaved ties on the figures, less local.'
  wait_line '>✓ A              L1 SH │     x0    x1    x2    x3    x4    x5    x6    x7'
  wait_line '   1024x1024 bfloat16   │ y0 >░s0   ░s1   ░s2   ░s3   ░s4   ░s5   ░s6   ░s7'
  wait_line ' ✓ B              L1 SH │ y1  ░s8   ░s9   ░s10  ░s11  ░s12  ░s13  ░s14  ░s15'
  keys '>'
  # step 2
  wait_line ' ttlx  [1 Cores]  2 Tiles   3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 2/4 letting ttlx choose: Blackhole: an 11x10 grid        <:back >:next X:leave'
  wait_line ' 32 tiles do not split evenly over 11x10 cores: block shards of 4x3 tiles use'
  wait_line ' 88 cores; L1 INTERLEAVED deals the 1024 pages over all 110 (10 each, 76 of'
  wait_line ' padding), so rank 1 is interleaved: more work cores despite the padding.'
  wait_line '>✓ A              L1 IL │     x0  x1  x2  x3  x4  x5  x6  x7  x8  x9  x10'
  wait_line '   1024x1024 bfloat16   │ y0 >░…  ░…  ░…  ░…  ░…  ░…  ░…  ░…  ░…  ░…  ░…'
  wait_line ' ✓ B              L1 IL │ y1  ░…  ░…  ░…  ░…  ░…  ░…  ░…  ░…  ░…  ░…  ░…'
  keys '>'
  # step 3
  wait_line ' ttlx   1 Cores  [2 Tiles]  3 Projection   4 Work   5 Metadata   6 Solve'
  wait_line ' 3/4 letting ttlx choose: what matters to you decides     <:back >:next X:leave'
  wait_line ' objective = "headroom" keeps the most L1 free instead: everything goes to'
  wait_line ' DRAM (shown applied: A is DRAM INTERLEAVED again). reserve = "10%" keeps a'
  wait_line ' tenth of every L1 bank free for your own use.'
  wait_line '>✓ A            DRAM IL │ tile view 32 x 32 tiles of 32x32 | cell = 4 x 2 tiles…'
  wait_line ' ✓ B            DRAM IL │  0 #0<#2 #4 #6 #0 #2 #4 #6 #0 #2 #4 #6 #0 #2 #4 #6'
  wait_line '                        │ tile (0,0) → DRAM bank 0, page slot 0 | logical'
  keys '>'
  # step 4
  wait_line ' ttlx   1 Cores   2 Tiles   3 Projection  [4 Work]  5 Metadata   6 Solve'
  wait_line ' 4/4 letting ttlx choose: taking the answer               <:back >:next X:leave'
  wait_line ' Rank 1'\''s hints are a complete tt.user_layout: ttlx.hints(alts[1].hints)'
  wait_line ' applies them (one undo step: u undoes it); `ttlx solve --apply FILE` writes'
  wait_line ' them into a file. The Work view shows the partition Wormhole'\''s rank 1 gives.'
  wait_line '>✓ A              L1 SH │ Circular buffers (tt.cb.*): one per buffer on every c…'
  wait_line ' ✓ B              L1 SH │ > A              Float16_b      2048     2      4.0K'
  next_lesson
  # <, leaving and coming back, :lesson N and the console
  start_lesson tiles_and_padding
  wait_line ' 1/6 tiles and padding: a tensor is stored as tiles       <:back >:next X:leave'
  wait_line 'c shows what was printed (8 lines)'
  keys : 'lesson 5' Enter
  wait_line ' 5/6 tiles and padding: outer dims multiply the tiles     <:back >:next X:leave'
  keys '<'
  wait_line ' 4/6 tiles and padding: smaller tiles pad less            <:back >:next X:leave'
  keys X
  wait_line 'left the lesson "tiles and padding" (> or :lesson resumes step 4)'
  no_text '4/6 tiles and padding'
  # the views get the rows back: the buffer list starts on row 1 again
  wait_line ' ttlx   1 Cores  [2 Tiles]  3 Projection   4 Work   5 Metadata   6 Solve'
  [ "$(screen | sed -n 2p)" = "▸Buffers (3)            │ x 100x100 bfloat16 | DRAM interleaved | 28 pages …" ] ||
    fail "the views did not take the lesson's rows back"
  keys '>'
  wait_line ' 4/6 tiles and padding: smaller tiles pad less            <:back >:next X:leave'
  keys c
  wait_text "│ 16x32     28        1024  [112, 128]  30.2%    TTL012"
  keys Escape
  # the help lists the lesson's keys
  keys '?' End
  wait_text "│ X                    tiles and padding: leave the lesson (> comes back)  "
  keys Escape
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
  wait_text "> 0x01c900 A               16.0K"
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
  # the grid follows the typed shard shape: ceil(256 / 100) = 3 shards on M
  wait_text "│ grid     3,4 "
  wait_text "│✗ TTL004 L1 shard"
  wait_text " Diagnostics: 1 error, 0 warnings, 0 info"
  wait_line "A grid [2, 4] -> [3, 4], shard_shape_elems [128, 64] -> [100, 64]"
  keys Enter
  wait_text "│>shard    100,64 "
  keys u
  wait_text "│>shard    128,64"
  wait_text "│ grid     2,4 "
  wait_text " Diagnostics: 0 errors, 0 warnings, 0 info"
  wait_text "│✓ no diagnostics "
  keys U
  wait_text " Diagnostics: 1 error, 0 warnings, 0 info"
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
  # the grid followed (2,4 -> 4,4); measured from the opening, not from "64,6"
  wait_text "│ grid     4,4         │"
  wait_text "│Δ A: cores 8->16      │"
  wait_text "Δ last change: A: cores 8->16 …"
  wait_text "│now: 16 cores x 8.0K  │"
  wait_line "A grid [2, 4] -> [4, 4], shard_shape_elems [128, 64] -> [64, 64]"
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
  wait_line "/export: line 36 of 80"
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
addresses)
  # The cursor core's L1 address map at 80x24: lock-step from the L1 base
  # 0x1C900 (wormhole_n150: 1,499,136 - 1,382,144), A's 16 KiB shard, the
  # CBs above it, the free space; then the whole map with key a.
  ui_w=80 ui_h=24 start m.json
  wait_line "                        │ Core (0,0) L1 28.0K of 1.32M (2%) work"
  wait_line "                        │ > 0x01c900-0x020900 A                          16.0K"
  wait_line "                        │   0x020900-0x023900 CBs (3)                    12.0K"
  wait_line "                        │   0x023900-0x16e000 free                       1.29M"
  keys a
  wait_line ">✓ A              L1 SH │ Core (0,0) L1 address map: 28.0K of 1.32M (2%) work"
  wait_line " ✓ B            DRAM IL │   0x020900-0x021900 CB A                        4.0K"
  wait_line "   256x256 bfloat16     │   0x021900-0x022900 CB B                        4.0K"
  wait_line " ✓ C            DRAM IL │   0x022900-0x023900 CB C                        4.0K"
  wait_line "   256x256 bfloat16     │   0x023900-0x16e000 free                       1.29M"
  wait_text "│ Buffers go bottom-up from the L1 base 0x01c900, each"
  # core (4,0) holds no A: A's range stays unused there (lock-step)
  keys Tab l l l l
  wait_line ">✓ A              L1 SH │ Core (4,0) L1 address map: 0B of 1.32M (0%)"
  wait_line "   256x256 bfloat16     │   0x01c900-0x020900 (A)                        16.0K"
  wait_line " ✓ B            DRAM IL │   0x020900-0x16e000 free                       1.30M"
  keys a
  wait_text "│     x0    x1    x2    x3    x4    x5    x6    x7"
  # a from another view opens the map; a long map scrolls with PgDn
  python3 -c "
import json
b = [{'name': 't%d' % i, 'shape': [64, 64], 'dtype': 'bfloat16'} for i in range(14)]
json.dump({'name': 'many', 'buffers': b,
           'attrs': {'tt.user_layout': {x['name']: {'memory': 'L1'} for x in b}}},
          open('$work/many.json', 'w'))"
  keys : 'e many.json' Enter
  wait_text "Buffers (14)"
  keys 5 a g
  wait_line ">✓ t0             L1 IL │ Core (0,0) L1 address map: 84.0K of 1.32M (6%) work"
  wait_line "   64x64 bfloat16       │ > 0x01c900-0x01d100 t0                          2.0K"
  wait_line " ✓ t7             L1 IL │   0x023100-0x023900 t13                         2.0K"
  wait_line "                +5 more │ ▼ 17 more"
  keys PgDn
  # 14 buffers, 14 CBs (4 KiB: 2 pages of 2 KiB) from 0x023900, then free
  wait_line " ✓ t6             L1 IL │   0x030900-0x031900 CB t13                      4.0K"
  wait_line "   64x64 bfloat16       │   0x031900-0x16e000 free                       1.24M"
  wait_line "                +5 more │ the L1 base."
  no_text "more │ ▼"
  # the end of the map stays in place
  keys PgDn PgDn
  wait_line "   64x64 bfloat16       │   0x031900-0x16e000 free                       1.24M"
  keys PgUp PgUp
  wait_line "   64x64 bfloat16       │ > 0x01c900-0x01d100 t0                          2.0K"
  ;;
footer)
  start m.json
  wait_line " m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 28.0K/1.32M        j/k:move Enter:edit /:filter ?:help"
  keys Tab
  wait_line " m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 28.0K/1.32M   hjkl:core a:addresses Enter:tiles ?:help"
  keys 2
  wait_line " m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 28.0K/1.32M            hjkl:tile +/-:zoom 0:fit ?:help"
  keys Tab
  wait_line " m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 28.0K/1.32M    j/k:move f:fix n/p:buffer e:edit ?:help"
  # the Solve view's own keys
  keys 6
  wait_line " m.json | matmul | wormhole_n150 | 3 buffers | 0E 0W 0I | L1 max 28.0K/1.32M       j/k:preview Enter:apply P:pin ?:help"
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
  # a lesson's step is pinned over the views; what it printed waits behind
  # c, and its keys work through the open console
  keys : "source $src/scripts/lessons/tiles_and_padding.lua" Enter
  wait_text " 1/6 tiles and padding: a tensor is stored as tiles"
  no_text "Console: what scripts printed"
  keys c
  wait_text "│ == tiles and padding: step 1/6: a tensor is stored as tiles =="
  keys '>'
  wait_text " 2/6 tiles and padding: what padding costs"
  keys c
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
