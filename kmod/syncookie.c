// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Always-on SYN cookies for the protected ports (host mode); see
 * syncookie.h for the model.
 *
 * What the SYN-ACK must agree on with the kernel, which rebuilds the
 * connection from the returning ACK in cookie_v4_check() and
 * cookie_v6_check() (net/ipv4/syncookies.c, net/ipv6/syncookies.c):
 *  - ISN: __cookie_v4_init_sequence() / __cookie_v6_init_sequence() over
 *    the SYN's addresses, ports and sequence, the MSS mapped down onto the
 *    cookie table (floor: its first entry); __cookie_v*_check() decodes it.
 *  - TSval: the low 6 bits carry wscale/SACK/ECN as cookie_init_timestamp()
 *    puts them, plus the per-flow offset the kernel subtracts from the
 *    echoed TSecr: secure_tcp_seq_and_ts_off(net, local, remote, lport,
 *    rport).ts_off on Debian's 6.1.y (secure_tcpv6_... for IPv6); the child
 *    keeps it as tp->tsoffset, so its timestamps stay monotonic with ours.
 *  - Window and wscale: tcp_select_initial_window() with the inputs the
 *    kernel uses there: the listener's tcp_full_space(), the cookie MSS,
 *    the window clamp from the listener or RTAX_WINDOW of the route the
 *    kernel looks up (same flow key as ours), RTAX_INITRWND of that route.
 *  - A SYN without timestamps gets only an MSS option: the cookie cannot
 *    carry wscale or SACK then, exactly as tcp_conn_request() does.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/addrconf.h>
#include <net/dsfield.h>
#include <net/inet6_hashtables.h>
#include <net/inet_ecn.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/l3mdev.h>
#include <net/mptcp.h>
#include <net/route.h>
#include <net/secure_seq.h>
#include <net/tcp.h>

#include "compat.h"
#include "syncookie.h"
#include "synopts.h"
#include "synrtx.h"

/* af_ops->mss_clamp of tcp_request_sock_ipv6_ops (IPv4: TCP_MSS_DEFAULT) */
#define MSH_MSS_DEFAULT_V6	(IPV6_MIN_MTU - sizeof(struct tcphdr) - \
				 sizeof(struct ipv6hdr))

/* A TCP header with room for the longest option block (doff 15). */
union msh_tcp_hdr {
	struct tcphdr th;
	u8 raw[15 * 4];
};

/* What both families hand to the common SYN-ACK builder. */
struct msh_sc_reply {
	struct msh_sc_synack_opts opts;
	u32 isn;
	u16 window;
	bool ecn;
};

unsigned int msh_syncookie_sysctl_check(const struct net *net)
{
	unsigned int warn = 0;

	if (!READ_ONCE(net->ipv4.sysctl_tcp_syncookies)) {
		pr_warn_once("net.ipv4.tcp_syncookies is 0: SYN cookies on the protected ports are off, the kernel would reject them\n");
		warn |= MSH_SC_WARN_NO_SYNCOOKIES;
	}
	if (!READ_ONCE(net->ipv4.sysctl_tcp_timestamps)) {
		pr_warn_once("net.ipv4.tcp_timestamps is 0: SYN cookies carry only the MSS (no window scaling, no SACK)\n");
		warn |= MSH_SC_WARN_NO_TIMESTAMPS;
	}
	return warn;
}

/*
 * Copy the TCP header with its options. Return false when it is truncated
 * or its data offset is impossible.
 */
static bool msh_sc_get_tcphdr(const struct sk_buff *skb, unsigned int thoff,
			      union msh_tcp_hdr *h)
{
	const struct tcphdr *th;
	unsigned int len;

	th = skb_header_pointer(skb, thoff, sizeof(*th), &h->th);
	if (!th)
		return false;
	len = th->doff * 4;
	if (len < sizeof(*th))
		return false;
	return !skb_copy_bits(skb, thoff, h->raw, len);
}

/*
 * Interface indexes as tcp_v4_rcv()/tcp_v6_rcv() will see them once the
 * packet has passed l3mdev (VRF) handling: dif is the VRF master and sdif
 * the enslaved device, or dif the device and sdif 0.
 */
static void msh_sc_ifindexes(const struct net_device *in, int *dif, int *sdif)
{
	*dif = in ? in->ifindex : 0;
	*sdif = 0;
	if (in && netif_is_l3_slave(in)) {
		*sdif = in->ifindex;
		*dif = l3mdev_master_ifindex_rcu(in);
	}
}

