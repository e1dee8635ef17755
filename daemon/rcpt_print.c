// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Printer of the running recipient set (rcpt_print.h).
 */
#include <inttypes.h>
#include <stdio.h>

#include <json-c/json.h>

#include "json.h"
#include "rcpt_print.h"

static int add(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, key, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static int print_json(FILE *f, const struct msh_rcpt_info *i)
{
	struct json_object *o = json_object_new_object();
	int bad = 0;

	if (!o)
		return -1;
	bad |= add(o, "generation", json_object_new_int64(i->generation));
	bad |= add(o, "addresses", json_object_new_int64(i->addresses));
	bad |= add(o, "domains", json_object_new_int64(i->domains));
	bad |= add(o, "catchalls", json_object_new_int64(i->catchalls));
	bad |= add(o, "memory", json_object_new_uint64(i->memory));
	/* no age before the first commit */
	bad |= add(o, "age", i->generation ? json_object_new_int64(i->age)
					   : json_object_new_null());
	bad |= add(o, "pending", json_object_new_boolean(i->pending));
	bad |= add(o, "case_sensitive", json_object_new_boolean(
		   !!(i->flags & MAILSHIELD_RCPT_F_CASE_SENSITIVE)));
	bad |= add(o, "delimiters", json_object_new_string(i->delims));
	if (bad) {
		json_object_put(o);
		return -1;
	}
	msh_json_print(f, o);
	return 0;
}

#define KEYW "%-17s "	/* as the other text output */

int msh_rcpt_print(FILE *f, const struct msh_rcpt_info *i, bool json)
{
	if (json)
		return print_json(f, i);
	fprintf(f, KEYW "%" PRIu32 "%s\n", "generation", i->generation,
		i->generation ? "" : " (no recipient set committed)");
	fprintf(f, KEYW "%" PRIu32 "\n", "addresses", i->addresses);
	fprintf(f, KEYW "%" PRIu32 "\n", "domains", i->domains);
	fprintf(f, KEYW "%" PRIu32 "\n", "catchalls", i->catchalls);
	fprintf(f, KEYW "%" PRIu64 "\n", "memory", i->memory);
	if (i->generation)
		fprintf(f, KEYW "%" PRIu32 "s\n", "age", i->age);
	else
		fprintf(f, KEYW "-\n", "age");
	fprintf(f, KEYW "%s\n", "pending", i->pending ? "yes" : "no");
	fprintf(f, KEYW "%s\n", "case_sensitive",
		i->flags & MAILSHIELD_RCPT_F_CASE_SENSITIVE ? "yes" : "no");
	fprintf(f, KEYW "%s\n", "delimiters",
		i->delims[0] ? i->delims : "none");
	return 0;
}
