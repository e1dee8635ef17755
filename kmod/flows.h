/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The flow table: one entry per inspected TCP connection to a protected
 * port, keyed by the 4-tuple (IPv4 and IPv6), in a fixed array of RCU hash
 * chains. Bounded by the policy's max_flows; entries are kmalloc'ed with
 * GFP_ATOMIC in the hooks and freed with kfree_rcu().
 *
 * Lifetime: created by the inspector when a connection is established (see
 * inspect.c), removed on FIN or RST from either side, on a violation that
 * closes the connection, by the GC work after flow_timeout seconds without
 * a packet, and when the namespace goes away.
 *
 * Locking: lookups are RCU (the hooks run under rcu_read_lock()); inserts
 * and removals take the table lock (_bh); the per-flow lock (_bh) protects
 * the sequence numbers, the SMTP parser state and the counters.
 *
 * Per-source accounting (concurrency caps, violation bans) plugs in through
 * struct msh_flow_ops, registered once per namespace with
 * msh_flows_set_ops() before traffic flows (netns init):
 *
 *   open(ctx, flow)   a flow is about to enter the table (softirq, no
 *                     lock held). Return 0 to accept it; set flow->src to
 *                     whatever the accounting wants back later (e.g. the
 *                     struct msh_source the flow was admitted with, whose
 *                     msh_source_admit() returned MSH_ADMIT_OK). A
 *                     non-zero return refuses the connection: the client's
 *                     segment is dropped and the client gets a RST.
 *   close(ctx, flow)  the flow left the table, exactly once for every
 *                     flow open() accepted (any context, no lock held;
 *                     e.g. msh_source_flow_close(tbl, flow->src, now)).
 *   violation(ctx, flow, reason)
 *                     a violation (enum msh_smtp_reason) was seen on the
 *                     flow, rejected or only logged (softirq, no lock
 *                     held; e.g. msh_source_count(.., MSH_COUNT_VIOLATION)
 *                     with the policy's violation_ban/violation_window).
 *                     Return true if the source is banned as a result.
 *
 * All three may be NULL. Without ops, flows are inspected without
 * per-source accounting. The table is emptied (close() called for every
 * flow) in msh_flows_destroy(), which the namespace exit runs before the
 * per-source table is destroyed.
 */

#ifndef _MSH_FLOWS_H
#define _MSH_FLOWS_H

#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "smtp_parser.h"

struct msh_net;

struct msh_flow_key {
	union nf_inet_addr caddr;	/* client (remote) address */
	union nf_inet_addr saddr;	/* server (local) address */
	__be16 cport;
	__be16 sport;
	u8 family;			/* NFPROTO_IPV4 / NFPROTO_IPV6 */
	u8 pad[3];
};

struct msh_flow {
	struct hlist_node node;
	struct rcu_head rcu;
	struct msh_flow_key key;
	/* protects everything below */
	spinlock_t lock;
	u32 cnext;		/* next client sequence number expected */
	u32 snext;		/* server's snd_nxt as seen at LOCAL_OUT */
	unsigned long created;	/* jiffies */
	unsigned long last;	/* jiffies of the last segment */
	u64 cbytes;		/* client payload bytes inspected */
	u64 sbytes;		/* server payload bytes inspected */
	u32 violations;		/* seen on this flow (incl. log-only) */
	bool unlinked;		/* removed from the table */
	void *src;		/* owned by struct msh_flow_ops */
	struct msh_smtp smtp;
};

struct msh_flow_ops {
	int (*open)(void *ctx, struct msh_flow *f);
	void (*close)(void *ctx, struct msh_flow *f);
	bool (*violation)(void *ctx, struct msh_flow *f, unsigned int reason);
};

#define MSH_FLOWS_HASH_BITS	14

struct msh_flows {
	struct hlist_head buckets[1U << MSH_FLOWS_HASH_BITS];
	/* serialises inserts and removals */
	spinlock_t lock;
	atomic_t count;
	u32 seed;
	unsigned int seq;	/* bumped on every insert/remove (dumps) */
	const struct msh_flow_ops *ops;
	void *ops_ctx;
	struct msh_net *mn;
	struct delayed_work gc;
};

enum msh_flow_add_result {
	MSH_FLOW_ADDED,
	MSH_FLOW_EXISTS,	/* *out is the existing flow */
	MSH_FLOW_FULL,
	MSH_FLOW_NOMEM,
	MSH_FLOW_REFUSED,	/* ops->open() said no */
};

/* Process context (netns init / exit). */
struct msh_flows *msh_flows_create(struct msh_net *mn);
void msh_flows_destroy(struct msh_flows *ft);
void msh_flows_set_ops(struct msh_flows *ft, const struct msh_flow_ops *ops,
		       void *ctx);

/* Under rcu_read_lock(). */
struct msh_flow *msh_flow_lookup(struct msh_flows *ft,
				 const struct msh_flow_key *key);
enum msh_flow_add_result msh_flow_add(struct msh_flows *ft,
				      const struct msh_flow_key *key,
				      u32 cnext, u32 snext, bool implicit_tls,
				      u32 max_flows, struct msh_flow **out);
/* Any context; a flow already removed is left alone. */
void msh_flow_remove(struct msh_flows *ft, struct msh_flow *f);

static inline unsigned int msh_flows_count(struct msh_flows *ft)
{
	return atomic_read(&ft->count);
}

/*
 * Netlink dump: calls fn for each flow from the resume point *cursor
 * (bucket << 16 | position in the chain; 0 to start) under RCU. fn
 * returns non-zero when the message is full: the cursor then points at
 * that flow and the function returns -EMSGSIZE; 0 means the walk is done.
 */
typedef int (*msh_flow_dump_fn)(void *arg, const struct msh_flow *f);
int msh_flows_walk(struct msh_flows *ft, long *cursor, msh_flow_dump_fn fn,
		   void *arg);

#endif /* _MSH_FLOWS_H */
