#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
"""Reference recipient normalisation and SipHash-2-4, and the shared
vectors (tests/vectors/recipients.tsv) that the daemon's unit tests and the
kernel's KUnit suite both check against.

  rcpt_vectors.py --write FILE      regenerate the vector file
  rcpt_vectors.py --c-header FILE   write the same vectors as a C table
                                    (kmod/tests/rcpt_vectors.h, KUnit)
  rcpt_vectors.py --check FILE [HEADER]
                                    fail if FILE or the C table HEADER
                                    (default kmod/tests/rcpt_vectors.h)
                                    differs from what this makes

Normalisation (Documentation/recipients.md): a source route (@a,@b:) is
dropped; the local part ends at the first '@' outside a quoted string; a
quoted local part loses its quotes and the backslash of each quoted pair;
the local part is cut at its first delimiter octet that is not its first
octet; ASCII A-Z in the local part are folded unless case-sensitive; the
domain is ASCII lower-cased and loses one trailing dot. A local part over
64 or a domain over 255 octets (as sent) is not hashed.
"""
import os
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


def _c_str(b):
    """A C string literal of bytes b (one piece: checkpatch wants that)."""
    out = ''
    for c in b:
        if c in (0x22, 0x5c):
            out += '\\' + chr(c)
        elif 0x20 <= c < 0x7f:
            out += chr(c)
        else:
            out += '\\%03o' % c
    return '"%s"' % out


def c_header():
    out = ['/* SPDX-License-Identifier: GPL-2.0 */',
           '/*',
           ' * Copyright (C) 2026 The mailshield authors. All Rights Reserved.',
           ' *',
           ' * The shared recipient vectors (tests/vectors/recipients.tsv) as a C',
           ' * table for the KUnit suite. Made by scripts/rcpt_vectors.py',
           ' * --c-header; do not edit.',
           ' */',
           '',
           '#ifndef _MSH_RCPT_VECTORS_H',
           '#define _MSH_RCPT_VECTORS_H',
           '',
           '#include <linux/types.h>',
           '',
           '/* SipHash-2-4 key of every vector: 00 01 02 ... 0f */',
           'static const u8 msh_rcpt_vector_key[16] = {',
           '\t' + ', '.join('0x%02x' % b for b in KEY[:8]) + ',',
           '\t' + ', '.join('0x%02x' % b for b in KEY[8:]) + ',',
           '};',
           '',
           'struct msh_rcpt_vector {',
           '\tconst char *input;\t/* the path as sent, without <> */',
           '\tbool case_sensitive;',
           '\tconst char *delims;',
           '\tbool hashed;\t\t/* false: not hashed */',
           '\tu64 addr;\t\t/* SipHash-2-4 of the normalised address */',
           '\tu64 dom;\t\t/* ... of the normalised domain */',
           '};',
           '',
           'static const struct msh_rcpt_vector msh_rcpt_vectors[] = {']
    for inp, cs, d in CASES:
        r = normalise(inp.encode(), bool(cs), d.encode())
        out.append('\t{')
        lit = _c_str(inp.encode())
        if len(lit) > 60:
            out += ['\t\t.input =', '\t\t\t' + lit + ',']
        else:
            out.append('\t\t.input = ' + lit + ',')
        out.append('\t\t.case_sensitive = %s,' % ('true' if cs else 'false'))
        out.append('\t\t.delims = %s,' % _c_str(d.encode()))
        if r is not None:
            out.append('\t\t.hashed = true,')
            out.append('\t\t.addr = 0x%016xULL,' % siphash24(KEY, r[0]))
            out.append('\t\t.dom = 0x%016xULL,' % siphash24(KEY, r[1]))
        out.append('\t},')
    out += ['};', '', '#endif /* _MSH_RCPT_VECTORS_H */']
    return '\n'.join(out) + '\n'


def main():
    # reference vectors of the SipHash paper (key 00..0f, message 00..)
    assert siphash24(KEY, b'') == 0x726fdb47dd0e0e31
    assert siphash24(KEY, bytes(range(15))) == 0xa129ca6149be45e5
    assert siphash24(KEY, bytes(range(8))) == 0x93f5f5799a932462
    args = sys.argv[1:]
    if not (len(args) == 2 and args[0] in ('--write', '--c-header') or
            len(args) in (2, 3) and args[0] == '--check'):
        sys.exit(__doc__)
    if args[0] == '--write':
        open(args[1], 'w', encoding='utf-8').write(lines())
        return
    if args[0] == '--c-header':
        open(args[1], 'w', encoding='utf-8').write(c_header())
        return
    header = args[2] if len(args) == 3 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'kmod', 'tests',
        'rcpt_vectors.h')
    if open(args[1], encoding='utf-8').read() != lines():
        sys.exit('%s is out of date: run %s --write %s' %
                 (args[1], sys.argv[0], args[1]))
    if open(header, encoding='utf-8').read() != c_header():
        sys.exit('%s is out of date: run %s --c-header %s' %
                 (header, sys.argv[0], header))


if __name__ == '__main__':
    main()
