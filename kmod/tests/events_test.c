// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 */

#include "../events.h"

#include <kunit/test.h>
#include <linux/time64.h>

/* Nanoseconds for the bucket to earn one event. */
#define MSH_TEST_ONE_EVENT	DIV_ROUND_UP(NSEC_PER_SEC, MSH_EVENT_RATE)
#define MSH_TEST_T0		(1000 * NSEC_PER_SEC)

static void msh_events_test_burst(struct kunit *test)
{
	struct msh_ratelimit rl;
	u64 now = MSH_TEST_T0;
	u32 sup = 12345;
	unsigned int i;

	msh_ratelimit_init(&rl, now);

	for (i = 0; i < MSH_EVENT_BURST; i++) {
		KUNIT_ASSERT_TRUE_MSG(test, msh_ratelimit_allow(&rl, now, &sup),
				      "event %u of the burst", i);
		KUNIT_EXPECT_EQ(test, sup, 0U);
	}

	/* the bucket is empty: refused and counted */
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_FALSE(test, msh_ratelimit_allow(&rl, now, &sup));

	/* refill for one event: it carries the five lost ones */
	now += MSH_TEST_ONE_EVENT;
	KUNIT_ASSERT_TRUE(test, msh_ratelimit_allow(&rl, now, &sup));
	KUNIT_EXPECT_EQ(test, sup, 5U);
	KUNIT_EXPECT_FALSE(test, msh_ratelimit_allow(&rl, now, &sup));

	now += MSH_TEST_ONE_EVENT;
	KUNIT_ASSERT_TRUE(test, msh_ratelimit_allow(&rl, now, &sup));
	KUNIT_EXPECT_EQ(test, sup, 1U);
}

static void msh_events_test_idle_cap(struct kunit *test)
{
	struct msh_ratelimit rl;
	u64 now = MSH_TEST_T0;
	unsigned int n = 0;
	u32 sup;

	msh_ratelimit_init(&rl, now);
	while (msh_ratelimit_allow(&rl, now, &sup))
		;

	/* a long idle period refills to the burst size, not beyond */
	now += 3600 * NSEC_PER_SEC;
	while (msh_ratelimit_allow(&rl, now, &sup) && n <= MSH_EVENT_BURST)
		n++;
	KUNIT_EXPECT_EQ(test, n, (unsigned int)MSH_EVENT_BURST);
}

static void msh_events_test_clock(struct kunit *test)
{
	struct msh_ratelimit rl;
	u64 now = MSH_TEST_T0;
	u32 sup;

	msh_ratelimit_init(&rl, now);
	while (msh_ratelimit_allow(&rl, now, &sup))
		;
	/* a time before the last refill earns nothing and breaks nothing */
	KUNIT_EXPECT_FALSE(test, msh_ratelimit_allow(&rl, now - 5 *
						     NSEC_PER_SEC, &sup));
	KUNIT_EXPECT_TRUE(test, msh_ratelimit_allow(&rl, now +
						    MSH_TEST_ONE_EVENT, &sup));
	/* the one that ended the loop and the one before the refill */
	KUNIT_EXPECT_EQ(test, sup, 2U);
}

static void msh_events_test_lost(struct kunit *test)
{
	struct msh_ratelimit rl;
	u32 sup;

	msh_ratelimit_init(&rl, MSH_TEST_T0);
	KUNIT_ASSERT_TRUE(test, msh_ratelimit_allow(&rl, MSH_TEST_T0, &sup));
	/* that event (which carried 4) could not be sent */
	msh_ratelimit_lost(&rl, 4);
	KUNIT_ASSERT_TRUE(test, msh_ratelimit_allow(&rl, MSH_TEST_T0, &sup));
	KUNIT_EXPECT_EQ(test, sup, 5U);

	/* saturates instead of wrapping */
	msh_ratelimit_lost(&rl, U32_MAX);
	KUNIT_ASSERT_TRUE(test, msh_ratelimit_allow(&rl, MSH_TEST_T0, &sup));
	KUNIT_EXPECT_EQ(test, sup, U32_MAX);
}

static struct kunit_case msh_events_test_cases[] = {
	KUNIT_CASE(msh_events_test_burst),
	KUNIT_CASE(msh_events_test_idle_cap),
	KUNIT_CASE(msh_events_test_clock),
	KUNIT_CASE(msh_events_test_lost),
	{}
};

static struct kunit_suite msh_events_test_suite = {
	.name = "mailshield_events",
	.test_cases = msh_events_test_cases,
};

kunit_test_suite(msh_events_test_suite);
