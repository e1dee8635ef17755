// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 */

#include "stats.h"

#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/string.h>

struct msh_stats_pcpu __percpu *msh_stats_alloc(void)
{
	struct msh_stats_pcpu __percpu *stats;
	int cpu;

	stats = alloc_percpu_gfp(struct msh_stats_pcpu, GFP_KERNEL_ACCOUNT);
	if (!stats)
		return NULL;

	/* alloc_percpu() zeroes the counters; the seqcounts need init. */
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);

	return stats;
}

void msh_stats_free(struct msh_stats_pcpu __percpu *stats)
{
	free_percpu(stats);
}

void msh_stats_fold(struct msh_stats_pcpu __percpu *stats,
		    struct msh_stats *out)
{
	u64 snap[MSH_STAT_NUM];
	unsigned int start;
	int cpu, i;

	memset(out, 0, sizeof(*out));

	for_each_possible_cpu(cpu) {
		const struct msh_stats_pcpu *s = per_cpu_ptr(stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < MSH_STAT_NUM; i++)
				snap[i] = u64_stats_read(&s->ctr[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		for (i = 0; i < MSH_STAT_NUM; i++)
			out->ctr[i] += snap[i];
	}
}
