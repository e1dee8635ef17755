// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The netlink side of SMTP inspection (inspection_text.c has the rest).
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl.h"
#include "inspection.h"

void msh_smtp_parse_reasons(struct nlattr *nest, uint64_t *reasons)
{
	struct nlattr *pos;
	int rem, t;

	memset(reasons, 0, sizeof(*reasons) * __MAILSHIELD_VIOLATION_MAX);
	if (!nest)
		return;
	nla_for_each_nested(pos, nest, rem) {
		t = nla_type(pos);
		if (t >= 1 && t <= __MAILSHIELD_VIOLATION_MAX &&
		    nla_len(pos) == 8)
			reasons[t - 1] = nla_get_u64(pos);
	}
}

static int parse_addr(struct nlattr *nest, int *family, uint8_t *addr)
{
	struct nlattr *tb[MAILSHIELD_ADDR_A_MAX + 1];

	if (!nest || nla_parse_nested(tb, MAILSHIELD_ADDR_A_MAX, nest, NULL) < 0)
		return -EBADMSG;
	if (tb[MAILSHIELD_ADDR_A_V4] && nla_len(tb[MAILSHIELD_ADDR_A_V4]) == 4) {
		*family = AF_INET;
		memcpy(addr, nla_data(tb[MAILSHIELD_ADDR_A_V4]), 4);
	} else if (tb[MAILSHIELD_ADDR_A_V6] &&
		   nla_len(tb[MAILSHIELD_ADDR_A_V6]) == 16) {
		*family = AF_INET6;
		memcpy(addr, nla_data(tb[MAILSHIELD_ADDR_A_V6]), 16);
	} else {
		return -EBADMSG;
	}
	return 0;
}

static uint32_t get32(struct nlattr *a)
{
	return a && nla_len(a) >= 4 ? nla_get_u32(a) : 0;
}

static uint64_t get64(struct nlattr *a)
{
	return a && nla_len(a) >= 8 ? nla_get_u64(a) : 0;
}

struct flow_arg {
	msh_flow_cb cb;
	void *arg;
};

static int parse_flow_reply(struct nlattr **top, void *arg)
{
	struct nlattr *tb[MAILSHIELD_FLOW_A_MAX + 1];
	struct flow_arg *d = arg;
	struct msh_flow_row fl;

	if (!top[MAILSHIELD_A_FLOW] ||
	    nla_parse_nested(tb, MAILSHIELD_FLOW_A_MAX, top[MAILSHIELD_A_FLOW],
			     NULL) < 0)
		return -EBADMSG;
	memset(&fl, 0, sizeof(fl));
	if (parse_addr(tb[MAILSHIELD_FLOW_A_CLIENT], &fl.family, fl.client) ||
	    parse_addr(tb[MAILSHIELD_FLOW_A_SERVER], &fl.family, fl.server))
		return -EBADMSG;
	if (tb[MAILSHIELD_FLOW_A_CLIENT_PORT])
		fl.cport = nla_get_u16(tb[MAILSHIELD_FLOW_A_CLIENT_PORT]);
	if (tb[MAILSHIELD_FLOW_A_SERVER_PORT])
		fl.sport = nla_get_u16(tb[MAILSHIELD_FLOW_A_SERVER_PORT]);
	if (tb[MAILSHIELD_FLOW_A_STATE])
		fl.state = nla_get_u8(tb[MAILSHIELD_FLOW_A_STATE]);
	fl.rx_bytes = get64(tb[MAILSHIELD_FLOW_A_RX_BYTES]);
	fl.tx_bytes = get64(tb[MAILSHIELD_FLOW_A_TX_BYTES]);
	fl.age = get32(tb[MAILSHIELD_FLOW_A_AGE]);
	fl.idle = get32(tb[MAILSHIELD_FLOW_A_IDLE]);
	fl.pending = get32(tb[MAILSHIELD_FLOW_A_PENDING]);
	fl.junk = get32(tb[MAILSHIELD_FLOW_A_JUNK]);
	fl.violations = get32(tb[MAILSHIELD_FLOW_A_VIOLATIONS]);
	d->cb(&fl, d->arg);
	return 0;
}

int msh_req_dump_flows(struct msh_nl *nl, msh_flow_cb cb, void *arg)
{
	struct flow_arg d = { .cb = cb, .arg = arg };
	struct nl_msg *msg;
	int ret;

	msg = msh_nl_new_request(nl, MAILSHIELD_CMD_GET_FLOWS,
				 MAILSHIELD_GENL_VERSION);
	if (!msg)
		return -ENOMEM;
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP;
	ret = msh_nl_request(nl, msg, MAILSHIELD_CMD_GET_FLOWS,
			     parse_flow_reply, &d);
	nlmsg_free(msg);
	return ret;
}

void msh_smtp_parse_event(struct nlattr **et, struct msh_viol_msg *v)
{
	memset(v, 0, sizeof(*v));
	if (et[MAILSHIELD_EVENT_A_SPORT] && et[MAILSHIELD_EVENT_A_DPORT]) {
		v->has_ports = true;
		v->sport = nla_get_u16(et[MAILSHIELD_EVENT_A_SPORT]);
		v->dport = nla_get_u16(et[MAILSHIELD_EVENT_A_DPORT]);
	}
	if (et[MAILSHIELD_EVENT_A_LOGGED])
		v->logged = nla_get_u8(et[MAILSHIELD_EVENT_A_LOGGED]);
	if (et[MAILSHIELD_EVENT_A_COUNT] &&
	    nla_len(et[MAILSHIELD_EVENT_A_COUNT]) >= 4)
		v->count = nla_get_u32(et[MAILSHIELD_EVENT_A_COUNT]);
}
