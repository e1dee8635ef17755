#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Raw generic netlink client for the mailshield family, standard library
only, so that tests can send requests the real tools would never build.

    nlraw.py get-policy          print the policy as JSON
    nlraw.py get-stats           print the counters as JSON
    nlraw.py rejects             send each malformed SET_POLICY and check it
                                 is refused with an extack message and leaves
                                 the policy unchanged
    nlraw.py eperm               every command must fail with EPERM (run it
                                 without CAP_NET_ADMIN)
    nlraw.py set PORT[,PORT...] [ENABLED]   a well-formed SET_POLICY

"rejects" and "eperm" print one line per case: "ok DESC" or
"not ok DESC: detail" (tests/integration/lib.sh msh_record reads them).
Acts on the network namespace it runs in.
"""

import errno
import json
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11

NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3FFF

NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2

# include/uapi/linux/mailshield.h
FAMILY = "mailshield"
CMD_GET_POLICY = 1
CMD_SET_POLICY = 2
CMD_GET_STATS = 3
A_POLICY = 1
A_STATS = 2
POLICY_A_ENABLED = 1
POLICY_A_PORTS = 2
POLICY_A_EXEMPT_LOCAL = 30
PORT_A_PORT = 1
MAX_PORTS = 16
STATS_NAMES = {
    2: "rx_packets", 3: "rx_bytes", 4: "rx_syn", 5: "rx_fin", 6: "rx_rst",
    7: "tx_packets", 8: "tx_bytes", 9: "tx_synack", 10: "tx_fin",
    11: "tx_rst", 12: "rx_packets_v6", 13: "tx_packets_v6",
}


class NlError(Exception):
    def __init__(self, err, msg):
        super().__init__(f"{os.strerror(-err)} ({err}): {msg!r}")
        self.err = err
        self.msg = msg


def attr(atype, payload):
    """One netlink attribute, padded to 4 bytes."""
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def nest(atype, *children):
    return attr(atype | NLA_F_NESTED, b"".join(children))


def u8(atype, v):
    return attr(atype, struct.pack("=B", v))


def u16(atype, v):
    return attr(atype, struct.pack("=H", v))


def u32(atype, v):
    return attr(atype, struct.pack("=I", v))


def parse_attrs(data):
    """{type: payload} (last one wins) and the ordered list of (type, payload)."""
    out, order = {}, []
    off = 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("=HH", data, off)
        if alen < 4:
            break
        payload = data[off + 4:off + alen]
        atype &= NLA_TYPE_MASK
        out[atype] = payload
        order.append((atype, payload))
        off += (alen + 3) & ~3
    return out, order


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.sock.settimeout(5)
        self.seq = 1
        self.family = None

    def request(self, ftype, cmd, payload=b"", version=1):
        """Send one request with NLM_F_ACK. Returns the list of reply
        payloads (after the genl header); raises NlError on an error ack."""
        self.seq += 1
        seq = self.seq
        body = struct.pack("=BBH", cmd, version, 0) + payload
        hdr = struct.pack("=IHHII", 16 + len(body), ftype,
                          NLM_F_REQUEST | NLM_F_ACK, seq, 0)
        self.sock.send(hdr + body)
        replies = []
        while True:
            data = self.sock.recv(65536)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, mseq, _ = struct.unpack_from(
                    "=IHHII", data, off)
                msg = data[off + 16:off + mlen]
                off += (mlen + 3) & ~3
                if mseq != seq:
                    continue
                if mtype == NLMSG_ERROR:
                    err = struct.unpack_from("=i", msg, 0)[0]
                    # error code, then the request's nlmsghdr (its payload
                    # too unless capped), then the extack TLVs
                    skip = 4 + 16
                    if not mflags & NLM_F_CAPPED:
                        skip = 4 + struct.unpack_from("=I", msg, 4)[0]
                    extmsg = ""
                    if mflags & NLM_F_ACK_TLVS:
                        tlv, _ = parse_attrs(msg[skip:])
                        m = tlv.get(NLMSGERR_ATTR_MSG)
                        if m is not None:
                            extmsg = m.split(b"\0", 1)[0].decode(
                                errors="replace")
                    if err:
                        raise NlError(err, extmsg)
                    return replies
                if mtype == NLMSG_DONE:
                    return replies
                replies.append(msg[4:])

    def resolve(self):
        if self.family is None:
            r = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                             attr(CTRL_ATTR_FAMILY_NAME, FAMILY.encode() + b"\0"))
            a, _ = parse_attrs(r[0])
            self.family = struct.unpack("=H", a[CTRL_ATTR_FAMILY_ID][:2])[0]
        return self.family

    def cmd(self, cmd, payload=b""):
        return self.request(self.resolve(), cmd, payload)

    def get_policy(self):
        r = self.cmd(CMD_GET_POLICY)
        top, _ = parse_attrs(r[0])
        pol, _ = parse_attrs(top[A_POLICY])
        _, ports = parse_attrs(pol.get(POLICY_A_PORTS, b""))
        return {
            "enabled": bool(pol[POLICY_A_ENABLED][0]),
            "ports": [struct.unpack("=H", p[:2])[0] for t, p in ports
                      if t == PORT_A_PORT],
        }

    def get_stats(self):
        r = self.cmd(CMD_GET_STATS)
        top, _ = parse_attrs(r[0])
        st, _ = parse_attrs(top[A_STATS])
        return {name: struct.unpack("=Q", st[t][:8])[0]
                for t, name in STATS_NAMES.items() if t in st}

    def set_raw(self, policy_payload):
        return self.cmd(CMD_SET_POLICY, attr(A_POLICY | NLA_F_NESTED,
                                             policy_payload))


def ports_nest(ports):
    return nest(POLICY_A_PORTS, *[u16(PORT_A_PORT, p) for p in ports])


# Malformed or out-of-range SET_POLICY payloads (inside MAILSHIELD_A_POLICY).
REJECT_CASES = [
    ("port 0", ports_nest([25, 0])),
    ("duplicate ports", ports_nest([25, 587, 25])),
    ("17 ports", ports_nest(range(1000, 1000 + MAX_PORTS + 1))),
    ("enabled=2", u8(POLICY_A_ENABLED, 2)),
    ("wrong-size port attribute (u32)",
     nest(POLICY_A_PORTS, u32(PORT_A_PORT, 25))),
    ("wrong-size port attribute (u8)",
     nest(POLICY_A_PORTS, u8(PORT_A_PORT, 25))),
    ("wrong-size enabled attribute (u32)", u32(POLICY_A_ENABLED, 1)),
    ("exempt_local=2", u8(POLICY_A_EXEMPT_LOCAL, 2)),
    ("empty ports nest", nest(POLICY_A_PORTS)),
    ("empty policy nest", b""),
]


def cmd_rejects(g):
    bad = 0
    before = g.get_policy()
    print(f"# policy before: {json.dumps(before)}")
    for desc, payload in REJECT_CASES:
        try:
            g.set_raw(payload)
            res = "accepted"
        except NlError as e:
            res = e
        after = g.get_policy()
        problems = []
        if not isinstance(res, NlError):
            problems.append("request was accepted")
        elif not res.msg:
            problems.append(f"error {res.err} without an extack message")
        if after != before:
            problems.append(f"policy changed to {json.dumps(after)}")
        if problems:
            bad += 1
            print(f"not ok {desc} rejected: {'; '.join(problems)}")
        else:
            print(f"# {desc}: {os.strerror(-res.err)}: {res.msg}")
            print(f"ok {desc} rejected with extack, policy unchanged")
    return 1 if bad else 0


def cmd_eperm(g):
    bad = 0
    cases = [
        ("GET_POLICY", CMD_GET_POLICY, b""),
        ("GET_STATS", CMD_GET_STATS, b""),
        ("SET_POLICY", CMD_SET_POLICY,
         attr(A_POLICY | NLA_F_NESTED, u8(POLICY_A_ENABLED, 1))),
    ]
    # resolving the family itself needs no privilege
    g.resolve()
    for name, c, payload in cases:
        try:
            g.cmd(c, payload)
            res = "succeeded"
        except NlError as e:
            res = e
        if isinstance(res, NlError) and res.err == -errno.EPERM:
            print(f"ok unprivileged {name} fails with EPERM")
        else:
            bad += 1
            print(f"not ok unprivileged {name} fails with EPERM: got {res}")
    return 1 if bad else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    g = Genl()
    try:
        if argv[1] == "get-policy":
            print(json.dumps(g.get_policy()))
        elif argv[1] == "get-stats":
            print(json.dumps(g.get_stats()))
        elif argv[1] == "rejects":
            return cmd_rejects(g)
        elif argv[1] == "eperm":
            return cmd_eperm(g)
        elif argv[1] == "set":
            ports = [int(p) for p in argv[2].split(",")]
            payload = ports_nest(ports)
            if len(argv) > 3:
                payload = u8(POLICY_A_ENABLED, int(argv[3])) + payload
            g.set_raw(payload)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except NlError as e:
        print(f"nlraw: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
