/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient part of a namespace's policy (directory-harvest defence):
 * what an unknown recipient does. Embedded in struct msh_policy and read
 * under RCU by the inspector.
 */

#ifndef _MSH_RCPT_POLICY_H
#define _MSH_RCPT_POLICY_H

#include <linux/mailshield.h>
#include <linux/types.h>

#define MSH_RCPT_DEF_THRESHOLD		20
#define MSH_RCPT_DEF_WINDOW		600	/* seconds */
#define MSH_RCPT_DEF_MAX		4194304	/* address hashes */

struct msh_rcpt_policy {
	u8 mode;		/* enum mailshield_rcpt_mode */
	bool learn;		/* 550 5.1.x to RCPT counts as unknown */
	u32 threshold;		/* unknown recipients in the window; 0 never */
	u32 window;		/* seconds */
	u32 max;		/* address hashes a set may hold */
};

static inline void msh_rcpt_policy_default(struct msh_rcpt_policy *rp)
{
	rp->mode = MAILSHIELD_RCPT_BAN;
	rp->learn = true;
	rp->threshold = MSH_RCPT_DEF_THRESHOLD;
	rp->window = MSH_RCPT_DEF_WINDOW;
	rp->max = MSH_RCPT_DEF_MAX;
}

#endif /* _MSH_RCPT_POLICY_H */
