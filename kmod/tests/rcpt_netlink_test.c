// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient operations' handlers on init_net, with requests parsed
 * strictly against their nla_policy as the genl core does: rejections and
 * their extack messages, and a set uploaded with the shared vectors' key
 * that finds the vectors' hashes (key byte order).
 */

#include "../netlink_recipients.h"
#include "../netns.h"
#include "../recipients.h"
#include "../state.h"
#include "rcpt_vectors.h"

#include <kunit/test.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>

typedef int (*msh_rn_doit)(struct sk_buff *skb, struct genl_info *info);

struct msh_rn {
	struct sk_buff *req;
	struct nlattr *nest;
	const char *msg;
	u32 portid;		/* the requesting socket's */
};

/* Starts a request whose MAILSHIELD_A_RECIPIENTS nest gets attributes. */
static void msh_rn_new(struct kunit *test)
{
	struct msh_rn *r = test->priv;

	kfree_skb(r->req);
	r->req = alloc_skb(4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->req);
	r->nest = nla_nest_start(r->req, MAILSHIELD_A_RECIPIENTS);
	KUNIT_ASSERT_NOT_NULL(test, r->nest);
}

static int msh_rn_run(struct kunit *test, msh_rn_doit doit)
{
	struct nlattr *attrs[MAILSHIELD_A_MAX + 1];
	struct msh_rn *r = test->priv;
	struct netlink_ext_ack ext = {};
	struct genl_info info = {};
	int ret;

	nla_nest_end(r->req, r->nest);
	ret = __nla_parse(attrs, MAILSHIELD_A_MAX,
			  (const struct nlattr *)r->req->data, r->req->len,
			  msh_nl_rcpt_req_policy, NL_VALIDATE_STRICT, &ext);
	if (!ret) {
		info.attrs = attrs;
		info.extack = &ext;
		info.snd_portid = r->portid;
		genl_info_net_set(&info, &init_net);
		ret = doit(NULL, &info);
	}
	r->msg = ext._msg;
	return ret;
}

static void msh_rn_key(struct kunit *test, unsigned int len)
{
	struct msh_rn *r = test->priv;

	KUNIT_ASSERT_EQ(test, nla_put(r->req, MAILSHIELD_RCPT_A_KEY, len,
				      msh_rcpt_vector_key), 0);
}

static void msh_rn_u32(struct kunit *test, int type, u32 v)
{
	KUNIT_ASSERT_EQ(test, nla_put_u32(((struct msh_rn *)test->priv)->req,
					  type, v), 0);
}

static void msh_rn_bin(struct kunit *test, int type, const void *p,
		       unsigned int len)
{
	KUNIT_ASSERT_EQ(test, nla_put(((struct msh_rn *)test->priv)->req,
				      type, len, p), 0);
}

/* A rejection with a message. */
static void msh_rn_rejects(struct kunit *test, msh_rn_doit doit,
			   const char *what)
{
	struct msh_rn *r = test->priv;

	KUNIT_EXPECT_LT_MSG(test, msh_rn_run(test, doit), 0, "%s", what);
	KUNIT_EXPECT_NOT_NULL_MSG(test, r->msg, "%s: no extack message", what);
}

