// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Recipient normalisation and hashing (rcpt_norm.h). A line-by-line port of
 * normalise() in scripts/rcpt_vectors.py, which is the specification.
 */
#include <string.h>

#include <sodium.h>

#include "rcpt_norm.h"

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

int msh_rcpt_normalise(const char *in, size_t len, uint32_t flags,
		       const char *delims, size_t ndelims,
		       struct msh_rcpt_norm *out)
{
	char local[MSH_RCPT_LOCAL_MAX];
	size_t nlocal = 0, raw_local, i, k, dlen;
	const char *colon, *at, *domain;

	/* a source route "@a,@b:" is dropped */
	if (len && in[0] == '@') {
		colon = memchr(in, ':', len);
		if (colon) {
			len -= (size_t)(colon + 1 - in);
			in = colon + 1;
		}
	}
	if (len && in[0] == '"') {
		/* quoted: the quotes and each quoted pair's backslash go */
		i = 1;
		raw_local = 1;
		while (i < len && in[i] != '"') {
			if (in[i] == '\\' && i + 1 < len) {
				i++;
				raw_local++;
			}
			if (nlocal < sizeof(local))
				local[nlocal] = in[i];
			nlocal++;
			i++;
			raw_local++;
		}
		if (i >= len)
			return -MSH_RCPT_EQUOTE;
		i++;
		raw_local++;
		if (i >= len || in[i] != '@')
			return -MSH_RCPT_ENOAT;
	} else {
		at = memchr(in, '@', len);
		if (!at)
			return -MSH_RCPT_ENOAT;
		i = (size_t)(at - in);
		raw_local = i;
		nlocal = i;
		if (nlocal <= sizeof(local))
			memcpy(local, in, nlocal);
	}
	domain = in + i + 1;
	dlen = len - i - 1;
	if (!nlocal)
		return -MSH_RCPT_EEMPTY_LOCAL;
	if (!dlen)
		return -MSH_RCPT_EEMPTY_DOMAIN;
	if (raw_local > MSH_RCPT_LOCAL_MAX)
		return -MSH_RCPT_ELOCAL_LONG;
	if (dlen > MSH_RCPT_DOMAIN_MAX)
		return -MSH_RCPT_EDOMAIN_LONG;
	/* unquoted, the local part is never longer than it was sent */
	for (k = 1; k < nlocal; k++) {
		if (memchr(delims, local[k], ndelims)) {
			nlocal = k;
			break;
		}
	}
	if (domain[dlen - 1] == '.')
		dlen--;
	if (!dlen)
		return -MSH_RCPT_EEMPTY_DOMAIN;
	for (k = 0; k < nlocal; k++)
		out->text[k] = flags & MAILSHIELD_RCPT_F_CASE_SENSITIVE ?
			       local[k] : fold(local[k]);
	out->text[nlocal] = '@';
	out->domain = nlocal + 1;
	for (k = 0; k < dlen; k++)
		out->text[out->domain + k] = fold(domain[k]);
	out->len = out->domain + dlen;
	out->text[out->len] = '\0';
	return 0;
}

const char *msh_rcpt_norm_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case MSH_RCPT_ENOAT:		return "not an address (no @domain)";
	case MSH_RCPT_EQUOTE:		return "quoted local part not closed";
	case MSH_RCPT_EEMPTY_LOCAL:	return "empty local part";
	case MSH_RCPT_EEMPTY_DOMAIN:	return "empty domain";
	case MSH_RCPT_ELOCAL_LONG:	return "local part longer than 64 octets";
	case MSH_RCPT_EDOMAIN_LONG:	return "domain longer than 255 octets";
	default:			return "invalid address";
	}
}

uint64_t msh_rcpt_hash(const uint8_t key[MAILSHIELD_RCPT_KEY_LEN],
		       const void *data, size_t len)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v = 0;
	int i;

	_Static_assert(crypto_shorthash_BYTES == 8, "SipHash-2-4 gives 64 bits");
	_Static_assert(crypto_shorthash_KEYBYTES == MAILSHIELD_RCPT_KEY_LEN,
		       "a 128-bit key");
	crypto_shorthash(h, data, len, key);
	for (i = 7; i >= 0; i--)
		v = v << 8 | h[i];
	return v;
}
