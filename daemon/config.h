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

#include "policy.h"
#include "rcpt_conf.h"
#include "text.h"

#define MSH_DEFAULT_CONFIG	"/etc/mailshield/mailshield.conf"
#define MSH_CONFIG_ERR_MAX	1024

struct msh_config {
	struct msh_policy policy;	/* has_enabled and has_ports always set */
	/*
	 * [allowlist]: the entries of every allow line and of the
	 * allow_file, in the order of the config file; pushed with
	 * SET_ALLOWLIST
	 */
	struct msh_allowlist allowlist;
	/* [recipients]: sources of the recipient set (rcpt_conf.c) */
	struct msh_rcpt_cfg recipients;
};

/* Fill cfg with the defaults: enabled, ports 25, 587, 465. */
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

/*
 * Value parsers, shared with mailshieldctl (msh_parse_bool is in text.h).
 * They return 0 on success or -1 with a short message (no location) in err.
 *
 * msh_parse_ports: ports 1..65535 separated by commas and/or blanks,
 * 1..MAILSHIELD_MAX_PORTS entries, no duplicates; sets p->ports, p->nports
 * and p->has_ports.
 */
int msh_parse_ports(const char *s, struct msh_policy *p,
		    char *err, size_t errlen);

#endif /* MSH_CONFIG_H */
