#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Clients for the connection-admission tests (standard library only).

    admitc.py concurrency ADDR PORT N      from the client namespace, hold N
                                           connections (each gets its 220),
                                           then one more must be refused
                                           while the attacker namespace
                                           still connects; after closing
                                           them, the client connects again
    admitc.py burst NS ADDR PORT N         N connect/banner/close in a row
                                           from NS; prints {"ok": n,
                                           "refused": n}
    admitc.py synflood SECONDS MAXPKTS ADDR PORT
                                           raw SYNs from random sources in
                                           198.18.0.0/15 (run in the attacker
                                           namespace); stops at whichever
                                           bound comes first; prints
                                           {"sent": n, "secs": s}
    admitc.py synflood-from SRC SECONDS MAXPKTS ADDR PORT
                                           the same, every SYN from SRC (a
                                           flood aimed at one prefix)
    admitc.py forge N ADDR PORT            N ACKs with random sequence and
                                           acknowledgment numbers from this
                                           namespace's address (attacker)
    admitc.py sessions NS ADDR PORT SECONDS MAX
                                           real SMTP transactions (EHLO, MAIL,
                                           RCPT, DATA, QUIT) for SECONDS or
                                           MAX; prints {"ok": n, "failed": n}

"concurrency" prints "ok DESC" / "not ok DESC: detail" lines
(tests/integration/lib.sh msh_record reads them).
"""

import json
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpc  # noqa: E402


def banner(addr, port, timeout=5.0, src=None):
    """Connect and read the 220. Returns (socket, None) or (None, why)."""
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        if src:
            s.bind((src, 0))
        s.connect((addr, port))
        data = s.recv(512)
        if data.startswith(b"220"):
            return s, None
        s.close()
        return None, f"no banner ({data[:40]!r})"
    except OSError as e:
        s.close()
        return None, type(e).__name__


def check(desc, cond, detail=""):
    print(f"ok {desc}" if cond else f"not ok {desc}: {detail}")
    return cond


def cmd_concurrency(addr, port, n):
    held = []
    with smtpc.netns("client"):
        for i in range(n):
            s, why = banner(addr, port)
            if not s:
                check(f"connection {i + 1} of {n} admitted", False, why)
                break
            held.append(s)
        check(f"{n} concurrent connections from one source admitted",
              len(held) == n, f"only {len(held)}")
        s, why = banner(addr, port, timeout=5)
        check(f"connection {n + 1} from the same source refused", s is None,
              "it got a banner")
        check("the refusal is an SMTP 421 reply, not a bare reset",
              s is None and "421 4.7.0" in (why or ""), why)
        if s:
            s.close()
    with smtpc.netns("attacker"):
        s, why = banner(addr, port)
        check("another source still connects", s is not None, why)
        if s:
            s.close()
    for s in held:
        s.close()
    # the slots go back as the server closes its side of each connection
    with smtpc.netns("client"):
        for _ in range(10):
            time.sleep(0.5)
            s, why = banner(addr, port)
            if s:
                break
        check("after closing, the first source connects again",
              s is not None, why)
        if s:
            s.close()
    return 0


def cmd_burst(ns, addr, port, n):
    ok = refused = 0
    with smtpc.netns(ns):
        for _ in range(n):
            s, _ = banner(addr, port, timeout=3)
            if s:
                ok += 1
                s.close()
            else:
                refused += 1
    print(json.dumps({"ok": ok, "refused": refused}))
    return 0


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def tcp_packet(src, dst, sport, dport, seq, ack, flags, opts=b""):
    doff = (20 + len(opts)) // 4
    th = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags,
                     65535, 0, 0) + opts
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(th))
    c = csum(pseudo + th)
    th = th[:16] + struct.pack("!H", c) + th[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(th),
                     random.getrandbits(16), 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + th


# MSS 1460, SACK_PERM, TS, NOP, WSCALE 7: what Linux sends
SYN_OPTS = (b"\x02\x04\x05\xb4\x04\x02\x08\x0a" + b"\0" * 8 +
            b"\x01\x03\x03\x07")


def raw_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    return s


def cmd_synflood(secs, maxn, addr, port, fixed_src=None):
    s = raw_socket()
    dst = socket.inet_aton(addr)
    base = struct.unpack("!I", socket.inet_aton("198.18.0.0"))[0]
    end = time.monotonic() + secs
    sent = 0
    t0 = time.monotonic()
    while sent < maxn and time.monotonic() < end:
        for _ in range(64):
            if fixed_src:
                src = socket.inet_aton(fixed_src)
            else:
                src = struct.pack("!I", base + random.getrandbits(17))
            pkt = tcp_packet(src, dst, random.randint(1024, 65535), port,
                             random.getrandbits(32), 0, 0x02, SYN_OPTS)
            try:
                s.sendto(pkt, (addr, 0))
                sent += 1
            except OSError:
                pass
    print(json.dumps({"sent": sent,
                      "secs": round(time.monotonic() - t0, 2)}))
    return 0


def cmd_forge(n, addr, port):
    s = raw_socket()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect((addr, port))
    src = socket.inet_aton(u.getsockname()[0])
    u.close()
    dst = socket.inet_aton(addr)
    for _ in range(n):
        pkt = tcp_packet(src, dst, random.randint(20000, 60000), port,
                         random.getrandbits(32), random.getrandbits(32),
                         0x10)
        s.sendto(pkt, (addr, 0))
    print(json.dumps({"sent": n, "src": socket.inet_ntoa(src)}))
    return 0


def one_session(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        s.settimeout(15)
        s.connect((addr, port))
        f = s.makefile("rb")

        def reply():
            while True:
                line = f.readline()
                if not line:
                    raise OSError("connection closed")
                if line[3:4] != b"-":
                    return int(line[:3])

        if reply() != 220:
            return False
        steps = [b"EHLO client.test\r\n", b"MAIL FROM:<s@client.test>\r\n",
                 b"RCPT TO:<msuser@example.test>\r\n", b"DATA\r\n"]
        want = [250, 250, 250, 354]
        for cmd, code in zip(steps, want):
            s.sendall(cmd)
            if reply() != code:
                return False
        s.sendall(b"Subject: flood test\r\n\r\nhello\r\n.\r\n")
        if reply() != 250:
            return False
        s.sendall(b"QUIT\r\n")
        reply()
        return True


def cmd_sessions(ns, addr, port, secs, maxn):
    ok = failed = 0
    end = time.monotonic() + secs
    with smtpc.netns(ns):
        while ok + failed < maxn and time.monotonic() < end:
            try:
                if one_session(addr, port):
                    ok += 1
                else:
                    failed += 1
            except OSError:
                failed += 1
    print(json.dumps({"ok": ok, "failed": failed}))
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "concurrency":
        return cmd_concurrency(argv[2], int(argv[3]), int(argv[4]))
    if len(argv) == 6 and argv[1] == "burst":
        return cmd_burst(argv[2], argv[3], int(argv[4]), int(argv[5]))
    if len(argv) == 6 and argv[1] == "synflood":
        return cmd_synflood(float(argv[2]), int(argv[3]), argv[4],
                            int(argv[5]))
    if len(argv) == 7 and argv[1] == "synflood-from":
        return cmd_synflood(float(argv[3]), int(argv[4]), argv[5],
                            int(argv[6]), fixed_src=argv[2])
    if len(argv) == 5 and argv[1] == "forge":
        return cmd_forge(int(argv[2]), argv[3], int(argv[4]))
    if len(argv) == 7 and argv[1] == "sessions":
        return cmd_sessions(argv[2], argv[3], int(argv[4]), float(argv[5]),
                            int(argv[6]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
