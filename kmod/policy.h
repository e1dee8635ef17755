/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The policy of one network namespace: whether mailshield inspects traffic
 * and which TCP ports it protects. Readers (the hooks) use RCU; updates
 * build a new policy and swap the pointer under the namespace's mutex.
 */

#ifndef _MSH_POLICY_H
#define _MSH_POLICY_H

#include "admit_policy.h"
#include "rcpt_policy.h"
#include "smtp_policy.h"

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
 * A requested change: fields whose set_ flag is false keep their running
 * values. ports[] holds nports entries in request order.
 */
struct msh_policy_update {
	bool set_enabled;
	bool enabled;
	bool set_ports;
	u8 nports;
	u16 ports[MAILSHIELD_MAX_PORTS];

	/* connection admission: fields with their bit in admit.set */
	struct msh_admit_update admit;
	/* SMTP inspection (smtp_policy.h) */
	struct msh_smtp_update smtp;
};

/* No index: the error is about the request as a whole. */
#define MSH_POLICY_NO_INDEX	(~0U)
/* *bad_idx for a rejected admission field (enum msh_admit_field) */
#define MSH_POLICY_ADMIT_BASE	0x10000U

void msh_policy_init_default(struct msh_policy *p);

int msh_policy_check_ports(const u16 *ports, unsigned int n,
			   unsigned int *bad_idx, const char **msg);

int msh_policy_apply(struct msh_policy *p, const struct msh_policy_update *u,
		     unsigned int *bad_idx, const char **msg);

int msh_policy_net_init(struct msh_net *mn);
void msh_policy_net_exit(struct msh_net *mn);

int msh_policy_set(struct msh_net *mn, const struct msh_policy_update *u,
		   struct msh_policy *result, unsigned int *bad_idx,
		   const char **msg);
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
