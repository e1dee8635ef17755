// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient set (rcpt_set.h): list entries are normalised exactly as
 * the kernel normalises RCPT TO (rcpt_norm.c), checked a little harder
 * than the kernel checks what it is sent (a list is written by hand, a
 * typo should be reported), hashed, and only the hashes are kept.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <sodium.h>

#include "rcpt_norm.h"
#include "rcpt_set.h"
#include "text.h"

static void init_common(struct msh_rcpt_set *s, uint32_t flags,
			const char *delims, size_t ndelims)
{
	memset(s, 0, sizeof(*s));
	s->flags = flags;
	if (ndelims > sizeof(s->delims))
		ndelims = sizeof(s->delims);
	memcpy(s->delims, delims, ndelims);
	s->ndelims = ndelims;
}

int msh_rcpt_set_init(struct msh_rcpt_set *s, uint32_t flags,
		      const char *delims, size_t ndelims)
{
	init_common(s, flags, delims, ndelims);
	if (sodium_init() < 0)
		return -1;
	randombytes_buf(s->key, sizeof(s->key));
	return 0;
}

void msh_rcpt_set_init_key(struct msh_rcpt_set *s,
			   const uint8_t key[MAILSHIELD_RCPT_KEY_LEN],
			   uint32_t flags, const char *delims, size_t ndelims)
{
	init_common(s, flags, delims, ndelims);
	memcpy(s->key, key, sizeof(s->key));
}

void msh_rcpt_set_free(struct msh_rcpt_set *s)
{
	free(s->addrs.v);
	free(s->domains.v);
	free(s->catchalls.v);
	sodium_memzero(s->key, sizeof(s->key));
	memset(s, 0, sizeof(*s));
}

static int push(struct msh_u64v *a, uint64_t v)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 1024;
		uint64_t *p = realloc(a->v, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		a->v = p;
		a->cap = cap;
	}
	a->v[a->n++] = v;
	return 0;
}

/*
 * A domain as a list may name it: a literal "[...]" or dot-separated
 * labels of letters, digits, '-' and '_', each 1..63 octets.
 */
static const char *domain_problem(const char *d, size_t len)
{
	size_t i, label = 0;

	if (d[0] == '[') {
		if (len < 3 || d[len - 1] != ']')
			return "invalid domain literal";
		for (i = 1; i + 1 < len; i++)
			if (d[i] <= ' ' || d[i] >= 0x7f || d[i] == '[' ||
			    d[i] == ']' || d[i] == '\\')
				return "invalid domain literal";
		return NULL;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)d[i];

		if (c == '.') {
			if (!label)
				return "empty label in domain";
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-' && c != '_')
			return "invalid character in domain";
		if (++label > 63)
			return "domain label longer than 63 octets";
	}
	return NULL;
}

static bool is_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/*
 * Normalise entry into n and check it; a UTF-8 domain becomes its
 * A-label. Returns 0 or -EINVAL with a message.
 */
static int normalise_entry(const struct msh_rcpt_set *s, const char *entry,
			   size_t len, struct msh_rcpt_norm *n,
			   char *err, size_t errlen)
{
	const char *d, *why;
	size_t i, dlen;
	bool quoted = false;
	int r;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)entry[i];

		if (c == '"' && (i == 0 || entry[i - 1] != '\\'))
			quoted = !quoted;
		if (c < ' ' || c == 0x7f || (c == ' ' && !quoted)) {
			msh_seterr(err, errlen,
				   "blank or control character in address \"%.*s\"",
				   (int)(len > 80 ? 80 : len), entry);
			return -EINVAL;
		}
	}
	r = msh_rcpt_normalise(entry, len, s->flags, s->delims, s->ndelims, n);
	if (r) {
		msh_seterr(err, errlen, "%s: \"%.*s\"",
			   msh_rcpt_norm_strerror(r),
			   (int)(len > 80 ? 80 : len), entry);
		return -EINVAL;
	}
	d = n->text + n->domain;
	dlen = n->len - n->domain;
	if (!is_ascii(d, dlen)) {
		char *alabel = NULL;
		int rc = idn2_to_ascii_8z(d, &alabel,
					  IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		size_t alen;

		if (rc != IDN2_OK) {
			msh_seterr(err, errlen,
				   "domain \"%.80s\" is no valid IDN: %s", d,
				   idn2_strerror(rc));
			return -EINVAL;
		}
		alen = strlen(alabel);
		if (alen > MSH_RCPT_DOMAIN_MAX) {
			idn2_free(alabel);
			msh_seterr(err, errlen, "%s: \"%.80s\"",
				   msh_rcpt_norm_strerror(-MSH_RCPT_EDOMAIN_LONG),
				   d);
			return -EINVAL;
		}
		memcpy(n->text + n->domain, alabel, alen + 1);
		n->len = n->domain + alen;
		idn2_free(alabel);
		d = n->text + n->domain;
		dlen = alen;
	}
	why = domain_problem(d, dlen);
	if (why) {
		msh_seterr(err, errlen, "%s: \"%.*s\"", why,
			   (int)(len > 80 ? 80 : len), entry);
		return -EINVAL;
	}
	return 0;
}

