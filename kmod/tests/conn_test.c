// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The connection path end to end: crafted segments through the real hook
 * functions (msh_ipv4_in/out, msh_ipv6_in/out) of init_net, against flows
 * the cases open themselves with chosen sequence numbers; and a real
 * loopback handshake whose third ACK is held back, for the ACK that opens
 * a flow (request socket and SYN cookie).
 *
 * Packets carry a correct TCP checksum and CHECKSUM_NONE, so the module's
 * own checksum verification runs on them. The flow's answers (the 421
 * reply, a RST) are routed towards 192.0.2.1, which has no route in the
 * test kernel: they are freed unsent.
 */

#include "../compat.h"
#include "../flows.h"
#include "../hooks.h"
#include "../inspect.h"
#include "../netns.h"
#include "../state.h"
#include "../policy.h"
#include "../stats.h"

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/sock.h>
#include <net/tcp.h>

#define CT_BANNER	"220 mx ESMTP\r\n"
#define CT_NOOP		"NOOP\r\n"
#define CT_CNEXT	1000U
#define CT_SNEXT	5000U

/* The client's third ACK of the loopback handshake, held back. */
struct msh_ct_capture {
	spinlock_t lock;	/* the fields below */
	bool done;
	__be16 cport;
	u32 seq, ack;
};

struct msh_ct {
	struct msh_net *mn;
	struct msh_flow_key key;	/* the connection under test */
	bool v6;
	u32 cnext, snext;		/* where the test expects the flow */
	struct msh_stats st0;		/* counters at the last mark */
	/* the loopback handshake */
	struct socket *listener, *client;
	struct nf_hook_ops cap_ops;
	bool cap_registered;
	struct msh_ct_capture cap;
	bool lo_was_down;
	bool cookies_off;
};

/* One segment; addresses and ports come from the context's key. */
struct msh_ct_seg {
	bool tx;		/* server to client (LOCAL_OUT) */
	u32 seq, ack;
	u8 flags;		/* TCPHDR_* */
	u16 urg_ptr;
	const char *data;	/* payload, a string */
	bool bad_csum;
	__be16 frag_off;	/* IPv4 only */
};

struct msh_ct_view {
	bool found;
	u8 mode;
	u32 cnext, snext;
	u64 cbytes;
};

/* ------------------------------------------------------------ helpers */

/* TCP checksum over the segment of @skb as it stands (0: it is right). */
static __sum16 msh_ct_csum(const struct sk_buff *skb, bool v6)
{
	unsigned int len = skb->len - skb_transport_offset(skb);
	__wsum sum = csum_partial(skb_transport_header(skb), len, 0);

	if (v6)
		return tcp_v6_check(len, &ipv6_hdr(skb)->saddr,
				    &ipv6_hdr(skb)->daddr, sum);
	return tcp_v4_check(len, ip_hdr(skb)->saddr, ip_hdr(skb)->daddr, sum);
}

