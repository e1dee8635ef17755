#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""No false positives from the SMTP stream inspector: real SMTP clients
(smtplib) over an impaired link, and live sessions across policy changes.

Run in the mail namespace: the sessions are opened from the client
namespace (smtpc.netns, one thread per session), mailshieldctl and the
inspection counters act on the mail namespace, and the mailbox is read
directly.

    streamrobust.py send TAG N CONC ADDR[,ADDR...] SIZE[,SIZE...]
        N messages with subjects "TAG I", over the addresses in turn and
        with body sizes in turn (every address gets every size), CONC
        sessions at a time. Then: every message is in the mailbox, no
        violation was counted, and the impairment did reach the inspector
        (out-of-order drops or retransmitted bytes).
        One failure is tried again (at most ATTEMPTS sessions per message,
        as an MTA's queue would, and noted): a handshake whose final ACK
        was lost, and with it every repetition of the cookie SYN-ACK
        (synack_retries, after 1 s and 3 s) or the client's answers to
        them; the client, waiting for the greeting, sends nothing. Such a
        session is recognised by the client socket being established with
        nothing received and no socket for it on the server side. Any
        other failure fails the message.
    streamrobust.py toggle TAG ADDR[,ADDR...] LABEL OFF ON
        20 sessions over the addresses in turn; each says EHLO and MAIL,
        the even ones (per address) also RCPT, then all pause. Then
        "mailshieldctl policy set OFF"; the odd sessions send their RCPT
        while the change is in force; "policy set ON"; then every session
        sends DATA with a body and QUIT. Every message must be accepted
        and delivered and no violation counted. OFF and ON are
        space-separated argument lists ("enabled off", "enabled on").

Prints "ok DESC" / "not ok DESC: why" lines (lib.sh msh_checks) and
"# note" lines.
"""

import concurrent.futures
import os
import re
import smtplib
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import nlraw  # noqa: E402
import nlsmtp  # noqa: E402
import smtpc  # noqa: E402

CLIENT_NS = "client"
PORT = 25
FROM = "sender@client.test"
RCPT = "msuser@example.test"
MBOX = "/var/mail/msuser"
ATTEMPTS = 3
TOGGLE_SESSIONS = 20

bad = 0


def check(desc, cond, detail=""):
    global bad
    if cond:
        print(f"ok {desc}", flush=True)
    else:
        bad += 1
        print(f"not ok {desc}: {detail}", flush=True)


def note(text):
    print(f"# {text}", flush=True)


def fam(addr):
    return "IPv6" if ":" in addr else "IPv4"


def message(subject, size):
    hdr = (f"Subject: {subject}\r\nFrom: <{FROM}>\r\nTo: <{RCPT}>\r\n"
           "\r\n").encode()
    return hdr + smtpc.body_of(size)


def abort_sock(sock):
    """Close a socket with a RST (no lingering smtpd on the other end)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def abort(s):
    """Close an SMTP session's socket with a RST."""
    sock = getattr(s, "sock", None) if s is not None else None
    if sock is not None:
        abort_sock(sock)


class Client(smtplib.SMTP):
    """smtplib.SMTP keeping a duplicate of its socket while the greeting
    is read, so that a session that gets none can still be described."""

    spare = None

    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, timeout)
        self.spare = sock.dup()
        return sock


TCP_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV",
              4: "FIN_WAIT1", 5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE",
              8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
              12: "NEW_SYN_RECV"}


def server_side(cport):
    """States of the mail namespace's sockets for client port CPORT (the
    process's own namespace: the main thread never leaves it)."""
    out = []
    for name in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{os.getpid()}/net/{name}") as f:
                next(f)
                for line in f:
                    fl = line.split()
                    lport = int(fl[1].rsplit(":", 1)[1], 16)
                    rport = int(fl[2].rsplit(":", 1)[1], 16)
                    if lport == PORT and rport == cport:
                        out.append(TCP_STATES.get(int(fl[3], 16), fl[3]))
        except OSError:
            pass
    return out


