// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Per-source state table. A fixed array of hlist buckets sized at creation
 * (like drivers/net/wireguard/ratelimiter.c): readers walk a bucket under
 * RCU, inserts and removals take the table spinlock, and each entry has its
 * own spinlock for its counters. Lock order: table lock, then entry lock.
 *
 * Entries are removed only by the GC (idle entries) and by destroy. Removal
 * marks the entry dead under its lock before unlinking it, so a path that
 * found it under RCU and then takes its lock sees "dead" and looks up again;
 * the memory itself is freed with kfree_rcu().
 */

#include "sources.h"

#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>

#define MSH_BUCKETS_MIN		64U
#define MSH_BUCKETS_MAX		BIT(20)

struct msh_src_key {
	union nf_inet_addr addr;	/* masked; unused bytes zero */
	u8 family;
	u8 plen;
	u16 zero;
};

enum msh_counter { MSH_CNT_VIOL, MSH_CNT_RCPT, MSH_CNT_REFUSED };

struct msh_source {
	struct hlist_node node;
	struct msh_src_key key;
	spinlock_t lock;		/* everything below */
	u32 flows;
	u8 ban_reason;
	bool dead;			/* unlinked; set under lock */
	u32 last_seen_s;
	u32 full_at_s;			/* bucket full again from then */
	u32 hold_until_s;		/* windows not empty before then */
	u32 viol_total;
	struct msh_tb tb;
	u64 ban_until;			/* ns; U64_MAX: until unbanned */
	union {
		/* Only touched after checking !dead under the lock. */
		struct msh_window win[3];	/* enum msh_counter */
		struct rcu_head rcu;		/* once dead */
	};
	u32 rcpt_total;
};

struct msh_sources {
	spinlock_t lock;		/* bucket writers */
	struct hlist_head *buckets;
	u32 mask;
	atomic_t count;
	atomic_t seq;			/* bumped on insert and removal */
	siphash_key_t key;

	struct mutex cfg_lock;		/* configure() writers */
	u32 max_entries;		/* READ_ONCE: all of these */
	u32 reserve;			/* extra room for manual bans */
	u8 prefix4;
	u8 prefix6;
	u8 full_action;
	u32 idle_timeout_s;
	u32 gc_interval_s;

	msh_source_event_fn expired_fn;
	void *ctx;
	struct delayed_work gc_work;

	atomic_long_t created, full, nomem, gc_freed, bans, ban_expired,
		      underflow;
};

static inline __be32 msh_v4_mask(u8 plen)
{
	return plen ? htonl(~0U << (32 - plen)) : 0;
}

/* Builds the key; prefix_len 0 means the table's keying prefix. */
static int msh_key_make(struct msh_sources *tbl, u8 family,
			const union nf_inet_addr *addr, u8 prefix_len,
			struct msh_src_key *k, const char **msg)
{
	u8 plen;

	memset(k, 0, sizeof(*k));
	if (family == AF_INET) {
		plen = READ_ONCE(tbl->prefix4);
		k->addr.ip = addr->ip & msh_v4_mask(plen);
	} else if (family == AF_INET6) {
		plen = READ_ONCE(tbl->prefix6);
		ipv6_addr_prefix(&k->addr.in6, &addr->in6, plen);
	} else {
		*msg = "address family must be IPv4 or IPv6";
		return -EINVAL;
	}
	if (prefix_len && prefix_len != plen) {
		*msg = "prefix length must equal the source keying prefix";
		return -EINVAL;
	}
	k->family = family;
	k->plen = plen;
	return 0;
}

static inline struct hlist_head *msh_bucket(struct msh_sources *tbl,
					    const struct msh_src_key *k)
{
	return &tbl->buckets[siphash(k, sizeof(*k), &tbl->key) & tbl->mask];
}

static struct msh_source *msh_find(struct hlist_head *head,
				   const struct msh_src_key *k)
{
	struct msh_source *e;

	hlist_for_each_entry_rcu(e, head, node) {
		if (!memcmp(&e->key, k, sizeof(*k)))
			return e;
	}
	return NULL;
}

