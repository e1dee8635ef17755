// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Per-source table: token bucket, windows, prefix keying, bans and their
 * expiry, the cap, flow accounting, GC and resumable dumps. Time is
 * simulated: every call gets its "now" from the test.
 */

#include "../sources.h"

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include <linux/socket.h>

#define T0	(1000ULL * NSEC_PER_SEC)
#define SEC(n)	((u64)(n) * NSEC_PER_SEC)

struct msh_st_ctx {
	struct msh_sources *tbl;
	struct msh_sources_config cfg;
	struct msh_limits lim;
	unsigned int expired_events;
	u8 last_expired_reason;
};

static void msh_st_expired(void *ctx, const struct msh_source_info *info)
{
	struct msh_st_ctx *c = ctx;

	c->expired_events++;
	c->last_expired_reason = info->ban_reason;
}

static union nf_inet_addr v4(const char *s)
{
	union nf_inet_addr a = {};

	WARN_ON(in4_pton(s, -1, (u8 *)&a.ip, -1, NULL) != 1);
	return a;
}

static union nf_inet_addr v6(const char *s)
{
	union nf_inet_addr a = {};

	WARN_ON(in6_pton(s, -1, a.in6.s6_addr, -1, NULL) != 1);
	return a;
}

/* A fresh table per test, without GC work: tests run the GC by hand. */
static int msh_st_init(struct kunit *test)
{
	struct msh_st_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	msh_sources_config_default(&c->cfg);
	c->cfg.gc_interval_s = 0;
	msh_limits_default(&c->lim);
	c->tbl = msh_sources_create(&c->cfg, msh_st_expired, c);
	if (!c->tbl)
		return -ENOMEM;
	test->priv = c;
	return 0;
}

static void msh_st_exit(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;

	msh_sources_destroy(c->tbl);
}

static void msh_st_reconfigure(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	const char *msg = NULL;

	KUNIT_ASSERT_EQ(test, msh_sources_configure(c->tbl, &c->cfg, T0, &msg),
			0);
}

static u64 msh_st_stat(struct kunit *test, size_t off)
{
	struct msh_st_ctx *c = test->priv;
	struct msh_sources_stats st;

	msh_sources_get_stats(c->tbl, &st);
	return *(u64 *)((char *)&st + off);
}

#define STAT(test, f) msh_st_stat(test, offsetof(struct msh_sources_stats, f))

/* Admits one connection from addr; returns the verdict. */
static enum msh_admit_verdict admit(struct kunit *test, u8 family,
				    const union nf_inet_addr *a, u64 now,
				    struct msh_source **src)
{
	struct msh_st_ctx *c = test->priv;
	struct msh_source *dummy;

	return msh_sources_admit(c->tbl, family, a, now, &c->lim,
				 src ? src : &dummy, NULL);
}

static struct msh_source *get(struct kunit *test, u8 family,
			      const union nf_inet_addr *a,
			      enum msh_lookup_result *res)
{
	struct msh_st_ctx *c = test->priv;
	struct msh_source *e;

	rcu_read_lock();
	*res = msh_sources_lookup_or_create(c->tbl, family, a, T0, &e);
	rcu_read_unlock();
	return e;	/* compared only, never dereferenced */
}

/* Dump helpers: collect every entry into an array. */
struct msh_st_dump {
	struct msh_source_info *out;
	unsigned int n, max, stop_every, in_call;
};

static int msh_st_dump_fn(void *arg, const struct msh_source_info *info)
{
	struct msh_st_dump *d = arg;

	if (d->stop_every && d->in_call == d->stop_every)
		return 1;	/* "message full" */
	if (d->n >= d->max)
		return 1;
	d->out[d->n++] = *info;
	d->in_call++;
	return 0;
}

static bool find_info(struct kunit *test, u8 family,
		      const union nf_inet_addr *masked,
		      struct msh_source_info *info)
{
	struct msh_st_ctx *c = test->priv;
	struct msh_st_dump d = { .max = 64 };
	long cursor[2] = {};
	unsigned int i;

