/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * A recipient set as the kernel gets it: the key, the normalisation
 * settings and three sorted, de-duplicated arrays of 64-bit hashes
 * (addresses, protected domains, catch-all domains). The loaders add
 * entries; no address is kept, only its hashes.
 */
#ifndef MSH_RCPT_SET_H
#define MSH_RCPT_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/mailshield.h>

struct msh_u64v {
	uint64_t *v;
	size_t n, cap;
};

struct msh_rcpt_set {
	uint8_t key[MAILSHIELD_RCPT_KEY_LEN];
	uint32_t flags;				/* MAILSHIELD_RCPT_F_* */
	char delims[MAILSHIELD_RCPT_DELIM_MAX];
	size_t ndelims;
	struct msh_u64v addrs;			/* "local@domain" */
	struct msh_u64v domains;		/* protected domains */
	struct msh_u64v catchalls;		/* "@domain" entries */
	size_t entries;		/* entries added, before de-duplication */
	size_t skipped;		/* map keys and LDAP values left out */
	bool finished;		/* sorted and de-duplicated */
};

/*
 * Empty set with a fresh random key (libsodium's randombytes_buf). Returns
 * 0 or -1 when libsodium cannot initialise.
 */
int msh_rcpt_set_init(struct msh_rcpt_set *s, uint32_t flags,
		      const char *delims, size_t ndelims);
/* The same with a given key (tests, and the vectors' key 00..0f). */
void msh_rcpt_set_init_key(struct msh_rcpt_set *s,
			   const uint8_t key[MAILSHIELD_RCPT_KEY_LEN],
			   uint32_t flags, const char *delims, size_t ndelims);
void msh_rcpt_set_free(struct msh_rcpt_set *s);

/*
 * Add one list entry (len octets): an address, whose domain becomes a
 * protected domain, or "@domain", a catch-all domain (any local part is
 * valid; it is protected too). A domain in UTF-8 (U-label) is converted
 * to its A-label with libidn2. Returns 0, -EINVAL with a message in err
 * for an entry that is not an address, -ENOMEM.
 */
int msh_rcpt_set_add(struct msh_rcpt_set *s, const char *entry, size_t len,
		     char *err, size_t errlen);
/* Add a protected domain (no local part). Same returns. */
int msh_rcpt_set_add_domain(struct msh_rcpt_set *s, const char *domain,
			    size_t len, char *err, size_t errlen);

/* Sort and de-duplicate the three arrays. Returns 0. */
int msh_rcpt_set_finish(struct msh_rcpt_set *s);

static inline size_t msh_rcpt_set_size(const struct msh_rcpt_set *s)
{
	return s->addrs.n + s->domains.n + s->catchalls.n;
}

/* What the kernel would make of RCPT TO:<rcpt> against a finished set. */
enum msh_rcpt_verdict {
	MSH_RCPT_INVALID,	/* not hashed (too long, no domain...) */
	MSH_RCPT_OUTSIDE,	/* domain not protected: left to the MTA */
	MSH_RCPT_CATCHALL,	/* catch-all domain */
	MSH_RCPT_KNOWN,
	MSH_RCPT_UNKNOWN,
};
enum msh_rcpt_verdict msh_rcpt_set_check(const struct msh_rcpt_set *s,
					 const char *rcpt);

#endif /* MSH_RCPT_SET_H */
