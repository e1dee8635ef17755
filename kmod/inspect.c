// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * In-order stream view and enforcement.
 *
 * Flow creation. A flow is created on the first client segment of a
 * connection that has ACK set and neither SYN nor RST, when either the
 * established table holds a request socket for it (normal handshake: the
 * segment is the third ACK or the first data after it) or the ACK carries
 * a valid SYN cookie (the handshake was answered with a cookie, by the
 * kernel or by mailshield's cookie engine: no request socket exists). The
 * client's next sequence number is the segment's seq, the server's is its
 * ack_seq. A segment of a connection that is already fully established
 * without a flow (opened before the module was loaded, or while the table
 * was full) is passed uninspected: its SMTP state is unknown.
 *
 * Client bytes (PRE_ROUTING). A segment that starts beyond the next
 * expected byte is dropped (counted as ooo_drops): the client resends in
 * order. Bytes before the next expected byte were inspected already and
 * are skipped (retrans_bytes) and passed: the TCP stack keeps its copy.
 * The rest is read in chunks of MSH_CHUNK bytes with skb_copy_bits(),
 * which walks frags and frag lists of GRO skbs without linearising.
 *
 * Server bytes (LOCAL_OUT) drive the parser's reply FIFO; the stack sends
 * in order, so only bytes beyond the highest seen are fed.
 *
 * Enforcement. A rejecting violation drops the whole segment that holds
 * the offending byte, also the clean bytes before it in that segment: the
 * connection is closed anyway, and those bytes are at most the tail of a
 * command (or a pipelined group) whose reply the client would never get.
 * The client then gets the SMTP reply (500 5.5.2 for an overlong line,
 * 421 4.7.0 and the reason otherwise) with FIN, at the server's snd_nxt
 * and acknowledging the clean bytes; the dropped segment itself is
 * rewritten into a RST with the seq the local socket expects, so the MTA
 * sees ECONNRESET and frees the connection (with action "reset" the
 * client gets a RST instead of the reply). Log-only reasons are counted,
 * reported and passed. Reply-side reasons never block.
 */

#include "inspect.h"
#include "admit.h"
#include "allowlist.h"
#include "compat.h"
#include "events.h"
#include "flows.h"
#include "netns.h"
#include "policy.h"
#include "sources.h"

#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/tcp.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/tcp.h>

#define MSH_CHUNK	256

static void msh_istat_add(struct msh_net *mn, unsigned int idx, u64 val)
{
	struct msh_istats_pcpu *s;
	unsigned long flags;

	s = get_cpu_ptr(mn->istats);
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->ctr[idx], val);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(mn->istats);
}

void msh_inspect_stats_fold(struct msh_net *mn, struct msh_istats *out)
{
	u64 snap[MSH_ISTAT_NUM];
	unsigned int start;
	int cpu, i;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct msh_istats_pcpu *s = per_cpu_ptr(mn->istats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < MSH_ISTAT_NUM; i++)
				snap[i] = u64_stats_read(&s->ctr[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < MSH_ISTAT_NUM; i++)
			out->ctr[i] += snap[i];
	}
}

int msh_inspect_net_init(struct msh_net *mn)
{
	int cpu;

	mn->istats = alloc_percpu(struct msh_istats_pcpu);
	if (!mn->istats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(mn->istats, cpu)->syncp);

	mn->flows = msh_flows_create(mn);
	if (!mn->flows) {
		free_percpu(mn->istats);
		mn->istats = NULL;
		return -ENOMEM;
	}
	return 0;
}

void msh_inspect_net_exit(struct msh_net *mn)
{
	msh_flows_destroy(mn->flows);
	mn->flows = NULL;
	free_percpu(mn->istats);
	mn->istats = NULL;
}

/* ------------------------------------------------------------- events */

struct msh_viol_event {
	const struct msh_flow_key *key;
	u32 reason;
	bool logged;
};