/* Caller holds rcu_read_lock(). */
static enum msh_lookup_result msh_get(struct msh_sources *tbl,
				      const struct msh_src_key *k, u64 now,
				      bool manual, struct msh_source **out)
{
	struct hlist_head *head = msh_bucket(tbl, k);
	struct msh_source *e, *n;
	u32 limit;

	e = msh_find(head, k);
	if (e) {
		*out = e;
		return MSH_SRC_FOUND;
	}
	*out = NULL;
	limit = READ_ONCE(tbl->max_entries);
	if (manual)
		limit += READ_ONCE(tbl->reserve);
	if (atomic_read(&tbl->count) >= limit)
		goto full;

	n = kzalloc(sizeof(*n), GFP_ATOMIC | __GFP_NOWARN);
	if (!n) {
		atomic_long_inc(&tbl->nomem);
		return MSH_SRC_NOMEM;
	}
	n->key = *k;
	spin_lock_init(&n->lock);
	msh_tb_init(&n->tb, now);
	n->last_seen_s = msh_secs(now);

	spin_lock_bh(&tbl->lock);
	e = msh_find(head, k);
	if (e) {
		spin_unlock_bh(&tbl->lock);
		kfree(n);
		*out = e;
		return MSH_SRC_FOUND;
	}
	if (atomic_read(&tbl->count) >= limit) {
		spin_unlock_bh(&tbl->lock);
		kfree(n);
		goto full;
	}
	hlist_add_head_rcu(&n->node, head);
	atomic_inc(&tbl->count);
	/* the GC sleeps while the table is empty */
	if (READ_ONCE(tbl->gc_interval_s))
		queue_delayed_work(system_power_efficient_wq, &tbl->gc_work,
				   READ_ONCE(tbl->gc_interval_s) * HZ);
	atomic_inc(&tbl->seq);
	spin_unlock_bh(&tbl->lock);
	atomic_long_inc(&tbl->created);
	*out = n;
	return MSH_SRC_CREATED;
full:
	atomic_long_inc(&tbl->full);
	return MSH_SRC_FULL;
}

struct msh_source *msh_sources_lookup(struct msh_sources *tbl, u8 family,
				      const union nf_inet_addr *addr)
{
	struct msh_src_key k;
	const char *msg;

	if (msh_key_make(tbl, family, addr, 0, &k, &msg))
		return NULL;
	return msh_find(msh_bucket(tbl, &k), &k);
}

enum msh_lookup_result
msh_sources_lookup_or_create(struct msh_sources *tbl, u8 family,
			     const union nf_inet_addr *addr, u64 now,
			     struct msh_source **out)
{
	struct msh_src_key k;
	const char *msg;

	*out = NULL;
	if (msh_key_make(tbl, family, addr, 0, &k, &msg))
		return MSH_SRC_INVALID;
	return msh_get(tbl, &k, now, false, out);
}

enum msh_full_action msh_sources_full_action(struct msh_sources *tbl)
{
	return READ_ONCE(tbl->full_action);
}

/* --- per-entry state, all under e->lock --- */

static enum msh_ban_state msh_ban_eval(struct msh_sources *tbl,
				       struct msh_source *e, u64 now,
				       enum msh_ban_reason *reason)
{
	*reason = e->ban_reason;
	if (e->ban_reason == MSH_BAN_NONE)
		return MSH_BAN_STATE_NONE;
	if (now < e->ban_until)
		return MSH_BAN_STATE_ACTIVE;
	e->ban_reason = MSH_BAN_NONE;
	e->ban_until = 0;
	atomic_long_inc(&tbl->ban_expired);
	return MSH_BAN_STATE_EXPIRED;
}

static void msh_ban_set(struct msh_sources *tbl, struct msh_source *e,
			u64 now, u32 duration_s, enum msh_ban_reason reason)
{
	e->ban_reason = reason;
	e->ban_until = duration_s ? now + (u64)duration_s * NSEC_PER_SEC :
				    U64_MAX;
	atomic_long_inc(&tbl->bans);
}

