// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Recipients without packets: the shared normalisation vectors through
 * the real parser and the streaming hash, whole, split at every position
 * and byte by byte; the streaming SipHash against the kernel's siphash();
 * the set's generations (begin, add, commit, abort, caps, order); the
 * parser's pairing of RCPT replies for learn mode.
 */

#include "../rcpt_hash.h"
#include "../recipients.h"
#include "../smtp_parser.h"
#include "rcpt_vectors.h"

#include <asm/unaligned.h>
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

/* ------------------------------------------------------------ vectors */

struct msh_rt_feed {
	struct msh_rcpt_hash h;
	struct msh_rcpt_cfg cfg;
	unsigned int got, calls;
	u64 addr, dom;
};

static void msh_rt_path_byte(void *ctx, enum msh_smtp_path_kind kind,
			     enum msh_smtp_path_part part, u8 c)
{
	struct msh_rt_feed *fd = ctx;

	if (kind == MSH_SMTP_PATH_RCPT)
		msh_rcpt_hash_byte(&fd->h, &fd->cfg, 1, part, c);
}

static u32 msh_rt_path_check(void *ctx, const struct msh_smtp_path_info *pi)
{
	struct msh_rt_feed *fd = ctx;

	if (pi->kind == MSH_SMTP_PATH_RCPT && pi->command) {
		fd->got = msh_rcpt_hash_final(&fd->h, 1, &fd->addr, &fd->dom);
		fd->calls++;
	}
	msh_rcpt_hash_reset(&fd->h);
	return 0;
}

/* Feeds @len bytes, going on after (log-only style) violations. */
static void msh_rt_feed_client(struct msh_smtp *s,
			       const struct msh_smtp_limits *lim,
			       const struct msh_smtp_hooks *hooks,
			       const u8 *buf, u32 len)
{
	u32 off;

	while (len && msh_smtp_feed_client(s, lim, hooks, buf, len, &off)) {
		buf += off + 1;
		len -= off + 1;
	}
}

static void msh_rt_greet(struct msh_smtp *s, const struct msh_smtp_limits *lim)
{
	static const char banner[] = "220 mx ESMTP\r\n";
	u32 off;

	msh_smtp_init(s, false);
	msh_smtp_feed_server(s, lim, (const u8 *)banner, sizeof(banner) - 1,
			     &off);
}

/*
 * One vector as "RCPT TO:<input>\r\n" in chunks: split 0 = whole, split
 * n = at offset n, split ~0 = byte by byte.
 */
static void msh_rt_vector(struct kunit *test, const struct msh_rcpt_vector *v,
			  u32 split)
{
	struct msh_smtp_limits lim;
	struct msh_smtp_hooks hooks = {
		.path_byte = msh_rt_path_byte,
		.path_check = msh_rt_path_check,
	};
	struct msh_rt_feed *fd;
	struct msh_smtp s;
	char *line;
	u32 len, i;

	fd = kunit_kzalloc(test, sizeof(*fd), GFP_KERNEL);
	line = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fd);
	KUNIT_ASSERT_NOT_NULL(test, line);
	hooks.ctx = fd;
	fd->cfg.key.key[0] = get_unaligned_le64(msh_rcpt_vector_key);
	fd->cfg.key.key[1] = get_unaligned_le64(msh_rcpt_vector_key + 8);
	if (v->case_sensitive)
		fd->cfg.flags = MAILSHIELD_RCPT_F_CASE_SENSITIVE;
	fd->cfg.ndelims = strlen(v->delims);
	memcpy(fd->cfg.delims, v->delims, fd->cfg.ndelims);

	msh_smtp_limits_default(&lim);
	/* the hash has its own limits; the parser's would stop the line */
	lim.local_part = 0;
	lim.domain = 0;
	lim.path = 0;
	len = snprintf(line, 512, "RCPT TO:<%s>\r\n", v->input);
	msh_rt_greet(&s, &lim);
	if (!split) {
		msh_rt_feed_client(&s, &lim, &hooks, line, len);
	} else if (split == ~0U) {
		for (i = 0; i < len; i++)
			msh_rt_feed_client(&s, &lim, &hooks, line + i, 1);
	} else {
		msh_rt_feed_client(&s, &lim, &hooks, line, split);
		msh_rt_feed_client(&s, &lim, &hooks, line + split,
				   len - split);
	}
	KUNIT_EXPECT_EQ_MSG(test, fd->calls, 1U, "%s split %u", v->input,
			    split);
	if (!v->hashed) {
		KUNIT_EXPECT_FALSE_MSG(test, fd->got & MSH_RCPT_H_ADDR,
				       "%s split %u: hashed", v->input, split);
		return;
	}
	KUNIT_EXPECT_EQ_MSG(test, fd->got, MSH_RCPT_H_ADDR | MSH_RCPT_H_DOMAIN,
			    "%s split %u", v->input, split);
	KUNIT_EXPECT_EQ_MSG(test, fd->addr, v->addr, "%s split %u: address",
			    v->input, split);
	KUNIT_EXPECT_EQ_MSG(test, fd->dom, v->dom, "%s split %u: domain",
			    v->input, split);
}

