/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Generic netlink of SMTP inspection: the GET_FLOWS dump and the
 * inspection counters of GET_STATS (netlink_smtp.c).
 */

#ifndef _MSH_NETLINK_SMTP_H
#define _MSH_NETLINK_SMTP_H

#include <net/genetlink.h>

struct msh_net;
struct msh_stats;

int msh_nl_put_inspect_stats(struct sk_buff *skb, struct msh_net *mn,
			     const struct msh_stats *st);
int msh_nl_get_flows_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _MSH_NETLINK_SMTP_H */
