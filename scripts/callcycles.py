#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Fails on a call cycle between the .c files of a directory.

    scripts/callcycles.py DIR [--exclude NAME.o ...]

Reads the defined and undefined symbols of every DIR/*.o with nm: file A
depends on file B when A uses a symbol (function or data) that B defines.
Prints each strongly connected component of more than one file, with the
symbols behind every edge inside it, and exits 1 if there is any; exits 0
and prints "no call cycles" otherwise. Objects that are whole links
(a module's NAME.o, *.mod.o) are left out with --exclude.
"""

import glob
import os
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True,
                         check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 2 and f[0] == "U":
            used.add(f[1])
        elif len(f) == 3 and f[1].isupper() and f[1] != "U":
            defined.add(f[2])
    return defined, used


def sccs(nodes, edges):
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index:
            visit(v)
    return out


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    exclude = set(argv[argv.index("--exclude") + 1:]) \
        if "--exclude" in argv else set()
    objs = sorted(o for o in glob.glob(os.path.join(argv[1], "*.o"))
                  if os.path.basename(o) not in exclude and
                  not o.endswith(".mod.o"))
    if not objs:
        print(f"callcycles: no objects in {argv[1]}", file=sys.stderr)
        return 2
    defs, uses = {}, {}
    for o in objs:
        defs[o], uses[o] = symbols(o)
    owner = {s: o for o in objs for s in defs[o]}
    via = {o: {} for o in objs}
    for o in objs:
        for s in uses[o]:
            b = owner.get(s)
            if b and b != o:
                via[o].setdefault(b, []).append(s)
    found = sccs(objs, {o: sorted(via[o]) for o in objs})
    name = os.path.basename
    for comp in found:
        print("cycle: " + " ".join(name(o) for o in comp))
        for a in comp:
            for b in comp:
                if b in via[a]:
                    print(f"  {name(a)} -> {name(b)}: "
                          + ", ".join(sorted(via[a][b])))
    if found:
        return 1
    print(f"no call cycles between the {len(objs)} objects of {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
