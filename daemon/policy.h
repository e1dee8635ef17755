/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Userspace view of the mailshield counters, shared by the netlink client
 * and the output printers. The policy is a struct msh_knobs (knobs.h).
 */
#ifndef MSH_POLICY_H
#define MSH_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/mailshield.h>

#include "admit.h"
#include "knobs.h"
#include "smtp.h"

struct msh_stats {
	uint64_t v[MAILSHIELD_STATS_A_MAX + 1];	/* indexed by attribute */
	/* MAILSHIELD_STATS_A_VIOLATION_REASONS, by violation reason */
	uint64_t reasons[__MAILSHIELD_VIOLATION_MAX];
};

/* Stats attribute names as used in JSON and text output, in UAPI order. */
struct msh_stats_name {
	int attr;
	const char *name;
};
extern const struct msh_stats_name msh_stats_names[];
extern const size_t msh_stats_count;

#endif /* MSH_POLICY_H */