	d.out = kunit_kcalloc(test, d.max, sizeof(*d.out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d.out);
	msh_sources_dump(c->tbl, cursor, T0, &c->lim, 0, msh_st_dump_fn, &d);
	for (i = 0; i < d.n; i++) {
		if (d.out[i].family == family &&
		    !memcmp(&d.out[i].addr, masked, sizeof(*masked))) {
			*info = d.out[i];
			return true;
		}
	}
	return false;
}

static void msh_st_token_bucket_pure(struct kunit *test)
{
	struct msh_tb tb;
	u32 full_in;
	int i;

	msh_tb_init(&tb, T0);
	/* 60 per minute = one per second, burst 5: starts full */
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_TRUE(test, msh_tb_take(&tb, T0, 60, 5, &full_in));
	KUNIT_EXPECT_FALSE(test, msh_tb_take(&tb, T0, 60, 5, &full_in));
	KUNIT_EXPECT_EQ(test, full_in, 5U);
	KUNIT_EXPECT_EQ(test, msh_tb_available(&tb, T0, 60, 5), 0U);

	/* 999 ms later: still empty; at 1 s exactly one more */
	KUNIT_EXPECT_FALSE(test, msh_tb_take(&tb, T0 + SEC(1) - NSEC_PER_MSEC,
					     60, 5, &full_in));
	KUNIT_EXPECT_TRUE(test, msh_tb_take(&tb, T0 + SEC(1), 60, 5, &full_in));
	KUNIT_EXPECT_FALSE(test, msh_tb_take(&tb, T0 + SEC(1), 60, 5, &full_in));

	/* a long pause refills only up to the burst */
	KUNIT_EXPECT_EQ(test, msh_tb_available(&tb, T0 + SEC(3601), 60, 5), 5U);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_TRUE(test, msh_tb_take(&tb, T0 + SEC(3601), 60, 5,
						    &full_in));
	KUNIT_EXPECT_FALSE(test, msh_tb_take(&tb, T0 + SEC(3601), 60, 5,
					     &full_in));

	/* 6 per minute: one every 10 s */
	msh_tb_init(&tb, T0);
	KUNIT_EXPECT_TRUE(test, msh_tb_take(&tb, T0, 6, 1, &full_in));
	KUNIT_EXPECT_FALSE(test, msh_tb_take(&tb, T0 + SEC(9), 6, 1, &full_in));
	KUNIT_EXPECT_TRUE(test, msh_tb_take(&tb, T0 + SEC(10), 6, 1, &full_in));

	/* rate 0 is no limit; time going backwards never adds credit */
	KUNIT_EXPECT_TRUE(test, msh_tb_take(&tb, T0, 0, 0, &full_in));
	msh_tb_init(&tb, T0);
	KUNIT_EXPECT_TRUE(test, msh_tb_take(&tb, T0, 60, 1, &full_in));
	KUNIT_EXPECT_FALSE(test, msh_tb_take(&tb, T0 - SEC(500), 60, 1,
					     &full_in));
}

static void msh_st_token_bucket_admit(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	union nf_inet_addr a = v4("192.0.2.7");
	struct msh_source_info info;
	int i;

	c->lim.max_conns = 0;
	c->lim.rate_per_min = 120;	/* one per 500 ms */
	c->lim.burst = 3;
	c->lim.refuse_threshold = 0;
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0, NULL),
				MSH_ADMIT_OK);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0, NULL),
			MSH_ADMIT_OVER_RATE);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0 + SEC(1) / 2, NULL),
			MSH_ADMIT_OK);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0 + SEC(1) / 2, NULL),
			MSH_ADMIT_OVER_RATE);
	KUNIT_ASSERT_TRUE(test, find_info(test, AF_INET, &a, &info));
	KUNIT_EXPECT_EQ(test, info.flows, 4U);
	KUNIT_EXPECT_EQ(test, info.refusals, 2U);
}

static void msh_st_window(struct kunit *test)
{
	struct msh_window w = {};
	int i;

	for (i = 0; i < 10; i++)
		msh_window_add(&w, 1000, 60);
	KUNIT_EXPECT_EQ(test, msh_window_estimate(&w, 1000, 60), 10U);
	KUNIT_EXPECT_EQ(test, msh_window_estimate(&w, 1059, 60), 10U);
	/* next window: the old count weighs (120 - 90) / 60 = 1/2 */
	KUNIT_EXPECT_EQ(test, msh_window_estimate(&w, 1090, 60), 5U);
	KUNIT_EXPECT_EQ(test, msh_window_add(&w, 1090, 60), 6U);
	/* two windows later everything is gone */
	KUNIT_EXPECT_EQ(test, msh_window_estimate(&w, 1240, 60), 0U);
	KUNIT_EXPECT_EQ(test, msh_window_add(&w, 1240, 60), 1U);
	/* counts saturate instead of wrapping */
	for (i = 0; i < 70000; i++)
		msh_window_add(&w, 1240, 60);
	KUNIT_EXPECT_EQ(test, msh_window_estimate(&w, 1240, 60), 65535U);
}

