// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The daemon's recipient normalisation and hashing (daemon/rcpt_norm.c,
 * daemon/rcpt_set.c) against every line of the shared vectors
 * (tests/vectors/recipients.tsv, made by scripts/rcpt_vectors.py, also
 * checked by the kernel's KUnit suite) and the SipHash-2-4 reference
 * vectors (the 64 of the SipHash paper, as in the kernel's
 * lib/test_siphash.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rcpt_norm.h"
#include "rcpt_set.h"
#include "unit.h"

#ifndef VECTORS
#define VECTORS "../vectors/recipients.tsv"
#endif

static const uint8_t key[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
				 13, 14, 15 };

static const uint64_t siphash_vectors[64] = {
	0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL, 0x0d6c8009d9a94f5aULL,
	0x85676696d7fb7e2dULL, 0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL,
	0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL, 0x93f5f5799a932462ULL,
	0x9e0082df0ba9e4b0ULL, 0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
	0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL, 0xf723ca908e7af2eeULL,
	0xa129ca6149be45e5ULL, 0x3f2acc7f57c29bdbULL, 0x699ae9f52cbe4794ULL,
	0x4bc1b3f0968dd39cULL, 0xbb6dc91da77961bdULL, 0xbed65cf21aa2ee98ULL,
	0xd0f2cbb02e3b67c7ULL, 0x93536795e3a33e88ULL, 0xa80c038ccd5ccec8ULL,
	0xb8ad50c6f649af94ULL, 0xbce192de8a85b8eaULL, 0x17d835b85bbb15f3ULL,
	0x2f2e6163076bcfadULL, 0xde4daaaca71dc9a5ULL, 0xa6a2506687956571ULL,
	0xad87a3535c49ef28ULL, 0x32d892fad841c342ULL, 0x7127512f72f27cceULL,
	0xa7f32346f95978e3ULL, 0x12e0b01abb051238ULL, 0x15e034d40fa197aeULL,
	0x314dffbe0815a3b4ULL, 0x027990f029623981ULL, 0xcadcd4e59ef40c4dULL,
	0x9abfd8766a33735cULL, 0x0e3ea96b5304a7d0ULL, 0xad0c42d6fc585992ULL,
	0x187306c89bc215a9ULL, 0xd4a60abcf3792b95ULL, 0xf935451de4f21df2ULL,
	0xa9538f0419755787ULL, 0xdb9acddff56ca510ULL, 0xd06c98cd5c0975ebULL,
	0xe612a3cb9ecba951ULL, 0xc766e62cfcadaf96ULL, 0xee64435a9752fe72ULL,
	0xa192d576b245165aULL, 0x0a8787bf8ecb74b2ULL, 0x81b3e73d20b49b6fULL,
	0x7fa8220ba3b2eceaULL, 0x245731c13ca42499ULL, 0xb78dbfaf3a8d83bdULL,
	0xea1ad565322a1a0bULL, 0x60e61c23a3795013ULL, 0x6606d7e446282b93ULL,
	0x6ca4ecb15c5f91e1ULL, 0x9f626da15c9625f3ULL, 0xe51b38608ef25f57ULL,
	0x958a324ceb064572ULL,
};

static void test_siphash(void)
{
	uint8_t msg[64];
	int i, bad = 0;

	for (i = 0; i < 64; i++) {
		uint64_t h;

		msg[i] = (uint8_t)i;
		h = msh_rcpt_hash(key, msg, (size_t)i);
		if (h != siphash_vectors[i]) {
			unit_diag("siphash length %d: %016" PRIx64 ", want %016" PRIx64,
				  i, h, siphash_vectors[i]);
			bad++;
		}
	}
	unit_result("rcpt siphash-2-4 reference vectors (64)", !bad, NULL);
}

/* Split line at tabs into at most n fields. */
static int split(char *line, char **f, int n)
{
	int i = 0;

	f[i++] = line;
	while (i < n && (line = strchr(line, '\t'))) {
		*line++ = '\0';
		f[i++] = line;
	}
	return i;
}

static void test_vectors(void)
{
	FILE *fp = fopen(VECTORS, "r");
	char *line = NULL, name[160];
	size_t cap = 0;
	ssize_t len;
	int lines = 0;

	if (!fp) {
		unit_diag("%s: %s", VECTORS, strerror(errno));
		unit_result("rcpt vectors file readable", false, NULL);
		return;
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		struct msh_rcpt_norm n;
		char *f[6], got[40];
		const char *delims;
		uint32_t flags;
		bool ok;
		int r;

		if (line[0] == '#')
			continue;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (split(line, f, 6) != 6) {
			unit_diag("bad vector line: %s", line);
			unit_result("rcpt vectors well formed", false, NULL);
			continue;
		}
		lines++;
		flags = !strcmp(f[1], "1") ? MAILSHIELD_RCPT_F_CASE_SENSITIVE : 0;
		delims = !strcmp(f[2], "-") ? "" : f[2];
		snprintf(name, sizeof(name), "rcpt vector %d: %.40s%s cs=%s delims=%s",
			 lines, f[0], strlen(f[0]) > 40 ? "..." : "", f[1], f[2]);
		r = msh_rcpt_normalise(f[0], strlen(f[0]), flags, delims,
				       strlen(delims), &n);
		if (!strcmp(f[3], "-")) {
			ok = r < 0;
			if (!ok)
				unit_diag("%s: normalised to \"%s\", want not hashed",
					  name, n.text);
			unit_result(name, ok, NULL);
			continue;
		}
		ok = r == 0 && !strcmp(n.text, f[3]);
		if (!ok) {
			unit_diag("%s: got %d \"%s\", want \"%s\"", name, r,
				  r ? "" : n.text, f[3]);
			unit_result(name, false, NULL);
			continue;
		}
		snprintf(got, sizeof(got), "%016" PRIx64,
			 msh_rcpt_hash(key, n.text, n.len));
		ok = !strcmp(got, f[4]);
		if (!ok)
			unit_diag("%s: address hash %s, want %s", name, got, f[4]);
		snprintf(got, sizeof(got), "%016" PRIx64,
			 msh_rcpt_hash(key, n.text + n.domain, n.len - n.domain));
		if (strcmp(got, f[5])) {
			unit_diag("%s: domain hash %s, want %s", name, got, f[5]);
			ok = false;
		}
		unit_result(name, ok, NULL);
	}
	free(line);
	fclose(fp);
	unit_result("rcpt vectors: at least 30 lines read", lines >= 30, NULL);
}

/* What a list entry turns into, through the set (IDN, checks). */
static void expect_entry(const char *name, const char *entry,
			 const char *rcpt, enum msh_rcpt_verdict want)
{
	struct msh_rcpt_set s;
	char err[256] = "";
	int r;
	bool ok;

	msh_rcpt_set_init_key(&s, key, 0, "+", 1);
	r = msh_rcpt_set_add(&s, entry, strlen(entry), err, sizeof(err));
	msh_rcpt_set_finish(&s);
	ok = r == 0 && msh_rcpt_set_check(&s, rcpt) == want;
	if (!ok)
		unit_diag("%s: add %d (%s), verdict %d, want %d", name, r, err,
			  msh_rcpt_set_check(&s, rcpt), want);
	unit_result(name, ok, NULL);
	msh_rcpt_set_free(&s);
}

static void expect_bad_entry(const char *name, const char *entry,
			     const char *want)
{
	struct msh_rcpt_set s;
	char err[256] = "";
	int r;
	bool ok;

	msh_rcpt_set_init_key(&s, key, 0, "+", 1);
	r = msh_rcpt_set_add(&s, entry, strlen(entry), err, sizeof(err));
	ok = r == -EINVAL && !strcmp(err, want) && msh_rcpt_set_size(&s) == 0;
	if (!ok)
		unit_diag("%s: %d \"%s\", want \"%s\"", name, r, err, want);
	unit_result(name, ok, NULL);
	msh_rcpt_set_free(&s);
}

static void test_entries(void)
{
	char long_local[80], long_domain[300];

	expect_entry("rcpt entry: case and subaddress", "User+List@Example.COM",
		     "user+other@example.com", MSH_RCPT_KNOWN);
	expect_entry("rcpt entry: other user unknown", "user@example.com",
		     "someone@example.com", MSH_RCPT_UNKNOWN);
	expect_entry("rcpt entry: other domain outside", "user@example.com",
		     "user@example.org", MSH_RCPT_OUTSIDE);
	expect_entry("rcpt entry: quoted local part", "\"Us\\er\"@example.com",
		     "user@example.com", MSH_RCPT_KNOWN);
	expect_entry("rcpt entry: catch-all", "@Example.NET",
		     "anything@example.net.", MSH_RCPT_CATCHALL);
	expect_entry("rcpt entry: U-label domain becomes its A-label",
		     "user@B\xc3\xbc" "cher.example",
		     "user@XN--BCHER-KVA.example", MSH_RCPT_KNOWN);
	expect_entry("rcpt entry: U-label catch-all",
		     "@b\xc3\xbc" "cher.example",
		     "x@xn--bcher-kva.example", MSH_RCPT_CATCHALL);
	expect_entry("rcpt entry: domain literal", "postmaster@[192.0.2.1]",
		     "postmaster@[192.0.2.1]", MSH_RCPT_KNOWN);
	expect_entry("rcpt entry: overlong RCPT is not hashed",
		     "user@example.com",
		     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.com",
		     MSH_RCPT_INVALID);

	memset(long_local, 'x', 65);
	strcpy(long_local + 65, "@example.com");
	expect_bad_entry("rcpt entry: local part over 64 octets", long_local,
			 "local part longer than 64 octets: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.com\"");
	strcpy(long_domain, "u@");
	memset(long_domain + 2, 'd', 252);
	strcpy(long_domain + 254, ".com");
	expect_bad_entry("rcpt entry: domain over 255 octets", long_domain,
			 "domain longer than 255 octets: \"u@dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\"");
	expect_bad_entry("rcpt entry: no domain", "user",
			 "not an address (no @domain): \"user\"");
	expect_bad_entry("rcpt entry: blank", "us er@example.com",
			 "blank or control character in address \"us er@example.com\"");
	expect_bad_entry("rcpt entry: bad domain", "user@exa$mple.com",
			 "invalid character in domain: \"user@exa$mple.com\"");
	expect_bad_entry("rcpt entry: empty label", "user@example..com",
			 "empty label in domain: \"user@example..com\"");
	expect_bad_entry("rcpt entry: source route catch-all", "@a:b@c",
			 "invalid catch-all \"@a:b@c\" (write @domain)");
	expect_bad_entry("rcpt entry: bad IDN", "user@\xff\xfe.example",
			 "domain \"\xff\xfe.example\" is no valid IDN: string encoding error");
}

static void test_set(void)
{
	struct msh_rcpt_set s;
	char err[256];
	bool ok = true;
	size_t i;

	msh_rcpt_set_init_key(&s, key, MAILSHIELD_RCPT_F_CASE_SENSITIVE,
			      "+-", 2);
	ok &= !msh_rcpt_set_add(&s, "A@x.example", 11, err, sizeof(err));
	ok &= !msh_rcpt_set_add(&s, "A-list@x.example", 16, err, sizeof(err));
	ok &= !msh_rcpt_set_add(&s, "a@x.example", 11, err, sizeof(err));
	ok &= !msh_rcpt_set_add(&s, "b@y.example", 11, err, sizeof(err));
	ok &= !msh_rcpt_set_add(&s, "@z.example", 10, err, sizeof(err));
	ok &= !msh_rcpt_set_add_domain(&s, "X.example", 9, err, sizeof(err));
	ok &= !msh_rcpt_set_add_domain(&s, "w.example", 9, err, sizeof(err));
	msh_rcpt_set_finish(&s);
	/* A, A-list (= A), a; x, y, z, w; z */
	ok &= s.addrs.n == 3 && s.domains.n == 4 && s.catchalls.n == 1;
	ok &= s.entries == 5;
	for (i = 1; i < s.addrs.n; i++)
		ok &= s.addrs.v[i - 1] < s.addrs.v[i];
	for (i = 1; i < s.domains.n; i++)
		ok &= s.domains.v[i - 1] < s.domains.v[i];
	ok &= msh_rcpt_set_check(&s, "A+x@X.EXAMPLE") == MSH_RCPT_KNOWN;
	ok &= msh_rcpt_set_check(&s, "a@x.example") == MSH_RCPT_KNOWN;
	ok &= msh_rcpt_set_check(&s, "B@y.example") == MSH_RCPT_UNKNOWN;
	ok &= msh_rcpt_set_check(&s, "b@w.example") == MSH_RCPT_UNKNOWN;
	unit_result("rcpt set: sorted, de-duplicated, case-sensitive, two delimiters",
		    ok, NULL);
	msh_rcpt_set_free(&s);

	/* a random key per set */
	{
		struct msh_rcpt_set a, b;

		ok = !msh_rcpt_set_init(&a, 0, "+", 1) &&
		     !msh_rcpt_set_init(&b, 0, "+", 1) &&
		     memcmp(a.key, b.key, sizeof(a.key));
		unit_result("rcpt set: every set gets a fresh random key", ok,
			    NULL);
		msh_rcpt_set_free(&a);
		msh_rcpt_set_free(&b);
	}
}

int main(void)
{
	test_siphash();
	test_vectors();
	test_entries();
	test_set();
	return unit_exit();
}
