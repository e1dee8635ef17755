// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Streaming recipient normalisation (rcpt_hash.h). The local part: a
 * leading '"' makes it a quoted string, whose quotes go and whose
 * backslash pairs become the escaped octet; after the closing quote only
 * the '@' may follow. The unquoted octets are cut at the first delimiter
 * that is not the first octet, and ASCII-folded unless case-sensitive.
 * The domain is ASCII-folded and loses one trailing dot, which is held
 * back until the next octet shows it was not the last.
 */

#include "rcpt_hash.h"

#define MSH_RH_STARTED		0x0001	/* keyed by the first byte */
#define MSH_RH_QUOTED		0x0002	/* local part is a quoted string */
#define MSH_RH_INQ		0x0004	/* inside the quotes */
#define MSH_RH_ESC		0x0008	/* after a backslash in the quotes */
#define MSH_RH_CUT		0x0010	/* a delimiter ended the local part */
#define MSH_RH_DOMAIN		0x0020	/* the domain has begun */
#define MSH_RH_DOT		0x0040	/* a '.' of the domain held back */
#define MSH_RH_BAD_ADDR		0x0080	/* the address is not hashable */
#define MSH_RH_BAD_DOM		0x0100	/* nor the domain */
#define MSH_RH_STALE		0x0200	/* the set changed during the path */

static u8 msh_rh_lower(u8 c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static bool msh_rh_delim(const struct msh_rcpt_cfg *cfg, u8 c)
{
	unsigned int i;

	for (i = 0; i < cfg->ndelims; i++) {
		if (cfg->delims[i] == c)
			return true;
	}
	return false;
}

/* An unquoted octet of the local part. */
static void msh_rh_local_out(struct msh_rcpt_hash *h,
			     const struct msh_rcpt_cfg *cfg, u8 c)
{
	if (h->flags & MSH_RH_CUT)
		return;
	if (h->alen && msh_rh_delim(cfg, c)) {
		h->flags |= MSH_RH_CUT;
		return;
	}
	if (!(cfg->flags & MAILSHIELD_RCPT_F_CASE_SENSITIVE))
		c = msh_rh_lower(c);
	msh_sip_byte(&h->addr, h->alen++, c);
}

static void msh_rh_local(struct msh_rcpt_hash *h,
			 const struct msh_rcpt_cfg *cfg, u8 c)
{
	if (h->flags & (MSH_RH_DOMAIN | MSH_RH_BAD_ADDR))
		return;
	if (++h->lraw > MSH_RCPT_LOCAL_MAX) {
		h->flags |= MSH_RH_BAD_ADDR;
		return;
	}
	if (h->lraw == 1 && c == '"') {
		h->flags |= MSH_RH_QUOTED | MSH_RH_INQ;
		return;
	}
	if (!(h->flags & MSH_RH_QUOTED)) {
		msh_rh_local_out(h, cfg, c);
		return;
	}
	if (!(h->flags & MSH_RH_INQ)) {
		/* octets between the closing quote and the '@' */
		h->flags |= MSH_RH_BAD_ADDR;
	} else if (h->flags & MSH_RH_ESC) {
		h->flags &= ~MSH_RH_ESC;
		msh_rh_local_out(h, cfg, c);
	} else if (c == '\\') {
		h->flags |= MSH_RH_ESC;
	} else if (c == '"') {
		h->flags &= ~MSH_RH_INQ;
	} else {
		msh_rh_local_out(h, cfg, c);
	}
}

/* A domain octet for both streams. */
static void msh_rh_domain_out(struct msh_rcpt_hash *h, u8 c)
{
	msh_sip_byte(&h->addr, h->alen++, c);
	msh_sip_byte(&h->dom, h->dlen++, c);
}

static void msh_rh_domain(struct msh_rcpt_hash *h, u8 c)
{
	if (!(h->flags & MSH_RH_DOMAIN)) {
		h->flags |= MSH_RH_DOMAIN;
		if (!h->alen || (h->flags & (MSH_RH_INQ | MSH_RH_ESC)))
			h->flags |= MSH_RH_BAD_ADDR;
		msh_sip_byte(&h->addr, h->alen++, '@');
	}
	if (h->flags & MSH_RH_BAD_DOM)
		return;
	if (++h->draw > MSH_RCPT_DOMAIN_MAX) {
		h->flags |= MSH_RH_BAD_DOM;
		return;
	}
	c = msh_rh_lower(c);
	if (h->flags & MSH_RH_DOT)
		msh_rh_domain_out(h, '.');
	if (c == '.') {
		h->flags |= MSH_RH_DOT;
		return;
	}
	h->flags &= ~MSH_RH_DOT;
	msh_rh_domain_out(h, c);
}

void msh_rcpt_hash_byte(struct msh_rcpt_hash *h, const struct msh_rcpt_cfg *cfg,
			u32 gen, enum msh_smtp_path_part part, u8 c)
{
	/* a local-part byte after the domain: a new path (hooks changed) */
	if (!(h->flags & MSH_RH_STARTED) ||
	    (part == MSH_SMTP_PART_LOCAL && (h->flags & MSH_RH_DOMAIN))) {
		msh_sip_init(&h->addr, &cfg->key);
		msh_sip_init(&h->dom, &cfg->key);
		h->gen = gen;
		h->alen = 0;
		h->dlen = 0;
		h->draw = 0;
		h->lraw = 0;
		h->flags = MSH_RH_STARTED;
	} else if (h->gen != gen) {
		h->flags |= MSH_RH_STALE;
	}
	if (h->flags & MSH_RH_STALE)
		return;
	if (part == MSH_SMTP_PART_LOCAL)
		msh_rh_local(h, cfg, c);
	else
		msh_rh_domain(h, c);
}

unsigned int msh_rcpt_hash_final(struct msh_rcpt_hash *h, u32 gen, u64 *addr,
				 u64 *dom)
{
	u16 fl = h->flags;
	unsigned int ret = 0;

	h->flags = 0;
	if ((fl & MSH_RH_STALE) || ((fl & MSH_RH_STARTED) && h->gen != gen))
		return MSH_RCPT_H_STALE;
	if (!(fl & MSH_RH_DOMAIN) || (fl & MSH_RH_BAD_DOM) || !h->dlen)
		return 0;
	*dom = msh_sip_final(&h->dom, h->dlen);
	ret |= MSH_RCPT_H_DOMAIN;
	if (!(fl & MSH_RH_BAD_ADDR)) {
		*addr = msh_sip_final(&h->addr, h->alen);
		ret |= MSH_RCPT_H_ADDR;
	}
	return ret;
}