static struct sk_buff *msh_ct_build(struct msh_ct *c,
				    const struct msh_ct_seg *s)
{
	unsigned int plen = s->data ? strlen(s->data) : 0;
	unsigned int nhlen = c->v6 ? sizeof(struct ipv6hdr) :
				     sizeof(struct iphdr);
	unsigned int tcplen = sizeof(struct tcphdr) + plen;
	const union nf_inet_addr *src, *dst;
	struct sk_buff *skb;
	struct tcphdr *th;

	src = s->tx ? &c->key.saddr : &c->key.caddr;
	dst = s->tx ? &c->key.caddr : &c->key.saddr;
	skb = alloc_skb(LL_MAX_HEADER + nhlen + tcplen, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	if (!c->v6) {
		struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = sizeof(*iph) / 4;
		iph->tot_len = htons(nhlen + tcplen);
		iph->frag_off = s->frag_off;
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = src->ip;
		iph->daddr = dst->ip;
		ip_send_check(iph);
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = skb_put_zero(skb, sizeof(*ip6h));

		ip6_flow_hdr(ip6h, 0, 0);
		ip6h->payload_len = htons(tcplen);
		ip6h->nexthdr = IPPROTO_TCP;
		ip6h->hop_limit = 64;
		ip6h->saddr = src->in6;
		ip6h->daddr = dst->in6;
		skb->protocol = htons(ETH_P_IPV6);
	}

	skb_set_transport_header(skb, nhlen);
	th = skb_put_zero(skb, sizeof(*th));
	th->source = s->tx ? c->key.sport : c->key.cport;
	th->dest = s->tx ? c->key.cport : c->key.sport;
	th->seq = htonl(s->seq);
	th->ack_seq = htonl(s->ack);
	th->doff = sizeof(*th) / 4;
	tcp_flag_byte(th) = s->flags;
	th->window = htons(65535);
	th->urg_ptr = htons(s->urg_ptr);
	if (plen)
		skb_put_data(skb, s->data, plen);
	th->check = msh_ct_csum(skb, c->v6);
	if (s->bad_csum)
		th->check ^= htons(0x5a5a);

	skb->ip_summed = CHECKSUM_NONE;
	skb->pkt_type = PACKET_HOST;
	skb->dev = init_net.loopback_dev;
	return skb;
}

/* Runs @skb through the hook of its direction, as netfilter would. */
static unsigned int msh_ct_hook(struct msh_ct *c, struct sk_buff *skb,
				bool tx)
{
	struct nf_hook_state state = {
		.hook = tx ? NF_INET_LOCAL_OUT : NF_INET_PRE_ROUTING,
		.pf = c->v6 ? NFPROTO_IPV6 : NFPROTO_IPV4,
		.in = tx ? NULL : init_net.loopback_dev,
		.net = &init_net,
	};
	unsigned int verdict;

	local_bh_disable();
	rcu_read_lock();
	if (c->v6)
		verdict = tx ? msh_ipv6_out(NULL, skb, &state) :
			       msh_ipv6_in(NULL, skb, &state);
	else
		verdict = tx ? msh_ipv4_out(NULL, skb, &state) :
			       msh_ipv4_in(NULL, skb, &state);
	rcu_read_unlock();
	local_bh_enable();
	return verdict;
}

/*
 * Builds @s and feeds it to the module; returns the verdict. With @keep
 * the skb (as the hook left it) goes to the caller, who frees it.
 */
static unsigned int msh_ct_send(struct kunit *test, const struct msh_ct_seg *s,
				struct sk_buff **keep)
{
	struct msh_ct *c = test->priv;
	struct sk_buff *skb = msh_ct_build(c, s);
	unsigned int verdict;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	verdict = msh_ct_hook(c, skb, s->tx);
	if (keep)
		*keep = skb;
	else
		kfree_skb(skb);
	return verdict;
}

/* Client data at @seq, acknowledging everything the server sent. */
static unsigned int msh_ct_data(struct kunit *test, u32 seq, const char *data)
{
	struct msh_ct *c = test->priv;
	struct msh_ct_seg s = {
		.seq = seq, .ack = c->snext,
		.flags = TCPHDR_ACK | TCPHDR_PSH, .data = data,
	};

	return msh_ct_send(test, &s, NULL);
}

/* The server's segment at its next sequence number. */
static unsigned int msh_ct_server(struct kunit *test, u8 flags, u32 ack,
				  const char *data)
{
	struct msh_ct *c = test->priv;
	struct msh_ct_seg s = {
		.tx = true, .seq = c->snext, .ack = ack, .flags = flags,
		.data = data,
	};
	unsigned int verdict = msh_ct_send(test, &s, NULL);

	c->snext += data ? strlen(data) : 0;
	return verdict;
}

static struct msh_ct_view msh_ct_view(struct msh_ct *c)
{
	struct msh_ct_view v = {};
	struct msh_flow *f;

	rcu_read_lock();
	f = msh_flow_lookup(c->mn->flows, &c->key);
	if (f) {
		spin_lock_bh(&f->lock);
		v.found = true;
		v.mode = f->mode;
		v.cnext = f->cnext;
		v.snext = f->snext;
		v.cbytes = f->cbytes;
		spin_unlock_bh(&f->lock);
	}
	rcu_read_unlock();
	return v;
}

/* The flow exists, in @mode, expecting @cnext next. */
static void msh_ct_expect_flow(struct kunit *test, const char *what, u8 mode,
			       u32 cnext)
{
	struct msh_ct_view v = msh_ct_view(test->priv);

	KUNIT_EXPECT_TRUE_MSG(test, v.found, "%s: flow gone", what);
	KUNIT_EXPECT_EQ_MSG(test, v.mode, mode, "%s: mode", what);
	KUNIT_EXPECT_EQ_MSG(test, v.cnext, cnext, "%s: cnext", what);
}

static void msh_ct_expect_no_flow(struct kunit *test, const char *what)
{
	KUNIT_EXPECT_FALSE_MSG(test, msh_ct_view(test->priv).found,
			       "%s: unexpected flow", what);
}

/* Counters from here on. */
static void msh_ct_mark(struct msh_ct *c)
{
	msh_stats_fold(c->mn->stats, &c->st0);
}

static u64 msh_ct_stat(struct msh_ct *c, unsigned int idx)
{
	struct msh_stats now;

	msh_stats_fold(c->mn->stats, &now);
	return now.ctr[idx] - c->st0.ctr[idx];
}

static void msh_ct_flow_open(struct kunit *test, u32 cnext, u32 snext)
{
	struct msh_ct *c = test->priv;
	struct msh_flow_init init = {
		.cnext = cnext, .snext = snext, .mode = MSH_FLOW_INSPECT,
	};
	enum msh_flow_add_result res;
	struct msh_flow *f;

	rcu_read_lock();
	res = msh_flow_add(c->mn->flows, &c->key, &init, MSH_FLOWS_DEF_MAX,
			   &f);
	rcu_read_unlock();
	KUNIT_ASSERT_EQ(test, res, MSH_FLOW_ADDED);
	c->cnext = cnext;
	c->snext = snext;
}

static void msh_ct_flow_close(struct msh_ct *c)
{
	struct msh_flow *f;

	rcu_read_lock();
	f = msh_flow_lookup(c->mn->flows, &c->key);
	if (f)
		msh_flow_remove(c->mn->flows, f);
	rcu_read_unlock();
}

/* A flow past the server's banner, where client commands are legal. */
static void msh_ct_flow_greeted(struct kunit *test)
{
	struct msh_ct *c = test->priv;

	msh_ct_flow_open(test, CT_CNEXT, CT_SNEXT);
	KUNIT_ASSERT_EQ(test, msh_ct_server(test, TCPHDR_ACK | TCPHDR_PSH,
					    c->cnext, CT_BANNER), NF_ACCEPT);
	KUNIT_ASSERT_EQ(test, msh_ct_view(c).snext, c->snext);
	msh_ct_mark(c);
}

static int msh_ct_init(struct kunit *test)
{
	struct msh_ct *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->mn = msh_net(&init_net);
	/* 192.0.2.1:40001 -> 192.0.2.25:25 */
	c->key.family = NFPROTO_IPV4;
	c->key.caddr.ip = htonl(0xc0000201);
	c->key.saddr.ip = htonl(0xc0000219);
	c->key.cport = htons(40001);
	c->key.sport = htons(25);
	spin_lock_init(&c->cap.lock);
	test->priv = c;
	msh_ct_mark(c);
	return 0;
}

static int msh_ct_set_cookies(struct msh_net *mn, bool on)
{
	struct msh_policy_update u = {};
	struct msh_policy_err err;

	msh_policy_update_set(&u, MSH_KNOB_SYNCOOKIES, on);
	return msh_policy_set(mn, &u, NULL, &err);
}

/* Also after a failed assertion: leaves init_net as it found it. */
static void msh_ct_exit(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	struct net_device *lo = init_net.loopback_dev;

	if (c->client) {
		/* a RST, which the capture hook drops */
		sock_no_linger(c->client->sk);
		sock_release(c->client);
	}
	if (c->cap_registered)
		nf_unregister_net_hook(&init_net, &c->cap_ops);
	if (c->listener)
		sock_release(c->listener);
	msh_ct_flow_close(c);
	if (c->cookies_off)
		msh_ct_set_cookies(c->mn, true);
	if (c->lo_was_down) {
		rtnl_lock();
		dev_change_flags(lo, lo->flags & ~IFF_UP, NULL);
		rtnl_unlock();
	}
}

/* ------------------------------------------------------------- cases */

/* The stack may ignore a client's RST or FIN: neither ends the flow. */
static void msh_ct_test_rst_fin_keep_flow(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	struct msh_ct_seg rst = { .flags = TCPHDR_RST };
	struct msh_ct_seg fin = { .flags = TCPHDR_FIN | TCPHDR_ACK };

	msh_ct_flow_greeted(test);
	rst.seq = c->cnext + 100000;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &rst, NULL), NF_ACCEPT);
	msh_ct_expect_flow(test, "after RST", MSH_FLOW_INSPECT, c->cnext);

	/* beyond the window: out of order */
	fin.seq = c->cnext + 100000;
	fin.ack = c->snext;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &fin, NULL), NF_DROP);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_OOO_DROPS), 1);
	msh_ct_expect_flow(test, "after FIN ahead", MSH_FLOW_INSPECT,
			   c->cnext);

	/* long before the window: nothing new, left to the stack */
	fin.seq = c->cnext - 100000;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &fin, NULL), NF_ACCEPT);
	msh_ct_expect_flow(test, "after FIN behind", MSH_FLOW_INSPECT,
			   c->cnext);

	KUNIT_EXPECT_EQ(test, msh_ct_data(test, c->cnext, CT_NOOP), NF_ACCEPT);
	msh_ct_expect_flow(test, "after data", MSH_FLOW_INSPECT, c->cnext + 6);
	KUNIT_EXPECT_EQ(test, msh_ct_view(c).cbytes, 6);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_VIOLATIONS), 0);
}

