/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Generic netlink operations of connection admission: the source and ban
 * dumps, BAN / UNBAN, the allowlist, and the admission attributes of
 * SET_POLICY / GET_POLICY. Their genl_ops entries are in the family's
 * operation table in netlink.c.
 */

#ifndef _MSH_NETLINK_SOURCES_H
#define _MSH_NETLINK_SOURCES_H

#include <linux/mailshield.h>
#include <linux/netfilter.h>
#include <net/genetlink.h>

#include "admit_policy.h"

struct msh_net;
struct msh_stats;

/* SET_POLICY: collects the admission attributes of a parsed policy nest. */
int msh_nl_parse_admit(struct nlattr **tb, struct msh_admit_update *u);
/* Maps a field rejected by msh_admit_policy_apply() to its attribute. */
const struct nlattr *msh_nl_admit_attr(struct nlattr **tb,
				       enum msh_admit_field f);
/* GET_POLICY and the policy event: inside the MAILSHIELD_A_POLICY nest. */
int msh_nl_put_admit(struct sk_buff *skb, const struct msh_admit_policy *a);
/* GET_STATS: fills the admission gauges of a folded snapshot. */
void msh_nl_admit_gauges(struct msh_net *mn, struct msh_stats *st);

/* nla_policy entries of the admission attributes of MAILSHIELD_A_POLICY. */
#define MSH_NL_ADMIT_POLICY_ENTRIES					\
	[MAILSHIELD_POLICY_A_SYNCOOKIES]	= NLA_POLICY_MAX(NLA_U8, 1),	\
	[MAILSHIELD_POLICY_A_EXEMPT_LOCAL]	= NLA_POLICY_MAX(NLA_U8, 1),	\
	[MAILSHIELD_POLICY_A_PREFIX_V4]	= NLA_POLICY_RANGE(NLA_U8, 8, 32), \
	[MAILSHIELD_POLICY_A_PREFIX_V6]	= NLA_POLICY_RANGE(NLA_U8, 32, 128), \
	[MAILSHIELD_POLICY_A_MAX_CONNS]	= { .type = NLA_U32 },		\
	[MAILSHIELD_POLICY_A_RATE]		= { .type = NLA_U32 },		\
	[MAILSHIELD_POLICY_A_BURST]		= { .type = NLA_U32 },		\
	[MAILSHIELD_POLICY_A_SYNACK_RATE]	= { .type = NLA_U32 },		\
	[MAILSHIELD_POLICY_A_MAX_SOURCES]	= { .type = NLA_U32 },		\
	[MAILSHIELD_POLICY_A_SOURCES_FULL]	= NLA_POLICY_MAX(NLA_U8, 1),	\
	[MAILSHIELD_POLICY_A_BAN_ACTION]	= NLA_POLICY_MAX(NLA_U8, 1),	\
	[MAILSHIELD_POLICY_A_BAN_TIME]	= { .type = NLA_U32 }

extern const struct nla_policy msh_nl_source_req_policy[MAILSHIELD_A_MAX + 1];
extern const struct nla_policy msh_nl_allowlist_req_policy[MAILSHIELD_A_MAX + 1];

int msh_nl_get_sources(struct sk_buff *skb, struct netlink_callback *cb);
int msh_nl_get_bans(struct sk_buff *skb, struct netlink_callback *cb);
int msh_nl_ban(struct sk_buff *skb, struct genl_info *info);
int msh_nl_unban(struct sk_buff *skb, struct genl_info *info);
int msh_nl_set_allowlist(struct sk_buff *skb, struct genl_info *info);
int msh_nl_get_allowlist(struct sk_buff *skb, struct genl_info *info);

#endif /* _MSH_NETLINK_SOURCES_H */
