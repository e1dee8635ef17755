// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The policy knobs in userspace (knobs.h), built from the one table in
 * include/mailshield/knobs.h: one parser per type, one printer, one key
 * lookup for the config file and for mailshieldctl.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "knobs.h"
#include "text.h"

#define MSH_NAMES_BOOL(id)	{ "no", "yes" }
#define MSH_NAMES_ENUM(id)	{ MSH_KNOB_NAMES_##id }
#define MSH_NAMES_U8(id)	{ NULL }
#define MSH_NAMES_U32(id)	{ NULL }
#define MSH_NAMES_SECS(id)	{ NULL }
#define MSH_NAMES_MASK(id)	{ NULL }
#define MSH_NAMES_PORTS(id)	{ NULL }

#define MSH_KNOB_INFO(id, type_, min_, max_, def_, sec, key_, kfield, \
		      unit_, doc_)					\
	[MSH_KNOB_##id] = {						\
		.type = MSH_KT_##type_, .min = (min_), .max = (max_),	\
		.def = (def_), .section = #sec, .key = #key_,		\
		.unit = unit_, .doc = doc_,				\
		.names = MSH_NAMES_##type_(id),				\
	},

const struct msh_knob_info msh_knob_info[MSH_KNOB_NUM] = {
	MSH_KNOBS(MSH_KNOB_INFO)
};

static const uint16_t default_ports[][MAILSHIELD_MAX_PORTS] = {
	{ MSH_KNOB_PORTS_DEF_PORTS }, { MSH_KNOB_PORTS_DEF_TLS_PORTS },
};
static const unsigned int default_nports[] = {
	sizeof((uint16_t[]){ MSH_KNOB_PORTS_DEF_PORTS }) / sizeof(uint16_t),
	sizeof((uint16_t[]){ MSH_KNOB_PORTS_DEF_TLS_PORTS }) / sizeof(uint16_t),
};

static const char *const reason_names[__MAILSHIELD_VIOLATION_MAX] = {
	"cmd_line", "text_line", "auth_line", "local_part", "domain", "path",
	"bare_lf", "bare_cr", "smuggle", "nul", "pregreet", "starttls_inject",
	"pipeline", "pipeline_depth", "junk", "bdat", "reply_line",
	"reply_syntax", "retransmit",
};

const char *msh_violation_name(uint32_t reason)
{
	return reason < __MAILSHIELD_VIOLATION_MAX ? reason_names[reason] :
						     "unknown";
}

int msh_violation_parse(const char *name)
{
	int i;

	for (i = 0; i < __MAILSHIELD_VIOLATION_MAX; i++)
		if (!strcasecmp(name, reason_names[i]))
			return i;
	return -1;
}

static unsigned int nnames(int k)
{
	unsigned int n = 0;

	while (n < MSH_KNOB_NAMES_MAX && msh_knob_info[k].names[n])
		n++;
	return n;
}

void msh_knobs_defaults(struct msh_knobs *kn)
{
	int k, s;

	memset(kn, 0, sizeof(*kn));
	for (k = 0; k < MSH_KNOB_NUM; k++) {
		kn->v[k] = msh_knob_info[k].def;
		s = msh_knob_port_slot(k);
		if (s >= 0) {
			kn->nports[s] = default_nports[s];
			memcpy(kn->ports[s], default_ports[s],
			       sizeof(kn->ports[s]));
		}
	}
	kn->set = MSH_KNOBS_ALL;
}

/* ---- names ----------------------------------------------------------- */

int msh_knob_by_key(const char *section, const char *key)
{
	int k;

	for (k = 0; k < MSH_KNOB_NUM; k++)
		if (!strcmp(section, msh_knob_info[k].section) &&
		    !strcmp(key, msh_knob_info[k].key))
			return k;
	return -1;
}

bool msh_knob_section(const char *section)
{
	int k;

	for (k = 0; k < MSH_KNOB_NUM; k++)
		if (!strcmp(section, msh_knob_info[k].section))
			return true;
	return false;
}

const char *msh_knob_section_keys(const char *section, char *buf, size_t len)
{
	size_t off;
	int k;

	off = (size_t)snprintf(buf, len, "known keys:");
	for (k = 0; k < MSH_KNOB_NUM && off < len; k++)
		if (!strcmp(section, msh_knob_info[k].section))
			off += (size_t)snprintf(buf + off, len - off, "%s %s",
						off > 11 ? "," : "",
						msh_knob_info[k].key);
	return buf;
}