static u8 msh_sc_enabled_opts(const struct net *net)
{
	u8 en = 0;

	if (READ_ONCE(net->ipv4.sysctl_tcp_window_scaling))
		en |= MSH_SC_OPT_WSCALE;
	if (READ_ONCE(net->ipv4.sysctl_tcp_sack))
		en |= MSH_SC_OPT_SACK;
	if (READ_ONCE(net->ipv4.sysctl_tcp_timestamps))
		en |= MSH_SC_OPT_TSTAMP;
	return en;
}

/*
 * Checks and parsing common to both families, once the listener is known:
 * listeners whose handshake a cookie cannot reproduce go to the stack.
 */
static enum msh_sc_syn_result msh_sc_syn_common(struct sk_buff *skb,
						unsigned int thoff, u8 pf,
						const struct sock *sk,
						const union msh_tcp_hdr *h,
						u16 def_mss,
						struct msh_sc_synopts *so)
{
#ifdef CONFIG_TCP_MD5SIG
	if (rcu_access_pointer(tcp_sk(sk)->md5sig_info))
		return MSH_SC_SYN_UNSUPPORTED;
#endif
	if (sk_is_mptcp(sk))
		return MSH_SC_SYN_UNSUPPORTED;
	if (sk_acceptq_is_full(sk))
		return MSH_SC_SYN_ACCEPTQ_FULL;
	if (nf_checksum(skb, NF_INET_PRE_ROUTING, thoff, IPPROTO_TCP, pf))
		return MSH_SC_SYN_BAD_CSUM;
	msh_sc_parse_synopts(h->raw + sizeof(h->th),
			     h->th.doff * 4 - sizeof(h->th),
			     msh_sc_enabled_opts(sock_net(sk)),
			     READ_ONCE(tcp_sk(sk)->rx_opt.user_mss), def_mss, so);
	return MSH_SC_SYN_SENT;
}

/*
 * Everything after routing that does not depend on the family: ECN as
 * tcp_ecn_create_request(), window and wscale as cookie_v4_check(),
 * options as tcp_make_synack() in cookie mode.
 */
static void msh_sc_prepare(const struct sock *sk, const struct dst_entry *dst,
			   const struct tcphdr *th, u8 dsfield,
			   const struct msh_sc_synopts *so, u16 cookie_mss,
			   u32 isn, u32 ts_off, struct msh_sc_reply *r)
{
	const struct net *net = sock_net(sk);
	const struct tcp_sock *tp = tcp_sk(sk);
	int full_space = tcp_full_space(sk);
	u32 clamp, rcv_wnd;
	u8 rcv_wscale;
	bool ecn = false;

	if (so->tstamp_ok && th->ece && th->cwr) {
		u32 ecn_dst = dst_feature(dst, DST_FEATURE_ECN_MASK);
		bool ecn_on = READ_ONCE(net->ipv4.sysctl_tcp_ecn) || ecn_dst;
		bool ect = !INET_ECN_is_not_ect(dsfield);

		ecn = ((!ect || th->res1) && ecn_on) || tcp_ca_needs_ecn(sk) ||
		      (ecn_dst & DST_FEATURE_ECN_CA);
	}

	clamp = READ_ONCE(tp->window_clamp) ? : dst_metric(dst, RTAX_WINDOW);
	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) &&
	    (clamp > (u32)full_space || clamp == 0))
		clamp = full_space;
	tcp_select_initial_window(sk, full_space, cookie_mss, &rcv_wnd, &clamp,
				  so->wscale_ok, &rcv_wscale,
				  dst_metric(dst, RTAX_INITRWND));

	memset(r, 0, sizeof(*r));
	r->isn = isn;
	r->window = min(rcv_wnd, 65535U);
	r->ecn = ecn;
	r->opts.mss = tcp_mss_clamp(tp, tcp_dst_advmss(dst));
	r->opts.wscale_ok = so->wscale_ok;
	r->opts.rcv_wscale = rcv_wscale;
	r->opts.sack_ok = so->sack_ok;
	r->opts.tstamp_ok = so->tstamp_ok;
	if (so->tstamp_ok) {
		r->opts.tsval = msh_sc_cookie_tsval(tcp_ns_to_ts(tcp_clock_ns()),
						    so, ecn) + ts_off;
		r->opts.tsecr = so->tsval;
	}
}