/* Segments the stack would not take as seen are dropped, not read. */
static void msh_ct_test_bad_segments(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	struct msh_ct_seg s = {
		.flags = TCPHDR_ACK | TCPHDR_PSH, .data = CT_NOOP,
		.bad_csum = true,
	};

	msh_ct_flow_greeted(test);
	s.seq = c->cnext;
	s.ack = c->snext;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &s, NULL), NF_DROP);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_BAD_SEGMENTS), 1);
	msh_ct_expect_flow(test, "bad checksum", MSH_FLOW_INSPECT, c->cnext);

	s.bad_csum = false;
	s.flags = TCPHDR_PSH;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &s, NULL), NF_DROP);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_BAD_SEGMENTS), 2);
	msh_ct_expect_flow(test, "no ACK", MSH_FLOW_INSPECT, c->cnext);

	/* the same bytes, well formed: read once */
	KUNIT_EXPECT_EQ(test, msh_ct_data(test, c->cnext, CT_NOOP), NF_ACCEPT);
	msh_ct_expect_flow(test, "good", MSH_FLOW_INSPECT, c->cnext + 6);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_RETRANS_BYTES), 0);
}

/* URG is cleared so the stack delivers every byte the inspector read. */
static void msh_ct_test_urgent(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	struct msh_ct_seg s = {
		.flags = TCPHDR_ACK | TCPHDR_PSH | TCPHDR_URG, .urg_ptr = 3,
		.data = CT_NOOP,
	};
	struct sk_buff *skb;
	struct tcphdr *th;

	msh_ct_flow_greeted(test);
	s.seq = c->cnext;
	s.ack = c->snext;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &s, &skb), NF_ACCEPT);
	th = tcp_hdr(skb);
	KUNIT_EXPECT_FALSE(test, th->urg);
	KUNIT_EXPECT_EQ(test, th->urg_ptr, 0);
	KUNIT_EXPECT_TRUE(test, th->ack && th->psh);
	KUNIT_EXPECT_EQ(test, skb->len, sizeof(struct iphdr) +
			sizeof(struct tcphdr) + 6);
	KUNIT_EXPECT_EQ_MSG(test, msh_ct_csum(skb, false), 0,
			    "checksum wrong after clearing URG");
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_URGENT_CLEARED), 1);
	msh_ct_expect_flow(test, "urgent", MSH_FLOW_INSPECT, c->cnext + 6);
	KUNIT_EXPECT_EQ(test, msh_ct_view(c).cbytes, 6);

	/* a wrong checksum stays wrong: still dropped */
	s.seq = c->cnext + 6;
	s.bad_csum = true;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &s, NULL), NF_DROP);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_URGENT_CLEARED), 2);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_BAD_SEGMENTS), 1);
	msh_ct_expect_flow(test, "urgent, bad", MSH_FLOW_INSPECT,
			   c->cnext + 6);
}