def describe(sock):
    """What became of a connection without a greeting: a description, and
    whether it is a handshake whose final ACK never reached the server
    (the client established, nothing received, no socket on the server)."""
    try:
        cport = sock.getsockname()[1]
        ti = smtpc.tcp_info(sock)
    except OSError as e:
        return f"no socket ({e!r})", False
    srv = server_side(cport)
    lost = ti["state"] == 1 and ti["bytes_received"] == 0 and not srv
    return (f"client port {cport} {TCP_STATES.get(ti['state'], ti['state'])}"
            f", segs out {ti['segs_out']} in {ti['segs_in']}, "
            f"bytes received {ti['bytes_received']}, retransmitted "
            f"{ti['total_retrans']}; server sockets: {srv or 'none'}"), lost


def connect(addr, greet_timeout):
    """An smtplib session from the client namespace, greeting read. On
    failure the exception carries a description of the connection."""
    s = Client(timeout=greet_timeout, local_hostname="client.test")
    try:
        with smtpc.netns(CLIENT_NS):
            s.connect(addr, PORT)
    except BaseException as e:
        if s.spare is not None:
            e.msh_detail, e.msh_lost_ack = describe(s.spare)
            abort_sock(s.spare)
        abort(s)
        raise
    # the same socket: closing the duplicate leaves it open
    s.spare.close()
    s.spare = None
    return s


def why(e):
    """An exception, with what connect() found out about the connection."""
    d = getattr(e, "msh_detail", None)
    return f"{e!r} [{d}]" if d else repr(e)


def mailbox_subjects(prefix):
    try:
        with open(MBOX, "rb") as f:
            data = f.read()
    except OSError:
        return set()
    pat = re.compile(rb"^Subject: (" + re.escape(prefix.encode()) +
                     rb" [^\r\n]*)$", re.M)
    return {m.group(1).decode() for m in pat.finditer(data)}


def wait_delivered(prefix, subjects, seconds):
    """Subjects (of those given) in the mailbox within SECONDS."""
    end = time.monotonic() + seconds
    while True:
        got = mailbox_subjects(prefix) & subjects
        if got == subjects or time.monotonic() >= end:
            return got
        time.sleep(0.5)


def inspector_stats(g):
    return nlsmtp.stats(g)


def deltas(before, after):
    """Counters that moved, of the inspector and of admission."""
    out = {}
    for k, v in after.items():
        if isinstance(v, int) and not isinstance(v, bool) and \
                isinstance(before.get(k), int) and v != before[k]:
            out[k] = v - before[k]
        elif isinstance(v, dict) and isinstance(before.get(k), dict):
            d = deltas(before[k], v)
            if d:
                out[k] = d
    return out


def all_stats(g):
    s = {"inspect": inspector_stats(g)}
    try:
        s["ctl"] = smtpc.stats()
    except Exception as e:  # the counters are only diagnostics here
        note(f"mailshieldctl stats: {e!r}")
        s["ctl"] = {}
    return s


def violation_check(desc, before, after):
    d = after["inspect"]["violations"] - before["inspect"]["violations"]
    reasons = deltas(before["inspect"].get("reasons", {}),
                     after["inspect"].get("reasons", {}))
    check(desc, d == 0, f"+{d} ({reasons})")


# ------------------------------------------------------------------ send

def deliver_one(addr, subject, size, deadline, greet, io):
    """Returns (accepted, attempts, notes)."""
    notes = []
    msg = message(subject, size)
    for attempt in range(1, ATTEMPTS + 1):
        if attempt > 1 and time.monotonic() >= deadline:
            notes.append("deadline reached, not tried again")
            break
        t0 = time.monotonic()
        try:
            s = connect(addr, greet)
        except (OSError, smtplib.SMTPException) as e:
            lost = getattr(e, "msh_lost_ack", False)
            notes.append(f"attempt {attempt}: no greeting after "
                         f"{time.monotonic() - t0:.1f}s: {why(e)}" +
                         (": the handshake's final ACK was lost" if lost
                          else ""))
            if lost:
                continue
            return False, attempt, notes
        try:
            s.sock.settimeout(io)
            code, _ = s.ehlo()
            if code != 250:
                raise smtplib.SMTPResponseException(code, "EHLO")
            s.sendmail(FROM, [RCPT], msg)
            s.quit()
            return True, attempt, notes
        except (OSError, smtplib.SMTPException) as e:
            abort(s)
            notes.append(f"attempt {attempt}: failed after the greeting "
                         f"({time.monotonic() - t0:.1f}s): {e!r}")
            return False, attempt, notes
    return False, attempt, notes


