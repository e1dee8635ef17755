// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Where the hooks sit
 *
 * Client to server: NF_INET_PRE_ROUTING at NF_IP_PRI_NAT_DST + 1 (and the
 * IPv6 equivalent), that is after defragmentation (-400), the raw table
 * (-300), conntrack (-200), mangle (-150) and destination NAT (-100), and
 * before the filter table (0). After defrag, so that segments are seen
 * whole (the module enables nf_defrag in every namespace whose policy it
 * has turned on, netns.c). After
 * raw, so an administrator's raw-table rules (drops, NOTRACK) still come
 * first. After destination NAT, so that a connection DNAT or REDIRECT
 * sends elsewhere (a containerised MTA behind a published port) is
 * recognised by its conntrack entry and left alone: the module answers
 * and inspects only connections delivered to this host untranslated.
 * Routed connections (destination not a local address) are left alone
 * too (syncookie.c, on SYNs and on ACKs). With conntrack loaded, a SYN the
 * module answers with a cookie has made conntrack allocate an entry,
 * which is freed unconfirmed when the SYN is dropped: it never enters the
 * conntrack table. Before the filter table, so that the inspector's
 * verdicts come before the INPUT chain's.
 *
 * Server to client: NF_INET_LOCAL_OUT at NF_IP_PRI_CONNTRACK - 1.
 * LOCAL_OUT sees only locally generated packets, i.e. what the local
 * MTA's TCP stack emits; at this priority after the raw table and before
 * conntrack, NAT and the filter table can change or drop it.
 *
 * rx is traffic whose destination port is protected (seen at PRE_ROUTING),
 * tx traffic whose source port is protected (seen at LOCAL_OUT), so a local
 * MTA's own outgoing connections to remote port 25 are not counted.
 *
 * The hooks never sleep and never linearise: they read the TCP header with
 * skb_header_pointer(), count, normalise what the stack would read
 * differently from the inspector (urgent data, fragments) and hand the
 * segment to the connection code (conn.h).
 */

#include "hooks.h"
#include "compat.h"
#include "conn.h"
#include "inspect.h"
#include "netns.h"

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ipv6.h>

/* client to server: after destination NAT; server to client: before NAT */
#define MSH_HOOK_PRI_IPV4_IN	(NF_IP_PRI_NAT_DST + 1)
#define MSH_HOOK_PRI_IPV6_IN	(NF_IP6_PRI_NAT_DST + 1)
#define MSH_HOOK_PRI_IPV4_OUT	(NF_IP_PRI_CONNTRACK - 1)
#define MSH_HOOK_PRI_IPV6_OUT	(NF_IP6_PRI_CONNTRACK - 1)

static void msh_count(struct msh_net *mn, const struct sk_buff *skb,
		      const struct tcphdr *th, unsigned int thoff, bool tx,
		      bool v6)
{
	unsigned int hdrlen = th->doff * 4;
	unsigned int payload = 0;
	struct msh_stats_pcpu *s;
	unsigned long flags;
	unsigned int segs = 1;

	if (skb->len > thoff + hdrlen)
		payload = skb->len - thoff - hdrlen;
	/* A GSO/GRO skb stands for gso_segs packets on the wire. */
	if (skb_is_gso(skb) && skb_shinfo(skb)->gso_segs > 1)
		segs = skb_shinfo(skb)->gso_segs;

	s = msh_stats_begin(mn->stats, &flags);
	if (!tx) {
		msh_stats_add(s, MSH_STAT_RX_PACKETS, segs);
		msh_stats_add(s, MSH_STAT_RX_BYTES, payload);
		if (v6)
			msh_stats_add(s, MSH_STAT_RX_PACKETS_V6, segs);
		if (th->syn && !th->ack)
			msh_stats_add(s, MSH_STAT_RX_SYN, 1);
		if (th->fin)
			msh_stats_add(s, MSH_STAT_RX_FIN, 1);
		if (th->rst)
			msh_stats_add(s, MSH_STAT_RX_RST, 1);
	} else {
		msh_stats_add(s, MSH_STAT_TX_PACKETS, segs);
		msh_stats_add(s, MSH_STAT_TX_BYTES, payload);
		if (v6)
			msh_stats_add(s, MSH_STAT_TX_PACKETS_V6, segs);
		if (th->syn && th->ack)
			msh_stats_add(s, MSH_STAT_TX_SYNACK, 1);
		if (th->fin)
			msh_stats_add(s, MSH_STAT_TX_FIN, 1);
		if (th->rst)
			msh_stats_add(s, MSH_STAT_TX_RST, 1);
	}
	msh_stats_end(mn->stats, s, flags);
}

/*
 * SMTP never uses urgent data, and the receiving stack takes an urgent
 * byte out of the stream the MTA reads, which the inspector would not.
 * Clearing URG (and the pointer) makes the stack deliver every byte
 * inline, exactly as inspected. The checksum is updated incrementally, so
 * a wrong one stays wrong. Returns the writable header, or NULL.
 */
static const struct tcphdr *msh_clear_urg(struct sk_buff *skb,
					  unsigned int thoff)
{
	struct tcphdr *th;
	__be16 old;

	if (skb_ensure_writable(skb, thoff + sizeof(*th)))
		return NULL;
	th = (struct tcphdr *)(skb->data + thoff);
	old = ((__be16 *)th)[6];	/* data offset and flags */
	th->urg = 0;
	inet_proto_csum_replace2(&th->check, skb, old, ((__be16 *)th)[6],
				 false);
	inet_proto_csum_replace2(&th->check, skb, th->urg_ptr, 0, false);
	th->urg_ptr = 0;
	return th;
}