static void msh_st_prefix_keying(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	union nf_inet_addr a1 = v4("198.51.100.1"), a2 = v4("198.51.100.2");
	union nf_inet_addr b1 = v6("2001:db8:1:2::1");
	union nf_inet_addr b2 = v6("2001:db8:1:2:ffff:ffff:ffff:ffff");
	union nf_inet_addr b3 = v6("2001:db8:1:3::1");
	union nf_inet_addr net = v4("198.51.100.0");
	enum msh_lookup_result r;
	struct msh_source_info info;
	struct msh_source *e1;

	/* defaults: IPv4 /32 */
	e1 = get(test, AF_INET, &a1, &r);
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_CREATED);
	KUNIT_EXPECT_PTR_NE(test, get(test, AF_INET, &a2, &r), e1);
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_CREATED);
	KUNIT_EXPECT_PTR_EQ(test, get(test, AF_INET, &a1, &r), e1);
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_FOUND);

	/* IPv6 /64: two addresses of one /64 share an entry */
	e1 = get(test, AF_INET6, &b1, &r);
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_CREATED);
	KUNIT_EXPECT_PTR_EQ(test, get(test, AF_INET6, &b2, &r), e1);
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_FOUND);
	KUNIT_EXPECT_PTR_NE(test, get(test, AF_INET6, &b3, &r), e1);
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_CREATED);
	net = v6("2001:db8:1:2::");
	KUNIT_ASSERT_TRUE(test, find_info(test, AF_INET6, &net, &info));
	KUNIT_EXPECT_EQ(test, info.prefix_len, 64);

	/* a1, a2, b1 = b2, b3 */
	KUNIT_EXPECT_EQ(test, STAT(test, entries), 4ULL);

	/* IPv4 /24 and IPv6 /48 */
	c->cfg.prefix4 = 24;
	c->cfg.prefix6 = 48;
	msh_st_reconfigure(test);
	e1 = get(test, AF_INET, &a1, &r);
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_CREATED);
	KUNIT_EXPECT_PTR_EQ(test, get(test, AF_INET, &a2, &r), e1);
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_FOUND);
	net = v4("198.51.100.0");
	KUNIT_ASSERT_TRUE(test, find_info(test, AF_INET, &net, &info));
	KUNIT_EXPECT_EQ(test, info.prefix_len, 24);
	e1 = get(test, AF_INET6, &b1, &r);
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_CREATED);
	KUNIT_EXPECT_PTR_EQ(test, get(test, AF_INET6, &b3, &r), e1);
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_FOUND);
	net = v6("2001:db8:1::");
	KUNIT_ASSERT_TRUE(test, find_info(test, AF_INET6, &net, &info));
	KUNIT_EXPECT_EQ(test, info.prefix_len, 48);

	KUNIT_EXPECT_NULL(test, get(test, AF_UNIX, &a1, &r));
	KUNIT_EXPECT_EQ(test, r, MSH_SRC_INVALID);
}

static void msh_st_config_check(struct kunit *test)
{
	struct msh_sources_config cfg;
	struct msh_limits lim;
	const char *msg = NULL;

	msh_sources_config_default(&cfg);
	KUNIT_EXPECT_EQ(test, msh_sources_config_check(&cfg, &msg), 0);
	cfg.prefix4 = 7;
	KUNIT_EXPECT_EQ(test, msh_sources_config_check(&cfg, &msg), -EINVAL);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, msg);
	cfg.prefix4 = 8;
	cfg.prefix6 = 129;
	KUNIT_EXPECT_EQ(test, msh_sources_config_check(&cfg, &msg), -EINVAL);
	cfg.prefix6 = 31;
	KUNIT_EXPECT_EQ(test, msh_sources_config_check(&cfg, &msg), -EINVAL);
	cfg.prefix6 = 128;
	KUNIT_EXPECT_EQ(test, msh_sources_config_check(&cfg, &msg), 0);
	cfg.full_action = 2;
	KUNIT_EXPECT_EQ(test, msh_sources_config_check(&cfg, &msg), -EINVAL);

	msh_limits_default(&lim);
	KUNIT_EXPECT_EQ(test, msh_limits_check(&lim, &msg), 0);
	lim.window_s = 0;
	KUNIT_EXPECT_EQ(test, msh_limits_check(&lim, &msg), -EINVAL);
	lim.window_s = 60;
	lim.violation_threshold = 65536;
	KUNIT_EXPECT_EQ(test, msh_limits_check(&lim, &msg), -EINVAL);
}