/* Adds one event to counter c, keeping the entry while it counts. */
static u32 msh_count_add(struct msh_source *e, enum msh_counter c, u32 now_s,
			 u32 len)
{
	u32 est = msh_window_add(&e->win[c], now_s, len);

	e->hold_until_s = max(e->hold_until_s, e->win[c].start_s + 2 * len);
	return est;
}

enum msh_admit_verdict msh_source_admit(struct msh_sources *tbl,
					struct msh_source *src, u64 now,
					const struct msh_limits *lim,
					struct msh_admit_info *info)
{
	enum msh_admit_verdict v = MSH_ADMIT_OK;
	u32 now_s = msh_secs(now), full_in;
	enum msh_ban_reason reason;
	bool ok;

	if (info)
		memset(info, 0, sizeof(*info));
	spin_lock_bh(&src->lock);
	if (src->dead) {
		spin_unlock_bh(&src->lock);
		return MSH_ADMIT_STALE;
	}
	src->last_seen_s = now_s;
	switch (msh_ban_eval(tbl, src, now, &reason)) {
	case MSH_BAN_STATE_ACTIVE:
		v = MSH_ADMIT_BANNED;
		goto out;
	case MSH_BAN_STATE_EXPIRED:
		if (info)
			info->expired = reason;
		break;
	case MSH_BAN_STATE_NONE:
		break;
	}
	if (lim->max_conns && src->flows >= lim->max_conns) {
		v = MSH_ADMIT_OVER_CONCURRENCY;
	} else {
		ok = msh_tb_take(&src->tb, now, lim->rate_per_min, lim->burst,
				 &full_in);
		src->full_at_s = now_s + full_in;
		if (ok)
			src->flows++;
		else
			v = MSH_ADMIT_OVER_RATE;
	}

	if (v != MSH_ADMIT_OK &&
	    msh_count_add(src, MSH_CNT_REFUSED, now_s, lim->window_s) >=
	    lim->refuse_threshold && lim->refuse_threshold) {
		reason = v == MSH_ADMIT_OVER_RATE ? MSH_BAN_RATE :
						    MSH_BAN_CONCURRENCY;
		msh_ban_set(tbl, src, now, lim->ban_s, reason);
		if (info)
			info->banned = reason;
	}
out:
	spin_unlock_bh(&src->lock);
	return v;
}

void msh_source_flow_close(struct msh_sources *tbl, struct msh_source *src,
			   u64 now)
{
	spin_lock_bh(&src->lock);
	if (likely(src->flows))
		src->flows--;
	else
		atomic_long_inc(&tbl->underflow);
	src->last_seen_s = msh_secs(now);
	spin_unlock_bh(&src->lock);
}

bool msh_source_count(struct msh_sources *tbl, struct msh_source *src,
		      u64 now, const struct msh_limits *lim,
		      enum msh_count_kind kind)
{
	enum msh_counter c = kind == MSH_COUNT_VIOLATION ? MSH_CNT_VIOL :
							   MSH_CNT_RCPT;
	u32 threshold = c == MSH_CNT_VIOL ? lim->violation_threshold :
					    lim->rcpt_threshold;
	enum msh_ban_reason old;
	u32 now_s = msh_secs(now);
	bool banned = false;
	u32 est;

	spin_lock_bh(&src->lock);
	if (src->dead)
		goto out;
	src->last_seen_s = now_s;
	if (c == MSH_CNT_VIOL)
		src->viol_total += src->viol_total < U32_MAX;
	else
		src->rcpt_total += src->rcpt_total < U32_MAX;
	est = msh_count_add(src, c, now_s, lim->window_s);
	if (threshold && est >= threshold &&
	    msh_ban_eval(tbl, src, now, &old) != MSH_BAN_STATE_ACTIVE) {
		msh_ban_set(tbl, src, now, lim->ban_s,
			    c == MSH_CNT_VIOL ? MSH_BAN_VIOLATIONS :
						MSH_BAN_RECIPIENTS);
		banned = true;
	}
out:
	spin_unlock_bh(&src->lock);
	return banned;
}

