// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The connection table; see flows.h for the model.
 */

#include "flows.h"
#include "compat.h"
#include "inspect.h"
#include "netns.h"
#include "policy.h"
#include "sources.h"

#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/tcp.h>
#include <net/tcp_states.h>

#define MSH_FLOWS_GC_INTERVAL	(2 * HZ)
/* Chains visited per GC run before yielding the CPU. */
#define MSH_FLOWS_GC_BATCH	256
/* Sockets aborted per chain and pass; the rest wait for the next pass. */
#define MSH_FLOWS_GC_ABORTS	8

static u32 msh_flow_hash(const struct msh_flows *ft,
			 const struct msh_flow_key *key)
{
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32),
		      ft->seed) & ((1U << MSH_FLOWS_HASH_BITS) - 1);
}

static bool msh_flow_key_eq(const struct msh_flow_key *a,
			    const struct msh_flow_key *b)
{
	return !memcmp(a, b, sizeof(*a));
}

struct msh_flow *msh_flow_lookup(struct msh_flows *ft,
				 const struct msh_flow_key *key)
{
	struct hlist_head *head = &ft->buckets[msh_flow_hash(ft, key)];
	struct msh_flow *f;

	hlist_for_each_entry_rcu(f, head, node) {
		if (msh_flow_key_eq(&f->key, key))
			return f;
	}
	return NULL;
}

/* Gives the source's concurrency slot back (the caller took it off). */
static void msh_flow_release_src(struct msh_flows *ft, struct msh_source *src)
{
	if (src)
		msh_source_flow_close(ft->sources, src, msh_now());
}

/*
 * The server closed its side (its FIN, seen at LOCAL_OUT): the MTA no
 * longer serves the connection, so it no longer counts against the
 * source's concurrency, though the entry stays until the socket is gone.
 * Exactly once per flow, whichever comes first (xchg).
 */
void msh_flow_server_closed(struct msh_flows *ft, struct msh_flow *f)
{
	msh_flow_release_src(ft, xchg(&f->src, NULL));
}

/**
 * msh_flow_add - insert a new flow
 * @ft: the table
 * @key: its 4-tuple (padding zeroed)
 * @init: where it starts; init->src is owned by the flow from here on,
 *	and given back at once if no flow is added
 * @max_flows: the policy's cap
 * @out: the new (or existing) flow
 *
 * Softirq or process context, under rcu_read_lock(). A cap lowered below
 * the current count refuses every new flow until the count is under it.
 */
enum msh_flow_add_result msh_flow_add(struct msh_flows *ft,
				      const struct msh_flow_key *key,
				      const struct msh_flow_init *init,
				      u32 max_flows, struct msh_flow **out)
{
	u32 h = msh_flow_hash(ft, key);
	struct msh_flow *f, *old;

	*out = NULL;
	if (atomic_inc_return(&ft->count) > max_flows) {
		atomic_dec(&ft->count);
		msh_flow_release_src(ft, init->src);
		return MSH_FLOW_FULL;
	}

	f = kzalloc(sizeof(*f), GFP_ATOMIC);
	if (!f) {
		atomic_dec(&ft->count);
		msh_flow_release_src(ft, init->src);
		return MSH_FLOW_NOMEM;
	}
	f->key = *key;
	f->dif = init->dif;
	f->sdif = init->sdif;
	f->src = init->src;
	spin_lock_init(&f->lock);
	f->mode = init->mode;
	f->cnext = init->cnext;
	f->snext = init->snext;
	f->created = jiffies;
	f->last = f->created;
	msh_inflight_init(&f->infl, init->cnext);
	msh_smtp_init(&f->smtp, init->implicit_tls);

	spin_lock_bh(&ft->lock);
	hlist_for_each_entry(old, &ft->buckets[h], node) {
		if (msh_flow_key_eq(&old->key, key)) {
			/* Lost a race with another CPU: use its flow. */
			spin_unlock_bh(&ft->lock);
			msh_flow_release_src(ft, f->src);
			atomic_dec(&ft->count);
			kfree(f);
			*out = old;
			return MSH_FLOW_EXISTS;
		}
	}
	hlist_add_head_rcu(&f->node, &ft->buckets[h]);
	ft->seq++;
	spin_unlock_bh(&ft->lock);
	/* the GC sleeps while the table is empty; no-op if it is queued */
	queue_delayed_work(system_power_efficient_wq, &ft->gc,
			   MSH_FLOWS_GC_INTERVAL);

	*out = f;
	return MSH_FLOW_ADDED;
}