static void msh_st_ban_expiry(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	union nf_inet_addr a = v4("203.0.113.9");
	enum msh_ban_reason reason;
	struct msh_admit_info ai;
	struct msh_source *src;
	const char *msg = NULL;

	/* a manual ban creates the entry of a source never seen */
	KUNIT_ASSERT_EQ(test, msh_sources_ban(c->tbl, AF_INET, &a, 0, T0, 60,
					      MSH_BAN_MANUAL, &msg), 0);
	KUNIT_EXPECT_EQ(test, STAT(test, entries), 1ULL);
	KUNIT_EXPECT_EQ(test, msh_sources_ban_check(c->tbl, AF_INET, &a, T0,
						    &reason),
			MSH_BAN_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, reason, MSH_BAN_MANUAL);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0 + SEC(59), NULL),
			MSH_ADMIT_BANNED);
	KUNIT_EXPECT_EQ(test, msh_sources_ban_check(c->tbl, AF_INET, &a,
						    T0 + SEC(60) - 1, &reason),
			MSH_BAN_STATE_ACTIVE);
	/* expiry is reported once, by the call that lifts it */
	KUNIT_EXPECT_EQ(test, msh_sources_ban_check(c->tbl, AF_INET, &a,
						    T0 + SEC(60), &reason),
			MSH_BAN_STATE_EXPIRED);
	KUNIT_EXPECT_EQ(test, reason, MSH_BAN_MANUAL);
	KUNIT_EXPECT_EQ(test, msh_sources_ban_check(c->tbl, AF_INET, &a,
						    T0 + SEC(61), &reason),
			MSH_BAN_STATE_NONE);
	KUNIT_EXPECT_EQ(test, STAT(test, ban_expired), 1ULL);

	/* admit lifts an expired ban itself and says so */
	KUNIT_ASSERT_EQ(test, msh_sources_ban(c->tbl, AF_INET, &a, 0, T0, 10,
					      MSH_BAN_MANUAL, &msg), 0);
	KUNIT_EXPECT_EQ(test, msh_sources_admit(c->tbl, AF_INET, &a,
						T0 + SEC(10), &c->lim, &src,
						&ai), MSH_ADMIT_OK);
	KUNIT_EXPECT_EQ(test, ai.expired, MSH_BAN_MANUAL);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, src);
	msh_source_flow_close(c->tbl, src, T0 + SEC(10));

	/* the GC lifts an expired ban and reports it through expired_fn */
	KUNIT_ASSERT_EQ(test, msh_sources_ban(c->tbl, AF_INET, &a, 0, T0, 30,
					      MSH_BAN_MANUAL, &msg), 0);
	msh_sources_gc(c->tbl, T0 + SEC(29));
	KUNIT_EXPECT_EQ(test, c->expired_events, 0U);
	msh_sources_gc(c->tbl, T0 + SEC(30));
	KUNIT_EXPECT_EQ(test, c->expired_events, 1U);
	KUNIT_EXPECT_EQ(test, c->last_expired_reason, MSH_BAN_MANUAL);
	KUNIT_EXPECT_EQ(test, msh_sources_ban_check(c->tbl, AF_INET, &a,
						    T0 + SEC(30), &reason),
			MSH_BAN_STATE_NONE);

	/* duration 0: until unbanned */
	KUNIT_ASSERT_EQ(test, msh_sources_ban(c->tbl, AF_INET, &a, 0, T0, 0,
					      MSH_BAN_MANUAL, &msg), 0);
	KUNIT_EXPECT_EQ(test, msh_sources_ban_check(c->tbl, AF_INET, &a,
						    T0 + SEC(86400 * 400),
						    &reason),
			MSH_BAN_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, msh_sources_unban(c->tbl, AF_INET, &a, 0, &msg),
			0);
	KUNIT_EXPECT_EQ(test, msh_sources_unban(c->tbl, AF_INET, &a, 0, &msg),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0 + SEC(100), NULL),
			MSH_ADMIT_OK);
}

