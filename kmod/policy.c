// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 */

#include "policy.h"
#include "netns.h"

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <linux/sort.h>
#include <linux/string.h>

static const u16 msh_default_ports[] = { 25, 465, 587 };

static void msh_policy_copy(struct msh_policy *dst,
			    const struct msh_policy *src)
{
	dst->enabled = src->enabled;
	dst->nports = src->nports;
	memcpy(dst->ports, src->ports, sizeof(dst->ports));
	dst->smtp = src->smtp;
	dst->admit = src->admit;
	dst->rcpt = src->rcpt;
}

void msh_policy_init_default(struct msh_policy *p)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->enabled = true;
	p->nports = ARRAY_SIZE(msh_default_ports);
	for (i = 0; i < ARRAY_SIZE(msh_default_ports); i++)
		p->ports[i] = msh_default_ports[i];
	msh_smtp_policy_default(&p->smtp);
	msh_admit_policy_default(&p->admit);
	msh_rcpt_policy_default(&p->rcpt);
}

/**
 * msh_policy_check_ports - validate a requested set of protected ports
 * @ports: the ports, in request order
 * @n: number of entries in @ports
 * @bad_idx: set to the index of the offending entry, or MSH_POLICY_NO_INDEX
 * @msg: set to a message suitable for extack on error
 *
 * Return: 0 if the set is valid, a negative errno otherwise.
 */
int msh_policy_check_ports(const u16 *ports, unsigned int n,
			   unsigned int *bad_idx, const char **msg)
{
	unsigned int i, j;

	*bad_idx = MSH_POLICY_NO_INDEX;

	if (!n) {
		*msg = "at least one port is required";
		return -EINVAL;
	}
	if (n > MAILSHIELD_MAX_PORTS) {
		*bad_idx = MAILSHIELD_MAX_PORTS;
		*msg = "too many ports (maximum "
		       __stringify(MAILSHIELD_MAX_PORTS) ")";
		return -E2BIG;
	}

	for (i = 0; i < n; i++) {
		if (!ports[i]) {
			*bad_idx = i;
			*msg = "port 0 is not valid";
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (ports[j] == ports[i]) {
				*bad_idx = i;
				*msg = "duplicate port";
				return -EINVAL;
			}
		}
	}

	return 0;
}

static int msh_port_cmp(const void *a, const void *b)
{
	return (int)*(const u16 *)a - (int)*(const u16 *)b;
}

/**
 * msh_policy_apply - apply a change to a policy
 * @p: the policy to change
 * @u: the change; absent fields keep the values in @p
 * @bad_idx: set to the index of an offending port, or MSH_POLICY_NO_INDEX
 * @msg: set to a message suitable for extack on error
 *
 * The whole change is validated first: on error @p is left untouched.
 *
 * Return: 0 on success, a negative errno otherwise.
 */
int msh_policy_apply(struct msh_policy *p, const struct msh_policy_update *u,
		     unsigned int *bad_idx, const char **msg)
{
	int ret;

	*bad_idx = MSH_POLICY_NO_INDEX;

	if (u->set_ports) {
		ret = msh_policy_check_ports(u->ports, u->nports, bad_idx, msg);
		if (ret)
			return ret;
	}

	/* Validates the admission fields as a whole, then applies them. */
	if (u->admit.set) {
		enum msh_admit_field f;

		ret = msh_admit_policy_apply(&p->admit, &u->admit, &f, msg);
		if (ret) {
			*bad_idx = MSH_POLICY_ADMIT_BASE + f;
			return ret;
		}
	}

	if (u->set_enabled)
		p->enabled = u->enabled;

	if (u->set_ports) {
		p->nports = u->nports;
		memcpy(p->ports, u->ports, u->nports * sizeof(p->ports[0]));
		memset(p->ports + u->nports, 0,
		       (MAILSHIELD_MAX_PORTS - u->nports) * sizeof(p->ports[0]));
		sort(p->ports, p->nports, sizeof(p->ports[0]), msh_port_cmp,
		     NULL);
	}

	/* SMTP inspection: the netlink policy validated each value */
	msh_smtp_policy_apply(&p->smtp, &u->smtp);

	return 0;
}

int msh_policy_net_init(struct msh_net *mn)
{
	struct msh_policy *p;

	mutex_init(&mn->policy_lock);

	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	msh_policy_init_default(p);
	/*
	 * On in the initial namespace; any other opts in (one SET_POLICY
	 * with enabled on), so a namespace that never carries mail costs
	 * nothing (netns.h).
	 */
	p->enabled = net_eq(mn->net, &init_net);
	RCU_INIT_POINTER(mn->policy, p);
	return 0;
}

/* Called once the hooks are gone: nothing can read the policy any more. */
void msh_policy_net_exit(struct msh_net *mn)
{
	kfree(rcu_dereference_protected(mn->policy, true));
	RCU_INIT_POINTER(mn->policy, NULL);
	mutex_destroy(&mn->policy_lock);
}

/**
 * msh_policy_set - change the running policy of a network namespace
 * @mn: the namespace's state
 * @u: the change
 * @result: if not NULL, receives a copy of the new policy on success
 * @bad_idx: set to the index of an offending port, or MSH_POLICY_NO_INDEX
 * @msg: set to a message suitable for extack on error
 *
 * Process context only. On error the running policy is unchanged.
 *
 * Return: 0 on success, a negative errno otherwise.
 */
int msh_policy_set(struct msh_net *mn, const struct msh_policy_update *u,
		   struct msh_policy *result, unsigned int *bad_idx,
		   const char **msg)
{
	struct msh_policy *old, *new;
	int ret;

	*bad_idx = MSH_POLICY_NO_INDEX;

	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new) {
		*msg = "out of memory";
		return -ENOMEM;
	}

	mutex_lock(&mn->policy_lock);
	old = rcu_dereference_protected(mn->policy,
					lockdep_is_held(&mn->policy_lock));
	msh_policy_copy(new, old);
	ret = msh_policy_apply(new, u, bad_idx, msg);
	if (ret) {
		mutex_unlock(&mn->policy_lock);
		kfree(new);
		return ret;
	}
	rcu_assign_pointer(mn->policy, new);
	if (result)
		msh_policy_copy(result, new);
	mutex_unlock(&mn->policy_lock);

	kfree_rcu(old, rcu);
	return 0;
}

/* Copies the running policy; any context. */
void msh_policy_get(struct msh_net *mn, struct msh_policy *out)
{
	const struct msh_policy *p;

	rcu_read_lock();
	p = rcu_dereference(mn->policy);
	msh_policy_copy(out, p);
	rcu_read_unlock();
}
