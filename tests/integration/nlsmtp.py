#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Generic netlink client for the SMTP inspection part of the mailshield
family (standard library only, built on nlraw.py).

    nlsmtp.py set KEY=VALUE...   SET_POLICY with SMTP attributes, e.g.
                                 violation_ban=0 log_only=0x40; VALUE
                                 "default" is the module's default
    nlsmtp.py get                the SMTP policy attributes as JSON
    nlsmtp.py stats              the inspection counters as JSON
    nlsmtp.py flows              GET_FLOWS dump as a JSON list
    nlsmtp.py rejects            malformed SMTP policy values are refused
                                 with an extack message ("ok"/"not ok")
Acts on the network namespace it runs in.
"""

import json
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nlraw  # noqa: E402
from nlraw import nest, parse_attrs, u8, u16, u32  # noqa: E402

CMD_GET_FLOWS = 11
A_FLOW = 7
POLICY_BASE = 14            # MAILSHIELD_POLICY_A_MAX_FLOWS
KEYS = ["max_flows", "flows_full", "flow_timeout", "cmd_line", "text_line",
        "reply_line", "local_part", "domain", "path", "auth_line",
        "max_junk", "violation_action", "log_only", "violation_ban",
        "violation_window"]
U8_KEYS = {"flows_full", "violation_action"}
# The module's defaults (kmod/smtp_parser.h, kmod/smtp_policy.h).
DEFAULTS = {"max_flows": 65536, "flows_full": 0, "flow_timeout": 600,
            "cmd_line": 512, "text_line": 32768, "reply_line": 512,
            "local_part": 64, "domain": 255, "path": 256,
            "auth_line": 12288, "max_junk": 10, "violation_action": 0,
            "log_only": 0x30000, "violation_ban": 5,
            "violation_window": 600}
TLS_PORTS = POLICY_BASE + len(KEYS)
STATS = {25: "flows", 26: "flows_created", 27: "flows_full",
         28: "ooo_drops", 29: "retrans_bytes", 30: "violations",
         31: "violations_logged", 33: "bad_segments", 34: "urgent_cleared",
         35: "fragments", 36: "flows_uninspected", 37: "inflight_drops",
         38: "flows_aborted"}
VIOL_NEST = 32
REASONS = ["cmd_line", "text_line", "auth_line", "local_part", "domain",
           "path", "bare_lf", "bare_cr", "smuggle", "nul", "pregreet",
           "starttls_inject", "pipeline", "pipeline_depth", "junk", "bdat",
           "reply_line", "reply_syntax", "retransmit"]
FLOW_STATES = ["greeting", "command", "data", "bdat", "sasl", "tls"]


def encode(key, value):
    if key == "tls_ports":
        ports = [int(p) for p in value.split(",") if p]
        return nest(TLS_PORTS, *[u16(nlraw.PORT_A_PORT, p) for p in ports])
    t = POLICY_BASE + KEYS.index(key)
    v = DEFAULTS[key] if value == "default" else int(value, 0)
    return u8(t, v) if key in U8_KEYS else u32(t, v)


def get(g):
    r = g.cmd(nlraw.CMD_GET_POLICY)
    top, _ = parse_attrs(r[0])
    pol, _ = parse_attrs(top[nlraw.A_POLICY])
    out = {}
    for i, k in enumerate(KEYS):
        p = pol.get(POLICY_BASE + i)
        if p is not None:
            out[k] = p[0] if k in U8_KEYS else struct.unpack("=I", p[:4])[0]
    _, ports = parse_attrs(pol.get(TLS_PORTS, b""))
    out["tls_ports"] = [struct.unpack("=H", p[:2])[0] for _, p in ports]
    return out


def stats(g):
    r = g.cmd(nlraw.CMD_GET_STATS)
    top, _ = parse_attrs(r[0])
    st, _ = parse_attrs(top[nlraw.A_STATS])
    out = {n: struct.unpack("=Q", st[t][:8])[0]
           for t, n in STATS.items() if t in st}
    reasons, _ = parse_attrs(st.get(VIOL_NEST, b""))
    out["reasons"] = {REASONS[t - 1]: struct.unpack("=Q", v[:8])[0]
                      for t, v in reasons.items() if 0 < t <= len(REASONS)}
    return out


def addr(payload):
    a, _ = parse_attrs(payload)
    if 1 in a:
        return socket.inet_ntop(socket.AF_INET, a[1][:4])
    return socket.inet_ntop(socket.AF_INET6, a[2][:16])


def flows(g):
    fam = g.resolve()
    g.seq += 1
    body = struct.pack("=BBH", CMD_GET_FLOWS, 1, 0)
    g.sock.send(struct.pack("=IHHII", 16 + len(body), fam, 0x301, g.seq, 0)
                + body)
    out = []
    while True:
        data = g.sock.recv(65536)
        off = 0
        while off + 16 <= len(data):
            mlen, mtype = struct.unpack_from("=IH", data, off)
            msg = data[off + 16:off + mlen]
            off += (mlen + 3) & ~3
            if mtype == nlraw.NLMSG_DONE:
                return out
            if mtype == nlraw.NLMSG_ERROR:
                raise nlraw.NlError(struct.unpack_from("=i", msg)[0], "")
            top, _ = parse_attrs(msg[4:])
            f, _ = parse_attrs(top[A_FLOW])
            g32 = lambda t: struct.unpack("=I", f[t][:4])[0]
            out.append({
                "client": addr(f[2]), "server": addr(f[3]),
                "client_port": struct.unpack("=H", f[4][:2])[0],
                "server_port": struct.unpack("=H", f[5][:2])[0],
                "state": FLOW_STATES[f[6][0]],
                "rx_bytes": struct.unpack("=Q", f[7][:8])[0],
                "tx_bytes": struct.unpack("=Q", f[8][:8])[0],
                "age": g32(9), "idle": g32(10), "pending": g32(11),
                "junk": g32(12), "violations": g32(13)})


REJECTS = [
    ("max_flows=0", u32(POLICY_BASE, 0)),
    ("flows_full=2", u8(POLICY_BASE + 1, 2)),
    ("flow_timeout=1", u32(POLICY_BASE + 2, 1)),
    ("cmd_line=70000", u32(POLICY_BASE + 3, 70000)),
    ("violation_action=2", u8(POLICY_BASE + 11, 2)),
    ("log_only with an unknown reason bit", u32(POLICY_BASE + 12, 1 << 25)),
    ("violation_window=0", u32(POLICY_BASE + 14, 0)),
    ("duplicate implicit-TLS port", encode("tls_ports", "465,465")),
    ("cmd_line as u8", u8(POLICY_BASE + 3, 5)),
]


def rejects(g):
    before = get(g)
    bad = 0
    for desc, payload in REJECTS:
        try:
            g.set_raw(payload)
            print(f"not ok smtp policy: {desc} refused: accepted")
            bad += 1
        except nlraw.NlError as e:
            if e.msg:
                print(f"ok smtp policy: {desc} refused ({e.msg})")
            else:
                print(f"not ok smtp policy: {desc} refused: no extack")
                bad += 1
    after = get(g)
    if before == after:
        print("ok smtp policy: unchanged after the refused requests")
    else:
        print(f"not ok smtp policy: unchanged: {before} -> {after}")
        bad += 1
    return 1 if bad else 0


def main(argv):
    g = nlraw.Genl()
    try:
        if argv[1] == "set":
            payload = b"".join(encode(*kv.split("=", 1)) for kv in argv[2:])
            g.set_raw(payload)
        elif argv[1] == "get":
            print(json.dumps(get(g)))
        elif argv[1] == "stats":
            print(json.dumps(stats(g)))
        elif argv[1] == "flows":
            print(json.dumps(flows(g)))
        elif argv[1] == "rejects":
            return rejects(g)
        else:
            raise SystemExit(__doc__)
    except nlraw.NlError as e:
        print(f"nlsmtp: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
