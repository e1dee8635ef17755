/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Userspace view of the mailshield policy and counters, shared by the
 * config parser, the netlink client and the output printers.
 */
#ifndef MSH_POLICY_H
#define MSH_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/mailshield.h>

#include "admit.h"
#include "smtp.h"

struct msh_policy {
	bool has_enabled;	/* for partial updates: field present */
	bool enabled;
	bool has_ports;
	unsigned int nports;
	uint16_t ports[MAILSHIELD_MAX_PORTS];
	/* connection admission: fields with their bit in admit.set */
	struct msh_admit_cfg admit;
	/* SMTP inspection: fields with their bit in smtp.set */
	struct msh_smtp_cfg smtp;
};

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

/*
 * Format a port list as "25,587,465" into buf (always NUL-terminated).
 * Returns buf.
 */
char *msh_format_ports(const struct msh_policy *p, char *buf, size_t len);

#endif /* MSH_POLICY_H */
