/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Recipient normalisation and hashing, exactly as the kernel does it on
 * RCPT TO (the rules are in include/uapi/linux/mailshield.h and
 * scripts/rcpt_vectors.py; tests/vectors/recipients.tsv proves both sides
 * agree). SipHash-2-4 is libsodium's crypto_shorthash; its 8 output bytes
 * are read as a little-endian u64, the value the kernel's siphash()
 * returns.
 */
#ifndef MSH_RCPT_NORM_H
#define MSH_RCPT_NORM_H

#include <stddef.h>
#include <stdint.h>

#include <linux/mailshield.h>

#define MSH_RCPT_LOCAL_MAX	64	/* octets as sent, quotes included */
#define MSH_RCPT_DOMAIN_MAX	255	/* octets as sent */
/* local part, '@', domain */
#define MSH_RCPT_NORM_MAX	(MSH_RCPT_LOCAL_MAX + 1 + MSH_RCPT_DOMAIN_MAX)

struct msh_rcpt_norm {
	char text[MSH_RCPT_NORM_MAX + 1];	/* "local@domain", NUL-ended */
	size_t len;				/* of text */
	size_t domain;				/* offset of the domain in text */
};

/* Why an address is not hashed (negative return of msh_rcpt_normalise). */
enum msh_rcpt_norm_err {
	MSH_RCPT_ENOAT = 1,		/* no '@' after the local part */
	MSH_RCPT_EQUOTE,		/* quoted local part not closed */
	MSH_RCPT_EEMPTY_LOCAL,
	MSH_RCPT_EEMPTY_DOMAIN,
	MSH_RCPT_ELOCAL_LONG,		/* local part over 64 octets */
	MSH_RCPT_EDOMAIN_LONG,		/* domain over 255 octets */
};

/*
 * Normalise the address in (len octets, no NUL needed): drop a source
 * route, unquote the local part, cut it at its first delimiter that is not
 * its first octet, fold ASCII A-Z in it unless flags has
 * MAILSHIELD_RCPT_F_CASE_SENSITIVE, lower-case the domain and drop one
 * trailing dot. Returns 0, or -enum msh_rcpt_norm_err.
 */
int msh_rcpt_normalise(const char *in, size_t len, uint32_t flags,
		       const char *delims, size_t ndelims,
		       struct msh_rcpt_norm *out);

/* A short text for -enum msh_rcpt_norm_err. */
const char *msh_rcpt_norm_strerror(int err);

/* SipHash-2-4 of data under key, as the kernel's siphash() returns it. */
uint64_t msh_rcpt_hash(const uint8_t key[MAILSHIELD_RCPT_KEY_LEN],
		       const void *data, size_t len);

#endif /* MSH_RCPT_NORM_H */
