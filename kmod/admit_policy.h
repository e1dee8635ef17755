/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The connection-admission part of a namespace's policy: SYN cookies, the
 * per-source table and its limits, bans. Embedded in struct msh_policy
 * (policy.h), so the hooks read it under the same RCU pointer. Defaults,
 * ranges and validation come from the knob table (include/mailshield/knobs.h).
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
	u8 synack_retries;	/* cookie SYN-ACK retransmissions (synrtx.h) */
	u32 max_conns;		/* per source, 0: no cap */
	u32 rate;		/* new connections per minute per source, 0: none */
	u32 burst;		/* bucket depth, 1..MSH_BURST_MAX */
	u32 synack_rate;	/* SYN-ACKs per second and prefix, 0: no cap */
	u32 max_sources;	/* per-source entries, 16..4194304 */
	u32 ban_time;		/* seconds, 1..MSH_BAN_MAX_S */
	bool exempt_local;	/* local senders bypass limits and bans */
};

#endif /* _MSH_ADMIT_POLICY_H */
