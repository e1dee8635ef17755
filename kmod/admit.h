/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Connection admission on the protected ports: SYN cookies, bans, the
 * global SYN-ACK cap, and per-source limits applied on the cookie ACK.
 *
 * Client to server (PRE_ROUTING), TCP to a protected port:
 *   pure SYN   allowlisted source: skip the ban check. Banned source
 *              (lookup only, nothing is created): drop, or RST per
 *              ban_action. Over the namespace's SYN-ACK cap: drop. Else
 *              the cookie engine answers it (syncookie.c) and the SYN is
 *              dropped: no state at all.
 *   ACK        (only when cookies are on) the cookie engine classifies it:
 *              a 4-tuple with a socket is not looked at further; a wrong
 *              cookie is dropped and counted; a valid cookie proves the
 *              source address, and only then is its entry looked up or
 *              created and the connection admitted: allowlist, ban,
 *              concurrency, rate. Refused: the ACK is dropped, so the
 *              kernel never creates the socket, and the client gets a RST
 *              (a ban obeys ban_action). Admitted: the 4-tuple is recorded
 *              in the connection table (conns.h) with its flow.
 *   FIN/RST    gives the flow of a recorded 4-tuple back.
 * Server to client (LOCAL_OUT): FIN/RST gives the flow back.
 *
 * Cost on established traffic: one TCP established-table lookup per
 * client ACK on a protected port (the cookie check), and a connection
 * table lookup on FIN/RST only.
 */

#ifndef _MSH_ADMIT_H
#define _MSH_ADMIT_H

#include <linux/netfilter.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct msh_net;
struct msh_policy;
struct msh_sources;
struct msh_allowlist;
struct msh_conns;
struct sk_buff;
struct tcphdr;

/* Per-namespace admission state, embedded in struct msh_net. */
struct msh_admit_net {
	struct msh_sources *sources;
	struct msh_allowlist *allowlist;
	struct msh_conns *conns;

	/* global SYN-ACK cap: token bucket in ns of credit */
	spinlock_t synack_lock;
	u64 synack_credit;
	u64 synack_at;

	/* MSH_SC_WARN_* found at namespace init */
	unsigned int sysctl_warn;
};

int msh_admit_net_init(struct msh_net *mn);
/* After the hooks are gone and an RCU grace period has passed. */
void msh_admit_net_exit(struct msh_net *mn);

/*
 * Called for TCP to a protected port at PRE_ROUTING, under RCU, with the
 * running policy. Returns the netfilter verdict.
 */
unsigned int msh_admit_rx(struct msh_net *mn, const struct msh_policy *p,
			  struct sk_buff *skb, unsigned int thoff,
			  const struct tcphdr *th,
			  const struct nf_hook_state *state, bool v6);
/* TCP from a protected port at LOCAL_OUT. */
void msh_admit_tx(struct msh_net *mn, const struct sk_buff *skb,
		  const struct tcphdr *th, bool v6);

/* The policy changed (process context, policy lock not held). */
void msh_admit_policy_changed(struct msh_net *mn, const struct msh_policy *p);

/* Sends MAILSHIELD_EVENT_BAN / _UNBAN for one source; any context. */
struct msh_source_info;
void msh_admit_ban_event(struct msh_net *mn, bool ban,
			 const struct msh_source_info *info, u32 duration_s,
			 gfp_t gfp);

#endif /* _MSH_ADMIT_H */
