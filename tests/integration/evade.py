#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Evasion of the stream inspector and of the concurrency cap, as an
attacker would try it: run from the root namespace of the test VM, the
sessions come from the client namespace, crafted packets (built with scapy,
sent on raw sockets) carry the 4-tuple of a real socket whose sequence
numbers TCP_REPAIR reads, the counters are read in the mail namespace.

    evade.py smuggle ADDR[,ADDR...] MAILLOG MBOX [TRICK...]
        per address and trick (default: all) one SMTP session that reaches
        DATA and then tries to make Postfix see a second, smuggled message
        (envelope sender MARKER@client.test, a unique marker per try) that
        the inspector does not see. At the end a clean control message must
        be delivered, no smuggled message may be (Postfix log, mailbox),
        and the counters must show that mailshield saw the attempt.
    evade.py admit ADDR[,ADDR...] CAP
        with the admission policy at max_conns CAP: hold CAP sessions, forge
        a RST and a FIN far outside the window for them, then two more
        sessions must be refused: at most CAP sessions are ESTABLISHED.
    evade.py twadmit ADDR[,ADDR...] CAP
        sets max_conns itself: without a cap, two sessions per address that
        the server closes (its side goes to TIME_WAIT); then at max_conns
        CAP, CAP held sessions, and new connections from the two TIME_WAIT
        source ports (the stack completes those handshakes itself) must be
        refused: at most CAP sessions are ESTABLISHED.
    evade.py list
        the trick names

Tricks (the smuggling sequence is <LF>.<LF>, which Postfix takes as the
end of the data while mailshield must refuse it):
    rst       a RST far outside the window first, then the smuggle
    fin       the same with a FIN
    badsum    the smuggle's byte range first as harmless bytes with a bad
              TCP checksum (the stack drops them), then the smuggle
    noack     the same with a harmless segment without ACK (flags P)
    urgent    <CRLF>. then an urgent byte X: read as a dot-stuffed ".X"
              line, but the stack takes X out of the stream and Postfix
              reads <CRLF>.<CRLF> and the smuggled transaction after it
    frag      the smuggle as a segment in IP fragments, the <LF>.<LF> in a
              later fragment than the TCP header
    twreuse   the smuggle over a connection from a source port the server
              holds in TIME_WAIT (the stack completes that handshake)

