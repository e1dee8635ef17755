// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Retransmission of cookie SYN-ACKs; see synrtx.h.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tcp.h>
#include <linux/timer.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "synrtx.h"

/* first retransmission after 1 s (TCP_TIMEOUT_INIT), then doubling */
#define MSH_SYNRTX_FIRST	HZ
/* how often the timer looks while copies are held */
#define MSH_SYNRTX_TICK		(HZ / 4)

struct msh_synrtx_key {
	union nf_inet_addr caddr;
	union nf_inet_addr saddr;
	__be16 cport;
	__be16 sport;
	u8 family;
	u8 pad[3];
};

struct msh_synrtx_slot {
	struct sk_buff *skb;		/* NULL: free */
	struct msh_synrtx_key key;
	unsigned long due;		/* jiffies */
	unsigned long interval;
	u32 ack_seq;			/* what the SYN-ACK acknowledged */
	u8 left;			/* retransmissions still to send */
};

struct msh_synrtx {
	spinlock_t lock;		/* slots, count, dying */
	struct timer_list timer;
	struct net *net;
	msh_synrtx_allow_fn allow;
	void *ctx;
	siphash_key_t hkey;
	unsigned int count;
	unsigned int cursor;		/* where the timer looks first */
	bool dying;
	struct msh_synrtx_slot slot[MSH_SYNRTX_SLOTS];
};

static unsigned int msh_synrtx_index(const struct msh_synrtx *t,
				     const struct msh_synrtx_key *k)
{
	return siphash(k, sizeof(*k), &t->hkey) & (MSH_SYNRTX_SLOTS - 1);
}

static void msh_synrtx_key_set(struct msh_synrtx_key *k, u8 family,
			       const union nf_inet_addr *caddr,
			       const union nf_inet_addr *saddr, __be16 cport,
			       __be16 sport)
{
	memset(k, 0, sizeof(*k));
	k->family = family;
	if (family == NFPROTO_IPV4) {
		k->caddr.ip = caddr->ip;
		k->saddr.ip = saddr->ip;
	} else {
		k->caddr.in6 = caddr->in6;
		k->saddr.in6 = saddr->in6;
	}
	k->cport = cport;
	k->sport = sport;
}

/* Under t->lock; returns the copy for the caller to free outside it. */
static struct sk_buff *msh_synrtx_clear(struct msh_synrtx *t,
					struct msh_synrtx_slot *s)
{
	struct sk_buff *skb = s->skb;

	if (skb) {
		WRITE_ONCE(s->skb, NULL);	/* msh_synrtx_done() peeks */
		t->count--;
	}
	return skb;
}

static void msh_synrtx_xmit(struct msh_synrtx *t, struct sk_buff *skb,
			    u8 family)
{
	if (family == NFPROTO_IPV4)
		ip_local_out(t->net, NULL, skb);
#if IS_ENABLED(CONFIG_IPV6)
	else
		ip6_local_out(t->net, NULL, skb);
#else
	else
		kfree_skb(skb);
#endif
}

static void msh_synrtx_timer(struct timer_list *timer)
{
	struct msh_synrtx *t = from_timer(t, timer, timer);
	struct sk_buff *send[16], *drop[16];
	unsigned int nsend = 0, ndrop = 0, i;
	u8 fam[16];
	bool more;

	/*
	 * At most 16 per tick go out (64 per second): more than a host with
	 * a real loss problem needs, little for a flood to reflect.
	 */
	spin_lock_bh(&t->lock);
	for (i = 0; i < MSH_SYNRTX_SLOTS; i++) {
		struct msh_synrtx_slot *s;
		struct sk_buff *nskb;

		if (nsend == ARRAY_SIZE(send) || ndrop == ARRAY_SIZE(drop))
			break;
		/* the next tick goes on where this one stopped */
		s = &t->slot[(t->cursor + i) & (MSH_SYNRTX_SLOTS - 1)];
		if (!s->skb || time_before(jiffies, s->due))
			continue;
		nskb = skb_copy(s->skb, GFP_ATOMIC);
		if (nskb) {
			fam[nsend] = s->key.family;
			send[nsend++] = nskb;
		}
		if (--s->left) {
			s->interval *= 2;
			WRITE_ONCE(s->due, jiffies + s->interval);
		} else {
			drop[ndrop++] = msh_synrtx_clear(t, s);
		}
	}
	t->cursor = (t->cursor + i) & (MSH_SYNRTX_SLOTS - 1);
	more = t->count && !t->dying;
	if (more)
		mod_timer(&t->timer, jiffies + MSH_SYNRTX_TICK);
	spin_unlock_bh(&t->lock);

	for (i = 0; i < ndrop; i++)
		kfree_skb(drop[i]);
	rcu_read_lock();
	for (i = 0; i < nsend; i++) {
		union nf_inet_addr caddr = {};

		if (fam[i] == NFPROTO_IPV4)
			caddr.ip = ip_hdr(send[i])->daddr;
		else
			caddr.in6 = ipv6_hdr(send[i])->daddr;
		if (t->allow(t->ctx, fam[i], &caddr))
			msh_synrtx_xmit(t, send[i], fam[i]);
		else
			kfree_skb(send[i]);
	}
	rcu_read_unlock();
}

