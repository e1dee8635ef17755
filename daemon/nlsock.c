// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * libnl client for the "mailshield" generic netlink family: the sockets
 * and the request/ACK exchange (the messages themselves are built and
 * read by nl.c, bans.c and inspection.c, which all sit above this file).
 *
 * Two sockets: one for request/ACK exchanges (blocking, strict sequence
 * checks) and, for the daemon, one joined to the multicast groups, so that
 * events can never interleave with the reply to a request.
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

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define EXTACK_MAX 512

struct msh_nl {
	struct nl_sock *sk;		/* requests */
	struct nl_sock *ev;		/* multicast, may be NULL */
	const char *name;		/* family name */
	int family;
	int events_grp;
	char extack[EXTACK_MAX];
};

/* libnl reports its own error codes; map the ones we can meet to errno. */
static int nle_to_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case 0:			return 0;
	case NLE_INTR:		return EINTR;
	case NLE_BAD_SOCK:	return EBADF;
	case NLE_AGAIN:		return EAGAIN;
	case NLE_NOMEM:		return ENOMEM;
	case NLE_EXIST:		return EEXIST;
	case NLE_INVAL:		return EINVAL;
	case NLE_RANGE:		return ERANGE;
	case NLE_MSGSIZE:	return EMSGSIZE;
	case NLE_OPNOTSUPP:	return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:	return EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:	return ENOENT;
	case NLE_NOATTR:	return ENOENT;
	case NLE_MSG_TRUNC:	return EMSGSIZE;
	case NLE_SEQ_MISMATCH:	return EPROTO;
	case NLE_MSG_OVERFLOW:	return EMSGSIZE;
	case NLE_MSG_TOOSHORT:	return EBADMSG;
	case NLE_PARSE_ERR:	return EBADMSG;
	case NLE_MSGTYPE_NOSUPPORT: return EOPNOTSUPP;
	case NLE_PERM:		return EPERM;
	case NLE_NOACCESS:	return EACCES;
	case NLE_PROTO_MISMATCH: return EPROTONOSUPPORT;
	case NLE_BUSY:		return EBUSY;
	case NLE_NODEV:		return ENODEV;
	case NLE_IMMUTABLE:	return EROFS;
	default:		return EIO;
	}
}

static const struct nla_policy top_policy[MAILSHIELD_A_MAX + 1] = {
	[MAILSHIELD_A_POLICY]	= { .type = NLA_NESTED },
	[MAILSHIELD_A_STATS]	= { .type = NLA_NESTED },
	[MAILSHIELD_A_EVENT]	= { .type = NLA_NESTED },
	[MAILSHIELD_A_SOURCE]	= { .type = NLA_NESTED },
	[MAILSHIELD_A_ALLOWLIST] = { .type = NLA_NESTED },
};


const struct nla_policy *msh_nl_top_policy(void)
{
	return top_policy;
}

/* ---- request / ACK exchange ---------------------------------------- */

struct xact {
	struct msh_nl *nl;
	int (*parse)(struct nlattr **tb, void *arg);
	void *arg;
	int cmd;		/* expected reply command */
	int err;		/* negative errno from the kernel or parse */
	int done;
};

static int xact_valid(struct nl_msg *msg, void *arg)
{
	struct xact *x = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[MAILSHIELD_A_MAX + 1];
	int err;

	if (nlh->nlmsg_type != x->nl->family || !x->parse)
		return NL_SKIP;
	err = genlmsg_parse(nlh, 0, tb, MAILSHIELD_A_MAX, top_policy);
	if (err < 0) {
		if (!x->err)
			x->err = -EBADMSG;
		return NL_SKIP;
	}
	err = x->parse(tb, x->arg);
	if (err < 0 && !x->err)
		x->err = err;
	return NL_OK;
}

static int xact_ack(struct nl_msg *msg, void *arg)
{
	struct xact *x = arg;

	(void)msg;
	x->done = 1;
	return NL_STOP;
}

static int xact_finish(struct nl_msg *msg, void *arg)
{
	return xact_ack(msg, arg);
}

