// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Classification of segments on the protected ports; see conn.h.
 */

#include "conn.h"
#include "admit.h"
#include "flows.h"
#include "inspect.h"
#include "netns.h"
#include "policy.h"
#include "syncookie.h"
#include "synrtx.h"

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>

/* The 4-tuple of @pkt; @tx: a server segment. */
static void msh_conn_key(struct msh_flow_key *k,
			 const struct msh_inspect_pkt *pkt, bool tx)
{
	const struct tcphdr *th = pkt->th;

	memset(k, 0, sizeof(*k));
	if (!pkt->v6) {
		const struct iphdr *iph = ip_hdr(pkt->skb);

		k->caddr.ip = tx ? iph->daddr : iph->saddr;
		k->saddr.ip = tx ? iph->saddr : iph->daddr;
		k->family = NFPROTO_IPV4;
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(pkt->skb);

		k->caddr.in6 = tx ? ip6h->daddr : ip6h->saddr;
		k->saddr.in6 = tx ? ip6h->saddr : ip6h->daddr;
		k->family = NFPROTO_IPV6;
	}
	k->cport = tx ? th->dest : th->source;
	k->sport = tx ? th->source : th->dest;
}

/*
 * A connection the stack already has, without a flow: pass, count once.
 * The flow may have come to be meanwhile: the handshake's ACK, handled on
 * another CPU, opened it just before the stack made the socket this
 * lookup found; then this segment is inspected in it.
 */
static unsigned int msh_conn_uninspected(struct msh_net *mn,
					 const struct msh_policy *p,
					 const struct msh_inspect_pkt *pkt,
					 const struct msh_flow_key *k,
					 const struct msh_sc_hs *hs)
{
	struct msh_flow_init init = {
		.dif = hs->dif, .sdif = hs->sdif,
		.mode = MSH_FLOW_UNINSPECTED,
	};
	struct msh_flow *f;

	switch (msh_flow_add(mn->flows, k, &init, p->smtp.max_flows, &f)) {
	case MSH_FLOW_ADDED:
		msh_stats_count(mn->stats, MSH_STAT_FLOWS_UNINSPECTED, 1);
		break;
	case MSH_FLOW_EXISTS:
		return msh_inspect_rx(mn, p, pkt, f);
	default:
		break;
	}
	return NF_ACCEPT;
}

/* A client ACK on a 4-tuple without a flow. */
static unsigned int msh_conn_open(struct msh_net *mn,
				  const struct msh_policy *p,
				  const struct msh_inspect_pkt *pkt,
				  const struct msh_flow_key *k)
{
	const struct msh_smtp_policy *sp = &p->smtp;
	struct msh_flow_init init = {};
	struct msh_sc_hs hs = {};
	struct msh_source *src;
	struct msh_flow *f;

	switch (pkt->v6 ?
		msh_syncookie_check_ack_v6(pkt->skb, pkt->thoff, pkt->state,
					   &hs) :
		msh_syncookie_check_ack_v4(pkt->skb, pkt->thoff, pkt->state,
					   &hs)) {
	case MSH_SC_ACK_VALID:
		msh_admit_stat(mn, MSH_STAT_COOKIES_VALID);
		msh_synrtx_done(mn->admit.synrtx, k->family, &k->caddr,
				&k->saddr, k->cport, k->sport, NULL);
		break;
	case MSH_SC_ACK_REQUEST:
		break;
	case MSH_SC_ACK_INVALID:
		if (!p->admit.syncookies)
			return NF_ACCEPT;
		msh_admit_stat(mn, MSH_STAT_COOKIES_INVALID);
		return NF_DROP;
	case MSH_SC_ACK_MALFORMED:
	case MSH_SC_ACK_REQUEST_BAD:
		msh_stats_count(mn->stats, MSH_STAT_BAD_SEGMENTS, 1);
		return NF_DROP;
	case MSH_SC_ACK_ESTABLISHED:
		return msh_conn_uninspected(mn, p, pkt, k, &hs);
	default:	/* TIME_WAIT, no listener: the stack answers */
		return NF_ACCEPT;
	}

	if (msh_admit_conn(mn, p, pkt->skb, pkt->th, pkt->state, k->family,
			   &k->caddr, &src) != NF_ACCEPT)
		return NF_DROP;

	init.cnext = hs.cnext;
	init.snext = hs.snext;
	init.dif = hs.dif;
	init.sdif = hs.sdif;
	init.src = src;
	init.mode = MSH_FLOW_INSPECT;
	init.implicit_tls = msh_smtp_policy_tls_port(sp, ntohs(k->sport));
	switch (msh_flow_add(mn->flows, k, &init, sp->max_flows, &f)) {
	case MSH_FLOW_ADDED:
		msh_stats_count(mn->stats, MSH_STAT_FLOWS_CREATED, 1);
		break;
	case MSH_FLOW_EXISTS:
		break;
	case MSH_FLOW_FULL:
	case MSH_FLOW_NOMEM:
		msh_stats_count(mn->stats, MSH_STAT_FLOWS_FULL, 1);
		if (sp->flows_full != MAILSHIELD_FULL_REFUSE)
			return NF_ACCEPT;
		msh_inspect_reset_client(mn, pkt);
		return NF_DROP;
	}
	return msh_inspect_rx(mn, p, pkt, f);
}

/*
 * A client RST without a connection: it ends a cookie handshake whose
 * SYN-ACK waits to be sent again, if the stack would take it (checksum,
 * and the sequence number the SYN-ACK acknowledged).
 */
static void msh_conn_rst(struct msh_net *mn, const struct msh_inspect_pkt *pkt,
			 const struct msh_flow_key *k)
{
	u32 seq = ntohl(pkt->th->seq);

	if (nf_checksum(pkt->skb, NF_INET_PRE_ROUTING, pkt->thoff,
			IPPROTO_TCP, pkt->v6 ? NFPROTO_IPV6 : NFPROTO_IPV4))
		return;
	msh_synrtx_done(mn->admit.synrtx, k->family, &k->caddr, &k->saddr,
			k->cport, k->sport, &seq);
}

unsigned int msh_conn_rx(struct msh_net *mn, const struct msh_policy *p,
			 const struct msh_inspect_pkt *pkt)
{
	const struct tcphdr *th = pkt->th;
	struct msh_flow_key k;
	struct msh_flow *f;

	msh_conn_key(&k, pkt, false);
	f = msh_flow_lookup(mn->flows, &k);
	if (th->syn) {
		if (th->ack)
			return NF_ACCEPT;
		/* a new connection on the 4-tuple of one that ended */
		if (f)
			msh_flow_syn(mn->flows, f);
		return msh_admit_syn(mn, p, pkt->skb, pkt->thoff, th,
				     pkt->state, k.family, &k.caddr);
	}
	if (f)
		return msh_inspect_rx(mn, p, pkt, f);
	if (th->rst) {
		msh_conn_rst(mn, pkt, &k);
		return NF_ACCEPT;
	}
	if (!th->ack)
		return NF_ACCEPT;
	return msh_conn_open(mn, p, pkt, &k);
}

unsigned int msh_conn_tx(struct msh_net *mn, const struct msh_policy *p,
			 const struct msh_inspect_pkt *pkt)
{
	struct msh_flow_key k;
	struct msh_flow *f;

	msh_conn_key(&k, pkt, true);
	f = msh_flow_lookup(mn->flows, &k);
	return f ? msh_inspect_tx(mn, p, pkt, f) : NF_ACCEPT;
}