/* Allocate the SYN-ACK and write its TCP header; checksum left to fill. */
static struct sk_buff *msh_sc_build_tcp(const struct tcphdr *th,
					const struct msh_sc_reply *r)
{
	u8 opts[MSH_SC_SYNACK_OPTLEN_MAX];
	unsigned int optlen, len;
	struct sk_buff *skb;
	struct tcphdr *nth;

	skb = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_TCP_HEADER);

	optlen = msh_sc_write_synack_opts(opts, &r->opts);
	len = sizeof(*nth) + optlen;
	nth = skb_push(skb, len);
	skb_reset_transport_header(skb);
	memset(nth, 0, sizeof(*nth));
	nth->source = th->dest;
	nth->dest = th->source;
	nth->seq = htonl(r->isn);
	nth->ack_seq = htonl(ntohl(th->seq) + 1);
	nth->doff = len / 4;
	nth->syn = 1;
	nth->ack = 1;
	nth->ece = r->ecn;
	nth->window = htons(r->window);
	memcpy(nth + 1, opts, optlen);

	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	return skb;
}

/*
 * Common tail: conntrack must not build state from a SYN-ACK whose SYN it
 * never saw (it would classify it INVALID), so the reply is untracked,
 * as the SYN before it was never tracked either.
 */
static void msh_sc_finish_skb(struct sk_buff *skb, const struct sock *sk,
			      u32 mark, struct dst_entry *dst)
{
	skb->mark = mark;
	skb->priority = READ_ONCE(sk->sk_priority);
	skb_dst_set(skb, dst);
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	skb_set_nfct(skb, IP_CT_UNTRACKED);
#endif
}

static enum msh_sc_syn_result msh_sc_xmit_result(int err)
{
	return net_xmit_eval(err) ? MSH_SC_SYN_XMIT_ERR : MSH_SC_SYN_SENT;
}

static bool msh_sc_pure_syn(const struct tcphdr *th)
{
	return th->syn && !th->ack && !th->rst && !th->fin;
}

/*
 * A SYN for a 4-tuple the stack still knows (a TIME_WAIT socket whose port
 * the client reuses, a request or connection in progress) belongs to the
 * stack: only tcp_timewait_state_process() and the request paths know how
 * to recycle or answer it. A cookie answer would leave the client's ACK to
 * land on the old socket, no new socket would be made, and the client would
 * wait for a banner that never comes.
 */
static bool msh_sc_known_v4(struct net *net, const struct iphdr *iph,
			    const struct tcphdr *th, int dif, int sdif)
{
	struct sock *sk;

	sk = __inet_lookup_established(net, msh_tcp_hashinfo(net), iph->saddr,
				       th->source, iph->daddr, ntohs(th->dest),
				       dif, sdif);
	if (!sk)
		return false;
	sock_gen_put(sk);
	return true;
}

