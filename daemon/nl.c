// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The "mailshield" family's policy, stats and event messages, over the
 * sockets of nlsock.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "nl.h"


static const struct nla_policy event_policy[MAILSHIELD_EVENT_A_MAX + 1] = {
	[MAILSHIELD_EVENT_A_TYPE]	= { .type = NLA_U32 },
	[MAILSHIELD_EVENT_A_SUPPRESSED]	= { .type = NLA_U32 },
};

static struct nla_policy stats_policy[MAILSHIELD_STATS_A_MAX + 1];

static void init_stats_policy(void)
{
	int i;

	for (i = MAILSHIELD_STATS_A_PAD + 1; i <= MAILSHIELD_STATS_A_MAX; i++)
		stats_policy[i].type = NLA_U64;
	stats_policy[MAILSHIELD_STATS_A_VIOLATION_REASONS].type = NLA_NESTED;
}

/*
 * A policy nest into @kn, by the knob table: a knob's attribute is u8 or
 * u32 by its type (checked for length), a PORTS knob a nest of ports.
 */
static int parse_policy(struct nlattr *nest, struct msh_knobs *kn)
{
	struct nlattr *tb[MAILSHIELD_POLICY_A_MAX + 1];
	struct nla_policy pol[MAILSHIELD_POLICY_A_MAX + 1];
	struct nlattr *pos;
	int rem, err, k, slot;

	memset(kn, 0, sizeof(*kn));
	memset(pol, 0, sizeof(pol));
	for (k = 0; k < MSH_KNOB_NUM; k++) {
		switch (msh_knob_info[k].type) {
		case MSH_KT_BOOL:
		case MSH_KT_U8:
		case MSH_KT_ENUM:
			pol[msh_knob_attr(k)].type = NLA_U8;
			break;
		case MSH_KT_PORTS:
			pol[msh_knob_attr(k)].type = NLA_NESTED;
			break;
		default:
			pol[msh_knob_attr(k)].type = NLA_U32;
		}
	}
	err = nla_parse_nested(tb, MAILSHIELD_POLICY_A_MAX, nest, pol);
	if (err < 0)
		return -EBADMSG;
	for (k = 0; k < MSH_KNOB_NUM; k++) {
		struct nlattr *a = tb[msh_knob_attr(k)];

		if (!a)
			continue;
		kn->set |= MSH_KNOB_BIT(k);
		slot = msh_knob_port_slot(k);
		if (slot < 0) {
			kn->v[k] = pol[msh_knob_attr(k)].type == NLA_U8 ?
				   nla_get_u8(a) : nla_get_u32(a);
			continue;
		}
		nla_for_each_nested(pos, a, rem) {
			if (nla_type(pos) != MAILSHIELD_PORT_A_PORT)
				continue;
			if (nla_len(pos) < (int)sizeof(uint16_t) ||
			    kn->nports[slot] == MAILSHIELD_MAX_PORTS)
				return -EBADMSG;
			kn->ports[slot][kn->nports[slot]++] = nla_get_u16(pos);
		}
	}
	return 0;
}

/* ---- operations ----------------------------------------------------- */

static struct nl_msg *new_request(struct msh_nl *nl, int cmd)
{
	return msh_nl_new_request(nl, cmd, MAILSHIELD_GENL_VERSION);
}

static int parse_policy_reply(struct nlattr **tb, void *arg)
{
	if (!tb[MAILSHIELD_A_POLICY])
		return -EBADMSG;
	return parse_policy(tb[MAILSHIELD_A_POLICY], arg);
}

int msh_req_get_policy(struct msh_nl *nl, struct msh_knobs *p)
{
	struct nl_msg *msg = new_request(nl, MAILSHIELD_CMD_GET_POLICY);
	int ret;

	if (!msg)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	ret = msh_nl_request(nl, msg, MAILSHIELD_CMD_GET_POLICY,
			     parse_policy_reply, p);
	nlmsg_free(msg);
	if (!ret && !p->set)
		ret = -EBADMSG;	/* no reply carried a policy */
	return ret;
}

int msh_req_put_policy(struct nl_msg *msg, const struct msh_knobs *kn)
{
	struct nlattr *pol, *ports;
	unsigned int i;
	int k, slot, r;

	pol = nla_nest_start(msg, MAILSHIELD_A_POLICY);
	if (!pol)
		return -EMSGSIZE;
	for (k = 0; k < MSH_KNOB_NUM; k++) {
		if (!msh_knob_has(kn, k))
			continue;
		switch (msh_knob_info[k].type) {
		case MSH_KT_BOOL:
		case MSH_KT_U8:
		case MSH_KT_ENUM:
			r = nla_put_u8(msg, msh_knob_attr(k), (uint8_t)kn->v[k]);
			break;
		case MSH_KT_PORTS:
			slot = msh_knob_port_slot(k);
			ports = nla_nest_start(msg, msh_knob_attr(k));
			if (!ports)
				return -EMSGSIZE;
			for (i = 0, r = 0; i < kn->nports[slot] && !r; i++)
				r = nla_put_u16(msg, MAILSHIELD_PORT_A_PORT,
						kn->ports[slot][i]);
			nla_nest_end(msg, ports);
			break;
		default:
			r = nla_put_u32(msg, msh_knob_attr(k), kn->v[k]);
		}
		if (r)
			return -EMSGSIZE;
	}
	nla_nest_end(msg, pol);
	return 0;
}

int msh_req_set_policy(struct msh_nl *nl, const struct msh_knobs *p)
{
	struct nl_msg *msg = new_request(nl, MAILSHIELD_CMD_SET_POLICY);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = msh_req_put_policy(msg, p);
	if (!ret)
		ret = msh_nl_request(nl, msg, MAILSHIELD_CMD_SET_POLICY, NULL,
				     NULL);
	nlmsg_free(msg);
	return ret;
}

