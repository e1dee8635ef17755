// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Every operation acts on the network namespace of the requesting socket
 * and requires CAP_NET_ADMIN (GENL_ADMIN_PERM). The family is not
 * parallel_ops: the genl mutex serialises the handlers, and
 * genl_unregister_family() waits for the ones in flight.
 */

#include "netlink.h"
#include "flows.h"
#include "netlink_admit.h"
#include "netlink_smtp.h"
#include "netlink_policy.h"
#include "netlink_recipients.h"
#include "compat.h"
#include "events.h"
#include "netns.h"
#include "state.h"
#include "stats.h"

#include <linux/build_bug.h>
#include <linux/mailshield.h>
#include <linux/stringify.h>
#include <net/netlink.h>

/* Counter index to its MAILSHIELD_STATS_A_* attribute. */
static const u16 msh_stats_attr[MSH_STAT_REASON0] = {
	[MSH_STAT_RX_PACKETS]		= MAILSHIELD_STATS_A_RX_PACKETS,
	[MSH_STAT_RX_BYTES]		= MAILSHIELD_STATS_A_RX_BYTES,
	[MSH_STAT_RX_SYN]		= MAILSHIELD_STATS_A_RX_SYN,
	[MSH_STAT_RX_FIN]		= MAILSHIELD_STATS_A_RX_FIN,
	[MSH_STAT_RX_RST]		= MAILSHIELD_STATS_A_RX_RST,
	[MSH_STAT_TX_PACKETS]		= MAILSHIELD_STATS_A_TX_PACKETS,
	[MSH_STAT_TX_BYTES]		= MAILSHIELD_STATS_A_TX_BYTES,
	[MSH_STAT_TX_SYNACK]		= MAILSHIELD_STATS_A_TX_SYNACK,
	[MSH_STAT_TX_FIN]		= MAILSHIELD_STATS_A_TX_FIN,
	[MSH_STAT_TX_RST]		= MAILSHIELD_STATS_A_TX_RST,
	[MSH_STAT_RX_PACKETS_V6]	= MAILSHIELD_STATS_A_RX_PACKETS_V6,
	[MSH_STAT_TX_PACKETS_V6]	= MAILSHIELD_STATS_A_TX_PACKETS_V6,
	/* connection admission */
	[MSH_STAT_COOKIES_SENT]		= MAILSHIELD_STATS_A_COOKIES_SENT,
	[MSH_STAT_COOKIES_VALID]	= MAILSHIELD_STATS_A_COOKIES_VALID,
	[MSH_STAT_COOKIES_INVALID]	= MAILSHIELD_STATS_A_COOKIES_INVALID,
	[MSH_STAT_SYNACK_LIMITED]	= MAILSHIELD_STATS_A_SYNACK_LIMITED,
	[MSH_STAT_SYNACK_RETRANS]	= MAILSHIELD_STATS_A_SYNACK_RETRANS,
	[MSH_STAT_OVER_CONCURRENCY]	= MAILSHIELD_STATS_A_OVER_CONCURRENCY,
	[MSH_STAT_OVER_RATE]		= MAILSHIELD_STATS_A_OVER_RATE,
	[MSH_STAT_BANNED]		= MAILSHIELD_STATS_A_BANNED,
	[MSH_STAT_SOURCES_FULL]		= MAILSHIELD_STATS_A_SOURCES_FULL,
	[MSH_STAT_ALLOWLISTED]		= MAILSHIELD_STATS_A_ALLOWLISTED,
	[MSH_STAT_BANS]			= MAILSHIELD_STATS_A_BANS,
	[MSH_STAT_SOURCES]		= MAILSHIELD_STATS_A_SOURCES,
	/* recipients */
	[MSH_STAT_RCPT_CHECKED]		= MAILSHIELD_STATS_A_RCPT_CHECKED,
	[MSH_STAT_RCPT_UNKNOWN]		= MAILSHIELD_STATS_A_RCPT_UNKNOWN,
	[MSH_STAT_RCPT_OUTSIDE]		= MAILSHIELD_STATS_A_RCPT_OUTSIDE,
	[MSH_STAT_RCPT_LEARNED]		= MAILSHIELD_STATS_A_RCPT_LEARNED,
	/* SMTP inspection */
	[MSH_STAT_FLOWS_CREATED]	= MAILSHIELD_STATS_A_FLOWS_CREATED,
	[MSH_STAT_FLOWS_FULL]		= MAILSHIELD_STATS_A_FLOWS_FULL,
	[MSH_STAT_OOO_DROPS]		= MAILSHIELD_STATS_A_OOO_DROPS,
	[MSH_STAT_RETRANS_BYTES]	= MAILSHIELD_STATS_A_RETRANS_BYTES,
	[MSH_STAT_VIOLATIONS]		= MAILSHIELD_STATS_A_VIOLATIONS,
	[MSH_STAT_VIOLATIONS_LOGGED]	= MAILSHIELD_STATS_A_VIOLATIONS_LOGGED,
	[MSH_STAT_BAD_SEGMENTS]		= MAILSHIELD_STATS_A_BAD_SEGMENTS,
	[MSH_STAT_URGENT_CLEARED]	= MAILSHIELD_STATS_A_URGENT_CLEARED,
	[MSH_STAT_FRAGMENTS]		= MAILSHIELD_STATS_A_FRAGMENTS,
	[MSH_STAT_FLOWS_UNINSPECTED]	= MAILSHIELD_STATS_A_FLOWS_UNINSPECTED,
	[MSH_STAT_INFLIGHT_DROPS]	= MAILSHIELD_STATS_A_INFLIGHT_DROPS,
	[MSH_STAT_FLOWS_ABORTED]	= MAILSHIELD_STATS_A_FLOWS_ABORTED,
};

