/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The policy of one network namespace: whether mailshield inspects traffic,
 * which TCP ports it protects, and every other knob of
 * include/mailshield/knobs.h. Readers (the hooks) use RCU; updates
 * build a new policy and swap the pointer under the namespace's mutex.
 */

#ifndef _MSH_POLICY_H
#define _MSH_POLICY_H

#include "admit_policy.h"
#include "rcpt_policy.h"
#include "smtp_policy.h"

#include <mailshield/knobs.h>

#include <linux/bits.h>
#include <linux/mailshield.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct msh_net;

struct msh_policy {
	struct rcu_head rcu;
	bool enabled;
	u8 nports;
	/* sorted ascending, unique, never 0; nports entries are valid */
	u16 ports[MAILSHIELD_MAX_PORTS];
	/* SMTP inspection (smtp_policy.h) */
	struct msh_smtp_policy smtp;

	/* connection admission (admit_policy.h) */
	struct msh_admit_policy admit;

	/* recipients (rcpt_policy.h) */
	struct msh_rcpt_policy rcpt;
};

/*
 * A requested change (include/mailshield/knobs.h): knob k is present when
 * bit k of @set is; its value is v[k], or for the two PORTS knobs the
 * ports[]/tls_ports[] entries in request order.
 */
struct msh_policy_update {
	u64 set;
	u32 v[MSH_KNOB_NUM];
	u8 nports;
	u8 ntls_ports;
	u16 ports[MAILSHIELD_MAX_PORTS];
	u16 tls_ports[MAILSHIELD_MAX_PORTS];
};

static inline void msh_policy_update_set(struct msh_policy_update *u,
					 enum msh_knob k, u32 v)
{
	u->set |= BIT_ULL(k);
	u->v[k] = v;
}

/* No index: the error is about the knob (or the request) as a whole. */
#define MSH_POLICY_NO_INDEX	(~0U)

/* Where a requested change went wrong. */
struct msh_policy_err {
	enum msh_knob knob;	/* MSH_KNOB_NUM: the request as a whole */
	unsigned int idx;	/* entry of a PORTS knob, or MSH_POLICY_NO_INDEX */
	const char *msg;	/* for extack */
};

void msh_policy_init_default(struct msh_policy *p);

int msh_policy_check_ports(const u16 *ports, unsigned int n, unsigned int min,
			   unsigned int *bad_idx, const char **msg);

int msh_policy_apply(struct msh_policy *p, const struct msh_policy_update *u,
		     struct msh_policy_err *err);

/* The value of scalar knob @k in @p. */
u32 msh_policy_knob(const struct msh_policy *p, enum msh_knob k);

int msh_policy_net_init(struct msh_net *mn);
void msh_policy_net_exit(struct msh_net *mn);

int msh_policy_set(struct msh_net *mn, const struct msh_policy_update *u,
		   struct msh_policy *result, struct msh_policy_err *err);
void msh_policy_get(struct msh_net *mn, struct msh_policy *out);

/* Called under rcu_read_lock() from the hooks: a handful of compares. */
static inline bool msh_policy_has_port(const struct msh_policy *p, u16 port)
{
	unsigned int i;

	for (i = 0; i < p->nports; i++) {
		if (p->ports[i] >= port)
			return p->ports[i] == port;
	}
	return false;
}

#endif /* _MSH_POLICY_H */
