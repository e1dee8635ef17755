#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Legitimate mail that bends RFC 5322 the way real mail does, sent
through the SMTP stream inspector to Postfix (test 27).

Run in the mail namespace: the sessions are opened from the client
namespace (smtpc.netns), the inspection counters are read in the mail
namespace, and the mailbox directly.

    legitmail.py list
        the message names
    legitmail.py send TAG ADDR[,ADDR...] [NAME...]
        every named message (default: all) over each address, one SMTP
        session each: each must get 250 at the end of data and be
        delivered intact (body byte for byte, folded headers as sent), and
        no violation may be counted, not even a logged one.
    legitmail.py refuse TAG ADDR NAME
        one message that the policy in force must refuse as an overlong
        DATA line: the client gets "500 5.5.2" and a closed connection,
        the text_line counter moves.
    legitmail.py absent TAG NAME...
        none of these messages is in the mailbox.

Each message carries "X-Msh-Test: TAG NAME ADDR". Prints "ok DESC" /
"not ok DESC: why" lines (lib.sh msh_checks) and "# note" lines.
"""

import base64
import os
import random
import re
import socket
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
DELIVERY_WAIT = 60

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


# --------------------------------------------------------------- messages

WORDS = ("the quick brown fox jumps over a lazy dog while newsletters "
         "render tables with inline styles and nobody wraps the markup "
         "because the editor wrote it on one line").split()


def html_line(n, rnd):
    """An HTML-ish line of exactly n octets, as editors write them."""
    head, tail = '<td style="font-family:Arial;font-size:12px">', "</td>"
    out = [head]
    size = len(head) + len(tail)
    while size < n:
        w = rnd.choice(WORDS)
        if rnd.random() < 0.1:
            w = (f'<a href="http://www.example.com/{w}?id='
                 f'{rnd.randrange(1 << 30)}">{w}</a>')
        w += " "
        out.append(w)
        size += len(w)
    line = "".join(out)[:n - len(tail)] + tail
    assert len(line) == n
    return line


def fold(name, words, width=76):
    """A header folded at word boundaries, no physical line over width."""
    lines, cur = [], f"{name}:"
    for w in words:
        if len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = "\t" + w
        else:
            cur += " " + w
    lines.append(cur)
    return lines


def common(tag, name, addr, extra=()):
    return [f"X-Msh-Test: {tag} {name} {addr}",
            "From: Sender <sender@client.test>",
            "To: msuser@example.test",
            "Date: Tue, 15 Mar 2005 10:20:30 +0100",
            f"Message-ID: <{tag}.{name}.{addr.replace(':', '-')}@client.test>",
            "MIME-Version: 1.0", *extra]


def msg_html(n):
    def build(tag, name, addr, rnd):
        hdr = common(tag, name, addr, [
            f"Subject: {tag} newsletter with a {n}-octet line",
            "Content-Type: text/html; charset=us-ascii",
            "Content-Transfer-Encoding: 7bit"])
        body = ["<html><head><title>News</title></head><body>",
                "<table><tr>", html_line(n, rnd), "</tr></table>",
                "<p>short line after the long one</p>", "</body></html>"]
        return hdr, body, False
    return build


def msg_headers(tag, name, addr, rnd):
    subj = fold("Subject", [tag, "Re:"] + [rnd.choice(WORDS)
                                           for _ in range(70)])
    refs = fold("References", [f"<{rnd.randrange(1 << 48):x}.{i}@lists."
                               "example.org>" for i in range(60)])
    irt = f"In-Reply-To: <{rnd.randrange(1 << 48):x}@lists.example.org>"
    hdr = common(tag, name, addr, subj + refs + [
        irt, "Content-Type: text/plain; charset=us-ascii"])
    body = ["A reply deep in a long thread: the Subject and References",
            "headers are long and folded over many lines."]
    return hdr, body, False


def msg_8bit(tag, name, addr, rnd):
    hdr = common(tag, name, addr, [
        f"Subject: {tag} 8-bit body",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit"])
    text = ["Grüße aus Köln, à bientôt, ¿qué tal?",
            "Ελληνικά, русский текст, 日本語のテキスト, 中文",
            "na\u00efve caf\u00e9, \u00e9t\u00e9, \u00bd \u00a3 \u20ac"]
    body = [t for _ in range(10) for t in text]
    return hdr, body, True


def msg_base64(tag, name, addr, rnd):
    blob = rnd.getrandbits(8 * 24000).to_bytes(24000, "little")
    b64 = base64.b64encode(blob).decode()
    hdr = common(tag, name, addr, [
        f"Subject: {tag} report with an attachment",
        'Content-Type: multipart/mixed; boundary="=_msh_boundary_27"'])
    body = ["This is a multi-part message in MIME format.", "",
            "--=_msh_boundary_27",
            "Content-Type: text/plain; charset=us-ascii", "",
            "The report is attached.", "",
            "--=_msh_boundary_27",
            "Content-Type: application/octet-stream; name=report.bin",
            "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=report.bin", ""]
    body += [b64[i:i + 76] for i in range(0, len(b64), 76)]
    body += ["", "--=_msh_boundary_27--"]
    return hdr, body, False


def msg_dot(tag, name, addr, rnd):
    hdr = common(tag, name, addr, [
        f"Subject: {tag} a lone dot in the body",
        "Content-Type: text/plain; charset=us-ascii"])
    body = ["A list of what came up:", "", ".", "",
            ".. two dots", ".hidden file", "...", "the end, still inside"]
    return hdr, body, False


MESSAGES = {
    "html998": msg_html(998),
    "html1000": msg_html(1000),
    "html1500": msg_html(1500),
    "html2420": msg_html(2420),
    "html20000": msg_html(20000),
    "headers": msg_headers,
    "8bit": msg_8bit,
    "base64": msg_base64,
    "dot": msg_dot,
}


def build(tag, name, addr):
    """(header lines, body lines, 8-bit) of one message, reproducibly."""
    rnd = random.Random(f"{tag}/{name}/{addr}")
    return MESSAGES[name](tag, name, addr, rnd)


def wire(hdr, body):
    """The DATA bytes: CRLF lines, dot-stuffed, with the final dot."""
    out = []
    for line in hdr + [""] + body:
        b = line.encode()
        out.append(b"." + b if b.startswith(b".") else b)
    return b"\r\n".join(out) + b"\r\n.\r\n"


# ---------------------------------------------------------------- session

class Session:
    def __init__(self, addr):
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        with smtpc.netns(CLIENT_NS):
            self.sock = socket.socket(fam, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect((addr, PORT))
        self.buf = b""
        self.replies = []
        self.closed = False

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
                return int(line[:3]), lines

    def cmd(self, line, code):
        self.sock.sendall(line.encode() + b"\r\n")
        c, lines = self.reply()
        if c != code:
            raise RuntimeError(f"{line!r}: {lines[-1]!r}")
        return lines

    def drain(self):
        try:
            while True:
                self.reply()
        except (EOFError, ConnectionResetError):
            self.closed = True
        except socket.timeout:
            pass


def transact(addr, data, eightbit):
    """One session; returns (final reply, closed by the server, replies)."""
    s = Session(addr)
    try:
        if s.reply()[0] != 220:
            raise RuntimeError(f"banner: {s.replies}")
        ehlo = s.cmd("EHLO client.test", 250)
        opt = ""
        if eightbit:
            if not any(x[4:].upper().startswith("8BITMIME") for x in ehlo):
                raise RuntimeError("8BITMIME not offered")
            opt = " BODY=8BITMIME"
        s.cmd(f"MAIL FROM:<{FROM}>{opt}", 250)
        s.cmd(f"RCPT TO:<{RCPT}>", 250)
        s.cmd("DATA", 354)
        s.sock.sendall(data)
        code, lines = s.reply()
        final = lines[-1]
        if code == 250:
            s.cmd("QUIT", 221)
        s.drain()
        return final, s.closed, s.replies
    finally:
        s.sock.close()


# ---------------------------------------------------------------- mailbox

def mailbox():
    """Delivered messages by their X-Msh-Test value: (headers, body)."""
    try:
        with open(MBOX, "rb") as f:
            data = f.read()
    except OSError:
        return {}
    out = {}
    for m in re.split(rb"(?m)^From [^\n]*\n", data):
        head, sep, body = m.partition(b"\n\n")
        if not sep:
            continue
        k = re.search(rb"(?m)^X-Msh-Test: ([^\n]*)$", head)
        if k:
            out[k.group(1).decode()] = (head, body)
    return out


def wait_delivered(keys, seconds):
    end = time.monotonic() + seconds
    while True:
        box = mailbox()
        if all(k in box for k in keys) or time.monotonic() >= end:
            return box
        time.sleep(0.5)


def verify(desc, hdr, body, got):
    head, gbody = got
    want = "\n".join(body).encode() + b"\n"
    # local(8) ends each mailbox entry with an empty line
    ok = gbody == want or gbody == want + b"\n"
    detail = ""
    if not ok:
        glines, wlines = gbody.split(b"\n"), want.split(b"\n")
        i = next((i for i, (a, b) in enumerate(zip(glines, wlines))
                  if a != b), min(len(glines), len(wlines)))
        detail = (f"body differs at line {i}: got "
                  f"{glines[i][:60] if i < len(glines) else b'(end)'!r} "
                  f"({len(glines[i]) if i < len(glines) else 0} octets), "
                  f"want {wlines[i][:60] if i < len(wlines) else b'(end)'!r}"
                  f" ({len(wlines[i]) if i < len(wlines) else 0} octets)")
    check(f"{desc}: delivered body identical", ok, detail)
    folded = [h for h in hdr if h.startswith(("Subject:", "References:"))]
    if any(h.startswith("\t") for h in hdr):
        lines = head.split(b"\n")
        start = [i for i, x in enumerate(lines)
                 if x.startswith((b"Subject:", b"References:"))]
        ok = True
        for i in start:
            blk = [lines[i]]
            j = i + 1
            while j < len(lines) and lines[j][:1] in (b"\t", b" "):
                blk.append(lines[j])
                j += 1
            ok = ok and b"\n".join(blk).decode() in "\n".join(hdr)
        ok = ok and len(start) == len(folded)
        check(f"{desc}: folded headers delivered as sent", ok,
              f"{len(start)} of {len(folded)} headers found as sent")


# ------------------------------------------------------------------ stats

def stats(g):
    return nlsmtp.stats(g)


def moved(before, after):
    out = {k: after[k] - before[k] for k in after
           if isinstance(after[k], int) and after[k] != before.get(k)}
    r = {k: v - before["reasons"].get(k, 0)
         for k, v in after["reasons"].items()
         if v != before["reasons"].get(k, 0)}
    if r:
        out["reasons"] = r
    return out


# --------------------------------------------------------------- commands

def cmd_send(tag, addrs, names):
    g = nlraw.Genl()
    names = names or list(MESSAGES)
    before = stats(g)
    sent = {}
    for addr in addrs.split(","):
        for name in names:
            hdr, body, eightbit = build(tag, name, addr)
            data = wire(hdr, body)
            longest = max(len(x) for x in data.split(b"\r\n"))
            desc = f"{name} via {addr}"
            try:
                final, closed, _ = transact(addr, data, eightbit)
            except Exception as e:  # noqa: BLE001 - reported
                final, closed = repr(e), None
            check(f"{desc}: accepted (250), longest line {longest} octets",
                  final.startswith("250"), final)
            if final.startswith("250"):
                sent[f"{tag} {name} {addr}"] = (desc, hdr, body)
    after = stats(g)
    d = moved(before, after)
    check("no violation counted (not even a logged one)",
          after["violations"] == before["violations"] and
          after["violations_logged"] == before["violations_logged"],
          f"counters moved: {d}")
    note(f"inspector counters moved: {d}")
    box = wait_delivered(list(sent), DELIVERY_WAIT)
    for key, (desc, hdr, body) in sent.items():
        got = box.get(key)
        check(f"{desc}: delivered", got is not None,
              f"not in {MBOX} after {DELIVERY_WAIT}s")
        if got is not None:
            verify(desc, hdr, body, got)
    return 1 if bad else 0


def cmd_refuse(tag, addr, name):
    g = nlraw.Genl()
    before = stats(g)
    hdr, body, eightbit = build(tag, name, addr)
    try:
        final, closed, replies = transact(addr, wire(hdr, body), eightbit)
    except Exception as e:  # noqa: BLE001 - reported
        final, closed, replies = repr(e), False, []
    note(f"replies: {replies}")
    check(f"{name} via {addr}: refused with 500 5.5.2, connection closed",
          final.startswith("500 5.5.2") and closed,
          f"{final!r}, closed {closed}")
    after = stats(g)
    d = moved(before, after)
    note(f"inspector counters moved: {d}")
    n = after["reasons"]["text_line"] - before["reasons"]["text_line"]
    check("text_line violation counted", n == 1, f"+{n}")
    return 1 if bad else 0


def cmd_absent(tag, names):
    box = mailbox()
    for name in names:
        hit = [k for k in box if k.startswith(f"{tag} {name} ")]
        check(f"{name} ({tag}) never delivered", not hit, f"found {hit}")
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "list":
        print(" ".join(MESSAGES))
        return 0
    if len(argv) >= 4 and argv[1] == "send":
        return cmd_send(argv[2], argv[3], argv[4:])
    if len(argv) == 5 and argv[1] == "refuse":
        return cmd_refuse(argv[2], argv[3], argv[4])
    if len(argv) >= 4 and argv[1] == "absent":
        return cmd_absent(argv[2], argv[3:])
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
