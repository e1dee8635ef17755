/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Connection admission on the protected ports: SYN cookies, bans, the
 * SYN-ACK budget per source prefix, and per-source limits applied on a
 * proven handshake.
 *
 * Client to server (PRE_ROUTING), TCP to a protected port:
 *   pure SYN   allowlisted source: skip the ban check. Banned source
 *              (lookup only, nothing is created): drop, or RST per
 *              ban_action. Over its prefix's SYN-ACK budget (synack.h;
 *              prefixes with a proven history are answered first):
 *              drop. Else the cookie engine answers it (syncookie.c) and
 *              the SYN is dropped: no state at all. A SYN the stack
 *              answers itself (cookies off, a 4-tuple the stack still
 *              knows) may not open a TCP Fast Open connection.
 *   handshake  (msh_admit_conn(), called by the connection code in
 *              conn.c for an ACK that completes a handshake: a valid
 *              cookie or the exact ACK of a request socket) the source
 *              is proven; only then is its entry looked up or created
 *              and the connection admitted: allowlist, ban, concurrency,
 *              rate. Refused: the ACK is dropped, so the kernel never
 *              creates the socket, and the client gets a 421 reply, FIN
 *              and RST (a ban obeys ban_action). Admitted: the connection's flow (flows.h)
 *              holds the source entry until the socket is gone.
 */

#ifndef _MSH_ADMIT_H
#define _MSH_ADMIT_H

#include <linux/netfilter.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "stats.h"

struct msh_net;
struct msh_policy;
struct msh_sources;
struct msh_allowlist;
struct msh_synack;
struct msh_source;
struct sk_buff;
struct tcphdr;

/* Per-namespace admission state, embedded in struct msh_net. */
struct msh_admit_net {
	struct msh_sources *sources;
	struct msh_allowlist *allowlist;

	/* cookie SYN-ACKs per source prefix, proven prefixes (synack.h) */
	struct msh_synack *synack;

	/* copies of cookie SYN-ACKs to send again (synrtx.h) */
	struct msh_synrtx *synrtx;

	/* MSH_SC_WARN_* found at namespace init */
	unsigned int sysctl_warn;
};

/* The allowlist, at namespace init. */
int msh_admit_net_init(struct msh_net *mn);
/* The source table and the SYN-ACK budget, on first use (netns.h). */
int msh_admit_tables_init(struct msh_net *mn);
void msh_admit_tables_exit(struct msh_net *mn);
/* After the hooks are gone and an RCU grace period has passed. */
void msh_admit_net_exit(struct msh_net *mn);

/*
 * A pure SYN to a protected port, at PRE_ROUTING under RCU with the running
 * policy; @family is AF_INET or AF_INET6. Returns the verdict.
 */
unsigned int msh_admit_syn(struct msh_net *mn, const struct msh_policy *p,
			   struct sk_buff *skb, unsigned int thoff,
			   const struct tcphdr *th,
			   const struct nf_hook_state *state, u8 family,
			   const union nf_inet_addr *caddr);
/*
 * A proven handshake from @caddr. On NF_ACCEPT, *src is the source entry
 * now holding one flow for the connection (NULL: allowlisted, or not
 * accounted), to be given to the connection's flow. On NF_DROP the client
 * has had its answer.
 */
unsigned int msh_admit_conn(struct msh_net *mn, const struct msh_policy *p,
			    struct sk_buff *skb, const struct tcphdr *th,
			    const struct nf_hook_state *state, u8 family,
			    const union nf_inet_addr *caddr,
			    struct msh_source **src);

/*
 * Never limited or banned: allowlisted, or (with exempt_local) loopback or
 * one of the host's own addresses. Under RCU.
 */
bool msh_admit_exempt(struct msh_net *mn, const struct msh_policy *p,
		      u8 family, const union nf_inet_addr *a);

/* Counts one admission event. */
void msh_admit_stat(struct msh_net *mn, enum msh_stat idx);

/* The policy changed (process context, policy lock not held). */
void msh_admit_policy_changed(struct msh_net *mn, const struct msh_policy *p);

/* Sends MAILSHIELD_EVENT_BAN / _UNBAN for one source; any context. */
struct msh_source_info;
void msh_admit_ban_event(struct msh_net *mn, bool ban,
			 const struct msh_source_info *info, u32 duration_s,
			 gfp_t gfp);

/*
 * A source seen in the hook was just banned for @reason (enum
 * msh_ban_reason) by a count of its own (SMTP violations, recipients):
 * counts the ban and sends the event for its keying prefix. Atomic
 * context.
 */
void msh_admit_banned(struct msh_net *mn, const struct msh_policy *p,
		      u8 family, const union nf_inet_addr *addr, u8 reason,
		      u32 duration_s);

#endif /* _MSH_ADMIT_H */
