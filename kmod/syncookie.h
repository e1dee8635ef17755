/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Always-on SYN cookies for the protected ports (host mode).
 *
 * A pure SYN to a protected port that has a local listener is answered
 * with a SYN-ACK whose ISN is the kernel's own SYN cookie and whose TSval
 * carries the client's options the way cookie_init_timestamp() encodes
 * them; the SYN itself is dropped, so no request socket exists. The
 * listener is marked as recently overflowed (tcp_synq_overflow()), so the
 * kernel's cookie_v4_check() / cookie_v6_check() accepts the returning
 * ACK and creates the connection itself: the TCP stack stays in charge of
 * everything after the handshake.
 *
 * All entry points run in the PRE_ROUTING hook, before conntrack, in
 * softirq context; none sleeps.
 */

#ifndef _MSH_SYNCOOKIE_H
#define _MSH_SYNCOOKIE_H

#include <linux/netfilter.h>
#include <linux/types.h>

struct msh_synrtx;
struct sk_buff;
struct net;

/**
 * enum msh_sc_syn_result - what msh_syncookie_syn_v4()/_v6() did
 * @MSH_SC_SYN_SENT: a cookie SYN-ACK was sent; drop the SYN.
 * @MSH_SC_SYN_NO_LISTENER: nothing listens on daddr:dport; accept, the
 *	stack answers with a RST as it would without the module.
 * @MSH_SC_SYN_NOT_LOCAL: daddr is not a local unicast address (forwarded,
 *	broadcast, multicast), the frame was not addressed to this host, or
 *	saddr is martian; accept, not ours.
 * @MSH_SC_SYN_NOT_SYN: not a pure SYN (ACK, RST or FIN set); accept.
 * @MSH_SC_SYN_EXISTS: the stack still has a socket for this 4-tuple (a
 *	TIME_WAIT socket being reused, a request or connection in progress);
 *	accept, only the stack knows how to recycle or answer it.
 * @MSH_SC_SYN_DISABLED: net.ipv4.tcp_syncookies is 0 in this namespace,
 *	so the kernel would reject our cookies; accept, the stack handles
 *	the SYN normally.
 * @MSH_SC_SYN_UNSUPPORTED: the listener needs what a cookie cannot carry
 *	(TCP-MD5 keys, MPTCP); accept, the stack handles it.
 * @MSH_SC_SYN_MALFORMED: truncated TCP header, bad data offset or an IP
 *	fragment; drop.
 * @MSH_SC_SYN_BAD_CSUM: TCP checksum is wrong; drop (the stack would).
 * @MSH_SC_SYN_ACCEPTQ_FULL: the listener's accept queue is full; drop
 *	(the stack would drop it as well, LINUX_MIB_LISTENOVERFLOWS).
 * @MSH_SC_SYN_NOMEM: no memory for the SYN-ACK; drop.
 * @MSH_SC_SYN_NO_ROUTE: no route back to the client; drop.
 * @MSH_SC_SYN_XMIT_ERR: the SYN-ACK was built but ip_local_out() /
 *	ip6_local_out() reported an error (e.g. dropped by an OUTPUT rule);
 *	drop.
 * @__MSH_SC_SYN_MAX: number of results, for counter arrays.
 */
enum msh_sc_syn_result {
	MSH_SC_SYN_SENT,
	MSH_SC_SYN_NO_LISTENER,
	MSH_SC_SYN_NOT_LOCAL,
	MSH_SC_SYN_NOT_SYN,
	MSH_SC_SYN_DISABLED,
	MSH_SC_SYN_UNSUPPORTED,
	MSH_SC_SYN_MALFORMED,
	MSH_SC_SYN_BAD_CSUM,
	MSH_SC_SYN_ACCEPTQ_FULL,
	MSH_SC_SYN_NOMEM,
	MSH_SC_SYN_NO_ROUTE,
	MSH_SC_SYN_XMIT_ERR,
	MSH_SC_SYN_EXISTS,
	__MSH_SC_SYN_MAX
};

