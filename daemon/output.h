/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Text and JSON printers for mailshieldctl, and the key=value log line
 * formatter of mailshieldd.
 */
#ifndef MSH_OUTPUT_H
#define MSH_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "nl.h"
#include "counters.h"
#include "text.h"

struct msh_status {
	const char *module_version;	/* NULL if unknown */
	int family_id;
	unsigned int family_version;
	struct msh_knobs policy;
	struct msh_counters stats;
};

void msh_print_policy(FILE *f, const struct msh_knobs *p, bool json);
void msh_print_stats(FILE *f, const struct msh_counters *s, bool json);
void msh_print_status(FILE *f, const struct msh_status *st, bool json);

/* Format an event as a log line: "event=policy enabled=1 ports=25,587". */
void msh_format_event(char *buf, size_t len, const struct msh_event *ev);

#endif /* MSH_OUTPUT_H */
