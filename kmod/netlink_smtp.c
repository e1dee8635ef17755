// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * GET_FLOWS: dump of the inspected flows of the requesting namespace, and
 * the SMTP inspection counters of GET_STATS.
 */

#include "events.h"
#include "flows.h"
#include "inspect.h"
#include "netlink_smtp.h"
#include "stats.h"
#include "netns.h"

#include <linux/build_bug.h>
#include <linux/jiffies.h>
#include <linux/mailshield.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

/* The UAPI numbers are the parser's. */
#define MSH_SAME(a, b)	static_assert((int)(a) == (int)(b))
MSH_SAME(MAILSHIELD_VIOLATION_CMD_LINE, MSH_SMTP_R_CMD_LINE);
MSH_SAME(MAILSHIELD_VIOLATION_TEXT_LINE, MSH_SMTP_R_TEXT_LINE);
MSH_SAME(MAILSHIELD_VIOLATION_AUTH_LINE, MSH_SMTP_R_AUTH_LINE);
MSH_SAME(MAILSHIELD_VIOLATION_LOCAL_PART, MSH_SMTP_R_LOCAL_PART);
MSH_SAME(MAILSHIELD_VIOLATION_DOMAIN, MSH_SMTP_R_DOMAIN);
MSH_SAME(MAILSHIELD_VIOLATION_PATH, MSH_SMTP_R_PATH);
MSH_SAME(MAILSHIELD_VIOLATION_BARE_LF, MSH_SMTP_R_BARE_LF);
MSH_SAME(MAILSHIELD_VIOLATION_BARE_CR, MSH_SMTP_R_BARE_CR);
MSH_SAME(MAILSHIELD_VIOLATION_SMUGGLE, MSH_SMTP_R_SMUGGLE);
MSH_SAME(MAILSHIELD_VIOLATION_NUL, MSH_SMTP_R_NUL);
MSH_SAME(MAILSHIELD_VIOLATION_PREGREET, MSH_SMTP_R_PREGREET);
MSH_SAME(MAILSHIELD_VIOLATION_STARTTLS_INJECT, MSH_SMTP_R_STARTTLS_INJECT);
MSH_SAME(MAILSHIELD_VIOLATION_PIPELINE, MSH_SMTP_R_PIPELINE);
MSH_SAME(MAILSHIELD_VIOLATION_PIPELINE_DEPTH, MSH_SMTP_R_PIPELINE_DEPTH);
MSH_SAME(MAILSHIELD_VIOLATION_JUNK, MSH_SMTP_R_JUNK);
MSH_SAME(MAILSHIELD_VIOLATION_BDAT, MSH_SMTP_R_BDAT);
MSH_SAME(MAILSHIELD_VIOLATION_REPLY_LINE, MSH_SMTP_R_REPLY_LINE);
MSH_SAME(MAILSHIELD_VIOLATION_REPLY_SYNTAX, MSH_SMTP_R_REPLY_SYNTAX);
MSH_SAME(MAILSHIELD_VIOLATION_RETRANSMIT, MSH_SMTP_R_RETRANSMIT);
MSH_SAME(__MAILSHIELD_VIOLATION_MAX, MSH_SMTP_R_COUNT);
MSH_SAME(MAILSHIELD_FLOW_STATE_GREETING, MSH_SMTP_ST_GREETING);
MSH_SAME(MAILSHIELD_FLOW_STATE_COMMAND, MSH_SMTP_ST_COMMAND);
MSH_SAME(MAILSHIELD_FLOW_STATE_DATA, MSH_SMTP_ST_DATA);
MSH_SAME(MAILSHIELD_FLOW_STATE_BDAT, MSH_SMTP_ST_BDAT);
MSH_SAME(MAILSHIELD_FLOW_STATE_SASL, MSH_SMTP_ST_SASL);
MSH_SAME(MAILSHIELD_FLOW_STATE_TLS, MSH_SMTP_ST_OPAQUE);
MSH_SAME(__MAILSHIELD_FLOW_STATE_MAX, MSH_SMTP_ST_COUNT);
static_assert(MSH_SMTP_R_COUNT <= 32);