/*
 * The extended ACK attributes follow struct nlmsgerr and the echoed request
 * (only its header when the kernel set NLM_F_CAPPED).
 */
static void read_extack(struct msh_nl *nl, struct nlmsgerr *e)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t payload = sizeof(*e);
	int attrlen;

	nl->extack[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return;
		payload += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	if (NLMSG_HDRLEN + NLMSG_ALIGN(payload) > nlh->nlmsg_len)
		return;
	attrlen = (int)(nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(payload));
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)e + NLMSG_ALIGN(payload)),
		      attrlen, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0) {
		snprintf(nl->extack, sizeof(nl->extack), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
		/* nla_len counts the terminating NUL */
	} else if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
		   nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4) {
		snprintf(nl->extack, sizeof(nl->extack),
			 "missing attribute (type %u)",
			 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
	} else if (tb[NLMSGERR_ATTR_OFFS] &&
		   nla_len(tb[NLMSGERR_ATTR_OFFS]) >= 4) {
		snprintf(nl->extack, sizeof(nl->extack),
			 "invalid attribute at offset %u",
			 nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	}
}

static int xact_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct xact *x = arg;

	(void)nla;
	read_extack(x->nl, e);
	x->err = e->error < 0 ? e->error : -EIO;
	x->done = 1;
	return NL_STOP;
}

static int transact(struct msh_nl *nl, struct nl_msg *msg, int cmd,
		    int (*parse)(struct nlattr **, void *), void *arg)
{
	struct xact x = { .nl = nl, .parse = parse, .arg = arg, .cmd = cmd };
	struct nl_cb *cb;
	int ret;

	nl->extack[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, xact_valid, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, xact_ack, &x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, xact_finish, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, xact_error, &x);

	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return -nle_to_errno(ret);
	}
	while (!x.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !x.done) {
			if (ret == -NLE_INTR)
				continue;
			nl_cb_put(cb);
			return -nle_to_errno(ret);
		}
	}
	nl_cb_put(cb);
	return x.err;
}

struct nl_msg *msh_nl_new_request(struct msh_nl *nl, int cmd, int version)
{
	return msh_nl_new_request_size(nl, cmd, version, 0);
}

struct nl_msg *msh_nl_new_request_size(struct msh_nl *nl, int cmd,
				       int version, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_REQUEST | NLM_F_ACK, (uint8_t)cmd,
			 (uint8_t)version)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int msh_nl_transact(struct msh_nl *nl, struct nl_msg *msg)
{
	return transact(nl, msg, 0, NULL, NULL);
}

int msh_nl_request(struct msh_nl *nl, struct nl_msg *msg, int cmd,
		   int (*parse)(struct nlattr **tb, void *arg), void *arg)
{
	return transact(nl, msg, cmd, parse, arg);
}

/* ---- open / close --------------------------------------------------- */

static int new_socket(struct nl_sock **out)
{
	struct nl_sock *sk = nl_socket_alloc();
	int one = 1, ret;

	if (!sk)
		return -ENOMEM;
	ret = genl_connect(sk);
	if (ret < 0) {
		int saved = errno;

		nl_socket_free(sk);
		return saved ? -saved : -nle_to_errno(ret);
	}
	/* Ask for the kernel's error strings; harmless if unsupported. */
	(void)setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
			 &one, sizeof(one));
	*out = sk;
	return 0;
}

int msh_nl_open(struct msh_nl **out)
{
	return msh_nl_open_family(out, MAILSHIELD_GENL_NAME);
}

int msh_nl_open_family(struct msh_nl **out, const char *name)
{
	struct msh_nl *nl;
	int ret;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->name = name;
	nl->family = -1;
	nl->events_grp = -1;
	errno = 0;
	ret = new_socket(&nl->sk);
	if (ret < 0) {
		free(nl);
		return ret;
	}
	ret = msh_nl_reresolve(nl);
	if (ret < 0) {
		msh_nl_close(nl);
		return ret;
	}
	*out = nl;
	return 0;
}

