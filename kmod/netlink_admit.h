/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Generic netlink operations of connection admission: the source and ban
 * dumps, BAN / UNBAN, the allowlist, and the admission gauges of
 * GET_STATS. Their genl_ops entries are in the family's
 * operation table in netlink.c.
 */

#ifndef _MSH_NETLINK_ADMIT_H
#define _MSH_NETLINK_ADMIT_H

#include <linux/mailshield.h>
#include <linux/netfilter.h>
#include <net/genetlink.h>

struct msh_net;
struct msh_stats;

/* GET_STATS: fills the admission gauges of a folded snapshot. */
void msh_nl_admit_gauges(struct msh_net *mn, struct msh_stats *st);

/* Request policies of BAN / UNBAN and SET_ALLOWLIST. */
extern const struct nla_policy msh_nl_source_req_policy[MAILSHIELD_A_MAX + 1];
extern const struct nla_policy msh_nl_allowlist_req_policy[MAILSHIELD_A_MAX + 1];

int msh_nl_get_sources(struct sk_buff *skb, struct netlink_callback *cb);
int msh_nl_get_bans(struct sk_buff *skb, struct netlink_callback *cb);
int msh_nl_ban(struct sk_buff *skb, struct genl_info *info);
int msh_nl_unban(struct sk_buff *skb, struct genl_info *info);
int msh_nl_set_allowlist(struct sk_buff *skb, struct genl_info *info);
int msh_nl_get_allowlist(struct sk_buff *skb, struct genl_info *info);

#endif /* _MSH_NETLINK_ADMIT_H */
