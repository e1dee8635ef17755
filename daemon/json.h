/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * JSON output, built with json-c: a document is built whole, then
 * printed, so an error never leaves half of one.
 */
#ifndef MSH_JSON_H
#define MSH_JSON_H

#include <stdio.h>

#include <json-c/json.h>

/* Prints @obj as one line (compact) and releases it. */
void msh_json_print(FILE *f, json_object *obj);

#endif /* MSH_JSON_H */