/* Without nf_defrag a fragment reaches the hook: its tail is unseen. */
static void msh_ct_test_fragment(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	struct msh_ct_seg s = {
		.flags = TCPHDR_ACK | TCPHDR_PSH, .data = CT_NOOP,
		.frag_off = htons(IP_MF),
	};

	msh_ct_flow_greeted(test);
	s.seq = c->cnext;
	s.ack = c->snext;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &s, NULL), NF_DROP);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_FRAGMENTS), 1);
	msh_ct_expect_flow(test, "first fragment", MSH_FLOW_INSPECT,
			   c->cnext);

	/* a later fragment has no TCP header: not the module's */
	s.frag_off = htons(1);
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &s, NULL), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_FRAGMENTS), 1);
	msh_ct_expect_flow(test, "later fragment", MSH_FLOW_INSPECT,
			   c->cnext);
}

/* Resent bytes must be the ones inspected. */
static void msh_ct_test_retransmit(struct kunit *test)
{
	unsigned int rr = MSH_STAT_REASON0 + MSH_SMTP_R_RETRANSMIT;
	struct msh_ct *c = test->priv;
	struct msh_ct_seg s = {
		.flags = TCPHDR_ACK | TCPHDR_PSH, .data = "NOOQ\r\n",
	};
	struct sk_buff *skb;
	struct tcphdr *th;
	u32 seq;

	msh_ct_flow_greeted(test);
	seq = c->cnext;
	KUNIT_EXPECT_EQ(test, msh_ct_data(test, seq, CT_NOOP), NF_ACCEPT);
	msh_ct_expect_flow(test, "first", MSH_FLOW_INSPECT, seq + 6);

	KUNIT_EXPECT_EQ(test, msh_ct_data(test, seq, CT_NOOP), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_RETRANS_BYTES), 6);
	msh_ct_expect_flow(test, "same again", MSH_FLOW_INSPECT, seq + 6);

	/* other bytes: the segment becomes a RST for the local socket */
	s.seq = seq;
	s.ack = c->snext;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &s, &skb), NF_ACCEPT);
	th = tcp_hdr(skb);
	KUNIT_EXPECT_TRUE(test, th->rst);
	KUNIT_EXPECT_EQ(test, ntohl(th->seq), seq);
	KUNIT_EXPECT_EQ(test, skb->len, sizeof(struct iphdr) +
			sizeof(struct tcphdr));
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, rr), 1);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_VIOLATIONS), 1);
	msh_ct_expect_flow(test, "differs", MSH_FLOW_BLOCKED, seq + 6);

	KUNIT_EXPECT_EQ(test, msh_ct_data(test, seq + 6, CT_NOOP), NF_DROP);
	msh_ct_expect_flow(test, "blocked", MSH_FLOW_BLOCKED, seq + 6);
}