int msh_nl_reresolve(struct msh_nl *nl)
{
	int id = genl_ctrl_resolve(nl->sk, nl->name);

	if (id < 0)
		return id == -NLE_OBJ_NOTFOUND ? -ENOENT : -nle_to_errno(id);
	nl->family = id;
	return 0;
}

void msh_nl_close(struct msh_nl *nl)
{
	if (!nl)
		return;
	if (nl->ev)
		nl_socket_free(nl->ev);
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl);
}

const char *msh_nl_extack(const struct msh_nl *nl)
{
	return nl->extack;
}

int msh_nl_family_id(const struct msh_nl *nl)
{
	return nl->family;
}

int msh_nl_family_version(struct msh_nl *nl, unsigned int *version)
{
	struct nl_cache *cache;
	struct genl_family *fam;
	int ret;

	ret = genl_ctrl_alloc_cache(nl->sk, &cache);
	if (ret < 0)
		return -nle_to_errno(ret);
	fam = genl_ctrl_search_by_name(cache, nl->name);
	if (!fam) {
		nl_cache_free(cache);
		return -ENOENT;
	}
	*version = genl_family_get_version(fam);
	genl_family_put(fam);
	nl_cache_free(cache);
	return 0;
}

/* ---- events --------------------------------------------------------- */

int msh_nl_events_open(struct msh_nl *nl)
{
	int ret, grp;

	if (nl->ev)
		return 0;
	errno = 0;
	ret = new_socket(&nl->ev);
	if (ret < 0)
		return ret;
	nl_socket_disable_seq_check(nl->ev);
	nl_socket_disable_auto_ack(nl->ev);
	(void)nl_socket_set_buffer_size(nl->ev, 1 << 20, 0);

	/* module load/unload notifications; optional */
	grp = genl_ctrl_resolve_grp(nl->sk, "nlctrl", "notify");
	if (grp >= 0)
		(void)nl_socket_add_membership(nl->ev, grp);

	ret = msh_nl_events_rejoin(nl);
	if (ret < 0)
		goto fail;
	ret = nl_socket_set_nonblocking(nl->ev);
	if (ret < 0) {
		ret = -nle_to_errno(ret);
		goto fail;
	}
	return 0;
fail:
	nl_socket_free(nl->ev);
	nl->ev = NULL;
	return ret;
}

int msh_nl_events_rejoin(struct msh_nl *nl)
{
	int grp, ret;

	grp = genl_ctrl_resolve_grp(nl->sk, nl->name, MAILSHIELD_MCGRP_EVENTS);
	if (grp < 0)
		return grp == -NLE_OBJ_NOTFOUND ? -ENOENT : -nle_to_errno(grp);
	ret = nl_socket_add_membership(nl->ev, grp);
	if (ret < 0)
		return -nle_to_errno(ret);
	nl->events_grp = grp;
	return 0;
}

int msh_nl_events_fd(const struct msh_nl *nl)
{
	return nl->ev ? nl_socket_get_fd(nl->ev) : -1;
}

/*
 * Reads every pending message of the event socket, calling @valid for
 * each. Returns 0 once nothing is left, or a negative errno (-ENOBUFS:
 * the socket overran and events were lost).
 */
int msh_nl_events_recv(struct msh_nl *nl,
		       int (*valid)(struct nl_msg *msg, void *arg), void *arg)
{
	struct nl_cb *ncb;
	int ret;

	if (!nl->ev)
		return -EBADF;
	ncb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ncb)
		return -ENOMEM;
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, valid, arg);
	for (;;) {
		/* > 0: bytes handled; 0: nothing left (EAGAIN) */
		ret = nl_recvmsgs_report(nl->ev, ncb);
		if (ret > 0)
			continue;
		if (ret == -NLE_INTR)
			continue;
		break;
	}
	nl_cb_put(ncb);
	if (ret == 0 || ret == -NLE_AGAIN)
		return 0;
	/* libnl maps ENOBUFS (socket overrun) to NLE_NOMEM */
	if (ret == -NLE_NOMEM)
		return -ENOBUFS;
	return -nle_to_errno(ret);
}
