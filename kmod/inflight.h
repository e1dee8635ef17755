/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Client bytes in flight: inspected and passed to the stack, but not yet
 * acknowledged by the server.
 *
 * The module sees a segment before the TCP stack does. The stack may still
 * throw away bytes the inspector has read (PAWS, a full receive queue, a
 * socket filter...); the client then sends the same sequence range again,
 * and nothing but its bytes says whether it is the same range. So every
 * range the inspector passes gets a record: where it ends and a keyed
 * check value of its bytes. A later segment that covers a record again
 * must carry the same bytes; different bytes are an attempt to make the
 * inspector and the MTA read different streams.
 *
 * The server's ACK (seen at LOCAL_OUT) moves the base: what it acknowledges
 * the stack has taken, and those records are dropped. A retransmission
 * that covers a record only in part cannot be checked: it is dropped, and
 * the client sends it again (for a byte range the server already has, the
 * server's ACK ends that; see Documentation/smtp-inspector.md).
 *
 * The check value is a polynomial hash modulo the Mersenne prime 2^61 - 1
 * at a secret random point (one per namespace): two different byte
 * strings of length n collide with probability at most n / 2^61 for a
 * sender that does not know the point.
 *
 * No locking: the caller holds the flow's lock.
 */

#ifndef _MSH_INFLIGHT_H
#define _MSH_INFLIGHT_H

#include <linux/math64.h>
#include <linux/types.h>

#define MSH_INFLIGHT_MAX	32
#define MSH_HASH_P		((1ULL << 61) - 1)

struct msh_inflight_rec {
	u32 end;		/* sequence number after the last byte */
	bool partial;		/* the server acknowledged part of it */
	u64 sum;		/* msh_hash of its bytes */
};

struct msh_inflight {
	u32 base;		/* first byte not acknowledged by the server */
	u8 head;		/* oldest record */
	u8 n;			/* records in use */
	struct msh_inflight_rec rec[MSH_INFLIGHT_MAX];
};

/* Incremental hash of a byte string at point @key (1 < key < P). */
static inline u64 msh_hash_mulmod(u64 a, u64 b)
{
	u64 lo = (a * b) & MSH_HASH_P;
	u64 hi = mul_u64_u64_shr(a, b, 61);
	u64 r = lo + hi;

	return r >= MSH_HASH_P ? r - MSH_HASH_P : r;
}

u64 msh_hash_update(u64 h, u64 key, const u8 *p, unsigned int len);
u64 msh_hash_key(u32 rnd_hi, u32 rnd_lo);

static inline void msh_inflight_init(struct msh_inflight *inf, u32 base)
{
	inf->base = base;
	inf->head = 0;
	inf->n = 0;
}

static inline bool msh_inflight_full(const struct msh_inflight *inf)
{
	return inf->n == MSH_INFLIGHT_MAX;
}

static inline struct msh_inflight_rec *
msh_inflight_at(struct msh_inflight *inf, unsigned int i)
{
	return &inf->rec[(inf->head + i) % MSH_INFLIGHT_MAX];
}

/* A range [previous end, @end) with check value @sum was passed. */
void msh_inflight_push(struct msh_inflight *inf, u32 end, u64 sum);
/* The server acknowledged everything before @ack. */
void msh_inflight_ack(struct msh_inflight *inf, u32 ack);

/*
 * Where a retransmitted range [seq, end) stands against the records:
 * returns the index of the first record it touches and how many (*count)
 * it covers, or a negative value if it covers one only in part (or a
 * record already partly acknowledged): that range cannot be checked.
 * Bytes before the base are not counted (the stack has them).
 */
int msh_inflight_cover(struct msh_inflight *inf, u32 seq, u32 end,
		       unsigned int *count);
/* Start of record @i (the base, or the end of the one before). */
u32 msh_inflight_start(struct msh_inflight *inf, unsigned int i);

#endif /* _MSH_INFLIGHT_H */