bool msh_source_banned(struct msh_source *src, u64 now,
		       enum msh_ban_reason *reason)
{
	bool banned;

	spin_lock_bh(&src->lock);
	banned = !src->dead && src->ban_reason != MSH_BAN_NONE &&
		 now < src->ban_until;
	*reason = banned ? src->ban_reason : MSH_BAN_NONE;
	spin_unlock_bh(&src->lock);
	return banned;
}

/* Under e->lock, e not dead. Does not lift an expired ban. */
static void msh_info_fill(const struct msh_source *e, u64 now,
			  const struct msh_limits *lim,
			  struct msh_source_info *info)
{
	u32 now_s = msh_secs(now), len = lim ? lim->window_s : 0;
	u32 vlen = lim && lim->viol_window_s ? lim->viol_window_s : len;
	u32 rlen = lim && lim->rcpt_window_s ? lim->rcpt_window_s : len;

	memset(info, 0, sizeof(*info));
	info->addr = e->key.addr;
	info->family = e->key.family;
	info->prefix_len = e->key.plen;
	info->flows = e->flows;
	if (e->ban_reason != MSH_BAN_NONE && now < e->ban_until) {
		info->ban_reason = e->ban_reason;
		info->ban_left_ms = e->ban_until == U64_MAX ? U64_MAX :
			div_u64(e->ban_until - now + NSEC_PER_MSEC - 1,
				NSEC_PER_MSEC);
	}
	if (lim)
		info->tokens = msh_tb_available(&e->tb, now, lim->rate_per_min,
						lim->burst);
	info->violations = msh_window_estimate(&e->win[MSH_CNT_VIOL], now_s,
					       vlen);
	info->bad_rcpts = msh_window_estimate(&e->win[MSH_CNT_RCPT], now_s,
					      rlen);
	info->refusals = msh_window_estimate(&e->win[MSH_CNT_REFUSED], now_s,
					     len);
	info->violations_total = e->viol_total;
	info->bad_rcpts_total = e->rcpt_total;
	info->idle_s = now_s > e->last_seen_s ? now_s - e->last_seen_s : 0;
}

enum msh_ban_state msh_sources_ban_check(struct msh_sources *tbl, u8 family,
					 const union nf_inet_addr *addr,
					 u64 now, enum msh_ban_reason *reason)
{
	enum msh_ban_state st = MSH_BAN_STATE_NONE;
	struct msh_source *e;

	*reason = MSH_BAN_NONE;
	rcu_read_lock();
	e = msh_sources_lookup(tbl, family, addr);
	if (e) {
		spin_lock_bh(&e->lock);
		if (!e->dead)
			st = msh_ban_eval(tbl, e, now, reason);
		spin_unlock_bh(&e->lock);
	}
	rcu_read_unlock();
	return st;
}

/* --- control plane --- */

static int msh_ban_key(struct msh_sources *tbl, const struct msh_src_key *k,
		       u64 now, u32 duration_s, enum msh_ban_reason reason,
		       u64 until, const char **msg)
{
	struct msh_source *e;
	int tries, err = -EAGAIN;

	for (tries = 0; tries < 3 && err == -EAGAIN; tries++) {
		rcu_read_lock();
		switch (msh_get(tbl, k, now, true, &e)) {
		case MSH_SRC_FULL:
			*msg = "source table is full";
			err = -ENOSPC;
			break;
		case MSH_SRC_NOMEM:
			*msg = "out of memory for a source entry";
			err = -ENOMEM;
			break;
		default:
			spin_lock_bh(&e->lock);
			if (!e->dead) {
				msh_ban_set(tbl, e, now, duration_s, reason);
				if (until)	/* carry an existing deadline */
					e->ban_until = max(e->ban_until, until);
				e->last_seen_s = msh_secs(now);
				err = 0;
			}
			spin_unlock_bh(&e->lock);
		}
		rcu_read_unlock();
	}
	return err;
}

