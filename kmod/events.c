// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 */

#include "events.h"
#include "netlink.h"	/* the multicast group ids */
#include "netns.h"

#include <linux/timekeeping.h>
#include <linux/mailshield.h>
#include <linux/minmax.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>
#include <net/netlink.h>

/*
 * True while the genl family is registered. Senders test it inside an RCU
 * read-side section and msh_events_disable() waits for a grace period, so
 * no event is multicast on a group of a family that is going away.
 */
static bool msh_events_live;
/* the registered family, set with msh_events_enable() */
static const struct genl_family *msh_events_fam;

void msh_ratelimit_init(struct msh_ratelimit *rl, u64 now)
{
	spin_lock_init(&rl->lock);
	msh_tb_init(&rl->tb, now);
	rl->suppressed = 0;
}

/**
 * msh_ratelimit_allow - take one event's worth of credit
 * @rl: the bucket
 * @now: the current time in nanoseconds (ktime_get_ns())
 * @suppressed: on success, the number of events refused since the previous
 *	allowed one (the counter is then reset)
 *
 * Any context.
 *
 * Return: true if the event may be sent.
 */
bool msh_ratelimit_allow(struct msh_ratelimit *rl, u64 now, u32 *suppressed)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&rl->lock, flags);
	ok = msh_tb_take_period(&rl->tb, now, NSEC_PER_SEC, MSH_EVENT_RATE,
				MSH_EVENT_BURST, NULL);
	if (ok) {
		*suppressed = rl->suppressed;
		rl->suppressed = 0;
	} else if (rl->suppressed < U32_MAX) {
		rl->suppressed++;
	}
	spin_unlock_irqrestore(&rl->lock, flags);
	return ok;
}

/*
 * An allowed event could not be sent: count it, and the @carried
 * suppressed events it would have reported.
 */
void msh_ratelimit_lost(struct msh_ratelimit *rl, u32 carried)
{
	unsigned long flags;
	u64 sum;

	spin_lock_irqsave(&rl->lock, flags);
	sum = (u64)rl->suppressed + carried + 1;
	rl->suppressed = min_t(u64, sum, U32_MAX);
	spin_unlock_irqrestore(&rl->lock, flags);
}

/**
 * msh_event_build - multicast an event to the listeners of a namespace
 * @net: the network namespace; the caller keeps it alive
 * @type: enum mailshield_event_type
 * @fill: adds the attributes specific to @type, may be NULL
 * @arg: passed to @fill
 * @gfp: allocation flags; GFP_ATOMIC from softirq or under locks
 * @inner: @fill adds to the MAILSHIELD_A_EVENT nest (else after it)
 *
 * Any context that @gfp allows. Events beyond the namespace's rate are
 * dropped and counted; the next event sent carries the count in
 * MAILSHIELD_EVENT_A_SUPPRESSED.
 *
 * Return: 0 if sent, nobody listens or the event was rate-limited; a
 * negative errno if it could not be built.
 */
static int msh_event_build(struct net *net, u32 type, msh_event_fill_t fill,
			   const void *arg, gfp_t gfp, bool inner)
{
	struct msh_net *mn = msh_net(net);
	struct nlattr *nest;
	struct sk_buff *skb;
	u32 suppressed = 0;
	void *hdr;
	int ret;

	if (!READ_ONCE(msh_events_live) ||
	    !genl_has_listeners(msh_events_fam, net, MSH_MCGRP_EVENTS))
		return 0;

	if (!msh_ratelimit_allow(&mn->event_rl, ktime_get_ns(), &suppressed))
		return 0;

	ret = -ENOMEM;
	skb = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!skb)
		goto err_lost;

	ret = -EMSGSIZE;
	hdr = genlmsg_put(skb, 0, 0, msh_events_fam, 0, MAILSHIELD_CMD_EVENT);
	if (!hdr)
		goto err_free;

	nest = nla_nest_start(skb, MAILSHIELD_A_EVENT);
	if (!nest ||
	    nla_put_u32(skb, MAILSHIELD_EVENT_A_TYPE, type) ||
	    nla_put_u32(skb, MAILSHIELD_EVENT_A_SUPPRESSED, suppressed))
		goto err_free;
	if (fill && inner) {
		ret = fill(skb, arg);
		if (ret)
			goto err_free;
	}
	nla_nest_end(skb, nest);

	if (fill && !inner) {
		ret = fill(skb, arg);
		if (ret)
			goto err_free;
	}
	genlmsg_end(skb, hdr);

	rcu_read_lock();
	if (READ_ONCE(msh_events_live)) {
		/* -ESRCH: the last listener left meanwhile. */
		genlmsg_multicast_netns(msh_events_fam, net, skb, 0,
					MSH_MCGRP_EVENTS, GFP_ATOMIC);
	} else {
		nlmsg_free(skb);
	}
	rcu_read_unlock();
	return 0;

err_free:
	nlmsg_free(skb);
err_lost:
	msh_ratelimit_lost(&mn->event_rl, suppressed);
	return ret;
}

int msh_event_send(struct net *net, u32 type, msh_event_fill_t fill,
		   const void *arg, gfp_t gfp)
{
	return msh_event_build(net, type, fill, arg, gfp, false);
}

/*
 * Like msh_event_send(), but @fill adds enum mailshield_event_attr
 * attributes inside the MAILSHIELD_A_EVENT nest (ADDR, REASON, ports...).
 */
int msh_event_send_nested(struct net *net, u32 type, msh_event_fill_t fill,
			  const void *arg, gfp_t gfp)
{
	return msh_event_build(net, type, fill, arg, gfp, true);
}

void msh_events_enable(const struct genl_family *family)
{
	msh_events_fam = family;
	WRITE_ONCE(msh_events_live, true);
}

const struct genl_family *msh_events_family(void)
{
	return msh_events_fam;
}

/* Starts a reply to @info; on success *@hdrp is the genl header. */
struct sk_buff *msh_nl_reply_new(struct genl_info *info, u8 cmd, void **hdrp)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return NULL;

	*hdrp = genlmsg_put_reply(msg, info, msh_events_family(), 0, cmd);
	if (!*hdrp) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int msh_nl_put_addr(struct sk_buff *skb, int type, u8 family,
		    const union nf_inet_addr *addr, int prefix_len)
{
	struct nlattr *nest;
	int ret;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (family == AF_INET)
		ret = nla_put_in_addr(skb, MAILSHIELD_ADDR_A_V4, addr->ip);
	else
		ret = nla_put_in6_addr(skb, MAILSHIELD_ADDR_A_V6, &addr->in6);
	if (ret || (prefix_len >= 0 &&
		    nla_put_u8(skb, MAILSHIELD_ADDR_A_PREFIX_LEN, prefix_len))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Returns once no sender can multicast any more. */
void msh_events_disable(void)
{
	WRITE_ONCE(msh_events_live, false);
	synchronize_rcu();
}
