// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Recipients end to end: crafted segments of a flow 127.0.0.x:40025 ->
 * 127.0.0.1:25 (x from 2, one per case) through the real hook functions of init_net, with a
 * recipient set committed in init_net. Loopback sources are exempt by
 * default; the cases turn exempt_local off. A LOCAL_OUT hook ahead of
 * mailshield's catches the module's own answers to the client (the 421)
 * and drops them.
 */

#include "../flows.h"
#include "../hooks.h"
#include "../inspect.h"
#include "../netns.h"
#include "../policy.h"
#include "../recipients.h"
#include "../sources.h"
#include "../state.h"
#include "../stats.h"

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/tcp.h>

#define RC_CLIENT	0x7f000002	/* 127.0.0.2 */
#define RC_SERVER	0x7f000001
#define RC_CPORT	40025

static unsigned int msh_rc_case;
static const siphash_key_t msh_rc_key = { .key = { 0x1234, 0x5678 } };

struct msh_rc {
	struct msh_net *mn;
	struct msh_flow_key key;
	u32 cnext, snext;
	struct msh_stats st0;
	struct nf_hook_ops ops;
	bool hooked, lo_was_down, exempt_was_on;
	spinlock_t lock;	/* the capture */
	char reply[64];
	bool reply_fin;
};

static unsigned int msh_rc_capture(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct msh_rc *c = priv;
	const struct tcphdr *th;
	struct tcphdr _th;
	unsigned int off, len;

	if (ip_hdr(skb)->protocol != IPPROTO_TCP ||
	    ip_hdr(skb)->daddr != c->key.caddr.ip)
		return NF_ACCEPT;
	off = ip_hdrlen(skb);
	th = skb_header_pointer(skb, off, sizeof(_th), &_th);
	if (!th || th->source != htons(25))
		return NF_ACCEPT;
	off += th->doff * 4;
	len = min_t(unsigned int, skb->len - off, sizeof(c->reply) - 1);
	spin_lock_bh(&c->lock);
	if (len && !c->reply[0] && !skb_copy_bits(skb, off, c->reply, len)) {
		c->reply[len] = 0;
		c->reply_fin = th->fin;
	}
	spin_unlock_bh(&c->lock);
	return NF_DROP;
}