static int msh_fill_violation(struct sk_buff *skb, const void *arg)
{
	const struct msh_viol_event *ev = arg;
	const struct msh_flow_key *k = ev->key;
	struct nlattr *addr;
	int ret;

	addr = nla_nest_start(skb, MAILSHIELD_EVENT_A_ADDR);
	if (!addr)
		return -EMSGSIZE;
	if (k->family == NFPROTO_IPV4)
		ret = nla_put_in_addr(skb, MAILSHIELD_ADDR_A_V4, k->caddr.ip);
	else
		ret = nla_put_in6_addr(skb, MAILSHIELD_ADDR_A_V6,
				       &k->caddr.in6);
	if (ret)
		return ret;
	nla_nest_end(skb, addr);

	if (nla_put_u32(skb, MAILSHIELD_EVENT_A_REASON, ev->reason) ||
	    nla_put_u16(skb, MAILSHIELD_EVENT_A_SPORT, ntohs(k->cport)) ||
	    nla_put_u16(skb, MAILSHIELD_EVENT_A_DPORT, ntohs(k->sport)) ||
	    nla_put_u8(skb, MAILSHIELD_EVENT_A_LOGGED, ev->logged))
		return -EMSGSIZE;
	return 0;
}

/*
 * One rejected violation (one offending byte, whatever its reasons)
 * counts once against the client's source entry (sources.h); over the policy's
 * violation_ban in violation_window seconds the source is banned, which
 * the admission code enforces on its next SYN. Allowlisted sources are
 * never counted. Under RCU (the hooks).
 */
static void msh_violation_source(struct msh_net *mn,
				 const struct msh_policy *p,
				 const struct msh_flow_key *k)
{
	struct msh_admit_net *an = &mn->admit;
	struct msh_source_info info = {};
	struct msh_stats_pcpu *s;
	struct msh_source *src;
	struct msh_limits lim;
	unsigned long flags;
	u64 now = msh_now();

	if (!an->sources || !p->smtp.violation_ban ||
	    msh_allowlist_match(an->allowlist, k->family, &k->caddr))
		return;
	if (msh_sources_lookup_or_create(an->sources, k->family, &k->caddr,
					 now, &src) > MSH_SRC_CREATED)
		return;

	msh_limits_default(&lim);
	lim.violation_threshold = p->smtp.violation_ban;
	lim.window_s = p->smtp.violation_window;
	lim.ban_s = p->admit.ban_time;
	if (!msh_source_count(an->sources, src, now, &lim,
			      MSH_COUNT_VIOLATION))
		return;

	s = msh_stats_begin(mn->stats, &flags);
	msh_stats_add(s, MSH_STAT_BANS, 1);
	msh_stats_end(mn->stats, s, flags);

	info.family = k->family;
	info.addr = k->caddr;
	info.prefix_len = k->family == AF_INET ? p->admit.prefix4 :
						 p->admit.prefix6;
	if (k->family == AF_INET)
		info.addr.ip &= inet_make_mask(info.prefix_len);
	else
		ipv6_addr_prefix(&info.addr.in6, &k->caddr.in6,
				 info.prefix_len);
	info.ban_reason = MSH_BAN_VIOLATIONS;
	msh_admit_ban_event(mn, true, &info, lim.ban_s, GFP_ATOMIC);
}

/*
 * Counts every reason of @mask, reports it and hands it to the per-source
 * accounting. No flow lock held.
 */
static void msh_violations(struct msh_net *mn, struct msh_flows *ft,
			   struct msh_flow *f, u32 mask, u32 log_only)
{
	struct msh_viol_event ev = { .key = &f->key };
	unsigned int r;

	for (r = 0; r < MSH_SMTP_R_COUNT; r++) {
		if (!(mask & MSH_SMTP_BIT(r)))
			continue;
		ev.reason = r;
		ev.logged = !!(log_only & MSH_SMTP_BIT(r));
		msh_istat_add(mn, MSH_ISTAT_VIOLATIONS, 1);
		msh_istat_add(mn, MSH_ISTAT_REASON0 + r, 1);
		if (ev.logged)
			msh_istat_add(mn, MSH_ISTAT_VIOLATIONS_LOGGED, 1);
		msh_event_send_nested(mn->net, MAILSHIELD_EVENT_VIOLATION,
				      msh_fill_violation, &ev, GFP_ATOMIC);
		if (ft->ops && ft->ops->violation)
			ft->ops->violation(ft->ops_ctx, f, r);
	}
}

/* ------------------------------------------------------ packet output */

/*
 * Sends a segment to the client of @oskb (a client segment seen at
 * PRE_ROUTING): from the server's address and port, with @seq, @ack,
 * @flags (TCPHDR_*) and @len bytes of @data. Built by hand, so that the
 * inspector itself needs no nf_reject_ipv4/6 helper.
 */
