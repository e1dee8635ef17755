/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Retransmission of cookie SYN-ACKs.
 *
 * A cookie handshake leaves the server no state, so when the client's
 * final ACK is lost nobody notices: the client believes the connection
 * is up and, SMTP being a server-speaks-first protocol, waits for a
 * greeting that never comes (up to five minutes, RFC 5321 4.5.3.2). The
 * kernel's own SYN cookies have the same gap.
 *
 * This table closes it while staying bounded: a copy of each cookie
 * SYN-ACK is kept in one of MSH_SYNRTX_SLOTS direct-mapped slots (hashed
 * 4-tuple under a random key; a slot taken by a copy that is not due yet
 * is left alone, one that is due goes to the newer SYN-ACK) and sent
 * again after 1 s and then after 2 s more (up to the policy's
 * synack_retries times), unless the client's ACK (a valid cookie) or its
 * RST (at the expected sequence) came first; a completed handshake frees
 * its slot within a round trip. A client that missed
 * its ACK answers the repeated SYN-ACK with an ACK again (RFC 9293's
 * reply to an old segment, RFC 5961's challenge ACK), which completes the
 * cookie handshake.
 *
 * Under a SYN flood every slot is taken: further SYNs cost no copy and
 * get none, and the handshake is as stateless as before. At most
 * MSH_SYNRTX_SLOTS copies are held (about 1 KiB each), at most 64
 * retransmissions leave per second, and each is charged to the prefix's
 * SYN-ACK budget (the caller's allow callback): reflection stays bounded.
 *
 * Runs in the hooks (softirq) and in a timer; never sleeps.
 */

#ifndef _MSH_SYNRTX_H
#define _MSH_SYNRTX_H

#include <linux/netfilter.h>
#include <linux/types.h>

struct msh_synrtx;
struct net;
struct sk_buff;

#define MSH_SYNRTX_SLOTS	256

/**
 * typedef msh_synrtx_allow_fn - may this retransmission go out?
 * @ctx: the creator's context
 * @family: NFPROTO_IPV4 or NFPROTO_IPV6
 * @caddr: the client's address
 *
 * Called from the timer under rcu_read_lock(); charges the SYN-ACK budget
 * and counts the retransmission when it returns true.
 */
typedef bool (*msh_synrtx_allow_fn)(void *ctx, u8 family,
				    const union nf_inet_addr *caddr);

struct msh_synrtx *msh_synrtx_create(struct net *net,
				     msh_synrtx_allow_fn allow, void *ctx);

/* Stops the timer and frees every copy; nothing may add any more. */
void msh_synrtx_destroy(struct msh_synrtx *t);

/**
 * msh_synrtx_add() - keep a copy of a cookie SYN-ACK to send again
 * @t: the table
 * @skb: the SYN-ACK as built (network header set, route attached); the
 *	table keeps a private copy, the caller keeps @skb
 * @retries: how many times to send it again (0: keep nothing)
 */
void msh_synrtx_add(struct msh_synrtx *t, const struct sk_buff *skb,
		    u8 retries);

/**
 * msh_synrtx_done() - the handshake of a 4-tuple ended
 * @t: the table
 * @family: NFPROTO_IPV4 or NFPROTO_IPV6
 * @caddr: client address
 * @saddr: server address
 * @cport: client port
 * @sport: server port
 * @rst_seq: NULL for a valid cookie ACK; for a client RST, its sequence
 *	number, which must be the one the SYN-ACK acknowledged (the stack
 *	ignores any other)
 */
void msh_synrtx_done(struct msh_synrtx *t, u8 family,
		     const union nf_inet_addr *caddr,
		     const union nf_inet_addr *saddr, __be16 cport,
		     __be16 sport, const u32 *rst_seq);

/* Copies held now. */
unsigned int msh_synrtx_count(struct msh_synrtx *t);

#endif /* _MSH_SYNRTX_H */