static void msh_st_ban_args(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	union nf_inet_addr a = v6("2001:db8::1");
	const char *msg = NULL;

	KUNIT_EXPECT_EQ(test, msh_sources_ban(c->tbl, AF_INET6, &a, 48, T0, 60,
					      MSH_BAN_MANUAL, &msg), -EINVAL);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, msg);
	KUNIT_EXPECT_EQ(test, msh_sources_ban(c->tbl, AF_INET6, &a, 64, T0, 60,
					      MSH_BAN_MANUAL, &msg), 0);
	KUNIT_EXPECT_EQ(test, msh_sources_ban(c->tbl, AF_INET6, &a, 0, T0, 60,
					      MSH_BAN_NONE, &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, msh_sources_ban(c->tbl, AF_INET6, &a, 0, T0,
					      MSH_BAN_MAX_S + 1, MSH_BAN_MANUAL,
					      &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, msh_sources_ban(c->tbl, 0, &a, 0, T0, 60,
					      MSH_BAN_MANUAL, &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, msh_sources_unban(c->tbl, AF_INET, &a, 0, &msg),
			-ENOENT);
}

static void msh_st_rekey_keeps_bans(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	union nf_inet_addr a = v4("198.18.5.77"), b = v4("198.18.5.200");
	struct msh_st_dump d = { .max = 8 };
	enum msh_ban_reason reason;
	long cursor[2] = {};
	const char *msg = NULL;

	KUNIT_ASSERT_EQ(test, msh_sources_ban(c->tbl, AF_INET, &a, 0, T0, 300,
					      MSH_BAN_VIOLATIONS, &msg), 0);
	KUNIT_EXPECT_EQ(test, msh_sources_ban_check(c->tbl, AF_INET, &b, T0,
						    &reason),
			MSH_BAN_STATE_NONE);
	c->cfg.prefix4 = 24;
	msh_st_reconfigure(test);
	/* one ban, now on the /24 */
	d.out = kunit_kcalloc(test, d.max, sizeof(*d.out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d.out);
	msh_sources_dump(c->tbl, cursor, T0, &c->lim, MSH_DUMP_BANNED_ONLY,
			 msh_st_dump_fn, &d);
	KUNIT_ASSERT_EQ(test, d.n, 1U);
	KUNIT_EXPECT_EQ(test, d.out[0].prefix_len, 24);
	KUNIT_EXPECT_EQ(test, d.out[0].addr.ip, htonl(0xc6120500));
	KUNIT_EXPECT_EQ(test, msh_sources_ban_check(c->tbl, AF_INET, &b,
						    T0 + SEC(299), &reason),
			MSH_BAN_STATE_ACTIVE);
	KUNIT_EXPECT_EQ(test, reason, MSH_BAN_VIOLATIONS);
	KUNIT_EXPECT_EQ(test, msh_sources_ban_check(c->tbl, AF_INET, &b,
						    T0 + SEC(300), &reason),
			MSH_BAN_STATE_EXPIRED);
}

static void msh_st_cap(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	unsigned int i, created = 0, full = 0;
	enum msh_lookup_result r;
	union nf_inet_addr a = {};
	struct msh_source *src;
	const char *msg = NULL;

	c->cfg.max_entries = 64;
	msh_st_reconfigure(test);
	for (i = 0; i < 64 + 10; i++) {
		a.ip = htonl(0xc6120000 + i);	/* 198.18.0.0/15 */
		get(test, AF_INET, &a, &r);
		created += r == MSH_SRC_CREATED;
		full += r == MSH_SRC_FULL;
	}
	KUNIT_EXPECT_EQ(test, created, 64U);
	KUNIT_EXPECT_EQ(test, full, 10U);
	KUNIT_EXPECT_EQ(test, STAT(test, entries), 64ULL);
	KUNIT_EXPECT_EQ(test, STAT(test, full), 10ULL);

	/* known sources still work at the cap */
	a.ip = htonl(0xc6120000);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0, &src), MSH_ADMIT_OK);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, src);

	/* full_action admit: admitted without state, counted */
	a.ip = htonl(0xc6130001);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0, &src), MSH_ADMIT_OK);
	KUNIT_EXPECT_NULL(test, src);
	KUNIT_EXPECT_EQ(test, STAT(test, full), 11ULL);

	/* full_action refuse */
	c->cfg.full_action = MSH_FULL_REFUSE;
	msh_st_reconfigure(test);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0, &src),
			MSH_ADMIT_TABLE_FULL);
	KUNIT_EXPECT_NULL(test, src);
	KUNIT_EXPECT_EQ(test, STAT(test, entries), 64ULL);

	/* manual bans have a reserve above the cap (64 here), then -ENOSPC */
	for (i = 0; i < 64; i++) {
		a.ip = htonl(0xc6130100 + i);
		KUNIT_EXPECT_EQ(test, msh_sources_ban(c->tbl, AF_INET, &a, 0,
						      T0, 60, MSH_BAN_MANUAL,
						      &msg), 0);
	}
	a.ip = htonl(0xc6130200);
	KUNIT_EXPECT_EQ(test, msh_sources_ban(c->tbl, AF_INET, &a, 0, T0, 60,
					      MSH_BAN_MANUAL, &msg), -ENOSPC);
	KUNIT_EXPECT_EQ(test, STAT(test, entries), 128ULL);
}

