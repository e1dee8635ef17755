// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The admission part of the policy: defaults, partial updates and the
 * validation of every field, with a rejected update leaving the policy as
 * it was.
 */

#include "../netlink_policy.h"
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
	struct msh_policy p, before;
	struct msh_policy_update u = {};
	struct msh_policy_err err;

	msh_policy_init_default(&p);
	before = p;
	msh_policy_update_set(&u, MSH_KNOB_MAX_CONNS, 3);
	msh_policy_update_set(&u, MSH_KNOB_BAN_ACTION, MAILSHIELD_BAN_RESET);
	u.v[MSH_KNOB_RATE] = 999;		/* not set: ignored */
	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &u, &err), 0);
	KUNIT_EXPECT_EQ(test, p.admit.max_conns, 3U);
	KUNIT_EXPECT_EQ(test, p.admit.ban_action, MAILSHIELD_BAN_RESET);
	KUNIT_EXPECT_EQ(test, p.admit.rate, before.admit.rate);
	KUNIT_EXPECT_EQ(test, p.admit.prefix4, before.admit.prefix4);
}

struct msh_admit_bad_case {
	enum msh_knob k;
	u32 value;
};

static void msh_admit_test_rejects(struct kunit *test)
{
	static const struct msh_admit_bad_case cases[] = {
		{ MSH_KNOB_PREFIX_V4, 7 }, { MSH_KNOB_PREFIX_V4, 33 },
		{ MSH_KNOB_PREFIX_V6, 31 }, { MSH_KNOB_PREFIX_V6, 129 },
		{ MSH_KNOB_MAX_CONNS, 1000001 }, { MSH_KNOB_RATE, 1000001 },
		{ MSH_KNOB_BURST, 0 }, { MSH_KNOB_BURST, 1000001 },
		{ MSH_KNOB_SYNACK_RATE, 100000001 },
		{ MSH_KNOB_MAX_SOURCES, 15 }, { MSH_KNOB_MAX_SOURCES, 4194305 },
		{ MSH_KNOB_SOURCES_FULL, 2 }, { MSH_KNOB_BAN_ACTION, 2 },
		{ MSH_KNOB_BAN_TIME, 0 }, { MSH_KNOB_BAN_TIME, 31622401 },
		{ MSH_KNOB_SYNCOOKIES, 2 }, { MSH_KNOB_EXEMPT_LOCAL, 2 },
	};
	struct msh_policy p, before;
	unsigned int i;

	msh_policy_init_default(&p);
	before = p;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct msh_policy_update u = {};
		struct msh_policy_err err;

		/* a valid field first: it must not be applied either */
		msh_policy_update_set(&u, MSH_KNOB_ENABLED, 0);
		msh_policy_update_set(&u, cases[i].k, cases[i].value);
		KUNIT_EXPECT_EQ_MSG(test, msh_policy_apply(&p, &u, &err),
				    -EINVAL, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, err.knob, cases[i].k, "case %u", i);
		KUNIT_EXPECT_NOT_NULL(test, err.msg);
		KUNIT_EXPECT_EQ(test, memcmp(&p, &before, sizeof(p)), 0);
	}
}

