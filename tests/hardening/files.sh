#!/bin/sh
# Files that are not regular files, and saves that must not destroy
# anything, through the real binary:
#   read   a FIFO (and a device, a directory) as FILE, --device, --theme,
#          a script, ttlx.load: refused at once with "not a regular file
#          (a FIFO)", never a hang (each run is bounded by `timeout`)
#   write  export -o / ttlx.save onto a FIFO, a symlink to nothing and
#          /dev/null: refused, the node left as it was
#   xfsz   under `ulimit -f` (SIGXFSZ NOT ignored by the test): a clear
#          save error, exit 2 (export) / 1 (ttlx.save), the target
#          unchanged, no temporary file left
#   explorer  (tmux) the watched file replaced by a FIFO: a message, no
#          hang; `:w` over the file-size limit: a message, no death
#   files.sh TTLX SOURCE_DIR CASE
set -u
ttlx=$1 src=$2 case=$3
tmp=$(mktemp -d)
sock=""
cleanup() { [ -n "$sock" ] && tmux -L "$sock" kill-server 2> /dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
sample=$src/samples/matmul_sharded.json
cp "$sample" "$tmp/m.json"
cd "$tmp" || exit 1

# run NAME WANT_STATUS WANT_STDERR CMD...: bounded, exact stderr and status
run() {
    name=$1 want_status=$2 want_err=$3
    shift 3
    timeout 10 "$@" > out 2> err < /dev/null
    status=$?
    [ "$status" = 124 ] && { bad "$name: still running after 10 s (blocked)"; return; }
    [ "$status" = "$want_status" ] && ok || bad "$name: exit $status, expected $want_status"
    if [ -z "$want_err" ]; then : > want; else printf '%s\n' "$want_err" > want; fi
    cmp -s want err && ok || { bad "$name: stderr differs:"; diff -u want err; }
}

case $case in
read)
    mkfifo fifo.json fifo.lua
    run infer-fifo 2 "ttlx: fifo.json: not a regular file (a FIFO)" "$ttlx" infer fifo.json
    run export-fifo 2 "ttlx: fifo.json: not a regular file (a FIFO)" \
        "$ttlx" export --format json fifo.json
    run device-fifo 2 "ttlx: ./fifo.json: not a regular file (a FIFO)" \
        "$ttlx" infer --device ./fifo.json m.json
    run theme-fifo 2 "ttlx: theme ./fifo.lua: not a regular file (a FIFO)" \
        "$ttlx" render --color --theme ./fifo.lua m.json
    run script-fifo 2 "ttlx: fifo.lua: not a regular file (a FIFO)" "$ttlx" run fifo.lua
    printf 'print(select(2, pcall(ttlx.load, "fifo.json")))\n' > load.lua
    run lua-load-fifo 0 "" "$ttlx" run load.lua
    grep -qxF "ttlx.load: fifo.json: not a regular file (a FIFO)" out && ok ||
        { bad "lua-load-fifo: printed:"; cat out; }
    run infer-devnull 2 "ttlx: /dev/null: not a regular file (a character device)" \
        "$ttlx" infer /dev/null
    mkdir adir
    run infer-dir 2 "ttlx: adir: not a regular file (a directory)" "$ttlx" infer adir
    : > empty.json
    run infer-empty 2 "ttlx: empty.json: empty input: expected a PrimFunc JSON object" \
        "$ttlx" infer empty.json
    ;;
write)
    mkfifo out.fifo
    run export-onto-fifo 2 "ttlx: out.fifo: cannot save: not a regular file (a FIFO); not replaced" \
        "$ttlx" export --format json -o out.fifo m.json
    [ -p out.fifo ] && ok || bad "export-onto-fifo: out.fifo is no longer a FIFO"
    printf 'print(select(2, pcall(ttlx.save, "out.fifo")))\n' > save_fifo.lua
    run save-onto-fifo 0 "" "$ttlx" run save_fifo.lua m.json
    grep -qxF "ttlx.save: out.fifo: cannot save: not a regular file (a FIFO); not replaced" out &&
        ok || { bad "save-onto-fifo: printed:"; cat out; }
    [ -p out.fifo ] && ok || bad "save-onto-fifo: out.fifo is no longer a FIFO"
    ln -s missing.json dangling.json
    run export-onto-dangling 2 "ttlx: dangling.json is a symlink to a missing file; not replaced" \
        "$ttlx" export --format json -o dangling.json m.json
    [ -L dangling.json ] && [ ! -e missing.json ] && ok ||
        bad "export-onto-dangling: the symlink was replaced or its target created"
    printf 'print(select(2, pcall(ttlx.save, "dangling.json")))\n' > save_dangling.lua
    run save-onto-dangling 0 "" "$ttlx" run save_dangling.lua m.json
    grep -qxF "ttlx.save: dangling.json is a symlink to a missing file; not replaced" out &&
        ok || { bad "save-onto-dangling: printed:"; cat out; }
    [ -L dangling.json ] && [ ! -e missing.json ] && ok ||
        bad "save-onto-dangling: the symlink was replaced or its target created"
    # /dev/null: as root the old writer renamed a regular file over it.
    if [ -z "${TTLX_TEST_SKIP_DEVNULL:-}" ]; then
        run export-onto-devnull 2 \
            "ttlx: /dev/null: cannot save: not a regular file (a character device); not replaced" \
            "$ttlx" export --format json -o /dev/null m.json
        if [ -c /dev/null ]; then ok; else
            bad "export-onto-devnull: /dev/null is no longer a character device (restored)"
            rm -f /dev/null && mknod -m 666 /dev/null c 1 3
        fi
    fi
    # A symlink to a regular file still saves through to that file.
    cp m.json real.json && ln -s real.json link.json
    run export-through-link 0 "" "$ttlx" export --format json -o link.json m.json
    [ -L link.json ] && ok || bad "export-through-link: the link was replaced"
    ;;
