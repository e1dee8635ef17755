/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Netlink operations of the recipient set (netlink_recipients.c).
 */

#ifndef _MSH_NETLINK_RECIPIENTS_H
#define _MSH_NETLINK_RECIPIENTS_H

#include <linux/mailshield.h>
#include <net/genetlink.h>

extern const struct nla_policy msh_nl_rcpt_req_policy[MAILSHIELD_A_MAX + 1];

int msh_nl_rcpt_begin(struct sk_buff *skb, struct genl_info *info);
int msh_nl_rcpt_add(struct sk_buff *skb, struct genl_info *info);
int msh_nl_rcpt_commit(struct sk_buff *skb, struct genl_info *info);
int msh_nl_rcpt_abort(struct sk_buff *skb, struct genl_info *info);
int msh_nl_get_recipients(struct sk_buff *skb, struct genl_info *info);

#endif /* _MSH_NETLINK_RECIPIENTS_H */
