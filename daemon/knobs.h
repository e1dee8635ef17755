/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The policy knobs in userspace, all from the one table in
 * include/mailshield/knobs.h: their values, config keys, parsing,
 * validation, text and JSON output. The netlink encoding is in nl.c.
 */
#ifndef MSH_KNOBS_H
#define MSH_KNOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>
#include <mailshield/knobs.h>

/* Knob types (the type column of the table). */
enum msh_knob_type {
	MSH_KT_BOOL, MSH_KT_U8, MSH_KT_U32, MSH_KT_SECS, MSH_KT_ENUM,
	MSH_KT_MASK, MSH_KT_PORTS,
};

#define MSH_KNOB_NAMES_MAX	4

struct msh_knob_info {
	enum msh_knob_type type;
	uint32_t min, max, def;
	const char *section, *key, *unit, *doc;
	const char *names[MSH_KNOB_NAMES_MAX];	/* ENUM and BOOL values */
	unsigned int nnames;
};

extern const struct msh_knob_info msh_knob_info[MSH_KNOB_NUM];

/*
 * A set of knob values: a whole policy, or a partial change (only the
 * knobs whose bit is in @set). PORTS knobs keep their lists in ports[],
 * slot 0 for MSH_KNOB_PORTS, slot 1 for MSH_KNOB_TLS_PORTS.
 */
struct msh_knobs {
	uint64_t set;
	uint32_t v[MSH_KNOB_NUM];
	unsigned int nports[2];
	uint16_t ports[2][MAILSHIELD_MAX_PORTS];
};

#define MSH_KNOB_BIT(k)		(1ULL << (k))
#define MSH_KNOBS_ALL		((1ULL << MSH_KNOB_NUM) - 1)

static inline bool msh_knob_has(const struct msh_knobs *kn, int k)
{
	return kn->set & MSH_KNOB_BIT(k);
}

/* Slot of a PORTS knob in ports[], -1 for any other knob. */
static inline int msh_knob_port_slot(int k)
{
	return k == MSH_KNOB_PORTS ? 0 : k == MSH_KNOB_TLS_PORTS ? 1 : -1;
}

/* The netlink attribute of knob k (the table is in UAPI order). */
static inline int msh_knob_attr(int k)
{
	return k + 1;
}

/* Every knob at its default, every bit set: what the kernel starts with. */
void msh_knobs_defaults(struct msh_knobs *kn);

/* The knob of config key @key in [@section], or -1. */
int msh_knob_by_key(const char *section, const char *key);
/* Whether any knob lives in [@section]. */
bool msh_knob_section(const char *section);
/* "known keys: a, b, c" of [@section] into buf. */
const char *msh_knob_section_keys(const char *section, char *buf, size_t len);

/*
 * The knob of a mailshieldctl name: "section.key", or the key alone (the
 * name shown by msh_knob_name()). -1 unknown.
 */
int msh_knob_by_name(const char *name);
/*
 * The name mailshieldctl shows and takes: the key for [general], [limits]
 * and [bans], "section.key" for the others ("smtp.max_flows").
 */
const char *msh_knob_name(int k, char *buf, size_t len);

/*
 * Parse @value for knob @k into @kn and set its bit. 0, or -1 with a
 * message (without location) in err; @kn is unchanged on error.
 */
int msh_knob_parse(int k, const char *value, struct msh_knobs *kn,
		   char *err, size_t errlen);
/* The value of knob @k as the config file would write it. */
const char *msh_knob_format(int k, const struct msh_knobs *kn, char *buf,
			    size_t len);

/* Text lines "name value" of the knobs that are set. */
void msh_knobs_print_text(FILE *f, const struct msh_knobs *kn);
/* Adds the knobs that are set to JSON object @obj. */
void msh_knobs_to_json(const struct msh_knobs *kn, json_object *obj);
/* One line per knob for a usage text: name, accepted values, doc. */
void msh_knobs_help(FILE *f);

/*
 * Shared value parsers. msh_parse_duration: N, Ns, Nm, Nh, Nd (up to 366
 * days). msh_parse_port_list: ports 1..65535 separated by commas and/or
 * blanks, no duplicates, at most MAILSHIELD_MAX_PORTS, at least @min
 * ("none" for an empty list when @min is 0). 0 or -1 with a message.
 */
int msh_parse_duration(const char *s, uint32_t *out, char *err, size_t errlen);
/* A decimal number in min..max. */
int msh_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
		  char *err, size_t errlen);
int msh_parse_port_list(const char *s, unsigned int min, uint16_t *ports,
			unsigned int *n, char *err, size_t errlen);
/* "25,587,465" (or "none") into buf. */
char *msh_format_port_list(const uint16_t *ports, unsigned int n, char *buf,
			   size_t len);

/* Violation reason names (include/uapi: enum mailshield_violation). */
const char *msh_violation_name(uint32_t reason);
int msh_violation_parse(const char *name);

#endif /* MSH_KNOBS_H */