static void msh_send_client(struct net *net, struct sk_buff *oskb,
			    const struct tcphdr *oth, bool v6, u32 seq,
			    u32 ack, u8 flags, const char *data,
			    unsigned int len)
{
	unsigned int hlen = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	unsigned int tcplen = sizeof(struct tcphdr) + len;
	struct sk_buff *nskb;
	struct tcphdr *th;

	nskb = alloc_skb(LL_MAX_HEADER + hlen + tcplen, GFP_ATOMIC);
	if (!nskb)
		return;
	skb_reserve(nskb, LL_MAX_HEADER);

	/* the IP header of a reply, as nf_reject_ipv4/6 build theirs */
	skb_reset_network_header(nskb);
	if (!v6) {
		const struct iphdr *oiph = ip_hdr(oskb);
		struct iphdr *niph = skb_put_zero(nskb, sizeof(*niph));

		niph->version = 4;
		niph->ihl = sizeof(*niph) / 4;
		niph->frag_off = htons(IP_DF);
		niph->protocol = IPPROTO_TCP;
		niph->ttl = READ_ONCE(net->ipv4.sysctl_ip_default_ttl);
		niph->saddr = oiph->daddr;
		niph->daddr = oiph->saddr;
		nskb->protocol = htons(ETH_P_IP);
#if IS_ENABLED(CONFIG_IPV6)
	} else {
		const struct ipv6hdr *oip6h = ipv6_hdr(oskb);
		struct ipv6hdr *nip6h = skb_put_zero(nskb, sizeof(*nip6h));

		ip6_flow_hdr(nip6h, 0, 0);
		nip6h->hop_limit = READ_ONCE(net->ipv6.devconf_all->hop_limit);
		nip6h->nexthdr = IPPROTO_TCP;
		nip6h->saddr = oip6h->daddr;
		nip6h->daddr = oip6h->saddr;
		nskb->protocol = htons(ETH_P_IPV6);
#endif
	}

	skb_reset_transport_header(nskb);
	th = skb_put_zero(nskb, sizeof(*th));
	th->source = oth->dest;
	th->dest = oth->source;
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = sizeof(*th) / 4;
	tcp_flag_byte(th) = flags;
	th->window = htons(1024);
	if (len)
		skb_put_data(nskb, data, len);
	nskb->ip_summed = CHECKSUM_NONE;

	if (!v6) {
		struct iphdr *iph = ip_hdr(nskb);
		struct flowi4 fl4 = {
			.daddr = iph->daddr,
			.saddr = iph->saddr,
			.flowi4_proto = IPPROTO_TCP,
		};
		struct rtable *rt;

		th->check = tcp_v4_check(tcplen, iph->saddr, iph->daddr,
					 csum_partial(th, tcplen, 0));
		rt = ip_route_output_key(net, &fl4);
		if (IS_ERR(rt))
			goto err_free;
		skb_dst_set(nskb, &rt->dst);
		ip_local_out(net, NULL, nskb);
		return;
	}
#if IS_ENABLED(CONFIG_IPV6)
	{
		struct ipv6hdr *ip6h = ipv6_hdr(nskb);
		struct flowi6 fl6 = {
			.daddr = ip6h->daddr,
			.saddr = ip6h->saddr,
			.flowi6_proto = IPPROTO_TCP,
		};
		struct dst_entry *dst;

		th->check = tcp_v6_check(tcplen, &ip6h->saddr, &ip6h->daddr,
					 csum_partial(th, tcplen, 0));
		dst = ip6_route_output(net, NULL, &fl6);
		if (dst->error) {
			dst_release(dst);
			goto err_free;
		}
		skb_dst_set(nskb, dst);
		ip6_local_out(net, NULL, nskb);
		return;
	}
#endif
err_free:
	kfree_skb(nskb);
}

/*
 * Rewrites the client segment @skb in place into a bare RST with @seq, for
 * the local socket. Returns 0, or a negative errno (then drop it).
 */
static int msh_skb_to_rst(struct sk_buff *skb, unsigned int thoff, bool v6,
			  u32 seq)
{
	unsigned int hdrlen;
	struct tcphdr *th;

	if (skb_ensure_writable(skb, thoff + sizeof(*th)))
		return -ENOMEM;
	th = (struct tcphdr *)(skb->data + thoff);
	hdrlen = th->doff * 4;
	if (skb_ensure_writable(skb, thoff + hdrlen) ||
	    pskb_trim(skb, thoff + hdrlen))
		return -ENOMEM;
	if (skb_is_gso(skb))
		skb_gso_reset(skb);

	th = (struct tcphdr *)(skb->data + thoff);
	tcp_flag_byte(th) = TCPHDR_RST | TCPHDR_ACK;
	th->seq = htonl(seq);
	th->urg_ptr = 0;
	th->check = 0;
	if (!v6) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len - skb_network_offset(skb));
		ip_send_check(iph);
		th->check = tcp_v4_check(hdrlen, iph->saddr, iph->daddr,
					 csum_partial(th, hdrlen, 0));
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->payload_len = htons(skb->len - skb_network_offset(skb) -
					  sizeof(*ip6h));
		th->check = tcp_v6_check(hdrlen, &ip6h->saddr, &ip6h->daddr,
					 csum_partial(th, hdrlen, 0));
	}
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

