// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The SYN-ACK budget: a prefix gets its rate per second and no more, other
 * prefixes keep theirs, a proven prefix is always answered, and prefixes
 * are keyed by the policy's prefix length.
 */

#include "../synack.h"

#include <kunit/test.h>
#include <linux/inet.h>

static union nf_inet_addr msh_sa_v4(const char *s)
{
	union nf_inet_addr a = {};

	a.ip = in_aton(s);
	return a;
}

/* How many of @n SYN-ACKs to @addr the budget allows, in one go. */
static unsigned int msh_sa_burst(struct msh_synack *sa,
				 const union nf_inet_addr *a, u8 plen,
				 u32 rate, unsigned int n)
{
	unsigned int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += msh_synack_allow(sa, AF_INET, a, plen, rate);
	return ok;
}

static void msh_synack_test_rate(struct kunit *test)
{
	struct msh_synack *sa = msh_synack_create();
	union nf_inet_addr a = msh_sa_v4("198.18.0.1");
	unsigned int ok;

	KUNIT_ASSERT_NOT_NULL(test, sa);
	/* within one second (the burst runs in well under one) */
	ok = msh_sa_burst(sa, &a, 32, 20, 100);
	KUNIT_EXPECT_GE(test, ok, 20U);
	KUNIT_EXPECT_LE(test, ok, 40U);	/* at most a second boundary */
	/* no cap */
	KUNIT_EXPECT_EQ(test, msh_sa_burst(sa, &a, 32, 0, 100), 100U);
	msh_synack_destroy(sa);
}

static void msh_synack_test_proven(struct kunit *test)
{
	struct msh_synack *sa = msh_synack_create();
	union nf_inet_addr a = msh_sa_v4("192.0.2.10");

	KUNIT_ASSERT_NOT_NULL(test, sa);
	msh_sa_burst(sa, &a, 32, 5, 50);	/* its bucket is spent */
	msh_synack_proven(sa, AF_INET, &a, 32);
	/* proven: ten times the rate, still bounded */
	KUNIT_EXPECT_GE(test, msh_sa_burst(sa, &a, 32, 5, 100), 40U);
	KUNIT_EXPECT_LE(test, msh_sa_burst(sa, &a, 32, 5, 100), 55U);
	msh_synack_destroy(sa);
}

static void msh_synack_test_prefixes(struct kunit *test)
{
	struct msh_synack *sa = msh_synack_create();
	union nf_inet_addr a = msh_sa_v4("203.0.113.1");
	union nf_inet_addr b = msh_sa_v4("203.0.113.2");
	unsigned int i, spent = 0, fresh = 0;
	char buf[20];

	KUNIT_ASSERT_NOT_NULL(test, sa);
	/* keyed by /24: b shares a's prefix, and a's proof */
	msh_synack_proven(sa, AF_INET, &a, 24);
	KUNIT_EXPECT_GE(test, msh_sa_burst(sa, &b, 24, 1, 10), 10U);
	/* keyed by /32: b is a prefix of its own, with no history */
	KUNIT_EXPECT_LE(test, msh_sa_burst(sa, &b, 32, 1, 10), 2U);

	/* a flood over many prefixes leaves most buckets with room */
	for (i = 0; i < 256; i++) {
		union nf_inet_addr s;

		snprintf(buf, sizeof(buf), "198.19.%u.%u", i, i ^ 0x5a);
		s = msh_sa_v4(buf);
		spent += msh_sa_burst(sa, &s, 32, 100, 3);
	}
	for (i = 0; i < 64; i++) {
		union nf_inet_addr s;

		snprintf(buf, sizeof(buf), "192.0.2.%u", 100 + i);
		s = msh_sa_v4(buf);
		fresh += msh_synack_allow(sa, AF_INET, &s, 32, 100);
	}
	KUNIT_EXPECT_EQ(test, spent, 768U);
	KUNIT_EXPECT_EQ(test, fresh, 64U);
	msh_synack_destroy(sa);
}

static struct kunit_case msh_synack_test_cases[] = {
	KUNIT_CASE(msh_synack_test_rate),
	KUNIT_CASE(msh_synack_test_proven),
	KUNIT_CASE(msh_synack_test_prefixes),
	{}
};

static struct kunit_suite msh_synack_test_suite = {
	.name = "mailshield-synack",
	.test_cases = msh_synack_test_cases,
};

kunit_test_suite(msh_synack_test_suite);
