#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Reference recipient normalisation and SipHash-2-4, and the shared
vectors (tests/vectors/recipients.tsv) that the daemon's unit tests and the
kernel's KUnit suite both check against.

  rcpt_vectors.py --write FILE   regenerate the vector file
  rcpt_vectors.py --check FILE   fail if FILE differs from what this makes

Normalisation (Documentation/recipients.md): a source route (@a,@b:) is
dropped; the local part ends at the first '@' outside a quoted string; a
quoted local part loses its quotes and the backslash of each quoted pair;
the local part is cut at its first delimiter octet that is not its first
octet; ASCII A-Z in the local part are folded unless case-sensitive; the
domain is ASCII lower-cased and loses one trailing dot. A local part over
64 or a domain over 255 octets (as sent) is not hashed.
"""
import struct
import sys

MASK = (1 << 64) - 1
KEY = bytes(range(16))


def _rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & MASK


def siphash24(key, msg):
    k0, k1 = struct.unpack('<QQ', key)
    v0 = k0 ^ 0x736f6d6570736575
    v1 = k1 ^ 0x646f72616e646f6d
    v2 = k0 ^ 0x6c7967656e657261
    v3 = k1 ^ 0x7465646279746573

    def rnd():
        nonlocal v0, v1, v2, v3
        v0 = (v0 + v1) & MASK; v1 = _rotl(v1, 13); v1 ^= v0
        v0 = _rotl(v0, 32)
        v2 = (v2 + v3) & MASK; v3 = _rotl(v3, 16); v3 ^= v2
        v0 = (v0 + v3) & MASK; v3 = _rotl(v3, 21); v3 ^= v0
        v2 = (v2 + v1) & MASK; v1 = _rotl(v1, 17); v1 ^= v2
        v2 = _rotl(v2, 32)

    n = len(msg)
    tail = n & ~7
    for i in range(0, tail, 8):
        m = struct.unpack('<Q', msg[i:i + 8])[0]
        v3 ^= m; rnd(); rnd(); v0 ^= m
    b = (n & 0xff) << 56
    for i, c in enumerate(msg[tail:]):
        b |= c << (8 * i)
    v3 ^= b; rnd(); rnd(); v0 ^= b
    v2 ^= 0xff
    for _ in range(4):
        rnd()
    return v0 ^ v1 ^ v2 ^ v3


def _lower(b):
    return bytes(c + 32 if 65 <= c <= 90 else c for c in b)


def normalise(addr, case_sensitive=False, delims=b'+'):
    """Returns (normalised address, domain) as bytes, or None."""
    a = addr
    if a.startswith(b'@') and b':' in a:
        a = a[a.index(b':') + 1:]
    local = bytearray()
    raw_local = 0
    i = 0
    if a.startswith(b'"'):
        i = 1
        raw_local = 1
        while i < len(a) and a[i] != 0x22:
            if a[i] == 0x5c and i + 1 < len(a):
                i += 1
                raw_local += 1
            local.append(a[i])
            i += 1
            raw_local += 1
        if i >= len(a):
            return None
        i += 1
        raw_local += 1
        if i >= len(a) or a[i] != 0x40:
            return None
    else:
        j = a.find(b'@')
        if j < 0:
            return None
        local = bytearray(a[:j])
        raw_local = j
        i = j
    domain = a[i + 1:]
    if not local or not domain or raw_local > 64 or len(domain) > 255:
        return None
    for k in range(1, len(local)):
        if local[k] in delims:
            local = local[:k]
            break
    local = bytes(local)
    if not case_sensitive:
        local = _lower(local)
    domain = _lower(domain)
    if domain.endswith(b'.'):
        domain = domain[:-1]
    if not domain:
        return None
    return local + b'@' + domain, domain


CASES = [
    # input, case_sensitive, delimiters
    ('user@example.com', 0, '+'),
    ('User@Example.COM', 0, '+'),
    ('User@Example.COM', 1, '+'),
    ('user+tag@example.com', 0, '+'),
    ('user+tag+more@example.com', 0, '+'),
    ('user-tag@example.com', 0, '+-'),
    ('user-tag@example.com', 0, '+'),
    ('user+tag@example.com', 0, ''),
    ('+user@example.com', 0, '+'),
    ('"user"@example.com', 0, '+'),
    ('"User Name"@example.com', 0, '+'),
    ('"user\\"q"@example.com', 0, '+'),
    ('"us\\er+x"@example.com', 0, '+'),
    ('"a@b"@example.com', 0, '+'),
    ('@relay.example,@hop.example:user@example.com', 0, '+'),
    ('user@example.com.', 0, '+'),
    ('user@XN--BCHER-KVA.example', 0, '+'),
    ('Ab.Cd@xn--bcher-kva.EXAMPLE', 0, '+'),
    ('user@[192.0.2.1]', 0, '+'),
    ('postmaster@example.org', 0, '+'),
    ('a@b.c', 0, '+'),
    ('abcdefg@example.com', 0, '+'),
    ('abcdefgh@example.com', 0, '+'),
    ('x' * 64 + '@example.com', 0, '+'),
    ('x' * 65 + '@example.com', 0, '+'),
    ('user@' + 'd' * 251 + '.com', 0, '+'),
    ('user@' + 'd' * 252 + '.com', 0, '+'),
    ('ÜSER@example.com', 0, '+'),
    ('nodomain', 0, '+'),
    ('user@', 0, '+'),
]


def lines():
    out = ['# input\tcase_sensitive\tdelimiters\tnormalised\t'
           'address_hash\tdomain_hash',
           '# SipHash-2-4 under the key 00 01 02 ... 0f; "-" = not hashed;',
           '# delimiters "-" means none. Made by scripts/rcpt_vectors.py.']
    for inp, cs, d in CASES:
        r = normalise(inp.encode(), bool(cs), d.encode())
        if r is None:
            norm, ah, dh = '-', '-', '-'
        else:
            norm = r[0].decode('utf-8', 'replace')
            ah = '%016x' % siphash24(KEY, r[0])
            dh = '%016x' % siphash24(KEY, r[1])
        out.append('\t'.join([inp, str(cs), d or '-', norm, ah, dh]))
    return '\n'.join(out) + '\n'


def main():
    # reference vectors of the SipHash paper (key 00..0f, message 00..)
    assert siphash24(KEY, b'') == 0x726fdb47dd0e0e31
    assert siphash24(KEY, bytes(range(15))) == 0xa129ca6149be45e5
    assert siphash24(KEY, bytes(range(8))) == 0x93f5f5799a932462
    if len(sys.argv) != 3 or sys.argv[1] not in ('--write', '--check'):
        sys.exit(__doc__)
    text = lines()
    if sys.argv[1] == '--write':
        open(sys.argv[2], 'w', encoding='utf-8').write(text)
        return
    if open(sys.argv[2], encoding='utf-8').read() != text:
        sys.exit('%s is out of date: run %s --write %s' %
                 (sys.argv[2], sys.argv[0], sys.argv[2]))


if __name__ == '__main__':
    main()