static void msh_rt_test_vectors_whole(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msh_rcpt_vectors); i++)
		msh_rt_vector(test, &msh_rcpt_vectors[i], 0);
}

static void msh_rt_test_vectors_split(struct kunit *test)
{
	unsigned int i, len, at;

	for (i = 0; i < ARRAY_SIZE(msh_rcpt_vectors); i++) {
		/* "RCPT TO:<" + input + ">\r\n" */
		len = strlen(msh_rcpt_vectors[i].input) + 12;
		for (at = 1; at < len; at++)
			msh_rt_vector(test, &msh_rcpt_vectors[i], at);
	}
}

static void msh_rt_test_vectors_bytewise(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msh_rcpt_vectors); i++)
		msh_rt_vector(test, &msh_rcpt_vectors[i], ~0U);
}

/* Feeds "local@domain" straight to the hash, switching generation at @at. */
static unsigned int msh_rt_direct(const char *local, const char *domain,
				  unsigned int at, u32 final_gen, u64 *a,
				  u64 *d)
{
	struct msh_rcpt_cfg cfg = { .key = { .key = { 1, 2 } } };
	struct msh_rcpt_hash h = {};
	unsigned int i = 0;
	const char *p;

	for (p = local; *p; p++, i++)
		msh_rcpt_hash_byte(&h, &cfg, i < at ? 1 : 2,
				   MSH_SMTP_PART_LOCAL, *p);
	for (p = domain; *p; p++, i++)
		msh_rcpt_hash_byte(&h, &cfg, i < at ? 1 : 2,
				   MSH_SMTP_PART_DOMAIN, *p);
	return msh_rcpt_hash_final(&h, final_gen, a, d);
}

/* A set swapped in during a path: the path is not looked up. */
static void msh_rt_test_stale(struct kunit *test)
{
	u64 a = 0, d = 0, a2 = 0, d2 = 0;

	KUNIT_EXPECT_EQ(test, msh_rt_direct("u", "x.example", ~0U, 1, &a, &d),
			MSH_RCPT_H_ADDR | MSH_RCPT_H_DOMAIN);
	KUNIT_EXPECT_EQ(test, msh_rt_direct("u", "x.example", ~0U, 2, &a2, &d2),
			MSH_RCPT_H_STALE);
	KUNIT_EXPECT_EQ(test, msh_rt_direct("u", "x.example", 3, 2, &a2, &d2),
			MSH_RCPT_H_STALE);
	KUNIT_EXPECT_EQ(test, msh_rt_direct("u", "x.example", 3, 1, &a2, &d2),
			MSH_RCPT_H_STALE);
	/* and the hash is the plain SipHash of the normalised strings */
	KUNIT_EXPECT_EQ(test, a, siphash("u@x.example", 11,
					 &(siphash_key_t){ .key = { 1, 2 } }));
	KUNIT_EXPECT_EQ(test, d, siphash("x.example", 9,
					 &(siphash_key_t){ .key = { 1, 2 } }));
}