static void msh_st_concurrency(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	union nf_inet_addr a = v6("2001:db8:aa::5");
	struct msh_source *src[4];
	struct msh_source_info info;
	int i;

	c->lim.max_conns = 3;
	c->lim.rate_per_min = 0;
	c->lim.refuse_threshold = 2;
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, admit(test, AF_INET6, &a, T0, &src[i]),
				MSH_ADMIT_OK);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET6, &a, T0, &src[3]),
			MSH_ADMIT_OVER_CONCURRENCY);
	KUNIT_EXPECT_NULL(test, src[3]);
	msh_source_flow_close(c->tbl, src[0], T0);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET6, &a, T0, &src[0]),
			MSH_ADMIT_OK);

	/* the second refusal in the window bans for "concurrency" */
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET6, &a, T0, NULL),
			MSH_ADMIT_OVER_CONCURRENCY);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET6, &a, T0, NULL),
			MSH_ADMIT_BANNED);
	a = v6("2001:db8:aa::");
	KUNIT_ASSERT_TRUE(test, find_info(test, AF_INET6, &a, &info));
	KUNIT_EXPECT_EQ(test, info.ban_reason, MSH_BAN_CONCURRENCY);
	KUNIT_EXPECT_EQ(test, info.flows, 3U);

	/* closes never underflow; extra closes are counted */
	for (i = 0; i < 3; i++)
		msh_source_flow_close(c->tbl, src[i], T0);
	KUNIT_EXPECT_EQ(test, STAT(test, flow_underflow), 0ULL);
	msh_source_flow_close(c->tbl, src[0], T0);
	KUNIT_EXPECT_EQ(test, STAT(test, flow_underflow), 1ULL);
	KUNIT_ASSERT_TRUE(test, find_info(test, AF_INET6, &a, &info));
	KUNIT_EXPECT_EQ(test, info.flows, 0U);
}

static void msh_st_thresholds(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	union nf_inet_addr a = v4("192.0.2.1"), b = v4("192.0.2.2");
	struct msh_source *sa, *sb;
	struct msh_source_info info;

	c->lim.violation_threshold = 3;
	c->lim.rcpt_threshold = 4;
	c->lim.window_s = 60;
	c->lim.ban_s = 600;
	KUNIT_ASSERT_EQ(test, admit(test, AF_INET, &a, T0, &sa), MSH_ADMIT_OK);
	KUNIT_ASSERT_EQ(test, admit(test, AF_INET, &b, T0, &sb), MSH_ADMIT_OK);

	KUNIT_EXPECT_FALSE(test, msh_source_count(c->tbl, sa, T0, &c->lim,
						  MSH_COUNT_VIOLATION));
	KUNIT_EXPECT_FALSE(test, msh_source_count(c->tbl, sa, T0, &c->lim,
						  MSH_COUNT_VIOLATION));
	/* the crossing call reports the new ban, later ones do not */
	KUNIT_EXPECT_TRUE(test, msh_source_count(c->tbl, sa, T0, &c->lim,
						 MSH_COUNT_VIOLATION));
	KUNIT_EXPECT_FALSE(test, msh_source_count(c->tbl, sa, T0, &c->lim,
						  MSH_COUNT_VIOLATION));
	KUNIT_ASSERT_TRUE(test, find_info(test, AF_INET, &a, &info));
	KUNIT_EXPECT_EQ(test, info.ban_reason, MSH_BAN_VIOLATIONS);
	KUNIT_EXPECT_EQ(test, info.ban_left_ms, 600000ULL);
	KUNIT_EXPECT_EQ(test, info.violations_total, 4U);

	/* spread out beyond two windows: never over the threshold */
	KUNIT_EXPECT_FALSE(test, msh_source_count(c->tbl, sb, T0, &c->lim,
						  MSH_COUNT_BAD_RCPT));
	KUNIT_EXPECT_FALSE(test, msh_source_count(c->tbl, sb, T0, &c->lim,
						  MSH_COUNT_BAD_RCPT));
	KUNIT_EXPECT_FALSE(test, msh_source_count(c->tbl, sb, T0, &c->lim,
						  MSH_COUNT_BAD_RCPT));
	KUNIT_EXPECT_FALSE(test, msh_source_count(c->tbl, sb, T0 + SEC(120),
						  &c->lim, MSH_COUNT_BAD_RCPT));
	KUNIT_EXPECT_FALSE(test, msh_source_count(c->tbl, sb, T0 + SEC(120),
						  &c->lim, MSH_COUNT_BAD_RCPT));
	/* but four inside one window are */
	KUNIT_EXPECT_FALSE(test, msh_source_count(c->tbl, sb, T0 + SEC(121),
						  &c->lim, MSH_COUNT_BAD_RCPT));
	KUNIT_EXPECT_TRUE(test, msh_source_count(c->tbl, sb, T0 + SEC(122),
						 &c->lim, MSH_COUNT_BAD_RCPT));
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &b, T0 + SEC(123), NULL),
			MSH_ADMIT_BANNED);
	msh_source_flow_close(c->tbl, sa, T0);
	msh_source_flow_close(c->tbl, sb, T0);
}