/*
 * @thoff is the offset of the TCP header from skb->data; @frag: the
 * packet is the first fragment of a fragmented one. Runs under
 * rcu_read_lock() (nf_hook()), in softirq context at PRE_ROUTING and
 * possibly in process context at LOCAL_OUT.
 */
static unsigned int msh_tcp(const struct nf_hook_state *state,
			    struct sk_buff *skb, unsigned int thoff, bool tx,
			    bool v6, bool frag)
{
	struct msh_net *mn = msh_net(state->net);
	struct msh_inspect_pkt pkt = {
		.skb = skb, .state = state, .thoff = thoff, .v6 = v6,
	};
	const struct msh_policy *p;
	const struct tcphdr *th;
	struct tcphdr _th;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th)
		return NF_ACCEPT;

	p = rcu_dereference(mn->policy);
	if (!p->enabled ||
	    !msh_policy_has_port(p, ntohs(tx ? th->source : th->dest)) ||
	    !msh_net_ready(mn))
		return NF_ACCEPT;

	/* Malformed: leave it to the TCP stack. */
	if (th->doff < sizeof(_th) / 4)
		return NF_ACCEPT;

	msh_count(mn, skb, th, thoff, tx, v6);
	if (tx) {
		pkt.th = th;
		return msh_conn_tx(mn, p, &pkt);
	}
	/* translated by NAT: another host's or port's connection */
	if (msh_skb_natted(skb))
		return NF_ACCEPT;

	/*
	 * Reassembly happens before this hook (nf_defrag); a fragment here
	 * means it could not, and its tail would reach the stack unseen.
	 */
	if (frag) {
		msh_stats_count(mn->stats, MSH_STAT_FRAGMENTS, 1);
		return NF_DROP;
	}
	if (th->urg) {
		th = msh_clear_urg(skb, thoff);
		if (!th)
			return NF_DROP;
		msh_stats_count(mn->stats, MSH_STAT_URGENT_CLEARED, 1);
	}
	pkt.th = th;
	return msh_conn_rx(mn, p, &pkt);
}

static unsigned int msh_ipv4(struct sk_buff *skb,
			     const struct nf_hook_state *state, bool tx)
{
	const struct iphdr *iph = ip_hdr(skb);

	/* Only the first fragment carries the TCP header. */
	if (iph->protocol != IPPROTO_TCP || (iph->frag_off & htons(IP_OFFSET)))
		return NF_ACCEPT;

	return msh_tcp(state, skb, skb_network_offset(skb) + iph->ihl * 4, tx,
		       false, iph->frag_off & htons(IP_MF));
}

unsigned int msh_ipv4_in(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	return msh_ipv4(skb, state, false);
}

unsigned int msh_ipv4_out(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	return msh_ipv4(skb, state, true);
}

#if IS_ENABLED(CONFIG_IPV6)
static unsigned int msh_ipv6(struct sk_buff *skb,
			     const struct nf_hook_state *state, bool tx)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off = 0;
	int thoff;

	/*
	 * Walks the extension headers; stops at a non-first fragment with
	 * nexthdr left at NEXTHDR_FRAGMENT, which the test below rejects.
	 * A first fragment has offset 0 and the more-fragments bit set.
	 */
	thoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
				 sizeof(struct ipv6hdr), &nexthdr, &frag_off);
	if (thoff < 0 || nexthdr != IPPROTO_TCP)
		return NF_ACCEPT;

	return msh_tcp(state, skb, thoff, tx, true,
		       frag_off & htons(IP6_MF));
}

unsigned int msh_ipv6_in(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	return msh_ipv6(skb, state, false);
}

unsigned int msh_ipv6_out(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	return msh_ipv6(skb, state, true);
}
#endif

static const struct nf_hook_ops msh_nf_ops[] = {
	{
		.hook		= msh_ipv4_in,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= MSH_HOOK_PRI_IPV4_IN,
	},
	{
		.hook		= msh_ipv4_out,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= MSH_HOOK_PRI_IPV4_OUT,
	},
#if IS_ENABLED(CONFIG_IPV6)
	{
		.hook		= msh_ipv6_in,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= MSH_HOOK_PRI_IPV6_IN,
	},
	{
		.hook		= msh_ipv6_out,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= MSH_HOOK_PRI_IPV6_OUT,
	},
#endif
};

int msh_hooks_register(struct msh_net *mn)
{
	int ret;

	ret = nf_register_net_hooks(mn->net, msh_nf_ops,
				    ARRAY_SIZE(msh_nf_ops));
	if (ret)
		return ret;

	mn->hooks_registered = true;
	return 0;
}

/*
 * Unlinks the hooks. Hooks already running may still finish afterwards:
 * the caller waits for an RCU grace period before freeing what they use.
 */
void msh_hooks_unregister(struct msh_net *mn)
{
	if (!mn->hooks_registered)
		return;

	nf_unregister_net_hooks(mn->net, msh_nf_ops, ARRAY_SIZE(msh_nf_ops));
	mn->hooks_registered = false;
}
