// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The cookie SYN-ACK retransmission table: a copy is kept per 4-tuple (a
 * second SYN-ACK for a slot whose copy is not due yet is not), the cookie
 * ACK and a
 * client RST at the acknowledged sequence remove it, a RST at any other
 * sequence or an ACK of another 4-tuple does not, and the timer offers it
 * again after 1 s and after 2 s more, then lets it go. Retransmissions
 * are offered to the allow callback, which refuses them here: nothing is
 * sent.
 */

#include "../synrtx.h"

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

struct msh_rt_ctx {
	atomic_t asked;
};

static bool msh_rt_refuse(void *ctx, u8 family,
			  const union nf_inet_addr *caddr)
{
	struct msh_rt_ctx *c = ctx;

	atomic_inc(&c->asked);
	return false;
}

/* A SYN-ACK from 192.0.2.25:25 to @client:@cport acknowledging @ack. */
static struct sk_buff *msh_rt_synack(struct kunit *test, const char *client,
				     u16 cport, u32 ack)
{
	struct sk_buff *skb = alloc_skb(MAX_TCP_HEADER + 64, GFP_KERNEL);
	struct tcphdr *th;
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, MAX_TCP_HEADER);
	th = skb_put_zero(skb, sizeof(*th));
	skb_reset_transport_header(skb);
	th->source = htons(25);
	th->dest = htons(cport);
	th->seq = htonl(12345);
	th->ack_seq = htonl(ack);
	th->syn = 1;
	th->ack = 1;
	th->doff = sizeof(*th) / 4;
	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = in_aton("192.0.2.25");
	iph->daddr = in_aton(client);
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

static void msh_rt_done(struct msh_synrtx *t, const char *client, u16 cport,
			const u32 *rst_seq)
{
	union nf_inet_addr c = {}, s = {};

	c.ip = in_aton(client);
	s.ip = in_aton("192.0.2.25");
	msh_synrtx_done(t, NFPROTO_IPV4, &c, &s, htons(cport), htons(25),
			rst_seq);
}

static void msh_synrtx_test_keep_and_end(struct kunit *test)
{
	struct msh_rt_ctx ctx = {};
	struct msh_synrtx *t;
	struct sk_buff *skb;
	u32 seq;

	t = msh_synrtx_create(&init_net, msh_rt_refuse, &ctx);
	KUNIT_ASSERT_NOT_NULL(test, t);

	skb = msh_rt_synack(test, "198.51.100.7", 40000, 1001);
	msh_synrtx_add(t, skb, 0);
	KUNIT_EXPECT_EQ(test, msh_synrtx_count(t), 0U);	/* retries 0 */
	msh_synrtx_add(t, skb, 2);
	KUNIT_EXPECT_EQ(test, msh_synrtx_count(t), 1U);
	msh_synrtx_add(t, skb, 2);			/* slot taken, not due */
	KUNIT_EXPECT_EQ(test, msh_synrtx_count(t), 1U);
	kfree_skb(skb);					/* the table has a copy */

	msh_rt_done(t, "198.51.100.7", 40001, NULL);	/* another port */
	msh_rt_done(t, "198.51.100.8", 40000, NULL);	/* another client */
	KUNIT_EXPECT_EQ(test, msh_synrtx_count(t), 1U);
	seq = 1000;
	msh_rt_done(t, "198.51.100.7", 40000, &seq);	/* RST out of place */
	KUNIT_EXPECT_EQ(test, msh_synrtx_count(t), 1U);
	seq = 1001;
	msh_rt_done(t, "198.51.100.7", 40000, &seq);	/* the client's RST */
	KUNIT_EXPECT_EQ(test, msh_synrtx_count(t), 0U);

	skb = msh_rt_synack(test, "198.51.100.7", 40000, 5001);
	msh_synrtx_add(t, skb, 1);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, msh_synrtx_count(t), 1U);
	msh_rt_done(t, "198.51.100.7", 40000, NULL);	/* the cookie ACK */
	KUNIT_EXPECT_EQ(test, msh_synrtx_count(t), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx.asked), 0);

	/* destroy frees what is still held */
	skb = msh_rt_synack(test, "198.51.100.9", 40000, 1);
	msh_synrtx_add(t, skb, 2);
	kfree_skb(skb);
	msh_synrtx_destroy(t);
}

/* Waits until the callback was asked @n times; jiffies then, or 0. */
static unsigned long msh_rt_wait(struct msh_rt_ctx *ctx, int n)
{
	unsigned long end = jiffies + 10 * HZ;

	while (atomic_read(&ctx->asked) < n) {
		if (time_after(jiffies, end))
			return 0;
		msleep(20);
	}
	return jiffies;
}

/*
 * Only lower bounds of time are checked (a timer never fires early); the
 * upper bound is a generous 10 s, for a slow emulated guest.
 */
static void msh_synrtx_test_timer(struct kunit *test)
{
	struct msh_rt_ctx ctx = {};
	unsigned long t0, t1, t2;
	struct msh_synrtx *t;
	struct sk_buff *skb;

	t = msh_synrtx_create(&init_net, msh_rt_refuse, &ctx);
	KUNIT_ASSERT_NOT_NULL(test, t);
	skb = msh_rt_synack(test, "198.51.100.7", 40000, 1001);
	t0 = jiffies;
	msh_synrtx_add(t, skb, 2);
	kfree_skb(skb);

	t1 = msh_rt_wait(&ctx, 1);
	KUNIT_ASSERT_NE(test, t1, 0UL);
	KUNIT_EXPECT_GE(test, t1 - t0, (unsigned long)HZ);	/* after 1 s */
	KUNIT_EXPECT_EQ(test, msh_synrtx_count(t), 1U);	/* one more to go */
	t2 = msh_rt_wait(&ctx, 2);
	KUNIT_ASSERT_NE(test, t2, 0UL);
	KUNIT_EXPECT_GE(test, t2 - t1, (unsigned long)HZ);	/* 2 s more */
	KUNIT_EXPECT_EQ(test, msh_synrtx_count(t), 0U);	/* then let go */
	msleep(1500);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx.asked), 2);
	msh_synrtx_destroy(t);
}

static struct kunit_case msh_synrtx_test_cases[] = {
	KUNIT_CASE(msh_synrtx_test_keep_and_end),
	KUNIT_CASE(msh_synrtx_test_timer),
	{}
};

static struct kunit_suite msh_synrtx_test_suite = {
	.name = "mailshield-synrtx",
	.test_cases = msh_synrtx_test_cases,
};

kunit_test_suite(msh_synrtx_test_suite);