/* ----------------------------------------------------------- siphash */

static void msh_rt_test_siphash(struct kunit *test)
{
	static const u8 ref15[15] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
				      12, 13, 14 };
	siphash_key_t key = {
		.key = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL },
	};
	struct msh_sip sip;
	unsigned int i, j, len;
	u8 *buf;

	/* the SipHash paper's vectors (as scripts/rcpt_vectors.py) */
	msh_sip_init(&sip, &key);
	KUNIT_EXPECT_EQ(test, msh_sip_final(&sip, 0), 0x726fdb47dd0e0e31ULL);
	msh_sip_init(&sip, &key);
	for (j = 0; j < sizeof(ref15); j++)
		msh_sip_byte(&sip, j, ref15[j]);
	KUNIT_EXPECT_EQ(test, msh_sip_final(&sip, sizeof(ref15)),
			0xa129ca6149be45e5ULL);

	buf = kunit_kmalloc(test, 320, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 500; i++) {
		len = get_random_u32() % 321;
		get_random_bytes(buf, len);
		get_random_bytes(&key, sizeof(key));
		msh_sip_init(&sip, &key);
		for (j = 0; j < len; j++)
			msh_sip_byte(&sip, j, buf[j]);
		KUNIT_EXPECT_EQ_MSG(test, msh_sip_final(&sip, len),
				    siphash(buf, len, &key), "length %u", len);
	}
}

/* ------------------------------------------------------- generations */

static int msh_rt_add1(struct msh_rcpt_net *rn, enum msh_rcpt_kind k,
		       const u64 *h, u32 n, enum msh_rcpt_kind *bad)
{
	struct msh_rcpt_batch b[MSH_RCPT_KINDS] = {};
	const char *msg;

	b[k].data = h;
	b[k].count = n;
	return msh_rcpt_add(rn, b, bad, &msg);
}

static bool msh_rt_has(struct msh_rcpt_net *rn, enum msh_rcpt_kind k, u64 h,
		       u32 *gen)
{
	const struct msh_rcpt_set *s;
	bool ret = false;

	rcu_read_lock();
	s = msh_rcpt_running(rn);
	*gen = s ? s->generation : 0;
	if (s)
		ret = msh_rcpt_has(s, k, h);
	rcu_read_unlock();
	return ret;
}

