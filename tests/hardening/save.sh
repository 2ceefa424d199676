#!/bin/sh
# Atomic save (ttlx.save through `ttlx run`, the explorer's writer): the
# write fails at each step we can force (file-size limit: the write itself;
# a full tmpfs; a read-only mount; a directory in the way) and each time
# the original must be byte-identical, no temporary file may be left, and
# the message must say the original is unchanged. Mount cases need root
# and mount rights; they are skipped (and said so) otherwise.
#   save.sh TTLX SOURCE_DIR [known_bugs]
set -u
ttlx=$1 src=$2 only=${3:-}
tmp=$(mktemp -d)
mnt=""
cleanup() { [ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
pass=0 fail=0 skipped=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

cat > "$tmp/edit.lua" <<'LUA'
ttlx.hint("B", {memory = "L1", layout = "sharded",
                nd_shard = {axes = {"M", "N"}, grid = {8, 8}, shard_shape_elems = {32, 32}}})
ttlx.save()
print("saved")
LUA

# expect_kept NAME DIR: the save into DIR/m.json failed cleanly
expect_kept() {
    name=$1 d=$2
    [ "$status" = 1 ] || bad "$name: exit $status, expected 1"
    cmp -s "$d/m.json" "$tmp/orig.json" && ok || bad "$name: the original changed"
    leftover=$(ls -A "$d" | grep '^\.m\.json\.' || true)
    [ -z "$leftover" ] && ok || bad "$name: temporary file left: $leftover"
    grep -q "the original is unchanged" "$tmp/err" && ok || { bad "$name: message:"; cat "$tmp/err"; }
}

cp "$src/samples/matmul_sharded.json" "$tmp/orig.json"

if [ "$only" != known_bugs ]; then
# 1. The write itself fails (RLIMIT_FSIZE 0: EFBIG; SIGXFSZ ignored).
mkdir "$tmp/fsize" && cp "$tmp/orig.json" "$tmp/fsize/m.json"
# Everything the limited shell writes goes through a pipe (the limit only
# applies to regular files); its last line is the exit status.
(cd "$tmp/fsize" && sh -c 'trap "" XFSZ; ulimit -f 0; "$1" run ../edit.lua m.json; echo "status=$?" >&2' \
    sh "$ttlx" 2>&1 > /dev/null | cat > "$tmp/err")
status=$(sed -n 's/^status=//p' "$tmp/err")
expect_kept fsize "$tmp/fsize"

# 2. A directory where the file was.
mkdir "$tmp/dir" && cp "$tmp/orig.json" "$tmp/dir/m.json"
printf 'ttlx.save("sub")\n' > "$tmp/dir/s.lua"
mkdir "$tmp/dir/sub"
(cd "$tmp/dir" && "$ttlx" run s.lua m.json > /dev/null 2> "$tmp/err"); status=$?
[ "$status" = 1 ] && ok || bad "dir: exit $status"
grep -q "Is a directory" "$tmp/err" && ok || { bad "dir: message:"; cat "$tmp/err"; }

# 3. A full tmpfs (64 KiB, filled up).
mkdir "$tmp/mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$tmp/mnt" 2>/dev/null; then
    mnt=$tmp/mnt
    cp "$tmp/orig.json" "$mnt/m.json"
    dd if=/dev/zero of="$mnt/fill" bs=1k count=1000 2>/dev/null
    (cd "$mnt" && "$ttlx" run ../edit.lua m.json > /dev/null 2> "$tmp/err"); status=$?
    expect_kept full-disk "$mnt"
    grep -q "No space left on device" "$tmp/err" && ok || bad "full-disk: ENOSPC not named"
    # 4. The same mount read-only (root ignores permission bits, not this).
    rm -f "$mnt/fill"
    mount -o remount,ro "$mnt"
    (cd "$mnt" && "$ttlx" run ../edit.lua m.json > /dev/null 2> "$tmp/err"); status=$?
    expect_kept read-only "$mnt"
    grep -q "Read-only file system" "$tmp/err" && ok || bad "read-only: EROFS not named"
    umount "$mnt"; mnt=""
else
    echo "SKIP full-disk and read-only cases: cannot mount a tmpfs here"
    skipped=$((skipped + 2))
fi

# 5. Not root: a read-only directory by permissions.
if [ "$(id -u)" != 0 ]; then
    mkdir "$tmp/ro" && cp "$tmp/orig.json" "$tmp/ro/m.json" && chmod 555 "$tmp/ro"
    (cd "$tmp/ro" && "$ttlx" run ../edit.lua m.json > /dev/null 2> "$tmp/err"); status=$?
    expect_kept read-only-dir "$tmp/ro"
    chmod 755 "$tmp/ro"
fi

# 6. The file is replaced under us (a new inode, mid-script): the save
#    refuses to clobber the newer content (the other writer's version stays,
#    whole), says why, and leaves no temporary file.
mkdir "$tmp/race" && cp "$tmp/orig.json" "$tmp/race/m.json"
cat > "$tmp/race/slow.lua" <<'LUA'
local t = os.clock() while os.clock() - t < 0.5 do end
ttlx.hint("B", {memory = "L1"})
ttlx.save()
LUA
(cd "$tmp/race" && "$ttlx" run --lua-budget 5000 slow.lua m.json > /dev/null 2> "$tmp/err") &
pid=$!
sleep 0.2
sed 's/"matmul"/"replaced"/' "$tmp/orig.json" > "$tmp/race/new.json" && mv "$tmp/race/new.json" "$tmp/race/m.json"
wait $pid; status=$?
[ "$status" = 1 ] && ok || { bad "replaced: exit $status (want 1)"; cat "$tmp/err"; }
grep -q "ttlx.save: m.json changed on disk since it was loaded; not overwritten" "$tmp/err" && ok ||
    { bad "replaced: no refusal message"; cat "$tmp/err"; }
sed 's/"matmul"/"replaced"/' "$tmp/orig.json" | cmp -s - "$tmp/race/m.json" && ok ||
    bad "replaced: the other writer's version was overwritten"
[ -z "$(ls -A "$tmp/race" | grep '^\.m\.json\.')" ] && ok || bad "replaced: temporary file left"
fi

# Known bugs (ctest hardening.save_known_bugs, disabled until fixed):
if [ "$only" = known_bugs ]; then
    # A symlinked file: the save replaces the link by a regular file and
    # leaves the link's target with the old hints.
    mkdir "$tmp/link" && cp "$tmp/orig.json" "$tmp/link/real.json" && ln -s real.json "$tmp/link/m.json"
    (cd "$tmp/link" && "$ttlx" run ../edit.lua m.json > /dev/null 2> "$tmp/err"); status=$?
    [ "$status" = 0 ] && ok || bad "symlink: exit $status"
    [ -L "$tmp/link/m.json" ] && ok || bad "symlink: m.json is no longer a symlink"
    cmp -s "$tmp/link/real.json" "$tmp/orig.json" && bad "symlink: real.json not updated" || ok
fi

echo "save: $pass passed, $fail failed, $skipped skipped"
[ $fail = 0 ]
