// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * SMTP parser: the session and limit tables shared with the userspace unit
 * tests (smtp_cases.h), each run whole, one byte per chunk and cut in two at
 * every position; offsets, path callbacks, pipelining depth and BDAT
 * counting.
 */

#include "../smtp_parser.h"
#include "smtp_case_run.h"

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

static const char *const msh_skt_err[] = {
	"ok", "bad script", "invalid state or offset", "wrong violations",
	"wrong final state",
};

static void msh_skt_run(struct kunit *test, const char *name,
			const char *script, u32 slen, const u32 *masks,
			enum msh_smtp_state state,
			const struct msh_smtp_limits *lim, bool tls)
{
	struct msh_tc_result r;
	struct msh_tc_sess ss;
	enum msh_tc_err e;
	u8 *data, *dir;
	u32 split, i;

	data = kunit_kmalloc(test, slen + 1, GFP_KERNEL);
	dir = kunit_kmalloc(test, slen + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, data);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dir);
	msh_tc_decode(script, slen, data, dir, &ss);
	e = msh_tc_run_all(&ss, masks, state, lim, tls, &r, &split);
	if (e == MSH_TC_OK)
		return;
	KUNIT_FAIL(test, "%s: %s (run %u of len %u; ~0: whole, len: bytes)",
		   name, msh_skt_err[e], split, ss.len);
	for (i = 0; i < ss.nexp; i++)
		kunit_info(test, "expected @%u mask %#x\n", ss.exp_pos[i],
			   masks[i]);
	for (i = 0; i < r.nev; i++)
		kunit_info(test, "got @%u mask %#x\n", r.pos[i], r.mask[i]);
	kunit_info(test, "state: expected %d, got %d\n", state, r.state);
}