/* What the server acknowledged the stack has: no longer checked. */
static void msh_ct_test_retransmit_acked(struct kunit *test)
{
	unsigned int rr = MSH_STAT_REASON0 + MSH_SMTP_R_RETRANSMIT;
	struct msh_ct *c = test->priv;
	u32 seq;

	msh_ct_flow_greeted(test);
	seq = c->cnext;
	KUNIT_EXPECT_EQ(test, msh_ct_data(test, seq, CT_NOOP), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, msh_ct_server(test, TCPHDR_ACK, seq + 6, NULL),
			NF_ACCEPT);

	KUNIT_EXPECT_EQ(test, msh_ct_data(test, seq, "NOOQ\r\n"), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_RETRANS_BYTES), 6);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, rr), 0);
	msh_ct_expect_flow(test, "acked", MSH_FLOW_INSPECT, seq + 6);

	/* and the stream goes on */
	KUNIT_EXPECT_EQ(test, msh_ct_data(test, seq + 6, CT_NOOP), NF_ACCEPT);
	msh_ct_expect_flow(test, "next", MSH_FLOW_INSPECT, seq + 12);
}

static void msh_ct_test_out_of_order(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	struct msh_ct_seg s = {
		.flags = TCPHDR_ACK | TCPHDR_PSH, .data = CT_NOOP,
	};

	msh_ct_flow_greeted(test);
	KUNIT_EXPECT_EQ(test, msh_ct_data(test, c->cnext + 10, CT_NOOP),
			NF_DROP);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_OOO_DROPS), 1);
	msh_ct_expect_flow(test, "ahead", MSH_FLOW_INSPECT, c->cnext);

	/* acknowledges bytes the server never sent */
	s.seq = c->cnext;
	s.ack = c->snext + 1000;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &s, NULL), NF_DROP);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_BAD_SEGMENTS), 1);
	msh_ct_expect_flow(test, "ack beyond", MSH_FLOW_INSPECT, c->cnext);

	KUNIT_EXPECT_EQ(test, msh_ct_data(test, c->cnext, CT_NOOP), NF_ACCEPT);
	msh_ct_expect_flow(test, "in order", MSH_FLOW_INSPECT, c->cnext + 6);
}