int msh_sources_ban(struct msh_sources *tbl, u8 family,
		    const union nf_inet_addr *addr, u8 prefix_len, u64 now,
		    u32 duration_s, enum msh_ban_reason reason,
		    const char **msg)
{
	struct msh_src_key k;
	int err;

	if (reason == MSH_BAN_NONE || reason >= __MSH_BAN_MAX) {
		*msg = "unknown ban reason";
		return -EINVAL;
	}
	if (duration_s > MSH_BAN_MAX_S) {
		*msg = "ban duration must be 0 (until unbanned)..31622400 seconds";
		return -EINVAL;
	}
	err = msh_key_make(tbl, family, addr, prefix_len, &k, msg);
	if (err)
		return err;
	return msh_ban_key(tbl, &k, now, duration_s, reason, 0, msg);
}

int msh_sources_unban(struct msh_sources *tbl, u8 family,
		      const union nf_inet_addr *addr, u8 prefix_len,
		      const char **msg)
{
	struct msh_src_key k;
	struct msh_source *e;
	int err;

	err = msh_key_make(tbl, family, addr, prefix_len, &k, msg);
	if (err)
		return err;
	err = -ENOENT;
	rcu_read_lock();
	e = msh_find(msh_bucket(tbl, &k), &k);
	if (e) {
		spin_lock_bh(&e->lock);
		if (!e->dead && e->ban_reason != MSH_BAN_NONE) {
			e->ban_reason = MSH_BAN_NONE;
			e->ban_until = 0;
			err = 0;
		}
		spin_unlock_bh(&e->lock);
	}
	rcu_read_unlock();
	if (err)
		*msg = "source is not banned";
	return err;
}

/*
 * After a keying prefix change, every active ban on an entry keyed with
 * another prefix is applied to the entry of the new prefix that covers its
 * network address (same reason, deadline kept). A shorter new prefix thus
 * bans the whole new prefix; a longer one keeps only the first sub-prefix
 * banned. The old entries lose their ban and age out through the GC.
 */
static void msh_sources_rekey_bans(struct msh_sources *tbl, u64 now)
{
	struct msh_source *e;
	const char *msg;
	u32 i;

	for (i = 0; i <= tbl->mask; i++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(e, &tbl->buckets[i], node) {
			enum msh_ban_reason reason = MSH_BAN_NONE;
			struct msh_src_key k;
			u64 until = 0;

			spin_lock_bh(&e->lock);
			if (!e->dead && e->ban_reason != MSH_BAN_NONE &&
			    now < e->ban_until) {
				reason = e->ban_reason;
				until = e->ban_until;
			}
			spin_unlock_bh(&e->lock);
			if (reason == MSH_BAN_NONE ||
			    msh_key_make(tbl, e->key.family, &e->key.addr, 0,
					 &k, &msg) ||
			    k.plen == e->key.plen)
				continue;
			if (msh_ban_key(tbl, &k, now, 1, reason, until, &msg))
				continue;
			/* carried over: let the old entry age out */
			spin_lock_bh(&e->lock);
			if (e->ban_until == until)
				e->ban_reason = MSH_BAN_NONE;
			spin_unlock_bh(&e->lock);
		}
		rcu_read_unlock();
		cond_resched();
	}
}

static void msh_sources_apply(struct msh_sources *tbl,
			      const struct msh_sources_config *cfg)
{
	WRITE_ONCE(tbl->max_entries, cfg->max_entries);
	WRITE_ONCE(tbl->reserve, max(64U, cfg->max_entries / 64));
	WRITE_ONCE(tbl->prefix4, cfg->prefix4);
	WRITE_ONCE(tbl->prefix6, cfg->prefix6);
	WRITE_ONCE(tbl->full_action, cfg->full_action);
	WRITE_ONCE(tbl->idle_timeout_s, cfg->idle_timeout_s);
	WRITE_ONCE(tbl->gc_interval_s, cfg->gc_interval_s);
}