/* Knobs of these sections go by their key alone (they always did). */
static bool bare_section(const char *section)
{
	return !strcmp(section, "general") || !strcmp(section, "limits") ||
	       !strcmp(section, "bans");
}

const char *msh_knob_name(int k, char *buf, size_t len)
{
	const struct msh_knob_info *ki = &msh_knob_info[k];

	if (bare_section(ki->section))
		snprintf(buf, len, "%s", ki->key);
	else
		snprintf(buf, len, "%s.%s", ki->section, ki->key);
	return buf;
}

int msh_knob_by_name(const char *name)
{
	const char *dot = strchr(name, '.');
	char sec[32];
	int k;

	if (!dot) {
		for (k = 0; k < MSH_KNOB_NUM; k++)
			if (bare_section(msh_knob_info[k].section) &&
			    !strcmp(name, msh_knob_info[k].key))
				return k;
		return -1;
	}
	if ((size_t)(dot - name) >= sizeof(sec))
		return -1;
	memcpy(sec, name, (size_t)(dot - name));
	sec[dot - name] = '\0';
	return msh_knob_by_key(sec, dot + 1);
}

/* ---- parsers ---------------------------------------------------------- */

int msh_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
		  char *err, size_t errlen)
{
	unsigned long long v = 0;
	const char *p = s;

	if (!*p) {
		msh_seterr(err, errlen, "empty value");
		return -1;
	}
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p)) {
			msh_seterr(err, errlen, "invalid number \"%.32s\"", s);
			return -1;
		}
		if (v <= 0xffffffffULL)
			v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (v < min || v > max) {
		msh_seterr(err, errlen, "%.32s out of range (%u..%u)", s, min,
			   max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int msh_parse_duration(const char *s, uint32_t *out, char *err, size_t errlen)
{
	static const char bad[] =
		"invalid duration \"%.32s\" (N, Ns, Nm, Nh or Nd)";
	char num[24];
	size_t n = strlen(s);
	uint32_t mult = 1, v;

	if (n && !isdigit((unsigned char)s[n - 1])) {
		switch (s[n - 1]) {
		case 's':
			mult = 1;
			break;
		case 'm':
			mult = 60;
			break;
		case 'h':
			mult = 3600;
			break;
		case 'd':
			mult = 86400;
			break;
		default:
			msh_seterr(err, errlen, bad, s);
			return -1;
		}
		n--;
	}
	if (!n || n >= sizeof(num)) {
		msh_seterr(err, errlen, bad, s);
		return -1;
	}
	memcpy(num, s, n);
	num[n] = '\0';
	if (msh_parse_u32(num, 0, 31622400 / mult, &v, err, errlen)) {
		msh_seterr(err, errlen,
			   "invalid duration \"%.32s\" (0..31622400 seconds, e.g. 3600, 60m, 1h, 7d)",
			   s);
		return -1;
	}
	*out = v * mult;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int msh_parse_port_list(const char *s, unsigned int min, uint16_t *out,
			unsigned int *nout, char *err, size_t errlen)
{
	uint16_t ports[MAILSHIELD_MAX_PORTS];
	unsigned int n = 0, i;
	bool want_more = false;

	while (is_blank(*s))
		s++;
	if (!min && !strcasecmp(s, "none")) {
		*nout = 0;
		return 0;
	}
	for (;;) {
		const char *tok;
		size_t toklen, ndigits;
		unsigned long v = 0;

		while (is_blank(*s))
			s++;
		if (!*s)
			break;
		if (*s == ',') {
			msh_seterr(err, errlen, "empty entry in port list");
			return -1;
		}
		tok = s;
		while (*s && *s != ',' && !is_blank(*s))
			s++;
		toklen = (size_t)(s - tok);
		for (ndigits = 0; ndigits < toklen; ndigits++) {
			if (!isdigit((unsigned char)tok[ndigits]))
				break;
			if (v <= 65535)
				v = v * 10 + (unsigned long)(tok[ndigits] - '0');
		}
		if (ndigits != toklen) {
			msh_seterr(err, errlen, "invalid port \"%.*s\"",
				   (int)(toklen > 32 ? 32 : toklen), tok);
			return -1;
		}
		if (v < 1 || v > 65535) {
			msh_seterr(err, errlen,
				   "port %.*s out of range (1..65535)",
				   (int)(toklen > 32 ? 32 : toklen), tok);
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (ports[i] == v) {
				msh_seterr(err, errlen, "duplicate port %lu", v);
				return -1;
			}
		}
		if (n == MAILSHIELD_MAX_PORTS) {
			msh_seterr(err, errlen, "too many ports (at most %d)",
				   MAILSHIELD_MAX_PORTS);
			return -1;
		}
		ports[n++] = (uint16_t)v;

		while (is_blank(*s))
			s++;
		want_more = *s == ',';
		if (want_more)
			s++;
	}
	if (want_more) {
		msh_seterr(err, errlen, "empty entry in port list");
		return -1;
	}
	if (n < min) {
		msh_seterr(err, errlen, "no ports given");
		return -1;
	}
	memcpy(out, ports, n * sizeof(ports[0]));
	*nout = n;
	return 0;
}

char *msh_format_port_list(const uint16_t *ports, unsigned int n, char *buf,
			   size_t len)
{
	size_t off = 0;
	unsigned int i;
	int r;

	if (!len)
		return buf;
	snprintf(buf, len, "none");
	for (i = 0; i < n && off < len; i++) {
		r = snprintf(buf + off, len - off, "%s%u", i ? "," : "",
			     ports[i]);
		if (r < 0)
			break;
		off += (size_t)r;
	}
	return buf;
}

static int parse_mask(const char *v, uint32_t *out, char *err, size_t errlen)
{
	char buf[512], *tok, *save;
	int r;

	if (strlen(v) >= sizeof(buf)) {
		msh_seterr(err, errlen, "list too long");
		return -1;
	}
	strcpy(buf, v);
	*out = 0;
	for (tok = strtok_r(buf, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		if (!strcasecmp(tok, "none"))
			continue;
		r = msh_violation_parse(tok);
		if (r < 0) {
			msh_seterr(err, errlen,
				   "unknown violation reason \"%.32s\"", tok);
			return -1;
		}
		*out |= 1U << r;
	}
	return 0;
}

static int parse_name(int k, const char *v, uint32_t *out, char *err,
		      size_t errlen)
{
	unsigned int i, n = nnames(k);
	char list[96];
	size_t off = 0;

	for (i = 0; i < n; i++) {
		if (!strcasecmp(v, msh_knob_info[k].names[i])) {
			*out = i;
			return 0;
		}
	}
	for (i = 0; i < n && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
					i ? (i + 1 == n ? " or " : ", ") : "",
					msh_knob_info[k].names[i]);
	msh_seterr(err, errlen, "invalid value \"%.32s\" (%s)", v, list);
	return -1;
}

int msh_knob_parse(int k, const char *value, struct msh_knobs *kn,
		   char *err, size_t errlen)
{
	const struct msh_knob_info *ki = &msh_knob_info[k];
	uint32_t x = 0;
	bool b;
	int s;

	switch (ki->type) {
	case MSH_KT_BOOL:
		if (msh_parse_bool(value, &b, err, errlen))
			return -1;
		x = b;
		break;
	case MSH_KT_U8:
	case MSH_KT_U32:
		if (msh_parse_u32(value, ki->min, ki->max, &x, err, errlen))
			return -1;
		break;
	case MSH_KT_SECS:
		if (msh_parse_duration(value, &x, err, errlen))
			return -1;
		if (x < ki->min || x > ki->max) {
			msh_seterr(err, errlen,
				   "%.32s out of range (%u..%u seconds)", value,
				   ki->min, ki->max);
			return -1;
		}
		break;
	case MSH_KT_ENUM:
		if (parse_name(k, value, &x, err, errlen))
			return -1;
		break;
	case MSH_KT_MASK:
		if (parse_mask(value, &x, err, errlen))
			return -1;
		break;
	case MSH_KT_PORTS:
		s = msh_knob_port_slot(k);
		if (msh_parse_port_list(value, ki->min, kn->ports[s],
					&kn->nports[s], err, errlen))
			return -1;
		break;
	}
	kn->v[k] = x;
	kn->set |= MSH_KNOB_BIT(k);
	return 0;
}

/* ---- output ----------------------------------------------------------- */

static const char *mask_text(uint32_t m, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	snprintf(buf, len, "none");
	for (i = 0; i < __MAILSHIELD_VIOLATION_MAX && off < len; i++)
		if (m & (1U << i))
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
						off ? "," : "",
						reason_names[i]);
	return buf;
}

const char *msh_knob_format(int k, const struct msh_knobs *kn, char *buf,
			    size_t len)
{
	const struct msh_knob_info *ki = &msh_knob_info[k];
	uint32_t v = kn->v[k];
	int s;

	switch (ki->type) {
	case MSH_KT_BOOL:
	case MSH_KT_ENUM:
		snprintf(buf, len, "%s",
			 v < nnames(k) ? ki->names[v] : "unknown");
		break;
	case MSH_KT_MASK:
		mask_text(v, buf, len);
		break;
	case MSH_KT_PORTS:
		s = msh_knob_port_slot(k);
		msh_format_port_list(kn->ports[s], kn->nports[s], buf, len);
		break;
	default:
		snprintf(buf, len, "%u", v);
	}
	return buf;
}

void msh_knobs_print_text(FILE *f, const struct msh_knobs *kn)
{
	char name[64], val[512];
	int k;

	for (k = 0; k < MSH_KNOB_NUM; k++)
		if (msh_knob_has(kn, k))
			fprintf(f, "%-17s %s\n",
				msh_knob_name(k, name, sizeof(name)),
				msh_knob_format(k, kn, val, sizeof(val)));
}

void msh_knobs_to_json(const struct msh_knobs *kn, json_object *obj)
{
	char name[64], val[512], *dot;
	json_object *j, *a;
	unsigned int i;
	int k, s;

	for (k = 0; k < MSH_KNOB_NUM; k++) {
		if (!msh_knob_has(kn, k))
			continue;
		msh_knob_name(k, name, sizeof(name));
		dot = strchr(name, '.');
		if (dot)
			*dot = '_';
		switch (msh_knob_info[k].type) {
		case MSH_KT_BOOL:
			j = json_object_new_boolean(kn->v[k]);
			break;
		case MSH_KT_PORTS:
			s = msh_knob_port_slot(k);
			a = json_object_new_array();
			for (i = 0; i < kn->nports[s]; i++)
				json_object_array_add(a,
					json_object_new_int(kn->ports[s][i]));
			j = a;
			break;
		case MSH_KT_ENUM:
		case MSH_KT_MASK:
			j = json_object_new_string(msh_knob_format(k, kn, val,
								   sizeof(val)));
			break;
		default:
			j = json_object_new_int64(kn->v[k]);
		}
		json_object_object_add(obj, name, j);
	}
}

void msh_knobs_help(FILE *f)
{
	const struct msh_knob_info *ki;
	char name[64], vals[96];
	unsigned int i;
	size_t off;
	int k;

	for (k = 0; k < MSH_KNOB_NUM; k++) {
		ki = &msh_knob_info[k];
		switch (ki->type) {
		case MSH_KT_BOOL:
			snprintf(vals, sizeof(vals), "yes|no");
			break;
		case MSH_KT_ENUM:
			off = 0;
			vals[0] = '\0';
			for (i = 0; i < nnames(k) && off < sizeof(vals); i++)
				off += (size_t)snprintf(vals + off,
							sizeof(vals) - off,
							"%s%s", i ? "|" : "",
							ki->names[i]);
			break;
		case MSH_KT_MASK:
			snprintf(vals, sizeof(vals), "REASON[,...]|none");
			break;
		case MSH_KT_PORTS:
			snprintf(vals, sizeof(vals), "PORT[,...]%s",
				 ki->min ? "" : "|none");
			break;
		case MSH_KT_SECS:
			snprintf(vals, sizeof(vals), "%u..%u s (Nm, Nh, Nd)",
				 ki->min, ki->max);
			break;
		default:
			snprintf(vals, sizeof(vals), "%u..%u", ki->min, ki->max);
		}
		fprintf(f, "  %-26s %-26s %s\n",
			msh_knob_name(k, name, sizeof(name)), vals, ki->doc);
	}
}
