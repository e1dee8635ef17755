/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Userspace view of the mailshield counters, shared by the netlink client
 * and the output printers. The policy is a struct msh_knobs (knobs.h).
 */
#ifndef MSH_COUNTERS_H
#define MSH_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/mailshield.h>

#include "bans.h"
#include "knobs.h"
#include "inspection.h"

struct msh_counters {
	uint64_t v[MAILSHIELD_STATS_A_MAX + 1];	/* indexed by attribute */
	/* MAILSHIELD_STATS_A_VIOLATION_REASONS, by violation reason */
	uint64_t reasons[__MAILSHIELD_VIOLATION_MAX];
};

/*
 * Stats attribute names as used in JSON and text output, in output order
 * (UAPI order within each part; later attributes join their part).
 */
struct msh_counter_name {
	int attr;
	const char *name;
};
extern const struct msh_counter_name msh_counter_names[];
extern const size_t msh_counter_count;

#endif /* MSH_COUNTERS_H */
