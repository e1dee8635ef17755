/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Admitted connections, for the per-source concurrency count.
 *
 * A connection admitted on its cookie ACK holds one flow of its source
 * entry (msh_source_admit()). This table remembers which 4-tuple holds
 * which entry, so that the flow is given back exactly once:
 *  - on the first FIN or RST seen for the 4-tuple in either direction
 *    (client to server at PRE_ROUTING, server to client at LOCAL_OUT);
 *    only packets with FIN or RST set ever look the table up;
 *  - by the GC, for a connection whose end was not seen (a RST dropped by
 *    a firewall rule after the hook, a socket reset by the MTA without
 *    sending anything, an admitted ACK from which the kernel created no
 *    socket because its accept queue was full...): every gc period, each
 *    entry older than MSH_CONNS_GRACE_S is checked against the TCP
 *    established table; no socket, or one past ESTABLISHED/CLOSE_WAIT,
 *    closes it. Counts therefore self-heal within one GC period.
 *
 * Bounded: at most max entries (default MSH_CONNS_DEFAULT_MAX). When the
 * table is full the connection is admitted without accounting (its flow is
 * given back at once) and counted by the caller.
 *
 * Contexts: insert and close run in the hooks (softirq, or process context
 * at LOCAL_OUT); locks are taken with _bh; allocations are GFP_ATOMIC.
 * Lookups are under RCU, entries are freed with kfree_rcu().
 */

#ifndef _MSH_CONNS_H
#define _MSH_CONNS_H

#include <linux/netfilter.h>
#include <linux/types.h>

struct msh_conns;
struct msh_sources;
struct msh_source;
struct net;

/* A connection as seen from the client: saddr:sport -> daddr:dport. */
struct msh_conn_key {
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	__be16 sport;
	__be16 dport;
	u8 family;
	u8 pad[3];
};

#define MSH_CONNS_DEFAULT_MAX	262144U
#define MSH_CONNS_GRACE_S	3U
#define MSH_CONNS_GC_S		2U

/* Result of msh_conns_insert(). */
enum msh_conn_insert {
	MSH_CONN_INSERTED,
	MSH_CONN_EXISTS,	/* the 4-tuple is already tracked */
	MSH_CONN_FULL,		/* table full or no memory */
};

struct msh_conns *msh_conns_create(struct net *net, struct msh_sources *srcs,
				   u32 max);
void msh_conns_destroy(struct msh_conns *ct);

/* Any context; RCU inside. */
bool msh_conns_lookup(struct msh_conns *ct, const struct msh_conn_key *k);
enum msh_conn_insert msh_conns_insert(struct msh_conns *ct,
				      const struct msh_conn_key *k,
				      struct msh_source *src);
/* Gives back the flow of the 4-tuple if it is tracked. */
bool msh_conns_close(struct msh_conns *ct, const struct msh_conn_key *k);
u32 msh_conns_count(struct msh_conns *ct);
/* One GC pass (also run by the work item); returns entries closed. */
unsigned int msh_conns_gc(struct msh_conns *ct, bool all);

#endif /* _MSH_CONNS_H */