/* A cap lowered below the number of flows holds: nothing more comes in. */
static void msh_ct_test_max_flows_lowered(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	struct msh_flow_init init = { .mode = MSH_FLOW_INSPECT };
	struct msh_flow *f[3], *g;
	struct msh_flow_key k;
	unsigned int i, n0;

	rcu_read_lock();
	n0 = msh_flows_count(c->mn->flows);
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		k = c->key;
		k.cport = htons(40000 + i);
		KUNIT_EXPECT_EQ(test, msh_flow_add(c->mn->flows, &k, &init,
						   MSH_FLOWS_DEF_MAX, &f[i]),
				MSH_FLOW_ADDED);
	}
	k = c->key;
	k.cport = htons(40100);
	/* the cap is now below the count: refused, and the count stays */
	KUNIT_EXPECT_EQ(test, msh_flow_add(c->mn->flows, &k, &init, n0 + 1,
					   &g), MSH_FLOW_FULL);
	KUNIT_EXPECT_EQ(test, msh_flows_count(c->mn->flows), n0 + 3);
	for (i = 0; i < ARRAY_SIZE(f); i++)
		if (f[i])
			msh_flow_remove(c->mn->flows, f[i]);
	rcu_read_unlock();
}

/* The local stack ending the connection ends the flow. */
static void msh_ct_test_server_rst(struct kunit *test)
{
	struct msh_ct *c = test->priv;

	msh_ct_flow_greeted(test);
	KUNIT_EXPECT_EQ(test, msh_ct_server(test, TCPHDR_RST | TCPHDR_ACK,
					    c->cnext, NULL), NF_ACCEPT);
	msh_ct_expect_no_flow(test, "server RST");

	/* no listener on 192.0.2.25: left to the stack, no new flow */
	KUNIT_EXPECT_EQ(test, msh_ct_data(test, c->cnext, CT_NOOP), NF_ACCEPT);
	msh_ct_expect_no_flow(test, "data after RST");
}

static void msh_ct_test_ipv6(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	struct msh_ct_seg s = {
		.flags = TCPHDR_ACK | TCPHDR_PSH, .data = CT_NOOP,
		.bad_csum = true,
	};

	/* [2001:db8::1]:40001 -> [2001:db8::25]:25 */
	c->v6 = true;
	memset(&c->key.caddr, 0, sizeof(c->key.caddr));
	memset(&c->key.saddr, 0, sizeof(c->key.saddr));
	c->key.family = NFPROTO_IPV6;
	c->key.caddr.in6.s6_addr32[0] = htonl(0x20010db8);
	c->key.caddr.in6.s6_addr32[3] = htonl(1);
	c->key.saddr.in6.s6_addr32[0] = htonl(0x20010db8);
	c->key.saddr.in6.s6_addr32[3] = htonl(0x25);

	msh_ct_flow_greeted(test);
	s.seq = c->cnext;
	s.ack = c->snext;
	KUNIT_EXPECT_EQ(test, msh_ct_send(test, &s, NULL), NF_DROP);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_BAD_SEGMENTS), 1);
	msh_ct_expect_flow(test, "v6 bad checksum", MSH_FLOW_INSPECT,
			   c->cnext);

	KUNIT_EXPECT_EQ(test, msh_ct_data(test, c->cnext, CT_NOOP), NF_ACCEPT);
	msh_ct_expect_flow(test, "v6 data", MSH_FLOW_INSPECT, c->cnext + 6);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_RX_PACKETS_V6), 2);
}

/* --------------------------------------------------- loopback handshake */

/*
 * LOCAL_OUT, before mailshield: records the client's first ACK to port 25
 * and drops every client segment after its SYN, so the server side never
 * completes the handshake on its own.
 */
static unsigned int msh_ct_capture_hook(void *priv, struct sk_buff *skb,
					const struct nf_hook_state *state)
{
	struct msh_ct_capture *cap = priv;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	struct tcphdr _th;

	if (iph->protocol != IPPROTO_TCP ||
	    iph->daddr != htonl(INADDR_LOOPBACK))
		return NF_ACCEPT;
	th = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_th), &_th);
	if (!th || th->dest != htons(25) || th->syn)
		return NF_ACCEPT;

	spin_lock_bh(&cap->lock);
	if (!cap->done && th->ack && !th->rst) {
		cap->cport = th->source;
		cap->seq = ntohl(th->seq);
		cap->ack = ntohl(th->ack_seq);
		cap->done = true;
	}
	spin_unlock_bh(&cap->lock);
	return NF_DROP;
}

static bool msh_ct_captured(struct msh_ct *c)
{
	bool done;

	spin_lock_bh(&c->cap.lock);
	done = c->cap.done;
	spin_unlock_bh(&c->cap.lock);
	return done;
}

/*
 * A kernel listener on 127.0.0.1:25 and a non-blocking connect to it; the
 * client's third ACK is held back. The key becomes that 4-tuple.
 */
