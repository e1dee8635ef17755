/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The connection table: one entry per TCP connection to a protected port
 * that mailshield knows, keyed by its 4-tuple (client and server, IPv4 or
 * IPv6), in a fixed array of RCU hash chains. Each entry holds the source
 * entry the connection was admitted with (its concurrency slot), the
 * in-order view of the client's bytes and the SMTP parser state. Bounded
 * by the policy's max_flows; entries are kmalloc'ed with GFP_ATOMIC in the
 * hooks and freed with kfree_rcu().
 *
 * Opened in one place (hooks.c, msh_conn_rx_new()) when the handshake is
 * proven: a valid SYN cookie, or the ACK that completes a request socket
 * with its exact sequence numbers. Connections that were established
 * before inspection started get an entry in MSH_FLOW_UNINSPECTED mode, so
 * they are counted once and passed.
 *
 * The source's concurrency slot goes back when the server closes its side
 * (its FIN at LOCAL_OUT: the MTA no longer serves the connection), or with
 * the entry. The entry is closed in one place (msh_flow_remove()), only
 * once the stack is done with the connection:
 *  - on a RST from the server (seen at LOCAL_OUT: the local stack itself
 *    ends the connection);
 *  - by the GC, which checks every entry older than MSH_FLOW_GRACE_S
 *    against the TCP established table: no socket, or one that takes no
 *    more client bytes (TIME_WAIT, LAST_ACK, CLOSING, CLOSE), ends it. A
 *    client's RST or FIN never does: the stack may have ignored it.
 *  - when the policy stops covering its port (inspection off, port gone).
 * The GC also aborts the socket (tcp_abort(), the client gets a RST) of a
 * blocked connection whose socket outlived the inspector's RST, and of a
 * connection idle for longer than flow_timeout.
 *
 * Locking: lookups are RCU (the hooks run under rcu_read_lock()); inserts
 * and removals take the table lock (_bh); the per-flow lock (_bh) protects
 * the sequence numbers, the in-flight records, the SMTP parser state and
 * the counters.
 */

#ifndef _MSH_FLOWS_H
#define _MSH_FLOWS_H

#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "inflight.h"
#include "rcpt_check.h"
#include "smtp_parser.h"

struct msh_net;
struct msh_policy;
struct msh_source;
struct msh_sources;

struct msh_flow_key {
	union nf_inet_addr caddr;	/* client (remote) address */
	union nf_inet_addr saddr;	/* server (local) address */
	__be16 cport;
	__be16 sport;
	u8 family;			/* NFPROTO_IPV4 / NFPROTO_IPV6 */
	u8 pad[3];
};

enum msh_flow_mode {
	MSH_FLOW_INSPECT,	/* client bytes inspected in order */
	MSH_FLOW_BLOCKED,	/* a violation ended it: client data dropped */
	MSH_FLOW_UNINSPECTED,	/* established before inspection started */
};

/* Seconds a new entry is given before the GC looks for its socket. */
#define MSH_FLOW_GRACE_S	3U

struct msh_flow {
	struct hlist_node node;
	struct rcu_head rcu;
	struct msh_flow_key key;
	int dif, sdif;		/* input interfaces, for socket lookups */
	struct msh_source *src;	/* holds one flow of it, or NULL */
	/* protects everything below */
	spinlock_t lock;
	u8 mode;		/* enum msh_flow_mode */
	bool unlinked;		/* removed from the table */
	u32 cnext;		/* next client sequence number expected */
	u32 snext;		/* server's snd_nxt as seen at LOCAL_OUT */
	unsigned long created;	/* jiffies */
	unsigned long last;	/* jiffies of the last segment */
	u64 cbytes;		/* client payload bytes inspected */
	u64 sbytes;		/* server payload bytes inspected */
	u32 violations;		/* seen on this flow (incl. log-only) */
	struct msh_inflight infl;
	struct msh_smtp smtp;
	struct msh_rcpt_flow rcpt;	/* recipients (rcpt_check.h) */
};

#define MSH_FLOWS_HASH_BITS	14

struct msh_flows {
	struct hlist_head buckets[1U << MSH_FLOWS_HASH_BITS];
	/* serialises inserts and removals */
	spinlock_t lock;
	atomic_t count;
	u32 seed;
	u64 hkey;		/* point of the in-flight check values */
	unsigned int seq;	/* bumped on every insert/remove (dumps) */
	struct msh_sources *sources;
	struct msh_net *mn;
	struct delayed_work gc;
};

enum msh_flow_add_result {
	MSH_FLOW_ADDED,
	MSH_FLOW_EXISTS,	/* *out is the existing flow */
	MSH_FLOW_FULL,
	MSH_FLOW_NOMEM,
};

/* What a new entry starts from. */
struct msh_flow_init {
	u32 cnext, snext;
	int dif, sdif;
	struct msh_source *src;	/* handed to the flow (also on failure) */
	u8 mode;
	bool implicit_tls;
};

/* Process context (netns init / exit). */
struct msh_flows *msh_flows_create(struct msh_net *mn,
				   struct msh_sources *sources);
void msh_flows_destroy(struct msh_flows *ft);

/* Under rcu_read_lock(). */
struct msh_flow *msh_flow_lookup(struct msh_flows *ft,
				 const struct msh_flow_key *key);
enum msh_flow_add_result msh_flow_add(struct msh_flows *ft,
				      const struct msh_flow_key *key,
				      const struct msh_flow_init *init,
				      u32 max_flows, struct msh_flow **out);
/* Any context; a flow already removed is left alone. */
void msh_flow_remove(struct msh_flows *ft, struct msh_flow *f);
/* The server sent its FIN: the source's slot goes back. Any context. */
void msh_flow_server_closed(struct msh_flows *ft, struct msh_flow *f);
/* A SYN for its 4-tuple: removes @f if its socket is done. Under RCU. */
void msh_flow_syn(struct msh_flows *ft, struct msh_flow *f);

/*
 * The policy changed (process context): entries whose port is no longer
 * inspected are released; their connections go on uninspected.
 */
void msh_flows_policy_changed(struct msh_flows *ft,
			      const struct msh_policy *p);

/* One GC pass, as the work item runs it (process context). */
void msh_flows_gc_run(struct msh_flows *ft);

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
