// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Admitted-connection table; see conns.h. A fixed array of hlist buckets
 * (a quarter of the cap, power of two), one spinlock for writers, RCU for
 * readers, kfree_rcu() for entries.
 */

#include "conns.h"
#include "compat.h"
#include "sources.h"

#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/inet_timewait_sock.h>
#include <net/tcp_states.h>

struct msh_conn {
	struct hlist_node node;
	struct msh_conn_key key;
	struct msh_source *src;		/* holds one flow of it */
	u64 created;			/* msh_now() */
	struct rcu_head rcu;
};

struct msh_conns {
	spinlock_t lock;		/* writers of the buckets */
	struct hlist_head *buckets;
	u32 mask;
	u32 max;
	atomic_t count;
	u32 seed;
	struct net *net;
	struct msh_sources *srcs;
	bool stopping;			/* READ_ONCE: no more GC rounds */
	struct delayed_work gc_work;
};

static u32 msh_conn_hash(const struct msh_conns *ct,
			 const struct msh_conn_key *k)
{
	return jhash2((const u32 *)k, sizeof(*k) / sizeof(u32), ct->seed) &
	       ct->mask;
}

static struct msh_conn *msh_conn_find(struct hlist_head *head,
				      const struct msh_conn_key *k)
{
	struct msh_conn *c;

	hlist_for_each_entry_rcu(c, head, node) {
		if (!memcmp(&c->key, k, sizeof(*k)))
			return c;
	}
	return NULL;
}

bool msh_conns_lookup(struct msh_conns *ct, const struct msh_conn_key *k)
{
	bool found;

	rcu_read_lock();
	found = msh_conn_find(&ct->buckets[msh_conn_hash(ct, k)], k);
	rcu_read_unlock();
	return found;
}

enum msh_conn_insert msh_conns_insert(struct msh_conns *ct,
				      const struct msh_conn_key *k,
				      struct msh_source *src)
{
	struct hlist_head *head = &ct->buckets[msh_conn_hash(ct, k)];
	enum msh_conn_insert res = MSH_CONN_INSERTED;
	struct msh_conn *c;

	if (atomic_inc_return(&ct->count) > ct->max) {
		atomic_dec(&ct->count);
		return MSH_CONN_FULL;
	}
	c = kmalloc(sizeof(*c), GFP_ATOMIC);
	if (!c) {
		atomic_dec(&ct->count);
		return MSH_CONN_FULL;
	}
	c->key = *k;
	c->src = src;
	c->created = msh_now();

	spin_lock_bh(&ct->lock);
	if (msh_conn_find(head, k))
		res = MSH_CONN_EXISTS;
	else
		hlist_add_head_rcu(&c->node, head);
	spin_unlock_bh(&ct->lock);

	if (res != MSH_CONN_INSERTED) {
		atomic_dec(&ct->count);
		kfree(c);
	}
	return res;
}

/* Caller holds ct->lock; gives the flow back and frees the entry. */
static void msh_conn_remove(struct msh_conns *ct, struct msh_conn *c, u64 now)
{
	hlist_del_rcu(&c->node);
	atomic_dec(&ct->count);
	msh_source_flow_close(ct->srcs, c->src, now);
	kfree_rcu(c, rcu);
}

bool msh_conns_close(struct msh_conns *ct, const struct msh_conn_key *k)
{
	struct hlist_head *head = &ct->buckets[msh_conn_hash(ct, k)];
	struct msh_conn *c;

	if (!atomic_read(&ct->count))
		return false;
	spin_lock_bh(&ct->lock);
	c = msh_conn_find(head, k);
	if (c)
		msh_conn_remove(ct, c, msh_now());
	spin_unlock_bh(&ct->lock);
	return c;
}

u32 msh_conns_count(struct msh_conns *ct)
{
	return atomic_read(&ct->count);
}

/* Is there still an established (or half-closed) socket for @k? */
static bool msh_conn_alive(struct net *net, const struct msh_conn_key *k)
{
	struct inet_hashinfo *hinfo = msh_tcp_hashinfo(net);
	struct sock *sk = NULL;
	bool alive;

	rcu_read_lock();
	if (k->family == AF_INET)
		sk = __inet_lookup_established(net, hinfo, k->saddr.ip,
					       k->sport, k->daddr.ip,
					       ntohs(k->dport), 0, 0);
#if IS_ENABLED(CONFIG_IPV6)
	else
		sk = __inet6_lookup_established(net, hinfo, &k->saddr.in6,
						k->sport, &k->daddr.in6,
						ntohs(k->dport), 0, 0);
#endif
	alive = sk && sk->sk_state == TCP_ESTABLISHED;
	if (sk)
		sock_gen_put(sk);
	rcu_read_unlock();
	return alive;
}

/*
 * @all: close every entry (teardown). Otherwise close those older than
 * the grace period whose socket is gone.
 */
unsigned int msh_conns_gc(struct msh_conns *ct, bool all)
{
	u64 now = msh_now(), grace = (u64)MSH_CONNS_GRACE_S * NSEC_PER_SEC;
	unsigned int closed = 0;
	struct hlist_node *tmp;
	struct msh_conn *c;
	u32 i;

	for (i = 0; i <= ct->mask; i++) {
		if (hlist_empty(&ct->buckets[i]))
			continue;
		spin_lock_bh(&ct->lock);
		hlist_for_each_entry_safe(c, tmp, &ct->buckets[i], node) {
			if (!all && (now - c->created < grace ||
				     msh_conn_alive(ct->net, &c->key)))
				continue;
			msh_conn_remove(ct, c, now);
			closed++;
		}
		spin_unlock_bh(&ct->lock);
		if ((i & 63) == 63)
			cond_resched();
	}
	return closed;
}

static void msh_conns_gc_work(struct work_struct *work)
{
	struct msh_conns *ct = container_of(to_delayed_work(work),
					    struct msh_conns, gc_work);

	msh_conns_gc(ct, false);
	if (!READ_ONCE(ct->stopping))
		queue_delayed_work(system_power_efficient_wq, &ct->gc_work,
				   MSH_CONNS_GC_S * HZ);
}

struct msh_conns *msh_conns_create(struct net *net, struct msh_sources *srcs,
				   u32 max)
{
	struct msh_conns *ct;
	u32 n;

	ct = kzalloc(sizeof(*ct), GFP_KERNEL);
	if (!ct)
		return NULL;
	n = roundup_pow_of_two(clamp(max / 4, 64U, 1U << 18));
	ct->buckets = kvcalloc(n, sizeof(*ct->buckets), GFP_KERNEL);
	if (!ct->buckets) {
		kfree(ct);
		return NULL;
	}
	ct->mask = n - 1;
	ct->max = max;
	ct->net = net;
	ct->srcs = srcs;
	ct->seed = get_random_u32();
	spin_lock_init(&ct->lock);
	atomic_set(&ct->count, 0);
	INIT_DELAYED_WORK(&ct->gc_work, msh_conns_gc_work);
	queue_delayed_work(system_power_efficient_wq, &ct->gc_work,
			   MSH_CONNS_GC_S * HZ);
	return ct;
}

/*
 * No hook can reach the table any more (the caller waited for a grace
 * period after unhooking). Gives every flow back, so the source table may
 * be destroyed after this.
 */
void msh_conns_destroy(struct msh_conns *ct)
{
	if (!ct)
		return;
	WRITE_ONCE(ct->stopping, true);
	cancel_delayed_work_sync(&ct->gc_work);
	msh_conns_gc(ct, true);
	kvfree(ct->buckets);
	kfree(ct);
}
