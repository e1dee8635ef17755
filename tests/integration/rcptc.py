#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""The recipient set over raw generic netlink, and a directory harvest.
Standard library only; the normalisation and SipHash are the reference ones
of scripts/rcpt_vectors.py.

    rcptc.py load [--domain D]... [--catchall D]... [ADDR...]
                         a new set under a random key (delimiter "+"):
                         begin, add in batches, commit; prints get's JSON
    rcptc.py clear       commit an empty set (no domain is protected)
    rcptc.py get         GET_RECIPIENTS as JSON
    rcptc.py stats       the recipient counters of GET_STATS as JSON
    rcptc.py harvest HOST SRC N
                         one SMTP session from SRC: MAIL, then up to N
                         RCPTs to made-up users of example.test; prints
                         {"codes": [...], "last": "..."} (stops at the
                         first reply that is not 550, or a closed
                         connection)
    rcptc.py spread HOST PER SRC[,SRC...] N
                         the same harvest in sessions of PER RCPTs, their
                         source addresses taken in turn; prints
                         {"codes": [...], "srcs": [...], "last": "..."}

Acts on the network namespace it runs in.
"""

import json
import os
import smtplib
import struct
import sys

from nlraw import Genl, attr, nest, u32, parse_attrs

sys.path.insert(0, os.path.join(os.environ.get(
    "MSH_REPO", os.path.join(os.path.dirname(__file__), "..", "..")),
    "scripts"))
from rcpt_vectors import normalise, siphash24  # noqa: E402

# include/uapi/linux/mailshield.h
CMD_GET_STATS = 3
CMD_RCPT_BEGIN = 12
CMD_RCPT_ADD = 13
CMD_RCPT_COMMIT = 14
CMD_RCPT_ABORT = 15
CMD_GET_RECIPIENTS = 16
A_STATS = 2
A_RECIPIENTS = 8
R_KEY, R_FLAGS, R_DELIMITERS = 2, 3, 4
R_ADDRESSES, R_DOMAINS, R_CATCHALLS = 5, 6, 7
R_HASHES, R_DOMAIN_HASHES, R_CATCHALL_HASHES = 8, 9, 10
R_GENERATION, R_MEMORY, R_AGE, R_PENDING = 11, 12, 13, 14
STATS_RCPT = {39: "rcpt_checked", 40: "rcpt_unknown", 41: "rcpt_outside",
              42: "rcpt_learned"}
BATCH = 8000


def packed(hashes):
    return b"".join(struct.pack("=Q", h) for h in hashes)


def upload(g, addrs, domains, catchalls):
    key = os.urandom(16)
    ah = sorted({siphash24(key, normalise(a.encode())[0]) for a in addrs})
    dh = sorted({siphash24(key, d.lower().encode()) for d in domains})
    ch = sorted({siphash24(key, d.lower().encode()) for d in catchalls})
    g.cmd(CMD_RCPT_BEGIN, nest(A_RECIPIENTS, attr(R_KEY, key),
                               u32(R_FLAGS, 0), attr(R_DELIMITERS, b"+"),
                               u32(R_ADDRESSES, len(ah)),
                               u32(R_DOMAINS, len(dh)),
                               u32(R_CATCHALLS, len(ch))))
    for i in range(0, len(ah), BATCH):
        g.cmd(CMD_RCPT_ADD, nest(A_RECIPIENTS,
                                 attr(R_HASHES, packed(ah[i:i + BATCH]))))
    if dh or ch:
        g.cmd(CMD_RCPT_ADD, nest(A_RECIPIENTS,
                                 *([attr(R_DOMAIN_HASHES, packed(dh))]
                                   if dh else []),
                                 *([attr(R_CATCHALL_HASHES, packed(ch))]
                                   if ch else [])))
    g.cmd(CMD_RCPT_COMMIT)


def get(g):
    r = g.cmd(CMD_GET_RECIPIENTS)
    top, _ = parse_attrs(r[0])
    a, _ = parse_attrs(top[A_RECIPIENTS])

    def num(t, fmt="=I"):
        return struct.unpack(fmt, a[t][:struct.calcsize(fmt)])[0] \
            if t in a else None
    return {"generation": num(R_GENERATION), "addresses": num(R_ADDRESSES),
            "domains": num(R_DOMAINS), "catchalls": num(R_CATCHALLS),
            "memory": num(R_MEMORY, "=Q"), "age": num(R_AGE),
            "pending": num(R_PENDING, "=B"),
            "delimiters": a[R_DELIMITERS].decode() if R_DELIMITERS in a
            else None}


def stats(g):
    r = g.cmd(CMD_GET_STATS)
    top, _ = parse_attrs(r[0])
    st, _ = parse_attrs(top[A_STATS])
    return {n: struct.unpack("=Q", st[t][:8])[0]
            for t, n in STATS_RCPT.items() if t in st}


def harvest(host, srcs, per, n):
    """Up to n RCPTs in sessions of at most per RCPTs each, the sessions'
    source addresses taken in turn from srcs; stops at the first reply
    that is not 550 or a failed session."""
    codes, used, last = [], [], ""
    tag = os.urandom(4).hex()
    i = 0
    while i < n:
        src = srcs[(i // per) % len(srcs)]
        try:
            s = smtplib.SMTP(host, 25, source_address=(src, 0), timeout=30)
            s.ehlo("harvest.test")
            s.mail("<h@harvest.test>")
            for _ in range(min(per, n - i)):
                code, msg = s.rcpt(f"<guess{i}-{tag}@example.test>")
                codes.append(code)
                used.append(src)
                last = f"{code} {msg.decode(errors='replace')}"
                i += 1
                if code != 550:
                    break
            s.close()
        except (smtplib.SMTPException, OSError) as e:
            last = f"error {type(e).__name__}: {e}"
            break
        if codes and codes[-1] != 550:
            break
    return {"codes": codes, "srcs": used, "last": last}


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    g = Genl()
    if args[0] == "load":
        addrs, domains, catchalls = [], [], []
        i = 1
        while i < len(args):
            if args[i] in ("--domain", "--catchall") and i + 1 < len(args):
                (domains if args[i] == "--domain" else catchalls).append(
                    args[i + 1])
                i += 2
            else:
                addrs.append(args[i])
                i += 1
        upload(g, addrs, domains, catchalls)
        print(json.dumps(get(g)))
    elif args[0] == "clear":
        upload(g, [], [], [])
        print(json.dumps(get(g)))
    elif args[0] == "get":
        print(json.dumps(get(g)))
    elif args[0] == "stats":
        print(json.dumps(stats(g)))
    elif args[0] == "harvest" and len(args) == 4:
        print(json.dumps(harvest(args[1], [args[2]], int(args[3]),
                                 int(args[3]))))
    elif args[0] == "spread" and len(args) == 5:
        print(json.dumps(harvest(args[1], args[3].split(","),
                                 int(args[2]), int(args[4]))))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