/* One segment through the hook of its direction; returns the verdict. */
static unsigned int msh_rc_seg(struct kunit *test, bool tx, const char *data)
{
	struct msh_rc *c = test->priv;
	unsigned int plen = strlen(data), verdict;
	struct nf_hook_state state = {
		.hook = tx ? NF_INET_LOCAL_OUT : NF_INET_PRE_ROUTING,
		.pf = NFPROTO_IPV4,
		.in = tx ? NULL : init_net.loopback_dev,
		.net = &init_net,
	};
	struct sk_buff *skb;
	struct tcphdr *th;
	struct iphdr *iph;

	skb = alloc_skb(LL_MAX_HEADER + 40 + plen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(40 + plen);
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = tx ? c->key.saddr.ip : c->key.caddr.ip;
	iph->daddr = tx ? c->key.caddr.ip : c->key.saddr.ip;
	ip_send_check(iph);
	skb->protocol = htons(ETH_P_IP);
	skb_set_transport_header(skb, sizeof(*iph));
	th = skb_put_zero(skb, sizeof(*th));
	th->source = tx ? c->key.sport : c->key.cport;
	th->dest = tx ? c->key.cport : c->key.sport;
	th->seq = htonl(tx ? c->snext : c->cnext);
	th->ack_seq = htonl(tx ? c->cnext : c->snext);
	th->doff = 5;
	tcp_flag_byte(th) = TCPHDR_ACK | TCPHDR_PSH;
	th->window = htons(65535);
	skb_put_data(skb, data, plen);
	th->check = tcp_v4_check(sizeof(*th) + plen, iph->saddr, iph->daddr,
				 csum_partial(th, sizeof(*th) + plen, 0));
	skb->ip_summed = CHECKSUM_NONE;
	skb->pkt_type = PACKET_HOST;
	skb->dev = init_net.loopback_dev;

	local_bh_disable();
	rcu_read_lock();
	verdict = tx ? msh_ipv4_out(NULL, skb, &state) :
		       msh_ipv4_in(NULL, skb, &state);
	rcu_read_unlock();
	local_bh_enable();
	kfree_skb(skb);
	if (tx)
		c->snext += plen;
	else if (verdict == NF_ACCEPT)
		c->cnext += plen;
	return verdict;
}

static u8 msh_rc_mode(struct msh_rc *c)
{
	struct msh_flow *f;
	u8 mode = 0xff;

	rcu_read_lock();
	f = msh_flow_lookup(c->mn->flows, &c->key);
	if (f)
		mode = READ_ONCE(f->mode);
	rcu_read_unlock();
	return mode;
}

static u64 msh_rc_stat(struct msh_rc *c, enum msh_stat idx)
{
	struct msh_stats now;

	msh_stats_fold(c->mn->stats, &now);
	return now.ctr[idx] - c->st0.ctr[idx];
}

static enum msh_ban_reason msh_rc_banned(struct msh_rc *c)
{
	enum msh_ban_reason reason = MSH_BAN_NONE;

	if (msh_sources_ban_check(c->mn->admit.sources, AF_INET,
				  &c->key.caddr, msh_now(), &reason) !=
	    MSH_BAN_STATE_ACTIVE)
		return MSH_BAN_NONE;
	return reason;
}

static u64 msh_rc_hash(const char *s)
{
	return siphash(s, strlen(s), &msh_rc_key);
}

static void msh_rc_swap(struct msh_rcpt_net *rn, struct msh_rcpt_set *s)
{
	struct msh_rcpt_set *old;

	mutex_lock(&rn->lock);
	old = rcu_replace_pointer(rn->set, s, lockdep_is_held(&rn->lock));
	mutex_unlock(&rn->lock);
	if (old)
		kvfree_rcu(old, rcu);
}

/* example.com protected with user@example.com; catchall.example. */
static void msh_rc_load_set(struct kunit *test)
{
	struct msh_rc *c = test->priv;
	struct msh_rcpt_batch b[MSH_RCPT_KINDS] = {};
	u32 n[MSH_RCPT_KINDS] = { 1, 1, 1 };
	struct msh_rcpt_cfg cfg = { .key = msh_rc_key, .ndelims = 1, };
	enum msh_rcpt_kind bad;
	u64 h[MSH_RCPT_KINDS];
	const char *msg;
	int k;

	cfg.delims[0] = '+';
	h[MSH_RCPT_ADDR] = msh_rc_hash("user@example.com");
	h[MSH_RCPT_DOMAIN] = msh_rc_hash("example.com");
	h[MSH_RCPT_CATCHALL] = msh_rc_hash("catchall.example");
	for (k = 0; k < MSH_RCPT_KINDS; k++) {
		b[k].data = &h[k];
		b[k].count = 1;
	}
	KUNIT_ASSERT_EQ(test, msh_rcpt_begin(&c->mn->rcpt, &cfg, n, 10, &msg),
			0);
	KUNIT_ASSERT_EQ(test, msh_rcpt_add(&c->mn->rcpt, b, &bad, &msg), 0);
	KUNIT_ASSERT_EQ(test, msh_rcpt_commit(&c->mn->rcpt, &msg), 0);
}

static int msh_rc_exempt(struct msh_net *mn, bool on)
{
	struct msh_policy_update u = {};
	struct msh_policy_err err;

	msh_policy_update_set(&u, MSH_KNOB_EXEMPT_LOCAL, on);
	return msh_policy_set(mn, &u, NULL, &err);
}

static int msh_rc_init(struct kunit *test)
{
	struct net_device *lo = init_net.loopback_dev;
	struct msh_flow_init init = {
		.cnext = 1000, .snext = 5000, .mode = MSH_FLOW_INSPECT,
	};
	struct msh_policy p;
	struct msh_flow *f;
	struct msh_rc *c;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	test->priv = c;
	spin_lock_init(&c->lock);
	c->mn = msh_net(&init_net);
	c->key.family = NFPROTO_IPV4;
	/* a source of its own per case: windows outlive an unban */
	c->key.caddr.ip = htonl(RC_CLIENT + msh_rc_case++);
	c->key.saddr.ip = htonl(RC_SERVER);
	c->key.cport = htons(RC_CPORT);
	c->key.sport = htons(25);

	rtnl_lock();
	if (!(lo->flags & IFF_UP))
		c->lo_was_down = !dev_change_flags(lo, lo->flags | IFF_UP,
						   NULL);
	rtnl_unlock();
	c->ops.hook = msh_rc_capture;
	c->ops.priv = c;
	c->ops.pf = NFPROTO_IPV4;
	c->ops.hooknum = NF_INET_LOCAL_OUT;
	c->ops.priority = NF_IP_PRI_FIRST;
	if (nf_register_net_hook(&init_net, &c->ops))
		return -EINVAL;
	c->hooked = true;
	msh_policy_get(c->mn, &p);
	c->exempt_was_on = p.admit.exempt_local;
	if (msh_rc_exempt(c->mn, false))
		return -EINVAL;

	rcu_read_lock();
	if (msh_flow_add(c->mn->flows, &c->key, &init, MSH_FLOWS_DEF_MAX,
			 &f) != MSH_FLOW_ADDED) {
		rcu_read_unlock();
		return -EEXIST;
	}
	rcu_read_unlock();
	c->cnext = init.cnext;
	c->snext = init.snext;
	msh_rc_seg(test, true, "220 mx ESMTP\r\n");
	msh_stats_fold(c->mn->stats, &c->st0);
	return 0;
}

static void msh_rc_exit(struct kunit *test)
{
	struct msh_rc *c = test->priv;
	struct net_device *lo = init_net.loopback_dev;
	struct msh_flow *f;
	const char *msg;

	rcu_read_lock();
	f = msh_flow_lookup(c->mn->flows, &c->key);
	if (f)
		msh_flow_remove(c->mn->flows, f);
	rcu_read_unlock();
	msh_sources_unban(c->mn->admit.sources, AF_INET, &c->key.caddr, 0,
			  &msg);
	msh_rc_swap(&c->mn->rcpt, NULL);
	if (c->exempt_was_on)
		msh_rc_exempt(c->mn, true);
	if (c->hooked)
		nf_unregister_net_hook(&init_net, &c->ops);
	if (c->lo_was_down) {
		rtnl_lock();
		dev_change_flags(lo, lo->flags & ~IFF_UP, NULL);
		rtnl_unlock();
	}
}

static void msh_rc_rcpt(struct kunit *test, const char *addr)
{
	char line[80];

	snprintf(line, sizeof(line), "RCPT TO:<%s>\r\n", addr);
	KUNIT_EXPECT_EQ_MSG(test, msh_rc_seg(test, false, line), NF_ACCEPT,
			    "%s", addr);
}

/* Unknown recipients of a protected domain ban at the threshold: 421. */
static void msh_rc_test_set_ban(struct kunit *test)
{
	struct msh_rc *c = test->priv;
	struct msh_policy p;
	char addr[40];
	unsigned int i;

	msh_policy_get(c->mn, &p);
	KUNIT_ASSERT_EQ(test, p.rcpt.mode, MAILSHIELD_RCPT_BAN);
	KUNIT_ASSERT_GT(test, p.rcpt.threshold, 1U);
	msh_rc_load_set(test);

	msh_rc_rcpt(test, "User+news@Example.COM");
	msh_rc_rcpt(test, "someone@elsewhere.example");
	msh_rc_rcpt(test, "anyone@catchall.example");
	msh_rc_rcpt(test, "postmaster");
	KUNIT_EXPECT_EQ(test, msh_rc_stat(c, MSH_STAT_RCPT_CHECKED), 2);
	KUNIT_EXPECT_EQ(test, msh_rc_stat(c, MSH_STAT_RCPT_OUTSIDE), 1);
	KUNIT_EXPECT_EQ(test, msh_rc_stat(c, MSH_STAT_RCPT_UNKNOWN), 0);

	for (i = 1; i < p.rcpt.threshold; i++) {
		snprintf(addr, sizeof(addr), "nobody%u@example.com", i);
		msh_rc_rcpt(test, addr);
	}
	KUNIT_EXPECT_EQ(test, msh_rc_stat(c, MSH_STAT_RCPT_UNKNOWN),
			p.rcpt.threshold - 1);
	KUNIT_EXPECT_EQ(test, msh_rc_mode(c), MSH_FLOW_INSPECT);
	KUNIT_EXPECT_EQ(test, msh_rc_banned(c), MSH_BAN_NONE);
	KUNIT_EXPECT_EQ(test, c->reply[0], 0);

	/* the one that reaches the threshold never reaches the MTA */
	msh_rc_seg(test, false, "RCPT TO:<last@example.com>\r\n");
	KUNIT_EXPECT_EQ(test, msh_rc_stat(c, MSH_STAT_RCPT_UNKNOWN),
			p.rcpt.threshold);
	KUNIT_EXPECT_EQ(test, msh_rc_mode(c), MSH_FLOW_BLOCKED);
	KUNIT_EXPECT_EQ(test, msh_rc_banned(c), MSH_BAN_RECIPIENTS);
	KUNIT_EXPECT_EQ(test, msh_rc_stat(c, MSH_STAT_BANS), 1);
	spin_lock_bh(&c->lock);
	KUNIT_EXPECT_STREQ(test, c->reply,
			   "421 4.7.1 Too many unknown recipients\r\n");
	KUNIT_EXPECT_TRUE(test, c->reply_fin);
	spin_unlock_bh(&c->lock);
	/* and nothing more of the client's passes */
	KUNIT_EXPECT_EQ(test, msh_rc_seg(test, false, "QUIT\r\n"), NF_DROP);
}

/* No set: 550 5.1.1 replies to RCPT teach; the next RCPT is held. */
static void msh_rc_test_learn_ban(struct kunit *test)
{
	struct msh_rc *c = test->priv;
	struct msh_policy p;
	char addr[40];
	unsigned int i;

	msh_policy_get(c->mn, &p);
	KUNIT_ASSERT_TRUE(test, p.rcpt.learn);
	for (i = 0; i < p.rcpt.threshold; i++) {
		/* other refusals teach nothing */
		msh_rc_rcpt(test, "relay@elsewhere.example");
		msh_rc_seg(test, true, "554 5.7.1 Relay access denied\r\n");
		snprintf(addr, sizeof(addr), "guess%u@example.com", i);
		msh_rc_rcpt(test, addr);
		msh_rc_seg(test, true, i & 1 ?
			   "550 5.1.1 <x>: Recipient address rejected\r\n" :
			   "550-5.1.1 <x>: no such user\r\n550 5.1.1 bye\r\n");
	}
	KUNIT_EXPECT_EQ(test, msh_rc_stat(c, MSH_STAT_RCPT_LEARNED),
			p.rcpt.threshold);
	KUNIT_EXPECT_EQ(test, msh_rc_stat(c, MSH_STAT_RCPT_UNKNOWN), 0);
	KUNIT_EXPECT_EQ(test, msh_rc_banned(c), MSH_BAN_RECIPIENTS);
	KUNIT_EXPECT_EQ(test, msh_rc_mode(c), MSH_FLOW_INSPECT);

	msh_rc_seg(test, false, "RCPT TO:<more@example.com>\r\n");
	KUNIT_EXPECT_EQ(test, msh_rc_mode(c), MSH_FLOW_BLOCKED);
	spin_lock_bh(&c->lock);
	KUNIT_EXPECT_STREQ(test, c->reply,
			   "421 4.7.1 Too many unknown recipients\r\n");
	spin_unlock_bh(&c->lock);
}

/* An RCPT the set counted is not counted again from its 550 5.1.1. */
static void msh_rc_test_learn_dedup(struct kunit *test)
{
	struct msh_rc *c = test->priv;

	msh_rc_load_set(test);
	msh_rc_rcpt(test, "nobody@example.com");
	msh_rc_rcpt(test, "user@example.com");
	msh_rc_seg(test, true, "550 5.1.1 unknown\r\n550 5.1.1 unknown\r\n");
	KUNIT_EXPECT_EQ(test, msh_rc_stat(c, MSH_STAT_RCPT_UNKNOWN), 1);
	KUNIT_EXPECT_EQ(test, msh_rc_stat(c, MSH_STAT_RCPT_LEARNED), 1);
	KUNIT_EXPECT_EQ(test, msh_rc_mode(c), MSH_FLOW_INSPECT);
}

static bool msh_rc_own_netns;

/*
 * As conn_test.c: 6.1 runs the suites while the module is COMING, before
 * its init registered the pernet operations (conn_test.c's suite may have
 * registered and unregistered them already: msh_net_id says nothing).
 */
static int msh_rc_suite_init(struct kunit_suite *suite)
{
	int ret;

	if (THIS_MODULE->state == MODULE_STATE_LIVE)
		return 0;
	ret = msh_netns_init();
	msh_rc_own_netns = !ret;
	return ret;
}

static void msh_rc_suite_exit(struct kunit_suite *suite)
{
	if (msh_rc_own_netns)
		msh_netns_uninit();
	msh_rc_own_netns = false;
}

static struct kunit_case msh_rcpt_conn_test_cases[] = {
	KUNIT_CASE(msh_rc_test_set_ban),
	KUNIT_CASE(msh_rc_test_learn_ban),
	KUNIT_CASE(msh_rc_test_learn_dedup),
	{}
};

static struct kunit_suite msh_rcpt_conn_test_suite = {
	.name = "mailshield-rcpt-conn",
	.suite_init = msh_rc_suite_init,
	.suite_exit = msh_rc_suite_exit,
	.init = msh_rc_init,
	.exit = msh_rc_exit,
	.test_cases = msh_rcpt_conn_test_cases,
};

kunit_test_suite(msh_rcpt_conn_test_suite);
