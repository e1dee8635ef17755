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
#include <linux/build_bug.h>
#include <linux/sort.h>
#include <linux/string.h>

/*
 * The knob table (include/mailshield/knobs.h) turned into arrays indexed
 * by enum msh_knob: where each value lives in struct msh_policy, its
 * bounds and default, the size of its field (0 for the PORTS knobs) and
 * the message when a value is out of bounds.
 */
struct msh_knob_desc {
	u16 off;	/* offsetof(struct msh_policy, kfield) */
	bool mask;	/* hi is the mask of valid bits */
	u32 lo, hi, def;
};

#define MSH_SIZE_BOOL(f)	sizeof_field(struct msh_policy, f)
#define MSH_SIZE_U8(f)		sizeof_field(struct msh_policy, f)
#define MSH_SIZE_U32(f)		sizeof_field(struct msh_policy, f)
#define MSH_SIZE_SECS(f)	sizeof_field(struct msh_policy, f)
#define MSH_SIZE_ENUM(f)	sizeof_field(struct msh_policy, f)
#define MSH_SIZE_MASK(f)	sizeof_field(struct msh_policy, f)
#define MSH_SIZE_PORTS(f)	0

#define MSH_MSG_BOOL(key, lo, hi)	(#key " must be 0 or 1")
#define MSH_MSG_U8(key, lo, hi)		(#key " must be " #lo ".." #hi)
#define MSH_MSG_U32(key, lo, hi)	(#key " must be " #lo ".." #hi)
#define MSH_MSG_SECS(key, lo, hi)	(#key " must be " #lo ".." #hi " seconds")
#define MSH_MSG_ENUM(key, lo, hi)	(#key " must be " #lo ".." #hi)
#define MSH_MSG_MASK(key, lo, hi)	(#key " names an unknown reason")
#define MSH_MSG_PORTS(key, lo, hi)	(#key ": bad port list")

#define MSH_IS_MASK_BOOL	false
#define MSH_IS_MASK_U8		false
#define MSH_IS_MASK_U32		false
#define MSH_IS_MASK_SECS	false
#define MSH_IS_MASK_ENUM	false
#define MSH_IS_MASK_MASK	true
#define MSH_IS_MASK_PORTS	false

#define MSH_KNOB_DESC(id, type, min_, max_, def_, sec, key, kfield, ...) \
	{								\
		.off = offsetof(struct msh_policy, kfield),		\
		.mask = MSH_IS_MASK_##type,				\
		.lo = (min_), .hi = (max_), .def = (def_),		\
	},
#define MSH_KNOB_SIZE(id, type, min_, max_, def_, sec, key, kfield, ...) \
	MSH_SIZE_##type(kfield),
#define MSH_KNOB_MSG(id, type, min_, max_, def_, sec, key, ...)	\
	MSH_MSG_##type(key, min_, max_),

static const struct msh_knob_desc msh_knob_desc[MSH_KNOB_NUM] = {
	MSH_KNOBS(MSH_KNOB_DESC)
};

static const u8 msh_knob_size[MSH_KNOB_NUM] = {
	MSH_KNOBS(MSH_KNOB_SIZE)
};

static const char *const msh_knob_msg[MSH_KNOB_NUM] = {
	MSH_KNOBS(MSH_KNOB_MSG)
};

static const u16 msh_default_ports[] = { MSH_KNOB_PORTS_DEF_PORTS };
static const u16 msh_default_tls_ports[] = { MSH_KNOB_PORTS_DEF_TLS_PORTS };

/* The parser has its own defaults (it is also built in userspace). */
static_assert(MSH_SMTP_DEF_CMD_LINE == MSH_KNOB_DEF_LIMIT_CMD_LINE);
static_assert(MSH_SMTP_DEF_TEXT_LINE == MSH_KNOB_DEF_LIMIT_TEXT_LINE);
static_assert(MSH_SMTP_DEF_REPLY_LINE == MSH_KNOB_DEF_LIMIT_REPLY_LINE);
static_assert(MSH_SMTP_DEF_LOCAL_PART == MSH_KNOB_DEF_LIMIT_LOCAL_PART);
static_assert(MSH_SMTP_DEF_DOMAIN == MSH_KNOB_DEF_LIMIT_DOMAIN);
static_assert(MSH_SMTP_DEF_PATH == MSH_KNOB_DEF_LIMIT_PATH);
static_assert(MSH_SMTP_DEF_AUTH_LINE == MSH_KNOB_DEF_LIMIT_AUTH_LINE);
static_assert(MSH_SMTP_DEF_MAX_JUNK == MSH_KNOB_DEF_MAX_JUNK);

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

static void msh_policy_store(struct msh_policy *p, enum msh_knob k, u32 v)
{
	void *f = (u8 *)p + msh_knob_desc[k].off;

	switch (msh_knob_size[k]) {
	case 1:
		*(u8 *)f = v;
		break;
	case 2:
		*(u16 *)f = v;
		break;
	case 4:
		*(u32 *)f = v;
		break;
	}
}

u32 msh_policy_knob(const struct msh_policy *p, enum msh_knob k)
{
	const void *f = (const u8 *)p + msh_knob_desc[k].off;

	switch (msh_knob_size[k]) {
	case 1:
		return *(const u8 *)f;
	case 2:
		return *(const u16 *)f;
	case 4:
		return *(const u32 *)f;
	}
	return 0;
}