static void msh_skt_case_desc(const struct msh_smtp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(msh_skt_cases, msh_smtp_cases, msh_skt_case_desc);

static void msh_skt_session(struct kunit *test)
{
	const struct msh_smtp_case *c = test->param_value;

	msh_skt_run(test, c->name, c->script, msh_tc_strlen(c->script),
		    c->masks, c->state, c->lim, c->tls);
}

static void msh_skt_limit_desc(const struct msh_smtp_limit_case *c,
			       char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(msh_skt_limits, msh_smtp_limit_cases, msh_skt_limit_desc);

/* Each limit at exactly the limit, then one past it. */
static void msh_skt_limit(struct kunit *test)
{
	const struct msh_smtp_limit_case *lc = test->param_value;
	const u32 cap = 40000;
	u32 masks[MSH_TC_MAX_EV] = { 0 };
	char *buf;
	u32 len;
	int over;

	buf = kunit_kmalloc(test, cap, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (over = 0; over <= 1; over++) {
		len = msh_tc_build_limit(lc, over, buf, cap);
		KUNIT_ASSERT_NE(test, len, 0U);
		masks[0] = over ? lc->mask : 0;
		msh_skt_run(test, lc->name, buf, len, masks, lc->state,
			    lc->lim, false);
	}
}

static u32 msh_skt_feed(struct msh_smtp *s, bool server, const char *str,
			u32 *off)
{
	struct msh_smtp_limits lim;

	msh_smtp_limits_default(&lim);
	if (server)
		return msh_smtp_feed_server(s, &lim, (const u8 *)str,
					    strlen(str), off);
	return msh_smtp_feed_client(s, &lim, NULL, (const u8 *)str,
				    strlen(str), off);
}

/* The offset names the offending byte; feeding resumes after it. */
static void msh_skt_offsets(struct kunit *test)
{
	struct msh_smtp s;
	u32 off;

	msh_smtp_init(&s, false);
	KUNIT_EXPECT_EQ(test, msh_skt_feed(&s, true, "220 mx\r\n", &off), 0U);
	KUNIT_EXPECT_EQ(test, off, 8U);
	KUNIT_EXPECT_EQ(test, msh_skt_feed(&s, false, "NOOP\r\nNO\nOP\r\n", &off),
			MSH_SMTP_BIT(MSH_SMTP_R_BARE_LF));
	KUNIT_EXPECT_EQ(test, off, 8U);
	KUNIT_EXPECT_EQ(test, msh_skt_feed(&s, false, "OP\r\nNOOP\r", &off), 0U);
	KUNIT_EXPECT_EQ(test, msh_skt_feed(&s, false, "X\r\n", &off),
			MSH_SMTP_BIT(MSH_SMTP_R_BARE_CR));
	KUNIT_EXPECT_EQ(test, off, 0U);
	KUNIT_EXPECT_EQ(test, msh_smtp_pending(&s), 3U);
	KUNIT_EXPECT_TRUE(test, msh_smtp_valid(&s));
}

struct msh_skt_hook {
	char part[2][80];
	u32 n[2];
	u32 done;
	struct msh_smtp_path_info info;
};

static void msh_skt_path_byte(void *ctx, enum msh_smtp_path_kind kind,
			      enum msh_smtp_path_part part, u8 c)
{
	struct msh_skt_hook *h = ctx;

	if (h->n[part] < sizeof(h->part[part]) - 1)
		h->part[part][h->n[part]++] = c;
}

static void msh_skt_path_done(void *ctx,
			      const struct msh_smtp_path_info *info)
{
	struct msh_skt_hook *h = ctx;

	h->done++;
	h->info = *info;
}

/* RCPT TO paths reach the callbacks byte by byte, then complete. */
static void msh_skt_path_hooks(struct kunit *test)
{
	static const char line[] = "RCPT TO:<\"Jo Q\"@Example.ORG> NOTIFY=NEVER\r\n";
	struct msh_skt_hook h = { };
	struct msh_smtp_hooks hooks = {
		.path_byte = msh_skt_path_byte,
		.path_done = msh_skt_path_done,
		.ctx = &h,
	};
	struct msh_smtp_limits lim;
	struct msh_smtp s;
	u32 i, off;

	msh_smtp_limits_default(&lim);
	msh_smtp_init(&s, false);
	msh_skt_feed(&s, true, "220 mx\r\n", &off);
	for (i = 0; i < sizeof(line) - 1; i++)
		KUNIT_EXPECT_EQ(test, msh_smtp_feed_client(&s, &lim, &hooks,
							   (const u8 *)line + i,
							   1, &off), 0U);
	KUNIT_EXPECT_EQ(test, h.done, 1U);
	KUNIT_EXPECT_STREQ(test, h.part[0], "\"Jo Q\"");
	KUNIT_EXPECT_STREQ(test, h.part[1], "Example.ORG");
	KUNIT_EXPECT_EQ(test, h.info.kind, MSH_SMTP_PATH_RCPT);
	KUNIT_EXPECT_EQ(test, h.info.local_len, 6);
	KUNIT_EXPECT_EQ(test, h.info.domain_len, 11);
	KUNIT_EXPECT_EQ(test, h.info.path_len, 20);
	KUNIT_EXPECT_EQ(test, h.info.flags, MSH_SMTP_PF_QUOTED);
}

/* Pipelined plain commands share FIFO entries; a full FIFO still counts. */
static void msh_skt_pipelining(struct kunit *test)
{
	struct msh_smtp s;
	u32 i, off, viol = 0;

	msh_smtp_init(&s, false);
	msh_skt_feed(&s, true, "220 mx\r\n", &off);
	for (i = 0; i < 1000; i++)
		KUNIT_EXPECT_EQ(test, msh_skt_feed(&s, false,
						   "RCPT TO:<a@b>\r\n", &off),
				0U);
	KUNIT_EXPECT_EQ(test, msh_smtp_pending(&s), 1000U);
	for (i = 0; i < 20; i++) {
		if (msh_skt_feed(&s, false, "EHLO a\r\n", &off))
			viol++;
		if (msh_skt_feed(&s, false, "NOOP\r\n", &off))
			viol++;
	}
	/*
	 * The RCPTs take one entry; the 15 left take 8 EHLOs and 7 NOOPs.
	 * With an EHLO newest, every later command overflows (25).
	 */
	KUNIT_EXPECT_EQ(test, viol, 25U);
	KUNIT_EXPECT_EQ(test, msh_smtp_pending(&s), 1040U);
	for (i = 0; i < 1040; i++)
		KUNIT_EXPECT_EQ(test, msh_skt_feed(&s, true, "250 ok\r\n", &off),
				0U);
	KUNIT_EXPECT_EQ(test, msh_smtp_pending(&s), 0U);
	KUNIT_EXPECT_TRUE(test, msh_smtp_valid(&s));
}

/* The state is small enough for a per-flow entry. */
static void msh_skt_state_size(struct kunit *test)
{
	KUNIT_EXPECT_LE(test, sizeof(struct msh_smtp), (size_t)128);
}

static struct kunit_case msh_smtp_test_cases[] = {
	KUNIT_CASE_PARAM(msh_skt_session, msh_skt_cases_gen_params),
	KUNIT_CASE_PARAM(msh_skt_limit, msh_skt_limits_gen_params),
	KUNIT_CASE(msh_skt_offsets),
	KUNIT_CASE(msh_skt_path_hooks),
	KUNIT_CASE(msh_skt_pipelining),
	KUNIT_CASE(msh_skt_state_size),
	{}
};

static struct kunit_suite msh_smtp_test_suite = {
	.name = "mailshield_smtp_parser",
	.test_cases = msh_smtp_test_cases,
};

kunit_test_suite(msh_smtp_test_suite);
