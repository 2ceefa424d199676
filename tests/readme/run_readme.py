#!/usr/bin/env python3
"""Runs every `$ ttlx ...` example of README.md and checks that the lines
shown under it appear in the real output, in order ("..." skips lines).
   run_readme.py TTLX SOURCE_DIR"""
import os
import shlex
import subprocess
import sys
import tempfile

ttlx, src = sys.argv[1], sys.argv[2]
lines = open(os.path.join(src, "README.md"), encoding="utf-8").read().split("\n")
examples, i = [], 0
while i < len(lines):
    if lines[i].startswith("```") and i + 1 < len(lines) and lines[i + 1].startswith("$ ttlx "):
        cmd, body, i = lines[i + 1][2:], [], i + 2
        while not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        examples.append((cmd, body))
    i += 1

# Examples run in a scratch directory that links the source's entries, so
# an example that writes a file (infer --fix -o OUT) leaves the tree alone.
work = tempfile.mkdtemp()
for name in os.listdir(src):
    os.symlink(os.path.join(os.path.abspath(src), name), os.path.join(work, name))
passed = failed = 0
for cmd, body in examples:
    argv = shlex.split(cmd)
    argv[0] = ttlx
    out = subprocess.run(argv, cwd=work, capture_output=True, text=True, timeout=30).stdout
    got = [l.rstrip() for l in out.split("\n")]
    pos, ok = 0, True
    for want in body:
        if want.strip() == "...":
            continue
        want = want.rstrip()
        while pos < len(got) and got[pos] != want:
            pos += 1
        if pos == len(got):
            print(f"FAIL {cmd}: line not found (in order): {want!r}")
            print("---- output ----\n" + out)
            ok = False
            break
        pos += 1
    passed, failed = passed + ok, failed + (not ok)
import shutil
shutil.rmtree(work, ignore_errors=True)
print(f"readme: {passed} passed, {failed} failed ({len(examples)} examples)")
sys.exit(1 if failed or not examples else 0)
