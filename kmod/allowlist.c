// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Allowlist of CIDRs. A set is one allocation: IPv4 entries fill its array
 * from the front, IPv6 entries from the back, so a lookup scans only its
 * own family. With at most 256 entries a linear scan of (addr ^ net) & mask
 * is as fast as a trie and needs no rebalancing; sets are immutable once
 * published and replaced whole, old sets freed with kfree_rcu().
 */

#include "allowlist.h"

#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/ipv6.h>

struct msh_al_entry {
	union nf_inet_addr net;
	union nf_inet_addr mask;
	u8 prefix_len;
};

struct msh_allowlist_set {
	struct rcu_head rcu;
	u16 cap;
	u16 n4;		/* entries[0 .. n4) */
	u16 n6;		/* entries[cap - n6 .. cap) */
	struct msh_al_entry entries[];
};

struct msh_allowlist {
	struct msh_allowlist_set __rcu *set;
	struct mutex lock;	/* commit writers */
};

static void msh_al_mask(u8 family, u8 plen, union nf_inet_addr *m)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	if (family == AF_INET) {
		m->ip = plen ? htonl(~0U << (32 - plen)) : 0;
		return;
	}
	for (i = 0; i < 4 && plen; i++) {
		u8 bits = min_t(u8, plen, 32);

		m->all[i] = htonl(~0U << (32 - bits));
		plen -= bits;
	}
}

static inline bool msh_al_hit(const struct msh_al_entry *e, u8 family,
			      const union nf_inet_addr *a)
{
	if (family == AF_INET)
		return !((a->ip ^ e->net.ip) & e->mask.ip);
	return !(((a->all[0] ^ e->net.all[0]) & e->mask.all[0]) |
		 ((a->all[1] ^ e->net.all[1]) & e->mask.all[1]) |
		 ((a->all[2] ^ e->net.all[2]) & e->mask.all[2]) |
		 ((a->all[3] ^ e->net.all[3]) & e->mask.all[3]));
}

bool msh_allowlist_match(const struct msh_allowlist *al, u8 family,
			 const union nf_inet_addr *addr)
{
	const struct msh_allowlist_set *s = rcu_dereference(al->set);
	unsigned int i, end;

	if (!s)
		return false;
	if (family == AF_INET) {
		i = 0;
		end = s->n4;
	} else if (family == AF_INET6) {
		i = s->cap - s->n6;
		end = s->cap;
	} else {
		return false;
	}
	for (; i < end; i++) {
		if (msh_al_hit(&s->entries[i], family, addr))
			return true;
	}
	return false;
}

int msh_allowlist_check(const struct msh_cidr *c, const char **msg)
{
	union nf_inet_addr m;
	unsigned int i;

	if (c->family == AF_INET) {
		if (!c->prefix_len || c->prefix_len > 32) {
			*msg = "IPv4 allowlist prefix length must be 1..32";
			return -EINVAL;
		}
	} else if (c->family == AF_INET6) {
		if (!c->prefix_len || c->prefix_len > 128) {
			*msg = "IPv6 allowlist prefix length must be 1..128";
			return -EINVAL;
		}
	} else {
		*msg = "allowlist address family must be IPv4 or IPv6";
		return -EINVAL;
	}
	msh_al_mask(c->family, c->prefix_len, &m);
	for (i = 0; i < (c->family == AF_INET ? 1 : 4); i++) {
		if (c->addr.all[i] & ~m.all[i]) {
			*msg = "allowlist address has host bits set beyond its prefix length";
			return -EINVAL;
		}
	}
	return 0;
}

struct msh_allowlist_set *msh_allowlist_set_alloc(unsigned int n)
{
	struct msh_allowlist_set *s;