static void msh_rt_test_generations(struct kunit *test)
{
	static const u64 a12[] = { 10, 20 }, a2[] = { 20 }, a33[] = { 30, 30 };
	static const u64 a3[] = { 30 }, d5[] = { 50 }, d54[] = { 50, 40 };
	static const u64 c7[] = { 70 }, a3456[] = { 30, 40, 50, 60 };
	struct msh_rcpt_batch b[MSH_RCPT_KINDS] = {};
	u32 n[MSH_RCPT_KINDS] = { 3, 1, 1 };
	struct msh_rcpt_cfg cfg = {};
	struct msh_rcpt_net *rn;
	struct msh_rcpt_info ri;
	enum msh_rcpt_kind bad;
	const char *msg;
	u32 gen;

	rn = kunit_kzalloc(test, sizeof(*rn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rn);
	msh_rcpt_net_init(rn);

	/* nothing begun */
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_ADDR, a12, 2, &bad),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, msh_rcpt_commit(rn, &msg), -ENOENT);

	/* caps: the policy's maximum, the domain cap */
	KUNIT_EXPECT_EQ(test, msh_rcpt_begin(rn, &cfg, n, 2, &msg), -E2BIG);
	n[MSH_RCPT_DOMAIN] = MSH_RCPT_MAX_DOMAINS + 1;
	KUNIT_EXPECT_EQ(test, msh_rcpt_begin(rn, &cfg, n, 10, &msg), -E2BIG);
	n[MSH_RCPT_DOMAIN] = 1;
	KUNIT_ASSERT_EQ(test, msh_rcpt_begin(rn, &cfg, n, 10, &msg), 0);

	/* order: ascending, continuing, within the announced counts */
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_ADDR, a33, 2, &bad),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_ADDR, a12, 2, &bad), 0);
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_ADDR, a2, 1, &bad),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_ADDR, a3456, 4, &bad),
			-E2BIG);
	/* a bad batch of one kind stores none of the request */
	b[MSH_RCPT_ADDR].data = a3;
	b[MSH_RCPT_ADDR].count = 1;
	b[MSH_RCPT_DOMAIN].data = d54;
	b[MSH_RCPT_DOMAIN].count = 2;
	KUNIT_EXPECT_EQ(test, msh_rcpt_add(rn, b, &bad, &msg), -E2BIG);
	KUNIT_EXPECT_EQ(test, bad, MSH_RCPT_DOMAIN);
	KUNIT_EXPECT_EQ(test, rn->pending->filled[MSH_RCPT_ADDR], 2U);
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_ADDR, a3, 1, &bad), 0);
	/* incomplete: no commit */
	KUNIT_EXPECT_EQ(test, msh_rcpt_commit(rn, &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_DOMAIN, d5, 1, &bad), 0);
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_CATCHALL, c7, 1, &bad),
			0);

	/* before the commit nothing is looked up */
	KUNIT_EXPECT_FALSE(test, msh_rt_has(rn, MSH_RCPT_ADDR, 20, &gen));
	KUNIT_EXPECT_EQ(test, gen, 0U);
	KUNIT_ASSERT_EQ(test, msh_rcpt_commit(rn, &msg), 0);
	KUNIT_EXPECT_TRUE(test, msh_rt_has(rn, MSH_RCPT_ADDR, 10, &gen));
	KUNIT_EXPECT_TRUE(test, msh_rt_has(rn, MSH_RCPT_ADDR, 20, &gen));
	KUNIT_EXPECT_TRUE(test, msh_rt_has(rn, MSH_RCPT_ADDR, 30, &gen));
	KUNIT_EXPECT_FALSE(test, msh_rt_has(rn, MSH_RCPT_ADDR, 25, &gen));
	KUNIT_EXPECT_FALSE(test, msh_rt_has(rn, MSH_RCPT_ADDR, 50, &gen));
	KUNIT_EXPECT_TRUE(test, msh_rt_has(rn, MSH_RCPT_DOMAIN, 50, &gen));
	KUNIT_EXPECT_TRUE(test, msh_rt_has(rn, MSH_RCPT_CATCHALL, 70, &gen));
	KUNIT_EXPECT_FALSE(test, msh_rt_has(rn, MSH_RCPT_CATCHALL, 50, &gen));
	KUNIT_EXPECT_EQ(test, gen, 1U);

	/* abort: the running set stays */
	n[MSH_RCPT_ADDR] = 1;
	n[MSH_RCPT_DOMAIN] = 0;
	n[MSH_RCPT_CATCHALL] = 0;
	KUNIT_ASSERT_EQ(test, msh_rcpt_begin(rn, &cfg, n, 10, &msg), 0);
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_ADDR, c7, 1, &bad), 0);
	msh_rcpt_abort(rn);
	KUNIT_EXPECT_EQ(test, msh_rcpt_commit(rn, &msg), -ENOENT);
	KUNIT_EXPECT_TRUE(test, msh_rt_has(rn, MSH_RCPT_ADDR, 20, &gen));
	KUNIT_EXPECT_EQ(test, gen, 1U);

	/* a new begin replaces a pending generation */
	KUNIT_ASSERT_EQ(test, msh_rcpt_begin(rn, &cfg, n, 10, &msg), 0);
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_ADDR, c7, 1, &bad), 0);
	KUNIT_ASSERT_EQ(test, msh_rcpt_begin(rn, &cfg, n, 10, &msg), 0);
	KUNIT_EXPECT_EQ(test, msh_rcpt_commit(rn, &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, msh_rt_add1(rn, MSH_RCPT_ADDR, c7, 1, &bad), 0);
	msh_rcpt_get_info(rn, &ri);
	KUNIT_EXPECT_TRUE(test, ri.pending);
	KUNIT_ASSERT_EQ(test, msh_rcpt_commit(rn, &msg), 0);

	/* the swap */
	KUNIT_EXPECT_FALSE(test, msh_rt_has(rn, MSH_RCPT_ADDR, 20, &gen));
	KUNIT_EXPECT_TRUE(test, msh_rt_has(rn, MSH_RCPT_ADDR, 70, &gen));
	KUNIT_EXPECT_FALSE(test, msh_rt_has(rn, MSH_RCPT_DOMAIN, 50, &gen));
	KUNIT_EXPECT_EQ(test, gen, 2U);
	msh_rcpt_get_info(rn, &ri);
	KUNIT_EXPECT_TRUE(test, ri.loaded);
	KUNIT_EXPECT_FALSE(test, ri.pending);
	KUNIT_EXPECT_EQ(test, ri.generation, 2U);
	KUNIT_EXPECT_EQ(test, ri.n[MSH_RCPT_ADDR], 1U);
	KUNIT_EXPECT_GE(test, ri.bytes, (u64)sizeof(u64));

	/* the old generation goes after a grace period */
	msh_rcpt_net_exit(rn);
	rcu_barrier();
}

