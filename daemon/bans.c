// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Connection admission in userspace, the netlink side: policy attributes,
 * source and ban dumps, BAN / UNBAN, the allowlist and ban events. See
 * bans.h.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "bans.h"
#include "nl.h"

/* ---- netlink ------------------------------------------------------------ */


static bool get_u8(struct nlattr *a, uint8_t *v)
{
	if (!a || nla_len(a) < 1)
		return false;
	*v = nla_get_u8(a);
	return true;
}

static bool get_u32(struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) < 4)
		return false;
	*v = nla_get_u32(a);
	return true;
}

static int put_addr(struct nl_msg *msg, int type, const struct msh_prefix *c)
{
	struct nlattr *n = nla_nest_start(msg, type);

	if (!n)
		return -EMSGSIZE;
	if (c->family == AF_INET) {
		if (nla_put(msg, MAILSHIELD_ADDR_A_V4, 4, c->addr))
			return -EMSGSIZE;
	} else if (nla_put(msg, MAILSHIELD_ADDR_A_V6, 16, c->addr)) {
		return -EMSGSIZE;
	}
	if (c->plen && nla_put_u8(msg, MAILSHIELD_ADDR_A_PREFIX_LEN, c->plen))
		return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

static int parse_addr(struct nlattr *nest, struct msh_prefix *c)
{
	struct nlattr *tb[MAILSHIELD_ADDR_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (nla_parse_nested(tb, MAILSHIELD_ADDR_A_MAX, nest, NULL) < 0)
		return -EBADMSG;
	if (tb[MAILSHIELD_ADDR_A_V4] && nla_len(tb[MAILSHIELD_ADDR_A_V4]) == 4) {
		c->family = AF_INET;
		memcpy(c->addr, nla_data(tb[MAILSHIELD_ADDR_A_V4]), 4);
	} else if (tb[MAILSHIELD_ADDR_A_V6] &&
		   nla_len(tb[MAILSHIELD_ADDR_A_V6]) == 16) {
		c->family = AF_INET6;
		memcpy(c->addr, nla_data(tb[MAILSHIELD_ADDR_A_V6]), 16);
	} else {
		return -EBADMSG;
	}
	get_u8(tb[MAILSHIELD_ADDR_A_PREFIX_LEN], &c->plen);
	return 0;
}

struct dump_arg {
	msh_source_cb cb;
	void *arg;
};

static int parse_source_reply(struct nlattr **top, void *arg)
{
	struct nlattr *tb[MAILSHIELD_SOURCE_A_MAX + 1];
	struct dump_arg *d = arg;
	struct msh_source_row s;

	if (!top[MAILSHIELD_A_SOURCE])
		return -EBADMSG;
	if (nla_parse_nested(tb, MAILSHIELD_SOURCE_A_MAX,
			     top[MAILSHIELD_A_SOURCE], NULL) < 0 ||
	    !tb[MAILSHIELD_SOURCE_A_ADDR])
		return -EBADMSG;
	memset(&s, 0, sizeof(s));
	if (parse_addr(tb[MAILSHIELD_SOURCE_A_ADDR], &s.net))
		return -EBADMSG;
	get_u32(tb[MAILSHIELD_SOURCE_A_FLOWS], &s.flows);
	get_u32(tb[MAILSHIELD_SOURCE_A_TOKENS], &s.tokens);
	get_u32(tb[MAILSHIELD_SOURCE_A_VIOLATIONS], &s.violations);
	get_u32(tb[MAILSHIELD_SOURCE_A_BAD_RCPTS], &s.bad_rcpts);
	get_u32(tb[MAILSHIELD_SOURCE_A_REFUSALS], &s.refusals);
	get_u32(tb[MAILSHIELD_SOURCE_A_VIOLATIONS_TOTAL], &s.violations_total);
	get_u32(tb[MAILSHIELD_SOURCE_A_BAD_RCPTS_TOTAL], &s.bad_rcpts_total);
	get_u32(tb[MAILSHIELD_SOURCE_A_IDLE], &s.idle_s);
	get_u32(tb[MAILSHIELD_SOURCE_A_BAN_REASON], &s.ban_reason);
	if (tb[MAILSHIELD_SOURCE_A_BAN_LEFT] &&
	    nla_len(tb[MAILSHIELD_SOURCE_A_BAN_LEFT]) == 8) {
		s.banned = true;
		s.ban_left_ms = nla_get_u64(tb[MAILSHIELD_SOURCE_A_BAN_LEFT]);
	}
	d->cb(&s, d->arg);
	return 0;
}

int msh_req_dump_sources(struct msh_nl *nl, bool bans_only, msh_source_cb cb,
			void *arg)
{
	int cmd = bans_only ? MAILSHIELD_CMD_GET_BANS :
			      MAILSHIELD_CMD_GET_SOURCES;
	struct dump_arg d = { .cb = cb, .arg = arg };
	struct nl_msg *msg;
	int ret;

	msg = msh_nl_new_request(nl, cmd, MAILSHIELD_GENL_VERSION);
	if (!msg)
		return -ENOMEM;
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP;
	ret = msh_nl_request(nl, msg, cmd, parse_source_reply, &d);
	nlmsg_free(msg);
	return ret;
}

static int source_request(struct msh_nl *nl, int cmd,
			  const struct msh_prefix *c, bool has_duration,
			  uint32_t duration_s)
{
	struct nl_msg *msg = msh_nl_new_request(nl, cmd,
						MAILSHIELD_GENL_VERSION);
	struct nlattr *n;
	int ret = -EMSGSIZE;

	if (!msg)
		return -ENOMEM;
	n = nla_nest_start(msg, MAILSHIELD_A_SOURCE);
	if (!n || put_addr(msg, MAILSHIELD_SOURCE_A_ADDR, c))
		goto out;
	if (has_duration &&
	    nla_put_u32(msg, MAILSHIELD_SOURCE_A_DURATION, duration_s))
		goto out;
	nla_nest_end(msg, n);
	ret = msh_nl_transact(nl, msg);
out:
	nlmsg_free(msg);
	return ret;
}

int msh_req_ban(struct msh_nl *nl, const struct msh_prefix *c, bool has_duration,
	       uint32_t duration_s)
{
	return source_request(nl, MAILSHIELD_CMD_BAN, c, has_duration,
			      duration_s);
}

int msh_req_unban(struct msh_nl *nl, const struct msh_prefix *c)
{
	return source_request(nl, MAILSHIELD_CMD_UNBAN, c, false, 0);
}

/* An address nest takes at most 32 bytes (v6 address and prefix length). */
#define ALLOWLIST_MSG_SIZE(n)	(NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + \
				 (size_t)(n) * 32 + 256)

int msh_req_set_allowlist(struct msh_nl *nl, const struct msh_allow_cfg *al)
{
	/* a page holds only about 120 entries: size the message for all */
	struct nl_msg *msg = msh_nl_new_request_size(nl,
			MAILSHIELD_CMD_SET_ALLOWLIST, MAILSHIELD_GENL_VERSION,
			ALLOWLIST_MSG_SIZE(al->n));
	struct nlattr *n;
	unsigned int i;
	int ret = -EMSGSIZE;

	if (!msg)
		return -ENOMEM;
	n = nla_nest_start(msg, MAILSHIELD_A_ALLOWLIST);
	if (!n)
		goto out;
	for (i = 0; i < al->n; i++)
		if (put_addr(msg, MAILSHIELD_A_ADDR, &al->e[i]))
			goto out;
	/* an empty list clears the allowlist: the nest must stay */
	nla_nest_end_keep_empty(msg, n);
	ret = msh_nl_transact(nl, msg);
out:
	nlmsg_free(msg);
	return ret;
}

static int parse_allowlist_reply(struct nlattr **top, void *arg)
{
	struct msh_allow_cfg *al = arg;
	struct nlattr *pos;
	int rem;

	if (!top[MAILSHIELD_A_ALLOWLIST])
		return -EBADMSG;
	nla_for_each_nested(pos, top[MAILSHIELD_A_ALLOWLIST], rem) {
		if (nla_type(pos) != MAILSHIELD_A_ADDR || al->n == MSH_ALLOW_MAX)
			continue;
		if (parse_addr(pos, &al->e[al->n]) == 0)
			al->n++;
	}
	return 0;
}

int msh_req_get_allowlist(struct msh_nl *nl, struct msh_allow_cfg *al)
{
	struct nl_msg *msg = msh_nl_new_request(nl, MAILSHIELD_CMD_GET_ALLOWLIST,
						MAILSHIELD_GENL_VERSION);
	int ret;

	if (!msg)
		return -ENOMEM;
	al->n = 0;
	ret = msh_nl_request(nl, msg, MAILSHIELD_CMD_GET_ALLOWLIST,
			     parse_allowlist_reply, al);
	nlmsg_free(msg);
	return ret;
}

/* ---- events ---------------------------------------------------------------- */

void msh_ban_parse_event(struct nlattr **et, struct msh_ban_msg *b)
{
	memset(b, 0, sizeof(*b));
	if (et[MAILSHIELD_EVENT_A_ADDR] &&
	    !parse_addr(et[MAILSHIELD_EVENT_A_ADDR], &b->addr))
		b->has_addr = true;
	b->has_reason = get_u32(et[MAILSHIELD_EVENT_A_REASON], &b->reason);
	b->has_duration = get_u32(et[MAILSHIELD_EVENT_A_DURATION],
				  &b->duration);
}