static void msh_rn_test_ops(struct kunit *test)
{
	struct msh_rcpt_net *rn = &msh_net(&init_net)->rcpt;
	const struct msh_rcpt_vector *v = &msh_rcpt_vectors[0];
	const struct msh_rcpt_set *s;
	struct msh_rn *r = test->priv;
	u64 two[2] = { 1, 2 };
	bool addr, dom;

	KUNIT_ASSERT_TRUE(test, v->hashed);
	msh_rn_new(test);
	msh_rn_rejects(test, msh_nl_rcpt_begin, "begin without a key");
	msh_rn_new(test);
	msh_rn_key(test, 15);
	msh_rn_rejects(test, msh_nl_rcpt_begin, "15-octet key");
	msh_rn_new(test);
	msh_rn_key(test, 16);
	msh_rn_u32(test, MAILSHIELD_RCPT_A_FLAGS, 2);
	msh_rn_rejects(test, msh_nl_rcpt_begin, "unknown flag");
	msh_rn_new(test);
	msh_rn_key(test, 16);
	msh_rn_bin(test, MAILSHIELD_RCPT_A_DELIMITERS, "+-=_.~#%!", 9);
	msh_rn_rejects(test, msh_nl_rcpt_begin, "9 delimiters");
	msh_rn_new(test);
	msh_rn_key(test, 16);
	msh_rn_u32(test, MAILSHIELD_RCPT_A_GENERATION, 1);
	msh_rn_rejects(test, msh_nl_rcpt_begin, "reply-only attribute");
	KUNIT_EXPECT_STREQ(test, r->msg, "attribute only found in replies");
	msh_rn_new(test);
	msh_rn_key(test, 16);
	msh_rn_u32(test, MAILSHIELD_RCPT_A_DOMAINS, MSH_RCPT_MAX_DOMAINS + 1);
	msh_rn_rejects(test, msh_nl_rcpt_begin, "too many domains");

	msh_rn_new(test);
	msh_rn_bin(test, MAILSHIELD_RCPT_A_HASHES, two, sizeof(two));
	msh_rn_rejects(test, msh_nl_rcpt_add, "add before begin");
	KUNIT_EXPECT_LT(test, msh_rn_run(test, msh_nl_rcpt_commit), 0);

	msh_rn_new(test);
	msh_rn_key(test, 16);
	msh_rn_bin(test, MAILSHIELD_RCPT_A_DELIMITERS, "+", 1);
	msh_rn_u32(test, MAILSHIELD_RCPT_A_ADDRESSES, 1);
	msh_rn_u32(test, MAILSHIELD_RCPT_A_DOMAINS, 1);
	KUNIT_ASSERT_EQ(test, msh_rn_run(test, msh_nl_rcpt_begin), 0);

	msh_rn_new(test);
	msh_rn_rejects(test, msh_nl_rcpt_add, "add of nothing");
	msh_rn_new(test);
	msh_rn_bin(test, MAILSHIELD_RCPT_A_HASHES, two, 12);
	msh_rn_rejects(test, msh_nl_rcpt_add, "12-octet hash array");
	msh_rn_new(test);
	msh_rn_bin(test, MAILSHIELD_RCPT_A_HASHES, two, sizeof(two));
	msh_rn_rejects(test, msh_nl_rcpt_add, "more than announced");
	msh_rn_new(test);
	msh_rn_bin(test, MAILSHIELD_RCPT_A_HASHES, &v->addr, sizeof(u64));
	msh_rn_bin(test, MAILSHIELD_RCPT_A_DOMAIN_HASHES, &v->dom, sizeof(u64));
	KUNIT_ASSERT_EQ(test, msh_rn_run(test, msh_nl_rcpt_add), 0);
	KUNIT_ASSERT_EQ(test, msh_rn_run(test, msh_nl_rcpt_commit), 0);
	msh_rn_rejects(test, msh_nl_rcpt_commit, "second commit");
	KUNIT_EXPECT_EQ(test, msh_rn_run(test, msh_nl_rcpt_abort), 0);

	/* the key arrived in the vectors' byte order */
	rcu_read_lock();
	s = msh_rcpt_running(rn);
	addr = s && msh_rcpt_has(s, MSH_RCPT_ADDR, v->addr);
	dom = s && msh_rcpt_has(s, MSH_RCPT_DOMAIN, v->dom);
	if (s)
		KUNIT_EXPECT_EQ(test, s->cfg.key.key[0], 0x0706050403020100ULL);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, addr);
	KUNIT_EXPECT_TRUE(test, dom);
	KUNIT_EXPECT_NULL(test, r->msg);
}

