/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * GET_POLICY and SET_POLICY (netlink_policy.c).
 */

#ifndef _MSH_NETLINK_POLICY_H
#define _MSH_NETLINK_POLICY_H

#include <linux/mailshield.h>
#include <net/genetlink.h>

struct msh_policy;

#include <mailshield/knobs.h>

extern const struct nla_policy msh_set_policy_nl_policy[MAILSHIELD_A_MAX + 1];
/* The attribute of each knob (enum msh_knob). */
extern const u8 msh_knob_attr[MSH_KNOB_NUM];

/* The MAILSHIELD_A_POLICY nest of a reply or event. */
int msh_nl_put_policy(struct sk_buff *skb, const struct msh_policy *p);

int msh_nl_get_policy(struct sk_buff *skb, struct genl_info *info);
int msh_nl_set_policy(struct sk_buff *skb, struct genl_info *info);

#endif /* _MSH_NETLINK_POLICY_H */