/*
 * Adds the flow gauge and the per-reason violation nest to an open
 * MAILSHIELD_A_STATS nest; @st is the folded counter set (stats.h).
 */
int msh_nl_put_inspect_stats(struct sk_buff *skb, struct msh_net *mn,
			     const struct msh_stats *st)
{
	struct nlattr *nest;
	unsigned int i;

	if (nla_put_u64_64bit(skb, MAILSHIELD_STATS_A_FLOWS,
			      msh_net_ready(mn) ? msh_flows_count(mn->flows) : 0,
			      MAILSHIELD_STATS_A_PAD))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, MAILSHIELD_STATS_A_VIOLATION_REASONS);
	if (!nest)
		return -EMSGSIZE;
	/* type = reason + 1; pad is type 0 here, which a u64 never needs */
	for (i = 0; i < MSH_SMTP_R_COUNT; i++) {
		if (nla_put_u64_64bit(skb, i + 1, st->ctr[MSH_STAT_REASON0 + i],
				      0)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

struct msh_flow_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned int n;
};

static int msh_nl_flow_one(void *arg, const struct msh_flow *f)
{
	struct msh_flow_dump *d = arg;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;
	unsigned long now = jiffies;
	u64 rx, tx;
	u32 state, pending, junk, viol, age, idle;
	void *hdr;

	spin_lock_bh((spinlock_t *)&f->lock);
	rx = f->cbytes;
	tx = f->sbytes;
	state = msh_smtp_state(&f->smtp);
	pending = msh_smtp_pending(&f->smtp);
	junk = msh_smtp_junk(&f->smtp);
	viol = f->violations;
	age = (now - f->created) / HZ;
	idle = (now - f->last) / HZ;
	spin_unlock_bh((spinlock_t *)&f->lock);

	hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, genl_dumpit_info(d->cb)->family,
			  NLM_F_MULTI,
			  MAILSHIELD_CMD_GET_FLOWS);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, MAILSHIELD_A_FLOW);
	if (!nest ||
	    msh_nl_put_addr(skb, MAILSHIELD_FLOW_A_CLIENT, f->key.family,
			    &f->key.caddr, MSH_NL_NO_PREFIX) ||
	    msh_nl_put_addr(skb, MAILSHIELD_FLOW_A_SERVER, f->key.family,
			    &f->key.saddr, MSH_NL_NO_PREFIX) ||
	    nla_put_u16(skb, MAILSHIELD_FLOW_A_CLIENT_PORT,
			ntohs(f->key.cport)) ||
	    nla_put_u16(skb, MAILSHIELD_FLOW_A_SERVER_PORT,
			ntohs(f->key.sport)) ||
	    nla_put_u8(skb, MAILSHIELD_FLOW_A_STATE, state) ||
	    nla_put_u64_64bit(skb, MAILSHIELD_FLOW_A_RX_BYTES, rx,
			      MAILSHIELD_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, MAILSHIELD_FLOW_A_TX_BYTES, tx,
			      MAILSHIELD_FLOW_A_PAD) ||
	    nla_put_u32(skb, MAILSHIELD_FLOW_A_AGE, age) ||
	    nla_put_u32(skb, MAILSHIELD_FLOW_A_IDLE, idle) ||
	    nla_put_u32(skb, MAILSHIELD_FLOW_A_PENDING, pending) ||
	    nla_put_u32(skb, MAILSHIELD_FLOW_A_JUNK, junk) ||
	    nla_put_u32(skb, MAILSHIELD_FLOW_A_VIOLATIONS, viol)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	d->n++;
	return 0;
}

/*
 * cb->args[0] is the walk cursor (bucket and position); flows added or
 * removed between two calls may be missed or shown twice.
 */
int msh_nl_get_flows_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct msh_net *mn = msh_net(sock_net(skb->sk));
	struct msh_flow_dump d = { .skb = skb, .cb = cb };
	int ret;

	if (!msh_net_ready(mn))
		return 0;
	ret = msh_flows_walk(mn->flows, &cb->args[0], msh_nl_flow_one, &d);
	if (ret == -EMSGSIZE && !d.n)
		return -EMSGSIZE;	/* one flow does not fit: never loops */
	return ret == -EMSGSIZE ? skb->len : 0;
}
