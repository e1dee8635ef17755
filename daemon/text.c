// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Text helpers at the bottom of the daemon: reading a boolean value and
 * writing one key=value of a log line (text.h).
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "text.h"

void msh_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int msh_parse_bool(const char *s, bool *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	msh_seterr(err, errlen,
	       "invalid boolean \"%.40s\" (use yes/no, true/false, on/off, 1/0)",
	       s);
	return -1;
}

static bool needs_quotes(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	if (!*p)
		return true;
	for (; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' ||
		    *p == 0x7f)
			return true;
	return false;
}

void msh_kv(char *buf, size_t len, const char *key, const char *value)
{
	size_t off = strnlen(buf, len);
	const unsigned char *p;

#define PUT(...) do {							\
		int n_ = snprintf(buf + off, len - off, __VA_ARGS__);	\
		if (n_ < 0 || (size_t)n_ >= len - off) {		\
			buf[len - 1] = '\0';				\
			return;						\
		}							\
		off += (size_t)n_;					\
	} while (0)

	if (off >= len)
		return;
	PUT("%s%s=", off ? " " : "", key);
	if (!needs_quotes(value)) {
		PUT("%s", value);
		return;
	}
	PUT("\"");
	for (p = (const unsigned char *)value; *p; p++) {
		if (*p == '"' || *p == '\\')
			PUT("\\%c", *p);
		else if (*p < ' ' || *p == 0x7f)
			PUT("\\x%02x", *p);
		else
			PUT("%c", *p);
	}
	PUT("\"");
#undef PUT
}