void msh_flow_remove(struct msh_flows *ft, struct msh_flow *f)
{
	spin_lock_bh(&ft->lock);
	if (f->unlinked) {
		spin_unlock_bh(&ft->lock);
		return;
	}
	WRITE_ONCE(f->unlinked, true);
	hlist_del_rcu(&f->node);
	ft->seq++;
	spin_unlock_bh(&ft->lock);

	msh_flow_release_src(ft, xchg(&f->src, NULL));
	atomic_dec(&ft->count);
	kfree_rcu(f, rcu);
}

/* The socket of @f, referenced, or NULL. Under rcu_read_lock(). */
static struct sock *msh_flow_sock(struct net *net, const struct msh_flow *f)
{
	struct inet_hashinfo *hinfo = msh_tcp_hashinfo(net);
	const struct msh_flow_key *k = &f->key;

	if (k->family == NFPROTO_IPV4)
		return __inet_lookup_established(net, hinfo, k->caddr.ip,
						 k->cport, k->saddr.ip,
						 ntohs(k->sport), f->dif,
						 f->sdif);
#if IS_ENABLED(CONFIG_IPV6)
	return __inet6_lookup_established(net, hinfo, &k->caddr.in6, k->cport,
					  &k->saddr.in6, ntohs(k->sport),
					  f->dif, f->sdif);
#else
	return NULL;
#endif
}

/* Does a socket in @state still take bytes from the client? */
static bool msh_sock_takes_data(int state)
{
	switch (state) {
	case TCP_NEW_SYN_RECV:
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
	case TCP_CLOSE_WAIT:	/* no more data, but the MTA holds it */
		return true;
	default:
		return false;
	}
}

/*
 * A SYN for the 4-tuple of @f: a new connection may reuse the 4-tuple once
 * the stack is done with the old one (the server's TIME_WAIT recycled by
 * the stack, or no socket left), and the old entry must not stand in its
 * way until the next GC pass. Under rcu_read_lock().
 */
void msh_flow_syn(struct msh_flows *ft, struct msh_flow *f)
{
	struct sock *sk = msh_flow_sock(ft->mn->net, f);

	if (!sk || !msh_sock_takes_data(sk->sk_state))
		msh_flow_remove(ft, f);
	if (sk)
		sock_gen_put(sk);
}

enum msh_gc_verdict { MSH_GC_KEEP, MSH_GC_REMOVE, MSH_GC_ABORT };

/*
 * What the GC does with @f, given its socket @sk (NULL if there is none).
 * An entry younger than the grace period is kept: its handshake ACK may
 * still be on its way into the stack.
 */
static enum msh_gc_verdict msh_flow_gc_verdict(const struct msh_flow *f,
					       const struct sock *sk,
					       unsigned long now,
					       unsigned long timeout)
{
	if (time_before(now, f->created + MSH_FLOW_GRACE_S * HZ))
		return MSH_GC_KEEP;
	if (!sk || !msh_sock_takes_data(sk->sk_state))
		return MSH_GC_REMOVE;
	if (sk->sk_state == TCP_NEW_SYN_RECV || !sk_fullsock(sk))
		return MSH_GC_KEEP;
	if (READ_ONCE(f->mode) == MSH_FLOW_BLOCKED)
		return MSH_GC_ABORT;
	if (READ_ONCE(f->mode) == MSH_FLOW_INSPECT &&
	    time_after(now, READ_ONCE(f->last) + timeout))
		return MSH_GC_ABORT;
	return MSH_GC_KEEP;
}

static void msh_flows_gc_chain(struct msh_flows *ft, struct hlist_head *head,
			       unsigned long now, unsigned long timeout)
{
	struct sock *abort[MSH_FLOWS_GC_ABORTS];
	unsigned int nabort = 0, i;
	struct msh_flow *f;
	struct sock *sk;

	rcu_read_lock();
	hlist_for_each_entry_rcu(f, head, node) {
		if (time_before(now, f->created + MSH_FLOW_GRACE_S * HZ))
			continue;
		sk = msh_flow_sock(ft->mn->net, f);
		switch (msh_flow_gc_verdict(f, sk, now, timeout)) {
		case MSH_GC_KEEP:
			break;
		case MSH_GC_REMOVE:
			msh_flow_remove(ft, f);
			break;
		case MSH_GC_ABORT:
			if (nabort == ARRAY_SIZE(abort))
				break;
			abort[nabort++] = sk;
			sk = NULL;	/* the reference goes with it */
			msh_flow_remove(ft, f);
			break;
		}
		if (sk)
			sock_gen_put(sk);
	}
	rcu_read_unlock();

	/* tcp_abort() takes the socket lock: process context, no RCU */
	for (i = 0; i < nabort; i++) {
		tcp_abort(abort[i], ECONNABORTED);
		sock_gen_put(abort[i]);
		msh_stats_count(ft->mn->stats, MSH_STAT_FLOWS_ABORTED, 1);
	}
}

