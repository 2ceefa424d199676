#!/bin/sh
# Command-line tests: exit statuses and the exact text of help, summaries and
# errors, run against the real binary.
#   run_cli_tests.sh TTLX SOURCE_DIR
set -u
ttlx=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# check NAME WANT_STATUS WANT_STDOUT_FILE_OR_- WANT_STDERR_TEXT_OR_- -- CMD...
check() {
    name=$1 want_status=$2 want_out=$3 want_err=$4
    shift 5
    "$@" > "$tmp/out" 2> "$tmp/err"
    status=$?
    ok=1
    if [ "$status" != "$want_status" ]; then
        echo "FAIL $name: exit $status, expected $want_status"; ok=0
    fi
    for stream in out err; do
        if [ $stream = out ]; then want=$want_out; else want=$want_err; fi
        [ "$want" = - ] && continue
        if [ -z "$want" ]; then : > "$tmp/want"; else printf '%s\n' "$want" > "$tmp/want"; fi
        if ! cmp -s "$tmp/want" "$tmp/$stream"; then
            echo "FAIL $name: std$stream differs:"; diff -u "$tmp/want" "$tmp/$stream"; ok=0
        fi
    done
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

# contains NAME NEEDLE FILE
contains() {
    if grep -qF -- "$2" "$3"; then pass=$((pass + 1)); else
        echo "FAIL $1: '$2' not in $3:"; cat "$3"; fail=$((fail + 1)); fi
}

check version 0 "ttlx 0.1.0" "" -- "$ttlx" --version
# a mistyped command is no FILE for the explorer: did you mean
check did-you-mean 2 "" "ttlx: unknown command 'infre' (did you mean 'infer'?)
Try 'ttlx --help'." -- "$ttlx" infre x.json
check did-you-mean-alone 2 "" "ttlx: unknown command 'devics' (did you mean 'devices'?)
Try 'ttlx --help'." -- "$ttlx" devics
check unknown-word 2 "" "ttlx: unknown command 'frobnicate', and no such FILE
Try 'ttlx --help'." -- "$ttlx" frobnicate
"$ttlx" --help > "$tmp/overview"
contains usage-explorer "  ttlx [--script F.lua] [--theme T] [--trust] [--device D] [--func NAME] [--bind N=V] [FILE]" "$tmp/overview"
check no-file 2 "" "ttlx: infer needs a FILE
Try 'ttlx help infer'." -- "$ttlx" infer
check fix-o-alone 2 "" "ttlx: -o OUT goes with --fix
Try 'ttlx help infer'." -- "$ttlx" infer -o "$tmp/never.json" "$src/samples/l1_overflow.json"
check fix-o-no-name 2 "" "ttlx: -o needs a file name
Try 'ttlx help infer'." -- "$ttlx" infer --fix -o
check fix-unwritable 2 - "ttlx: $tmp/no/such/dir/out.json: cannot create a temporary file beside it: No such file or directory" -- "$ttlx" infer --fix -o "$tmp/no/such/dir/out.json" "$src/samples/l1_overflow.json"
check two-files 2 "" "ttlx: one FILE only (got 'a.json' and 'b.json')
Try 'ttlx help infer'." -- "$ttlx" infer a.json b.json
check bad-option 2 "" "ttlx: unknown option '--jsno'
Try 'ttlx help infer'." -- "$ttlx" infer --jsno x.json
check missing-file 2 "" "ttlx: /nonexistent/x.json: cannot open: No such file or directory" -- \
    "$ttlx" infer /nonexistent/x.json
printf '{"name": "f",\n "buffers": [{"name": "A", "shape": [64, 64] "dtype": "int8"}]}\n' > "$tmp/bad.json"
check malformed 2 "" "ttlx: $tmp/bad.json:2:46: malformed JSON near '\"dtype\": \"int8\"}]}'" -- \
    "$ttlx" infer "$tmp/bad.json"
printf '{"name": "f", "buffers": [{"name": "A", "shape": [64, 64], "dtype": "bf61"}]}' > "$tmp/dt.json"
check bad-dtype 2 "" "ttlx: $tmp/dt.json:1:69: buffers[0] \"A\": unknown dtype \"bf61\" (did you mean \"bf16\"?)" -- \
    "$ttlx" infer "$tmp/dt.json"
check unknown-device 2 "" "ttlx: unknown device 'wormhole' (known: wormhole_n150, wormhole_n300, wormhole_n300_tensix_dispatch, blackhole_p100, blackhole_p150, blackhole_p150_130, or a .json file)" -- \
    "$ttlx" infer --device wormhole "$src/samples/matmul_default.json"
check no-such-func 2 "" "ttlx: $src/samples/two_kernels.json: no function named 'nope' (it has: layernorm proj)" -- \
    "$ttlx" infer --func nope "$src/samples/two_kernels.json"
check clean-exit 0 - "" -- "$ttlx" infer "$src/samples/matmul_default.json"
check errors-exit 1 - "" -- "$ttlx" infer "$src/samples/l1_overflow.json"
check errors-exit-json 1 - "" -- "$ttlx" infer --json "$src/samples/misaligned_l1_shard.json"

printf '{"name": "f", "buffers": [], "device": "grayskul"}' > "$tmp/gs.json"
check file-device 2 "" "ttlx: $tmp/gs.json: unknown device 'grayskul' (known: wormhole_n150, wormhole_n300, wormhole_n300_tensix_dispatch, blackhole_p100, blackhole_p150, blackhole_p150_130, or a .json file)" -- \
    "$ttlx" infer "$tmp/gs.json"

# The readable summary, exactly.
check summary 0 "matmul on wormhole_n150: 8x8 cores, 1,382,144 B L1 per core, 12 DRAM banks

A  [256, 256] bfloat16  L1 sharded  (ok)
  tiles      32x32, 2,048 B per tile; tile grid 8x8 = 64 pages
  shards     axes [M, N], grid [2, 4], shard [128, 64] = 8 shards of 8 tiles
  projection grid 2x4 (M x N), shard 4x2 tiles
  placement  grid_2d (x=N, y=M), 8 cores, up to 1 shard per core
  per core   16,384 B of 1,382,144 B L1
  ttnn       L1 BLOCK_SHARDED ShardSpec({[(0,0)-(3,1)]}, [128, 64], ROW_MAJOR)
B  [256, 256] bfloat16  DRAM interleaved  (ok)
  tiles      32x32, 2,048 B per tile; tile grid 8x8 = 64 pages
  placement  interleaved over 12 DRAM banks, page i in bank i % 12
  per bank   6 pages = 12,288 B
  ttnn       DRAM INTERLEAVED
C  [256, 256] bfloat16  DRAM interleaved  (ok)
  tiles      32x32, 2,048 B per tile; tile grid 8x8 = 64 pages
  placement  interleaved over 12 DRAM banks, page i in bank i % 12
  per bank   6 pages = 12,288 B
  ttnn       DRAM INTERLEAVED

work       local_shard: grid tiles 8x8, led by A: shard grid 2x4, 4x2 tiles per shard; 8 cores
           launch grid 8x8 blocks (T.Kernel); local_shard splits by shard
           output C: 8x8 tiles, 1x1 per block; cores work on A's shards, 8 tiles per core
           Kt 8: A x B is matmul-shaped, K = 256 in tiles 32 wide
CBs        3 per core, 12,288 B per core
L1         worst core (0,0) uses 28,672 of 1,382,144 B (2.1%)

diagnostics: 0 errors, 0 warnings, 0 info" "" -- "$ttlx" infer "$src/samples/matmul_sharded.json"

# Diagnostics and fixes in the summary.
"$ttlx" infer "$src/samples/misaligned_l1_shard.json" > "$tmp/mis.txt"
contains summary-diag "  error   TTL004 A: L1 shard requires tile alignment: shard M=100 is not a multiple of the tile height 32" "$tmp/mis.txt"
contains summary-fix "          fix: shard_shape_elems [96, 64] with grid [3, 4] (nearest tile-aligned shard that covers the tensor)" "$tmp/mis.txt"

# --device: a name overrides the file's device, a JSON profile works too.
"$ttlx" infer --device blackhole_p150 "$src/samples/matmul_default.json" > "$tmp/bh.txt"
contains device-name "matmul on blackhole_p150: 11x10 cores, 1,461,504 B L1 per core, 8 DRAM banks" "$tmp/bh.txt"
printf '{"name": "toy", "grid": [2, 2], "l1": 262144, "l1_bank": 200000, "dram_banks": 2, "dram_bank": 1048576, "dram_align": 32, "max_cbs": 4}' > "$tmp/toy.json"
"$ttlx" infer --device "$tmp/toy.json" "$src/samples/matmul_sharded.json" > "$tmp/toy.txt"
contains device-file "matmul on toy: 2x2 cores, 200,000 B L1 per core, 2 DRAM banks" "$tmp/toy.txt"
contains device-file-ttl007 "error   TTL007 A: projected grid 4x2 (x by y, row_major) does not fit the 2x2 core grid of toy" "$tmp/toy.txt"

# --func picks a function of an IRModule.
"$ttlx" infer --func proj "$src/samples/two_kernels.json" > "$tmp/proj.txt"
contains func "proj on wormhole_n150" "$tmp/proj.txt"

# Byte-identical JSON across runs.
"$ttlx" infer --json "$src/samples/attention_nd.json" > "$tmp/a1.json"
"$ttlx" infer --json "$src/samples/attention_nd.json" > "$tmp/a2.json"
if cmp -s "$tmp/a1.json" "$tmp/a2.json"; then pass=$((pass + 1)); else echo "FAIL identical"; fail=$((fail + 1)); fi

# Help and the device list.
"$ttlx" --help > "$tmp/help.txt"
contains help "  ttlx infer [--json] [--device D] [--fix [-o OUT]] FILE" "$tmp/help.txt"
"$ttlx" help infer > "$tmp/hi.txt"
contains help-infer "  --json          print the canonical JSON document (stable, byte-identical)" "$tmp/hi.txt"
check help-unknown 2 "" "ttlx: no help for 'frob': not a command
Try 'ttlx --help'." -- "$ttlx" help frob
"$ttlx" devices > "$tmp/dev.txt"
contains devices "wormhole_n150                 8x8    tensix     1,499,136   1,382,144 12 x 1,073,741,792       32      32  (default)" "$tmp/dev.txt"
contains devices-n300 "wormhole_n300                 8x8    ethernet   1,499,136   1,382,144 12 x 1,073,741,792       32      32" "$tmp/dev.txt"
contains devices-n300-tensix "wormhole_n300_tensix_dispatch 8x7    tensix     1,499,136   1,382,144 12 x 1,073,741,792       32      32" "$tmp/dev.txt"
contains devices-bh "blackhole_p150_130            13x10  tensix     1,572,864   1,461,760 8 x 4,278,190,016        64      64" "$tmp/dev.txt"
"$ttlx" devices --json > "$tmp/dev.json"
contains devices-json '"l1_bank":	1461504' "$tmp/dev.json"
contains devices-json-dram '"dram_bank":	1073741792' "$tmp/dev.json"
contains devices-json-dispatch '"dispatch":	"ethernet"' "$tmp/dev.json"
# The Tensix-dispatch n300 has one core row less: 8x7 = 56 cores take 64 tiles.
"$ttlx" infer --device wormhole_n300_tensix_dispatch "$src/samples/matmul_default.json" > "$tmp/n300t.txt"
contains device-n300-tensix "matmul on wormhole_n300_tensix_dispatch: 8x7 cores, 1,382,144 B L1 per core, 12 DRAM banks" "$tmp/n300t.txt"
contains device-n300-tensix-split "           launch grid 8x8 blocks (T.Kernel), 1-2 blocks per core on 56 cores" "$tmp/n300t.txt"

# --bind holds 32 names: the 33rd says so (it once said "not 'gg=1'").
binds=""
for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32; do
    binds="$binds --bind n$n=$n"
done
check bind-limit 2 "" "ttlx: at most 32 --bind options
Try 'ttlx help infer'." -- "$ttlx" infer $binds --bind gg=1 "$src/samples/halo_hint.json"
"$ttlx" infer $binds "$src/samples/halo_hint.json" > /dev/null 2> "$tmp/err32"
if grep -q -- "--bind" "$tmp/err32"; then
    echo "FAIL bind-32: 32 --bind options refused:"; cat "$tmp/err32"; fail=$((fail + 1))
else pass=$((pass + 1)); fi

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
