/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Loading the recipient set from the sources [recipients] names: plain
 * files, Postfix lookup tables (read with Postfix's own postmap -s and
 * postalias -s, so every table type Postfix can list works) and LDAP
 * (rcpt_ldap.c). Every function returns 0, or -1 with one line in err
 * that names the source (FILE:LINE for a bad line of a file).
 */
#ifndef MSH_RCPT_LOAD_H
#define MSH_RCPT_LOAD_H

#include <stddef.h>

#include "rcpt_conf.h"
#include "rcpt_set.h"

/*
 * A list file: one address or @domain per line, blanks around it
 * ignored, blank lines and comments ('#' at the start of a line or after
 * a blank) ignored. Any bad line is an error.
 */
int msh_rcpt_load_file(struct msh_rcpt_set *s, const char *path,
		       char *err, size_t errlen);

/*
 * A Postfix table listed with "postmap -s MAP" (alias false: keys are
 * addresses or @domain; other keys are counted in s->skipped) or
 * "postalias -s MAP" (alias true: keys are local parts, each added in
 * every one of the ndomains domains). config_dir, if not empty, is passed
 * as -c. An error of the tool (missing table, unknown type) is an error.
 */
int msh_rcpt_load_postfix(struct msh_rcpt_set *s, const char *map,
			  bool alias, const char (*domains)[256],
			  unsigned int ndomains, const char *config_dir,
			  char *err, size_t errlen);

/*
 * Everything cfg names, into a new set with a fresh key (s is
 * initialised here; on error it is left empty and needs no free).
 */
int msh_rcpt_load(const struct msh_rcpt_cfg *cfg, struct msh_rcpt_set *s,
		  char *err, size_t errlen);

#endif /* MSH_RCPT_LOAD_H */
