#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""SMTP test clients for the integration tests (standard library only).

As a library: netns() switches the calling thread into a named network
namespace (sockets keep the namespace they were created in), session()
runs one complete SMTP transaction and reports exactly how many payload
bytes went each way plus the kernel's TCP_INFO for the connection, ctl()
and stats() run mailshieldctl.

As a program:
    smtpc.py session ADDR PORT [BODY_BYTES]   one transaction, JSON report
    smtpc.py expect MODE,ADDR,PORT[,BODY_BYTES]...
                                              run in the mail namespace: per
                                              argument one transaction from
                                              the client namespace, then the
                                              counter deltas are checked
                                              against what went over the
                                              wire (MODE counted) or must be
                                              zero (MODE untouched); prints
                                              "ok DESC" / "not ok DESC: why"
    smtpc.py flood ADDR PORT SECONDS MAX [STOPFILE [HOLD]]
                                              connect/EHLO/QUIT in a loop
                                              for at most SECONDS and MAX
                                              sessions or until STOPFILE
                                              exists, while HOLD more
                                              connections stay open sending
                                              NOOPs; prints a summary
"""

import contextlib
import ctypes
import json
import os
import socket
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
TCP_CLOSE = 7

_libc = ctypes.CDLL(None, use_errno=True)
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.environ.get("MSH_REPO", os.path.dirname(os.path.dirname(HERE)))
CTL = os.path.join(REPO, "daemon", "mailshieldctl")


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


@contextlib.contextmanager
def netns(name):
    """Run the block in network namespace NAME (from `ip netns add`)."""
    old = os.open("/proc/self/ns/net", os.O_RDONLY)
    new = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        _setns(new)
        yield
    finally:
        _setns(old)
        os.close(new)
        os.close(old)


def tcp_info(sock):
    """The fields of struct tcp_info the tests use."""
    b = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 232)
    g = lambda fmt, off: struct.unpack_from(fmt, b, off)[0]
    info = {
        "state": b[0],
        "total_retrans": g("I", 100),
        "bytes_received": g("Q", 128),
        "segs_out": g("I", 136),
        "segs_in": g("I", 140),
    }
    if len(b) >= 216:
        info["bytes_sent"] = g("Q", 200)
        info["bytes_retrans"] = g("Q", 208)
    return info


class Conn:
    def __init__(self, addr, port, timeout=20):
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect((addr, port))
        self.sent = 0
        self.received = 0
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)
        self.sent += len(data)

    def reply(self):
        """Read one complete (possibly multi-line) SMTP reply."""
        lines = []
        while True:
            while b"\r\n" not in self.buf:
                d = self.sock.recv(65536)
                if not d:
                    raise EOFError(f"connection closed; got {lines!r}")
                self.received += len(d)
                self.buf += d
            line, self.buf = self.buf.split(b"\r\n", 1)
            lines.append(line.decode(errors="replace"))
            if len(line) < 4 or line[3:4] != b"-":
                return int(line[:3]), lines

    def expect(self, code):
        c, lines = self.reply()
        if c != code:
            raise RuntimeError(f"expected {code}, got {lines!r}")
        return lines

    def cmd(self, line, code):
        self.send(line.encode() + b"\r\n")
        return self.expect(code)

    def finish(self, wait=10):
        """After QUIT: read to EOF, send our FIN, wait until the peer has
        acknowledged it (socket CLOSED), return TCP_INFO."""
        while True:
            d = self.sock.recv(65536)
            if not d:
                break
            self.received += len(d)
        self.sock.shutdown(socket.SHUT_WR)
        end = time.monotonic() + wait
        info = tcp_info(self.sock)
        while info["state"] != TCP_CLOSE and time.monotonic() < end:
            time.sleep(0.05)
            info = tcp_info(self.sock)
        self.sock.close()
        return info


def body_of(nbytes):
    """A message body of exactly NBYTES bytes (CRLF lines, no dot lines)."""
    line = b"mailshield counter test " + b"x" * 48 + b"\r\n"
    out = bytearray()
    while len(out) + len(line) <= nbytes:
        out += line
    rest = nbytes - len(out)
    if rest >= 2:
        out += b"y" * (rest - 2) + b"\r\n"
    elif rest == 1:
        out += b"z"
    return bytes(out)


def session(addr, port, body_bytes=1000, rcpt="msuser@example.test",
            subject="mailshield test"):
    """One SMTP transaction; returns byte counts, replies and TCP_INFO."""
    c = Conn(addr, port)
    c.expect(220)
    c.cmd("EHLO client.test", 250)
    c.cmd("MAIL FROM:<sender@client.test>", 250)
    c.cmd(f"RCPT TO:<{rcpt}>", 250)
    c.cmd("DATA", 354)
    hdr = f"Subject: {subject}\r\nFrom: sender@client.test\r\n\r\n".encode()
    c.send(hdr + body_of(body_bytes) + b".\r\n")
    queued = c.expect(250)
    c.cmd("QUIT", 221)
    info = c.finish()
    return {"sent": c.sent, "received": c.received, "queued": queued[0],
            "tcp_info": info}


def quick(addr, port, timeout=10):
    """Connect, EHLO, QUIT."""
    c = Conn(addr, port, timeout)
    c.expect(220)
    c.cmd("EHLO flood.test", 250)
    c.cmd("QUIT", 221)
    c.sock.close()


class Holder:
    """HOLD connections kept open, one NOOP each per round; a connection
    that fails is counted and reopened."""

    def __init__(self, addr, port, n):
        self.addr, self.port, self.n = addr, port, n
        self.conns = [None] * n
        self.noops = 0
        self.failed = 0

    def _open(self):
        c = Conn(self.addr, self.port, 10)
        c.expect(220)
        c.cmd("EHLO holder.test", 250)
        return c

    def round(self):
        for i in range(self.n):
            try:
                if self.conns[i] is None:
                    self.conns[i] = self._open()
                self.conns[i].cmd("NOOP", 250)
                self.noops += 1
            except Exception:
                self.failed += 1
                if self.conns[i] is not None:
                    self.conns[i].sock.close()
                self.conns[i] = None

    def close(self):
        for c in self.conns:
            if c is not None:
                try:
                    c.cmd("QUIT", 221)
                except Exception:
                    pass
                c.sock.close()


def flood(addr, port, seconds, maxn, stopfile=None, hold=0):
    ok = fail = 0
    errors = {}
    holder = Holder(addr, port, hold) if hold else None
    end = time.monotonic() + seconds
    while time.monotonic() < end and ok + fail < maxn:
        if stopfile and os.path.exists(stopfile):
            break
        if holder:
            holder.round()
        try:
            quick(addr, port)
            ok += 1
        except Exception as e:  # keep going: the point is the traffic
            fail += 1
            k = type(e).__name__
            errors[k] = errors.get(k, 0) + 1
            time.sleep(0.05)
    r = {"ok": ok, "failed": fail, "errors": errors}
    if holder:
        holder.close()
        r["held"] = hold
        r["noops"] = holder.noops
        r["held_failures"] = holder.failed
    return r


def ctl(*args, check=True):
    """mailshieldctl in the current namespace; stdout (JSON parsed)."""
    r = subprocess.run([CTL, "--json", *args], capture_output=True,
                       text=True, timeout=20)
    if check and r.returncode != 0:
        raise RuntimeError(f"mailshieldctl {' '.join(args)}: "
                           f"exit {r.returncode}: {r.stderr.strip()}")
    return json.loads(r.stdout) if r.stdout.strip() else None


def stats():
    return ctl("stats")


STAT_KEYS = ["rx_packets", "rx_bytes", "rx_syn", "rx_fin", "rx_rst",
             "tx_packets", "tx_bytes", "tx_synack", "tx_fin", "tx_rst",
             "rx_packets_v6", "tx_packets_v6"]


def retrans_segs():
    """Tcp RetransSegs of the current namespace (IPv4 and IPv6)."""
    with open("/proc/self/net/snmp") as f:
        rows = [l.split() for l in f if l.startswith("Tcp:")]
    return int(rows[1][rows[0].index("RetransSegs")])


def expect(mode, addr, port, body_bytes=1000, client_ns="client"):
    """Counter deltas of one session must match the traffic (counted) or
    be zero (untouched). Returns the number of failed checks."""
    fam = "IPv6" if ":" in addr else "IPv4"
    tag = f"{fam} port {port} body {body_bytes}"
    bad = 0

    def check(desc, cond, detail=""):
        nonlocal bad
        if cond:
            print(f"ok {tag}: {desc}")
        else:
            bad += 1
            print(f"not ok {tag}: {desc}: {detail}")

    s0 = stats()
    rs0 = retrans_segs()
    with netns(client_ns):
        r = session(addr, port, body_bytes,
                    subject=f"counters {tag}")
    s1 = stats()
    srv_retrans = retrans_segs() - rs0
    d = {k: s1[k] - s0[k] for k in STAT_KEYS}
    ti = r["tcp_info"]
    print(f"# session: sent {r['sent']} received {r['received']} "
          f"tcp_info {json.dumps(ti)} server retransmissions {srv_retrans}")
    print(f"# delta: {json.dumps(d)}")
    check("session completed (state CLOSED)", ti["state"] == TCP_CLOSE,
          f"tcp state {ti['state']}")
    if mode == "untouched":
        moved = {k: v for k, v in d.items() if v}
        check("counters untouched", not moved, f"moved: {moved}")
        return bad
    exp = {"rx_syn": 1, "tx_synack": 1, "rx_fin": 1, "tx_fin": 1,
           "rx_rst": 0, "tx_rst": 0}
    for k, v in exp.items():
        check(f"{k} delta {v}", d[k] == v, f"got {d[k]}")
    # Payload on the wire = what the application wrote plus what TCP sent
    # again. The emulated guest stalls now and then, and a tail loss probe
    # or RTO retransmits; the counters must see those bytes too.
    sent_wire = ti.get("bytes_sent", r["sent"])
    check("client TCP sent exactly the payload (+ retransmissions)",
          sent_wire - ti.get("bytes_retrans", 0) == r["sent"],
          f"bytes_sent {sent_wire}, retrans {ti.get('bytes_retrans')}, "
          f"app {r['sent']}")
    check("rx_bytes delta == payload bytes sent on the wire",
          d["rx_bytes"] == sent_wire,
          f"rx_bytes {d['rx_bytes']}, on the wire {sent_wire} "
          f"(application {r['sent']}, {ti['total_retrans']} retransmitted "
          "segment(s))")
    if srv_retrans == 0:
        check("tx_bytes delta == payload bytes received",
              d["tx_bytes"] == r["received"],
              f"tx_bytes {d['tx_bytes']}, received {r['received']}")
    else:
        # the server retransmitted: the excess cannot be known exactly
        check("tx_bytes delta >= payload bytes received "
              f"({srv_retrans} server retransmission(s))",
              d["tx_bytes"] >= r["received"],
              f"tx_bytes {d['tx_bytes']}, received {r['received']}")
    check("rx_packets delta == segments the client sent",
          d["rx_packets"] == ti["segs_out"],
          f"rx_packets {d['rx_packets']}, segs_out {ti['segs_out']}")
    check("tx_packets delta == segments the client received",
          d["tx_packets"] == ti["segs_in"],
          f"tx_packets {d['tx_packets']}, segs_in {ti['segs_in']}")
    if fam == "IPv6":
        check("rx_packets_v6 delta == rx_packets delta",
              d["rx_packets_v6"] == d["rx_packets"],
              f"{d['rx_packets_v6']} vs {d['rx_packets']}")
        check("tx_packets_v6 delta == tx_packets delta",
              d["tx_packets_v6"] == d["tx_packets"],
              f"{d['tx_packets_v6']} vs {d['tx_packets']}")
    else:
        check("v6 counters unchanged",
              d["rx_packets_v6"] == 0 and d["tx_packets_v6"] == 0,
              f"rx_v6 {d['rx_packets_v6']} tx_v6 {d['tx_packets_v6']}")
    return bad


def main(argv):
    if len(argv) >= 3 and argv[1] == "expect":
        bad = 0
        for spec in argv[2:]:
            f = spec.split(",")
            if len(f) not in (3, 4) or f[0] not in ("counted", "untouched"):
                print(f"smtpc: bad spec {spec!r}", file=sys.stderr)
                return 2
            body = int(f[3]) if len(f) == 4 else 1000
            bad += expect(f[0], f[1], int(f[2]), body)
        return 1 if bad else 0
    if len(argv) >= 4 and argv[1] == "session":
        body = int(argv[4]) if len(argv) > 4 else 1000
        print(json.dumps(session(argv[2], int(argv[3]), body)))
        return 0
    if len(argv) in (6, 7, 8) and argv[1] == "flood":
        r = flood(argv[2], int(argv[3]), float(argv[4]), int(argv[5]),
                  argv[6] if len(argv) > 6 else None,
                  int(argv[7]) if len(argv) > 7 else 0)
        print(json.dumps(r))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
