// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The SYN-ACK budget; see synack.h.
 */

#include "synack.h"

#include <linux/inetdevice.h>
#include <linux/mm.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/ipv6.h>

struct msh_synack_bucket {
	u32 sec;		/* the second being counted */
	u32 count;		/* SYN-ACKs sent in it */
};

struct msh_history_slot {
	u16 hour;		/* stamp of the last handshake, 0: none */
	u16 tag;		/* more bits of the hash, never 0 */
};

struct msh_synack {
	siphash_key_t key;
	struct msh_synack_bucket bucket[MSH_SYNACK_BUCKETS];
	struct msh_history_slot hist[MSH_HISTORY_SLOTS];
};

/* hour stamps are compared modulo 2^15 */
static_assert(MSH_HISTORY_HOURS < 0x4000);

struct msh_synack *msh_synack_create(void)
{
	struct msh_synack *sa;

	sa = kvzalloc(sizeof(*sa), GFP_KERNEL_ACCOUNT);
	if (sa)
		get_random_bytes(&sa->key, sizeof(sa->key));
	return sa;
}

void msh_synack_destroy(struct msh_synack *sa)
{
	kvfree(sa);
}

static u64 msh_synack_hash(const struct msh_synack *sa, u8 family,
			   const union nf_inet_addr *addr, u8 plen)
{
	struct {
		union nf_inet_addr a;
		u32 family;
	} k = { .family = family };

	if (family == AF_INET)
		k.a.ip = addr->ip & inet_make_mask(plen);
	else
		ipv6_addr_prefix(&k.a.in6, &addr->in6, plen);
	return siphash(&k, sizeof(k), &sa->key);
}

/* Hours since boot, never 0 (wraps after 7 years; compared mod 2^16). */
static u16 msh_synack_hour(void)
{
	return (u16)(ktime_get_boottime_seconds() / 3600) | 0x8000;
}

static struct msh_history_slot *msh_synack_slot(struct msh_synack *sa, u64 h,
						u16 *tag)
{
	*tag = (u16)(h >> 32) | 1;
	return &sa->hist[(h >> 10) % MSH_HISTORY_SLOTS];
}

bool msh_synack_allow(struct msh_synack *sa, u8 family,
		      const union nf_inet_addr *addr, u8 plen, u32 rate)
{
	struct msh_synack_bucket *b;
	struct msh_history_slot *s;
	u32 sec, count;
	u16 tag, hour;
	u64 h;

	if (!rate)
		return true;
	h = msh_synack_hash(sa, family, addr, plen);
	s = msh_synack_slot(sa, h, &tag);
	hour = READ_ONCE(s->hour);
	/* proven: the bucket's room past the others' share is theirs */
	if (hour && READ_ONCE(s->tag) == tag &&
	    (u16)(msh_synack_hour() - hour) <= MSH_HISTORY_HOURS)
		rate = rate > U32_MAX / MSH_SYNACK_PROVEN ?
		       U32_MAX : rate * MSH_SYNACK_PROVEN;

	b = &sa->bucket[h % MSH_SYNACK_BUCKETS];
	sec = (u32)ktime_get_boottime_seconds();
	if (READ_ONCE(b->sec) != sec) {
		WRITE_ONCE(b->sec, sec);
		WRITE_ONCE(b->count, 0);
	}
	count = READ_ONCE(b->count);
	if (count >= rate)
		return false;
	WRITE_ONCE(b->count, count + 1);
	return true;
}

void msh_synack_proven(struct msh_synack *sa, u8 family,
		       const union nf_inet_addr *addr, u8 plen)
{
	struct msh_history_slot *s;
	u16 tag;

	s = msh_synack_slot(sa, msh_synack_hash(sa, family, addr, plen), &tag);
	WRITE_ONCE(s->tag, tag);
	WRITE_ONCE(s->hour, msh_synack_hour());
}
