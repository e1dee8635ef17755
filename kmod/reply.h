/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Packets the module answers with; see reply.c. Any context, GFP_ATOMIC.
 */

#ifndef _MSH_REPLY_H
#define _MSH_REPLY_H

#include <linux/types.h>

struct net;
struct sk_buff;
struct tcphdr;

/*
 * To the client of @oskb (a client segment at PRE_ROUTING, @oth its TCP
 * header): from the server's address and port, @seq, @ack, @flags
 * (TCPHDR_*) and @len bytes of @data.
 */
void msh_send_client(struct net *net, struct sk_buff *oskb,
		     const struct tcphdr *oth, bool v6, u32 seq, u32 ack,
		     u8 flags, const char *data, unsigned int len);

/*
 * Rewrites the client segment @skb in place into a bare RST with @seq, for
 * the local socket. Returns 0, or a negative errno (then drop it).
 */
int msh_skb_to_rst(struct sk_buff *skb, unsigned int thoff, bool v6, u32 seq);

#endif /* _MSH_REPLY_H */