def cmd_send(tag, n, conc, addrs, sizes):
    g = nlraw.Genl()
    before = all_stats(g)
    rs0 = smtpc.retrans_segs()
    t0 = time.monotonic()
    deadline = t0 + 60
    jobs = []
    for i in range(n):
        addr = addrs[i % len(addrs)]
        size = sizes[(i // len(addrs)) % len(sizes)]
        jobs.append((i, addr, size, f"{tag} {i} {fam(addr)} {size}"))
    with concurrent.futures.ThreadPoolExecutor(conc) as ex:
        futs = {ex.submit(deliver_one, a, subj, sz, deadline, 8, 20):
                (i, a, sz, subj) for i, a, sz, subj in jobs}
        res = {}
        for f in concurrent.futures.as_completed(futs):
            res[futs[f]] = f.result()
    note(f"{n} sessions in {time.monotonic() - t0:.1f}s")

    queued = set()
    for a in addrs:
        mine = [(j, r) for j, r in res.items() if j[1] == a]
        ok = [j[3] for j, r in mine if r[0]]
        queued.update(ok)
        retried = [(j, r) for j, r in mine if r[0] and r[1] > 1]
        for j, r in sorted(mine):
            for t in r[2]:
                note(f"message {j[0]} ({fam(a)}, {j[2]} bytes): {t}")
        if retried:
            note(f"{fam(a)}: {len(retried)} message(s) delivered in another "
                 "session after a lost handshake ACK")
        failed = [f"{j[0]} ({j[2]} bytes): {r[2][-1] if r[2] else '?'}"
                  for j, r in sorted(mine) if not r[0]]
        check(f"netem {fam(a)}: {len(ok)} of {len(mine)} messages accepted",
              len(ok) == len(mine), "; ".join(failed))

    got = wait_delivered(tag, queued, 60)
    after = all_stats(g)
    note(f"counters moved: {deltas(before, after)}")
    note(f"server TCP retransmitted segments: "
         f"{smtpc.retrans_segs() - rs0}")
    for a in addrs:
        mine = {j[3] for j in res if j[1] == a}
        check(f"netem {fam(a)}: {len(got & mine)} of {len(mine)} messages "
              "in the mailbox", got & mine == mine,
              f"missing: {sorted(mine - got)}, of which accepted: "
              f"{sorted((mine & queued) - got)}")
    violation_check("netem: no violation counted", before, after)
    di = deltas(before["inspect"], after["inspect"])
    check("netem: the impairment reached the inspector (out-of-order "
          "drops or retransmitted bytes)",
          di.get("ooo_drops", 0) + di.get("retrans_bytes", 0) > 0,
          f"inspector counters moved: {di}")
    return 1 if bad else 0


# ---------------------------------------------------------------- toggle

class Session:
    def __init__(self, i, addr, active, subject):
        self.i, self.addr, self.active, self.subject = i, addr, active, subject
        self.s = None
        self.error = None
        self.stage = "connect"

    @property
    def group(self):
        return "talking" if self.active else "idle"

    def fail(self, e):
        self.error = f"{self.stage}: {e!r}"
        abort(self.s)
        self.s = None

    def step(self, fn):
        if self.s is None:
            return
        try:
            fn()
        except (OSError, smtplib.SMTPException, RuntimeError) as e:
            self.fail(e)

    def expect(self, what, reply, code=250):
        if reply[0] != code:
            raise RuntimeError(f"{what}: {reply[0]} {reply[1]!r}")

    def open(self):
        self.stage = "connect"
        try:
            self.s = connect(self.addr, 20)
        except (OSError, smtplib.SMTPException) as e:
            self.error = f"connect: {why(e)}"
            return

        def go():
            self.s.sock.settimeout(10)
            self.stage = "EHLO"
            self.expect("EHLO", self.s.ehlo())
            self.stage = "MAIL"
            self.expect("MAIL", self.s.mail(FROM))
            if not self.active:
                self.rcpt()
        self.step(go)

    def rcpt(self):
        self.stage = "RCPT"
        self.expect("RCPT", self.s.rcpt(RCPT))

    def window(self):
        self.step(self.rcpt)

    def finish(self, msg):
        def go():
            self.stage = "DATA"
            self.expect("DATA", self.s.data(msg))
            self.stage = "QUIT"
            self.s.quit()
            self.s = None
        self.step(go)


def parallel(fn, items):
    with concurrent.futures.ThreadPoolExecutor(len(items) or 1) as ex:
        list(ex.map(fn, items))


def policy(args):
    try:
        return True, smtpc.ctl("policy", "set", *args)
    except Exception as e:
        return False, repr(e)


def cmd_toggle(tag, addrs, label, off, on):
    g = nlraw.Genl()
    before = all_stats(g)
    t0 = time.monotonic()
    sess = []
    for i in range(TOGGLE_SESSIONS):
        addr = addrs[i % len(addrs)]
        active = (i // len(addrs)) % 2 == 1
        sess.append(Session(i, addr, active,
                            f"{tag} {i} {fam(addr)} "
                            f"{'talking' if active else 'idle'}"))
    parallel(Session.open, sess)
    opened = [x for x in sess if x.s is not None]
    check(f"{label}: {len(opened)} of {len(sess)} sessions open "
          "(EHLO, MAIL; RCPT for the idle ones) before the change",
          len(opened) == len(sess),
          "; ".join(f"{x.i}: {x.error}" for x in sess if x.error))
    note(f"{label}: sessions open after {time.monotonic() - t0:.1f}s")

    ok, out = policy(off.split())
    check(f"{label}: policy set {off}", ok, out)
    if ok:
        note(f"policy now: enabled {out.get('enabled')}, ports "
             f"{out.get('ports')}")
    parallel(Session.window, [x for x in sess if x.active])
    ok, out = policy(on.split())
    check(f"{label}: policy set {on}", ok, out)
    if ok:
        note(f"policy now: enabled {out.get('enabled')}, ports "
             f"{out.get('ports')}")

    t1 = time.monotonic()
    parallel(lambda x: x.finish(message(x.subject, 3000 + 997 * x.i)),
             sess)
    note(f"{label}: DATA and QUIT took {time.monotonic() - t1:.1f}s")
    for x in sess:
        abort(x.s)

    queued = {x.subject for x in sess if x.error is None}
    got = wait_delivered(tag, queued, 30)
    after = all_stats(g)
    note(f"counters moved: {deltas(before, after)}")
    for grp, desc in (("idle", "idle during the change"),
                      ("talking", "RCPT sent during the change")):
        mine = [x for x in sess if x.group == grp]
        acc = [x for x in mine if x.error is None]
        check(f"{label}: {desc}: {len(acc)} of {len(mine)} messages "
              "accepted", len(acc) == len(mine),
              "; ".join(f"{x.i} ({fam(x.addr)}): {x.error}"
                        for x in mine if x.error))
        subj = {x.subject for x in mine}
        check(f"{label}: {desc}: {len(got & subj)} of {len(mine)} "
              "messages in the mailbox", got & subj == subj,
              f"missing {len(subj - got)}")
    violation_check(f"{label}: no violation counted", before, after)
    return 1 if bad else 0


def main(argv):
    if len(argv) == 7 and argv[1] == "send":
        return cmd_send(argv[2], int(argv[3]), int(argv[4]),
                        argv[5].split(","),
                        [int(x) for x in argv[6].split(",")])
    if len(argv) == 7 and argv[1] == "toggle":
        return cmd_toggle(argv[2], argv[3].split(","), argv[4], argv[5],
                          argv[6])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
