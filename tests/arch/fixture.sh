#!/bin/sh
# The architecture check itself, on a small tree that breaks each rule once:
# the exact findings it must print, and exit status 1.
#   fixture.sh CHECK_ARCH
set -u
check=$1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/core" "$tmp/app/sys" "$tmp/app/ui" "$tmp/app/cli"
printf '#include <lua.h>\n#include "ttlx_b.h"\n' > "$tmp/core/ttlx_a.h"
printf '#include "ttlx_a.h"\n' > "$tmp/core/ttlx_b.h"
printf '#include "ttlx_a.h"\n' > "$tmp/core/ttlx_b.c"
printf '#include "ui/view.h"\n#include <curses.h>\n' > "$tmp/app/sys/file.c"
printf '#include "ttlx_b.h"\n#include <curses.h>\n' > "$tmp/app/ui/view.h"
printf '#include "view.h"\n#include "cli/cli.h"\n' > "$tmp/app/ui/view.c"
printf '#include "ui/view.h"\n' > "$tmp/app/cli/cli.h"
printf '#include "cli/cli.h"\n' > "$tmp/app/cli/cli_internal.h"
printf '#include "cli/cli_internal.h"\n' > "$tmp/app/cli/cli.c"
i=0; while [ $i -lt 1001 ]; do echo "/* $i */"; i=$((i+1)); done > "$tmp/app/cli/long.c"
out=$("$check" "$tmp"); rc=$?
expected='arch: core/ttlx_a.h includes <lua.h>: Lua belongs to app/lua and above
arch: app/cli/long.c has 1001 lines (at most 1000)
arch: app/ui/view.c includes app/cli/cli.h: a lower room includes a higher one
arch: app/sys/file.c includes app/ui/view.h: a lower room includes a higher one
arch: app/sys/file.c includes <curses.h>: ncurses belongs to app/ui and above
arch: include circle: core/ttlx_a -> core/ttlx_b -> core/ttlx_a
arch: include circle: app/cli/cli -> app/ui/view -> app/cli/cli
arch: 10 files, 7 includes, 7 findings'
sorted_out=$(printf '%s\n' "$out" | sort)
sorted_exp=$(printf '%s\n' "$expected" | sort)
if [ "$sorted_out" != "$sorted_exp" ] || [ $rc -ne 1 ]; then
  echo "check_arch fixture: exit $rc, output:"; printf '%s\n' "$out"
  echo "expected (any order), exit 1:"; printf '%s\n' "$expected"
  exit 1
fi
echo "check_arch fixture: 7 findings as expected"
