#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Attack and protocol sessions against the MTA behind mailshield.

    smtpattack.py attack NAME ADDR PORT MARKER
        run one named attack; every attack byte that must never reach the
        MTA contains MARKER. Prints one JSON object: the replies the client
        got (the last one is mailshield's), whether the server closed.
    smtpattack.py bdat ADDR PORT SUBJECT      one BDAT transaction
    smtpattack.py pipeline ADDR PORT SUBJECT  one pipelined transaction
    smtpattack.py starttls ADDR PORT SUBJECT  one transaction over STARTTLS
    smtpattack.py list                        the attack names
    smtpattack.py check ADDR[,ADDR...] MAILLOG [NAME...]
        run the named (default: all) attacks against each address with
        unique markers, then check each result and that no marker is in
        MAILLOG; prints "ok DESC" / "not ok DESC: why" lines
"""

import base64
import json
import socket
import sys
import time

FROM = "MAIL FROM:<sender@client.test>"
RCPT = "RCPT TO:<msuser@example.test>"


class Conn:
    def __init__(self, addr, port, timeout=15):
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect((addr, port))
        self.buf = b""
        self.replies = []
        self.closed = False

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def reply(self):
        lines = []
        while True:
            while b"\r\n" not in self.buf:
                d = self.sock.recv(65536)
                if not d:
                    self.closed = True
                    raise EOFError("closed")
                self.buf += d
            line, self.buf = self.buf.split(b"\r\n", 1)
            lines.append(line.decode(errors="replace"))
            if len(line) < 4 or line[3:4] != b"-":
                self.replies.append(lines[-1])
                return int(line[:3])

    def cmd(self, line, code):
        self.send(line + "\r\n")
        c = self.reply()
        if c != code:
            raise RuntimeError(f"{line[:40]!r}: expected {code}, got "
                               f"{self.replies[-1]!r}")

    def drain(self):
        """Read replies until the server closes (or times out)."""
        try:
            while True:
                self.reply()
        except (EOFError, ConnectionResetError):
            self.closed = True
        except socket.timeout:
            pass


def greet(c):
    if c.reply() != 220:
        raise RuntimeError("no banner")
    c.cmd("EHLO client.test", 250)


def in_data(c):
    greet(c)
    c.cmd(FROM, 250)
    c.cmd(RCPT, 250)
    c.cmd("DATA", 354)


def a_ehlo(c, m):
    c.reply()
    c.send("EHLO " + m + "A" * 600 + "\r\n")


def a_rcpt(c, m):
    greet(c)
    c.cmd(FROM, 250)
    c.send("RCPT TO:<" + m + "x" * 5000 + "@example.test>\r\n")


def a_auth(c, m):
    greet(c)
    blob = base64.b64encode((m * 2000).encode())[:20000].decode()
    c.send("AUTH PLAIN " + m + blob + "\r\n")


def a_dataline(c, m):
    # over the default text_line (32768), which real mail never reaches;
    # tests/integration/27-legit-mail.sh covers the strict 1000
    in_data(c)
    c.send("Subject: x\r\n\r\n" + m + "D" * 40000 + "\r\n.\r\n")


def a_domain(c, m):
    greet(c)
    c.send("MAIL FROM:<" + m + "@" + "d" * 300 + ".test>\r\n")


def a_pregreet(c, m):
    c.send("EHLO " + m + "\r\n")


def a_starttls(c, m):
    greet(c)
    c.send("STARTTLS\r\nEHLO " + m + "\r\n")


def smuggle(seq):
    def run(c, m):
        in_data(c)
        c.send("Subject: x\r\n\r\nbody" + seq + FROM + "\r\n" +
               "RCPT TO:<" + m + "@example.test>\r\nDATA\r\n")
    return run


ATTACKS = {
    "ehlo600": (a_ehlo, "500 5.5.2"),
    "rcpt5000": (a_rcpt, "501 5.1.3"),
    "auth20k": (a_auth, "500 5.5.2"),
    "data40000": (a_dataline, "500 5.5.2"),
    "domain300": (a_domain, "501 5.1.3"),
    "pregreet": (a_pregreet, "421 4.7.0"),
    "starttls_inject": (a_starttls, "421 4.7.0"),
    "smuggle_lf_lf": (smuggle("\n.\n"), "421 4.7.0"),
    "smuggle_lf_crlf": (smuggle("\n.\r\n"), "421 4.7.0"),
    "smuggle_cr_crlf": (smuggle("\r.\r\n"), "421 4.7.0"),
    "smuggle_crlf_lf": (smuggle("\r\n.\n"), "421 4.7.0"),
}


def attack(name, addr, port, marker):
    res = run_attack(name, addr, port, marker)
    print(json.dumps(res))
    return 0 if res["ok"] else 1


def run_attack(name, addr, port, marker):
    fn, want = ATTACKS[name]
    res = {"attack": name, "expect": want}
    try:
        c = Conn(addr, port)
        fn(c, marker)
        c.drain()
        res["replies"] = c.replies
        res["closed"] = c.closed
        res["ok"] = bool(c.replies) and c.replies[-1].startswith(want) \
            and c.closed
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        res["error"] = repr(e)
        res["ok"] = False
    return res


def msg(subject):
    return (f"Subject: {subject}\r\nFrom: sender@client.test\r\n"
            f"To: msuser@example.test\r\n\r\nmailshield test body\r\n")


def bdat(addr, port, subject):
    c = Conn(addr, port)
    greet(c)
    c.cmd(FROM, 250)
    c.cmd(RCPT, 250)
    body = msg(subject).encode()
    half = len(body) // 2 + 3      # the first chunk ends inside a line
    c.send(f"BDAT {half}\r\n".encode() + body[:half])
    if c.reply() != 250:
        raise RuntimeError(f"BDAT 1: {c.replies[-1]}")
    rest = body[half:]
    c.send(f"BDAT {len(rest)} LAST\r\n".encode() + rest)
    if c.reply() != 250:
        raise RuntimeError(f"BDAT LAST: {c.replies[-1]}")
    c.cmd("QUIT", 221)
    print(json.dumps({"replies": c.replies}))
    return 0


def pipeline(addr, port, subject):
    c = Conn(addr, port)
    greet(c)
    c.send(FROM + "\r\n" + RCPT + "\r\nDATA\r\n")
    codes = [c.reply() for _ in range(3)]
    if codes != [250, 250, 354]:
        raise RuntimeError(f"pipelined group: {c.replies}")
    c.send(msg(subject) + ".\r\nQUIT\r\n")
    codes = [c.reply() for _ in range(2)]
    if codes != [250, 221]:
        raise RuntimeError(f"end of data: {c.replies}")
    print(json.dumps({"replies": c.replies}))
    return 0


def check(addrs, maillog, names):
    import os
    import random
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from smtpc import netns
    results = []
    for addr in addrs.split(","):
        for name in names or list(ATTACKS):
            marker = f"mshatk{name.replace('_', '')}{random.randrange(1 << 40)}"
            with netns("client"):
                res = run_attack(name, addr, 25, marker)
            results.append((name, addr, marker, json.dumps(res)))
    time.sleep(1)        # let Postfix log what it got
    log = open(maillog, errors="replace").read()
    bad = 0
    for name, addr, marker, out in results:
        print(f"# {out}")
        try:
            ok = json.loads(out)["ok"]
        except ValueError:
            ok = False
        desc = f"{name} via {addr}: client got the error, closed"
        print(f"ok {desc}" if ok else f"not ok {desc}: {out}")
        desc = f"{name} via {addr}: payload never reached Postfix"
        if marker in log:
            line = [x for x in log.splitlines() if marker in x][0]
            print(f"not ok {desc}: {line[:200]}")
            bad += 1
        else:
            print(f"ok {desc}")
        bad += not ok
    return 1 if bad else 0


def starttls(addr, port, subject):
    """One transaction after STARTTLS (any certificate accepted)."""
    import smtplib
    import ssl
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with smtplib.SMTP(addr, port, timeout=20) as c:
        c.ehlo("client.test")
        if not c.has_extn("starttls"):
            raise RuntimeError("STARTTLS not offered")
        code, _ = c.starttls(context=ctx)
        c.ehlo("client.test")
        c.sendmail("sender@client.test", ["msuser@example.test"],
                   msg(subject))
        cipher = c.sock.cipher()
    print(json.dumps({"starttls": code, "cipher": cipher[0]}))
    return 0


def main(argv):
    if argv[1] == "starttls":
        return starttls(argv[2], int(argv[3]), argv[4])
    if argv[1] == "check":
        return check(argv[2], argv[3], argv[4:])
    if argv[1] == "attack" and len(argv) > 6:
        # EXPECT: "reset" (no SMTP error, connection reset) or "pass" (the
        # server answers the line itself, mailshield only logs)
        res = run_attack(argv[2], argv[3], int(argv[4]), argv[5])
        err = [r for r in res.get("replies", []) if r.startswith(
            res["expect"])]
        if argv[6] == "reset":
            res["ok"] = res.get("closed", False) and not err
        else:
            res["ok"] = not err and len(res.get("replies", [])) >= 2
        print(json.dumps(res))
        return 0 if res["ok"] else 1
    if argv[1] == "attack":
        return attack(argv[2], argv[3], int(argv[4]), argv[5])
    if argv[1] == "bdat":
        return bdat(argv[2], int(argv[3]), argv[4])
    if argv[1] == "pipeline":
        return pipeline(argv[2], int(argv[3]), argv[4])
    if argv[1] == "list":
        print(" ".join(ATTACKS))
        return 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
