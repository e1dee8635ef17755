/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The connection-admission part of a namespace's policy: SYN cookies, the
 * per-source table and its limits, bans. Embedded in struct msh_policy
 * (policy.h), so the hooks read it under the same RCU pointer; validated
 * here, shared by netlink and the KUnit suites.
 */

#ifndef _MSH_ADMIT_POLICY_H
#define _MSH_ADMIT_POLICY_H

#include <linux/types.h>

struct msh_admit_policy {
	bool syncookies;	/* answer SYNs with cookies */
	u8 prefix4;		/* source keying prefix, 8..32 */
	u8 prefix6;		/* source keying prefix, 32..128 */
	u8 sources_full;	/* enum mailshield_full_action */
	u8 ban_action;		/* enum mailshield_ban_action */
	u32 max_conns;		/* per source, 0: no cap */
	u32 rate;		/* new connections per minute per source, 0: none */
	u32 burst;		/* bucket depth, 1..MSH_BURST_MAX */
	u32 synack_rate;	/* SYN-ACKs per second and prefix, 0: no cap */
	u32 max_sources;	/* per-source entries, 16..4194304 */
	u32 ban_time;		/* seconds, 1..MSH_BAN_MAX_S */
	bool exempt_local;	/* local senders bypass limits and bans */
};

/* Bits of struct msh_admit_update.set, one per field. */
enum msh_admit_field {
	MSH_AP_SYNCOOKIES,
	MSH_AP_PREFIX4,
	MSH_AP_PREFIX6,
	MSH_AP_MAX_CONNS,
	MSH_AP_RATE,
	MSH_AP_BURST,
	MSH_AP_SYNACK_RATE,
	MSH_AP_MAX_SOURCES,
	MSH_AP_SOURCES_FULL,
	MSH_AP_BAN_ACTION,
	MSH_AP_BAN_TIME,
	MSH_AP_EXEMPT_LOCAL,
	__MSH_AP_NUM
};

/* A requested change: fields whose bit is clear in @set keep their value. */
struct msh_admit_update {
	u32 set;
	struct msh_admit_policy v;
};

#define MSH_ADMIT_MAX_CONNS_MAX		1000000U
#define MSH_ADMIT_SYNACK_RATE_MAX	100000000U
#define MSH_ADMIT_SYNACK_RATE_DEF	200U

void msh_admit_policy_default(struct msh_admit_policy *a);

/*
 * Applies @u to @a after validating it as a whole. On error @a is
 * unchanged, *@bad is the offending field and *@msg says why.
 */
int msh_admit_policy_apply(struct msh_admit_policy *a,
			   const struct msh_admit_update *u,
			   enum msh_admit_field *bad, const char **msg);

#endif /* _MSH_ADMIT_POLICY_H */