static void msh_admit_test_bounds_ok(struct kunit *test)
{
	struct msh_policy_update u = {};
	struct msh_policy_err err;
	struct msh_policy p;

	msh_policy_init_default(&p);
	msh_policy_update_set(&u, MSH_KNOB_SYNCOOKIES, 0);
	msh_policy_update_set(&u, MSH_KNOB_PREFIX_V4, 8);
	msh_policy_update_set(&u, MSH_KNOB_PREFIX_V6, 128);
	msh_policy_update_set(&u, MSH_KNOB_MAX_CONNS, 0);
	msh_policy_update_set(&u, MSH_KNOB_RATE, 0);
	msh_policy_update_set(&u, MSH_KNOB_BURST, 1);
	msh_policy_update_set(&u, MSH_KNOB_SYNACK_RATE, 0);
	msh_policy_update_set(&u, MSH_KNOB_MAX_SOURCES, 16);
	msh_policy_update_set(&u, MSH_KNOB_SOURCES_FULL,
			      MAILSHIELD_FULL_REFUSE);
	msh_policy_update_set(&u, MSH_KNOB_BAN_ACTION, MAILSHIELD_BAN_RESET);
	msh_policy_update_set(&u, MSH_KNOB_BAN_TIME, 1);
	msh_policy_update_set(&u, MSH_KNOB_EXEMPT_LOCAL, 0);
	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &u, &err), 0);
	KUNIT_EXPECT_FALSE(test, p.admit.syncookies);
	KUNIT_EXPECT_EQ(test, p.admit.prefix4, 8);
	KUNIT_EXPECT_EQ(test, p.admit.prefix6, 128);
	KUNIT_EXPECT_EQ(test, p.admit.max_conns, 0U);
	KUNIT_EXPECT_EQ(test, p.admit.rate, 0U);
	KUNIT_EXPECT_EQ(test, p.admit.burst, 1U);
	KUNIT_EXPECT_EQ(test, p.admit.synack_rate, 0U);
	KUNIT_EXPECT_EQ(test, p.admit.max_sources, 16U);
	KUNIT_EXPECT_EQ(test, p.admit.sources_full, MAILSHIELD_FULL_REFUSE);
	KUNIT_EXPECT_EQ(test, p.admit.ban_action, MAILSHIELD_BAN_RESET);
	KUNIT_EXPECT_EQ(test, p.admit.ban_time, 1U);
	KUNIT_EXPECT_FALSE(test, p.admit.exempt_local);
}

/* Every scalar knob reads back what was stored, through the table. */
static void msh_admit_test_knob_roundtrip(struct kunit *test)
{
	struct msh_policy_update u = {};
	struct msh_policy_err err;
	struct msh_policy p;

	msh_policy_init_default(&p);
	msh_policy_update_set(&u, MSH_KNOB_LIMIT_TEXT_LINE, 1000);
	msh_policy_update_set(&u, MSH_KNOB_RCPT_THRESHOLD, 7);
	msh_policy_update_set(&u, MSH_KNOB_LOG_ONLY, 0);
	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &u, &err), 0);
	KUNIT_EXPECT_EQ(test, p.smtp.lim.text_line, 1000);
	KUNIT_EXPECT_EQ(test, p.rcpt.threshold, 7U);
	KUNIT_EXPECT_EQ(test, msh_policy_knob(&p, MSH_KNOB_LIMIT_TEXT_LINE),
			1000U);
	KUNIT_EXPECT_EQ(test, msh_policy_knob(&p, MSH_KNOB_LOG_ONLY), 0U);

	/* a reason bit beyond the last reason is refused */
	u.set = 0;
	msh_policy_update_set(&u, MSH_KNOB_LOG_ONLY,
			      1U << __MAILSHIELD_VIOLATION_MAX);
	KUNIT_EXPECT_EQ(test, msh_policy_apply(&p, &u, &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.knob, MSH_KNOB_LOG_ONLY);
}

/* The netlink policy is positional: the table must be in UAPI order. */
static void msh_admit_test_knob_order(struct kunit *test)
{
	unsigned int k;

	for (k = 0; k < MSH_KNOB_NUM; k++)
		KUNIT_EXPECT_EQ_MSG(test, msh_knob_attr[k], k + 1, "knob %u", k);
}

static struct kunit_case msh_admit_test_cases[] = {
	KUNIT_CASE(msh_admit_test_defaults),
	KUNIT_CASE(msh_admit_test_partial),
	KUNIT_CASE(msh_admit_test_rejects),
	KUNIT_CASE(msh_admit_test_bounds_ok),
	KUNIT_CASE(msh_admit_test_knob_roundtrip),
	KUNIT_CASE(msh_admit_test_knob_order),
	{}
};

static struct kunit_suite msh_admit_test_suite = {
	.name = "mailshield_admit_policy",
	.test_cases = msh_admit_test_cases,
};

kunit_test_suite(msh_admit_test_suite);