/* ------------------------------------------------------------ learn */

struct msh_rt_replies {
	unsigned int n;
	u16 code[8];
	bool bad[8];
};

static void msh_rt_rcpt_reply(void *ctx, u16 code, bool bad_mailbox)
{
	struct msh_rt_replies *r = ctx;

	if (r->n < ARRAY_SIZE(r->code)) {
		r->code[r->n] = code;
		r->bad[r->n] = bad_mailbox;
	}
	r->n++;
}

static void msh_rt_test_learn_pairing(struct kunit *test)
{
	static const char client[] =
		"MAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nRCPT TO:<z@y>\r\n"
		"RCPT TO:<w@y>\r\nRCPT TO:<v@y>\r\nNOOP\r\nRCPT TO:<u@y>\r\n"
		"RCPT TO:<t@y>\r\nRCPT TO:<s@y>\r\nRCPT bad\r\nDATA\r\n";
	static const char server[] =
		"250 2.1.0 Ok\r\n"			/* MAIL */
		"550 5.1.1 <x@y>: Recipient unknown\r\n"
		"550-5.1.0 <z@y>: bad\r\n550 5.1.0 more\r\n"
		"550 5.7.1 <w@y>: Relay access denied\r\n"
		"250 2.1.5 Ok\r\n"			/* v */
		"250 2.0.0 Ok\r\n"			/* NOOP */
		"550 5.1.10 x\r\n"			/* u */
		"550 5.1.1\r\n"				/* t */
		"450 4.1.1 try later\r\n"		/* s */
		"501 5.5.4 Syntax\r\n"			/* RCPT bad */
		"554 5.5.1 No valid recipients\r\n";	/* DATA */
	static const u16 codes[] = { 550, 550, 550, 250, 550, 550, 450 };
	static const bool bad[] = { true, true, false, false, false, true,
				    false };
	struct msh_rt_replies *r;
	struct msh_smtp_hooks hooks = {
		.rcpt_reply = msh_rt_rcpt_reply,
	};
	struct msh_smtp_limits lim;
	struct msh_smtp s;
	unsigned int i;
	u32 off;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	hooks.ctx = r;
	msh_smtp_limits_default(&lim);
	msh_rt_greet(&s, &lim);
	KUNIT_ASSERT_EQ(test, msh_smtp_feed_client(&s, &lim, &hooks,
						   (const u8 *)client,
						   sizeof(client) - 1, &off),
			0U);
	KUNIT_ASSERT_EQ(test, msh_smtp_feed_server_hooks(&s, &lim, &hooks,
							 (const u8 *)server,
							 sizeof(server) - 1,
							 &off), 0U);
	KUNIT_EXPECT_TRUE(test, msh_smtp_valid(&s));
	KUNIT_EXPECT_EQ(test, msh_smtp_pending(&s), 0U);
	KUNIT_ASSERT_EQ(test, r->n, (unsigned int)ARRAY_SIZE(codes));
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		KUNIT_EXPECT_EQ_MSG(test, r->code[i], codes[i], "reply %u", i);
		KUNIT_EXPECT_EQ_MSG(test, r->bad[i], bad[i], "reply %u", i);
	}

	/* without the hook on the client side, nothing is paired */
	memset(r, 0, sizeof(*r));
	msh_rt_greet(&s, &lim);
	msh_smtp_feed_client(&s, &lim, NULL, (const u8 *)client,
			     sizeof(client) - 1, &off);
	msh_smtp_feed_server_hooks(&s, &lim, &hooks, (const u8 *)server,
				   sizeof(server) - 1, &off);
	KUNIT_EXPECT_EQ(test, r->n, 0U);
}

