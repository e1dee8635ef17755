// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * libnl client for the "mailshield" generic netlink family.
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

static const struct nla_policy policy_policy[MAILSHIELD_POLICY_A_MAX + 1] = {
	[MAILSHIELD_POLICY_A_ENABLED]	= { .type = NLA_U8 },
	[MAILSHIELD_POLICY_A_PORTS]	= { .type = NLA_NESTED },
};

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

static int parse_policy(struct nlattr *nest, struct msh_policy *p)
{
	struct nlattr *tb[MAILSHIELD_POLICY_A_MAX + 1];
	struct nlattr *pos;
	int rem, err;

	memset(p, 0, sizeof(*p));
	err = nla_parse_nested(tb, MAILSHIELD_POLICY_A_MAX, nest,
			       policy_policy);
	if (err < 0)
		return -EBADMSG;
	if (tb[MAILSHIELD_POLICY_A_ENABLED]) {
		p->has_enabled = true;
		p->enabled = nla_get_u8(tb[MAILSHIELD_POLICY_A_ENABLED]) != 0;
	}
	/* connection admission (admit.c) */
	msh_admit_parse_policy(tb, &p->admit);
	/* SMTP inspection (smtp.c) */
	msh_smtp_parse_policy(tb, &p->smtp);
	if (tb[MAILSHIELD_POLICY_A_PORTS]) {
		p->has_ports = true;
		nla_for_each_nested(pos, tb[MAILSHIELD_POLICY_A_PORTS], rem) {
			if (nla_type(pos) != MAILSHIELD_PORT_A_PORT)
				continue;
			if (nla_len(pos) < (int)sizeof(uint16_t))
				return -EBADMSG;
			if (p->nports == MAILSHIELD_MAX_PORTS)
				return -EBADMSG;
			p->ports[p->nports++] = nla_get_u16(pos);
		}
	}
	return 0;
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

static struct nl_msg *new_request(struct msh_nl *nl, int cmd)
{
	return msh_nl_new_request(nl, cmd, MAILSHIELD_GENL_VERSION);
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

	init_stats_policy();
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

/* ---- operations ----------------------------------------------------- */

static int parse_policy_reply(struct nlattr **tb, void *arg)
{
	if (!tb[MAILSHIELD_A_POLICY])
		return -EBADMSG;
	return parse_policy(tb[MAILSHIELD_A_POLICY], arg);
}

int msh_nl_get_policy(struct msh_nl *nl, struct msh_policy *p)
{
	struct nl_msg *msg = new_request(nl, MAILSHIELD_CMD_GET_POLICY);
	int ret;

	if (!msg)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	ret = transact(nl, msg, MAILSHIELD_CMD_GET_POLICY,
		       parse_policy_reply, p);
	nlmsg_free(msg);
	if (!ret && !p->has_enabled && !p->has_ports)
		ret = -EBADMSG;	/* no reply carried a policy */
	return ret;
}

int msh_nl_put_policy(struct nl_msg *msg, const struct msh_policy *p)
{
	struct nlattr *pol, *ports;
	unsigned int i;

	pol = nla_nest_start(msg, MAILSHIELD_A_POLICY);
	if (!pol)
		return -EMSGSIZE;
	if (p->has_enabled &&
	    nla_put_u8(msg, MAILSHIELD_POLICY_A_ENABLED, p->enabled ? 1 : 0))
		return -EMSGSIZE;
	if (p->has_ports) {
		ports = nla_nest_start(msg, MAILSHIELD_POLICY_A_PORTS);
		if (!ports)
			return -EMSGSIZE;
		for (i = 0; i < p->nports; i++)
			if (nla_put_u16(msg, MAILSHIELD_PORT_A_PORT,
					p->ports[i]))
				return -EMSGSIZE;
		nla_nest_end(msg, ports);
	}
	/* connection admission (admit.c) */
	if (msh_admit_put_policy(msg, &p->admit))
		return -EMSGSIZE;
	/* SMTP inspection (smtp.c) */
	if (msh_smtp_put_policy(msg, &p->smtp))
		return -EMSGSIZE;
	nla_nest_end(msg, pol);
	return 0;
}

int msh_nl_set_policy(struct msh_nl *nl, const struct msh_policy *p)
{
	struct nl_msg *msg = new_request(nl, MAILSHIELD_CMD_SET_POLICY);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = msh_nl_put_policy(msg, p);
	if (!ret)
		ret = transact(nl, msg, MAILSHIELD_CMD_SET_POLICY, NULL, NULL);
	nlmsg_free(msg);
	return ret;
}

struct stats_arg {
	struct msh_stats *s;
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
	/* SMTP inspection (smtp.c) */
	msh_smtp_parse_reasons(st[MAILSHIELD_STATS_A_VIOLATION_REASONS],
			       sa->s->reasons);
	sa->seen = 1;
	return 0;
}

int msh_nl_get_stats(struct msh_nl *nl, struct msh_stats *s)
{
	struct nl_msg *msg = new_request(nl, MAILSHIELD_CMD_GET_STATS);
	struct stats_arg sa = { .s = s };
	int ret;

	if (!msg)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	ret = transact(nl, msg, MAILSHIELD_CMD_GET_STATS,
		       parse_stats_reply, &sa);
	nlmsg_free(msg);
	if (!ret && !sa.seen)
		ret = -EBADMSG;
	return ret;
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
	if (genlmsg_parse(nlh, 0, tb, MAILSHIELD_A_MAX, top_policy) < 0)
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
	/* BAN / UNBAN (admit.c) */
	msh_admit_parse_event(et, &ev->ban);
	/* VIOLATION (smtp.c) */
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
	int ret = msh_nl_parse_event(msg, ea->nl->family, &ev);

	if (ret < 0)
		ea->bad++;
	else if (ret > 0)
		ea->cb(&ev, ea->arg);
	return NL_OK;
}

int msh_nl_events_read(struct msh_nl *nl, msh_event_cb cb, void *arg)
{
	struct ev_arg ea = { .nl = nl, .cb = cb, .arg = arg };
	struct nl_cb *ncb;
	int ret;

	if (!nl->ev)
		return -EBADF;
	ncb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ncb)
		return -ENOMEM;
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, ev_valid, &ea);
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
		return ea.bad ? -EBADMSG : 0;
	/* libnl maps ENOBUFS (socket overrun) to NLE_NOMEM */
	if (ret == -NLE_NOMEM)
		return -ENOBUFS;
	return -nle_to_errno(ret);
}