static void msh_ct_handshake(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	struct net_device *lo = init_net.loopback_dev;
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(25),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int i, ret;

	/* the test's initramfs leaves lo down; up, it gets 127.0.0.1 */
	rtnl_lock();
	if (!(lo->flags & IFF_UP))
		c->lo_was_down = !dev_change_flags(lo, lo->flags | IFF_UP,
						   NULL);
	rtnl_unlock();
	KUNIT_ASSERT_TRUE(test, lo->flags & IFF_UP);

	c->cap_ops.hook = msh_ct_capture_hook;
	c->cap_ops.priv = &c->cap;
	c->cap_ops.pf = NFPROTO_IPV4;
	c->cap_ops.hooknum = NF_INET_LOCAL_OUT;
	c->cap_ops.priority = NF_IP_PRI_FIRST;
	KUNIT_ASSERT_EQ(test, nf_register_net_hook(&init_net, &c->cap_ops), 0);
	c->cap_registered = true;

	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_INET, SOCK_STREAM,
					       IPPROTO_TCP, &c->listener), 0);
	sock_set_reuseaddr(c->listener->sk);
	KUNIT_ASSERT_EQ(test, kernel_bind(c->listener, (struct sockaddr *)&sin,
					  sizeof(sin)), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(c->listener, 8), 0);

	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_INET, SOCK_STREAM,
					       IPPROTO_TCP, &c->client), 0);
	ret = kernel_connect(c->client, (struct sockaddr *)&sin, sizeof(sin),
			     O_NONBLOCK);
	KUNIT_ASSERT_TRUE_MSG(test, !ret || ret == -EINPROGRESS,
			      "connect: %d", ret);
	for (i = 0; i < 100 && !msh_ct_captured(c); i++)
		msleep(20);
	KUNIT_ASSERT_TRUE_MSG(test, msh_ct_captured(c), "no third ACK");

	memset(&c->key, 0, sizeof(c->key));
	c->key.family = NFPROTO_IPV4;
	c->key.caddr.ip = htonl(INADDR_LOOPBACK);
	c->key.saddr.ip = htonl(INADDR_LOOPBACK);
	c->key.cport = c->cap.cport;
	c->key.sport = htons(25);
}

/* The request socket of the key's 4-tuple, if the stack holds one. */
static bool msh_ct_reqsk(struct msh_ct *c, u32 *rcv_nxt, u32 *snt_isn)
{
	const struct tcp_request_sock *treq;
	struct sock *sk;
	bool found = false;

	rcu_read_lock();
	sk = __inet_lookup_established(&init_net, msh_tcp_hashinfo(&init_net),
				       c->key.caddr.ip, c->key.cport,
				       c->key.saddr.ip, ntohs(c->key.sport),
				       init_net.loopback_dev->ifindex, 0);
	if (sk) {
		if (sk->sk_state == TCP_NEW_SYN_RECV) {
			treq = tcp_rsk(inet_reqsk(sk));
			*rcv_nxt = treq->rcv_nxt;
			*snt_isn = treq->snt_isn;
			found = true;
		}
		sock_gen_put(sk);
	}
	rcu_read_unlock();
	return found;
}

static unsigned int msh_ct_ack(struct kunit *test, u32 seq, u32 ack,
			       bool bad_csum)
{
	struct msh_ct_seg s = {
		.seq = seq, .ack = ack, .flags = TCPHDR_ACK, .bad_csum = bad_csum,
	};

	return msh_ct_send(test, &s, NULL);
}

/*
 * Cookies off in the policy: the stack answers the SYN and keeps a
 * request socket. Only its exact ACK opens a flow.
 */
static void msh_ct_test_request_ack(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	u32 rcv_nxt = 0, isn = 0;

	KUNIT_ASSERT_EQ(test, msh_ct_set_cookies(c->mn, false), 0);
	c->cookies_off = true;
	msh_ct_handshake(test);
	KUNIT_ASSERT_TRUE_MSG(test, msh_ct_reqsk(c, &rcv_nxt, &isn),
			      "no request socket");
	KUNIT_EXPECT_EQ(test, c->cap.seq, rcv_nxt);
	KUNIT_EXPECT_EQ(test, c->cap.ack, isn + 1);
	msh_ct_mark(c);

	KUNIT_EXPECT_EQ(test, msh_ct_ack(test, rcv_nxt + 1, isn + 1, false),
			NF_DROP);
	msh_ct_expect_no_flow(test, "wrong seq");
	KUNIT_EXPECT_EQ(test, msh_ct_ack(test, rcv_nxt, isn + 2, false),
			NF_DROP);
	msh_ct_expect_no_flow(test, "wrong ack");
	KUNIT_EXPECT_EQ(test, msh_ct_ack(test, rcv_nxt, isn + 1, true),
			NF_DROP);
	msh_ct_expect_no_flow(test, "bad checksum");
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_BAD_SEGMENTS), 3);

	KUNIT_EXPECT_EQ(test, msh_ct_ack(test, rcv_nxt, isn + 1, false),
			NF_ACCEPT);
	msh_ct_expect_flow(test, "right ACK", MSH_FLOW_INSPECT, rcv_nxt);
	KUNIT_EXPECT_EQ(test, msh_ct_view(c).snext, isn + 1);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_FLOWS_CREATED), 1);
}

