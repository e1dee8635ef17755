// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient set over netlink (rcpt_nl.h). An upload is one
 * RCPT_BEGIN (key, flags, delimiters, the three counts), RCPT_ADD
 * messages of at most MSH_RCPT_BATCH hashes each (addresses, then
 * domains, then catch-alls, each array continuing where the previous
 * message stopped, so every kind stays strictly ascending across the
 * batches), then RCPT_COMMIT. Every request waits for its ACK.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl.h"
#include "rcpt_nl.h"
#include "text.h"

static const char *cmd_name(int cmd)
{
	switch (cmd) {
	case MAILSHIELD_CMD_RCPT_BEGIN:		return "RCPT_BEGIN";
	case MAILSHIELD_CMD_RCPT_ADD:		return "RCPT_ADD";
	case MAILSHIELD_CMD_RCPT_COMMIT:	return "RCPT_COMMIT";
	case MAILSHIELD_CMD_RCPT_ABORT:		return "RCPT_ABORT";
	default:				return "GET_RECIPIENTS";
	}
}

static int send_default(struct msh_nl *nl, struct nl_msg *msg, void *arg)
{
	(void)arg;
	return msh_nl_transact(nl, msg);
}

int msh_rcpt_upload(struct msh_nl *nl, const struct msh_rcpt_set *s,
		    char *err, size_t errlen)
{
	return msh_rcpt_upload_via(nl, s, send_default, NULL, err, errlen);
}

/* Send one request; on failure describe it in err. */
static int request(struct msh_nl *nl, struct nl_msg *msg, int cmd,
		   msh_rcpt_send_fn send, void *arg, char *err, size_t errlen)
{
	int ret = send(nl, msg, arg);

	nlmsg_free(msg);
	if (ret) {
		const char *ext = send == send_default ? msh_nl_extack(nl) : "";

		msh_seterr(err, errlen, "%s: %s%s%s", cmd_name(cmd),
			   strerror(-ret), ext[0] ? ": " : "", ext);
	}
	return ret;
}

static struct nl_msg *new_msg(struct msh_nl *nl, int cmd, size_t payload,
			      struct nlattr **nest)
{
	struct nl_msg *msg;

