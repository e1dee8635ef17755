// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * RCPT_BEGIN, RCPT_ADD, RCPT_COMMIT, RCPT_ABORT and GET_RECIPIENTS: the
 * recipient set of the requesting socket's namespace (recipients.h). The
 * handlers run under the genl mutex; the set has its own mutex as well,
 * so that it never depends on that. Requests are validated whole before
 * anything changes; every rejection carries an extack message.
 */

#include "netlink_recipients.h"
#include "events.h"
#include "netns.h"
#include "policy.h"
#include "recipients.h"

#include <asm/unaligned.h>
#include <net/netlink.h>

/*
 * The counts of BEGIN are u32 and checked against the policy's maximum
 * and MSH_RCPT_MAX_DOMAINS by msh_rcpt_begin() (NLA_POLICY_MAX cannot
 * hold such bounds in 6.1). Hash arrays are binary, a multiple of 8
 * octets, checked here. The attributes only a reply carries are rejected
 * in a request with a message of their own.
 */
#define MSH_NL_RCPT_REPLY_ONLY	{				\
	.type = NLA_REJECT,					\
	.reject_message = "attribute only found in replies",	\
}

static const struct nla_policy msh_nl_rcpt_policy[MAILSHIELD_RCPT_A_MAX + 1] = {
	[MAILSHIELD_RCPT_A_KEY] = NLA_POLICY_EXACT_LEN(MAILSHIELD_RCPT_KEY_LEN),
	[MAILSHIELD_RCPT_A_FLAGS] =
		NLA_POLICY_MASK(NLA_U32, MAILSHIELD_RCPT_F_CASE_SENSITIVE),
	[MAILSHIELD_RCPT_A_DELIMITERS] = {
		.type = NLA_BINARY, .len = MAILSHIELD_RCPT_DELIM_MAX,
	},
	[MAILSHIELD_RCPT_A_ADDRESSES] = { .type = NLA_U32 },
	[MAILSHIELD_RCPT_A_DOMAINS] = { .type = NLA_U32 },
	[MAILSHIELD_RCPT_A_CATCHALLS] = { .type = NLA_U32 },
	[MAILSHIELD_RCPT_A_HASHES] = NLA_POLICY_MIN_LEN(sizeof(u64)),
	[MAILSHIELD_RCPT_A_DOMAIN_HASHES] = NLA_POLICY_MIN_LEN(sizeof(u64)),
	[MAILSHIELD_RCPT_A_CATCHALL_HASHES] = NLA_POLICY_MIN_LEN(sizeof(u64)),
	[MAILSHIELD_RCPT_A_PAD] = MSH_NL_RCPT_REPLY_ONLY,
	[MAILSHIELD_RCPT_A_GENERATION] = MSH_NL_RCPT_REPLY_ONLY,
	[MAILSHIELD_RCPT_A_MEMORY] = MSH_NL_RCPT_REPLY_ONLY,
	[MAILSHIELD_RCPT_A_AGE] = MSH_NL_RCPT_REPLY_ONLY,
	[MAILSHIELD_RCPT_A_PENDING] = MSH_NL_RCPT_REPLY_ONLY,
};

const struct nla_policy msh_nl_rcpt_req_policy[MAILSHIELD_A_MAX + 1] = {
	[MAILSHIELD_A_RECIPIENTS] = NLA_POLICY_NESTED(msh_nl_rcpt_policy),
};

static const u16 msh_nl_rcpt_count_attr[MSH_RCPT_KINDS] = {
	[MSH_RCPT_ADDR]		= MAILSHIELD_RCPT_A_ADDRESSES,
	[MSH_RCPT_DOMAIN]	= MAILSHIELD_RCPT_A_DOMAINS,
	[MSH_RCPT_CATCHALL]	= MAILSHIELD_RCPT_A_CATCHALLS,
};

