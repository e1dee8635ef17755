// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Allowlist: CIDR matching for both families, validation messages,
 * replace-all semantics and bounds.
 */

#include "../allowlist.h"

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include <linux/socket.h>

static struct msh_cidr cidr(const char *s, u8 plen)
{
	struct msh_cidr c = { .prefix_len = plen };

	if (strchr(s, ':')) {
		c.family = AF_INET6;
		WARN_ON(in6_pton(s, -1, c.addr.in6.s6_addr, -1, NULL) != 1);
	} else {
		c.family = AF_INET;
		WARN_ON(in4_pton(s, -1, (u8 *)&c.addr.ip, -1, NULL) != 1);
	}
	return c;
}

static bool match(struct msh_allowlist *al, const char *s)
{
	struct msh_cidr c = cidr(s, 1);
	bool hit;

	rcu_read_lock();
	hit = msh_allowlist_match(al, c.family, &c.addr);
	rcu_read_unlock();
	return hit;
}

static int msh_alt_init(struct kunit *test)
{
	test->priv = msh_allowlist_create();
	return test->priv ? 0 : -ENOMEM;
}

static void msh_alt_exit(struct kunit *test)
{
	msh_allowlist_destroy(test->priv);
}

static void msh_alt_match(struct kunit *test)
{
	struct msh_allowlist *al = test->priv;
	const struct msh_cidr list[] = {
		cidr("192.0.2.0", 24),
		cidr("198.51.100.7", 32),
		cidr("10.0.0.0", 8),
		cidr("2001:db8:10::", 48),
		cidr("2001:db8::25", 128),
	};
	const struct msh_cidr half[] = { cidr("128.0.0.0", 1) };
	unsigned int bad;
	const char *msg = NULL;

	/* empty list matches nothing */
	KUNIT_EXPECT_FALSE(test, match(al, "192.0.2.1"));
	KUNIT_EXPECT_FALSE(test, match(al, "2001:db8::25"));

	KUNIT_ASSERT_EQ(test, msh_allowlist_replace(al, list, ARRAY_SIZE(list),
						    &bad, &msg), 0);
	KUNIT_EXPECT_EQ(test, msh_allowlist_count(al), 5U);

	KUNIT_EXPECT_TRUE(test, match(al, "192.0.2.0"));
	KUNIT_EXPECT_TRUE(test, match(al, "192.0.2.255"));
	KUNIT_EXPECT_FALSE(test, match(al, "192.0.3.0"));
	KUNIT_EXPECT_TRUE(test, match(al, "198.51.100.7"));
	KUNIT_EXPECT_FALSE(test, match(al, "198.51.100.6"));
	KUNIT_EXPECT_TRUE(test, match(al, "10.255.255.255"));
	KUNIT_EXPECT_FALSE(test, match(al, "11.0.0.0"));
	KUNIT_EXPECT_TRUE(test, match(al, "2001:db8:10::1"));
	KUNIT_EXPECT_TRUE(test, match(al, "2001:db8:10:ffff:ffff:ffff:ffff:ffff"));
	KUNIT_EXPECT_FALSE(test, match(al, "2001:db8:11::"));
	KUNIT_EXPECT_TRUE(test, match(al, "2001:db8::25"));
	KUNIT_EXPECT_FALSE(test, match(al, "2001:db8::26"));
	/* families never mix: ::ffff:c000:201 is not 192.0.2.1 */
	KUNIT_EXPECT_FALSE(test, match(al, "::ffff:192.0.2.1"));
	KUNIT_EXPECT_FALSE(test, match(al, "c000:0201::"));
	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, msh_allowlist_match(al, AF_UNSPEC,
						     &list[0].addr));
	rcu_read_unlock();

	/* /1 covers the upper half of the IPv4 space */
	KUNIT_ASSERT_EQ(test, msh_allowlist_replace(al, half, 1, &bad, &msg),
			0);
	KUNIT_EXPECT_TRUE(test, match(al, "128.0.0.0"));
	KUNIT_EXPECT_TRUE(test, match(al, "255.255.255.255"));
	KUNIT_EXPECT_FALSE(test, match(al, "127.255.255.255"));
	KUNIT_EXPECT_FALSE(test, match(al, "2001:db8::25"));
}

static void msh_alt_validation(struct kunit *test)
{
	struct msh_cidr c;
	const char *msg;

	c = cidr("192.0.2.1", 24);
	msg = NULL;
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), -EINVAL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, msg);
	KUNIT_EXPECT_NOT_NULL(test, strstr(msg, "host bits"));

	c = cidr("2001:db8::1", 64);
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), -EINVAL);
	c = cidr("2001:db8:0:0:8000::", 64);
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), -EINVAL);
	c = cidr("2001:db8:0:0:8000::", 65);
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), 0);

	c = cidr("192.0.2.0", 33);
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), -EINVAL);
	c = cidr("0.0.0.0", 0);
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), -EINVAL);
	c = cidr("2001:db8::", 129);
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), -EINVAL);
	c = cidr("::", 0);
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), -EINVAL);
	c = cidr("192.0.2.0", 24);
	c.family = AF_UNIX;
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), -EINVAL);

	c = cidr("192.0.2.128", 25);
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), 0);
	c = cidr("2001:db8::1", 128);
	KUNIT_EXPECT_EQ(test, msh_allowlist_check(&c, &msg), 0);
}

