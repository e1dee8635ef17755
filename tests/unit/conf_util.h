/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Shared by the configuration unit tests: a temporary directory for the
 * config files they write, and the check that a config is rejected with an
 * exact "FILE:LINE: ..." message while the caller's struct stays untouched.
 * Include after config.h and unit.h.
 */
#ifndef MSH_CONF_UTIL_H
#define MSH_CONF_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[256];

/* Make the temporary directory (under $TMPDIR or /tmp); exits on failure. */
static inline void conf_tmpdir_make(const char *tag)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/msh-%s.XXXXXX",
		 base && *base ? base : "/tmp", tag);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(EXIT_FAILURE);
	}
}

static inline void conf_tmpdir_remove(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", tmpdir);
	if (system(cmd))
		unit_diag("could not remove %s", tmpdir);
}

/* Write TEXT to TMPDIR/NAME.conf and return its path (a static buffer). */
static inline const char *write_conf(const char *name, const char *text)
{
	static char path[320];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.conf", tmpdir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f)) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	return path;
}

/*
 * The config file at path must be rejected with exactly the message want,
 * and leave the caller's struct untouched.
 */
static inline void expect_err_msg(const char *name, const char *path,
				  const char *want)
{
	struct msh_config cfg, before;
	char err[MSH_CONFIG_ERR_MAX] = "";
	bool ok;

	memset(&cfg, 0xa5, sizeof(cfg));
	before = cfg;
	ok = msh_config_load(path, &cfg, err, sizeof(err)) == -1;
	if (!ok)
		unit_diag("%s: config was accepted", name);
	if (ok && strcmp(err, want)) {
		unit_diag("%s: got  \"%s\"", name, err);
		unit_diag("%s: want \"%s\"", name, want);
		ok = false;
	}
	if (ok && memcmp(&cfg, &before, sizeof(cfg))) {
		unit_diag("%s: config struct modified on error", name);
		ok = false;
	}
	unit_result(name, ok, NULL);
}

/*
 * The config must be rejected with exactly "PATH" followed by rest, and
 * leave the caller's struct untouched.
 */
static inline void expect_err(const char *name, const char *text,
			      const char *rest)
{
	char want[MSH_CONFIG_ERR_MAX];
	const char *path = write_conf(name, text);

	snprintf(want, sizeof(want), "%s%s", path, rest);
	expect_err_msg(name, path, want);
}

#endif /* MSH_CONF_UTIL_H */