Prints "ok DESC" / "not ok DESC: detail" lines and "# " notes
(tests/integration/lib.sh msh_record reads them).
"""

import fcntl
import ipaddress
import json
import os
import random
import re
import socket
import struct
import subprocess
import sys
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlraw  # noqa: E402
import nlsmtp  # noqa: E402
import smtpc  # noqa: E402
from smtpc import netns  # noqa: E402

TCP_REPAIR = 19
TCP_REPAIR_QUEUE = 20
TCP_QUEUE_SEQ = 21
TCP_RECV_QUEUE = 1
TCP_SEND_QUEUE = 2

FAR = 1 << 30           # a sequence offset far outside any window
TIMEOUT = 5.0           # per socket operation
SENDER = "sender@client.test"
RCPT = b"RCPT TO:<msuser@example.test>\r\n"
REPLY_REASONS = {"reply_line", "reply_syntax"}

# scapy is slow to import in the emulated guest: only what is needed, and
# only by the commands that craft packets
IP = TCP = IPv6 = IPv6ExtHdrFragment = Raw = None


def scapy():
    global IP, TCP, IPv6, IPv6ExtHdrFragment, Raw
    from scapy.config import conf
    conf.verb = 0
    from scapy.layers.inet import IP, TCP  # noqa: F811
    from scapy.layers.inet6 import IPv6, IPv6ExtHdrFragment  # noqa: F811
    from scapy.packet import Raw  # noqa: F811


def check(desc, cond, detail=""):
    print(f"ok {desc}" if cond else f"not ok {desc}: {detail}")
    return bool(cond)


def note(what):
    print(f"# {what}")


# ------------------------------------------------------------- sessions

class Sess:
    """A TCP connection from the client namespace to ADDR:25."""

    def __init__(self, addr, sport=0, timeout=TIMEOUT):
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        with netns("client"):
            self.s = socket.socket(fam, socket.SOCK_STREAM)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if sport:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.s.bind(("", sport))
        self.s.settimeout(timeout)
        self.addr = addr
        self.buf = b""
        self.replies = []
        self.closed = False
        self.s.connect((addr, 25))
        self.sport = self.s.getsockname()[1]

    def tuple(self):
        return (self.s.getsockname()[0], self.sport, self.addr)

    def send(self, data, flags=0):
        if flags:
            self.s.send(data, flags)
        else:
            self.s.sendall(data)

    def reply(self):
        """One complete reply: its code. EOFError when the peer closed."""
        while True:
            while b"\r\n" not in self.buf:
                d = self.s.recv(65536)
                if not d:
                    self.closed = True
                    raise EOFError("closed")
                self.buf += d
            line, self.buf = self.buf.split(b"\r\n", 1)
            if len(line) < 4 or line[3:4] != b"-":
                self.replies.append(line.decode(errors="replace")[:60])
                return int(line[:3])

    def cmd(self, line, code):
        self.send(line + b"\r\n")
        c = self.reply()
        if c != code:
            raise RuntimeError(f"{line[:30]!r}: {self.replies[-1]!r}")

    def drain(self, idle):
        """Replies until the peer closes or IDLE seconds pass without one."""
        self.s.settimeout(idle)
        try:
            while True:
                self.reply()
        except (EOFError, ConnectionResetError, BrokenPipeError):
            self.closed = True
        except socket.timeout:
            pass
        self.s.settimeout(TIMEOUT)

    def to_data(self):
        if self.reply() != 220:
            raise RuntimeError(f"no banner: {self.replies}")
        self.cmd(b"EHLO client.test", 250)
        self.cmd(f"MAIL FROM:<{SENDER}>".encode(), 250)
        self.cmd(RCPT.rstrip(), 250)
        self.cmd(b"DATA", 354)

    def unacked(self):
        """Bytes sent but not yet acknowledged (and not yet sent)."""
        buf = fcntl.ioctl(self.s.fileno(), termios.TIOCOUTQ, b"\0" * 4)
        return struct.unpack("=i", buf)[0]

    def wait_acked(self, secs=3.0):
        end = time.monotonic() + secs
        while self.unacked() and time.monotonic() < end:
            time.sleep(0.02)

    def seqs(self):
        """(next sequence number to send, next expected from the server)"""
        s = self.s
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
        snd = struct.unpack("=I", s.getsockopt(socket.IPPROTO_TCP,
                                               TCP_QUEUE_SEQ, 4))[0]
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE)
        rcv = struct.unpack("=I", s.getsockopt(socket.IPPROTO_TCP,
                                               TCP_QUEUE_SEQ, 4))[0]
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 0)
        return snd, rcv

    def finish(self):
        """End the session politely if it still runs: QUIT, read to EOF."""
        if not self.closed:
            try:
                self.send(b"QUIT\r\n")
                self.drain(TIMEOUT)
            except OSError:
                pass
        self.s.close()

    def abort(self):
        """Close with a RST (SO_LINGER 0)."""
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                          struct.pack("ii", 1, 0))
        self.s.close()


def banner(addr, sport=0, timeout=3.0):
    """Connect and read the 220: (Sess or None, source port, why)."""
    try:
        c = Sess(addr, sport, timeout)
    except OSError as e:
        return None, sport, type(e).__name__
    try:
        if c.reply() == 220:
            return c, c.sport, ""
        why = f"no banner: {c.replies}"
    except (OSError, EOFError) as e:
        why = type(e).__name__
    c.abort()
    return None, c.sport, why


def server_closes(addr, sport):
    """A session from SPORT that the server closes first (QUIT): its side
    of the 4-tuple goes to TIME_WAIT."""
    c = Sess(addr, sport)
    if c.reply() != 220:
        raise RuntimeError(f"no banner: {c.replies}")
    c.cmd(b"QUIT", 221)
    while c.s.recv(512):        # the server's FIN
        pass
    c.s.close()


def server_sockets(state, ports):
    """How many of the server's port-25 sockets in STATE have a peer port
    in PORTS (ss in the mail namespace)."""
    out = subprocess.run(["ss", "-N", "mail", "-Htn", "state", state,
                          "( sport = :25 )"], capture_output=True,
                         text=True, check=False).stdout
    n = 0
    for line in out.splitlines():
        f = line.split()
        if f and f[-1].rsplit(":", 1)[-1].isdigit() and \
                int(f[-1].rsplit(":", 1)[1]) in ports:
            n += 1
    return n


def free_ports(n):
    return random.sample(range(42000, 44000), n)


def mail_ctl(*args):
    """mailshieldctl --json in the mail namespace."""
    with netns("mail"):
        return smtpc.ctl(*args)


def client_address(addr):
    """The client namespace's source address towards ADDR."""
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with netns("client"):
        u = socket.socket(fam, socket.SOCK_DGRAM)
    u.connect((addr, 25))
    a = u.getsockname()[0]
    u.close()
    return ipaddress.ip_address(a)


