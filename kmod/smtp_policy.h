/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The SMTP inspection part of a namespace's policy: flow table bounds,
 * parser limits, what a violation does, and the implicit-TLS ports. It is
 * embedded in struct msh_policy and read under RCU by the hooks. Defaults,
 * ranges and validation come from the knob table (include/mailshield/knobs.h).
 */

#ifndef _MSH_SMTP_POLICY_H
#define _MSH_SMTP_POLICY_H

#include <linux/bits.h>
#include <linux/mailshield.h>
#include <linux/types.h>

#include "smtp_parser.h"

#include <mailshield/knobs.h>

#define MSH_FLOWS_DEF_MAX		MSH_KNOB_DEF_MAX_FLOWS

struct msh_smtp_policy {
	struct msh_smtp_limits lim;
	u32 max_flows;
	u32 flow_timeout;	/* seconds */
	u32 log_only;		/* MSH_SMTP_BIT(reason): count, log, pass */
	u32 violation_ban;	/* violations in the window that ban; 0 never */
	u32 violation_window;	/* seconds */
	u8 flows_full;		/* enum mailshield_full_action */
	u8 violation_action;	/* enum mailshield_violation_action */
	u8 ntls_ports;
	u16 tls_ports[MAILSHIELD_MAX_PORTS];
};

static inline bool msh_smtp_policy_tls_port(const struct msh_smtp_policy *sp,
					    u16 port)
{
	unsigned int i;

	for (i = 0; i < sp->ntls_ports; i++)
		if (sp->tls_ports[i] == port)
			return true;
	return false;
}

#endif /* _MSH_SMTP_POLICY_H */