static const char *msh_reply_text(unsigned int reason, unsigned int *len)
{
	static const char line[] = "500 5.5.2 Line too long\r\n";
	static const char addr[] = "501 5.1.3 Address too long\r\n";
	static const char *const other[MSH_SMTP_R_COUNT] = {
		[MSH_SMTP_R_BARE_LF] = "421 4.7.0 Bare LF not allowed\r\n",
		[MSH_SMTP_R_BARE_CR] = "421 4.7.0 Bare CR not allowed\r\n",
		[MSH_SMTP_R_SMUGGLE] = "421 4.7.0 SMTP smuggling attempt\r\n",
		[MSH_SMTP_R_NUL] = "421 4.7.0 NUL byte not allowed\r\n",
		[MSH_SMTP_R_PREGREET] = "421 4.7.0 Talking before the greeting\r\n",
		[MSH_SMTP_R_STARTTLS_INJECT] =
			"421 4.7.0 Data injected after STARTTLS\r\n",
		[MSH_SMTP_R_PIPELINE] = "421 4.7.0 Improper pipelining\r\n",
		[MSH_SMTP_R_PIPELINE_DEPTH] =
			"421 4.7.0 Too many commands in flight\r\n",
		[MSH_SMTP_R_JUNK] = "421 4.7.0 Too many unknown commands\r\n",
		[MSH_SMTP_R_BDAT] = "421 4.7.0 Invalid BDAT\r\n",
	};
	const char *t;

	switch (reason) {
	case MSH_SMTP_R_CMD_LINE:
	case MSH_SMTP_R_TEXT_LINE:
	case MSH_SMTP_R_AUTH_LINE:
		t = line;
		break;
	case MSH_SMTP_R_LOCAL_PART:
	case MSH_SMTP_R_DOMAIN:
	case MSH_SMTP_R_PATH:
		t = addr;
		break;
	default:
		t = reason < MSH_SMTP_R_COUNT && other[reason] ?
		    other[reason] : "421 4.7.0 Protocol violation\r\n";
	}
	*len = strlen(t);
	return t;
}

/* --------------------------------------------------------- stream view */

static void msh_flow_key_rx(struct msh_flow_key *k,
			    const struct msh_inspect_pkt *pkt)
{
	memset(k, 0, sizeof(*k));
	if (!pkt->v6) {
		const struct iphdr *iph = ip_hdr(pkt->skb);

		k->caddr.ip = iph->saddr;
		k->saddr.ip = iph->daddr;
		k->family = NFPROTO_IPV4;
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(pkt->skb);

		k->caddr.in6 = ip6h->saddr;
		k->saddr.in6 = ip6h->daddr;
		k->family = NFPROTO_IPV6;
	}
	k->cport = pkt->th->source;
	k->sport = pkt->th->dest;
}

static void msh_flow_key_tx(struct msh_flow_key *k,
			    const struct msh_inspect_pkt *pkt)
{
	memset(k, 0, sizeof(*k));
	if (!pkt->v6) {
		const struct iphdr *iph = ip_hdr(pkt->skb);

		k->caddr.ip = iph->daddr;
		k->saddr.ip = iph->saddr;
		k->family = NFPROTO_IPV4;
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(pkt->skb);

		k->caddr.in6 = ip6h->daddr;
		k->saddr.in6 = ip6h->saddr;
		k->family = NFPROTO_IPV6;
	}
	k->cport = pkt->th->dest;
	k->sport = pkt->th->source;
}

