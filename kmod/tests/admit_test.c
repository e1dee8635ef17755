// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The admission part of the policy: defaults, partial updates and the
 * validation of every field, with a rejected update leaving the policy as
 * it was.
 */

#include "../admit_policy.h"
#include "../policy.h"

#include <kunit/test.h>
#include <linux/errno.h>

static void msh_admit_test_defaults(struct kunit *test)
{
	struct msh_policy p;

	msh_policy_init_default(&p);
	KUNIT_EXPECT_TRUE(test, p.admit.syncookies);
	KUNIT_EXPECT_EQ(test, p.admit.prefix4, 32);
	KUNIT_EXPECT_EQ(test, p.admit.prefix6, 64);
	KUNIT_EXPECT_EQ(test, p.admit.max_conns, 20U);
	KUNIT_EXPECT_EQ(test, p.admit.rate, 60U);
	KUNIT_EXPECT_EQ(test, p.admit.burst, 20U);
	KUNIT_EXPECT_EQ(test, p.admit.synack_rate, 200U);
	KUNIT_EXPECT_EQ(test, p.admit.max_sources, 65536U);
	KUNIT_EXPECT_EQ(test, p.admit.sources_full, MAILSHIELD_FULL_ADMIT);
	KUNIT_EXPECT_EQ(test, p.admit.ban_action, MAILSHIELD_BAN_DROP);
	KUNIT_EXPECT_EQ(test, p.admit.ban_time, 3600U);
	KUNIT_EXPECT_TRUE(test, p.admit.exempt_local);
}

static void msh_admit_test_partial(struct kunit *test)
{
	struct msh_admit_policy a, before;
	struct msh_admit_update u = {};
	enum msh_admit_field bad;
	const char *msg = NULL;

	msh_admit_policy_default(&a);
	before = a;
	u.set = BIT(MSH_AP_MAX_CONNS) | BIT(MSH_AP_BAN_ACTION);
	u.v.max_conns = 3;
	u.v.ban_action = MAILSHIELD_BAN_RESET;
	u.v.rate = 999;		/* not set: ignored */
	KUNIT_ASSERT_EQ(test, msh_admit_policy_apply(&a, &u, &bad, &msg), 0);
	KUNIT_EXPECT_EQ(test, a.max_conns, 3U);
	KUNIT_EXPECT_EQ(test, a.ban_action, MAILSHIELD_BAN_RESET);
	KUNIT_EXPECT_EQ(test, a.rate, before.rate);
	KUNIT_EXPECT_EQ(test, a.prefix4, before.prefix4);
}

struct msh_admit_bad_case {
	enum msh_admit_field f;
	u32 value;
};

static void msh_admit_set(struct msh_admit_policy *v, enum msh_admit_field f,
			  u32 x)
{
	switch (f) {
	case MSH_AP_PREFIX4:
		v->prefix4 = x;
		break;
	case MSH_AP_PREFIX6:
		v->prefix6 = x;
		break;
	case MSH_AP_MAX_CONNS:
		v->max_conns = x;
		break;
	case MSH_AP_RATE:
		v->rate = x;
		break;
	case MSH_AP_BURST:
		v->burst = x;
		break;
	case MSH_AP_SYNACK_RATE:
		v->synack_rate = x;
		break;
	case MSH_AP_MAX_SOURCES:
		v->max_sources = x;
		break;
	case MSH_AP_SOURCES_FULL:
		v->sources_full = x;
		break;
	case MSH_AP_BAN_ACTION:
		v->ban_action = x;
		break;
	case MSH_AP_BAN_TIME:
		v->ban_time = x;
		break;
	default:
		break;
	}
}

static void msh_admit_test_rejects(struct kunit *test)
{
	static const struct msh_admit_bad_case cases[] = {
		{ MSH_AP_PREFIX4, 7 }, { MSH_AP_PREFIX4, 33 },
		{ MSH_AP_PREFIX6, 31 }, { MSH_AP_PREFIX6, 129 },
		{ MSH_AP_MAX_CONNS, 1000001 }, { MSH_AP_RATE, 1000001 },
		{ MSH_AP_BURST, 0 }, { MSH_AP_BURST, 1000001 },
		{ MSH_AP_SYNACK_RATE, 100000001 },
		{ MSH_AP_MAX_SOURCES, 15 }, { MSH_AP_MAX_SOURCES, 4194305 },
		{ MSH_AP_SOURCES_FULL, 2 }, { MSH_AP_BAN_ACTION, 2 },
		{ MSH_AP_BAN_TIME, 0 }, { MSH_AP_BAN_TIME, 31622401 },
	};
	struct msh_admit_policy a, before;
	enum msh_admit_field bad;
	unsigned int i;

	msh_admit_policy_default(&a);
	before = a;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct msh_admit_update u = {};
		const char *msg = NULL;

		/* a valid field first: it must not be applied either */
		u.set = BIT(MSH_AP_MAX_CONNS) | BIT(cases[i].f);
		u.v.max_conns = 7;
		msh_admit_set(&u.v, cases[i].f, cases[i].value);
		KUNIT_EXPECT_EQ_MSG(test,
				    msh_admit_policy_apply(&a, &u, &bad, &msg),
				    -EINVAL, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, bad, cases[i].f, "case %u", i);
		KUNIT_EXPECT_NOT_NULL(test, msg);
		KUNIT_EXPECT_EQ(test, memcmp(&a, &before, sizeof(a)), 0);
	}
}

static void msh_admit_test_bounds_ok(struct kunit *test)
{
	struct msh_admit_update u = {};
	struct msh_admit_policy a;
	enum msh_admit_field bad;
	const char *msg = NULL;

	msh_admit_policy_default(&a);
	u.set = BIT(__MSH_AP_NUM) - 1;
	u.v.syncookies = false;
	u.v.prefix4 = 8;
	u.v.prefix6 = 128;
	u.v.max_conns = 0;
	u.v.rate = 0;
	u.v.burst = 1;
	u.v.synack_rate = 0;
	u.v.max_sources = 16;
	u.v.sources_full = MAILSHIELD_FULL_REFUSE;
	u.v.ban_action = MAILSHIELD_BAN_RESET;
	u.v.ban_time = 1;
	KUNIT_ASSERT_EQ(test, msh_admit_policy_apply(&a, &u, &bad, &msg), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&a, &u.v, sizeof(a)), 0);
}

static struct kunit_case msh_admit_test_cases[] = {
	KUNIT_CASE(msh_admit_test_defaults),
	KUNIT_CASE(msh_admit_test_partial),
	KUNIT_CASE(msh_admit_test_rejects),
	KUNIT_CASE(msh_admit_test_bounds_ok),
	{}
};

static struct kunit_suite msh_admit_test_suite = {
	.name = "mailshield_admit_policy",
	.test_cases = msh_admit_test_cases,
};

kunit_test_suite(msh_admit_test_suite);
