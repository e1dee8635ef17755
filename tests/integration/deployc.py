#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Clients and servers for the deployment test, 28-deploy (standard library
only). Run as root in the initial namespace; every socket is made in the
named network namespace it belongs to.

    deployc.py serve READY NS:NAME...
        a tiny SMTP-like server on port 25 (IPv4 and IPv6) in each NS: it
        greets with "220 NAME", answers each line with "250 NAME LINE" and
        QUIT with "221 NAME"; touches READY once listening, then serves
        until killed
    deployc.py local N ADDR...
        from the mail namespace, hold N connections to each ADDR at once;
        each must get its 220
    deployc.py barelf ADDR N
        from the mail namespace, N sessions that each send a command ended
        by a bare LF; each must get mailshield's 421 and a closed
        connection; the N violations are counted, yet ADDR is not banned
        and its next session gets its 220
    deployc.py refused ADDR
        from the mail namespace, one connection to ADDR (220) and a second
        one at the same time, which must be refused with an SMTP 421
    deployc.py sessions FROM WANT ADDR... [--untouched NS...] [--served NS]
        from namespace FROM, one session per ADDR: the banner starts with
        WANT and EHLO gets a 250. The admission and inspection counters of
        each --untouched namespace must not move; the --served namespace
        must have admitted at least one connection per ADDR on a cookie
    deployc.py smuggle FROM ADDR MAILLOG [--untouched NS...] [--served NS]
        from FROM, an SMTP smuggling attempt (<LF>.<LF>) to ADDR:25: the
        client gets 421 and a closed connection, the --served namespace
        counts a violation (bare_lf: the first <LF> already is one), the
        --untouched ones nothing, and the smuggled RCPT never reaches
        MAILLOG

Every check prints "ok DESC" or "not ok DESC: detail"
(tests/integration/lib.sh msh_record reads them).
"""

import os
import random
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admitc  # noqa: E402
import smtpattack  # noqa: E402
import smtpc  # noqa: E402
from smtpc import netns  # noqa: E402

PORT = 25
# counters a namespace that only routes or translates must leave alone
UNTOUCHED = ["cookies_sent", "cookies_valid", "cookies_invalid",
             "synack_limited", "over_concurrency", "over_rate", "banned",
             "allowlisted", "flows_created", "violations"]


def check(desc, cond, detail=""):
    print(f"ok {desc}" if cond else f"not ok {desc}: {detail}")
    return cond


def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def show(addr):
    return f"[{addr}]" if ":" in addr else addr


# ---- server -------------------------------------------------------------

def handle(conn, name):
    try:
        conn.settimeout(30)
        conn.sendall(f"220 {name}\r\n".encode())
        f = conn.makefile("rb")
        for line in f:
            line = line.rstrip(b"\r\n").decode(errors="replace")
            if line.upper() == "QUIT":
                conn.sendall(f"221 {name}\r\n".encode())
                break
            conn.sendall(f"250 {name} {line}\r\n".encode())
    except OSError:
        pass
    finally:
        conn.close()


def accept_loop(s, name):
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c, name), daemon=True).start()


def serve(ready, specs):
    threads = []
    for spec in specs:
        ns, name = spec.split(":", 1)
        with netns(ns):
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", PORT))
        s.listen(64)
        threads.append(threading.Thread(target=accept_loop, args=(s, name),
                                        daemon=True))
    for t in threads:
        t.start()
    with open(ready, "w"):
        pass
    while True:
        time.sleep(3600)


# ---- local senders (mail namespace) -------------------------------------

def local(n, addrs):
    held = []
    with netns("mail"):
        for a in addrs:
            got = 0
            why = None
            for _ in range(n):
                s, why = admitc.banner(a, PORT)
                if not s:
                    break
                held.append(s)
                got += 1
            check(f"{n} concurrent sessions from {a} to {show(a)}:25 "
                  "all get their 220", got == n,
                  f"only {got}, then {why}")
    for s in held:
        s.close()
    return 0


def barelf_session(addr):
    """One session whose EHLO ends in a bare LF; the lines the client got."""
    c = smtpattack.Conn(addr, PORT, timeout=10)
    if c.reply() != 220:
        return c.replies, False
    c.send("EHLO barelf.test\n")
    c.drain()
    return c.replies, c.closed


def barelf(addr, n):
    with netns("mail"):
        v0 = smtpc.ctl("stats")["violations"]
        for i in range(n):
            try:
                replies, closed = barelf_session(addr)
            except (OSError, EOFError, ValueError) as e:
                replies, closed = [repr(e)], False
            ok = closed and bool(replies) and \
                replies[-1].startswith("421 4.7.0 Bare LF")
            check(f"bare LF {i + 1} of {n} from {addr}: mailshield's 421, "
                  "connection closed", ok, f"{replies}, closed={closed}")
        nv = smtpc.ctl("stats")["violations"] - v0
        bans = smtpc.ctl("bans")
        print(f"# violations +{nv}, bans: {bans}")
        check(f"{n} violations from {addr} counted, and it is not banned "
              "(bans empty)", nv >= n and not bans,
              f"violations +{nv}, bans {bans}")
        s, why = admitc.banner(addr, PORT)
        check(f"the next session from {addr} gets its 220", s is not None,
              why)
        if s:
            s.close()
    return 0


def refused(addr):
    with netns("mail"):
        first, why = admitc.banner(addr, PORT)
        check(f"first session from {addr} gets its 220", first is not None,
              why)
        second, why = admitc.banner(addr, PORT)
        check(f"second concurrent session from {addr} refused: the client "
              "reads '421 4.7.0 Too many connections'",
              second is None and "421 4.7.0 Too many connections" in
              (why or ""), why or "it got a banner")
        for s in (first, second):
            if s:
                s.close()
    return 0


# ---- routed and translated sessions --------------------------------------

def one_session(addr, want):
    """Banner and EHLO; returns None or why not."""
    try:
        c = smtpattack.Conn(addr, PORT, timeout=8)
        c.reply()
        if not c.replies[-1].startswith(want):
            return f"banner {c.replies[-1]!r}"
        c.send("EHLO ext.test\r\n")
        if c.reply() != 250:
            return f"EHLO answered {c.replies[-1]!r}"
        c.send("QUIT\r\n")
        c.reply()
        c.sock.close()
        return None
    except (OSError, EOFError, ValueError) as e:
        return repr(e)


def counters(ns):
    with netns(ns):
        j = smtpc.ctl("stats")
    out = {k: j.get(k, 0) for k in UNTOUCHED}
    return out


def delta(a, b):
    return {k: b[k] - a[k] for k in a if b[k] != a[k]}


def watch(untouched, served):
    return {ns: counters(ns) for ns in untouched + ([served] if served
                                                      else [])}


def judge(before, untouched, served, what):
    """Checks the untouched namespaces; returns the served one's deltas."""
    after = watch(untouched, served)
    for ns in untouched:
        d = delta(before[ns], after[ns])
        check(f"{ns} leaves {what} alone (no cookies, limits, flows or "
              "violations counted)", not d, f"counters moved: {d}")
    return delta(before[served], after[served]) if served else {}