/**
 * enum msh_sc_ack_result - classification of an ACK to a protected port
 *
 * The one place that decides whether a client ACK completes a handshake,
 * and from which sequence numbers the connection starts.
 *
 * @MSH_SC_ACK_NOT_COOKIE: no socket owns the 4-tuple, and there is no
 *	listener or the listener is not in cookie mode: the stack answers it
 *	(with a RST); accept.
 * @MSH_SC_ACK_VALID: no socket, a valid, unexpired cookie: the kernel will
 *	create the connection from it. The handshake is proven: @hs holds
 *	its sequence numbers and the decoded MSS.
 * @MSH_SC_ACK_INVALID: the listener is in cookie mode and the cookie is
 *	wrong or expired: cookie_v4_check()/cookie_v6_check() would fail
 *	(LINUX_MIB_SYNCOOKIESFAILED) and the listener answer with a RST.
 *	Dropping it saves that RST.
 * @MSH_SC_ACK_MALFORMED: not a plain ACK (SYN or RST set, no ACK),
 *	truncated header, or a bad checksum on an ACK that would complete a
 *	handshake; drop.
 * @MSH_SC_ACK_REQUEST: a request socket (the stack answered the SYN
 *	itself: a reused TIME_WAIT 4-tuple, cookies off) and the ACK carries
 *	exactly the sequence numbers that complete it. Proven, like a valid
 *	cookie; @hs holds the request's sequence numbers.
 * @MSH_SC_ACK_REQUEST_BAD: a request socket, but the ACK's sequence or
 *	acknowledgment number is not the one that completes it; drop, so no
 *	connection is made from an ACK the module has not checked.
 * @MSH_SC_ACK_ESTABLISHED: a full socket owns the 4-tuple.
 * @MSH_SC_ACK_TIMEWAIT: a TIME_WAIT socket owns the 4-tuple; accept.
 * @MSH_SC_ACK_NOT_LOCAL: no socket, and the destination is not a local
 *	address of this host (routed through it); accept, not ours.
 * @__MSH_SC_ACK_MAX: number of results.
 */
enum msh_sc_ack_result {
	MSH_SC_ACK_NOT_COOKIE,
	MSH_SC_ACK_VALID,
	MSH_SC_ACK_INVALID,
	MSH_SC_ACK_MALFORMED,
	MSH_SC_ACK_REQUEST,
	MSH_SC_ACK_REQUEST_BAD,
	MSH_SC_ACK_ESTABLISHED,
	MSH_SC_ACK_TIMEWAIT,
	MSH_SC_ACK_NOT_LOCAL,
	__MSH_SC_ACK_MAX
};

/**
 * struct msh_sc_hs - a proven handshake
 * @cnext: the client's next sequence number (its ISN + 1)
 * @snext: the server's next sequence number (its ISN + 1)
 * @dif: input interface as the TCP stack sees it (VRF master or device)
 * @sdif: the enslaved device under a VRF, or 0
 * @mss: MSS decoded from a cookie (0 for a request socket)
 */
struct msh_sc_hs {
	u32 cnext;
	u32 snext;
	int dif;
	int sdif;
	u16 mss;
};

/* Bits of msh_syncookie_sysctl_check()'s return value. */
#define MSH_SC_WARN_NO_SYNCOOKIES	0x1	/* tcp_syncookies == 0 */
#define MSH_SC_WARN_NO_TIMESTAMPS	0x2	/* tcp_timestamps == 0 */

/**
 * msh_syncookie_syn_v4() - answer an IPv4 SYN with a cookie SYN-ACK
 * @skb: the SYN, in PRE_ROUTING (no dst, not conntracked); not modified
 *	except for checksum state
 * @thoff: offset of the TCP header from skb->data (ip_hdrlen())
 * @state: the hook state (namespace and input device)
 * @rtx: where a copy of the SYN-ACK is kept to be sent again (synrtx.h),
 *	or NULL
 * @retries: how many times it is sent again at most
 *
 * Context: softirq, the caller may or may not hold rcu_read_lock().
 * Return: what was done; msh_sc_syn_verdict() maps it to a verdict.
 */
enum msh_sc_syn_result msh_syncookie_syn_v4(struct sk_buff *skb,
					    unsigned int thoff,
					    const struct nf_hook_state *state,
					    struct msh_synrtx *rtx, u8 retries);

/**
 * msh_syncookie_check_ack_v4() - classify an IPv4 ACK to a protected port
 * @skb: an ACK without SYN/RST, in PRE_ROUTING
 * @thoff: offset of the TCP header
 * @state: the hook state
 * @hs: the handshake, on %MSH_SC_ACK_VALID and %MSH_SC_ACK_REQUEST
 *
 * Costs one established-table lookup; the listener lookup and the two
 * SipHash rounds of the cookie check only happen on a miss. The checksum
 * is verified only when the ACK would complete a handshake.
 *
 * Return: the classification; msh_sc_ack_verdict() maps it to a verdict.
 */