	if (n > MSH_ALLOWLIST_MAX)
		return ERR_PTR(-E2BIG);
	s = kzalloc(struct_size(s, entries, n), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->cap = n;
	return s;
}

void msh_allowlist_set_free(struct msh_allowlist_set *set)
{
	kfree(set);
}

int msh_allowlist_set_add(struct msh_allowlist_set *set,
			  const struct msh_cidr *c, const char **msg)
{
	struct msh_al_entry *e;
	unsigned int i, lo, hi;
	int err;

	err = msh_allowlist_check(c, msg);
	if (err)
		return err;
	if (set->n4 + set->n6 >= set->cap) {
		*msg = "too many allowlist entries";
		return -E2BIG;
	}
	if (c->family == AF_INET) {
		lo = 0;
		hi = set->n4;
	} else {
		lo = set->cap - set->n6;
		hi = set->cap;
	}
	for (i = lo; i < hi; i++) {
		e = &set->entries[i];
		if (e->prefix_len == c->prefix_len &&
		    !memcmp(&e->net, &c->addr, sizeof(e->net))) {
			*msg = "duplicate allowlist entry";
			return -EEXIST;
		}
	}
	if (c->family == AF_INET)
		e = &set->entries[set->n4++];
	else
		e = &set->entries[set->cap - ++set->n6];
	memset(e, 0, sizeof(*e));
	if (c->family == AF_INET)
		e->net.ip = c->addr.ip;
	else
		e->net.in6 = c->addr.in6;
	e->prefix_len = c->prefix_len;
	msh_al_mask(c->family, c->prefix_len, &e->mask);
	return 0;
}

/* Takes ownership of set (NULL empties the list). */
void msh_allowlist_commit(struct msh_allowlist *al,
			  struct msh_allowlist_set *set)
{
	struct msh_allowlist_set *old;

	mutex_lock(&al->lock);
	old = rcu_replace_pointer(al->set, set, lockdep_is_held(&al->lock));
	mutex_unlock(&al->lock);
	if (old)
		kfree_rcu(old, rcu);
}

int msh_allowlist_replace(struct msh_allowlist *al,
			  const struct msh_cidr *cidrs, unsigned int n,
			  unsigned int *bad_idx, const char **msg)
{
	struct msh_allowlist_set *s;
	unsigned int i;
	int err;

	*bad_idx = ~0U;
	s = msh_allowlist_set_alloc(n);
	if (IS_ERR(s)) {
		*msg = PTR_ERR(s) == -E2BIG ? "too many allowlist entries" :
					      "out of memory for the allowlist";
		return PTR_ERR(s);
	}
	for (i = 0; i < n; i++) {
		err = msh_allowlist_set_add(s, &cidrs[i], msg);
		if (err) {
			*bad_idx = i;
			kfree(s);
			return err;
		}
	}
	msh_allowlist_commit(al, s);
	return 0;
}

static void msh_al_out(const struct msh_al_entry *e, u8 family,
		       struct msh_cidr *c)
{
	memset(c, 0, sizeof(*c));
	c->addr = e->net;
	c->family = family;
	c->prefix_len = e->prefix_len;
}

unsigned int msh_allowlist_get(struct msh_allowlist *al,
			       struct msh_cidr *out, unsigned int max)
{
	const struct msh_allowlist_set *s;
	unsigned int i, n = 0;

	rcu_read_lock();
	s = rcu_dereference(al->set);
	if (s) {
		for (i = 0; i < s->n4 && n < max; i++)
			msh_al_out(&s->entries[i], AF_INET, &out[n++]);
		for (i = s->cap - s->n6; i < s->cap && n < max; i++)
			msh_al_out(&s->entries[i], AF_INET6, &out[n++]);
	}
	rcu_read_unlock();
	return n;
}

unsigned int msh_allowlist_count(struct msh_allowlist *al)
{
	const struct msh_allowlist_set *s;
	unsigned int n = 0;

	rcu_read_lock();
	s = rcu_dereference(al->set);
	if (s)
		n = s->n4 + s->n6;
	rcu_read_unlock();
	return n;
}

struct msh_allowlist *msh_allowlist_create(void)
{
	struct msh_allowlist *al = kzalloc(sizeof(*al), GFP_KERNEL_ACCOUNT);

	if (al)
		mutex_init(&al->lock);
	return al;
}

/*
 * As for the source table: no reader may reach al any more (hooks
 * unregistered). The set is freed with kfree_rcu(), which calls no module
 * code, so module exit needs no rcu_barrier() for it.
 */
void msh_allowlist_destroy(struct msh_allowlist *al)
{
	struct msh_allowlist_set *s;

	if (!al)
		return;
	s = rcu_dereference_protected(al->set, true);
	if (s)
		kfree_rcu(s, rcu);
	mutex_destroy(&al->lock);
	kfree(al);
}
