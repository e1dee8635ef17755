// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 */

#include "../stats.h"

#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/errno.h>

/* Each case gets fresh counters in test->priv, freed by .exit. */
static int msh_stats_test_init(struct kunit *test)
{
	struct msh_stats_pcpu __percpu *stats = msh_stats_alloc();

	if (!stats)
		return -ENOMEM;
	test->priv = (void __force *)stats;
	return 0;
}

static void msh_stats_test_exit(struct kunit *test)
{
	msh_stats_free((struct msh_stats_pcpu __percpu __force *)test->priv);
}

static struct msh_stats_pcpu __percpu *msh_stats_test_get(struct kunit *test)
{
	return (struct msh_stats_pcpu __percpu __force *)test->priv;
}

static void msh_stats_test_zero(struct kunit *test)
{
	struct msh_stats_pcpu __percpu *stats = msh_stats_test_get(test);
	struct msh_stats st;
	unsigned int i;

	memset(&st, 0xa5, sizeof(st));
	msh_stats_fold(stats, &st);
	for (i = 0; i < MSH_STAT_NUM; i++)
		KUNIT_EXPECT_EQ(test, st.ctr[i], 0ULL);
}

static void msh_stats_test_local(struct kunit *test)
{
	struct msh_stats_pcpu __percpu *stats = msh_stats_test_get(test);
	struct msh_stats_pcpu *s;
	unsigned long flags;
	struct msh_stats st;

	s = msh_stats_begin(stats, &flags);
	msh_stats_add(s, MSH_STAT_RX_PACKETS, 1);
	msh_stats_add(s, MSH_STAT_RX_BYTES, 1460);
	msh_stats_add(s, MSH_STAT_RX_PACKETS, 2);
	msh_stats_end(stats, s, flags);

	s = msh_stats_begin(stats, &flags);
	msh_stats_add(s, MSH_STAT_TX_SYNACK, 1);
	msh_stats_add(s, MSH_STAT_RX_BYTES, 40);
	msh_stats_end(stats, s, flags);

	msh_stats_fold(stats, &st);
	KUNIT_EXPECT_EQ(test, st.ctr[MSH_STAT_RX_PACKETS], 3ULL);
	KUNIT_EXPECT_EQ(test, st.ctr[MSH_STAT_RX_BYTES], 1500ULL);
	KUNIT_EXPECT_EQ(test, st.ctr[MSH_STAT_TX_SYNACK], 1ULL);
	KUNIT_EXPECT_EQ(test, st.ctr[MSH_STAT_TX_PACKETS], 0ULL);
	KUNIT_EXPECT_EQ(test, st.ctr[MSH_STAT_TX_PACKETS_V6], 0ULL);
}

/* Writes every possible CPU's counters directly and checks the sum. */
static void msh_stats_test_fold_cpus(struct kunit *test)
{
	struct msh_stats_pcpu __percpu *stats = msh_stats_test_get(test);
	u64 want[MSH_STAT_NUM] = {};
	struct msh_stats st;
	unsigned int i;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct msh_stats_pcpu *s = per_cpu_ptr(stats, cpu);

		for (i = 0; i < MSH_STAT_NUM; i++) {
			u64 v = (u64)(cpu + 1) * 1000 + i;

			/* 64-bit values survive the fold on every arch */
			if (i == MSH_STAT_TX_BYTES)
				v += 1ULL << 33;
			u64_stats_set(&s->ctr[i], v);
			want[i] += v;
		}
	}

	msh_stats_fold(stats, &st);
	for (i = 0; i < MSH_STAT_NUM; i++)
		KUNIT_EXPECT_EQ_MSG(test, st.ctr[i], want[i], "counter %u", i);

	/* and updates through the writer API add on top */
	{
		struct msh_stats_pcpu *s;
		unsigned long flags;

		s = msh_stats_begin(stats, &flags);
		msh_stats_add(s, MSH_STAT_RX_RST, 7);
		msh_stats_end(stats, s, flags);
	}
	msh_stats_fold(stats, &st);
	KUNIT_EXPECT_EQ(test, st.ctr[MSH_STAT_RX_RST],
			want[MSH_STAT_RX_RST] + 7);
}

static struct kunit_case msh_stats_test_cases[] = {
	KUNIT_CASE(msh_stats_test_zero),
	KUNIT_CASE(msh_stats_test_local),
	KUNIT_CASE(msh_stats_test_fold_cpus),
	{}
};

static struct kunit_suite msh_stats_test_suite = {
	.name = "mailshield_stats",
	.init = msh_stats_test_init,
	.exit = msh_stats_test_exit,
	.test_cases = msh_stats_test_cases,
};

kunit_test_suite(msh_stats_test_suite);
