// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * GET_POLICY and SET_POLICY. The attribute policy, the request parsing
 * and the reply are built from the knob table (include/mailshield/knobs.h):
 * a knob added there is validated, set and reported here without a line
 * of its own.
 */

#include "netlink_policy.h"
#include "admit.h"
#include "events.h"
#include "flows.h"
#include "netns.h"
#include "policy.h"
#include "state.h"

#include <linux/build_bug.h>
#include <linux/mailshield.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include <mailshield/knobs.h>

static const struct nla_policy msh_port_nl_policy[MAILSHIELD_PORT_A_MAX + 1] = {
	[MAILSHIELD_PORT_A_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
};

/* Bounds of every knob; NLA_POLICY_RANGE() holds only s16. */
#define MSH_KNOB_RANGE(id, type, min_, max_, ...)			\
	{ .min = (min_), .max = (max_) },
static struct netlink_range_validation msh_knob_range[MSH_KNOB_NUM] = {
	MSH_KNOBS(MSH_KNOB_RANGE)
};

#define MSH_NLA_BOOL(k)		NLA_POLICY_MAX(NLA_U8, 1)
#define MSH_NLA_U8(k)		NLA_POLICY_FULL_RANGE(NLA_U8, &msh_knob_range[k])
#define MSH_NLA_ENUM(k)		NLA_POLICY_FULL_RANGE(NLA_U8, &msh_knob_range[k])
#define MSH_NLA_MASK(k)		NLA_POLICY_MASK(NLA_U32, MSH_KNOB_LOG_ONLY_MASK)
#define MSH_NLA_U32(k)		NLA_POLICY_FULL_RANGE(NLA_U32, &msh_knob_range[k])
#define MSH_NLA_SECS(k)		NLA_POLICY_FULL_RANGE(NLA_U32, &msh_knob_range[k])
#define MSH_NLA_PORTS(k)	NLA_POLICY_NESTED(msh_port_nl_policy)
#define MSH_KNOB_NLA(id, type, ...)	MSH_NLA_##type(MSH_KNOB_##id),

/*
 * Positional: knob k is attribute k + 1, as the table is in UAPI order
 * (checked by KUnit against msh_knob_attr[] and by scripts/knobs.py).
 */
static const struct nla_policy
msh_policy_nl_policy[MAILSHIELD_POLICY_A_MAX + 1] = {
	{ .type = NLA_UNSPEC },
	MSH_KNOBS(MSH_KNOB_NLA)
};

/* SET_POLICY accepts MAILSHIELD_A_POLICY only; strict parsing rejects the rest. */
const struct nla_policy msh_set_policy_nl_policy[MAILSHIELD_A_MAX + 1] = {
	[MAILSHIELD_A_POLICY]	= NLA_POLICY_NESTED(msh_policy_nl_policy),
};

/* Octets of each knob's attribute: 1 (u8), 4 (u32), 0 (a port nest). */
#define MSH_WIRE_BOOL	1
#define MSH_WIRE_U8	1
#define MSH_WIRE_ENUM	1
#define MSH_WIRE_U32	4
#define MSH_WIRE_SECS	4
#define MSH_WIRE_MASK	4
#define MSH_WIRE_PORTS	0
#define MSH_KNOB_WIRE(id, type, ...)	MSH_WIRE_##type,
static const u8 msh_knob_wire[MSH_KNOB_NUM] = {
	MSH_KNOBS(MSH_KNOB_WIRE)
};

#define MSH_KNOB_ATTR(id, ...)	MAILSHIELD_POLICY_A_##id,
const u8 msh_knob_attr[MSH_KNOB_NUM] = {
	MSH_KNOBS(MSH_KNOB_ATTR)
};

static const u16 *msh_knob_ports(const struct msh_policy *p, unsigned int k,
				 unsigned int *n)
{
	if (k == MSH_KNOB_TLS_PORTS) {
		*n = p->smtp.ntls_ports;
		return p->smtp.tls_ports;
	}
	*n = p->nports;
	return p->ports;
}

int msh_nl_put_policy(struct sk_buff *skb, const struct msh_policy *p)
{
	struct nlattr *nest, *ports;
	const u16 *port;
	unsigned int k, i, n;
	int ret = 0;

	BUILD_BUG_ON(MAILSHIELD_POLICY_A_MAX != MSH_KNOB_NUM);
	BUILD_BUG_ON(MSH_KNOB_NUM > 64);

	nest = nla_nest_start(skb, MAILSHIELD_A_POLICY);
	if (!nest)
		return -EMSGSIZE;

	for (k = 0; k < MSH_KNOB_NUM && !ret; k++) {
		u32 v = msh_policy_knob(p, k);

		switch (msh_knob_wire[k]) {
		case 1:
			ret = nla_put_u8(skb, msh_knob_attr[k], v);
			break;
		case 4:
			ret = nla_put_u32(skb, msh_knob_attr[k], v);
			break;
		default:
			ports = nla_nest_start(skb, msh_knob_attr[k]);
			if (!ports) {
				ret = -EMSGSIZE;
				break;
			}
			port = msh_knob_ports(p, k, &n);
			for (i = 0; i < n && !ret; i++)
				ret = nla_put_u16(skb, MAILSHIELD_PORT_A_PORT,
						  port[i]);
			nla_nest_end(skb, ports);
		}
	}
	if (ret) {
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

int msh_nl_get_policy(struct sk_buff *skb, struct genl_info *info)
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

/* Collects the entries of a port-list nest into @ports. */
static int msh_nl_parse_ports(const struct nlattr *nest, u16 *ports, u8 *n,
			      const struct nlattr **port_attr,
			      struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem;

	*n = 0;
	nla_for_each_nested(a, nest, rem) {
		/* The nested policy already rejects these; belt and braces. */
		if (nla_type(a) != MAILSHIELD_PORT_A_PORT) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "unexpected attribute in port list");
			return -EINVAL;
		}
		if (*n == MAILSHIELD_MAX_PORTS) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many ports (maximum "
					    __stringify(MAILSHIELD_MAX_PORTS)
					    ")");
			return -E2BIG;
		}
		port_attr[*n] = a;
		ports[(*n)++] = nla_get_u16(a);
	}
	return 0;
}

