// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Connection admission on the protected ports; see admit.h for the model.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "admit.h"
#include "allowlist.h"
#include "events.h"
#include "inspect.h"
#include "netns.h"
#include "reply.h"
#include "sources.h"
#include "synack.h"
#include "syncookie.h"
#include "synrtx.h"

#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/mailshield.h>
#include <linux/tcp.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/route.h>
#include <net/tcp.h>
#if IS_ENABLED(CONFIG_NF_REJECT_IPV4)
#include <net/netfilter/ipv4/nf_reject.h>
#endif
#if IS_ENABLED(CONFIG_NF_REJECT_IPV6)
#include <net/netfilter/ipv6/nf_reject.h>
#endif

static void msh_admit_limits(const struct msh_admit_policy *a,
			     struct msh_limits *lim)
{
	msh_limits_default(lim);
	lim->max_conns = a->max_conns;
	lim->rate_per_min = a->rate;
	lim->burst = a->burst;
	lim->ban_s = a->ban_time;
}

static void msh_admit_sources_cfg(const struct msh_admit_policy *a,
				  struct msh_sources_config *cfg)
{
	msh_sources_config_default(cfg);
	cfg->max_entries = a->max_sources;
	cfg->prefix4 = a->prefix4;
	cfg->prefix6 = a->prefix6;
	cfg->full_action = a->sources_full == MAILSHIELD_FULL_REFUSE ?
			   MSH_FULL_REFUSE : MSH_FULL_ADMIT;
}

/* ---- counters and events ----------------------------------------------- */

static void msh_admit_count(struct msh_net *mn, enum msh_stat idx)
{
	msh_stats_count(mn->stats, idx, 1);
}

struct msh_ban_event {
	const struct msh_source_info *info;
	u32 duration_s;
	bool ban;
};

/* Inside the MAILSHIELD_A_EVENT nest. */
static int msh_admit_fill_ban(struct sk_buff *skb, const void *arg)
{
	const struct msh_ban_event *ev = arg;
	const struct msh_source_info *i = ev->info;

	if (msh_nl_put_addr(skb, MAILSHIELD_EVENT_A_ADDR, i->family, &i->addr,
			    i->prefix_len) ||
	    nla_put_u32(skb, MAILSHIELD_EVENT_A_REASON, i->ban_reason) ||
	    (ev->ban && nla_put_u32(skb, MAILSHIELD_EVENT_A_DURATION,
				    ev->duration_s)))
		return -EMSGSIZE;
	return 0;
}

void msh_admit_ban_event(struct msh_net *mn, bool ban,
			 const struct msh_source_info *info, u32 duration_s,
			 gfp_t gfp)
{
	struct msh_ban_event ev = {
		.info = info, .duration_s = duration_s, .ban = ban,
	};

	msh_event_send_nested(mn->net, ban ? MAILSHIELD_EVENT_BAN :
			      MAILSHIELD_EVENT_UNBAN, msh_admit_fill_ban, &ev,
			      gfp);
}

/* Event for a source seen in the hook: the prefix is the keying prefix. */
static void msh_admit_event_addr(struct msh_net *mn,
				 const struct msh_admit_policy *a, bool ban,
				 u8 family, const union nf_inet_addr *addr,
				 u8 reason, u32 duration_s)
{
	struct msh_source_info info = {};

	info.family = family;
	info.addr = *addr;
	info.prefix_len = family == AF_INET ? a->prefix4 : a->prefix6;
	if (family == AF_INET)
		info.addr.ip &= inet_make_mask(info.prefix_len);
	else
		ipv6_addr_prefix(&info.addr.in6, &addr->in6, info.prefix_len);
	info.ban_reason = reason;
	msh_admit_ban_event(mn, ban, &info, duration_s, GFP_ATOMIC);
}

void msh_admit_banned(struct msh_net *mn, const struct msh_policy *p,
		      u8 family, const union nf_inet_addr *addr, u8 reason,
		      u32 duration_s)
{
	msh_admit_count(mn, MSH_STAT_BANS);
	msh_admit_event_addr(mn, &p->admit, true, family, addr, reason,
			     duration_s);
}

/* GC of the source table lifted an expired ban (RCU, atomic). */
static void msh_admit_expired(void *ctx, const struct msh_source_info *info)
{
	msh_admit_ban_event(ctx, false, info, 0, GFP_ATOMIC);
}

/* ---- packets ----------------------------------------------------------- */

