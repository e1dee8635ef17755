// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Prints the knob table (include/mailshield/knobs.h) as JSON lines, as the
 * C compiler sees it, for scripts/knobs.py. Built and run by that script.
 */
#include <stdio.h>

#include <mailshield/knobs.h>

#define NAMES_BOOL(id)	{ "no", "yes", NULL }
#define NAMES_ENUM(id)	{ MSH_KNOB_NAMES_##id, NULL }
#define NAMES_U8(id)	{ NULL }
#define NAMES_U32(id)	{ NULL }
#define NAMES_SECS(id)	{ NULL }
#define NAMES_MASK(id)	{ NULL }
#define NAMES_PORTS(id)	{ NULL }

#define ENUM_ENUM(id)	MSH_KNOB_ENUM_##id
#define ENUM_BOOL(id)	""
#define ENUM_U8(id)	""
#define ENUM_U32(id)	""
#define ENUM_SECS(id)	""
#define ENUM_MASK(id)	"violation"
#define ENUM_PORTS(id)	""

#define PORTS_DEF_PORTS(id)	{ MSH_KNOB_PORTS_DEF_##id, 0 }
#define PORTS_DEF_BOOL(id)	{ 0 }
#define PORTS_DEF_U8(id)	{ 0 }
#define PORTS_DEF_U32(id)	{ 0 }
#define PORTS_DEF_SECS(id)	{ 0 }
#define PORTS_DEF_ENUM(id)	{ 0 }
#define PORTS_DEF_MASK(id)	{ 0 }

static void str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static void knob(const char *id, int attr, const char *type,
		 unsigned long min, unsigned long max, unsigned long def,
		 const char *section, const char *key, const char *kfield,
		 const char *unit, const char *doc, const char *const *names,
		 const char *enum_name, const unsigned int *ports)
{
	unsigned int i;

	printf("{\"id\": ");
	str(id);
	printf(", \"attr\": %d, \"type\": ", attr);
	str(type);
	printf(", \"min\": %lu, \"max\": %lu, \"def\": %lu, \"section\": ",
	       min, max, def);
	str(section);
	printf(", \"key\": ");
	str(key);
	printf(", \"kfield\": ");
	str(kfield);
	printf(", \"unit\": ");
	str(unit);
	printf(", \"doc\": ");
	str(doc);
	printf(", \"names\": [");
	for (i = 0; names[i]; i++) {
		printf(i ? ", " : "");
		str(names[i]);
	}
	printf("], \"enum\": ");
	str(enum_name);
	printf(", \"ports\": [");
	for (i = 0; ports[i]; i++)
		printf("%s%u", i ? ", " : "", ports[i]);
	printf("]}\n");
}

#define DUMP(id, type, min, max, def, section, key, kfield, unit, doc)	\
	{								\
		static const char *const names[] = NAMES_##type(id);	\
		static const unsigned int ports[] = PORTS_DEF_##type(id); \
		knob(#id, MAILSHIELD_POLICY_A_##id, #type, (min), (max), \
		     (def), #section, #key, #kfield, unit, doc, names,	\
		     ENUM_##type(id), ports);				\
	}

int main(void)
{
	MSH_KNOBS(DUMP)
	printf("{\"policy_a_max\": %d, \"violations\": %d}\n",
	       MAILSHIELD_POLICY_A_MAX, __MAILSHIELD_VIOLATION_MAX);
	return 0;
}