/* Only the socket that began a generation fills, commits or aborts it. */
static void msh_rn_test_owner(struct kunit *test)
{
	const struct msh_rcpt_vector *v = &msh_rcpt_vectors[0];
	struct msh_rn *r = test->priv;

	r->portid = 100;
	msh_rn_new(test);
	msh_rn_key(test, 16);
	msh_rn_u32(test, MAILSHIELD_RCPT_A_ADDRESSES, 1);
	KUNIT_ASSERT_EQ(test, msh_rn_run(test, msh_nl_rcpt_begin), 0);

	r->portid = 200;
	msh_rn_new(test);
	msh_rn_bin(test, MAILSHIELD_RCPT_A_HASHES, &v->addr, sizeof(u64));
	KUNIT_EXPECT_EQ(test, msh_rn_run(test, msh_nl_rcpt_add), -EBUSY);
	KUNIT_EXPECT_STREQ(test, r->msg,
			   "a generation begun by another socket is pending");
	KUNIT_EXPECT_EQ(test, msh_rn_run(test, msh_nl_rcpt_commit), -EBUSY);
	KUNIT_EXPECT_EQ(test, msh_rn_run(test, msh_nl_rcpt_abort), -EBUSY);

	r->portid = 100;
	KUNIT_EXPECT_EQ(test, msh_rn_run(test, msh_nl_rcpt_add), 0);
	KUNIT_EXPECT_EQ(test, msh_rn_run(test, msh_nl_rcpt_commit), 0);

	/* a new BEGIN from another socket replaces a pending generation */
	msh_rn_new(test);
	msh_rn_key(test, 16);
	msh_rn_u32(test, MAILSHIELD_RCPT_A_ADDRESSES, 1);
	KUNIT_ASSERT_EQ(test, msh_rn_run(test, msh_nl_rcpt_begin), 0);
	r->portid = 300;
	msh_rn_new(test);
	msh_rn_key(test, 16);
	KUNIT_ASSERT_EQ(test, msh_rn_run(test, msh_nl_rcpt_begin), 0);
	KUNIT_EXPECT_EQ(test, msh_rn_run(test, msh_nl_rcpt_commit), 0);
	r->portid = 0;
}

static int msh_rn_init(struct kunit *test)
{
	struct msh_rn *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	test->priv = r;
	return 0;
}

static void msh_rn_exit(struct kunit *test)
{
	struct msh_rcpt_net *rn = &msh_net(&init_net)->rcpt;
	struct msh_rn *r = test->priv;
	struct msh_rcpt_set *old;

	kfree_skb(r->req);
	msh_rcpt_abort(rn);
	rn->owner = 0;
	mutex_lock(&rn->lock);
	old = rcu_replace_pointer(rn->set, NULL, lockdep_is_held(&rn->lock));
	mutex_unlock(&rn->lock);
	if (old)
		kvfree_rcu(old, rcu);
}

static bool msh_rn_own_netns;

/* As rcpt_conn_test.c: the suites may run before the module's init. */
static int msh_rn_suite_init(struct kunit_suite *suite)
{
	int ret;

	if (THIS_MODULE->state == MODULE_STATE_LIVE)
		return 0;
	ret = msh_netns_init();
	msh_rn_own_netns = !ret;
	return ret;
}

static void msh_rn_suite_exit(struct kunit_suite *suite)
{
	if (msh_rn_own_netns)
		msh_netns_uninit();
	msh_rn_own_netns = false;
}

static struct kunit_case msh_rcpt_netlink_test_cases[] = {
	KUNIT_CASE(msh_rn_test_ops),
	KUNIT_CASE(msh_rn_test_owner),
	{}
};

static struct kunit_suite msh_rcpt_netlink_test_suite = {
	.name = "mailshield-rcpt-netlink",
	.suite_init = msh_rn_suite_init,
	.suite_exit = msh_rn_suite_exit,
	.init = msh_rn_init,
	.exit = msh_rn_exit,
	.test_cases = msh_rcpt_netlink_test_cases,
};

kunit_test_suite(msh_rcpt_netlink_test_suite);
