/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The SMTP inspection part of a namespace's policy: flow table bounds,
 * parser limits, what a violation does, and the implicit-TLS ports. It is
 * embedded in struct msh_policy and read under RCU by the hooks.
 */

#ifndef _MSH_SMTP_POLICY_H
#define _MSH_SMTP_POLICY_H

#include <linux/bits.h>
#include <linux/mailshield.h>
#include <linux/types.h>

#include "smtp_parser.h"

#define MSH_FLOWS_DEF_MAX		65536
#define MSH_FLOWS_MAX_MAX		BIT(22)
#define MSH_FLOW_DEF_TIMEOUT		600	/* seconds */
#define MSH_FLOW_MAX_TIMEOUT		86400
#define MSH_VIOLATION_DEF_BAN		5
#define MSH_VIOLATION_DEF_WINDOW	600	/* seconds */
#define MSH_VIOLATION_MAX_WINDOW	86400

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

static inline void msh_smtp_policy_default(struct msh_smtp_policy *sp)
{
	msh_smtp_limits_default(&sp->lim);
	sp->max_flows = MSH_FLOWS_DEF_MAX;
	sp->flow_timeout = MSH_FLOW_DEF_TIMEOUT;
	/* server-side reasons never block: the MTA is not the attacker */
	sp->log_only = MSH_SMTP_BIT(MSH_SMTP_R_REPLY_LINE) |
		       MSH_SMTP_BIT(MSH_SMTP_R_REPLY_SYNTAX);
	sp->violation_ban = MSH_VIOLATION_DEF_BAN;
	sp->violation_window = MSH_VIOLATION_DEF_WINDOW;
	sp->flows_full = MAILSHIELD_FULL_ADMIT;
	sp->violation_action = MAILSHIELD_VIOLATION_REPLY;
	sp->ntls_ports = 1;
	sp->tls_ports[0] = 465;
}

/*
 * A requested change (SET_POLICY): bit n of set means field n, i.e. the
 * attribute MAILSHIELD_POLICY_A_MAX_FLOWS + n, is present in v[n] (for
 * TLS_PORTS: in tls_ports). Values are validated by the netlink policy.
 */
enum msh_smtp_field {
	MSH_SP_MAX_FLOWS,
	MSH_SP_FLOWS_FULL,
	MSH_SP_FLOW_TIMEOUT,
	MSH_SP_CMD_LINE,
	MSH_SP_TEXT_LINE,
	MSH_SP_REPLY_LINE,
	MSH_SP_LOCAL_PART,
	MSH_SP_DOMAIN,
	MSH_SP_PATH,
	MSH_SP_AUTH_LINE,
	MSH_SP_MAX_JUNK,
	MSH_SP_VIOLATION_ACTION,
	MSH_SP_LOG_ONLY,
	MSH_SP_VIOLATION_BAN,
	MSH_SP_VIOLATION_WINDOW,
	MSH_SP_TLS_PORTS,
	MSH_SP_NUM
};

struct msh_smtp_update {
	u32 set;
	u32 v[MSH_SP_NUM];
	u8 ntls_ports;
	u16 tls_ports[MAILSHIELD_MAX_PORTS];
};

static inline void msh_smtp_policy_apply(struct msh_smtp_policy *sp,
					 const struct msh_smtp_update *u)
{
	u16 *lim[] = {
		[MSH_SP_CMD_LINE] = &sp->lim.cmd_line,
		[MSH_SP_TEXT_LINE] = &sp->lim.text_line,
		[MSH_SP_REPLY_LINE] = &sp->lim.reply_line,
		[MSH_SP_LOCAL_PART] = &sp->lim.local_part,
		[MSH_SP_DOMAIN] = &sp->lim.domain,
		[MSH_SP_PATH] = &sp->lim.path,
		[MSH_SP_AUTH_LINE] = &sp->lim.auth_line,
		[MSH_SP_MAX_JUNK] = &sp->lim.max_junk,
	};
	unsigned int i;

	for (i = MSH_SP_CMD_LINE; i <= MSH_SP_MAX_JUNK; i++)
		if (u->set & BIT(i))
			*lim[i] = u->v[i];
	if (u->set & BIT(MSH_SP_MAX_FLOWS))
		sp->max_flows = u->v[MSH_SP_MAX_FLOWS];
	if (u->set & BIT(MSH_SP_FLOWS_FULL))
		sp->flows_full = u->v[MSH_SP_FLOWS_FULL];
	if (u->set & BIT(MSH_SP_FLOW_TIMEOUT))
		sp->flow_timeout = u->v[MSH_SP_FLOW_TIMEOUT];
	if (u->set & BIT(MSH_SP_VIOLATION_ACTION))
		sp->violation_action = u->v[MSH_SP_VIOLATION_ACTION];
	if (u->set & BIT(MSH_SP_LOG_ONLY))
		sp->log_only = u->v[MSH_SP_LOG_ONLY];
	if (u->set & BIT(MSH_SP_VIOLATION_BAN))
		sp->violation_ban = u->v[MSH_SP_VIOLATION_BAN];
	if (u->set & BIT(MSH_SP_VIOLATION_WINDOW))
		sp->violation_window = u->v[MSH_SP_VIOLATION_WINDOW];
	if (u->set & BIT(MSH_SP_TLS_PORTS)) {
		sp->ntls_ports = u->ntls_ports;
		for (i = 0; i < MAILSHIELD_MAX_PORTS; i++)
			sp->tls_ports[i] = i < u->ntls_ports ?
					   u->tls_ports[i] : 0;
	}
}

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
