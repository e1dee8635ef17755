// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Generic netlink operations of connection admission; see
 * netlink_admit.h. Like the rest of the family, every operation needs
 * CAP_NET_ADMIN and acts on the requester's network namespace; the genl
 * mutex serialises the handlers.
 */

#include "netlink_admit.h"
#include "admit.h"
#include "allowlist.h"
#include "events.h"
#include "netlink.h"
#include "netns.h"
#include "state.h"
#include "sources.h"
#include "stats.h"

#include <linux/inetdevice.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>

static const struct nla_policy
msh_addr_nl_policy[MAILSHIELD_ADDR_A_MAX + 1] = {
	[MAILSHIELD_ADDR_A_V4]		= NLA_POLICY_EXACT_LEN(4),
	[MAILSHIELD_ADDR_A_V6]		= NLA_POLICY_EXACT_LEN(16),
	[MAILSHIELD_ADDR_A_PREFIX_LEN]	= NLA_POLICY_MAX(NLA_U8, 128),
};

static const struct nla_policy
msh_source_nl_policy[MAILSHIELD_SOURCE_A_MAX + 1] = {
	[MAILSHIELD_SOURCE_A_ADDR]	= NLA_POLICY_NESTED(msh_addr_nl_policy),
	[MAILSHIELD_SOURCE_A_DURATION]	= { .type = NLA_U32 },
};

const struct nla_policy msh_nl_source_req_policy[MAILSHIELD_A_MAX + 1] = {
	[MAILSHIELD_A_SOURCE]	= NLA_POLICY_NESTED(msh_source_nl_policy),
};

static const struct nla_policy
msh_allowlist_nl_policy[MAILSHIELD_A_MAX + 1] = {
	[MAILSHIELD_A_ADDR]	= NLA_POLICY_NESTED(msh_addr_nl_policy),
};

const struct nla_policy msh_nl_allowlist_req_policy[MAILSHIELD_A_MAX + 1] = {
	[MAILSHIELD_A_ALLOWLIST] = NLA_POLICY_NESTED(msh_allowlist_nl_policy),
};

/*
 * An address nest: exactly one of V4 / V6, an optional prefix length
 * (*@plen 0 if absent) that must fit the family.
 */
static int msh_nl_parse_addr(const struct nlattr *nest, u8 *family,
			     union nf_inet_addr *addr, u8 *plen,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[MAILSHIELD_ADDR_A_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, MAILSHIELD_ADDR_A_MAX, nest,
			       msh_addr_nl_policy, extack);
	if (ret)
		return ret;
	if (!!tb[MAILSHIELD_ADDR_A_V4] == !!tb[MAILSHIELD_ADDR_A_V6]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "address needs exactly one of IPv4 or IPv6");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	if (tb[MAILSHIELD_ADDR_A_V4]) {
		*family = AF_INET;
		addr->ip = nla_get_in_addr(tb[MAILSHIELD_ADDR_A_V4]);
	} else {
		*family = AF_INET6;
		addr->in6 = nla_get_in6_addr(tb[MAILSHIELD_ADDR_A_V6]);
	}
	*plen = 0;
	if (tb[MAILSHIELD_ADDR_A_PREFIX_LEN]) {
		*plen = nla_get_u8(tb[MAILSHIELD_ADDR_A_PREFIX_LEN]);
		if (!*plen || (*family == AF_INET && *plen > 32)) {
			NL_SET_ERR_MSG_ATTR(extack,
					    tb[MAILSHIELD_ADDR_A_PREFIX_LEN],
					    "prefix length must be 1..32 (IPv4) or 1..128 (IPv6)");
			return -EINVAL;
		}
	}
	return 0;
}

void msh_nl_admit_gauges(struct msh_net *mn, struct msh_stats *st)
{
	struct msh_sources_stats ss;

	msh_sources_get_stats(mn->admit.sources, &ss);
	st->ctr[MSH_STAT_SOURCES] = ss.entries;
}

/* ---- source and ban dumps ----------------------------------------------- */

struct msh_dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	u8 cmd;
};

