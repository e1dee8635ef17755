/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Minimal JSON output helpers (output only, no parser).
 */
#ifndef MSH_JSON_H
#define MSH_JSON_H

#include <stdio.h>

/* Print s as a JSON string literal, quotes included, escaping as needed. */
void json_string(FILE *f, const char *s);

#endif /* MSH_JSON_H */
