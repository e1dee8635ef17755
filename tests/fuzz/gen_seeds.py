#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Write the seed corpus of smtp_parser_fuzz: sample SMTP sessions in the
# harness's input format (an options byte, then control byte + payload
# chunks; see smtp_parser_fuzz.c).
#
#   python3 gen_seeds.py DIR

import os
import sys

C, S = 0, 1
TLS, SMALL, HOOKS = 1, 2, 4

BANNER = (S, b"220 mx.example.org ESMTP\r\n")
EHLO = [(C, b"EHLO client.example.net\r\n"),
        (S, b"250-mx.example.org\r\n250-PIPELINING\r\n250-CHUNKING\r\n"
            b"250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n")]
TRANS = [(C, b"MAIL FROM:<a@example.net> SIZE=100\r\n"), (S, b"250 ok\r\n"),
         (C, b"RCPT TO:<\"b c\"@example.org>\r\n"), (S, b"250 ok\r\n")]


def data(body):
    return [(C, b"DATA\r\n"), (S, b"354 go\r\n"), (C, body),
            (S, b"250 queued\r\n")]


SESSIONS = {
    "session": [BANNER] + EHLO + TRANS +
    data(b"Subject: x\r\n\r\n..dot\r\nbody\r\n.\r\n") +
    [(C, b"QUIT\r\n"), (S, b"221 bye\r\n")],
    "pipelining": [BANNER] + EHLO +
    [(C, b"MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<@r:e@f>\r\n"
         b"DATA\r\n"),
     (S, b"250 ok\r\n250 ok\r\n550 no\r\n354 go\r\n"),
     (C, b"x\r\n.\r\nRSET\r\nNOOP\r\n"),
     (S, b"250 ok\r\n250 ok\r\n250 ok\r\n")],
    "bdat": [BANNER] + EHLO + TRANS +
    [(C, b"BDAT 5\r\nab\r\ncBDAT 7\r\nd\ne\r.\nfBDAT 3 LAST\r\nxyz"),
     (S, b"250 ok\r\n250 ok\r\n250 queued\r\n")],
    "starttls": [BANNER] + EHLO +
    [(C, b"STARTTLS\r\n"), (S, b"220 go\r\n"),
     (C, b"\x16\x03\x01\x00\x05hello"), (S, b"\x16\x03\x03")],
    "starttls_inject": [BANNER] + EHLO +
    [(C, b"STARTTLS\r\nRSET\r\n"), (S, b"220 go\r\n")],
    "auth": [BANNER] + EHLO +
    [(C, b"AUTH LOGIN\r\n"), (S, b"334 VXNlcm5hbWU6\r\n"),
     (C, b"dXNlcg==\r\n"), (S, b"334 UGFzc3dvcmQ6\r\n"),
     (C, b"cGFzcw==\r\n"), (S, b"235 ok\r\n"),
     (C, b"AUTH PLAIN AGEAYg==\r\n"), (S, b"503 already\r\n")],
    "smuggle": [BANNER] + EHLO + TRANS +
    data(b"a\n.\nb\n.\r\nc\r.\r\nd\r\n.\ne\r\n.\rf\r\n.\r\n"),
    "pregreet": [(C, b"EHLO x\r\n"), (S, b"220-mx\r\n220 mx\r\n250 mx\r\n")],
    "junk": [BANNER, (C, b"GET / HTTP/1.0\r\nHost: x\r\n\r\nXCLIENT a\r\n"
                         b"\x00\x01\xff\r\nverylongverb x\r\n")],
    "replies": [BANNER, (S, b"421-x\n421 y\r\nabc\r\n25\r\n\r\n250"),
                (C, b"EHLO a\r\n"), (S, b"250-x\r\n250 chunking\r\n")],
}


def encode(opts, steps):
    out = bytearray([opts])
    for d, b in steps:
        for i in range(0, len(b), 127):
            part = b[i:i + 127]
            out.append(len(part) << 1 | d)
            out += part
    return bytes(out)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "corpus"
    os.makedirs(outdir, exist_ok=True)
    for name, steps in SESSIONS.items():
        for suffix, opts in (("", HOOKS), ("-small", SMALL | HOOKS)):
            with open(os.path.join(outdir, name + suffix), "wb") as f:
                f.write(encode(opts, steps))
    with open(os.path.join(outdir, "implicit-tls"), "wb") as f:
        f.write(encode(TLS, [(C, b"\x16\x03\x01\r\n"), (S, b"\n\r")]))


if __name__ == "__main__":
    main()