static int msh_nl_put_source(void *arg, const struct msh_source_info *i)
{
	struct msh_dump_ctx *d = arg;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, genl_dumpit_info(d->cb)->family,
			  NLM_F_MULTI,
			  d->cmd);
	if (!hdr)
		return 1;
	genl_dump_check_consistent(d->cb, hdr);
	nest = nla_nest_start(skb, MAILSHIELD_A_SOURCE);
	if (!nest ||
	    msh_nl_put_addr(skb, MAILSHIELD_SOURCE_A_ADDR, i->family, &i->addr,
			    i->prefix_len) ||
	    nla_put_u32(skb, MAILSHIELD_SOURCE_A_FLOWS, i->flows) ||
	    nla_put_u32(skb, MAILSHIELD_SOURCE_A_TOKENS, i->tokens) ||
	    nla_put_u32(skb, MAILSHIELD_SOURCE_A_VIOLATIONS, i->violations) ||
	    nla_put_u32(skb, MAILSHIELD_SOURCE_A_BAD_RCPTS, i->bad_rcpts) ||
	    nla_put_u32(skb, MAILSHIELD_SOURCE_A_REFUSALS, i->refusals) ||
	    nla_put_u32(skb, MAILSHIELD_SOURCE_A_VIOLATIONS_TOTAL,
			i->violations_total) ||
	    nla_put_u32(skb, MAILSHIELD_SOURCE_A_BAD_RCPTS_TOTAL,
			i->bad_rcpts_total) ||
	    nla_put_u32(skb, MAILSHIELD_SOURCE_A_IDLE, i->idle_s) ||
	    nla_put_u32(skb, MAILSHIELD_SOURCE_A_BAN_REASON, i->ban_reason) ||
	    (i->ban_reason &&
	     nla_put_u64_64bit(skb, MAILSHIELD_SOURCE_A_BAN_LEFT,
			       i->ban_left_ms, MAILSHIELD_SOURCE_A_PAD))) {
		genlmsg_cancel(skb, hdr);
		return 1;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static int msh_nl_dump(struct sk_buff *skb, struct netlink_callback *cb,
		       u8 cmd, unsigned int flags)
{
	struct msh_net *mn = msh_net(sock_net(skb->sk));
	struct msh_dump_ctx d = { .skb = skb, .cb = cb, .cmd = cmd };
	struct msh_limits lim;
	struct msh_policy *p;
	int ret;

	rcu_read_lock();
	p = rcu_dereference(mn->policy);
	msh_limits_default(&lim);
	lim.max_conns = p->admit.max_conns;
	lim.rate_per_min = p->admit.rate;
	lim.burst = p->admit.burst;
	/* each count is estimated over the window it is counted in */
	lim.viol_window_s = min(p->smtp.violation_window, MSH_WINDOW_MAX_S);
	lim.rcpt_window_s = min(p->rcpt.window, MSH_WINDOW_MAX_S);
	rcu_read_unlock();

	if (!msh_net_ready(mn))
		return 0;
	cb->seq = msh_sources_seq(mn->admit.sources);
	ret = msh_sources_dump(mn->admit.sources, &cb->args[0], msh_now(),
			       &lim, flags, msh_nl_put_source, &d);
	if (ret == -EMSGSIZE) {
		/* one entry always fits an empty message */
		if (!skb->len)
			return -EMSGSIZE;
		return skb->len;
	}
	return ret ? ret : skb->len;
}

int msh_nl_get_sources(struct sk_buff *skb, struct netlink_callback *cb)
{
	return msh_nl_dump(skb, cb, MAILSHIELD_CMD_GET_SOURCES, 0);
}

int msh_nl_get_bans(struct sk_buff *skb, struct netlink_callback *cb)
{
	return msh_nl_dump(skb, cb, MAILSHIELD_CMD_GET_BANS,
			   MSH_DUMP_BANNED_ONLY);
}

/* ---- BAN / UNBAN ------------------------------------------------------ */

static int msh_nl_parse_source(struct genl_info *info, u8 *family,
			       union nf_inet_addr *addr, u8 *plen,
			       struct nlattr **tb)
{
	struct netlink_ext_ack *extack = info->extack;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, MAILSHIELD_A_SOURCE)) {
		NL_SET_ERR_MSG(extack, "missing source attribute");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, MAILSHIELD_SOURCE_A_MAX,
			       info->attrs[MAILSHIELD_A_SOURCE],
			       msh_source_nl_policy, extack);
	if (ret)
		return ret;
	if (!tb[MAILSHIELD_SOURCE_A_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[MAILSHIELD_A_SOURCE],
				    "missing source address");
		return -EINVAL;
	}
	return msh_nl_parse_addr(tb[MAILSHIELD_SOURCE_A_ADDR], family, addr,
				 plen, extack);
}

/* The event names the keying prefix the ban covers. */
static void msh_nl_ban_event(struct msh_net *mn, bool ban, u8 family,
			     const union nf_inet_addr *addr, u32 duration_s)
{
	struct msh_source_info i = {};
	struct msh_policy *p;

	rcu_read_lock();
	p = rcu_dereference(mn->policy);
	i.prefix_len = family == AF_INET ? p->admit.prefix4 : p->admit.prefix6;
	rcu_read_unlock();
	i.family = family;
	if (family == AF_INET)
		i.addr.ip = addr->ip & inet_make_mask(i.prefix_len);
	else
		ipv6_addr_prefix(&i.addr.in6, &addr->in6, i.prefix_len);
	i.ban_reason = MSH_BAN_MANUAL;
	msh_admit_ban_event(mn, ban, &i, duration_s, GFP_KERNEL);
}