int msh_sources_configure(struct msh_sources *tbl,
			  const struct msh_sources_config *cfg, u64 now,
			  const char **msg)
{
	bool rekey, gc;
	int err;

	err = msh_sources_config_check(cfg, msg);
	if (err)
		return err;
	mutex_lock(&tbl->cfg_lock);
	rekey = cfg->prefix4 != tbl->prefix4 || cfg->prefix6 != tbl->prefix6;
	gc = cfg->gc_interval_s && cfg->gc_interval_s != tbl->gc_interval_s;
	msh_sources_apply(tbl, cfg);
	if (gc)
		mod_delayed_work(system_power_efficient_wq, &tbl->gc_work,
				 cfg->gc_interval_s * HZ);
	if (rekey)
		msh_sources_rekey_bans(tbl, now);
	mutex_unlock(&tbl->cfg_lock);
	return 0;
}

void msh_sources_get_stats(struct msh_sources *tbl,
			   struct msh_sources_stats *st)
{
	st->entries = atomic_read(&tbl->count);
	st->created = atomic_long_read(&tbl->created);
	st->full = atomic_long_read(&tbl->full);
	st->nomem = atomic_long_read(&tbl->nomem);
	st->gc_freed = atomic_long_read(&tbl->gc_freed);
	st->bans = atomic_long_read(&tbl->bans);
	st->ban_expired = atomic_long_read(&tbl->ban_expired);
	st->flow_underflow = atomic_long_read(&tbl->underflow);
}

unsigned int msh_sources_seq(struct msh_sources *tbl)
{
	return atomic_read(&tbl->seq);
}

/* --- GC and dump --- */

static bool msh_idle(const struct msh_source *e, u32 now_s, u32 idle_s)
{
	return !e->flows && e->ban_reason == MSH_BAN_NONE &&
	       now_s >= e->full_at_s && now_s >= e->hold_until_s &&
	       now_s >= e->last_seen_s + idle_s;
}

unsigned int msh_sources_gc(struct msh_sources *tbl, u64 now)
{
	u32 idle_s = READ_ONCE(tbl->idle_timeout_s), now_s = msh_secs(now);
	struct msh_source_info info;
	enum msh_ban_reason reason;
	unsigned int freed = 0;
	struct msh_source *e;
	bool expired, idle;
	u32 i;

	for (i = 0; i <= tbl->mask; i++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(e, &tbl->buckets[i], node) {
			spin_lock_bh(&e->lock);
			if (e->dead) {
				spin_unlock_bh(&e->lock);
				continue;
			}
			expired = msh_ban_eval(tbl, e, now, &reason) ==
				  MSH_BAN_STATE_EXPIRED;
			if (expired) {
				msh_info_fill(e, now, NULL, &info);
				info.ban_reason = reason;
			}
			idle = msh_idle(e, now_s, idle_s);
			spin_unlock_bh(&e->lock);
			if (expired && tbl->expired_fn)
				tbl->expired_fn(tbl->ctx, &info);
			if (!idle)
				continue;

			spin_lock_bh(&tbl->lock);
			spin_lock(&e->lock);
			idle = !e->dead && msh_idle(e, now_s, idle_s);
			if (idle) {
				e->dead = true;
				hlist_del_rcu(&e->node);
				atomic_dec(&tbl->count);
				atomic_inc(&tbl->seq);
			}
			spin_unlock(&e->lock);
			spin_unlock_bh(&tbl->lock);
			if (idle) {
				kfree_rcu(e, rcu);
				freed++;
			}
		}
		rcu_read_unlock();
		if ((i & 63) == 63)
			cond_resched();
	}
	atomic_long_add(freed, &tbl->gc_freed);
	return freed;
}

static void msh_sources_gc_work(struct work_struct *work)
{
	struct msh_sources *tbl = container_of(to_delayed_work(work),
					       struct msh_sources, gc_work);
	u32 iv;

	msh_sources_gc(tbl, msh_now());
	iv = READ_ONCE(tbl->gc_interval_s);
	/* an insert queues it again */
	if (iv && atomic_read(&tbl->count))
		queue_delayed_work(system_power_efficient_wq, &tbl->gc_work,
				   iv * HZ);
}

/*
 * cursor[0] is the bucket, cursor[1] the number of entries of that bucket
 * already passed. Inserts at a bucket's head or removals between two calls
 * can make an entry show twice or not at all; msh_sources_seq() changes
 * whenever that can happen (for nl_dump_check_consistent()).
 */
