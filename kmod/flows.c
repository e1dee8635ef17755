// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 */

#include "flows.h"
#include "netns.h"

#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>

#define MSH_FLOWS_GC_INTERVAL	(2 * HZ)
/* Chains visited per GC run before yielding the CPU. */
#define MSH_FLOWS_GC_BATCH	256

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

/**
 * msh_flow_add - insert a new flow
 * @ft: the table
 * @key: its 4-tuple (padding zeroed)
 * @cnext: the client's next sequence number
 * @snext: the server's next sequence number
 * @implicit_tls: the port speaks TLS from the first byte
 * @max_flows: the policy's cap
 * @out: the new (or existing) flow
 *
 * Softirq or process context, under rcu_read_lock().
 */
enum msh_flow_add_result msh_flow_add(struct msh_flows *ft,
				      const struct msh_flow_key *key,
				      u32 cnext, u32 snext, bool implicit_tls,
				      u32 max_flows, struct msh_flow **out)
{
	u32 h = msh_flow_hash(ft, key);
	struct msh_flow *f, *old;

	*out = NULL;
	if (!atomic_add_unless(&ft->count, 1, max_flows))
		return MSH_FLOW_FULL;

	f = kzalloc(sizeof(*f), GFP_ATOMIC);
	if (!f) {
		atomic_dec(&ft->count);
		return MSH_FLOW_NOMEM;
	}
	f->key = *key;
	spin_lock_init(&f->lock);
	f->cnext = cnext;
	f->snext = snext;
	f->created = jiffies;
	f->last = f->created;
	msh_smtp_init(&f->smtp, implicit_tls);

	if (ft->ops && ft->ops->open && ft->ops->open(ft->ops_ctx, f)) {
		atomic_dec(&ft->count);
		kfree(f);
		return MSH_FLOW_REFUSED;
	}

	spin_lock_bh(&ft->lock);
	hlist_for_each_entry(old, &ft->buckets[h], node) {
		if (msh_flow_key_eq(&old->key, key)) {
			/* Lost a race with another CPU: use its flow. */
			spin_unlock_bh(&ft->lock);
			if (ft->ops && ft->ops->close)
				ft->ops->close(ft->ops_ctx, f);
			atomic_dec(&ft->count);
			kfree(f);
			*out = old;
			return MSH_FLOW_EXISTS;
		}
	}
	hlist_add_head_rcu(&f->node, &ft->buckets[h]);
	ft->seq++;
	spin_unlock_bh(&ft->lock);

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
	f->unlinked = true;
	hlist_del_rcu(&f->node);
	ft->seq++;
	spin_unlock_bh(&ft->lock);

	if (ft->ops && ft->ops->close)
		ft->ops->close(ft->ops_ctx, f);
	atomic_dec(&ft->count);
	kfree_rcu(f, rcu);
}

static void msh_flows_gc(struct work_struct *work)
{
	struct msh_flows *ft = container_of(to_delayed_work(work),
					    struct msh_flows, gc);
	unsigned long timeout, now = jiffies;
	const struct msh_policy *p;
	struct msh_flow *f;
	unsigned int i;

	rcu_read_lock();
	p = rcu_dereference(ft->mn->policy);
	timeout = (unsigned long)p->smtp.flow_timeout * HZ;
	rcu_read_unlock();

	for (i = 0; i < (1U << MSH_FLOWS_HASH_BITS); i++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(f, &ft->buckets[i], node) {
			if (time_after(now, READ_ONCE(f->last) + timeout))
				msh_flow_remove(ft, f);
		}
		rcu_read_unlock();
		if (!(i % MSH_FLOWS_GC_BATCH))
			cond_resched();
	}

	queue_delayed_work(system_power_efficient_wq, &ft->gc,
			   MSH_FLOWS_GC_INTERVAL);
}

struct msh_flows *msh_flows_create(struct msh_net *mn)
{
	struct msh_flows *ft;
	unsigned int i;

	ft = kvzalloc(sizeof(*ft), GFP_KERNEL);
	if (!ft)
		return NULL;

	for (i = 0; i < (1U << MSH_FLOWS_HASH_BITS); i++)
		INIT_HLIST_HEAD(&ft->buckets[i]);
	spin_lock_init(&ft->lock);
	atomic_set(&ft->count, 0);
	ft->seed = get_random_u32();
	ft->mn = mn;
	INIT_DELAYED_WORK(&ft->gc, msh_flows_gc);
	queue_delayed_work(system_power_efficient_wq, &ft->gc,
			   MSH_FLOWS_GC_INTERVAL);
	return ft;
}

void msh_flows_set_ops(struct msh_flows *ft, const struct msh_flow_ops *ops,
		       void *ctx)
{
	ft->ops_ctx = ctx;
	ft->ops = ops;
}

/*
 * The hooks are gone (namespace exit after the RCU grace period): stops the
 * GC, then removes every flow, calling ops->close for each.
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
