/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The "mailshield" generic netlink family.
 */

#ifndef _MSH_NETLINK_H
#define _MSH_NETLINK_H

#include <net/genetlink.h>

struct msh_policy;

/* Index of each group in the family's mcgrps array. */
enum msh_mcgrp {
	MSH_MCGRP_EVENTS,
};

extern struct genl_family msh_genl_family;

int msh_nl_put_policy(struct sk_buff *skb, const struct msh_policy *p);

/* SMTP inspection (netlink_flows.c) */
struct msh_net;
int msh_nl_put_inspect_stats(struct sk_buff *skb, struct msh_net *mn);
int msh_nl_get_flows_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

struct msh_smtp_policy;
struct msh_smtp_update;
extern struct netlink_range_validation msh_nl_range_max_flows;
extern struct netlink_range_validation msh_nl_range_flow_timeout;
extern struct netlink_range_validation msh_nl_range_window;
extern struct netlink_range_validation msh_nl_range_u16;
int msh_nl_parse_smtp(struct nlattr **tb, struct msh_smtp_update *u,
		      struct netlink_ext_ack *extack);
int msh_nl_put_smtp_policy(struct sk_buff *skb,
			   const struct msh_smtp_policy *sp);

/* Entries of the policy nest's nla_policy for SMTP inspection. */
#define MSH_NL_U16_ATTR		NLA_POLICY_FULL_RANGE(NLA_U32, &msh_nl_range_u16)
#define MSH_NL_SMTP_POLICY_ENTRIES					\
	[MAILSHIELD_POLICY_A_MAX_FLOWS] =				\
		NLA_POLICY_FULL_RANGE(NLA_U32, &msh_nl_range_max_flows), \
	[MAILSHIELD_POLICY_A_FLOWS_FULL] = NLA_POLICY_MAX(NLA_U8, 1),	\
	[MAILSHIELD_POLICY_A_FLOW_TIMEOUT] =				\
		NLA_POLICY_FULL_RANGE(NLA_U32, &msh_nl_range_flow_timeout), \
	[MAILSHIELD_POLICY_A_LIMIT_CMD_LINE] = MSH_NL_U16_ATTR,		\
	[MAILSHIELD_POLICY_A_LIMIT_TEXT_LINE] = MSH_NL_U16_ATTR,	\
	[MAILSHIELD_POLICY_A_LIMIT_REPLY_LINE] = MSH_NL_U16_ATTR,	\
	[MAILSHIELD_POLICY_A_LIMIT_LOCAL_PART] = MSH_NL_U16_ATTR,	\
	[MAILSHIELD_POLICY_A_LIMIT_DOMAIN] = MSH_NL_U16_ATTR,		\
	[MAILSHIELD_POLICY_A_LIMIT_PATH] = MSH_NL_U16_ATTR,		\
	[MAILSHIELD_POLICY_A_LIMIT_AUTH_LINE] = MSH_NL_U16_ATTR,	\
	[MAILSHIELD_POLICY_A_MAX_JUNK] = MSH_NL_U16_ATTR,		\
	[MAILSHIELD_POLICY_A_VIOLATION_ACTION] = NLA_POLICY_MAX(NLA_U8, 1), \
	[MAILSHIELD_POLICY_A_LOG_ONLY] =				\
		NLA_POLICY_MASK(NLA_U32, BIT(__MAILSHIELD_VIOLATION_MAX) - 1), \
	[MAILSHIELD_POLICY_A_VIOLATION_BAN] = MSH_NL_U16_ATTR,		\
	[MAILSHIELD_POLICY_A_VIOLATION_WINDOW] =			\
		NLA_POLICY_FULL_RANGE(NLA_U32, &msh_nl_range_window),	\
	[MAILSHIELD_POLICY_A_TLS_PORTS] =				\
		NLA_POLICY_NESTED(msh_port_nl_policy)

int msh_genetlink_init(void);
void msh_genetlink_uninit(void);

#endif /* _MSH_NETLINK_H */
