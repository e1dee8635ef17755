// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 */

#include "../policy.h"

#include <kunit/test.h>
#include <linux/errno.h>

static void msh_policy_test_defaults(struct kunit *test)
{
	struct msh_policy p;

	msh_policy_init_default(&p);

	KUNIT_EXPECT_TRUE(test, p.enabled);
	KUNIT_ASSERT_EQ(test, p.nports, 3);
	/* kept sorted */
	KUNIT_EXPECT_EQ(test, p.ports[0], 25);
	KUNIT_EXPECT_EQ(test, p.ports[1], 465);
	KUNIT_EXPECT_EQ(test, p.ports[2], 587);

	KUNIT_EXPECT_TRUE(test, msh_policy_has_port(&p, 25));
	KUNIT_EXPECT_TRUE(test, msh_policy_has_port(&p, 465));
	KUNIT_EXPECT_TRUE(test, msh_policy_has_port(&p, 587));
	KUNIT_EXPECT_FALSE(test, msh_policy_has_port(&p, 0));
	KUNIT_EXPECT_FALSE(test, msh_policy_has_port(&p, 24));
	KUNIT_EXPECT_FALSE(test, msh_policy_has_port(&p, 110));
	KUNIT_EXPECT_FALSE(test, msh_policy_has_port(&p, 588));
	KUNIT_EXPECT_FALSE(test, msh_policy_has_port(&p, 65535));

	/*
	 * SMTP line limits: DATA lines far above RFC 5321's 1000, which real
	 * mail exceeds; the others at the RFC's values.
	 */
	KUNIT_EXPECT_EQ(test, p.smtp.lim.cmd_line, 512);
	KUNIT_EXPECT_EQ(test, p.smtp.lim.text_line, 32768);
	KUNIT_EXPECT_EQ(test, p.smtp.lim.reply_line, 512);
	KUNIT_EXPECT_EQ(test, p.smtp.lim.local_part, 64);
	KUNIT_EXPECT_EQ(test, p.smtp.lim.domain, 255);
	KUNIT_EXPECT_EQ(test, p.smtp.lim.path, 256);
	KUNIT_EXPECT_EQ(test, p.smtp.lim.auth_line, 12288);
	KUNIT_EXPECT_EQ(test, p.smtp.lim.max_junk, 10);
}

static void msh_policy_test_valid_sets(struct kunit *test)
{
	static const u16 single[] = { 2525 };
	static const u16 extremes[] = { 65535, 1 };
	u16 full[MAILSHIELD_MAX_PORTS];
	struct msh_policy_update u = { .set = BIT_ULL(MSH_KNOB_PORTS) };
	const char *msg = NULL;
	struct msh_policy_err err;
	struct msh_policy p;
	unsigned int i, bad;

	KUNIT_EXPECT_EQ(test, msh_policy_check_ports(single, 1, 1, &bad, &msg), 0);
	KUNIT_EXPECT_EQ(test, msh_policy_check_ports(extremes, 2, 1, &bad, &msg),
			0);

	/* exactly MAILSHIELD_MAX_PORTS, given in descending order */
	for (i = 0; i < MAILSHIELD_MAX_PORTS; i++)
		full[i] = 1000 - i;
	KUNIT_EXPECT_EQ(test, msh_policy_check_ports(full, ARRAY_SIZE(full), 1,
						     &bad, &msg), 0);

	msh_policy_init_default(&p);
	u.nports = MAILSHIELD_MAX_PORTS;
	memcpy(u.ports, full, sizeof(full));
	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &u, &err), 0);
	KUNIT_ASSERT_EQ(test, p.nports, MAILSHIELD_MAX_PORTS);
	for (i = 0; i < MAILSHIELD_MAX_PORTS; i++) {
		KUNIT_EXPECT_EQ(test, p.ports[i], 1000 - MAILSHIELD_MAX_PORTS +
						  1 + i);
		KUNIT_EXPECT_TRUE(test, msh_policy_has_port(&p, full[i]));
	}
	KUNIT_EXPECT_FALSE(test, msh_policy_has_port(&p, 25));
	KUNIT_EXPECT_FALSE(test, msh_policy_has_port(&p, 1001));

	/* a smaller set replaces the larger one entirely */
	u.nports = 2;
	u.ports[0] = 65535;
	u.ports[1] = 1;
	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &u, &err), 0);
	KUNIT_ASSERT_EQ(test, p.nports, 2);
	KUNIT_EXPECT_EQ(test, p.ports[0], 1);
	KUNIT_EXPECT_EQ(test, p.ports[1], 65535);
	KUNIT_EXPECT_FALSE(test, msh_policy_has_port(&p, 1000));
	KUNIT_EXPECT_TRUE(test, msh_policy_has_port(&p, 65535));
}

static void msh_policy_test_port_zero(struct kunit *test)
{
	static const u16 ports[] = { 25, 0, 587 };
	struct msh_policy_update u = {
		.set = BIT_ULL(MSH_KNOB_PORTS), .nports = 3,
	};
	const char *msg = NULL;
	struct msh_policy_err err;
	struct msh_policy p;
	unsigned int bad = 0;

	KUNIT_EXPECT_EQ(test, msh_policy_check_ports(ports, 3, 1, &bad, &msg),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, bad, 1U);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, msg);

	/* rejected as a whole: the policy is unchanged */
	msh_policy_init_default(&p);
	memcpy(u.ports, ports, sizeof(ports));
	KUNIT_EXPECT_EQ(test, msh_policy_apply(&p, &u, &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, p.nports, 3);
	KUNIT_EXPECT_EQ(test, p.ports[0], 25);
}

