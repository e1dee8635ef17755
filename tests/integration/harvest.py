#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""A directory-harvest client for the integration tests (standard library
only): one SMTP session that sends RCPT TO for many guessed recipients,
one at a time, and reports what each one got.

    harvest.py [--from SRC] ADDR PORT DOMAIN COUNT [VALID...]

Sends EHLO and MAIL FROM, then COUNT RCPT TO:<random@DOMAIN> (the VALID
local parts, if any, first), reading each reply, until COUNT are sent or
the server ends the session. Prints one JSON object: the number of RCPTs
sent, the reply code of each, the last reply line, and whether the
session was closed (by a 421 and FIN, or a reset).
"""

import json
import random
import socket
import string
import sys


def reply(f):
    """One SMTP reply (all its lines); '' if the connection closed."""
    lines = []
    while True:
        line = f.readline()
        if not line:
            return '\n'.join(lines)
        line = line.decode('ascii', 'replace').rstrip('\r\n')
        lines.append(line)
        if len(line) < 4 or line[3] != '-':
            return '\n'.join(lines)


def main(argv):
    src = None
    if len(argv) > 2 and argv[1] == '--from':
        src = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) < 5:
        sys.exit(__doc__)
    addr, port, domain, count = argv[1], int(argv[2]), argv[3], int(argv[4])
    valid = argv[5:]
    fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
    out = {'sent': 0, 'codes': [], 'last': '', 'closed': False}
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(20)
    try:
        if src:
            s.bind((src, 0))
        s.connect((addr, port))
        f = s.makefile('rb')
        r = reply(f)
        if not r.startswith('220'):
            out['last'] = r
            out['closed'] = True
            print(json.dumps(out))
            return
        s.sendall(b'EHLO harvest.test\r\n')
        reply(f)
        s.sendall(b'MAIL FROM:<probe@harvest.test>\r\n')
        reply(f)
        names = list(valid)
        while len(names) < count:
            names.append('h' + ''.join(random.choice(
                string.ascii_lowercase + string.digits) for _ in range(10)))
        for name in names[:count]:
            try:
                s.sendall(('RCPT TO:<%s@%s>\r\n' % (name, domain))
                          .encode())
                r = reply(f)
            except OSError as e:
                out['last'] = 'error: %s' % e
                out['closed'] = True
                break
            out['sent'] += 1
            if not r:
                out['closed'] = True
                break
            out['last'] = r.splitlines()[-1]
            out['codes'].append(int(r[:3]) if r[:3].isdigit() else 0)
            if r.startswith('421'):
                out['closed'] = reply(f) == ''
                break
        else:
            try:
                s.sendall(b'QUIT\r\n')
                reply(f)
            except OSError:
                pass
    except OSError as e:
        out['last'] = 'error: %s' % e
        out['closed'] = True
    finally:
        s.close()
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv)