static void msh_policy_set_ports(u16 *dst, u8 *ndst, const u16 *src,
				 unsigned int n)
{
	unsigned int i;

	for (i = 0; i < MAILSHIELD_MAX_PORTS; i++)
		dst[i] = i < n ? src[i] : 0;
	*ndst = n;
}

static int msh_port_cmp(const void *a, const void *b)
{
	return (int)*(const u16 *)a - (int)*(const u16 *)b;
}

void msh_policy_init_default(struct msh_policy *p)
{
	unsigned int k;

	memset(p, 0, sizeof(*p));
	for (k = 0; k < MSH_KNOB_NUM; k++)
		msh_policy_store(p, k, msh_knob_desc[k].def);
	msh_policy_set_ports(p->ports, &p->nports, msh_default_ports,
			     ARRAY_SIZE(msh_default_ports));
	sort(p->ports, p->nports, sizeof(p->ports[0]), msh_port_cmp, NULL);
	msh_policy_set_ports(p->smtp.tls_ports, &p->smtp.ntls_ports,
			     msh_default_tls_ports,
			     ARRAY_SIZE(msh_default_tls_ports));
}

/**
 * msh_policy_check_ports - validate a requested set of ports
 * @ports: the ports, in request order
 * @n: number of entries in @ports
 * @min: entries required at least
 * @bad_idx: set to the index of the offending entry, or MSH_POLICY_NO_INDEX
 * @msg: set to a message suitable for extack on error
 *
 * Return: 0 if the set is valid, a negative errno otherwise.
 */
int msh_policy_check_ports(const u16 *ports, unsigned int n, unsigned int min,
			   unsigned int *bad_idx, const char **msg)
{
	unsigned int i, j;

	*bad_idx = MSH_POLICY_NO_INDEX;

	if (n < min) {
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

/* Validates the knobs of @u against the table's bounds. */
static int msh_policy_check(const struct msh_policy_update *u,
			    struct msh_policy_err *err)
{
	unsigned int k;
	int ret;

	for (k = 0; k < MSH_KNOB_NUM; k++) {
		u32 v = u->v[k];

		if (!(u->set & BIT_ULL(k)))
			continue;
		err->knob = k;
		if (k == MSH_KNOB_PORTS || k == MSH_KNOB_TLS_PORTS) {
			bool tls = k == MSH_KNOB_TLS_PORTS;

			ret = msh_policy_check_ports(tls ? u->tls_ports :
							   u->ports,
						     tls ? u->ntls_ports :
							   u->nports,
						     msh_knob_desc[k].lo,
						     &err->idx, &err->msg);
			if (ret)
				return ret;
			continue;
		}
		if (msh_knob_desc[k].mask ? v & ~msh_knob_desc[k].hi :
		    v < msh_knob_desc[k].lo || v > msh_knob_desc[k].hi) {
			err->msg = msh_knob_msg[k];
			return -EINVAL;
		}
	}
	err->knob = MSH_KNOB_NUM;
	return 0;
}

/**
 * msh_policy_apply - apply a change to a policy
 * @p: the policy to change
 * @u: the change; absent knobs keep the values in @p
 * @err: where and why the change is refused
 *
 * The whole change is validated first: on error @p is left untouched.
 *
 * Return: 0 on success, a negative errno otherwise.
 */
int msh_policy_apply(struct msh_policy *p, const struct msh_policy_update *u,
		     struct msh_policy_err *err)
{
	unsigned int k;
	int ret;

	err->knob = MSH_KNOB_NUM;
	err->idx = MSH_POLICY_NO_INDEX;
	err->msg = NULL;

	ret = msh_policy_check(u, err);
	if (ret)
		return ret;

	for (k = 0; k < MSH_KNOB_NUM; k++)
		if (u->set & BIT_ULL(k))
			msh_policy_store(p, k, u->v[k]);

	if (u->set & BIT_ULL(MSH_KNOB_PORTS)) {
		msh_policy_set_ports(p->ports, &p->nports, u->ports,
				     u->nports);
		sort(p->ports, p->nports, sizeof(p->ports[0]), msh_port_cmp,
		     NULL);
	}
	if (u->set & BIT_ULL(MSH_KNOB_TLS_PORTS))
		msh_policy_set_ports(p->smtp.tls_ports, &p->smtp.ntls_ports,
				     u->tls_ports, u->ntls_ports);
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
 * @err: where and why the change is refused
 *
 * Process context only. On error the running policy is unchanged.
 *
 * Return: 0 on success, a negative errno otherwise.
 */
int msh_policy_set(struct msh_net *mn, const struct msh_policy_update *u,
		   struct msh_policy *result, struct msh_policy_err *err)
{
	struct msh_policy *old, *new;
	int ret;

	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new) {
		err->knob = MSH_KNOB_NUM;
		err->idx = MSH_POLICY_NO_INDEX;
		err->msg = "out of memory";
		return -ENOMEM;
	}

	mutex_lock(&mn->policy_lock);
	old = rcu_dereference_protected(mn->policy,
					lockdep_is_held(&mn->policy_lock));
	msh_policy_copy(new, old);
	ret = msh_policy_apply(new, u, err);
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
