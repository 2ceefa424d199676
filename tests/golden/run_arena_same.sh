#!/bin/sh
# A large input (over 64 KiB: `ttlx infer` and `ttlx export` then allocate
# from their arena) must give byte for byte what the same text gives
# with TTLX_NO_ARENA=1 (no arena, the C library allocator), with the same exit
# status, and hold one entry per buffer.
#   run_arena_same.sh TTLX GEN_PRIMFUNC
set -u
ttlx=$1 gen=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$gen" 2000 > "$dir/big.json" || exit 1
size=$(wc -c < "$dir/big.json")
[ "$size" -gt 65536 ] || { echo "generated input is only $size bytes"; exit 1; }
"$ttlx" infer --json "$dir/big.json" > "$dir/arena.out"
s1=$?
TTLX_NO_ARENA=1 "$ttlx" infer --json "$dir/big.json" > "$dir/libc.out"
s2=$?
if ! cmp -s "$dir/arena.out" "$dir/libc.out"; then
    echo "arena and libc outputs differ:"
    diff "$dir/arena.out" "$dir/libc.out" | head -20
    exit 1
fi
[ "$s1" = "$s2" ] || { echo "exit status $s1 (arena) vs $s2 (libc)"; exit 1; }
# ttlx export takes the arena too: every format the same both ways.
for fmt in json python tvmscript plan svg; do
    "$ttlx" export --format $fmt "$dir/big.json" > "$dir/arena.$fmt" || exit 1
    TTLX_NO_ARENA=1 "$ttlx" export --format $fmt "$dir/big.json" > "$dir/libc.$fmt" || exit 1
    cmp -s "$dir/arena.$fmt" "$dir/libc.$fmt" || { echo "export --format $fmt differs"; exit 1; }
done
n=$(grep -c '"tt.buffer\.' "$dir/arena.out")
[ "$n" = 2000 ] || { echo "$n tt.buffer entries, expected 2000"; exit 1; }
echo "ok: 2000 buffers, $(wc -c < "$dir/arena.out") bytes, identical, exit $s1"