/* A sender on this host itself: loopback or one of its own addresses. */
static bool msh_addr_local(struct net *net, u8 family,
			   const union nf_inet_addr *a)
{
	if (family == AF_INET)
		return ipv4_is_loopback(a->ip) ||
		       inet_addr_type(net, a->ip) == RTN_LOCAL;
#if IS_ENABLED(CONFIG_IPV6)
	return ipv6_addr_loopback(&a->in6) ||
	       ipv6_chk_addr(net, &a->in6, NULL, 0);
#else
	return false;
#endif
}

bool msh_admit_exempt(struct msh_net *mn, const struct msh_policy *p,
		      u8 family, const union nf_inet_addr *a)
{
	return msh_allowlist_match(mn->admit.allowlist, family, a) ||
	       (p->admit.exempt_local && msh_addr_local(mn->net, family, a));
}

/* RST to the client of @skb (a SYN or ACK seen at PRE_ROUTING). */
static void msh_admit_reset(struct net *net, struct sk_buff *skb, bool v6)
{
	if (v6) {
#if IS_ENABLED(CONFIG_NF_REJECT_IPV6)
		nf_send_reset6(net, NULL, skb, NF_INET_PRE_ROUTING);
#endif
	} else {
#if IS_ENABLED(CONFIG_NF_REJECT_IPV4)
		nf_send_reset(net, NULL, skb, NF_INET_PRE_ROUTING);
#endif
	}
}

/*
 * A SYN that the stack answers itself could open a TCP Fast Open
 * connection: the stack would create the socket from the SYN and hand its
 * data to the MTA before any handshake the module can check. Where the
 * namespace lets servers use Fast Open, such a SYN (data or a Fast Open
 * option) is dropped; the client's retry carries neither (RFC 7413 4.1.3).
 */
static bool msh_syn_fastopen(const struct net *net, const struct sk_buff *skb,
			     unsigned int thoff, const struct tcphdr *th)
{
	unsigned int hdrlen = th->doff * 4, off, len;
	u8 buf[MAX_TCP_OPTION_SPACE];
	const u8 *opt;

	if (!(READ_ONCE(net->ipv4.sysctl_tcp_fastopen) & TFO_SERVER_ENABLE))
		return false;
	if (skb->len > thoff + hdrlen)
		return true;
	len = hdrlen - sizeof(*th);
	opt = skb_header_pointer(skb, thoff + sizeof(*th), len, buf);
	if (!opt)
		return true;
	for (off = 0; off < len;) {
		if (opt[off] == TCPOPT_EOL)
			break;
		if (opt[off] == TCPOPT_NOP) {
			off++;
			continue;
		}
		if (off + 1 >= len || opt[off + 1] < 2)
			break;
		if (opt[off] == TCPOPT_FASTOPEN || opt[off] == TCPOPT_EXP)
			return true;
		off += opt[off + 1];
	}
	return false;
}

/*
 * Is the SYN addressed to this host? A SYN routed through it (or one that
 * is not unicast to us) is another host's business: no ban, no budget, no
 * cookie; the syncookie engine checks the same again for what it answers.
 */
static bool msh_admit_for_us(struct net *net, const struct sk_buff *skb,
			     const struct nf_hook_state *state, u8 family)
{
	if (skb->pkt_type != PACKET_HOST)
		return false;
	if (family == AF_INET)
		return inet_addr_type_dev_table(net, state->in,
						ip_hdr(skb)->daddr) == RTN_LOCAL;
#if IS_ENABLED(CONFIG_IPV6)
	return ipv6_chk_addr(net, &ipv6_hdr(skb)->daddr, state->in, 0);
#else
	return false;
#endif
}

/* One SYN-ACK from the prefix's budget; false, counted, when it is spent. */
static bool msh_admit_synack_budget(struct msh_net *mn,
				    const struct msh_admit_policy *a,
				    u8 family, const union nf_inet_addr *caddr)
{
	if (msh_synack_allow(mn->admit.synack, family, caddr,
			     family == AF_INET ? a->prefix4 : a->prefix6,
			     a->synack_rate))
		return true;
	msh_admit_count(mn, MSH_STAT_SYNACK_LIMITED);
	return false;
}