def slots_free(addrs, secs=15.0):
    """Wait until the client's sources hold no connection slot (closed
    connections may keep theirs until the module sees the socket gone).
    Returns the slots still held."""
    clients = [client_address(a) for a in addrs]
    t0 = time.monotonic()
    while True:
        held = 0
        for e in mail_ctl("sources") or []:
            net = ipaddress.ip_network(f"{e['addr']}/{e['prefix']}",
                                       strict=False)
            if any(c in net for c in clients):
                held += e["flows"]
        waited = time.monotonic() - t0
        if not held or waited > secs:
            if waited > 0.5:
                note(f"waited {waited:.1f}s for the client's connection "
                     f"slots ({held} still held)")
            return held
        time.sleep(0.5)


# ------------------------------------------------------- crafted packets

class Raw3:
    """Raw IPv4/IPv6 sockets in the client namespace (headers included)."""

    def __init__(self):
        with netns("client"):
            self.r4 = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                    socket.IPPROTO_RAW)
            self.r6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                                    socket.IPPROTO_RAW)

    def send(self, pkt, dst):
        if ":" in dst:
            self.r6.sendto(bytes(pkt), (dst, 0, 0, 0))
        else:
            self.r4.sendto(bytes(pkt), (dst, 0))


def iphdr(src, dst):
    return IPv6(src=src, dst=dst) if ":" in dst else IP(src=src, dst=dst)


def seg(t, seq, ack, flags, data=b"", bad_csum=False):
    """A TCP segment of the connection T = (client, port, server)."""
    src, sport, dst = t
    p = iphdr(src, dst) / TCP(sport=sport, dport=25, flags=flags,
                              seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF,
                              window=502)
    if data:
        p = p / Raw(data)
    if bad_csum:
        good = p.__class__(bytes(p))[TCP].chksum
        p[TCP].chksum = good ^ 0x00FF
    return p