enum msh_sc_ack_result msh_syncookie_check_ack_v4(struct sk_buff *skb,
						  unsigned int thoff,
						  const struct nf_hook_state *state,
						  struct msh_sc_hs *hs);

#if IS_ENABLED(CONFIG_IPV6)
/**
 * msh_syncookie_syn_v6() - answer an IPv6 SYN with a cookie SYN-ACK
 * @skb: the SYN, in PRE_ROUTING
 * @thoff: offset of the TCP header from skb->data, as found by
 *	ipv6_skip_exthdr(); the caller must not pass non-first fragments
 * @state: the hook state
 * @rtx: as for msh_syncookie_syn_v4()
 * @retries: as for msh_syncookie_syn_v4()
 *
 * Context: as msh_syncookie_syn_v4().
 * Return: what was done.
 */
enum msh_sc_syn_result msh_syncookie_syn_v6(struct sk_buff *skb,
					    unsigned int thoff,
					    const struct nf_hook_state *state,
					    struct msh_synrtx *rtx, u8 retries);

/**
 * msh_syncookie_check_ack_v6() - classify an IPv6 ACK to a protected port
 * @skb: an ACK without SYN/RST, in PRE_ROUTING
 * @thoff: offset of the TCP header
 * @state: the hook state
 * @hs: the handshake, on %MSH_SC_ACK_VALID and %MSH_SC_ACK_REQUEST
 *
 * Return: as msh_syncookie_check_ack_v4().
 */
enum msh_sc_ack_result msh_syncookie_check_ack_v6(struct sk_buff *skb,
						  unsigned int thoff,
						  const struct nf_hook_state *state,
						  struct msh_sc_hs *hs);
#else
static inline enum msh_sc_syn_result
msh_syncookie_syn_v6(struct sk_buff *skb, unsigned int thoff,
		     const struct nf_hook_state *state, struct msh_synrtx *rtx,
		     u8 retries)
{
	return MSH_SC_SYN_NO_LISTENER;
}

static inline enum msh_sc_ack_result
msh_syncookie_check_ack_v6(struct sk_buff *skb, unsigned int thoff,
			   const struct nf_hook_state *state,
			   struct msh_sc_hs *hs)
{
	return MSH_SC_ACK_NOT_COOKIE;
}
#endif

/**
 * msh_syncookie_sysctl_check() - check the sysctls the engine relies on
 * @net: the network namespace
 *
 * Warns once (pr_warn_once) per problem. Call at namespace init and when
 * reporting status.
 *
 * Return: a mask of MSH_SC_WARN_* bits, 0 when all is well. With
 * tcp_syncookies == 0 the engine passes every SYN to the stack; with
 * tcp_timestamps == 0 cookies carry only the MSS (no wscale, no SACK).
 */
unsigned int msh_syncookie_sysctl_check(const struct net *net);

/**
 * msh_sc_syn_verdict() - netfilter verdict for a SYN result
 * @res: result of msh_syncookie_syn_v4()/_v6()
 *
 * Return: NF_DROP for a SYN that was answered or must not reach the
 * stack, NF_ACCEPT for one the stack should handle.
 */
static inline unsigned int msh_sc_syn_verdict(enum msh_sc_syn_result res)
{
	switch (res) {
	case MSH_SC_SYN_NO_LISTENER:
	case MSH_SC_SYN_NOT_LOCAL:
	case MSH_SC_SYN_NOT_SYN:
	case MSH_SC_SYN_DISABLED:
	case MSH_SC_SYN_UNSUPPORTED:
	case MSH_SC_SYN_EXISTS:
		return NF_ACCEPT;
	default:
		return NF_DROP;
	}
}

/**
 * msh_sc_ack_verdict() - netfilter verdict for an ACK result
 * @res: result of msh_syncookie_check_ack_v4()/_v6()
 *
 * Return: NF_DROP for an invalid cookie ACK, NF_ACCEPT otherwise.
 */
static inline unsigned int msh_sc_ack_verdict(enum msh_sc_ack_result res)
{
	return res == MSH_SC_ACK_INVALID ? NF_DROP : NF_ACCEPT;
}

#endif /* _MSH_SYNCOOKIE_H */