	/* room for the headers, the nest and up to three array attributes */
	msg = msh_nl_new_request_size(nl, cmd, MAILSHIELD_GENL_VERSION,
				      payload + 256);
	if (!msg)
		return NULL;
	*nest = nla_nest_start(msg, MAILSHIELD_A_RECIPIENTS);
	if (!*nest) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int msh_rcpt_upload_via(struct msh_nl *nl, const struct msh_rcpt_set *s,
			msh_rcpt_send_fn send, void *arg,
			char *err, size_t errlen)
{
	const struct msh_u64v *kinds[3] = { &s->addrs, &s->domains,
					    &s->catchalls };
	static const int attrs[3] = { MAILSHIELD_RCPT_A_HASHES,
				      MAILSHIELD_RCPT_A_DOMAIN_HASHES,
				      MAILSHIELD_RCPT_A_CATCHALL_HASHES };
	size_t done[3] = { 0, 0, 0 };
	struct nlattr *nest;
	struct nl_msg *msg;
	int k = 0, ret;

	if (!s->finished || s->addrs.n > UINT32_MAX ||
	    s->domains.n > UINT32_MAX || s->catchalls.n > UINT32_MAX) {
		msh_seterr(err, errlen, "recipient set not finished");
		return -EINVAL;
	}
	msg = new_msg(nl, MAILSHIELD_CMD_RCPT_BEGIN, 64, &nest);
	if (!msg)
		goto nomem;
	if (nla_put(msg, MAILSHIELD_RCPT_A_KEY, sizeof(s->key), s->key) ||
	    nla_put_u32(msg, MAILSHIELD_RCPT_A_FLAGS, s->flags) ||
	    nla_put(msg, MAILSHIELD_RCPT_A_DELIMITERS, (int)s->ndelims,
		    s->delims) ||
	    nla_put_u32(msg, MAILSHIELD_RCPT_A_ADDRESSES, (uint32_t)s->addrs.n) ||
	    nla_put_u32(msg, MAILSHIELD_RCPT_A_DOMAINS,
			(uint32_t)s->domains.n) ||
	    nla_put_u32(msg, MAILSHIELD_RCPT_A_CATCHALLS,
			(uint32_t)s->catchalls.n)) {
		nlmsg_free(msg);
		goto nomem;
	}
	nla_nest_end(msg, nest);
	ret = request(nl, msg, MAILSHIELD_CMD_RCPT_BEGIN, send, arg, err,
		      errlen);
	if (ret)
		return ret;	/* nothing begun, or a failed begin: no abort */

	while (k < 3) {
		size_t room = MSH_RCPT_BATCH;

		msg = new_msg(nl, MAILSHIELD_CMD_RCPT_ADD,
			      MSH_RCPT_BATCH * sizeof(uint64_t), &nest);
		if (!msg)
			goto nomem_abort;
		for (; k < 3 && room; k++) {
			size_t n = kinds[k]->n - done[k];

			if (n > room)
				n = room;
			if (n && nla_put(msg, attrs[k],
					 (int)(n * sizeof(uint64_t)),
					 kinds[k]->v + done[k])) {
				nlmsg_free(msg);
				goto nomem_abort;
			}
			done[k] += n;
			room -= n;
			if (done[k] < kinds[k]->n)
				break;	/* message full, same kind next */
		}
		nla_nest_end(msg, nest);
		if (room == MSH_RCPT_BATCH) {
			nlmsg_free(msg);	/* nothing (left) to add */
			break;
		}
		ret = request(nl, msg, MAILSHIELD_CMD_RCPT_ADD, send, arg, err,
			      errlen);
		if (ret)
			goto abort;
	}

	/* COMMIT and ABORT carry nothing */
	msg = msh_nl_new_request(nl, MAILSHIELD_CMD_RCPT_COMMIT,
				 MAILSHIELD_GENL_VERSION);
	if (!msg)
		goto nomem_abort;
	ret = request(nl, msg, MAILSHIELD_CMD_RCPT_COMMIT, send, arg, err,
		      errlen);
	if (ret)
		goto abort;
	return 0;

nomem_abort:
	msh_seterr(err, errlen, "out of memory building a request");
	ret = -ENOMEM;
abort:
	/* err already says why; the abort's own outcome changes nothing */
	msg = msh_nl_new_request(nl, MAILSHIELD_CMD_RCPT_ABORT,
				 MAILSHIELD_GENL_VERSION);
	if (msg) {
		send(nl, msg, arg);
		nlmsg_free(msg);
	}
	return ret;
nomem:
	msh_seterr(err, errlen, "out of memory building a request");
	return -ENOMEM;
}

/* ---- GET_RECIPIENTS ------------------------------------------------- */

static const struct nla_policy info_policy[MAILSHIELD_RCPT_A_MAX + 1] = {
	[MAILSHIELD_RCPT_A_FLAGS]	= { .type = NLA_U32 },
	[MAILSHIELD_RCPT_A_ADDRESSES]	= { .type = NLA_U32 },
	[MAILSHIELD_RCPT_A_DOMAINS]	= { .type = NLA_U32 },
	[MAILSHIELD_RCPT_A_CATCHALLS]	= { .type = NLA_U32 },
	[MAILSHIELD_RCPT_A_GENERATION]	= { .type = NLA_U32 },
	[MAILSHIELD_RCPT_A_MEMORY]	= { .type = NLA_U64 },
	[MAILSHIELD_RCPT_A_AGE]		= { .type = NLA_U32 },
	[MAILSHIELD_RCPT_A_PENDING]	= { .type = NLA_U8 },
};

int msh_rcpt_parse_info(struct nlattr **tb, struct msh_rcpt_info *info)
{
	struct nlattr *rt[MAILSHIELD_RCPT_A_MAX + 1];
	int len;

	memset(info, 0, sizeof(*info));
	if (!tb[MAILSHIELD_A_RECIPIENTS] ||
	    nla_parse_nested(rt, MAILSHIELD_RCPT_A_MAX,
			     tb[MAILSHIELD_A_RECIPIENTS],
			     (struct nla_policy *)info_policy) < 0)
		return -EBADMSG;
	if (rt[MAILSHIELD_RCPT_A_GENERATION])
		info->generation = nla_get_u32(rt[MAILSHIELD_RCPT_A_GENERATION]);
	if (rt[MAILSHIELD_RCPT_A_ADDRESSES])
		info->addresses = nla_get_u32(rt[MAILSHIELD_RCPT_A_ADDRESSES]);
	if (rt[MAILSHIELD_RCPT_A_DOMAINS])
		info->domains = nla_get_u32(rt[MAILSHIELD_RCPT_A_DOMAINS]);
	if (rt[MAILSHIELD_RCPT_A_CATCHALLS])
		info->catchalls = nla_get_u32(rt[MAILSHIELD_RCPT_A_CATCHALLS]);
	if (rt[MAILSHIELD_RCPT_A_MEMORY])
		info->memory = nla_get_u64(rt[MAILSHIELD_RCPT_A_MEMORY]);
	if (rt[MAILSHIELD_RCPT_A_AGE])
		info->age = nla_get_u32(rt[MAILSHIELD_RCPT_A_AGE]);
	if (rt[MAILSHIELD_RCPT_A_PENDING])
		info->pending = nla_get_u8(rt[MAILSHIELD_RCPT_A_PENDING]);
	if (rt[MAILSHIELD_RCPT_A_FLAGS])
		info->flags = nla_get_u32(rt[MAILSHIELD_RCPT_A_FLAGS]);
	if (rt[MAILSHIELD_RCPT_A_DELIMITERS]) {
		len = nla_len(rt[MAILSHIELD_RCPT_A_DELIMITERS]);
		if (len < 0 || len > MAILSHIELD_RCPT_DELIM_MAX)
			return -EBADMSG;
		memcpy(info->delims, nla_data(rt[MAILSHIELD_RCPT_A_DELIMITERS]),
		       (size_t)len);
		info->delims[len] = '\0';
	}
	return 0;
}

struct get_ctx {
	struct msh_rcpt_info *info;
	bool seen;
};

static int get_parse(struct nlattr **tb, void *arg)
{
	struct get_ctx *g = arg;
	int ret = msh_rcpt_parse_info(tb, g->info);

	if (!ret)
		g->seen = true;
	return ret;
}

int msh_rcpt_get(struct msh_nl *nl, struct msh_rcpt_info *info)
{
	struct get_ctx g = { .info = info };
	struct nl_msg *msg;
	int ret;

	msg = msh_nl_new_request(nl, MAILSHIELD_CMD_GET_RECIPIENTS,
				 MAILSHIELD_GENL_VERSION);
	if (!msg)
		return -ENOMEM;
	ret = msh_nl_request(nl, msg, MAILSHIELD_CMD_GET_RECIPIENTS,
			     get_parse, &g);
	nlmsg_free(msg);
	if (!ret && !g.seen)
		ret = -EBADMSG;
	return ret;
}