def frags(t, seq, ack, data, size=24):
    """A data segment cut into IP fragments of SIZE bytes of TCP segment
    each: the first one holds the TCP header and SIZE - 20 payload bytes."""
    src, sport, dst = t
    v6 = ":" in dst
    whole = bytes(seg(t, seq, ack, "PA", data))
    tcp = whole[40:] if v6 else whole[20:]
    ident = random.randrange(1, 1 << 16)
    out = []
    for off in range(0, len(tcp), size):
        chunk = tcp[off:off + size]
        more = off + size < len(tcp)
        if v6:
            out.append(IPv6(src=src, dst=dst) /
                       IPv6ExtHdrFragment(nh=6, offset=off // 8, m=int(more),
                                          id=ident) / Raw(chunk))
        else:
            out.append(IP(src=src, dst=dst, proto=6, id=ident,
                          flags="MF" if more else 0, frag=off // 8) /
                       Raw(chunk))
    return out


# ------------------------------------------------------------- counters

class Stats:
    def __init__(self):
        with netns("mail"):
            self.g = nlraw.Genl()

    def get(self):
        return nlsmtp.stats(self.g)


def delta(before, after, key):
    """Growth of counter KEY; None if the module does not report it."""
    if key not in after:
        return None
    return after[key] - before.get(key, 0)


def client_violations(before, after):
    """Violations of client bytes (all reasons but the reply-side ones)."""
    return sum(v - before["reasons"].get(r, 0)
               for r, v in after["reasons"].items()
               if r not in REPLY_REASONS)


# --------------------------------------------------------------- tricks

def smuggle_bytes(m):
    """The end of the first message as Postfix reads <LF>.<LF>, then a
    whole second transaction whose envelope sender is M@client.test. The
    first 8 bytes are harmless text (the first fragment of "frag")."""
    return (b"lastline\n.\n" +
            f"MAIL FROM:<{m}@client.test>\r\n".encode() + RCPT +
            b"DATA\r\n" +
            f"Subject: {m}\r\n\r\nsmuggled {m}\r\n".encode())


def decoy(n):
    """N harmless bytes: the rest of a body line."""
    return b"x" * (n - 2) + b"\r\n"


def t_rst(c, inj, m):
    snd, rcv = c.seqs()
    inj.send(seg(c.tuple(), snd + FAR, rcv, "R"), c.addr)
    time.sleep(0.2)
    c.send(smuggle_bytes(m))


def t_fin(c, inj, m):
    snd, rcv = c.seqs()
    inj.send(seg(c.tuple(), snd + FAR, rcv, "FA"), c.addr)
    time.sleep(0.2)
    c.send(smuggle_bytes(m))


def t_badsum(c, inj, m):
    data = smuggle_bytes(m)
    snd, rcv = c.seqs()
    inj.send(seg(c.tuple(), snd, rcv, "PA", decoy(len(data)), True), c.addr)
    time.sleep(0.2)
    c.send(data)


def t_noack(c, inj, m):
    data = smuggle_bytes(m)
    snd, rcv = c.seqs()
    inj.send(seg(c.tuple(), snd, rcv, "P", decoy(len(data))), c.addr)
    time.sleep(0.2)
    c.send(data)


def t_urgent(c, inj, m):
    rest = smuggle_bytes(m).split(b"\n.\n", 1)[1]
    c.send(b"lastline\r\n.")
    c.send(b"X", socket.MSG_OOB)
    c.send(b"\r\n" + rest)


def t_frag(c, inj, m):
    """The socket never sends these bytes: its sequence numbers fall
    behind the server's (it drops the server's later segments). Returns
    the sequence number after the injected bytes, for the cleanup."""
    data = smuggle_bytes(m) + b".\r\nQUIT\r\n"
    snd, rcv = c.seqs()
    for p in frags(c.tuple(), snd, rcv, data):
        inj.send(p, c.addr)
    return snd + len(data)


TRICKS = {
    # name: (function, expected counters beyond a client violation)
    "rst": (t_rst, ["violation"]),
    "fin": (t_fin, ["violation"]),
    "badsum": (t_badsum, ["violation", "bad_segments"]),
    "noack": (t_noack, ["violation", "bad_segments"]),
    "urgent": (t_urgent, ["urgent_cleared|violation"]),
    "frag": (t_frag, ["fragments|violation"]),
    "twreuse": (None, ["violation"]),
}


def one_try(name, addr, inj, st):
    m = f"mshev{name}{random.randrange(1 << 40):x}"
    res = {"trick": name, "addr": addr, "marker": m}
    before = st.get()
    c = None
    try:
        if name == "twreuse":
            port = free_ports(1)[0]
            server_closes(addr, port)
            time.sleep(0.2)
            c = Sess(addr, port)
            res["port"] = port
        else:
            c = Sess(addr)
        c.to_data()
        c.send(b"Subject: evasion cover\r\n\r\ncover body\r\n")
        c.wait_acked()
        if name == "twreuse":
            c.send(smuggle_bytes(m))
        elif name == "frag":
            end = t_frag(c, inj, m)
            time.sleep(1.0)
            # the server may have all of it (QUIT included) or nothing:
            # a RST at either end of the injected bytes frees its socket
            inj.send(seg(c.tuple(), end, 0, "R"), addr)
            c.abort()
            c = None
        else:
            TRICKS[name][0](c, inj, m)
        if c:
            # Postfix's replies to the smuggled commands, or mailshield's
            c.drain(1.5)
            if not c.closed:
                c.send(b".\r\n")
                c.drain(1.5)
    except (OSError, EOFError, RuntimeError) as e:
        res["error"] = f"{type(e).__name__}: {e}"
    if c:
        res["replies"] = c.replies[5:]      # after the 354
        res["closed"] = c.closed
        c.finish()
    time.sleep(0.2)
    after = st.get()
    res["violations"] = client_violations(before, after)
    for k in ("bad_segments", "urgent_cleared", "fragments"):
        res[k] = delta(before, after, k)
    return res


def delivered(m, log, mbox):
    return bool(re.search(rf"qmgr\[\d+\]: \w+: from=<{m}@", log) or
                re.search(rf"^From {m}@", mbox, re.M) or
                re.search(rf"^Return-Path: <{m}@", mbox, re.M))


def control(addr, m):
    """A clean transaction with envelope sender M@client.test."""
    c = Sess(addr, timeout=20)
    if c.reply() != 220:
        raise RuntimeError("no banner")
    c.cmd(b"EHLO client.test", 250)
    c.cmd(f"MAIL FROM:<{m}@client.test>".encode(), 250)
    c.cmd(RCPT.rstrip(), 250)
    c.cmd(b"DATA", 354)
    c.cmd(f"Subject: {m}\r\n\r\ncontrol\r\n.".encode(), 250)
    c.finish()


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def cmd_smuggle(addrs, maillog, mbox, names):
    scapy()
    inj = Raw3()
    st = Stats()
    results = [one_try(name, addr, inj, st)
               for addr in addrs for name in names]

    # every smuggled message Postfix took would be queued before this one
    ctl = f"mshevctl{random.randrange(1 << 40):x}"
    err = ""
    try:
        control(addrs[0], ctl)
    except (OSError, EOFError, RuntimeError) as e:
        err = f"{type(e).__name__}: {e}"
    end = time.monotonic() + 40
    while not delivered(ctl, "", read(mbox)) and time.monotonic() < end:
        time.sleep(0.5)
    time.sleep(1)
    log, box = read(maillog), read(mbox)
    bad = not check("control message delivered", delivered(ctl, log, box),
                    err or f"{ctl} not in {mbox}")

    for r in results:
        note(json.dumps(r))
        what = f"{r['trick']} via {r['addr']}"
        bad |= not check(f"{what}: smuggled message never delivered",
                         not delivered(r["marker"], log, box),
                         f"from=<{r['marker']}@client.test> delivered")
        for want in TRICKS[r["trick"]][1]:
            ok, got = False, []
            for k in want.split("|"):
                v = r["violations"] if k == "violation" else r[k]
                got.append(f"{k} {'not reported' if v is None else f'+{v}'}")
                ok |= v is not None and v > 0
            bad |= not check(f"{what}: {want.replace('|', ' or ')} counted",
                             ok, ", ".join(got))
    return 1 if bad else 0


def cmd_admit(addrs, cap):
    scapy()
    inj = Raw3()
    bad = False
    held = slots_free(addrs)
    if held:
        note(f"the client still holds {held} connection slot(s)")
    for addr in addrs:
        held, ports = [], []
        for _ in range(cap):
            c, port, why = banner(addr)
            ports.append(port)
            if c:
                held.append(c)
        bad |= not check(f"{addr}: {cap} concurrent sessions admitted",
                         len(held) == cap, f"only {len(held)}")
        for i, c in enumerate(held):
            snd, rcv = c.seqs()
            flags = "R" if i % 2 == 0 else "FA"
            inj.send(seg(c.tuple(), snd + FAR, rcv, flags), addr)
        time.sleep(0.3)
        extra = []
        for n in (cap + 1, cap + 2):
            c, port, why = banner(addr)
            ports.append(port)
            bad |= not check(f"{addr}: session {n} refused after forged "
                             "out-of-window RST/FIN", c is None,
                             "it got a banner")
            if c:
                extra.append(c)
        time.sleep(0.5)
        alive = server_sockets("established", ports)
        bad |= not check(f"{addr}: at most {cap} sessions ESTABLISHED on "
                         f"the server", alive <= cap, f"{alive} are")
        for c in held + extra:
            c.finish()
    return 1 if bad else 0


def cmd_twadmit(addrs, cap):
    bad = False
    mail_ctl("policy", "set", "max_conns", "0")
    tws = {}
    for addr in addrs:
        tws[addr] = free_ports(2)
        for port in tws[addr]:
            server_closes(addr, port)
    held = slots_free(addrs)
    if held:
        note(f"the client still holds {held} connection slot(s)")
    mail_ctl("policy", "set", "max_conns", str(cap))
    for addr in addrs:
        tw = tws[addr]
        n = server_sockets("time-wait", tw)
        bad |= not check(f"{addr}: the server holds TIME_WAIT for 2 closed "
                         "sessions", n == 2, f"{n} in TIME_WAIT")
        held, ports = [], []
        for _ in range(cap):
            c, port, why = banner(addr)
            ports.append(port)
            if c:
                held.append(c)
        bad |= not check(f"{addr}: {cap} concurrent session(s) admitted",
                         len(held) == cap, f"only {len(held)}")
        extra = []
        for port in tw:
            c, _, why = banner(addr, port)
            ports.append(port)
            bad |= not check(f"{addr}: a new session from TIME_WAIT port "
                             f"{port} refused by the cap", c is None,
                             "it got a banner")
            if c:
                extra.append(c)
        time.sleep(0.5)
        alive = server_sockets("established", ports)
        bad |= not check(f"{addr}: at most {cap} session(s) ESTABLISHED on "
                         f"the server", alive <= cap, f"{alive} are")
        for c in held + extra:
            c.finish()
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "smuggle":
        names = argv[5:] or list(TRICKS)
        for n in names:
            if n not in TRICKS:
                raise SystemExit(f"unknown trick {n}")
        return cmd_smuggle(argv[2].split(","), argv[3], argv[4], names)
    if len(argv) == 4 and argv[1] == "admit":
        return cmd_admit(argv[2].split(","), int(argv[3]))
    if len(argv) == 4 and argv[1] == "twadmit":
        return cmd_twadmit(argv[2].split(","), int(argv[3]))
    if len(argv) == 2 and argv[1] == "list":
        print(" ".join(TRICKS))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
