/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Text helpers shared by the config readers and the output writers.
 */

#ifndef MSH_TEXT_H
#define MSH_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* printf into err (errlen bytes) if err is not NULL: a config message. */
void msh_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * yes/no, true/false, on/off, 1/0, case-insensitive. Returns 0, or -1 with
 * a short message (no location) in err.
 */
int msh_parse_bool(const char *s, bool *out, char *err, size_t errlen);

/*
 * Append " key=value" to the log line in buf (len bytes, always
 * NUL-terminated). A value that is empty or holds blanks, quotes, '=' or
 * control characters is written in double quotes with \" and \\ escaped
 * and control characters as \xHH. The leading blank is left out when buf
 * is empty.
 */
void msh_kv(char *buf, size_t len, const char *key, const char *value);

#endif /* MSH_TEXT_H */
