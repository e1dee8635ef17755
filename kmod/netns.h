/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Per network namespace state.
 */

#ifndef _MSH_NETNS_H
#define _MSH_NETNS_H

#include "admit.h"
#include "events.h"
#include "policy.h"
#include "recipients.h"
#include "stats.h"

#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

struct msh_flows;

struct msh_net {
	struct net *net;

	/* Running policy: RCU readers, writers hold policy_lock. */
	struct msh_policy __rcu *policy;
	/* serialises policy updates (process context only) */
	struct mutex policy_lock;

	/*
	 * The tables: counters, the source table and SYN-ACK budget, the
	 * flow table, and IP defragmentation. A namespace that never carries
	 * mail never has them: they are made when the policy is first turned
	 * on in it (at init for the initial namespace), or a ban first needs
	 * them, and live until the namespace goes. tables_ready is set
	 * (release) once they all exist; readers use msh_net_ready().
	 */
	struct mutex tables_lock;
	bool tables_ready;

	struct msh_stats_pcpu __percpu *stats;

	struct msh_ratelimit event_rl;

	/* SMTP stream inspection (inspect.c): the flows */
	struct msh_flows *flows;

	/* connection admission (admit.c): sources, allowlist, connections */
	struct msh_admit_net admit;

	/*
	 * The recipient set (recipients.h): made by the first RCPT_BEGIN,
	 * not with the tables; lives until the namespace goes.
	 */
	struct msh_rcpt_net rcpt;

	/* The IPv4 and IPv6 hooks are registered in this namespace. */
	bool hooks_registered;
};

extern unsigned int msh_net_id;

static inline bool msh_net_ready(const struct msh_net *mn)
{
	/* pairs with the release in msh_net_tables_get(): tables filled */
	return smp_load_acquire(&mn->tables_ready);
}

static inline struct msh_net *msh_net(const struct net *net)
{
	return net_generic(net, msh_net_id);
}

#endif /* _MSH_NETNS_H */
