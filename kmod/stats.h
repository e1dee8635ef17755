/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The per-cpu counters of one network namespace: the one counter set of
 * the module (traffic, admission, recipients, SMTP inspection and its
 * per-reason violations), folded on read for GET_STATS.
 */

#ifndef _MSH_STATS_H
#define _MSH_STATS_H

#include <linux/mailshield.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

/*
 * Counter indices. Each one maps to exactly one MAILSHIELD_STATS_A_*
 * attribute (see msh_stats_attr() in netlink.c); "rx" is client to server,
 * "tx" server to client.
 */
enum msh_stat {
	MSH_STAT_RX_PACKETS,
	MSH_STAT_RX_BYTES,
	MSH_STAT_RX_SYN,
	MSH_STAT_RX_FIN,
	MSH_STAT_RX_RST,
	MSH_STAT_TX_PACKETS,
	MSH_STAT_TX_BYTES,
	MSH_STAT_TX_SYNACK,
	MSH_STAT_TX_FIN,
	MSH_STAT_TX_RST,
	MSH_STAT_RX_PACKETS_V6,
	MSH_STAT_TX_PACKETS_V6,

	/* connection admission (admit.c) */
	MSH_STAT_COOKIES_SENT,
	MSH_STAT_COOKIES_VALID,
	MSH_STAT_COOKIES_INVALID,
	MSH_STAT_SYNACK_LIMITED,
	MSH_STAT_SYNACK_RETRANS,
	MSH_STAT_OVER_CONCURRENCY,
	MSH_STAT_OVER_RATE,
	MSH_STAT_BANNED,
	MSH_STAT_SOURCES_FULL,
	MSH_STAT_ALLOWLISTED,
	MSH_STAT_BANS,
	MSH_STAT_SOURCES,	/* gauge, filled in at read time */

	/* recipients (rcpt_check.c) */
	MSH_STAT_RCPT_CHECKED,
	MSH_STAT_RCPT_UNKNOWN,
	MSH_STAT_RCPT_OUTSIDE,
	MSH_STAT_RCPT_LEARNED,

	/* SMTP inspection (conn.c, inspect.c, hooks.c, flows.c) */
	MSH_STAT_FLOWS_CREATED,
	MSH_STAT_FLOWS_FULL,
	MSH_STAT_OOO_DROPS,
	MSH_STAT_RETRANS_BYTES,
	MSH_STAT_VIOLATIONS,
	MSH_STAT_VIOLATIONS_LOGGED,
	MSH_STAT_BAD_SEGMENTS,
	MSH_STAT_URGENT_CLEARED,
	MSH_STAT_FRAGMENTS,
	MSH_STAT_FLOWS_UNINSPECTED,
	MSH_STAT_INFLIGHT_DROPS,
	MSH_STAT_FLOWS_ABORTED,

	/* one per violation reason (MAILSHIELD_STATS_A_VIOLATION_REASONS) */
	MSH_STAT_REASON0,
	MSH_STAT_NUM = MSH_STAT_REASON0 + __MAILSHIELD_VIOLATION_MAX
};

struct msh_stats_pcpu {
	u64_stats_t ctr[MSH_STAT_NUM];
	struct u64_stats_sync syncp;
};

/* Folded totals, one value per counter. */
struct msh_stats {
	u64 ctr[MSH_STAT_NUM];
};

struct msh_stats_pcpu __percpu *msh_stats_alloc(void);
void msh_stats_free(struct msh_stats_pcpu __percpu *stats);
void msh_stats_fold(struct msh_stats_pcpu __percpu *stats,
		    struct msh_stats *out);

/*
 * Writers: msh_stats_begin() pins the CPU and opens the update section,
 * msh_stats_add() may then be called any number of times, and
 * msh_stats_end() closes it. The hooks run both in softirq context
 * (PRE_ROUTING) and in process context with bottom halves enabled
 * (LOCAL_OUT), so a writer can be interrupted by another writer on the same
 * CPU: the section disables preemption and, where u64_stats needs a
 * seqcount (32-bit SMP), interrupts. On 64-bit the counters are local64_t
 * and the section costs one preempt_disable()/preempt_enable() pair.
 */
static inline struct msh_stats_pcpu *
msh_stats_begin(struct msh_stats_pcpu __percpu *stats, unsigned long *flags)
{
	struct msh_stats_pcpu *s = get_cpu_ptr(stats);

	*flags = u64_stats_update_begin_irqsave(&s->syncp);
	return s;
}

static inline void msh_stats_add(struct msh_stats_pcpu *s, unsigned int idx,
				 unsigned long val)
{
	u64_stats_add(&s->ctr[idx], val);
}

static inline void msh_stats_end(struct msh_stats_pcpu __percpu *stats,
				 struct msh_stats_pcpu *s, unsigned long flags)
{
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(stats);
}

/* One counter, in its own update section: for counters of rare events. */
static inline void msh_stats_count(struct msh_stats_pcpu __percpu *stats,
				   unsigned int idx, unsigned long val)
{
	unsigned long flags;
	struct msh_stats_pcpu *s = msh_stats_begin(stats, &flags);

	msh_stats_add(s, idx, val);
	msh_stats_end(stats, s, flags);
}

#endif /* _MSH_STATS_H */