static const u16 msh_nl_rcpt_hash_attr[MSH_RCPT_KINDS] = {
	[MSH_RCPT_ADDR]		= MAILSHIELD_RCPT_A_HASHES,
	[MSH_RCPT_DOMAIN]	= MAILSHIELD_RCPT_A_DOMAIN_HASHES,
	[MSH_RCPT_CATCHALL]	= MAILSHIELD_RCPT_A_CATCHALL_HASHES,
};

/* A message made at run time (NL_SET_ERR_MSG*() take literals only). */
static void msh_nl_rcpt_err(struct netlink_ext_ack *extack,
			    const struct nlattr *attr, const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	NL_SET_BAD_ATTR(extack, attr);
}

/* The MAILSHIELD_A_RECIPIENTS nest of a request, parsed into tb. */
static int msh_nl_rcpt_parse(struct genl_info *info, struct nlattr **tb)
{
	struct netlink_ext_ack *extack = info->extack;

	if (GENL_REQ_ATTR_CHECK(info, MAILSHIELD_A_RECIPIENTS)) {
		NL_SET_ERR_MSG(extack, "missing recipients attribute");
		return -EINVAL;
	}
	return nla_parse_nested(tb, MAILSHIELD_RCPT_A_MAX,
				info->attrs[MAILSHIELD_A_RECIPIENTS],
				msh_nl_rcpt_policy, extack);
}

int msh_nl_rcpt_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[MAILSHIELD_RCPT_A_MAX + 1];
	struct msh_rcpt_cfg cfg = {};
	u32 n[MSH_RCPT_KINDS] = {};
	const struct nlattr *a;
	struct msh_policy p;
	const char *msg;
	int k, ret;

	ret = msh_nl_rcpt_parse(info, tb);
	if (ret)
		return ret;
	a = tb[MAILSHIELD_RCPT_A_KEY];
	if (!a) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[MAILSHIELD_A_RECIPIENTS],
				    "missing recipient hash key");
		return -EINVAL;
	}
	/* bytes 0..7 are k0, little endian (libsodium's crypto_shorthash) */
	cfg.key.key[0] = get_unaligned_le64(nla_data(a));
	cfg.key.key[1] = get_unaligned_le64((const u8 *)nla_data(a) + 8);
	if (tb[MAILSHIELD_RCPT_A_FLAGS])
		cfg.flags = nla_get_u32(tb[MAILSHIELD_RCPT_A_FLAGS]);
	a = tb[MAILSHIELD_RCPT_A_DELIMITERS];
	if (a) {
		cfg.ndelims = nla_len(a);
		memcpy(cfg.delims, nla_data(a), cfg.ndelims);
	}
	for (k = 0; k < MSH_RCPT_KINDS; k++) {
		a = tb[msh_nl_rcpt_count_attr[k]];
		n[k] = a ? nla_get_u32(a) : 0;
	}

	msh_policy_get(mn, &p);
	ret = msh_rcpt_begin(&mn->rcpt, &cfg, n, p.rcpt.max, &msg);
	if (!ret)
		mn->rcpt.owner = info->snd_portid;
	if (ret) {
		a = ret == -ENOMEM ? NULL :
		    n[MSH_RCPT_ADDR] > p.rcpt.max ?
		    tb[MAILSHIELD_RCPT_A_ADDRESSES] :
		    n[MSH_RCPT_DOMAIN] > MSH_RCPT_MAX_DOMAINS ?
		    tb[MAILSHIELD_RCPT_A_DOMAINS] :
		    tb[MAILSHIELD_RCPT_A_CATCHALLS];
		msh_nl_rcpt_err(extack, a, msg);
	}
	return ret;
}

/*
 * A generation begun by another socket is pending: it is that socket's to
 * fill, commit or abort (a new BEGIN may still replace it, as after an
 * uploader died half-way).
 */
static bool msh_nl_rcpt_foreign(struct msh_net *mn, struct genl_info *info)
{
	if (!mn->rcpt.owner || mn->rcpt.owner == info->snd_portid)
		return false;
	NL_SET_ERR_MSG(info->extack,
		       "a generation begun by another socket is pending");
	return true;
}