static void msh_alt_replace_all(struct kunit *test)
{
	struct msh_allowlist *al = test->priv;
	const struct msh_cidr first[] = {
		cidr("192.0.2.0", 24), cidr("2001:db8::", 32),
	};
	const struct msh_cidr bad_host[] = {
		cidr("203.0.113.0", 24), cidr("198.51.100.1", 24),
	};
	const struct msh_cidr dup[] = {
		cidr("203.0.113.0", 24), cidr("203.0.113.0", 24),
	};
	const struct msh_cidr second[] = { cidr("203.0.113.0", 24) };
	struct msh_cidr out[4];
	unsigned int bad;
	const char *msg;

	KUNIT_ASSERT_EQ(test, msh_allowlist_replace(al, first, 2, &bad, &msg),
			0);
	KUNIT_EXPECT_EQ(test, msh_allowlist_get(al, out, ARRAY_SIZE(out)), 2U);
	KUNIT_EXPECT_EQ(test, out[0].family, AF_INET);
	KUNIT_EXPECT_EQ(test, out[0].prefix_len, 24);
	KUNIT_EXPECT_EQ(test, out[0].addr.ip, first[0].addr.ip);
	KUNIT_EXPECT_EQ(test, out[1].family, AF_INET6);
	KUNIT_EXPECT_EQ(test, out[1].prefix_len, 32);

	/* a rejected list changes nothing and names the bad entry */
	msg = NULL;
	KUNIT_EXPECT_EQ(test, msh_allowlist_replace(al, bad_host, 2, &bad,
						    &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad, 1U);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, msg);
	KUNIT_EXPECT_EQ(test, msh_allowlist_replace(al, dup, 2, &bad, &msg),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, bad, 1U);
	KUNIT_EXPECT_TRUE(test, match(al, "192.0.2.9"));
	KUNIT_EXPECT_FALSE(test, match(al, "203.0.113.9"));

	/* a good one replaces everything */
	KUNIT_ASSERT_EQ(test, msh_allowlist_replace(al, second, 1, &bad, &msg),
			0);
	KUNIT_EXPECT_FALSE(test, match(al, "192.0.2.9"));
	KUNIT_EXPECT_FALSE(test, match(al, "2001:db8::1"));
	KUNIT_EXPECT_TRUE(test, match(al, "203.0.113.9"));

	/* and an empty one clears it */
	KUNIT_ASSERT_EQ(test, msh_allowlist_replace(al, NULL, 0, &bad, &msg),
			0);
	KUNIT_EXPECT_EQ(test, msh_allowlist_count(al), 0U);
	KUNIT_EXPECT_FALSE(test, match(al, "203.0.113.9"));
}

static void msh_alt_bounds(struct kunit *test)
{
	struct msh_allowlist *al = test->priv;
	struct msh_allowlist_set *set;
	struct msh_cidr *list, c;
	unsigned int i, bad;
	const char *msg;

	list = kunit_kcalloc(test, MSH_ALLOWLIST_MAX + 1, sizeof(*list),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, list);
	/* 128 IPv4 /32 and 128 IPv6 /64: exactly the maximum */
	for (i = 0; i < MSH_ALLOWLIST_MAX; i++) {
		if (i & 1) {
			list[i] = cidr("2001:db8::", 64);
			list[i].addr.in6.s6_addr16[3] = htons(i);
		} else {
			list[i] = cidr("10.0.0.0", 32);
			list[i].addr.ip = htonl(0x0a000000 + i);
		}
	}
	KUNIT_ASSERT_EQ(test, msh_allowlist_replace(al, list, MSH_ALLOWLIST_MAX,
						    &bad, &msg), 0);
	KUNIT_EXPECT_EQ(test, msh_allowlist_count(al), MSH_ALLOWLIST_MAX);
	KUNIT_EXPECT_TRUE(test, match(al, "10.0.0.254"));
	KUNIT_EXPECT_FALSE(test, match(al, "10.0.0.255"));
	KUNIT_EXPECT_TRUE(test, match(al, "2001:db8:0:ff::1"));
	KUNIT_EXPECT_FALSE(test, match(al, "2001:db8:0:fe::1"));

	list[MSH_ALLOWLIST_MAX] = cidr("192.0.2.0", 24);
	KUNIT_EXPECT_EQ(test, msh_allowlist_replace(al, list,
						    MSH_ALLOWLIST_MAX + 1,
						    &bad, &msg), -E2BIG);
	KUNIT_EXPECT_EQ(test, msh_allowlist_count(al), MSH_ALLOWLIST_MAX);

	/* the builder refuses more entries than it was sized for */
	set = msh_allowlist_set_alloc(1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, set);
	c = cidr("192.0.2.0", 24);
	KUNIT_EXPECT_EQ(test, msh_allowlist_set_add(set, &c, &msg), 0);
	c = cidr("2001:db8::", 32);
	KUNIT_EXPECT_EQ(test, msh_allowlist_set_add(set, &c, &msg), -E2BIG);
	msh_allowlist_commit(al, set);
	KUNIT_EXPECT_EQ(test, msh_allowlist_count(al), 1U);
	KUNIT_EXPECT_TRUE(test, match(al, "192.0.2.1"));
	KUNIT_EXPECT_TRUE(test, IS_ERR(msh_allowlist_set_alloc(257)));
}

static struct kunit_case msh_allowlist_test_cases[] = {
	KUNIT_CASE(msh_alt_match),
	KUNIT_CASE(msh_alt_validation),
	KUNIT_CASE(msh_alt_replace_all),
	KUNIT_CASE(msh_alt_bounds),
	{}
};

static struct kunit_suite msh_allowlist_test_suite = {
	.name = "mailshield-allowlist",
	.init = msh_alt_init,
	.exit = msh_alt_exit,
	.test_cases = msh_allowlist_test_cases,
};

kunit_test_suite(msh_allowlist_test_suite);
