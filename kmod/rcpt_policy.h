/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient part of a namespace's policy (directory-harvest defence):
 * what an unknown recipient does. Embedded in struct msh_policy and read
 * under RCU by the inspector. Defaults and ranges: include/mailshield/knobs.h.
 */

#ifndef _MSH_RCPT_POLICY_H
#define _MSH_RCPT_POLICY_H

#include <linux/mailshield.h>
#include <linux/types.h>

struct msh_rcpt_policy {
	u8 mode;		/* enum mailshield_rcpt_mode */
	bool learn;		/* 550 5.1.x to RCPT counts as unknown */
	u32 threshold;		/* unknown recipients in the window; 0 never */
	u32 window;		/* seconds */
	u32 max;		/* address hashes a set may hold */
};

#endif /* _MSH_RCPT_POLICY_H */
