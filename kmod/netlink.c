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
#include "netlink_recipients.h"
#include "netlink_sources.h"
#include "compat.h"
#include "events.h"
#include "netns.h"
#include "state.h"
#include "policy.h"
#include "stats.h"

#include <linux/build_bug.h>
#include <linux/mailshield.h>
#include <linux/stringify.h>
#include <net/netlink.h>

static const struct nla_policy msh_port_nl_policy[MAILSHIELD_PORT_A_MAX + 1] = {
	[MAILSHIELD_PORT_A_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
};

static const struct nla_policy
msh_policy_nl_policy[MAILSHIELD_POLICY_A_MAX + 1] = {
	[MAILSHIELD_POLICY_A_ENABLED]	= NLA_POLICY_MAX(NLA_U8, 1),
	[MAILSHIELD_POLICY_A_PORTS]	= NLA_POLICY_NESTED(msh_port_nl_policy),
	/* connection admission (netlink_sources.h) */
	MSH_NL_ADMIT_POLICY_ENTRIES,
	/* SMTP inspection (netlink.h, netlink_flows.c) */
	MSH_NL_SMTP_POLICY_ENTRIES,
};

/* SET_POLICY accepts MAILSHIELD_A_POLICY only; strict parsing rejects the rest. */
static const struct nla_policy msh_set_policy_nl_policy[MAILSHIELD_A_MAX + 1] = {
	[MAILSHIELD_A_POLICY]	= NLA_POLICY_NESTED(msh_policy_nl_policy),
};

/* Counter index to its MAILSHIELD_STATS_A_* attribute. */
static const u16 msh_stats_attr[MSH_STAT_NUM] = {
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
};

/* For messages built at run time, which NL_SET_ERR_MSG*() cannot take. */
static void msh_nl_set_err(struct netlink_ext_ack *extack,
			   const struct nlattr *attr, const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	NL_SET_BAD_ATTR(extack, attr);
}

int msh_nl_put_policy(struct sk_buff *skb, const struct msh_policy *p)
{
	struct nlattr *nest, *ports;
	unsigned int i;

	nest = nla_nest_start(skb, MAILSHIELD_A_POLICY);
	if (!nest)
		return -EMSGSIZE;

	if (nla_put_u8(skb, MAILSHIELD_POLICY_A_ENABLED, p->enabled))
		goto err_cancel;

	ports = nla_nest_start(skb, MAILSHIELD_POLICY_A_PORTS);
	if (!ports)
		goto err_cancel;
	for (i = 0; i < p->nports; i++) {
		if (nla_put_u16(skb, MAILSHIELD_PORT_A_PORT, p->ports[i]))
			goto err_cancel;
	}
	nla_nest_end(skb, ports);

	/* connection admission (netlink_sources.c) */
	if (msh_nl_put_admit(skb, &p->admit))
		goto err_cancel;
	/* SMTP inspection (netlink_flows.c) */
	if (msh_nl_put_smtp_policy(skb, &p->smtp))
		goto err_cancel;

	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int msh_nl_put_stats(struct sk_buff *skb, const struct msh_stats *st,
			    struct msh_net *mn)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, MAILSHIELD_A_STATS);
	if (!nest)
		return -EMSGSIZE;

	for (i = 0; i < MSH_STAT_NUM; i++) {
		if (nla_put_u64_64bit(skb, msh_stats_attr[i], st->ctr[i],
				      MAILSHIELD_STATS_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	/* SMTP inspection counters (netlink_flows.c) */
	if (msh_nl_put_inspect_stats(skb, mn)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}

	nla_nest_end(skb, nest);
	return 0;
}

static int msh_nl_fill_policy_event(struct sk_buff *skb, const void *arg)
{
	return msh_nl_put_policy(skb, arg);
}

/* Starts a reply to @info; on success *@hdrp is the genl header. */
static struct sk_buff *msh_nl_reply_new(struct genl_info *info, u8 cmd,
					void **hdrp)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return NULL;

	*hdrp = genlmsg_put_reply(msg, info, &msh_genl_family, 0, cmd);
	if (!*hdrp) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int msh_nl_get_policy(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));
	struct msh_policy p;
	struct sk_buff *msg;
	void *hdr;

	msh_policy_get(mn, &p);

	msg = msh_nl_reply_new(info, MAILSHIELD_CMD_GET_POLICY, &hdr);
	if (!msg)
		return -ENOMEM;

	if (msh_nl_put_policy(msg, &p)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Collects the entries of the MAILSHIELD_POLICY_A_PORTS nest. */
static int msh_nl_parse_ports(const struct nlattr *nest,
			      struct msh_policy_update *u,
			      const struct nlattr **port_attr,
			      struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	u->set_ports = true;
	u->nports = 0;

	nla_for_each_nested(a, nest, rem) {
		/* The nested policy already rejects these; belt and braces. */
		if (nla_type(a) != MAILSHIELD_PORT_A_PORT) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "unexpected attribute in port list");
			return -EINVAL;
		}
		if (u->nports == MAILSHIELD_MAX_PORTS) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many ports (maximum "
					    __stringify(MAILSHIELD_MAX_PORTS)
					    ")");
			return -E2BIG;
		}
		port_attr[u->nports] = a;
		u->ports[u->nports++] = nla_get_u16(a);
	}

	return 0;
}