int msh_nl_ban(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));
	struct nlattr *tb[MAILSHIELD_SOURCE_A_MAX + 1];
	union nf_inet_addr addr;
	const char *msg;
	u8 family, plen;
	u32 duration;
	int ret;

	ret = msh_nl_parse_source(info, &family, &addr, &plen, tb);
	if (ret)
		return ret;
	ret = msh_net_tables_get(mn);
	if (ret) {
		NL_SET_ERR_MSG(info->extack,
			       "no memory for the namespace's tables");
		return ret;
	}
	if (tb[MAILSHIELD_SOURCE_A_DURATION]) {
		duration = nla_get_u32(tb[MAILSHIELD_SOURCE_A_DURATION]);
	} else {
		rcu_read_lock();
		duration = rcu_dereference(mn->policy)->admit.ban_time;
		rcu_read_unlock();
	}
	ret = msh_sources_ban(mn->admit.sources, family, &addr, plen,
			      msh_now(), duration, MSH_BAN_MANUAL, &msg);
	if (ret) {
		if (tb[MAILSHIELD_SOURCE_A_DURATION] && duration > MSH_BAN_MAX_S)
			NL_SET_BAD_ATTR(info->extack,
					tb[MAILSHIELD_SOURCE_A_DURATION]);
		else
			NL_SET_BAD_ATTR(info->extack,
					tb[MAILSHIELD_SOURCE_A_ADDR]);
		info->extack->_msg = msg;
		return ret;
	}
	msh_stats_count(mn->stats, MSH_STAT_BANS, 1);
	msh_nl_ban_event(mn, true, family, &addr, duration);
	return 0;
}

int msh_nl_unban(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));
	struct nlattr *tb[MAILSHIELD_SOURCE_A_MAX + 1];
	union nf_inet_addr addr;
	const char *msg;
	u8 family, plen;
	int ret;

	ret = msh_nl_parse_source(info, &family, &addr, &plen, tb);
	if (ret)
		return ret;
	if (!msh_net_ready(mn)) {
		NL_SET_BAD_ATTR(info->extack, tb[MAILSHIELD_SOURCE_A_ADDR]);
		NL_SET_ERR_MSG(info->extack, "source is not banned");
		return -ENOENT;
	}
	ret = msh_sources_unban(mn->admit.sources, family, &addr, plen, &msg);
	if (ret) {
		NL_SET_BAD_ATTR(info->extack, tb[MAILSHIELD_SOURCE_A_ADDR]);
		info->extack->_msg = msg;
		return ret;
	}
	msh_nl_ban_event(mn, false, family, &addr, 0);
	return 0;
}

/* ---- allowlist ---------------------------------------------------------- */

int msh_nl_set_allowlist(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr *a;
	struct msh_cidr *cidrs;
	unsigned int n = 0, bad;
	const char *msg;
	int rem, ret;
	u8 plen;

	if (GENL_REQ_ATTR_CHECK(info, MAILSHIELD_A_ALLOWLIST)) {
		NL_SET_ERR_MSG(extack, "missing allowlist attribute");
		return -EINVAL;
	}
	cidrs = kcalloc(MSH_ALLOWLIST_MAX, sizeof(*cidrs), GFP_KERNEL);
	if (!cidrs)
		return -ENOMEM;

	nla_for_each_nested(a, info->attrs[MAILSHIELD_A_ALLOWLIST], rem) {
		ret = -EINVAL;
		if (nla_type(a) != MAILSHIELD_A_ADDR) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "unexpected attribute in allowlist");
			goto out;
		}
		if (n == MSH_ALLOWLIST_MAX) {
			ret = -E2BIG;
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many allowlist entries (maximum "
					    __stringify(MSH_ALLOWLIST_MAX) ")");
			goto out;
		}
		ret = msh_nl_parse_addr(a, &cidrs[n].family, &cidrs[n].addr,
					&plen, extack);
		if (ret)
			goto out;
		cidrs[n].prefix_len = plen ? plen :
				      (cidrs[n].family == AF_INET ? 32 : 128);
		n++;
	}
	ret = msh_allowlist_replace(mn->admit.allowlist, cidrs, n, &bad, &msg);
	if (ret && extack)
		extack->_msg = msg;
out:
	kfree(cidrs);
	return ret;
}

int msh_nl_get_allowlist(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));
	struct msh_cidr *cidrs;
	struct nlattr *nest;
	struct sk_buff *msg;
	unsigned int n, i;
	int ret = -ENOMEM;
	void *hdr;

	cidrs = kcalloc(MSH_ALLOWLIST_MAX, sizeof(*cidrs), GFP_KERNEL);
	if (!cidrs)
		return -ENOMEM;
	n = msh_allowlist_get(mn->admit.allowlist, cidrs, MSH_ALLOWLIST_MAX);

	/* an address nest takes at most 32 bytes */
	msg = genlmsg_new(NLMSG_GOODSIZE + n * 32, GFP_KERNEL);
	if (!msg)
		goto out;
	ret = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, msh_events_family(), 0,
				MAILSHIELD_CMD_GET_ALLOWLIST);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, MAILSHIELD_A_ALLOWLIST);
	if (!nest)
		goto err_free;
	for (i = 0; i < n; i++) {
		if (msh_nl_put_addr(msg, MAILSHIELD_A_ADDR, cidrs[i].family,
				    &cidrs[i].addr, cidrs[i].prefix_len))
			goto err_free;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	kfree(cidrs);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
out:
	kfree(cidrs);
	return ret;
}
