/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * mailshieldd configuration: INI file parsed with libinih and validated as a
 * whole into struct msh_config before anything is sent to the kernel.
 */
#ifndef MSH_CONFIG_H
#define MSH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "rcpt_conf.h"
#include "text.h"

#define MSH_DEFAULT_CONFIG	"/etc/mailshield/mailshield.conf"
#define MSH_CONFIG_ERR_MAX	1024

struct msh_config {
	struct msh_knobs knobs;		/* every knob set */
	/*
	 * [allowlist]: the entries of every allow line and of the
	 * allow_file, in the order of the config file; pushed with
	 * SET_ALLOWLIST
	 */
	struct msh_allow_cfg allowlist;
	/*
	 * [recipients]: where the recipient set comes from (rcpt_conf.c);
	 * the recipient knobs of that section are in knobs
	 */
	struct msh_rcpt_cfg recipients;
};

/* Fill cfg with the defaults of every knob and an empty allowlist. */
void msh_config_defaults(struct msh_config *cfg);

/*
 * Parse and validate the file at path into cfg. On success returns 0 and
 * cfg holds the complete configuration (defaults for missing keys). On
 * failure returns -1, leaves cfg untouched and writes one line without a
 * trailing newline to err: "FILE:LINE: [section] key: message" for a bad
 * entry, "FILE:LINE: message" for a syntax error, "FILE: message" when the
 * file cannot be read, "LIST:LINE: message (in the allow_file of
 * FILE:LINE)" for a bad line in the file an allow_file names.
 */
int msh_config_load(const char *path, struct msh_config *cfg,
		    char *err, size_t errlen);

#endif /* MSH_CONFIG_H */