enum msh_sc_syn_result msh_syncookie_syn_v4(struct sk_buff *skb,
					    unsigned int thoff,
					    const struct nf_hook_state *state,
					    struct msh_synrtx *rtx, u8 retries)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct net *net = state->net;
	struct msh_sc_synopts so;
	enum msh_sc_syn_result res;
	struct msh_sc_reply r;
	union msh_tcp_hdr h;
	struct sk_buff *nskb;
	struct iphdr *niph;
	int dif, sdif, oif;
	struct flowi4 fl4;
	struct rtable *rt;
	struct sock *sk;
	u32 isn, mark;
	u16 mss;
	u8 tos;

	if (ip_is_fragment(iph) || !msh_sc_get_tcphdr(skb, thoff, &h))
		return MSH_SC_SYN_MALFORMED;
	if (!msh_sc_pure_syn(&h.th))
		return MSH_SC_SYN_NOT_SYN;
	if (!READ_ONCE(net->ipv4.sysctl_tcp_syncookies))
		return MSH_SC_SYN_DISABLED;
	if (skb->pkt_type != PACKET_HOST ||	/* as tcp_v4_rcv() */
	    ipv4_is_multicast(iph->saddr) || ipv4_is_lbcast(iph->saddr) ||
	    ipv4_is_zeronet(iph->saddr) || ipv4_is_multicast(iph->daddr) ||
	    ipv4_is_lbcast(iph->daddr))
		return MSH_SC_SYN_NOT_LOCAL;

	rcu_read_lock();
	msh_sc_ifindexes(state->in, &dif, &sdif);
	/* No skb: a reuseport BPF program would expect skb->data at the
	 * TCP header; the group is picked by hash, and the cookie is good
	 * for any member (the overflow stamp is shared by the group).
	 */
	if (msh_sc_known_v4(net, iph, &h.th, dif, sdif)) {
		res = MSH_SC_SYN_EXISTS;
		goto out;
	}
	sk = __inet_lookup_listener(net, msh_tcp_hashinfo(net), NULL, 0,
				    iph->saddr, h.th.source, iph->daddr,
				    ntohs(h.th.dest), dif, sdif);
	if (!sk) {
		res = MSH_SC_SYN_NO_LISTENER;
		goto out;
	}
	if (inet_addr_type_dev_table(net, state->in, iph->daddr) != RTN_LOCAL) {
		res = MSH_SC_SYN_NOT_LOCAL;
		goto out;
	}
	res = msh_sc_syn_common(skb, thoff, NFPROTO_IPV4, sk, &h,
				TCP_MSS_DEFAULT, &so);
	if (res != MSH_SC_SYN_SENT)
		goto out;
	mss = so.mss;
	isn = __cookie_v4_init_sequence(iph, &h.th, &mss);

	/* The flow key of cookie_v4_check() (without source routing). */
	oif = inet_request_bound_dev_if(sk, skb);
	mark = inet_request_mark(sk, skb);
	flowi4_init_output(&fl4, oif, mark, RT_CONN_FLAGS(sk),
			   RT_SCOPE_UNIVERSE, IPPROTO_TCP,
			   inet_sk_flowi_flags(sk), iph->saddr, iph->daddr,
			   h.th.source, h.th.dest, sk->sk_uid);
	rt = ip_route_output_flow(net, &fl4, sk);
	if (IS_ERR(rt)) {
		res = MSH_SC_SYN_NO_ROUTE;
		goto out;
	}

	msh_sc_prepare(sk, &rt->dst, &h.th, ipv4_get_dsfield(iph), &so, mss,
		       isn, so.tstamp_ok ?
		       msh_tcp_ts_off_v4(net, iph->daddr, iph->saddr,
					 h.th.dest, h.th.source) : 0, &r);
	nskb = msh_sc_build_tcp(&h.th, &r);
	if (!nskb) {
		ip_rt_put(rt);
		res = MSH_SC_SYN_NOMEM;
		goto out;
	}
	tcp_hdr(nskb)->check = ~tcp_v4_check(nskb->len, iph->daddr,
					     iph->saddr, 0);

	/* tcp_v4_send_synack(): the listener's TOS, or the SYN's DSCP */
	tos = READ_ONCE(inet_sk(sk)->tos);
	if (READ_ONCE(net->ipv4.sysctl_tcp_reflect_tos))
		tos = (ipv4_get_dsfield(iph) & ~INET_ECN_MASK) |
		      (tos & INET_ECN_MASK);

	niph = skb_push(nskb, sizeof(*niph));
	skb_reset_network_header(nskb);
	niph->version = 4;
	niph->ihl = sizeof(*niph) / 4;
	niph->tos = tos;
	niph->tot_len = htons(nskb->len);
	niph->id = 0;			/* DF and small: ip_select_ident() */
	niph->frag_off = htons(IP_DF);
	niph->ttl = inet_sk(sk)->uc_ttl < 0 ? ip4_dst_hoplimit(&rt->dst) :
					      inet_sk(sk)->uc_ttl;
	niph->protocol = IPPROTO_TCP;
	niph->saddr = iph->daddr;
	niph->daddr = iph->saddr;
	niph->check = 0;
	nskb->protocol = htons(ETH_P_IP);
	msh_sc_finish_skb(nskb, sk, mark, &rt->dst);

	/* Before sending: the ACK may come back on another CPU at once. */
	tcp_synq_overflow(sk);
	if (rtx)
		msh_synrtx_add(rtx, nskb, retries);
	res = msh_sc_xmit_result(ip_local_out(net, NULL, nskb));
out:
	rcu_read_unlock();
	return res;
}