int msh_rcpt_set_add(struct msh_rcpt_set *s, const char *entry, size_t len,
		     char *err, size_t errlen)
{
	struct msh_rcpt_norm n;
	uint64_t dh;
	bool catchall = len && entry[0] == '@';
	int r;

	if (catchall) {
		char buf[MSH_RCPT_DOMAIN_MAX + 8];

		if (memchr(entry, ':', len) || memchr(entry + 1, '@', len - 1) ||
		    len - 1 > MSH_RCPT_DOMAIN_MAX + 1) {
			msh_seterr(err, errlen,
				   "invalid catch-all \"%.*s\" (write @domain)",
				   (int)(len > 80 ? 80 : len), entry);
			return -EINVAL;
		}
		/* any local part will do: only the domain is kept */
		buf[0] = 'x';
		memcpy(buf + 1, entry, len);
		r = normalise_entry(s, buf, len + 1, &n, err, errlen);
		if (r)
			return r;
	} else {
		r = normalise_entry(s, entry, len, &n, err, errlen);
		if (r)
			return r;
	}
	s->finished = false;
	s->entries++;
	dh = msh_rcpt_hash(s->key, n.text + n.domain, n.len - n.domain);
	/* lists are often sorted by domain: skip the obvious repeats */
	if (!s->domains.n || s->domains.v[s->domains.n - 1] != dh)
		if (push(&s->domains, dh))
			return -ENOMEM;
	if (catchall)
		return push(&s->catchalls, dh);
	return push(&s->addrs, msh_rcpt_hash(s->key, n.text, n.len));
}

int msh_rcpt_set_add_domain(struct msh_rcpt_set *s, const char *domain,
			    size_t len, char *err, size_t errlen)
{
	struct msh_rcpt_norm n;
	char buf[MSH_RCPT_DOMAIN_MAX + 8];
	int r;

	if (!len || len > MSH_RCPT_DOMAIN_MAX + 1 || memchr(domain, '@', len)) {
		msh_seterr(err, errlen, "invalid domain \"%.*s\"",
			   (int)(len > 80 ? 80 : len), domain);
		return -EINVAL;
	}
	buf[0] = 'x';
	buf[1] = '@';
	memcpy(buf + 2, domain, len);
	r = normalise_entry(s, buf, len + 2, &n, err, errlen);
	if (r)
		return r;
	s->finished = false;
	return push(&s->domains,
		    msh_rcpt_hash(s->key, n.text + n.domain, n.len - n.domain));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void sort_unique(struct msh_u64v *a)
{
	size_t i, n = 0;

	if (!a->n)
		return;
	qsort(a->v, a->n, sizeof(a->v[0]), cmp_u64);
	for (i = 1; i < a->n; i++)
		if (a->v[i] != a->v[n])
			a->v[++n] = a->v[i];
	a->n = n + 1;
}

int msh_rcpt_set_finish(struct msh_rcpt_set *s)
{
	sort_unique(&s->addrs);
	sort_unique(&s->domains);
	sort_unique(&s->catchalls);
	s->finished = true;
	return 0;
}

static bool has(const struct msh_u64v *a, uint64_t v)
{
	return a->n && bsearch(&v, a->v, a->n, sizeof(v), cmp_u64);
}

enum msh_rcpt_verdict msh_rcpt_set_check(const struct msh_rcpt_set *s,
					 const char *rcpt)
{
	struct msh_rcpt_norm n;
	uint64_t dh;

	if (msh_rcpt_normalise(rcpt, strlen(rcpt), s->flags, s->delims,
			       s->ndelims, &n))
		return MSH_RCPT_INVALID;
	dh = msh_rcpt_hash(s->key, n.text + n.domain, n.len - n.domain);
	if (!has(&s->domains, dh))
		return MSH_RCPT_OUTSIDE;
	if (has(&s->catchalls, dh))
		return MSH_RCPT_CATCHALL;
	return has(&s->addrs, msh_rcpt_hash(s->key, n.text, n.len)) ?
	       MSH_RCPT_KNOWN : MSH_RCPT_UNKNOWN;
}