struct stats_arg {
	struct msh_counters *s;
	int seen;
};

static int parse_stats_reply(struct nlattr **tb, void *arg)
{
	struct stats_arg *sa = arg;
	struct nlattr *st[MAILSHIELD_STATS_A_MAX + 1];
	int i;

	if (!tb[MAILSHIELD_A_STATS])
		return -EBADMSG;
	if (nla_parse_nested(st, MAILSHIELD_STATS_A_MAX, tb[MAILSHIELD_A_STATS],
			     stats_policy) < 0)
		return -EBADMSG;
	for (i = MAILSHIELD_STATS_A_PAD + 1; i <= MAILSHIELD_STATS_A_MAX; i++)
		if (st[i] && i != MAILSHIELD_STATS_A_VIOLATION_REASONS)
			sa->s->v[i] = nla_get_u64(st[i]);
	/* SMTP inspection (inspection.c) */
	msh_smtp_parse_reasons(st[MAILSHIELD_STATS_A_VIOLATION_REASONS],
			       sa->s->reasons);
	sa->seen = 1;
	return 0;
}

int msh_req_get_stats(struct msh_nl *nl, struct msh_counters *s)
{
	struct nl_msg *msg = new_request(nl, MAILSHIELD_CMD_GET_STATS);
	struct stats_arg sa = { .s = s };
	int ret;

	if (!msg)
		return -ENOMEM;
	init_stats_policy();
	memset(s, 0, sizeof(*s));
	ret = msh_nl_request(nl, msg, MAILSHIELD_CMD_GET_STATS,
			     parse_stats_reply, &sa);
	nlmsg_free(msg);
	if (!ret && !sa.seen)
		ret = -EBADMSG;
	return ret;
}

/* ---- events --------------------------------------------------------- */

static const struct nla_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]	= { .type = NLA_U16 },
	[CTRL_ATTR_FAMILY_NAME]	= { .type = NLA_STRING },
};

static int parse_ctrl_event(struct nlmsghdr *nlh, struct msh_event *ev)
{
	struct genlmsghdr *gh = genlmsg_hdr(nlh);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const char *name;

	if (gh->cmd != CTRL_CMD_NEWFAMILY && gh->cmd != CTRL_CMD_DELFAMILY)
		return 0;
	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, ctrl_policy) < 0)
		return -EBADMSG;
	if (!tb[CTRL_ATTR_FAMILY_NAME])
		return 0;
	name = nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]);
	if (strncmp(name, MAILSHIELD_GENL_NAME,
		    (size_t)nla_len(tb[CTRL_ATTR_FAMILY_NAME])))
		return 0;
	ev->kind = gh->cmd == CTRL_CMD_NEWFAMILY ? MSH_EV_FAMILY_NEW
						 : MSH_EV_FAMILY_DEL;
	return 1;
}

int msh_nl_parse_event(struct nl_msg *msg, int family_id,
		       struct msh_event *ev)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[MAILSHIELD_A_MAX + 1];
	struct nlattr *et[MAILSHIELD_EVENT_A_MAX + 1];
	struct genlmsghdr *gh;
	int err;

	init_stats_policy();
	memset(ev, 0, sizeof(*ev));
	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		return parse_ctrl_event(nlh, ev);
	if ((int)nlh->nlmsg_type != family_id)
		return 0;
	gh = genlmsg_hdr(nlh);
	if (gh->cmd != MAILSHIELD_CMD_EVENT)
		return 0;
	if (genlmsg_parse(nlh, 0, tb, MAILSHIELD_A_MAX, msh_nl_top_policy()) < 0)
		return -EBADMSG;
	if (!tb[MAILSHIELD_A_EVENT])
		return -EBADMSG;
	if (nla_parse_nested(et, MAILSHIELD_EVENT_A_MAX, tb[MAILSHIELD_A_EVENT],
			     event_policy) < 0)
		return -EBADMSG;
	ev->kind = MSH_EV_KERNEL;
	if (et[MAILSHIELD_EVENT_A_TYPE])
		ev->type = nla_get_u32(et[MAILSHIELD_EVENT_A_TYPE]);
	if (et[MAILSHIELD_EVENT_A_SUPPRESSED])
		ev->suppressed = nla_get_u32(et[MAILSHIELD_EVENT_A_SUPPRESSED]);
	/* BAN / UNBAN (bans.c) */
	msh_ban_parse_event(et, &ev->ban);
	/* VIOLATION (inspection.c) */
	msh_smtp_parse_event(et, &ev->viol);
	if (tb[MAILSHIELD_A_POLICY]) {
		err = parse_policy(tb[MAILSHIELD_A_POLICY], &ev->policy);
		if (err < 0)
			return err;
		ev->has_policy = true;
	}
	return 1;
}

struct ev_arg {
	struct msh_nl *nl;
	msh_event_cb cb;
	void *arg;
	int bad;
};

static int ev_valid(struct nl_msg *msg, void *arg)
{
	struct ev_arg *ea = arg;
	struct msh_event ev;
	int ret = msh_nl_parse_event(msg, msh_nl_family_id(ea->nl), &ev);

	if (ret < 0)
		ea->bad++;
	else if (ret > 0)
		ea->cb(&ev, ea->arg);
	return NL_OK;
}

int msh_nl_events_read(struct msh_nl *nl, msh_event_cb cb, void *arg)
{
	struct ev_arg ea = { .nl = nl, .cb = cb, .arg = arg };
	int ret = msh_nl_events_recv(nl, ev_valid, &ea);

	if (ret < 0)
		return ret;
	return ea.bad ? -EBADMSG : 0;
}