unsigned int msh_admit_syn(struct msh_net *mn, const struct msh_policy *p,
			   struct sk_buff *skb, unsigned int thoff,
			   const struct tcphdr *th,
			   const struct nf_hook_state *state, u8 family,
			   const union nf_inet_addr *caddr)
{
	const struct msh_admit_policy *a = &p->admit;
	struct msh_admit_net *an = &mn->admit;
	enum msh_sc_syn_result res;
	enum msh_ban_reason reason;
	bool exempt;

	if (!msh_admit_for_us(state->net, skb, state, family))
		return NF_ACCEPT;
	exempt = msh_admit_exempt(mn, p, family, caddr);
	if (!exempt) {
		switch (msh_sources_ban_check(an->sources, family, caddr,
					      msh_now(), &reason)) {
		case MSH_BAN_STATE_ACTIVE:
			msh_admit_count(mn, MSH_STAT_BANNED);
			if (a->ban_action == MAILSHIELD_BAN_RESET)
				msh_admit_reset(state->net, skb,
						family == AF_INET6);
			return NF_DROP;
		case MSH_BAN_STATE_EXPIRED:
			msh_admit_event_addr(mn, a, false, family, caddr,
					     reason, 0);
			break;
		case MSH_BAN_STATE_NONE:
			break;
		}
	}
	if (!a->syncookies) {
		res = MSH_SC_SYN_DISABLED;
		goto stack;
	}
	if (!exempt && !msh_admit_synack_budget(mn, a, family, caddr))
		return NF_DROP;
	if (family == AF_INET6)
		res = msh_syncookie_syn_v6(skb, thoff, state, an->synrtx,
					   a->synack_retries);
	else
		res = msh_syncookie_syn_v4(skb, thoff, state, an->synrtx,
					   a->synack_retries);
	if (res == MSH_SC_SYN_SENT)
		msh_admit_count(mn, MSH_STAT_COOKIES_SENT);
	if (msh_sc_syn_verdict(res) != NF_ACCEPT)
		return NF_DROP;
stack:
	/* the stack answers it: no Fast Open past the module */
	if (res != MSH_SC_SYN_NO_LISTENER && res != MSH_SC_SYN_NOT_LOCAL &&
	    msh_syn_fastopen(state->net, skb, thoff, th)) {
		msh_stats_count(mn->stats, MSH_STAT_BAD_SEGMENTS, 1);
		return NF_DROP;
	}
	return NF_ACCEPT;
}

/*
 * The address is proven and the client waits for a greeting: it gets the
 * SMTP answer an MTA's own connection limits give (421, a temporary
 * error: the sending MTA tries again later and logs why) and a FIN, as
 * if the server had spoken first and closed. The client's ACK is dropped,
 * so the kernel never creates a socket; the client's last segments find
 * none and fail the cookie check.
 */
static void msh_admit_refuse(struct net *net, struct sk_buff *skb,
			     const struct tcphdr *th, bool v6,
			     enum msh_stat why)
{
	static const char conc[] =
		"421 4.7.0 Too many connections from your address, try again later\r\n";
	static const char rate[] =
		"421 4.7.0 Too many connections too fast, try again later\r\n";
	static const char busy[] =
		"421 4.3.2 Service busy, try again later\r\n";
	const char *text = why == MSH_STAT_OVER_CONCURRENCY ? conc :
			   why == MSH_STAT_OVER_RATE ? rate : busy;
	u32 seq = ntohl(th->ack_seq), ack = ntohl(th->seq);

	msh_send_client(net, skb, th, v6, seq, ack,
			TCPHDR_PSH | TCPHDR_ACK | TCPHDR_FIN, text,
			strlen(text));
}

unsigned int msh_admit_conn(struct msh_net *mn, const struct msh_policy *p,
			    struct sk_buff *skb, const struct tcphdr *th,
			    const struct nf_hook_state *state, u8 family,
			    const union nf_inet_addr *caddr,
			    struct msh_source **out)
{
	const struct msh_admit_policy *a = &p->admit;
	struct msh_admit_net *an = &mn->admit;
	struct msh_admit_info info;
	enum msh_admit_verdict v;
	struct msh_source *src;
	struct msh_limits lim;
	enum msh_stat refused;

	*out = NULL;
	if (msh_admit_exempt(mn, p, family, caddr)) {
		msh_admit_count(mn, MSH_STAT_ALLOWLISTED);
		return NF_ACCEPT;
	}

	msh_admit_limits(a, &lim);
	v = msh_sources_admit(an->sources, family, caddr, msh_now(), &lim,
			      &src, &info);
	if (info.expired)
		msh_admit_event_addr(mn, a, false, family, caddr,
				     info.expired, 0);
	if (info.banned) {
		msh_admit_count(mn, MSH_STAT_BANS);
		msh_admit_event_addr(mn, a, true, family, caddr, info.banned,
				     lim.ban_s);
	}