/* Is this client ACK the start of a connection we should follow? */
static bool msh_new_conn(struct net *net, const struct msh_inspect_pkt *pkt)
{
	struct inet_hashinfo *hinfo = msh_tcp_hashinfo(net);
	const struct net_device *in = pkt->state->in;
	const struct tcphdr *th = pkt->th;
	int dif = in ? in->ifindex : 0;
	struct sock *sk;
	bool ok;

	if (!pkt->v6) {
		const struct iphdr *iph = ip_hdr(pkt->skb);

		sk = __inet_lookup_established(net, hinfo, iph->saddr,
					       th->source, iph->daddr,
					       ntohs(th->dest), dif, 0);
		if (sk) {
			ok = sk->sk_state == TCP_NEW_SYN_RECV;
			sock_gen_put(sk);
			return ok;
		}
		return __cookie_v4_check(iph, th, ntohl(th->ack_seq) - 1);
	}
#if IS_ENABLED(CONFIG_IPV6)
	{
		const struct ipv6hdr *ip6h = ipv6_hdr(pkt->skb);

		sk = __inet6_lookup_established(net, hinfo, &ip6h->saddr,
						th->source, &ip6h->daddr,
						ntohs(th->dest), dif, 0);
		if (sk) {
			ok = sk->sk_state == TCP_NEW_SYN_RECV;
			sock_gen_put(sk);
			return ok;
		}
		return __cookie_v6_check(ip6h, th, ntohl(th->ack_seq) - 1);
	}
#else
	return false;
#endif
}

static unsigned int msh_payload_len(const struct msh_inspect_pkt *pkt)
{
	unsigned int hdr = pkt->thoff + pkt->th->doff * 4;

	return pkt->skb->len > hdr ? pkt->skb->len - hdr : 0;
}

/*
 * Feeds bytes [from, plen) of the payload to one direction of the parser.
 * Flow lock held. Returns the reasons seen; *reject the ones not only
 * logged (feeding stops at the first of those).
 */
static u32 msh_feed(struct msh_flow *f, const struct msh_smtp_policy *sp,
		    const struct msh_inspect_pkt *pkt, unsigned int from,
		    unsigned int plen, bool client, u32 *reject)
{
	unsigned int dataoff = pkt->thoff + pkt->th->doff * 4;
	u32 seen = 0, n, base, off, mask;
	u8 buf[MSH_CHUNK];

	*reject = 0;
	while (from < plen) {
		n = min_t(u32, plen - from, sizeof(buf));
		if (skb_copy_bits(pkt->skb, dataoff + from, buf, n))
			break;
		for (base = 0; base < n; base += off + 1) {
			if (client)
				mask = msh_smtp_feed_client(&f->smtp, &sp->lim,
							    NULL, buf + base,
							    n - base, &off);
			else
				mask = msh_smtp_feed_server(&f->smtp, &sp->lim,
							    buf + base,
							    n - base, &off);
			if (!mask)
				break;
			seen |= mask;
			f->violations++;
			if (client && (mask & ~sp->log_only)) {
				*reject = mask & ~sp->log_only;
				return seen;
			}
		}
		from += n;
	}
	return seen;
}

static void msh_enforce(struct msh_net *mn, const struct msh_smtp_policy *sp,
			const struct msh_inspect_pkt *pkt, u32 reject,
			u32 cnext, u32 snext)
{
	unsigned int reason = __ffs(reject), len;
	const char *text;

	/* the more telling reason of an end-of-data look-alike */
	if (reject & MSH_SMTP_BIT(MSH_SMTP_R_SMUGGLE))
		reason = MSH_SMTP_R_SMUGGLE;

	if (sp->violation_action == MAILSHIELD_VIOLATION_RESET) {
		msh_send_client(mn->net, pkt->skb, pkt->th, pkt->v6, snext,
				cnext, TCPHDR_RST | TCPHDR_ACK, NULL, 0);
		return;
	}
	text = msh_reply_text(reason, &len);
	msh_send_client(mn->net, pkt->skb, pkt->th, pkt->v6, snext, cnext,
			TCPHDR_PSH | TCPHDR_ACK | TCPHDR_FIN, text, len);
}