void msh_flows_gc_run(struct msh_flows *ft)
{
	unsigned long timeout, now = jiffies;
	const struct msh_policy *p;
	unsigned int i;

	rcu_read_lock();
	p = rcu_dereference(ft->mn->policy);
	timeout = (unsigned long)p->smtp.flow_timeout * HZ;
	rcu_read_unlock();

	for (i = 0; i < (1U << MSH_FLOWS_HASH_BITS); i++) {
		if (!hlist_empty(&ft->buckets[i]))
			msh_flows_gc_chain(ft, &ft->buckets[i], now, timeout);
		if (!(i % MSH_FLOWS_GC_BATCH))
			cond_resched();
	}
}

static void msh_flows_gc(struct work_struct *work)
{
	struct msh_flows *ft = container_of(to_delayed_work(work),
					    struct msh_flows, gc);

	msh_flows_gc_run(ft);
	/* an insert queues it again */
	if (msh_flows_count(ft))
		queue_delayed_work(system_power_efficient_wq, &ft->gc,
				   MSH_FLOWS_GC_INTERVAL);
}

void msh_flows_policy_changed(struct msh_flows *ft,
			      const struct msh_policy *p)
{
	struct msh_flow *f;
	unsigned int i;

	for (i = 0; i < (1U << MSH_FLOWS_HASH_BITS); i++) {
		if (hlist_empty(&ft->buckets[i]))
			continue;
		rcu_read_lock();
		hlist_for_each_entry_rcu(f, &ft->buckets[i], node) {
			if (!p->enabled ||
			    !msh_policy_has_port(p, ntohs(f->key.sport)))
				msh_flow_remove(ft, f);
		}
		rcu_read_unlock();
		if (!(i % MSH_FLOWS_GC_BATCH))
			cond_resched();
	}
}

struct msh_flows *msh_flows_create(struct msh_net *mn,
				   struct msh_sources *sources)
{
	struct msh_flows *ft;
	unsigned int i;

	ft = kvzalloc(sizeof(*ft), GFP_KERNEL_ACCOUNT);
	if (!ft)
		return NULL;

	for (i = 0; i < (1U << MSH_FLOWS_HASH_BITS); i++)
		INIT_HLIST_HEAD(&ft->buckets[i]);
	spin_lock_init(&ft->lock);
	atomic_set(&ft->count, 0);
	ft->seed = get_random_u32();
	ft->hkey = msh_hash_key(get_random_u32(), get_random_u32());
	ft->sources = sources;
	ft->mn = mn;
	INIT_DELAYED_WORK(&ft->gc, msh_flows_gc);
	/* the first insert starts the GC */
	return ft;
}

/*
 * The hooks are gone (namespace exit after the RCU grace period): stops the
 * GC, then removes every flow, giving back its source's slot.
 */
void msh_flows_destroy(struct msh_flows *ft)
{
	struct hlist_node *tmp;
	struct msh_flow *f;
	unsigned int i;

	if (!ft)
		return;
	cancel_delayed_work_sync(&ft->gc);
	for (i = 0; i < (1U << MSH_FLOWS_HASH_BITS); i++) {
		hlist_for_each_entry_safe(f, tmp, &ft->buckets[i], node)
			msh_flow_remove(ft, f);
	}
	/* kfree_rcu()'d flows need no module code: no rcu_barrier() here */
	kvfree(ft);
}

int msh_flows_walk(struct msh_flows *ft, long *cursor, msh_flow_dump_fn fn,
		   void *arg)
{
	unsigned int bucket = *cursor >> 16, skip = *cursor & 0xffff;
	struct msh_flow *f;
	unsigned int pos;

	for (; bucket < (1U << MSH_FLOWS_HASH_BITS); bucket++, skip = 0) {
		pos = 0;
		rcu_read_lock();
		hlist_for_each_entry_rcu(f, &ft->buckets[bucket], node) {
			if (pos++ < skip)
				continue;
			if (fn(arg, f)) {
				rcu_read_unlock();
				*cursor = (long)bucket << 16 | (pos - 1);
				return -EMSGSIZE;
			}
		}
		rcu_read_unlock();
	}
	*cursor = (long)bucket << 16;
	return 0;
}
