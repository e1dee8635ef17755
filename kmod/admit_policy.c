// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The admission part of the policy: defaults, validation, partial
 * updates (admit_policy.h). No packet and no table here.
 */

#include "admit_policy.h"
#include "sources.h"

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/mailshield.h>
#include <linux/string.h>

void msh_admit_policy_default(struct msh_admit_policy *a)
{
	struct msh_limits lim;

	msh_limits_default(&lim);
	memset(a, 0, sizeof(*a));
	a->syncookies = true;
	a->prefix4 = 32;
	a->prefix6 = 64;
	a->sources_full = MAILSHIELD_FULL_ADMIT;
	a->ban_action = MAILSHIELD_BAN_DROP;
	a->max_conns = lim.max_conns;
	a->rate = lim.rate_per_min;
	a->burst = lim.burst;
	a->synack_rate = MSH_ADMIT_SYNACK_RATE_DEF;
	a->max_sources = MSH_SOURCES_DEFAULT_MAX;
	a->ban_time = lim.ban_s;
	a->exempt_local = true;
}

/* Why @v's value of field @f is not acceptable, or NULL. */
static const char *msh_admit_field_bad(enum msh_admit_field f,
				       const struct msh_admit_policy *v)
{
	switch (f) {
	case MSH_AP_PREFIX4:
		if (v->prefix4 < 8 || v->prefix4 > 32)
			return "IPv4 source prefix length must be 8..32";
		break;
	case MSH_AP_PREFIX6:
		if (v->prefix6 < 32 || v->prefix6 > 128)
			return "IPv6 source prefix length must be 32..128";
		break;
	case MSH_AP_MAX_CONNS:
		if (v->max_conns > MSH_ADMIT_MAX_CONNS_MAX)
			return "max_conns must be 0..1000000";
		break;
	case MSH_AP_RATE:
		if (v->rate > MSH_RATE_MAX)
			return "connection rate must be 0..1000000 per minute";
		break;
	case MSH_AP_BURST:
		if (v->burst < 1 || v->burst > MSH_BURST_MAX)
			return "connection burst must be 1..1000000";
		break;
	case MSH_AP_SYNACK_RATE:
		if (v->synack_rate > MSH_ADMIT_SYNACK_RATE_MAX)
			return "SYN-ACK rate must be 0..100000000 per second";
		break;
	case MSH_AP_MAX_SOURCES:
		if (v->max_sources < 16 ||
		    v->max_sources > MSH_SOURCES_MAX_ENTRIES)
			return "source table size must be 16..4194304";
		break;
	case MSH_AP_SOURCES_FULL:
		if (v->sources_full > MAILSHIELD_FULL_REFUSE)
			return "unknown full-table action (0 admit, 1 refuse)";
		break;
	case MSH_AP_BAN_ACTION:
		if (v->ban_action > MAILSHIELD_BAN_RESET)
			return "unknown ban action (0 drop, 1 reset)";
		break;
	case MSH_AP_BAN_TIME:
		if (v->ban_time < 1 || v->ban_time > MSH_BAN_MAX_S)
			return "ban time must be 1..31622400 seconds";
		break;
	default:
		break;
	}
	return NULL;
}

static void msh_admit_field_copy(enum msh_admit_field f,
				 struct msh_admit_policy *n,
				 const struct msh_admit_policy *v)
{
	switch (f) {
	case MSH_AP_SYNCOOKIES:
		n->syncookies = v->syncookies;
		break;
	case MSH_AP_PREFIX4:
		n->prefix4 = v->prefix4;
		break;
	case MSH_AP_PREFIX6:
		n->prefix6 = v->prefix6;
		break;
	case MSH_AP_MAX_CONNS:
		n->max_conns = v->max_conns;
		break;
	case MSH_AP_RATE:
		n->rate = v->rate;
		break;
	case MSH_AP_BURST:
		n->burst = v->burst;
		break;
	case MSH_AP_SYNACK_RATE:
		n->synack_rate = v->synack_rate;
		break;
	case MSH_AP_MAX_SOURCES:
		n->max_sources = v->max_sources;
		break;
	case MSH_AP_SOURCES_FULL:
		n->sources_full = v->sources_full;
		break;
	case MSH_AP_BAN_ACTION:
		n->ban_action = v->ban_action;
		break;
	case MSH_AP_BAN_TIME:
		n->ban_time = v->ban_time;
		break;
	case MSH_AP_EXEMPT_LOCAL:
		n->exempt_local = v->exempt_local;
		break;
	default:
		break;
	}
}

int msh_admit_policy_apply(struct msh_admit_policy *a,
			   const struct msh_admit_update *u,
			   enum msh_admit_field *bad, const char **msg)
{
	struct msh_admit_policy n = *a;
	const char *why;
	unsigned int f;

	for (f = 0; f < __MSH_AP_NUM; f++) {
		if (!(u->set & BIT(f)))
			continue;
		why = msh_admit_field_bad(f, &u->v);
		if (why) {
			*bad = f;
			*msg = why;
			return -EINVAL;
		}
		msh_admit_field_copy(f, &n, &u->v);
	}
	*a = n;
	return 0;
}