unsigned int msh_inspect_rx(struct msh_net *mn, const struct msh_policy *p,
			    const struct msh_inspect_pkt *pkt)
{
	const struct msh_smtp_policy *sp = &p->smtp;
	const struct tcphdr *th = pkt->th;
	struct msh_flows *ft = mn->flows;
	u32 seq, skip, seen = 0, reject = 0;
	u32 cnext = 0, snext = 0;
	struct msh_flow_key key;
	unsigned int plen;
	struct msh_flow *f;
	bool ooo = false;

	msh_flow_key_rx(&key, pkt);
	f = msh_flow_lookup(ft, &key);
	if (!f) {
		if (th->syn || th->rst || !th->ack || th->fin)
			return NF_ACCEPT;
		if (!msh_new_conn(mn->net, pkt))
			return NF_ACCEPT;
		switch (msh_flow_add(ft, &key, ntohl(th->seq),
				     ntohl(th->ack_seq),
				     msh_smtp_policy_tls_port(sp,
							      ntohs(th->dest)),
				     sp->max_flows, &f)) {
		case MSH_FLOW_ADDED:
			msh_istat_add(mn, MSH_ISTAT_FLOWS_CREATED, 1);
			break;
		case MSH_FLOW_EXISTS:
			break;
		case MSH_FLOW_FULL:
		case MSH_FLOW_NOMEM:
			msh_istat_add(mn, MSH_ISTAT_FLOWS_FULL, 1);
			if (sp->flows_full != MAILSHIELD_FULL_REFUSE)
				return NF_ACCEPT;
			fallthrough;
		case MSH_FLOW_REFUSED:
			plen = msh_payload_len(pkt);
			msh_send_client(mn->net, pkt->skb, th, pkt->v6,
					ntohl(th->ack_seq),
					ntohl(th->seq) + plen,
					TCPHDR_RST | TCPHDR_ACK, NULL, 0);
			return NF_DROP;
		}
	}

	if (th->rst) {
		msh_flow_remove(ft, f);
		return NF_ACCEPT;
	}
	if (th->syn)
		return NF_ACCEPT;

	plen = msh_payload_len(pkt);
	seq = ntohl(th->seq);

	spin_lock_bh(&f->lock);
	if (f->unlinked) {
		spin_unlock_bh(&f->lock);
		return NF_ACCEPT;
	}
	WRITE_ONCE(f->last, jiffies);
	if (plen) {
		if (after(seq, f->cnext)) {
			ooo = true;
		} else {
			skip = f->cnext - seq;
			if (skip >= plen) {
				skip = plen;
			} else {
				seen = msh_feed(f, sp, pkt, skip, plen, true,
						&reject);
				if (!reject) {
					f->cnext = seq + plen;
					f->cbytes += plen - skip;
				}
			}
			if (skip)
				msh_istat_add(mn, MSH_ISTAT_RETRANS_BYTES,
					      skip);
		}
	}
	cnext = f->cnext;
	snext = f->snext;
	spin_unlock_bh(&f->lock);

	if (ooo) {
		msh_istat_add(mn, MSH_ISTAT_OOO_DROPS, 1);
		return NF_DROP;
	}
	if (seen)
		msh_violations(mn, ft, f, seen, sp->log_only);
	/* log-only reasons are for a safe roll-out: they never ban */
	if (reject)
		msh_violation_source(mn, p, &f->key);
	if (reject) {
		msh_flow_remove(ft, f);
		msh_enforce(mn, sp, pkt, reject, cnext, snext);
		if (msh_skb_to_rst(pkt->skb, pkt->thoff, pkt->v6, cnext))
			return NF_DROP;
		return NF_ACCEPT;
	}
	if (th->fin)
		msh_flow_remove(ft, f);
	return NF_ACCEPT;
}

unsigned int msh_inspect_tx(struct msh_net *mn, const struct msh_policy *p,
			    const struct msh_inspect_pkt *pkt)
{
	const struct msh_smtp_policy *sp = &p->smtp;
	const struct tcphdr *th = pkt->th;
	struct msh_flows *ft = mn->flows;
	u32 seq, end, skip, seen = 0, reject;
	struct msh_flow_key key;
	unsigned int plen;
	struct msh_flow *f;

	msh_flow_key_tx(&key, pkt);
	f = msh_flow_lookup(ft, &key);
	if (!f)
		return NF_ACCEPT;
	if (th->rst) {
		msh_flow_remove(ft, f);
		return NF_ACCEPT;
	}
	if (th->syn)
		return NF_ACCEPT;

	plen = msh_payload_len(pkt);
	seq = ntohl(th->seq);
	end = seq + plen;

	spin_lock_bh(&f->lock);
	if (f->unlinked) {
		spin_unlock_bh(&f->lock);
		return NF_ACCEPT;
	}
	WRITE_ONCE(f->last, jiffies);
	if (plen && after(end, f->snext)) {
		skip = before(seq, f->snext) ? f->snext - seq : 0;
		seen = msh_feed(f, sp, pkt, skip, plen, false, &reject);
		f->sbytes += plen - skip;
		f->snext = end;
	}
	spin_unlock_bh(&f->lock);

	if (seen)
		msh_violations(mn, ft, f, seen, seen);
	if (th->fin)
		msh_flow_remove(ft, f);
	return NF_ACCEPT;
}