static int msh_nl_put_stats(struct sk_buff *skb, const struct msh_stats *st,
			    struct msh_net *mn)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, MAILSHIELD_A_STATS);
	if (!nest)
		return -EMSGSIZE;

	for (i = 0; i < MSH_STAT_REASON0; i++) {
		if (nla_put_u64_64bit(skb, msh_stats_attr[i], st->ctr[i],
				      MAILSHIELD_STATS_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	/* SMTP inspection counters (netlink_smtp.c) */
	if (msh_nl_put_inspect_stats(skb, mn, st)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}

	nla_nest_end(skb, nest);
	return 0;
}

static int msh_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));
	struct msh_stats st;
	struct sk_buff *msg;
	void *hdr;

	if (msh_net_ready(mn)) {
		msh_stats_fold(mn->stats, &st);
		msh_nl_admit_gauges(mn, &st);
	} else {
		memset(&st, 0, sizeof(st));
	}

	msg = msh_nl_reply_new(info, MAILSHIELD_CMD_GET_STATS, &hdr);
	if (!msg)
		return -ENOMEM;

	if (msh_nl_put_stats(msg, &st, mn)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * GET_POLICY and GET_STATS carry no policy: with resv_start_op at 0 the
 * core then rejects any attribute in their requests.
 */
static const struct genl_ops msh_genl_ops[] = {
	{
		.cmd	= MAILSHIELD_CMD_GET_POLICY,
		.doit	= msh_nl_get_policy,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_SET_POLICY,
		.doit	= msh_nl_set_policy,
		.policy	= msh_set_policy_nl_policy,
		.maxattr = MAILSHIELD_A_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_GET_STATS,
		.doit	= msh_nl_get_stats,
		.flags	= GENL_ADMIN_PERM,
	},
	/* SMTP inspection (netlink_smtp.c) */
	{
		.cmd	= MAILSHIELD_CMD_GET_FLOWS,
		.dumpit	= msh_nl_get_flows_dumpit,
		.flags	= GENL_ADMIN_PERM,
	},
	/* connection admission (netlink_admit.c) */
	{
		.cmd	= MAILSHIELD_CMD_GET_SOURCES,
		.dumpit	= msh_nl_get_sources,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_GET_BANS,
		.dumpit	= msh_nl_get_bans,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_BAN,
		.doit	= msh_nl_ban,
		.policy	= msh_nl_source_req_policy,
		.maxattr = MAILSHIELD_A_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_UNBAN,
		.doit	= msh_nl_unban,
		.policy	= msh_nl_source_req_policy,
		.maxattr = MAILSHIELD_A_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_SET_ALLOWLIST,
		.doit	= msh_nl_set_allowlist,
		.policy	= msh_nl_allowlist_req_policy,
		.maxattr = MAILSHIELD_A_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_GET_ALLOWLIST,
		.doit	= msh_nl_get_allowlist,
		.flags	= GENL_ADMIN_PERM,
	},
	/* recipients (netlink_recipients.c) */
	{
		.cmd	= MAILSHIELD_CMD_RCPT_BEGIN,
		.doit	= msh_nl_rcpt_begin,
		.policy	= msh_nl_rcpt_req_policy,
		.maxattr = MAILSHIELD_A_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_RCPT_ADD,
		.doit	= msh_nl_rcpt_add,
		.policy	= msh_nl_rcpt_req_policy,
		.maxattr = MAILSHIELD_A_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_RCPT_COMMIT,
		.doit	= msh_nl_rcpt_commit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_RCPT_ABORT,
		.doit	= msh_nl_rcpt_abort,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= MAILSHIELD_CMD_GET_RECIPIENTS,
		.doit	= msh_nl_get_recipients,
		.flags	= GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group msh_genl_mcgrps[] = {
	[MSH_MCGRP_EVENTS] = MSH_GENL_MCGRP(MAILSHIELD_MCGRP_EVENTS),
};

struct genl_family msh_genl_family __ro_after_init = {
	.name		= MAILSHIELD_GENL_NAME,
	.version	= MAILSHIELD_GENL_VERSION,
	.maxattr	= MAILSHIELD_A_MAX,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= msh_genl_ops,
	.n_ops		= ARRAY_SIZE(msh_genl_ops),
	.mcgrps		= msh_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(msh_genl_mcgrps),
};

int __init msh_genetlink_init(void)
{
	int ret;

	/*
	 * Every per-cpu counter has its own attribute; the attribute space
	 * also holds gauges and nests that are not per-cpu counters.
	 */
	BUILD_BUG_ON(MSH_STAT_REASON0 >
		     MAILSHIELD_STATS_A_MAX - MAILSHIELD_STATS_A_PAD);

	ret = genl_register_family(&msh_genl_family);
	if (ret)
		return ret;

	msh_events_enable(&msh_genl_family);
	return 0;
}

/*
 * Events stop first (waiting out senders in RCU sections); then
 * genl_unregister_family() waits for handlers in flight.
 */
void msh_genetlink_uninit(void)
{
	msh_events_disable();
	genl_unregister_family(&msh_genl_family);
}