static void msh_policy_test_duplicate(struct kunit *test)
{
	static const u16 ports[] = { 25, 587, 465, 587 };
	struct msh_policy_update u = {
		.set = BIT_ULL(MSH_KNOB_ENABLED) | BIT_ULL(MSH_KNOB_PORTS),
		.nports = 4,
	};
	const char *msg = NULL;
	struct msh_policy_err err;
	struct msh_policy p;
	unsigned int bad = 0;

	KUNIT_EXPECT_EQ(test, msh_policy_check_ports(ports, 4, 1, &bad, &msg),
			-EINVAL);
	/* the second occurrence is the offending entry */
	KUNIT_EXPECT_EQ(test, bad, 3U);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, msg);

	/* nothing changes, not even the valid enabled field */
	msh_policy_init_default(&p);
	memcpy(u.ports, ports, sizeof(ports));
	KUNIT_EXPECT_EQ(test, msh_policy_apply(&p, &u, &err), -EINVAL);
	KUNIT_EXPECT_TRUE(test, p.enabled);
	KUNIT_EXPECT_EQ(test, p.nports, 3);
}

static void msh_policy_test_count(struct kunit *test)
{
	u16 ports[MAILSHIELD_MAX_PORTS + 1];
	struct msh_policy_update u = {
		.set = BIT_ULL(MSH_KNOB_PORTS), .nports = 0,
	};
	const char *msg = NULL;
	struct msh_policy_err err;
	struct msh_policy p;
	unsigned int i, bad = 0;

	for (i = 0; i < ARRAY_SIZE(ports); i++)
		ports[i] = 2000 + i;

	KUNIT_EXPECT_EQ(test, msh_policy_check_ports(ports, ARRAY_SIZE(ports), 1,
						     &bad, &msg), -E2BIG);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, msg);
	KUNIT_EXPECT_EQ(test, bad, (unsigned int)MAILSHIELD_MAX_PORTS);

	msg = NULL;
	KUNIT_EXPECT_EQ(test, msh_policy_check_ports(ports, 0, 1, &bad, &msg),
			-EINVAL);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, msg);
	KUNIT_EXPECT_EQ(test, bad, MSH_POLICY_NO_INDEX);

	/* an empty port list leaves the policy as it was */
	msh_policy_init_default(&p);
	KUNIT_EXPECT_EQ(test, msh_policy_apply(&p, &u, &err), -EINVAL);
	KUNIT_EXPECT_EQ(test, p.nports, 3);
}

static void msh_policy_test_partial(struct kunit *test)
{
	struct msh_policy_update only_enabled = {
		.set = BIT_ULL(MSH_KNOB_ENABLED),
	};
	struct msh_policy_update only_ports = {
		.set = BIT_ULL(MSH_KNOB_PORTS), .nports = 1, .ports = { 2525 },
	};
	struct msh_policy_update nothing = {};
	struct msh_policy_err err;
	struct msh_policy p;

	msh_policy_init_default(&p);

	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &only_enabled, &err),
			0);
	KUNIT_EXPECT_FALSE(test, p.enabled);
	KUNIT_EXPECT_EQ(test, p.nports, 3);
	KUNIT_EXPECT_TRUE(test, msh_policy_has_port(&p, 587));

	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &only_ports, &err), 0);
	KUNIT_EXPECT_FALSE(test, p.enabled);
	KUNIT_EXPECT_EQ(test, p.nports, 1);
	KUNIT_EXPECT_TRUE(test, msh_policy_has_port(&p, 2525));
	KUNIT_EXPECT_FALSE(test, msh_policy_has_port(&p, 25));

	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &nothing, &err), 0);
	KUNIT_EXPECT_FALSE(test, p.enabled);
	KUNIT_EXPECT_EQ(test, p.nports, 1);
	KUNIT_EXPECT_EQ(test, p.ports[0], 2525);
}

static void msh_policy_test_enabled_toggle(struct kunit *test)
{
	struct msh_policy_update u = { .set = BIT_ULL(MSH_KNOB_ENABLED) };
	struct msh_policy_err err;
	struct msh_policy p;

	msh_policy_init_default(&p);

	u.v[MSH_KNOB_ENABLED] = 0;
	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &u, &err), 0);
	KUNIT_EXPECT_FALSE(test, p.enabled);

	/* idempotent */
	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &u, &err), 0);
	KUNIT_EXPECT_FALSE(test, p.enabled);

	u.v[MSH_KNOB_ENABLED] = 1;
	KUNIT_ASSERT_EQ(test, msh_policy_apply(&p, &u, &err), 0);
	KUNIT_EXPECT_TRUE(test, p.enabled);
	KUNIT_EXPECT_EQ(test, p.nports, 3);
}

static struct kunit_case msh_policy_test_cases[] = {
	KUNIT_CASE(msh_policy_test_defaults),
	KUNIT_CASE(msh_policy_test_valid_sets),
	KUNIT_CASE(msh_policy_test_port_zero),
	KUNIT_CASE(msh_policy_test_duplicate),
	KUNIT_CASE(msh_policy_test_count),
	KUNIT_CASE(msh_policy_test_partial),
	KUNIT_CASE(msh_policy_test_enabled_toggle),
	{}
};

static struct kunit_suite msh_policy_test_suite = {
	.name = "mailshield_policy",
	.test_cases = msh_policy_test_cases,
};

kunit_test_suite(msh_policy_test_suite);
