#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""RCPT TO clients for the recipient tests and benchmark (standard library
only). Each runs one SMTP session: EHLO, MAIL FROM, then RCPTs.

    harvest.py [--from SRC] ADDR PORT DOMAIN COUNT [VALID...]
        COUNT RCPT TO:<random@DOMAIN> (the VALID local parts, if any,
        first), one at a time, until COUNT are sent or the server ends the
        session. Prints one JSON object: the number of RCPTs sent, the
        reply code of each, the last reply line, and whether the session
        was closed (by a 421 and FIN, or a reset).
    harvest.py rtt ADDR PORT RCPT COUNT
        COUNT times RCPT TO:<RCPT>; prints the RCPTs accepted, the elapsed
        ms, and the median and slowest round trip in us.
    harvest.py span ADDR PORT RCPT OPENFILE GOFILE
        opens the session, creates OPENFILE, waits for GOFILE to exist,
        then sends RCPT TO:<RCPT> and a message; prints the RCPT's and
        the message's replies (a session held open across a reload).
"""

import json
import os
import random
import socket
import string
import sys
import time


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


def start(addr, port, src=None):
    """Connects, reads the greeting, sends EHLO and MAIL FROM."""
    fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(30)
    if src:
        s.bind((src, 0))
    s.connect((addr, port))
    f = s.makefile('rb')
    reply(f)
    s.sendall(b'EHLO harvest.test\r\n')
    reply(f)
    s.sendall(b'MAIL FROM:<probe@harvest.test>\r\n')
    reply(f)
    return s, f


def rtt(addr, port, rcpt, n):
    s, f = start(addr, port)
    times = []
    t0 = time.monotonic()
    for _ in range(n):
        t = time.monotonic()
        s.sendall(('RCPT TO:<%s>\r\n' % rcpt).encode())
        if not reply(f).startswith('250'):
            break
        times.append(time.monotonic() - t)
    elapsed = time.monotonic() - t0
    s.sendall(b'QUIT\r\n')
    s.close()
    times.sort()
    print('%d %d %d %d' % (len(times), elapsed * 1000,
                           times[len(times) // 2] * 1e6 if times else 0,
                           times[-1] * 1e6 if times else 0))


def span(addr, port, rcpt, openfile, gofile):
    s, f = start(addr, port)
    open(openfile, 'w').close()
    while not os.path.exists(gofile):
        time.sleep(0.2)
    s.sendall(('RCPT TO:<%s>\r\n' % rcpt).encode())
    r1 = reply(f)
    s.sendall(b'DATA\r\n')
    reply(f)
    s.sendall(b'Subject: across the reload\r\n\r\nbody\r\n.\r\n')
    r2 = reply(f)
    s.sendall(b'QUIT\r\n')
    s.close()
    print(r1.strip(), r2.strip())


def main(argv):
    if len(argv) == 6 and argv[1] == 'rtt':
        rtt(argv[2], int(argv[3]), argv[4], int(argv[5]))
        return
    if len(argv) == 7 and argv[1] == 'span':
        span(argv[2], int(argv[3]), argv[4], argv[5], argv[6])
        return
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
