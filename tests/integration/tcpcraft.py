#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Out-of-order and retransmitted client segments (scapy), run in the
client namespace against Postfix behind mailshield.

    tcpcraft.py ADDR MARKER

A real socket makes the connection and says EHLO; TCP_REPAIR reads its
sequence numbers. Then scapy sends, with the connection's 4-tuple:
  1. a segment 100 bytes beyond the next expected byte (an overlong line
     with MARKER): mailshield must drop it (ooo_drops);
  2. after "NOOP" went through the socket, an exact copy of that segment
     and a same-sequence segment with different bytes: both are already
     inspected and skipped (retrans_bytes); the TCP stack keeps its copy.
The session must then go on normally (NOOP, QUIT). Prints a JSON report.
"""

import json
import socket
import struct
import sys

from scapy.all import IP, IPv6, TCP, Raw, conf, send  # noqa: E402

TCP_REPAIR = 19
TCP_REPAIR_QUEUE = 20
TCP_QUEUE_SEQ = 21
TCP_RECV_QUEUE = 1
TCP_SEND_QUEUE = 2


def seqs(s):
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
    snd = struct.unpack("=I", s.getsockopt(socket.IPPROTO_TCP,
                                           TCP_QUEUE_SEQ, 4))[0]
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE)
    rcv = struct.unpack("=I", s.getsockopt(socket.IPPROTO_TCP,
                                           TCP_QUEUE_SEQ, 4))[0]
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 0)
    return snd, rcv


def reply(f):
    while True:
        line = f.readline()
        if not line:
            raise EOFError("closed")
        if line[3:4] != b"-":
            return line.decode().strip()


def main():
    addr, marker = sys.argv[1], sys.argv[2]
    conf.verb = 0
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(15)
    s.connect((addr, 25))
    f = s.makefile("rb")
    rep = {"banner": reply(f)}
    s.sendall(b"EHLO craft.test\r\n")
    rep["ehlo"] = reply(f)
    src, sport = s.getsockname()[:2]
    ip = (IPv6 if fam == socket.AF_INET6 else IP)(src=src, dst=addr)

    def seg(seq, ack, data):
        send(ip / TCP(sport=sport, dport=25, flags="PA", seq=seq, ack=ack,
                      window=502) / Raw(data))

    snd, rcv = seqs(s)
    seg(snd + 100, rcv, b"EHLO " + marker.encode() + b"O" * 700 + b"\r\n")

    s.sendall(b"NOOP\r\n")
    rep["noop"] = reply(f)
    seg(snd, rcv, b"NOOP\r\n")
    seg(snd, rcv, b"XXXX\r\n")
    s.sendall(b"NOOP\r\n")
    rep["noop2"] = reply(f)
    s.sendall(b"QUIT\r\n")
    rep["quit"] = reply(f)
    rep["ok"] = (rep["noop"].startswith("250") and
                 rep["noop2"].startswith("250") and
                 rep["quit"].startswith("221"))
    print(json.dumps(rep))
    return 0 if rep["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