static int msh_nl_set_policy(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *port_attr[MAILSHIELD_MAX_PORTS];
	struct nlattr *tb[MAILSHIELD_POLICY_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct net *net = genl_info_net(info);
	struct msh_policy_update u = {};
	const struct nlattr *bad;
	struct msh_policy result;
	unsigned int bad_idx;
	const char *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, MAILSHIELD_A_POLICY)) {
		NL_SET_ERR_MSG(extack, "missing policy attribute");
		return -EINVAL;
	}

	ret = nla_parse_nested(tb, MAILSHIELD_POLICY_A_MAX,
			       info->attrs[MAILSHIELD_A_POLICY],
			       msh_policy_nl_policy, extack);
	if (ret)
		return ret;

	if (!nla_len(info->attrs[MAILSHIELD_A_POLICY])) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[MAILSHIELD_A_POLICY],
				    "policy carries nothing to change");
		return -EINVAL;
	}

	/* connection admission (netlink_sources.c) */
	msh_nl_parse_admit(tb, &u.admit);
	/* SMTP inspection (netlink_flows.c) */
	ret = msh_nl_parse_smtp(tb, &u.smtp, extack);
	if (ret)
		return ret;

	if (tb[MAILSHIELD_POLICY_A_ENABLED]) {
		u.set_enabled = true;
		u.enabled = nla_get_u8(tb[MAILSHIELD_POLICY_A_ENABLED]);
	}
	/* turned on: the namespace's tables first (netns.h) */
	if (u.set_enabled && u.enabled) {
		ret = msh_net_tables_get(msh_net(net));
		if (ret) {
			NL_SET_ERR_MSG(extack,
				       "no memory for the namespace's tables");
			return ret;
		}
	}

	if (tb[MAILSHIELD_POLICY_A_PORTS]) {
		ret = msh_nl_parse_ports(tb[MAILSHIELD_POLICY_A_PORTS], &u,
					 port_attr, extack);
		if (ret)
			return ret;
	}

	ret = msh_policy_set(msh_net(net), &u, &result, &bad_idx, &msg);
	if (ret) {
		if (bad_idx < u.nports)
			bad = port_attr[bad_idx];
		else if (bad_idx >= MSH_POLICY_ADMIT_BASE &&
			 bad_idx != MSH_POLICY_NO_INDEX)
			bad = msh_nl_admit_attr(tb, bad_idx -
						MSH_POLICY_ADMIT_BASE);
		else if (ret == -ENOMEM)
			bad = NULL;
		else
			bad = tb[MAILSHIELD_POLICY_A_PORTS];
		msh_nl_set_err(extack, bad, msg);
		return ret;
	}

	msh_admit_policy_changed(msh_net(net), &result);
	if (msh_net_ready(msh_net(net)))
		msh_flows_policy_changed(msh_net(net)->flows, &result);

	/* Rate-limited; a lost event does not undo the change. */
	msh_event_send(net, MAILSHIELD_EVENT_POLICY, msh_nl_fill_policy_event,
		       &result, GFP_KERNEL);
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
	/* SMTP inspection (netlink_flows.c) */
	{
		.cmd	= MAILSHIELD_CMD_GET_FLOWS,
		.dumpit	= msh_nl_get_flows_dumpit,
		.flags	= GENL_ADMIN_PERM,
	},
	/* connection admission (netlink_sources.c) */
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
	BUILD_BUG_ON(MSH_STAT_NUM >
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