#if IS_ENABLED(CONFIG_IPV6)
enum msh_sc_syn_result msh_syncookie_syn_v6(struct sk_buff *skb,
					    unsigned int thoff,
					    const struct nf_hook_state *state,
					    struct msh_synrtx *rtx, u8 retries)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct net *net = state->net;
	const struct ipv6_pinfo *np;
	struct msh_sc_synopts so;
	enum msh_sc_syn_result res;
	struct msh_sc_reply r;
	struct ipv6hdr *nip6h;
	union msh_tcp_hdr h;
	struct sk_buff *nskb;
	struct dst_entry *dst;
	int dif, sdif, hlim;
	struct flowi6 fl6;
	__be32 flowlabel;
	struct sock *sk;
	u32 isn, mark;
	u16 mss;
	u8 tclass;

	if (!msh_sc_get_tcphdr(skb, thoff, &h))
		return MSH_SC_SYN_MALFORMED;
	if (!msh_sc_pure_syn(&h.th))
		return MSH_SC_SYN_NOT_SYN;
	if (!READ_ONCE(net->ipv4.sysctl_tcp_syncookies))
		return MSH_SC_SYN_DISABLED;
	/* tcp_v6_rcv() and tcp_v6_conn_request() drop these */
	if (skb->pkt_type != PACKET_HOST ||
	    (ipv6_addr_type(&ip6h->saddr) &
	     (IPV6_ADDR_MULTICAST | IPV6_ADDR_MAPPED)) ||
	    ipv6_addr_any(&ip6h->saddr) ||
	    ipv6_addr_is_multicast(&ip6h->daddr))
		return MSH_SC_SYN_NOT_LOCAL;

	rcu_read_lock();
	msh_sc_ifindexes(state->in, &dif, &sdif);
	sk = __inet6_lookup_established(net, msh_tcp_hashinfo(net),
					&ip6h->saddr, h.th.source,
					&ip6h->daddr, ntohs(h.th.dest), dif,
					sdif);
	if (sk) {	/* the stack's, as msh_sc_known_v4() */
		sock_gen_put(sk);
		res = MSH_SC_SYN_EXISTS;
		goto out;
	}
	sk = inet6_lookup_listener(net, msh_tcp_hashinfo(net), NULL, 0,
				   &ip6h->saddr, h.th.source, &ip6h->daddr,
				   ntohs(h.th.dest), dif, sdif);
	if (!sk) {
		res = MSH_SC_SYN_NO_LISTENER;
		goto out;
	}
	if (!ipv6_chk_addr(net, &ip6h->daddr, state->in, 0)) {
		res = MSH_SC_SYN_NOT_LOCAL;
		goto out;
	}
	np = inet6_sk(sk);
	/* IPv6 tx options (routing headers...) would change the route and
	 * the packet; the kernel's own SYN-ACK carries them.
	 */
	if (rcu_access_pointer(np->opt)) {
		res = MSH_SC_SYN_UNSUPPORTED;
		goto out;
	}
	res = msh_sc_syn_common(skb, thoff, NFPROTO_IPV6, sk, &h,
				MSH_MSS_DEFAULT_V6, &so);
	if (res != MSH_SC_SYN_SENT)
		goto out;
	mss = so.mss;
	isn = __cookie_v6_init_sequence(ip6h, &h.th, &mss);

	/* The flow key of cookie_v6_check() */
	mark = inet_request_mark(sk, skb);
	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_proto = IPPROTO_TCP;
	fl6.daddr = ip6h->saddr;
	fl6.saddr = ip6h->daddr;
	fl6.flowi6_oif = inet_request_bound_dev_if(sk, skb);
	if (!sk->sk_bound_dev_if &&
	    ipv6_addr_type(&ip6h->saddr) & IPV6_ADDR_LINKLOCAL)
		fl6.flowi6_oif = IP6CB(skb)->iif;
	fl6.flowi6_mark = mark;
	fl6.fl6_dport = h.th.source;
	fl6.fl6_sport = h.th.dest;
	fl6.flowi6_uid = sk->sk_uid;
	dst = ip6_dst_lookup_flow(net, sk, &fl6, NULL);
	if (IS_ERR(dst)) {
		res = MSH_SC_SYN_NO_ROUTE;
		goto out;
	}

	msh_sc_prepare(sk, dst, &h.th, ipv6_get_dsfield(ip6h), &so, mss, isn,
		       so.tstamp_ok ?
		       msh_tcp_ts_off_v6(net, &ip6h->daddr, &ip6h->saddr,
					 h.th.dest, h.th.source) : 0, &r);
	nskb = msh_sc_build_tcp(&h.th, &r);
	if (!nskb) {
		dst_release(dst);
		res = MSH_SC_SYN_NOMEM;
		goto out;
	}
	tcp_hdr(nskb)->check = ~tcp_v6_check(nskb->len, &ip6h->daddr,
					     &ip6h->saddr, 0);

	/* tcp_v6_send_synack() and ip6_xmit() */
	tclass = np->tclass;
	if (READ_ONCE(net->ipv4.sysctl_tcp_reflect_tos))
		tclass = (ipv6_get_dsfield(ip6h) & ~INET_ECN_MASK) |
			 (tclass & INET_ECN_MASK);
	flowlabel = np->repflow ? ip6_flowlabel(ip6h) : 0;
	hlim = np->hop_limit < 0 ? ip6_dst_hoplimit(dst) : np->hop_limit;

	nip6h = skb_push(nskb, sizeof(*nip6h));
	skb_reset_network_header(nskb);
	ip6_flow_hdr(nip6h, tclass, flowlabel);
	nip6h->payload_len = htons(nskb->len - sizeof(*nip6h));
	nip6h->nexthdr = IPPROTO_TCP;
	nip6h->hop_limit = hlim;
	nip6h->saddr = ip6h->daddr;
	nip6h->daddr = ip6h->saddr;
	nskb->protocol = htons(ETH_P_IPV6);
	msh_sc_finish_skb(nskb, sk, mark, dst);

	tcp_synq_overflow(sk);
	if (rtx)
		msh_synrtx_add(rtx, nskb, retries);
	res = msh_sc_xmit_result(ip6_local_out(net, NULL, nskb));