struct msh_synrtx *msh_synrtx_create(struct net *net,
				     msh_synrtx_allow_fn allow, void *ctx)
{
	struct msh_synrtx *t;

	t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	spin_lock_init(&t->lock);
	timer_setup(&t->timer, msh_synrtx_timer, 0);
	t->net = net;
	t->allow = allow;
	t->ctx = ctx;
	get_random_bytes(&t->hkey, sizeof(t->hkey));
	return t;
}

void msh_synrtx_destroy(struct msh_synrtx *t)
{
	unsigned int i;

	if (!t)
		return;
	spin_lock_bh(&t->lock);
	t->dying = true;
	spin_unlock_bh(&t->lock);
	del_timer_sync(&t->timer);
	for (i = 0; i < MSH_SYNRTX_SLOTS; i++)
		kfree_skb(msh_synrtx_clear(t, &t->slot[i]));
	kvfree(t);
}

void msh_synrtx_add(struct msh_synrtx *t, const struct sk_buff *skb,
		    u8 retries)
{
	struct sk_buff *copy, *old;
	struct msh_synrtx_slot *s;
	union nf_inet_addr c = {}, a = {};
	struct msh_synrtx_key k;
	const struct tcphdr *th;
	u8 family;

	if (!retries)
		return;
	th = tcp_hdr(skb);
	if (ip_hdr(skb)->version == 4) {
		family = NFPROTO_IPV4;
		c.ip = ip_hdr(skb)->daddr;
		a.ip = ip_hdr(skb)->saddr;
	} else {
		family = NFPROTO_IPV6;
		c.in6 = ipv6_hdr(skb)->daddr;
		a.in6 = ipv6_hdr(skb)->saddr;
	}
	msh_synrtx_key_set(&k, family, &c, &a, th->dest, th->source);
	s = &t->slot[msh_synrtx_index(t, &k)];
	/*
	 * A slot whose copy is not yet due stays as it is (unlocked peek):
	 * under a flood every slot is taken, and a SYN costs no copy.
	 * Completed handshakes free their slot within a round trip.
	 */
	if (READ_ONCE(s->skb) && time_before(jiffies, READ_ONCE(s->due)))
		return;
	copy = skb_copy(skb, GFP_ATOMIC);
	if (!copy)
		return;

	spin_lock_bh(&t->lock);
	if (t->dying) {
		spin_unlock_bh(&t->lock);
		kfree_skb(copy);
		return;
	}
	old = msh_synrtx_clear(t, s);	/* one that is due or done */
	s->key = k;
	s->ack_seq = ntohl(th->ack_seq);
	s->left = retries;
	s->interval = MSH_SYNRTX_FIRST;
	WRITE_ONCE(s->due, jiffies + MSH_SYNRTX_FIRST);
	WRITE_ONCE(s->skb, copy);
	t->count++;
	if (!timer_pending(&t->timer))
		mod_timer(&t->timer, jiffies + MSH_SYNRTX_TICK);
	spin_unlock_bh(&t->lock);
	kfree_skb(old);
}

void msh_synrtx_done(struct msh_synrtx *t, u8 family,
		     const union nf_inet_addr *caddr,
		     const union nf_inet_addr *saddr, __be16 cport,
		     __be16 sport, const u32 *rst_seq)
{
	struct sk_buff *old = NULL;
	struct msh_synrtx_slot *s;
	struct msh_synrtx_key k;

	msh_synrtx_key_set(&k, family, caddr, saddr, cport, sport);
	s = &t->slot[msh_synrtx_index(t, &k)];
	/* unlocked peek: most ACKs and RSTs find nothing here */
	if (!READ_ONCE(s->skb))
		return;
	spin_lock_bh(&t->lock);
	if (s->skb && !memcmp(&s->key, &k, sizeof(k)) &&
	    (!rst_seq || *rst_seq == s->ack_seq))
		old = msh_synrtx_clear(t, s);
	spin_unlock_bh(&t->lock);
	kfree_skb(old);
}

unsigned int msh_synrtx_count(struct msh_synrtx *t)
{
	unsigned int n;

	spin_lock_bh(&t->lock);
	n = t->count;
	spin_unlock_bh(&t->lock);
	return n;
}