xfsz)
    # `ulimit -f 0`: the first write hits the limit. The test itself does
    # not ignore SIGXFSZ; stderr goes through a pipe (the limit is for
    # regular files).
    printf 'old\n' > out.json && cp out.json out.orig
    sh -c 'ulimit -f 0; "$1" export --format json -o out.json m.json; echo "status=$?" >&2' \
        sh "$ttlx" 2>&1 > /dev/null | cat > err
    status=$(sed -n 's/^status=//p' err)
    [ "$status" = 2 ] && ok || bad "xfsz-export: exit $status, expected 2 (153: killed by SIGXFSZ)"
    grep -qxF "ttlx: out.json: cannot write: File too large (the original is unchanged)" err && ok ||
        { bad "xfsz-export: message:"; cat err; }
    cmp -s out.json out.orig && ok || bad "xfsz-export: out.json changed"
    left=$(ls -A | grep '^\.out\.json\.' || true)
    [ -z "$left" ] && ok || bad "xfsz-export: temporary file left: $left"
    # ttlx.save of a module bigger than the limit, over its own file.
    cp m.json m.orig
    printf 'ttlx.hint("B", {memory = "DRAM"})\nttlx.save()\n' > save.lua
    sh -c 'ulimit -f 0; "$1" run save.lua m.json; echo "status=$?" >&2' \
        sh "$ttlx" 2>&1 > /dev/null | cat > err
    status=$(sed -n 's/^status=//p' err)
    [ "$status" = 1 ] && ok || bad "xfsz-save: exit $status, expected 1"
    grep -qF "m.json: cannot write: File too large (the original is unchanged)" err && ok ||
        { bad "xfsz-save: message:"; cat err; }
    cmp -s m.json m.orig && ok || bad "xfsz-save: m.json changed"
    left=$(ls -A | grep '^\.m\.json\.' || true)
    [ -z "$left" ] && ok || bad "xfsz-save: temporary file left: $left"
    ;;
explorer)
    command -v tmux > /dev/null 2>&1 || { echo "tmux not installed: skipped"; exit 77; }
    sock="ttlx-files-$$"
    export TMUX_TMPDIR="$tmp"
    uiterm=tmux-256color
    infocmp "$uiterm" > /dev/null 2>&1 || uiterm=screen-256color
    screen() { tmux -L "$sock" capture-pane -p -t t; }
    wait_text() { # TEXT: up to 10 s
        i=0
        while [ $i -lt 100 ]; do
            screen | grep -Fq -- "$1" && return 0
            sleep 0.1; i=$((i + 1))
        done
        bad "explorer: no text '$1' on the screen:"; screen | head -40
        return 1
    }
    # The explorer runs under `ulimit -f 0` from the start (its own loads
    # are reads), without SIGXFSZ ignored by the shell.
    tmux -L "$sock" -f /dev/null new-session -d -s t -x 160 -y 40 \
        "cd '$tmp' && ulimit -f 0 && env TERM=$uiterm LC_ALL=C.UTF-8 TTLX_THEME=default '$ttlx' m.json 2> stderr.log; echo EXITED-\$?; sleep 60"
    wait_text "Buffers (3)" || exit 1
    # :w over the file-size limit: a message, the explorer lives on.
    tmux -L "$sock" send-keys -t t : 'w copy.json' Enter
    wait_text "save failed, the file is unchanged: " && ok
    wait_text "copy.json: cannot write: File too large" && ok
    sleep 0.3
    screen | grep -q 'EXITED-' && bad "explorer: exited after :w" || ok
    [ -z "$(ls -A | grep '^\.copy\.json\.' || true)" ] && ok || bad "explorer: temporary file left"
    # The watched file becomes a FIFO: the reload is refused, no hang.
    rm m.json && mkfifo m.json
    wait_text "m.json: not a regular file (a FIFO)" && ok
    tmux -L "$sock" send-keys -t t 2
    sleep 0.5
    tmux -L "$sock" send-keys -t t 1
    wait_text "Buffers (3)" && ok
    screen | grep -q 'EXITED-' && bad "explorer: exited" || ok
    ;;
*)
    echo "unknown case $case"; exit 2 ;;
esac
echo "files.$case: $pass passed, $fail failed"
[ "$fail" = 0 ]