out:
	rcu_read_unlock();
	return res;
}
#endif /* CONFIG_IPV6 */

/* Flags of a handshake-completing ACK; copies the fixed TCP header. */
static bool msh_sc_get_ack(const struct sk_buff *skb, unsigned int thoff,
			   struct tcphdr *th)
{
	const struct tcphdr *p;

	p = skb_header_pointer(skb, thoff, sizeof(*th), th);
	if (!p || p->doff < sizeof(*th) / 4)
		return false;
	if (p != th)
		memcpy(th, p, sizeof(*th));
	return th->ack && !th->syn && !th->rst;
}

/* The listener, if it is in cookie mode; caller holds rcu_read_lock(). */
static bool msh_sc_cookie_mode(const struct net *net, const struct sock *sk)
{
	return sk && READ_ONCE(net->ipv4.sysctl_tcp_syncookies) &&
	       !tcp_synq_no_recent_overflow(sk);
}

/* The checksum only matters, and is only paid for, on a handshake. */
static bool msh_sc_csum_ok(struct sk_buff *skb, unsigned int thoff, u8 pf)
{
	return !nf_checksum(skb, NF_INET_PRE_ROUTING, thoff, IPPROTO_TCP, pf);
}

static enum msh_sc_ack_result msh_sc_cookie_result(struct sk_buff *skb,
						   unsigned int thoff, u8 pf,
						   const struct tcphdr *th,
						   int cmss,
						   struct msh_sc_hs *hs)
{
	if (!cmss)
		return MSH_SC_ACK_INVALID;
	if (!msh_sc_csum_ok(skb, thoff, pf))
		return MSH_SC_ACK_MALFORMED;
	hs->mss = cmss;
	hs->cnext = ntohl(th->seq);
	hs->snext = ntohl(th->ack_seq);
	return MSH_SC_ACK_VALID;
}

/*
 * A socket owns the 4-tuple (referenced; the reference is dropped here).
 * A request socket is completed only by an ACK with exactly the sequence
 * and acknowledgment numbers tcp_check_req() expects of a real client.
 */
static enum msh_sc_ack_result msh_sc_known(struct sk_buff *skb,
					   unsigned int thoff, u8 pf,
					   struct sock *sk,
					   const struct tcphdr *th,
					   struct msh_sc_hs *hs)
{
	const struct tcp_request_sock *treq;
	enum msh_sc_ack_result res;

