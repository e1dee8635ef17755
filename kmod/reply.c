// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Packets the module answers with: a segment to the client (an SMTP reply,
 * a FIN, a RST), and a client segment rewritten into a RST for the local
 * socket.
 */

#include "reply.h"

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/tcp.h>

/*
 * Sends a segment to the client of @oskb (a client segment seen at
 * PRE_ROUTING): from the server's address and port, with @seq, @ack,
 * @flags (TCPHDR_*) and @len bytes of @data. Built by hand, so that the
 * module needs no nf_reject_ipv4/6 helper for it.
 */
void msh_send_client(struct net *net, struct sk_buff *oskb,
		     const struct tcphdr *oth, bool v6, u32 seq, u32 ack,
		     u8 flags, const char *data, unsigned int len)
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
int msh_skb_to_rst(struct sk_buff *skb, unsigned int thoff, bool v6, u32 seq)
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