def sessions(src, want, addrs, untouched, served):
    before = watch(untouched, served)
    with netns(src):
        for a in addrs:
            why = one_session(a, want)
            check(f"{src} -> {show(a)}:25 reaches '{want}', EHLO answered",
                  why is None, why)
    d = judge(before, untouched, served, "these sessions")
    if served:
        check(f"{served}'s own module admitted them on its cookies",
              d.get("cookies_valid", 0) >= len(addrs), f"deltas {d}")
    return 0


def smuggle(src, addr, maillog, untouched, served):
    before = watch(untouched, served)
    marker = f"mshdeploy{random.randrange(1 << 40)}"
    with netns(src):
        res = smtpattack.run_attack("smuggle_lf_lf", addr, PORT, marker)
    print(f"# {res}")
    check(f"smuggling via {show(addr)}:25 stopped: client got "
          f"'{res['expect']}', connection closed", res["ok"], str(res))
    d = judge(before, untouched, served, "the attack")
    if served:
        check(f"{served}'s own module counted the violation",
              d.get("violations", 0) >= 1, f"deltas {d}")
    time.sleep(1)       # let Postfix log what it got
    with open(maillog, errors="replace") as f:
        seen = [x for x in f if marker in x]
    check("the smuggled RCPT never reached Postfix", not seen,
          seen[0][:200] if seen else "")
    return 0


def split_opts(args):
    """ARGS... [--untouched NS...] [--served NS]"""
    pos, untouched, served = [], [], None
    mode = None
    for a in args:
        if a == "--untouched":
            mode = "u"
        elif a == "--served":
            mode = "s"
        elif mode == "u":
            untouched.append(a)
        elif mode == "s":
            served = a
            mode = None
        else:
            pos.append(a)
    return pos, untouched, served


def main(argv):
    cmd, args = (argv[1], argv[2:]) if len(argv) > 1 else ("", [])
    if cmd == "serve" and len(args) >= 2:
        return serve(args[0], args[1:])
    if cmd == "local" and len(args) >= 2:
        return local(int(args[0]), args[1:])
    if cmd == "barelf" and len(args) == 2:
        return barelf(args[0], int(args[1]))
    if cmd == "refused" and len(args) == 1:
        return refused(args[0])
    pos, untouched, served = split_opts(args)
    if cmd == "sessions" and len(pos) >= 3:
        return sessions(pos[0], pos[1], pos[2:], untouched, served)
    if cmd == "smuggle" and len(pos) == 3:
        return smuggle(pos[0], pos[1], pos[2], untouched, served)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