	switch (sk->sk_state) {
	case TCP_NEW_SYN_RECV:
		treq = tcp_rsk(inet_reqsk(sk));
		if (ntohl(th->ack_seq) != treq->snt_isn + 1 ||
		    ntohl(th->seq) != treq->rcv_nxt) {
			res = MSH_SC_ACK_REQUEST_BAD;
		} else if (!msh_sc_csum_ok(skb, thoff, pf)) {
			res = MSH_SC_ACK_MALFORMED;
		} else {
			hs->cnext = treq->rcv_nxt;
			hs->snext = treq->snt_isn + 1;
			hs->mss = 0;
			res = MSH_SC_ACK_REQUEST;
		}
		break;
	case TCP_TIME_WAIT:
		res = MSH_SC_ACK_TIMEWAIT;
		break;
	default:
		res = MSH_SC_ACK_ESTABLISHED;
		break;
	}
	sock_gen_put(sk);
	return res;
}

enum msh_sc_ack_result msh_syncookie_check_ack_v4(struct sk_buff *skb,
						  unsigned int thoff,
						  const struct nf_hook_state *state,
						  struct msh_sc_hs *hs)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct inet_hashinfo *hinfo;
	struct net *net = state->net;
	enum msh_sc_ack_result res;
	struct tcphdr th;
	struct sock *sk;
	int cmss;

	if (ip_is_fragment(iph) || !msh_sc_get_ack(skb, thoff, &th))
		return MSH_SC_ACK_MALFORMED;

	hinfo = msh_tcp_hashinfo(net);
	rcu_read_lock();
	msh_sc_ifindexes(state->in, &hs->dif, &hs->sdif);
	sk = __inet_lookup_established(net, hinfo, iph->saddr, th.source,
				       iph->daddr, ntohs(th.dest), hs->dif,
				       hs->sdif);
	if (sk) {
		res = msh_sc_known(skb, thoff, NFPROTO_IPV4, sk, &th, hs);
		goto out;
	}
	/* routed through this host: not ours, as for SYNs */
	if (skb->pkt_type != PACKET_HOST ||
	    inet_addr_type_dev_table(net, state->in, iph->daddr) != RTN_LOCAL) {
		res = MSH_SC_ACK_NOT_LOCAL;
		goto out;
	}
	sk = __inet_lookup_listener(net, hinfo, NULL, 0, iph->saddr, th.source,
				    iph->daddr, ntohs(th.dest), hs->dif,
				    hs->sdif);
	if (!msh_sc_cookie_mode(net, sk)) {
		res = MSH_SC_ACK_NOT_COOKIE;
		goto out;
	}
	cmss = __cookie_v4_check(iph, &th, ntohl(th.ack_seq) - 1);
	res = msh_sc_cookie_result(skb, thoff, NFPROTO_IPV4, &th, cmss, hs);
out:
	rcu_read_unlock();
	return res;
}

#if IS_ENABLED(CONFIG_IPV6)
enum msh_sc_ack_result msh_syncookie_check_ack_v6(struct sk_buff *skb,
						  unsigned int thoff,
						  const struct nf_hook_state *state,
						  struct msh_sc_hs *hs)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct inet_hashinfo *hinfo;
	struct net *net = state->net;
	enum msh_sc_ack_result res;
	struct tcphdr th;
	struct sock *sk;
	int cmss;

	if (!msh_sc_get_ack(skb, thoff, &th))
		return MSH_SC_ACK_MALFORMED;

	hinfo = msh_tcp_hashinfo(net);
	rcu_read_lock();
	msh_sc_ifindexes(state->in, &hs->dif, &hs->sdif);
	sk = __inet6_lookup_established(net, hinfo, &ip6h->saddr, th.source,
					&ip6h->daddr, ntohs(th.dest), hs->dif,
					hs->sdif);
	if (sk) {
		res = msh_sc_known(skb, thoff, NFPROTO_IPV6, sk, &th, hs);
		goto out;
	}
	if (skb->pkt_type != PACKET_HOST ||
	    !ipv6_chk_addr(net, &ip6h->daddr, state->in, 0)) {
		res = MSH_SC_ACK_NOT_LOCAL;
		goto out;
	}
	sk = inet6_lookup_listener(net, hinfo, NULL, 0, &ip6h->saddr,
				   th.source, &ip6h->daddr, ntohs(th.dest),
				   hs->dif, hs->sdif);
	if (!msh_sc_cookie_mode(net, sk)) {
		res = MSH_SC_ACK_NOT_COOKIE;
		goto out;
	}
	cmss = __cookie_v6_check(ip6h, &th, ntohl(th.ack_seq) - 1);
	res = msh_sc_cookie_result(skb, thoff, NFPROTO_IPV6, &th, cmss, hs);
out:
	rcu_read_unlock();
	return res;
}
#endif /* CONFIG_IPV6 */
