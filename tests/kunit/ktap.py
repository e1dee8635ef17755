#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Turn a KUnit test kernel's console log into per-case result lines.
#
#   ktap.py CONSOLE_LOG KTAP_OUT
#
# The guest's /init writes "MSH-KUNIT: begin" / "MSH-KUNIT: end" markers and
# one "MSH-KUNIT: insmod|rmmod NAME rc=N" line per module to /dev/kmsg. The
# KTAP that KUnit prints while the modules load (their suites run at load
# time, one indented subtest per suite) is taken from between the markers,
# given a top-level header ("KTAP version 1" + "1..<suites>") and written to
# KTAP_OUT, ready for tools/testing/kunit/kunit.py parse.
#
# Prints one line per test case, per the tests' result contract:
#   ok - kunit: <suite>.<case>        (a skipped case: "ok - ... # SKIP why")
#   not ok - kunit: <suite>.<case>
# plus "ok|not ok - kunit: module.insmod_<name>" / "module.rmmod_<name>".
# Problems with the run itself (oops, WARN, missing plan, missing end
# marker, no test case at all) go to stderr as "ktap: error: ..." lines and
# add one "not ok - kunit: run" line.
# Exit status: 0 all passed, 1 anything failed.

import re
import sys

# printk may prefix lines with "[    1.234567] " (CONFIG_PRINTK_TIME).
TS = re.compile(r'^\[\s*\d+\.\d+\]\s?')
MARK = re.compile(r'^MSH-KUNIT: (.*)$')
MOD = re.compile(r'^(insmod|rmmod) (\S+) rc=(-?\d+)$')
RESULT = re.compile(r'^(ok|not ok) (\d+) (\S+)(?:\s+#\s*(\S+)\s*(.*))?$')
PLAN = re.compile(r'^1\.\.(\d+)$')
SUBTEST = re.compile(r'^# Subtest: (\S+)$')
INDENT = '    '

# A kernel problem anywhere in the log fails the run.
CRASH = re.compile(r'(Oops|BUG:|Kernel panic|WARNING:|general protection fault'
                   r'|Call Trace:|kernel BUG at|UBSAN:|KASAN:|kunit: disabled'
                   r'|Unable to handle kernel)')


def main():
    if len(sys.argv) != 3:
        sys.stderr.write('usage: ktap.py CONSOLE_LOG KTAP_OUT\n')
        return 2
    with open(sys.argv[1], 'r', errors='backslashreplace') as f:
        raw = [TS.sub('', l.rstrip('\r\n').replace('\r', ''))
               for l in f.read().splitlines()]

    errors = []
    lines = []          # the KUnit part, between the markers
    inside = False
    began = ended = False
    modules = []        # (op, name, rc)
    for l in raw:
        if CRASH.search(l):
            errors.append('kernel problem in console log: ' + l.strip())
        m = MARK.match(l)
        if m:
            what = m.group(1)
            if what == 'begin':
                inside, began = True, True
            elif what == 'end':
                inside, ended = False, True
            else:
                mm = MOD.match(what)
                if mm:
                    modules.append((mm.group(1), mm.group(2), int(mm.group(3))))
            continue
        if inside:
            lines.append(l)

    if not began:
        errors.append('guest never started the tests (no begin marker)')
    elif not ended:
        errors.append('guest did not finish (no end marker): crash, hang '
                      'or timeout')

    out = []            # result lines
    suites = []         # dicts: name, plan, cases
    cur = None
    for l in lines:
        if l.startswith(INDENT) and not l.startswith(INDENT * 2):
            s = l[len(INDENT):].strip()
            m = SUBTEST.match(s)
            if m:
                cur = {'name': m.group(1), 'plan': None, 'cases': []}
                suites.append(cur)
                continue
            m = PLAN.match(s)
            if m and cur is not None and cur['plan'] is None:
                cur['plan'] = int(m.group(1))
                continue
            m = RESULT.match(s)
            if m and cur is not None:
                cur['cases'].append(m)
                continue
        elif not l.startswith(' '):
            m = RESULT.match(l.strip())
            if m:
                name = m.group(3)
                if cur is not None and cur['name'] == name:
                    cur['status'] = m.group(1)
                    cur = None
                else:
                    # A suite whose suite_init failed prints no subtest.
                    suites.append({'name': name, 'plan': None, 'cases': [],
                                   'status': m.group(1), 'noinit': True})
                    cur = None

    ncases = 0
    failed = False
    for s in suites:
        for m in s['cases']:
            ncases += 1
            ok, name, directive, why = (m.group(1), m.group(3),
                                        m.group(4), m.group(5))
            line = '%s - kunit: %s.%s' % (ok, s['name'], name)
            if directive and directive.upper() == 'SKIP':
                line += ' # SKIP' + (' ' + why if why else '')
            out.append(line)
            failed |= ok != 'ok'
        if s.get('noinit'):
            out.append('not ok - kunit: %s.suite_init' % s['name'])
            errors.append('suite %s failed to initialise' % s['name'])
            continue
        if s['plan'] is None:
            errors.append('suite %s has no KTAP plan line' % s['name'])
        elif s['plan'] != len(s['cases']):
            errors.append('suite %s planned %d cases but reported %d'
                          % (s['name'], s['plan'], len(s['cases'])))
            out.append('not ok - kunit: %s.incomplete' % s['name'])
        if s.get('status') is None:
            errors.append('suite %s has no final result line' % s['name'])
        elif s['status'] != 'ok' and all(m.group(1) == 'ok'
                                         for m in s['cases']):
            errors.append('suite %s reported not ok' % s['name'])
            out.append('not ok - kunit: %s.suite' % s['name'])

    for op, name, rc in modules:
        ok = 'ok' if rc == 0 else 'not ok'
        out.append('%s - kunit: module.%s_%s' % (ok, op, name))
        if rc != 0:
            errors.append('%s %s failed (rc=%d)' % (op, name, rc))
    if not any(op == 'insmod' for op, _, _ in modules) and ended:
        errors.append('no module was loaded')

    if not suites:
        errors.append('no KUnit suite ran')
    elif ncases == 0:
        errors.append('zero KUnit test cases')

    # Problems of the run itself get a result line of their own, so that a
    # crash or timeout is counted even when every reported case passed.
    if errors:
        out.append('not ok - kunit: run')

    with open(sys.argv[2], 'w') as f:
        f.write('KTAP version 1\n1..%d\n' % len(suites))
        for l in lines:
            f.write(l + '\n')

    for l in out:
        print(l)
    for e in errors:
        sys.stderr.write('ktap: error: %s\n' % e)
    return 1 if failed or errors or any(l.startswith('not ok') for l in out) \
        else 0


if __name__ == '__main__':
    sys.exit(main())