int msh_sources_dump(struct msh_sources *tbl, long *cursor, u64 now,
		     const struct msh_limits *lim, unsigned int flags,
		     msh_source_dump_fn fn, void *arg)
{
	unsigned long b = cursor[0], pos = cursor[1], idx;
	struct msh_source_info info;
	struct msh_source *e;
	bool ok;

	rcu_read_lock();
	for (; b <= tbl->mask; b++, pos = 0) {
		idx = 0;
		hlist_for_each_entry_rcu(e, &tbl->buckets[b], node) {
			if (idx++ < pos)
				continue;
			spin_lock_bh(&e->lock);
			ok = !e->dead;
			if (ok)
				msh_info_fill(e, now, lim, &info);
			spin_unlock_bh(&e->lock);
			if (!ok || ((flags & MSH_DUMP_BANNED_ONLY) &&
				    info.ban_reason == MSH_BAN_NONE))
				continue;
			if (fn(arg, &info)) {
				rcu_read_unlock();
				cursor[0] = b;
				cursor[1] = idx - 1;
				return -EMSGSIZE;
			}
		}
	}
	rcu_read_unlock();
	cursor[0] = b;
	cursor[1] = 0;
	return 0;
}

/* --- lifetime --- */

struct msh_sources *msh_sources_create(const struct msh_sources_config *cfg,
				       msh_source_event_fn expired_fn,
				       void *ctx)
{
	struct msh_sources_config def;
	struct msh_sources *tbl;
	const char *msg;
	u32 n;

	/* 128 bytes per entry (kmalloc-128) without lock debugging */
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_DEBUG_SPINLOCK) &&
		     !IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) &&
		     sizeof(struct msh_source) > 128);

	if (!cfg) {
		msh_sources_config_default(&def);
		cfg = &def;
	}
	if (msh_sources_config_check(cfg, &msg))
		return NULL;
	tbl = kzalloc(sizeof(*tbl), GFP_KERNEL_ACCOUNT);
	if (!tbl)
		return NULL;
	n = roundup_pow_of_two(clamp(cfg->max_entries / 4, MSH_BUCKETS_MIN,
				     MSH_BUCKETS_MAX));
	tbl->buckets = kvcalloc(n, sizeof(*tbl->buckets), GFP_KERNEL_ACCOUNT);
	if (!tbl->buckets) {
		kfree(tbl);
		return NULL;
	}
	tbl->mask = n - 1;
	spin_lock_init(&tbl->lock);
	mutex_init(&tbl->cfg_lock);
	get_random_bytes(&tbl->key, sizeof(tbl->key));
	msh_sources_apply(tbl, cfg);
	tbl->expired_fn = expired_fn;
	tbl->ctx = ctx;
	INIT_DEFERRABLE_WORK(&tbl->gc_work, msh_sources_gc_work);
	/* the first insert starts the GC */
	return tbl;
}

/*
 * The caller guarantees that no reader can reach the table any more: the
 * hooks are unregistered (nf_unregister_net_hooks() waits for a grace
 * period) and no netlink handler of the namespace can run. Entries are
 * freed with kfree_rcu() all the same; nothing here queues a callback into
 * module code, so module exit needs no rcu_barrier() for this table.
 */
void msh_sources_destroy(struct msh_sources *tbl)
{
	struct msh_source *e;
	struct hlist_node *tmp;
	u32 i;

	if (!tbl)
		return;
	WRITE_ONCE(tbl->gc_interval_s, 0);
	cancel_delayed_work_sync(&tbl->gc_work);
	for (i = 0; i <= tbl->mask; i++) {
		hlist_for_each_entry_safe(e, tmp, &tbl->buckets[i], node) {
			hlist_del_rcu(&e->node);
			kfree_rcu(e, rcu);
		}
		if ((i & 63) == 63)
			cond_resched();
	}
	kvfree(tbl->buckets);
	mutex_destroy(&tbl->cfg_lock);
	kfree(tbl);
}
