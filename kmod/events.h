/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Events multicast on the "events" group, rate-limited per network
 * namespace.
 */

#ifndef _MSH_EVENTS_H
#define _MSH_EVENTS_H

#include <linux/gfp.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "tbucket.h"

struct net;
struct sk_buff;

/* Sustained events per second and burst size, per network namespace. */
#define MSH_EVENT_RATE		10
#define MSH_EVENT_BURST		20

/*
 * The events' token bucket (tbucket.h): MSH_EVENT_RATE per second, up to
 * MSH_EVENT_BURST at once, and the count of events it refused.
 */
struct msh_ratelimit {
	/* protects the fields below; taken with interrupts disabled */
	spinlock_t lock;
	struct msh_tb tb;
	u32 suppressed;
};

/* @now: nanoseconds, ktime_get_ns() */
void msh_ratelimit_init(struct msh_ratelimit *rl, u64 now);
bool msh_ratelimit_allow(struct msh_ratelimit *rl, u64 now, u32 *suppressed);
void msh_ratelimit_lost(struct msh_ratelimit *rl, u32 carried);

/* Adds the attributes that follow MAILSHIELD_A_EVENT to an event. */
typedef int (*msh_event_fill_t)(struct sk_buff *skb, const void *arg);

int msh_event_send(struct net *net, u32 type, msh_event_fill_t fill,
		   const void *arg, gfp_t gfp);
int msh_event_send_nested(struct net *net, u32 type, msh_event_fill_t fill,
			  const void *arg, gfp_t gfp);

struct genl_family;
union nf_inet_addr;

/* The family is registered: events go out on it. */
void msh_events_enable(const struct genl_family *family);
void msh_events_disable(void);
/* The registered family, for messages built outside netlink.c. */
const struct genl_family *msh_events_family(void);

struct genl_info;
/* A reply to @info with command @cmd; *@hdrp is its genl header. */
struct sk_buff *msh_nl_reply_new(struct genl_info *info, u8 cmd, void **hdrp);

/*
 * An address nest (enum mailshield_addr_attr) of type @type: V4 or V6 and,
 * unless @prefix_len is MSH_NL_NO_PREFIX, the prefix length. The one
 * helper every message with an address uses.
 */
#define MSH_NL_NO_PREFIX	(-1)
int msh_nl_put_addr(struct sk_buff *skb, int type, u8 family,
		    const union nf_inet_addr *addr, int prefix_len);

#endif /* _MSH_EVENTS_H */