/*
 * The default policy answers the SYN with a cookie: no request socket.
 * A cookie folds seq and ack in additively, with the MSS index (0..3) in
 * the low bits: +4 on either moves it out of range whatever the index.
 */
static void msh_ct_test_cookie_ack(struct kunit *test)
{
	struct msh_ct *c = test->priv;
	u32 seq, ack, unused;

	msh_ct_handshake(test);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_COOKIES_SENT), 1);
	KUNIT_EXPECT_FALSE(test, msh_ct_reqsk(c, &unused, &unused));
	seq = c->cap.seq;
	ack = c->cap.ack;
	msh_ct_mark(c);

	KUNIT_EXPECT_EQ(test, msh_ct_ack(test, seq, ack + 4, false), NF_DROP);
	msh_ct_expect_no_flow(test, "wrong ack");
	KUNIT_EXPECT_EQ(test, msh_ct_ack(test, seq + 4, ack, false), NF_DROP);
	msh_ct_expect_no_flow(test, "wrong seq");
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_COOKIES_INVALID), 2);
	KUNIT_EXPECT_EQ(test, msh_ct_ack(test, seq, ack, true), NF_DROP);
	msh_ct_expect_no_flow(test, "bad checksum");
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_BAD_SEGMENTS), 1);

	KUNIT_EXPECT_EQ(test, msh_ct_ack(test, seq, ack, false), NF_ACCEPT);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_COOKIES_VALID), 1);
	msh_ct_expect_flow(test, "right ACK", MSH_FLOW_INSPECT, seq);
	KUNIT_EXPECT_EQ(test, msh_ct_view(c).snext, ack);
	KUNIT_EXPECT_EQ(test, msh_ct_stat(c, MSH_STAT_FLOWS_CREATED), 1);
}

/* The suite registered the per-namespace state itself. */
static bool msh_ct_own_netns;

/*
 * 6.1 runs a module's suites when it is COMING, before its init function:
 * no namespace has its struct msh_net (nor the hooks) yet, and
 * msh_net(&init_net) is not ours. The suite then registers the pernet
 * operations itself for its run, and unregisters them before the module's
 * init registers them again. Kernels that run suites after init
 * (MODULE_STATE_LIVE) have them registered already.
 */
static int msh_ct_suite_init(struct kunit_suite *suite)
{
	int ret;

	if (msh_net_id)
		return 0;
	ret = msh_netns_init();
	msh_ct_own_netns = !ret;
	return ret;
}

static void msh_ct_suite_exit(struct kunit_suite *suite)
{
	if (msh_ct_own_netns)
		msh_netns_uninit();
	msh_ct_own_netns = false;
}

static struct kunit_case msh_conn_test_cases[] = {
	KUNIT_CASE(msh_ct_test_rst_fin_keep_flow),
	KUNIT_CASE(msh_ct_test_bad_segments),
	KUNIT_CASE(msh_ct_test_urgent),
	KUNIT_CASE(msh_ct_test_fragment),
	KUNIT_CASE(msh_ct_test_retransmit),
	KUNIT_CASE(msh_ct_test_retransmit_acked),
	KUNIT_CASE(msh_ct_test_out_of_order),
	KUNIT_CASE(msh_ct_test_server_rst),
	KUNIT_CASE(msh_ct_test_max_flows_lowered),
	KUNIT_CASE(msh_ct_test_ipv6),
	KUNIT_CASE(msh_ct_test_request_ack),
	KUNIT_CASE(msh_ct_test_cookie_ack),
	{}
};

static struct kunit_suite msh_conn_test_suite = {
	.name = "mailshield-conn",
	.suite_init = msh_ct_suite_init,
	.suite_exit = msh_ct_suite_exit,
	.init = msh_ct_init,
	.exit = msh_ct_exit,
	.test_cases = msh_conn_test_cases,
};

kunit_test_suite(msh_conn_test_suite);