	switch (v) {
	case MSH_ADMIT_OK:
		msh_synack_proven(an->synack, family, caddr,
				  family == AF_INET ? a->prefix4 : a->prefix6);
		if (!src)	/* table full or no memory: unaccounted */
			msh_admit_count(mn, MSH_STAT_SOURCES_FULL);
		*out = src;
		return NF_ACCEPT;
	case MSH_ADMIT_BANNED:
		msh_admit_count(mn, MSH_STAT_BANNED);
		if (a->ban_action == MAILSHIELD_BAN_RESET)
			msh_admit_reset(state->net, skb, family == AF_INET6);
		return NF_DROP;
	case MSH_ADMIT_OVER_CONCURRENCY:
		refused = MSH_STAT_OVER_CONCURRENCY;
		break;
	case MSH_ADMIT_OVER_RATE:
		refused = MSH_STAT_OVER_RATE;
		break;
	case MSH_ADMIT_TABLE_FULL:
		refused = MSH_STAT_SOURCES_FULL;
		break;
	default:
		return NF_ACCEPT;
	}
	msh_admit_count(mn, refused);
	msh_admit_refuse(state->net, skb, th, family == AF_INET6, refused);
	return NF_DROP;
}

void msh_admit_stat(struct msh_net *mn, enum msh_stat idx)
{
	msh_admit_count(mn, idx);
}

/* ---- lifetime ---------------------------------------------------------- */

void msh_admit_policy_changed(struct msh_net *mn, const struct msh_policy *p)
{
	struct msh_sources_config cfg;
	const char *msg;

	if (!msh_net_ready(mn))	/* made with the policy of their time */
		return;
	msh_admit_sources_cfg(&p->admit, &cfg);
	if (msh_sources_configure(mn->admit.sources, &cfg, msh_now(), &msg))
		pr_warn("source table not reconfigured: %s\n", msg);
}

int msh_admit_net_init(struct msh_net *mn)
{
	struct msh_admit_net *an = &mn->admit;

	an->allowlist = msh_allowlist_create();
	if (!an->allowlist)
		return -ENOMEM;
	an->sysctl_warn = msh_syncookie_sysctl_check(mn->net);
	return 0;
}

/*
 * The SYN-ACK retransmission timer asks before each copy goes out again:
 * the policy must still want it, and the prefix's SYN-ACK budget pays for
 * it as for a first SYN-ACK.
 */
static bool msh_admit_rtx_allow(void *ctx, u8 family,
				const union nf_inet_addr *caddr)
{
	struct msh_net *mn = ctx;
	const struct msh_policy *p = rcu_dereference(mn->policy);
	const struct msh_admit_policy *a = &p->admit;

	if (!p->enabled || !a->syncookies || !a->synack_retries)
		return false;
	if (!msh_admit_exempt(mn, p, family, caddr) &&
	    !msh_admit_synack_budget(mn, a, family, caddr))
		return false;
	msh_admit_count(mn, MSH_STAT_SYNACK_RETRANS);
	return true;
}

int msh_admit_tables_init(struct msh_net *mn)
{
	struct msh_admit_net *an = &mn->admit;
	struct msh_sources_config cfg;
	struct msh_policy p;

	msh_policy_get(mn, &p);
	msh_admit_sources_cfg(&p.admit, &cfg);
	an->sources = msh_sources_create(&cfg, msh_admit_expired, mn);
	if (!an->sources)
		return -ENOMEM;
	an->synack = msh_synack_create();
	if (!an->synack)
		goto err_sources;
	an->synrtx = msh_synrtx_create(mn->net, msh_admit_rtx_allow, mn);
	if (!an->synrtx)
		goto err_synack;
	return 0;

err_synack:
	msh_synack_destroy(an->synack);
	an->synack = NULL;
err_sources:
	msh_sources_destroy(an->sources);
	an->sources = NULL;
	return -ENOMEM;
}

void msh_admit_tables_exit(struct msh_net *mn)
{
	struct msh_admit_net *an = &mn->admit;

	/* the flow table, which points into the source table, is gone */
	msh_synrtx_destroy(an->synrtx);	/* its timer uses the budget */
	an->synrtx = NULL;
	msh_synack_destroy(an->synack);
	an->synack = NULL;
	msh_sources_destroy(an->sources);
	an->sources = NULL;
}

void msh_admit_net_exit(struct msh_net *mn)
{
	msh_admit_tables_exit(mn);
	msh_allowlist_destroy(mn->admit.allowlist);
	mn->admit.allowlist = NULL;
}