static void msh_st_rate_ban(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	union nf_inet_addr a = v4("192.0.2.99");
	struct msh_admit_info ai;
	struct msh_source *src;

	c->lim.max_conns = 0;
	c->lim.rate_per_min = 60;
	c->lim.burst = 1;
	c->lim.refuse_threshold = 3;
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0, NULL), MSH_ADMIT_OK);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0, NULL),
			MSH_ADMIT_OVER_RATE);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0, NULL),
			MSH_ADMIT_OVER_RATE);
	KUNIT_EXPECT_EQ(test, msh_sources_admit(c->tbl, AF_INET, &a, T0,
						&c->lim, &src, &ai),
			MSH_ADMIT_OVER_RATE);
	KUNIT_EXPECT_EQ(test, ai.banned, MSH_BAN_RATE);
	KUNIT_EXPECT_EQ(test, admit(test, AF_INET, &a, T0 + SEC(10), NULL),
			MSH_ADMIT_BANNED);
}

static void msh_st_gc(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	union nf_inet_addr idle = v4("192.0.2.10"), busy = v4("192.0.2.11");
	union nf_inet_addr banned = v4("192.0.2.12"), bad = v4("192.0.2.13");
	struct msh_source *sbusy, *sbad;
	const char *msg = NULL;

	c->cfg.idle_timeout_s = 100;
	msh_st_reconfigure(test);
	c->lim.window_s = 600;
	c->lim.violation_threshold = 10;
	KUNIT_ASSERT_EQ(test, admit(test, AF_INET, &idle, T0, &sbusy),
			MSH_ADMIT_OK);
	msh_source_flow_close(c->tbl, sbusy, T0);
	KUNIT_ASSERT_EQ(test, admit(test, AF_INET, &busy, T0, &sbusy),
			MSH_ADMIT_OK);
	KUNIT_ASSERT_EQ(test, admit(test, AF_INET, &bad, T0, &sbad),
			MSH_ADMIT_OK);
	msh_source_count(c->tbl, sbad, T0, &c->lim, MSH_COUNT_VIOLATION);
	msh_source_flow_close(c->tbl, sbad, T0);
	KUNIT_ASSERT_EQ(test, msh_sources_ban(c->tbl, AF_INET, &banned, 0, T0,
					      3600, MSH_BAN_MANUAL, &msg), 0);
	KUNIT_EXPECT_EQ(test, STAT(test, entries), 4ULL);

	/* before the idle timeout nothing goes */
	KUNIT_EXPECT_EQ(test, msh_sources_gc(c->tbl, T0 + SEC(99)), 0U);
	/* the idle one goes; open flow, ban and window keep the others */
	KUNIT_EXPECT_EQ(test, msh_sources_gc(c->tbl, T0 + SEC(100)), 1U);
	KUNIT_EXPECT_EQ(test, STAT(test, entries), 3ULL);
	/* the violation window empties after two windows */
	KUNIT_EXPECT_EQ(test, msh_sources_gc(c->tbl, T0 + SEC(1199)), 0U);
	KUNIT_EXPECT_EQ(test, msh_sources_gc(c->tbl, T0 + SEC(1200)), 1U);
	/* the ban expires (reported), then the entry is idle */
	KUNIT_EXPECT_EQ(test, msh_sources_gc(c->tbl, T0 + SEC(3600)), 1U);
	KUNIT_EXPECT_EQ(test, c->expired_events, 1U);
	KUNIT_EXPECT_EQ(test, STAT(test, entries), 1ULL);
	/* the open flow keeps its entry until closed */
	msh_source_flow_close(c->tbl, sbusy, T0 + SEC(4000));
	KUNIT_EXPECT_EQ(test, msh_sources_gc(c->tbl, T0 + SEC(4099)), 0U);
	KUNIT_EXPECT_EQ(test, msh_sources_gc(c->tbl, T0 + SEC(4100)), 1U);
	KUNIT_EXPECT_EQ(test, STAT(test, entries), 0ULL);
	KUNIT_EXPECT_EQ(test, STAT(test, gc_freed), 4ULL);

	/* a drained token bucket keeps the entry until it is full again */
	c->lim.rate_per_min = 1;
	c->lim.burst = 2;
	KUNIT_ASSERT_EQ(test, admit(test, AF_INET, &idle, T0, &sbusy),
			MSH_ADMIT_OK);
	KUNIT_ASSERT_EQ(test, admit(test, AF_INET, &idle, T0, &sbad),
			MSH_ADMIT_OK);
	msh_source_flow_close(c->tbl, sbusy, T0);
	msh_source_flow_close(c->tbl, sbad, T0);
	/* empty at T0, full after 2 minutes; idle after 100 s */
	KUNIT_EXPECT_EQ(test, msh_sources_gc(c->tbl, T0 + SEC(100)), 0U);
	KUNIT_EXPECT_EQ(test, msh_sources_gc(c->tbl, T0 + SEC(120)), 1U);
}