/* For messages built at run time, which NL_SET_ERR_MSG*() cannot take. */
static void msh_nl_set_err(struct netlink_ext_ack *extack,
			   const struct nlattr *attr, const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	NL_SET_BAD_ATTR(extack, attr);
}

int msh_nl_set_policy(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *port_attr[2][MAILSHIELD_MAX_PORTS];
	struct nlattr *tb[MAILSHIELD_POLICY_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct net *net = genl_info_net(info);
	struct msh_policy_update u = {};
	struct msh_policy_err err;
	const struct nlattr *bad;
	struct msh_policy result;
	unsigned int k;
	bool tls;
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

	for (k = 0; k < MSH_KNOB_NUM; k++) {
		const struct nlattr *a = tb[msh_knob_attr[k]];

		if (!a)
			continue;
		switch (msh_knob_wire[k]) {
		case 1:
			msh_policy_update_set(&u, k, nla_get_u8(a));
			break;
		case 4:
			msh_policy_update_set(&u, k, nla_get_u32(a));
			break;
		default:
			tls = k == MSH_KNOB_TLS_PORTS;
			u.set |= BIT_ULL(k);
			ret = msh_nl_parse_ports(a, tls ? u.tls_ports : u.ports,
						 tls ? &u.ntls_ports :
						       &u.nports,
						 port_attr[tls], extack);
			if (ret)
				return ret;
		}
	}

	/* turned on: the namespace's tables first (netns.h) */
	if ((u.set & BIT_ULL(MSH_KNOB_ENABLED)) && u.v[MSH_KNOB_ENABLED]) {
		ret = msh_net_tables_get(msh_net(net));
		if (ret) {
			NL_SET_ERR_MSG(extack,
				       "no memory for the namespace's tables");
			return ret;
		}
	}

	ret = msh_policy_set(msh_net(net), &u, &result, &err);
	if (ret) {
		bad = NULL;
		if (err.knob < MSH_KNOB_NUM) {
			tls = err.knob == MSH_KNOB_TLS_PORTS;
			bad = tb[msh_knob_attr[err.knob]];
			if (msh_knob_wire[err.knob] == 0 &&
			    err.idx < (tls ? u.ntls_ports : u.nports))
				bad = port_attr[tls][err.idx];
		}
		msh_nl_set_err(extack, bad, err.msg);
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
