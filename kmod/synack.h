/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The SYN-ACK budget: how many cookie SYN-ACKs a namespace sends, per
 * source prefix, and which prefixes have a proven history.
 *
 * Why it exists: a cookie SYN-ACK answers a SYN whose source address is
 * not proven, so a flood with a victim's address as source would make the
 * host reflect SYN-ACKs at the victim. Why it is not one global bucket:
 * above a global cap SYNs are dropped at random, real clients' included,
 * and a spoofed flood wins exactly what SYN cookies exist to deny it.
 *
 * So the budget is per source prefix (the policy's source keying prefix),
 * in MSH_SYNACK_BUCKETS hashed buckets of synack_rate SYN-ACKs per second
 * each: a flood spread over many prefixes (random spoofed sources) fills
 * each bucket only by its share, and a real client shares its bucket with
 * 1/MSH_SYNACK_BUCKETS of the flood; a flood aimed at one victim prefix is
 * held to synack_rate per second.
 *
 * Beyond that, prefixes that completed a handshake in the last
 * MSH_HISTORY_HOURS hours are remembered in a table of MSH_HISTORY_SLOTS
 * slots (hashed index and 16-bit tag, an hour stamp; no address is kept)
 * and answered first: a full bucket refuses unproven prefixes at
 * synack_rate, proven ones only at MSH_SYNACK_PROVEN times that. A real
 * sending MTA keeps connecting through a flood that fills every bucket;
 * reflection towards a proven prefix stays bounded all the same. The hash
 * is SipHash under a random per-namespace key, so a sender cannot aim at
 * a slot.
 *
 * Counting is per second, approximate under races (two CPUs may both take
 * the last token), which a rate limit can afford; nothing takes a lock.
 */

#ifndef _MSH_SYNACK_H
#define _MSH_SYNACK_H

#include <linux/netfilter.h>
#include <linux/types.h>

#define MSH_SYNACK_BUCKETS	1024
#define MSH_HISTORY_SLOTS	16384
#define MSH_HISTORY_HOURS	(7 * 24)
#define MSH_SYNACK_PROVEN	10	/* times synack_rate for proven */

struct msh_synack;

/* Process context; GFP_KERNEL_ACCOUNT. */
struct msh_synack *msh_synack_create(void);
void msh_synack_destroy(struct msh_synack *sa);

/*
 * May a cookie SYN-ACK go to @addr (@family AF_INET/AF_INET6, keyed by its
 * first @plen bits)? @rate per second and bucket, 0: no cap. Any context.
 */
bool msh_synack_allow(struct msh_synack *sa, u8 family,
		      const union nf_inet_addr *addr, u8 plen, u32 rate);

/* @addr's prefix completed a handshake. Any context. */
void msh_synack_proven(struct msh_synack *sa, u8 family,
		       const union nf_inet_addr *addr, u8 plen);

#endif /* _MSH_SYNACK_H */