static void msh_st_dump_resume(struct kunit *test)
{
	struct msh_st_ctx *c = test->priv;
	struct msh_st_dump d = { .max = 400, .stop_every = 7 };
	unsigned int i, j, calls = 0, seq;
	union nf_inet_addr a = {};
	enum msh_lookup_result r;
	long cursor[2] = {};
	const char *msg = NULL;
	int ret;

	for (i = 0; i < 300; i++) {
		a.ip = htonl(0x0a000000 + i * 7919);
		get(test, AF_INET, &a, &r);
		KUNIT_ASSERT_EQ(test, r, MSH_SRC_CREATED);
	}
	d.out = kunit_kcalloc(test, d.max, sizeof(*d.out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d.out);
	seq = msh_sources_seq(c->tbl);
	do {
		d.in_call = 0;
		ret = msh_sources_dump(c->tbl, cursor, T0, &c->lim, 0,
				       msh_st_dump_fn, &d);
		calls++;
	} while (ret == -EMSGSIZE && calls < 1000);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, seq, msh_sources_seq(c->tbl));
	KUNIT_EXPECT_EQ(test, d.n, 300U);
	KUNIT_EXPECT_GE(test, calls, 300U / 7);
	for (i = 0; i < d.n; i++) {
		for (j = i + 1; j < d.n; j++)
			KUNIT_EXPECT_NE(test, d.out[i].addr.ip, d.out[j].addr.ip);
	}
	/* a finished cursor stays finished */
	KUNIT_EXPECT_EQ(test, msh_sources_dump(c->tbl, cursor, T0, &c->lim, 0,
					       msh_st_dump_fn, &d), 0);
	KUNIT_EXPECT_EQ(test, d.n, 300U);

	/* banned-only dump */
	a.ip = htonl(0x0a000000 + 5 * 7919);
	KUNIT_ASSERT_EQ(test, msh_sources_ban(c->tbl, AF_INET, &a, 0, T0, 60,
					      MSH_BAN_MANUAL, &msg), 0);
	memset(cursor, 0, sizeof(cursor));
	d.n = 0;
	d.in_call = 0;
	d.stop_every = 0;
	KUNIT_EXPECT_EQ(test, msh_sources_dump(c->tbl, cursor, T0, &c->lim,
					       MSH_DUMP_BANNED_ONLY,
					       msh_st_dump_fn, &d), 0);
	KUNIT_ASSERT_EQ(test, d.n, 1U);
	KUNIT_EXPECT_EQ(test, d.out[0].addr.ip, a.ip);
	KUNIT_EXPECT_EQ(test, d.out[0].ban_reason, MSH_BAN_MANUAL);
}

static struct kunit_case msh_sources_test_cases[] = {
	KUNIT_CASE(msh_st_token_bucket_pure),
	KUNIT_CASE(msh_st_token_bucket_admit),
	KUNIT_CASE(msh_st_window),
	KUNIT_CASE(msh_st_prefix_keying),
	KUNIT_CASE(msh_st_config_check),
	KUNIT_CASE(msh_st_ban_expiry),
	KUNIT_CASE(msh_st_ban_args),
	KUNIT_CASE(msh_st_rekey_keeps_bans),
	KUNIT_CASE(msh_st_cap),
	KUNIT_CASE(msh_st_concurrency),
	KUNIT_CASE(msh_st_thresholds),
	KUNIT_CASE(msh_st_rate_ban),
	KUNIT_CASE(msh_st_gc),
	KUNIT_CASE(msh_st_dump_resume),
	{}
};

static struct kunit_suite msh_sources_test_suite = {
	.name = "mailshield-sources",
	.init = msh_st_init,
	.exit = msh_st_exit,
	.test_cases = msh_sources_test_cases,
};

kunit_test_suite(msh_sources_test_suite);