static u32 msh_rt_hold_rcpt(void *ctx, const struct msh_smtp_path_info *pi)
{
	return pi->kind == MSH_SMTP_PATH_RCPT && pi->command ? MSH_SMTP_HOLD :
							      0;
}

/* path_check's hold stops the feed at the LF of the RCPT line. */
static void msh_rt_test_hold(struct kunit *test)
{
	static const char client[] =
		"MAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nNOOP\r\n";
	struct msh_smtp_hooks hooks = { .path_check = msh_rt_hold_rcpt };
	struct msh_smtp_limits lim;
	struct msh_smtp s;
	u32 off = 0;

	msh_smtp_limits_default(&lim);
	msh_rt_greet(&s, &lim);
	KUNIT_EXPECT_EQ(test, msh_smtp_feed_client(&s, &lim, &hooks,
						   (const u8 *)client,
						   sizeof(client) - 1, &off),
			MSH_SMTP_HOLD);
	KUNIT_EXPECT_EQ(test, off, (u32)(strchr(client + 17, '\n') - client));
	/* a RCPT line that turned into DATA text is never held */
	msh_rt_greet(&s, &lim);
	KUNIT_EXPECT_EQ(test, msh_smtp_feed_client(&s, &lim, &hooks,
						   (const u8 *)"DATA\r\n", 6,
						   &off), 0U);
	KUNIT_EXPECT_EQ(test, msh_smtp_feed_server(&s, &lim,
						   (const u8 *)"354 go\r\n", 8,
						   &off), 0U);
	KUNIT_EXPECT_EQ(test, msh_smtp_feed_client(&s, &lim, &hooks,
						   (const u8 *)"RCPT TO:<x@y>\r\n",
						   15, &off), 0U);
}

static struct kunit_case msh_rcpt_test_cases[] = {
	KUNIT_CASE(msh_rt_test_vectors_whole),
	KUNIT_CASE(msh_rt_test_vectors_split),
	KUNIT_CASE(msh_rt_test_vectors_bytewise),
	KUNIT_CASE(msh_rt_test_stale),
	KUNIT_CASE(msh_rt_test_siphash),
	KUNIT_CASE(msh_rt_test_generations),
	KUNIT_CASE(msh_rt_test_learn_pairing),
	KUNIT_CASE(msh_rt_test_hold),
	{}
};

static struct kunit_suite msh_rcpt_test_suite = {
	.name = "mailshield-recipients",
	.test_cases = msh_rcpt_test_cases,
};

kunit_test_suite(msh_rcpt_test_suite);
