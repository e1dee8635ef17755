/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * JSON output, built with json-c: a document is built whole, then
 * printed, so an error never leaves half of one.
 */
#ifndef MSH_JSON_H
#define MSH_JSON_H

#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

/* Member @key of object @o: an unsigned number, a string. */
void msh_json_num(json_object *o, const char *key, uint64_t v);
void msh_json_str(json_object *o, const char *key, const char *v);

/* Prints @obj as one line (compact) and releases it. */
void msh_json_print(FILE *f, json_object *obj);

#endif /* MSH_JSON_H */
