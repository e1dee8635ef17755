/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The SMTP stream inspector: follows each flow's client bytes in order and
 * the server's replies, feeds them to the SMTP parser and enforces the
 * policy on violations. Called from the hooks (hooks.c) under RCU.
 */

#ifndef _MSH_INSPECT_H
#define _MSH_INSPECT_H

#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include "smtp_parser.h"

struct msh_flow;
struct msh_net;
struct msh_policy;
struct sk_buff;
struct tcphdr;

enum msh_istat {
	MSH_ISTAT_FLOWS_CREATED,
	MSH_ISTAT_FLOWS_FULL,
	MSH_ISTAT_OOO_DROPS,
	MSH_ISTAT_RETRANS_BYTES,
	MSH_ISTAT_VIOLATIONS,
	MSH_ISTAT_VIOLATIONS_LOGGED,
	MSH_ISTAT_BAD_SEGMENTS,
	MSH_ISTAT_URGENT_CLEARED,
	MSH_ISTAT_FRAGMENTS,
	MSH_ISTAT_FLOWS_UNINSPECTED,
	MSH_ISTAT_INFLIGHT_DROPS,
	MSH_ISTAT_FLOWS_ABORTED,
	MSH_ISTAT_REASON0,
	MSH_ISTAT_NUM = MSH_ISTAT_REASON0 + MSH_SMTP_R_COUNT
};

struct msh_istats_pcpu {
	u64_stats_t ctr[MSH_ISTAT_NUM];
	struct u64_stats_sync syncp;
};

struct msh_istats {
	u64 ctr[MSH_ISTAT_NUM];
};

static inline void msh_istat_add(struct msh_istats_pcpu __percpu *st,
				 unsigned int idx, u64 val)
{
	struct msh_istats_pcpu *s;
	unsigned long flags;

	s = get_cpu_ptr(st);
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->ctr[idx], val);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(st);
}

static inline void msh_istat_inc(struct msh_istats_pcpu __percpu *st,
				 unsigned int idx)
{
	msh_istat_add(st, idx, 1);
}

struct msh_inspect_pkt {
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	const struct tcphdr *th;
	unsigned int thoff;
	bool v6;
};

int msh_inspect_net_init(struct msh_net *mn);
void msh_inspect_net_exit(struct msh_net *mn);

/*
 * A segment of a connection in the flow table (flows.h): client to server
 * (PRE_ROUTING), server to client (LOCAL_OUT). Under RCU; return the
 * verdict.
 */
unsigned int msh_inspect_rx(struct msh_net *mn, const struct msh_policy *p,
			    const struct msh_inspect_pkt *pkt,
			    struct msh_flow *f);
unsigned int msh_inspect_tx(struct msh_net *mn, const struct msh_policy *p,
			    const struct msh_inspect_pkt *pkt,
			    struct msh_flow *f);
/* Sends the client of a client segment a RST that ends its wait. */
void msh_inspect_reset_client(struct msh_net *mn,
			      const struct msh_inspect_pkt *pkt);

void msh_inspect_stats_fold(struct msh_net *mn, struct msh_istats *out);

#endif /* _MSH_INSPECT_H */
