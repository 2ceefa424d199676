#!/bin/sh
# `ttlx render` usage and bad-input paths: exit 2 with one clear message.
set -u
ttlx=$1 src=$2
fails=0
check() { # check EXPECTED_RC EXPECTED_TEXT ARGS...
  want=$1 text=$2; shift 2
  out=$("$ttlx" render "$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ] || ! printf '%s' "$out" | grep -Fq -- "$text"; then
    echo "FAIL: ttlx render $*: rc $rc (want $want), output:"; echo "$out"; fails=$((fails + 1))
  fi
}
s=$src/samples/matmul_sharded.json
check 2 "a FILE is needed"
check 2 "no view 'nope'" --view nope "$s"
check 2 "no buffer named 'Z'" --buffer Z "$s"
check 2 "--width takes 1..2000" --width 0 "$s"
check 2 "unknown option '--bogus'" --bogus "$s"
check 2 "No such file" /nonexistent.json
check 2 "no theme named 'nope'" --color --theme nope "$s"
check 0 "Buffers (3)" --width 80 --height 24 "$s"
check 0 "[3 Projection]" --view proj --width 80 --height 24 "$s"
check 1 "TTL004" --width 80 --height 24 "$src/samples/misaligned_l1_shard.json"
out=$(LC_ALL=C "$ttlx" render --ascii --width 80 --height 24 "$s")
if printf '%s' "$out" | LC_ALL=C grep -q '[^ -~]'; then echo "FAIL: --ascii printed non-ASCII"; fails=$((fails + 1)); fi
out=$("$ttlx" render --color --width 80 --height 24 "$s")
printf '%s' "$out" | grep -q "$(printf '\033')\[0" || { echo "FAIL: --color printed no SGR"; fails=$((fails + 1)); }
out=$(NO_COLOR=1 "$ttlx" render --color --width 80 --height 24 "$s")
printf '%s' "$out" | grep -q "38;5" && { echo "FAIL: NO_COLOR still coloured"; fails=$((fails + 1)); }
[ $fails = 0 ] && echo "ok (render usage)"
exit $fails
