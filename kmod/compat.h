/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Every difference between kernel versions is handled here and only here.
 * The reference target is Debian's 6.1.y (6.1.192), which carries
 * backports that plain 6.1 does not have; where a backported feature can
 * be detected by the symbol it introduces, that is tested instead of the
 * version number.
 */

#ifndef _MSH_COMPAT_H
#define _MSH_COMPAT_H

#include <net/genetlink.h>
#include <net/inet_hashtables.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/secure_seq.h>

/*
 * GENL_MCAST_CAP_NET_ADMIN (upstream 6.7, backported to Debian's 6.1.y)
 * makes binding to a multicast group require CAP_NET_ADMIN in the user
 * namespace of the socket's network namespace. Kernels without it let any
 * user listen to the events group.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define MSH_GENL_MCGRP(grp_name)					\
	{ .name = grp_name, .flags = GENL_MCAST_CAP_NET_ADMIN }
#else
#define MSH_GENL_MCGRP(grp_name)					\
	{ .name = grp_name }
#endif

/* ---- TCP internals used by the SYN-cookie engine ---------------------- */

/*
 * The listening and established tables of a namespace: per-netns since
 * 6.1 (tcp_death_row.hashinfo; &tcp_hashinfo before).
 */
static inline struct inet_hashinfo *msh_tcp_hashinfo(const struct net *net)
{
	return net->ipv4.tcp_death_row.hashinfo;
}

/*
 * The per-flow TCP timestamp offset. Debian's 6.1.y carries the backport
 * that derives it from the full 4-tuple, returned together with the ISN by
 * secure_tcp_seq_and_ts_off(); plain 6.1 had secure_tcp_ts_off(net, saddr,
 * daddr) over the addresses only. A type cannot be tested by the
 * preprocessor: a build for a kernel without the backport must define
 * MSH_NO_TCP_SEQ_AND_TS_OFF (Kbuild can grep include/net/secure_seq.h).
 * Arguments are in the kernel's order: local address and port first.
 */
#ifndef MSH_NO_TCP_SEQ_AND_TS_OFF
static inline u32 msh_tcp_ts_off_v4(const struct net *net, __be32 laddr,
				    __be32 raddr, __be16 lport, __be16 rport)
{
	return secure_tcp_seq_and_ts_off(net, laddr, raddr, lport, rport).ts_off;
}

static inline u32 msh_tcp_ts_off_v6(const struct net *net,
				    const struct in6_addr *laddr,
				    const struct in6_addr *raddr,
				    __be16 lport, __be16 rport)
{
	return secure_tcpv6_seq_and_ts_off(net, laddr->s6_addr32,
					   raddr->s6_addr32, lport,
					   rport).ts_off;
}
#else
static inline u32 msh_tcp_ts_off_v4(const struct net *net, __be32 laddr,
				    __be32 raddr, __be16 lport, __be16 rport)
{
	return secure_tcp_ts_off(net, laddr, raddr);
}

static inline u32 msh_tcp_ts_off_v6(const struct net *net,
				    const struct in6_addr *laddr,
				    const struct in6_addr *raddr,
				    __be16 lport, __be16 rport)
{
	return secure_tcpv6_ts_off(net, laddr->s6_addr32, raddr->s6_addr32);
}
#endif

/* ---- NAT ---------------------------------------------------------------- */

/*
 * Was the packet's connection translated by NAT (DNAT/REDIRECT at
 * PRE_ROUTING, which runs before the client-side hook)? Reads the
 * conntrack entry the packet carries; a kernel without conntrack has no
 * NAT either. No symbol of nf_conntrack is used, so the module does not
 * depend on it.
 */
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
#include <net/netfilter/nf_conntrack.h>
static inline bool msh_skb_natted(const struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	return ct && (READ_ONCE(ct->status) & IPS_NAT_MASK);
}
#else
static inline bool msh_skb_natted(const struct sk_buff *skb)
{
	return false;
}
#endif

/* ---- IP defragmentation before the hooks ------------------------------ */

/*
 * nf_defrag_ipv4/6 reassemble fragments at NF_IP_PRI_CONNTRACK_DEFRAG, so
 * that the hooks see whole segments. A kernel built without them (the
 * KUnit test kernel) leaves the hooks to drop TCP fragments to protected
 * ports instead.
 */
#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV4)
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
static inline int msh_defrag4_enable(struct net *net)
{
	return nf_defrag_ipv4_enable(net);
}

static inline void msh_defrag4_disable(struct net *net)
{
	nf_defrag_ipv4_disable(net);
}
#else
static inline int msh_defrag4_enable(struct net *net) { return 0; }
static inline void msh_defrag4_disable(struct net *net) { }
#endif

#if IS_ENABLED(CONFIG_IPV6) && IS_ENABLED(CONFIG_NF_DEFRAG_IPV6)
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
static inline int msh_defrag6_enable(struct net *net)
{
	return nf_defrag_ipv6_enable(net);
}

static inline void msh_defrag6_disable(struct net *net)
{
	nf_defrag_ipv6_disable(net);
}
#else
static inline int msh_defrag6_enable(struct net *net) { return 0; }
static inline void msh_defrag6_disable(struct net *net) { }
#endif

#endif /* _MSH_COMPAT_H */
