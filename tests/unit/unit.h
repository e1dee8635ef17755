/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Result reporting for the userspace unit test programs: one line per test,
 * "ok - unit: NAME" or "not ok - unit: NAME", printed and appended to the
 * file named by $MSH_RESULTS when set.
 */
#ifndef MSH_UNIT_H
#define MSH_UNIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_failures;

static inline void unit_result(const char *name, bool ok, const char *note)
{
	const char *path = getenv("MSH_RESULTS");
	char line[512];

	snprintf(line, sizeof(line), "%sok - unit: %s%s%s\n", ok ? "" : "not ",
		 name, note ? " # " : "", note ? note : "");
	fputs(line, stdout);
	fflush(stdout);
	if (path && *path) {
		FILE *f = fopen(path, "a");

		if (f) {
			fputs(line, f);
			fclose(f);
		}
	}
	if (!ok)
		unit_failures++;
}

/* Print a diagnostic for the current test (to stderr, "# " prefixed). */
static inline void unit_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static inline void unit_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static inline int unit_exit(void)
{
	return unit_failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* MSH_UNIT_H */
