/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Streaming recipient normalisation and SipHash-2-4. The SMTP parser hands
 * the bytes of an RCPT TO path one at a time (path_byte: the local part as
 * sent, quotes and backslashes included, then the domain; a source route
 * never arrives); two SipHash states absorb the normalised address
 * "local@domain" and the normalised domain as the bytes come, so nothing
 * is buffered and the state is the same size whatever the path. The
 * normalisation is the one of scripts/rcpt_vectors.py and
 * Documentation/recipients.md; tests/vectors/recipients.tsv pins it.
 */

#ifndef _MSH_RCPT_HASH_H
#define _MSH_RCPT_HASH_H

#include <linux/mailshield.h>
#include <linux/siphash.h>
#include <linux/types.h>

#include "smtp_parser.h"

/* Longest parts that are hashed, in octets as sent (RFC 5321 4.5.3.1). */
#define MSH_RCPT_LOCAL_MAX	64
#define MSH_RCPT_DOMAIN_MAX	255

/* How a set normalises: its key, flags and subaddress delimiters. */
struct msh_rcpt_cfg {
	siphash_key_t key;
	u32 flags;		/* MAILSHIELD_RCPT_F_* */
	u8 ndelims;
	u8 delims[MAILSHIELD_RCPT_DELIM_MAX];
};

/* One SipHash-2-4 computation fed a byte at a time. */
struct msh_sip {
	u64 v0, v1, v2, v3;
	u64 m;			/* bytes of the block not yet compressed */
};

static inline void msh_sip_init(struct msh_sip *s, const siphash_key_t *key)
{
	s->v0 = SIPHASH_CONST_0 ^ key->key[0];
	s->v1 = SIPHASH_CONST_1 ^ key->key[1];
	s->v2 = SIPHASH_CONST_2 ^ key->key[0];
	s->v3 = SIPHASH_CONST_3 ^ key->key[1];
	s->m = 0;
}

/* Absorbs byte number @pos (0-based) of the message. */
static inline void msh_sip_byte(struct msh_sip *s, unsigned int pos, u8 c)
{
	s->m |= (u64)c << (8 * (pos & 7));
	if ((pos & 7) != 7)
		return;
	s->v3 ^= s->m;
	SIPHASH_PERMUTATION(s->v0, s->v1, s->v2, s->v3);
	SIPHASH_PERMUTATION(s->v0, s->v1, s->v2, s->v3);
	s->v0 ^= s->m;
	s->m = 0;
}

/* The hash of the @len bytes absorbed; @s is spent. */
static inline u64 msh_sip_final(struct msh_sip *s, unsigned int len)
{
	u64 b = s->m | (u64)len << 56;

	s->v3 ^= b;
	SIPHASH_PERMUTATION(s->v0, s->v1, s->v2, s->v3);
	SIPHASH_PERMUTATION(s->v0, s->v1, s->v2, s->v3);
	s->v0 ^= b;
	s->v2 ^= 0xff;
	SIPHASH_PERMUTATION(s->v0, s->v1, s->v2, s->v3);
	SIPHASH_PERMUTATION(s->v0, s->v1, s->v2, s->v3);
	SIPHASH_PERMUTATION(s->v0, s->v1, s->v2, s->v3);
	SIPHASH_PERMUTATION(s->v0, s->v1, s->v2, s->v3);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

/*
 * The state of the path being parsed: 96 bytes. Zeroed (or reset) it is
 * ready for a path; the first byte keys it.
 */
struct msh_rcpt_hash {
	struct msh_sip addr;	/* "local@domain" */
	struct msh_sip dom;	/* "domain" */
	u32 gen;		/* generation of the set whose key is used */
	u16 alen;		/* octets absorbed by addr */
	u16 dlen;		/* octets absorbed by dom */
	u16 draw;		/* domain octets as sent */
	u8 lraw;		/* local-part octets as sent, saturating */
	u8 pad;
	u16 flags;		/* MSH_RH_* (rcpt_hash.c) */
};

/* What msh_rcpt_hash_final() produced. */
#define MSH_RCPT_H_ADDR		0x1	/* *addr is the address hash */
#define MSH_RCPT_H_DOMAIN	0x2	/* *dom is the domain hash */
#define MSH_RCPT_H_STALE	0x4	/* the set changed during the path */

static inline void msh_rcpt_hash_reset(struct msh_rcpt_hash *h)
{
	h->flags = 0;
}

/*
 * One byte of the path, of part @part, for the set of generation @gen
 * configured by @cfg.
 */
void msh_rcpt_hash_byte(struct msh_rcpt_hash *h, const struct msh_rcpt_cfg *cfg,
			u32 gen, enum msh_smtp_path_part part, u8 c);

/*
 * The path ended, to be looked up in the set of generation @gen: returns
 * MSH_RCPT_H_* and the hashes it names. An address that is not hashable (a
 * part over its limit, an empty or malformed local part) still gives its
 * domain hash if the domain is. The state is reset.
 */
unsigned int msh_rcpt_hash_final(struct msh_rcpt_hash *h, u32 gen, u64 *addr,
				 u64 *dom);

#endif /* _MSH_RCPT_HASH_H */
