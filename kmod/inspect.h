/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The SMTP stream inspector: follows each flow's client bytes in order and
 * the server's replies, feeds them to the SMTP parser and enforces the
 * policy on violations. Called from the hooks (hooks.c) under RCU.
 */

#ifndef _MSH_INSPECT_H
#define _MSH_INSPECT_H

#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include "smtp_parser.h"

struct msh_flow;
struct msh_net;
struct msh_policy;
struct sk_buff;
struct tcphdr;

struct msh_inspect_pkt {
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	const struct tcphdr *th;
	unsigned int thoff;
	bool v6;
};

int msh_inspect_net_init(struct msh_net *mn);
void msh_inspect_net_exit(struct msh_net *mn);

/*
 * A segment of a connection in the flow table (flows.h): client to server
 * (PRE_ROUTING), server to client (LOCAL_OUT). Under RCU; return the
 * verdict.
 */
unsigned int msh_inspect_rx(struct msh_net *mn, const struct msh_policy *p,
			    const struct msh_inspect_pkt *pkt,
			    struct msh_flow *f);
unsigned int msh_inspect_tx(struct msh_net *mn, const struct msh_policy *p,
			    const struct msh_inspect_pkt *pkt,
			    struct msh_flow *f);
/* Sends the client of a client segment a RST that ends its wait. */
void msh_inspect_reset_client(struct msh_net *mn,
			      const struct msh_inspect_pkt *pkt);

#endif /* _MSH_INSPECT_H */