int msh_nl_rcpt_add(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));
	struct msh_rcpt_batch b[MSH_RCPT_KINDS] = {};
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[MAILSHIELD_RCPT_A_MAX + 1];
	enum msh_rcpt_kind bad;
	const struct nlattr *a;
	bool any = false;
	const char *msg;
	int k, ret;

	ret = msh_nl_rcpt_parse(info, tb);
	if (ret)
		return ret;
	if (msh_nl_rcpt_foreign(mn, info))
		return -EBUSY;
	for (k = 0; k < MSH_RCPT_KINDS; k++) {
		a = tb[msh_nl_rcpt_hash_attr[k]];
		if (!a)
			continue;
		if (nla_len(a) % sizeof(u64)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "hash array length not a multiple of 8");
			return -EINVAL;
		}
		b[k].data = nla_data(a);
		b[k].count = nla_len(a) / sizeof(u64);
		any = true;
	}
	if (!any) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[MAILSHIELD_A_RECIPIENTS],
				    "no hashes to add");
		return -EINVAL;
	}
	ret = msh_rcpt_add(&mn->rcpt, b, &bad, &msg);
	if (ret)
		msh_nl_rcpt_err(extack, bad < MSH_RCPT_KINDS ?
				tb[msh_nl_rcpt_hash_attr[bad]] : NULL, msg);
	return ret;
}

int msh_nl_rcpt_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));
	const char *msg;
	int ret;

	if (msh_nl_rcpt_foreign(mn, info))
		return -EBUSY;
	ret = msh_rcpt_commit(&mn->rcpt, &msg);
	if (ret)
		msh_nl_rcpt_err(info->extack, NULL, msg);
	else
		mn->rcpt.owner = 0;
	return ret;
}

int msh_nl_rcpt_abort(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));

	if (msh_nl_rcpt_foreign(mn, info))
		return -EBUSY;
	msh_rcpt_abort(&mn->rcpt);
	mn->rcpt.owner = 0;
	return 0;
}

static int msh_nl_put_rcpt_info(struct sk_buff *skb,
				const struct msh_rcpt_info *ri)
{
	struct nlattr *nest;
	int k;

	nest = nla_nest_start(skb, MAILSHIELD_A_RECIPIENTS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MAILSHIELD_RCPT_A_GENERATION, ri->generation) ||
	    nla_put_u64_64bit(skb, MAILSHIELD_RCPT_A_MEMORY, ri->bytes,
			      MAILSHIELD_RCPT_A_PAD) ||
	    nla_put_u8(skb, MAILSHIELD_RCPT_A_PENDING, ri->pending) ||
	    nla_put_u32(skb, MAILSHIELD_RCPT_A_FLAGS, ri->flags))
		goto err;
	for (k = 0; k < MSH_RCPT_KINDS; k++) {
		if (nla_put_u32(skb, msh_nl_rcpt_count_attr[k], ri->n[k]))
			goto err;
	}
	if (ri->loaded &&
	    (nla_put_u32(skb, MAILSHIELD_RCPT_A_AGE, ri->age_s) ||
	     nla_put(skb, MAILSHIELD_RCPT_A_DELIMITERS, ri->ndelims,
		     ri->delims)))
		goto err;
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int msh_nl_get_recipients(struct sk_buff *skb, struct genl_info *info)
{
	struct msh_net *mn = msh_net(genl_info_net(info));
	struct msh_rcpt_info ri;
	struct sk_buff *msg;
	void *hdr;

	msh_rcpt_get_info(&mn->rcpt, &ri);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, msh_events_family(), 0,
				MAILSHIELD_CMD_GET_RECIPIENTS);
	if (!hdr || msh_nl_put_rcpt_info(msg, &ri)) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG(info->extack, "reply does not fit");
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
