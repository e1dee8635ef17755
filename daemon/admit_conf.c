// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Connection admission in userspace, the parts without netlink: value
 * parsers, the [limits], [bans] and [allowlist] sections, and printers.
 * See admit.h.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "admit.h"
#include "config.h"
#include "json.h"
#include "output.h"
#include "text.h"

#define AK(a, k)	((a)->set & (1U << (k)))

void msh_admit_defaults(struct msh_admit_cfg *a)
{
	memset(a, 0, sizeof(*a));
	a->set = (1U << MSH_AK_NUM) - 1;
	a->syncookies = true;
	a->exempt_local = true;
	a->prefix4 = 32;
	a->prefix6 = 64;
	a->sources_full = MAILSHIELD_FULL_ADMIT;
	a->ban_action = MAILSHIELD_BAN_DROP;
	a->max_conns = 20;
	a->rate = 60;
	a->burst = 20;
	a->synack_rate = 200;
	a->max_sources = 65536;
	a->ban_time = 3600;
}

/* ---- value parsers ---------------------------------------------------- */

static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out,
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
		msh_seterr(err, errlen, "%.32s out of range (%u..%u)", s, min, max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int msh_parse_duration(const char *s, uint32_t *out, char *err, size_t errlen)
{
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
			msh_seterr(err, errlen,
			       "invalid duration \"%.32s\" (N, Ns, Nm, Nh or Nd)",
			       s);
			return -1;
		}
		n--;
	}
	if (!n || n >= sizeof(num)) {
		msh_seterr(err, errlen,
		       "invalid duration \"%.32s\" (N, Ns, Nm, Nh or Nd)", s);
		return -1;
	}
	memcpy(num, s, n);
	num[n] = '\0';
	if (parse_u32(num, 0, 31622400 / mult, &v, err, errlen)) {
		msh_seterr(err, errlen,
		       "invalid duration \"%.32s\" (0..31622400 seconds, e.g. 3600, 60m, 1h, 7d)",
		       s);
		return -1;
	}
	*out = v * mult;
	return 0;
}

int msh_parse_cidr(const char *s, struct msh_cidr *c, bool need_net,
		   char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash;
	uint32_t plen = 0, max;
	size_t alen, i;

	memset(c, 0, sizeof(*c));
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (!alen || alen >= sizeof(buf)) {
		msh_seterr(err, errlen, "invalid address \"%.48s\"", s);
		return -1;
	}
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, c->addr) == 1) {
		c->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, c->addr) == 1) {
		c->family = AF_INET6;
		max = 128;
	} else {
		msh_seterr(err, errlen, "invalid address \"%.48s\"", buf);
		return -1;
	}
	if (slash) {
		if (parse_u32(slash + 1, 1, max, &plen, err, errlen)) {
			msh_seterr(err, errlen,
			       "invalid prefix length \"%.8s\" (1..%u)",
			       slash + 1, max);
			return -1;
		}
	}
	c->plen = (uint8_t)plen;
	if (!need_net)
		return 0;
	if (!plen)
		c->plen = (uint8_t)max;
	for (i = 0; i < max / 8; i++) {
		unsigned int bit = (unsigned int)i * 8;
		uint8_t keep;

		if (bit >= c->plen)
			keep = 0;
		else if (bit + 8 <= c->plen)
			keep = 0xff;
		else
			keep = (uint8_t)(0xff << (8 - (c->plen - bit)));
		if (c->addr[i] & ~keep) {
			msh_seterr(err, errlen,
			       "%.48s has host bits set beyond /%u", s,
			       c->plen);
			return -1;
		}
	}
	return 0;
}

char *msh_format_cidr(const struct msh_cidr *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(c->family, c->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (c->plen)
		snprintf(buf, len, "%s/%u", a, c->plen);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

/* ---- configuration ------------------------------------------------------ */

static int set_field(const char *key, const char *v, struct msh_admit_cfg *a,
		     char *err, size_t errlen)
{
	uint32_t x;
	bool b;

	if (!strcmp(key, "syncookies")) {
		if (msh_parse_bool(v, &b, err, errlen))
			return -1;
		a->syncookies = b;
		a->set |= 1U << MSH_AK_SYNCOOKIES;
	} else if (!strcmp(key, "exempt_local")) {
		if (msh_parse_bool(v, &b, err, errlen))
			return -1;
		a->exempt_local = b;
		a->set |= 1U << MSH_AK_EXEMPT_LOCAL;
	} else if (!strcmp(key, "prefix_v4")) {
		if (parse_u32(v, 8, 32, &x, err, errlen))
			return -1;
		a->prefix4 = (uint8_t)x;
		a->set |= 1U << MSH_AK_PREFIX4;
	} else if (!strcmp(key, "prefix_v6")) {
		if (parse_u32(v, 32, 128, &x, err, errlen))
			return -1;
		a->prefix6 = (uint8_t)x;
		a->set |= 1U << MSH_AK_PREFIX6;
	} else if (!strcmp(key, "max_conns")) {
		if (parse_u32(v, 0, 1000000, &a->max_conns, err, errlen))
			return -1;
		a->set |= 1U << MSH_AK_MAX_CONNS;
	} else if (!strcmp(key, "rate")) {
		if (parse_u32(v, 0, 1000000, &a->rate, err, errlen))
			return -1;
		a->set |= 1U << MSH_AK_RATE;
	} else if (!strcmp(key, "burst")) {
		if (parse_u32(v, 1, 1000000, &a->burst, err, errlen))
			return -1;
		a->set |= 1U << MSH_AK_BURST;
	} else if (!strcmp(key, "synack_rate")) {
		if (parse_u32(v, 0, 100000000, &a->synack_rate, err, errlen))
			return -1;
		a->set |= 1U << MSH_AK_SYNACK_RATE;
	} else if (!strcmp(key, "max_sources")) {
		if (parse_u32(v, 16, 4194304, &a->max_sources, err, errlen))
			return -1;
		a->set |= 1U << MSH_AK_MAX_SOURCES;
	} else if (!strcmp(key, "sources_full")) {
		if (!strcasecmp(v, "admit")) {
			a->sources_full = MAILSHIELD_FULL_ADMIT;
		} else if (!strcasecmp(v, "refuse")) {
			a->sources_full = MAILSHIELD_FULL_REFUSE;
		} else {
			msh_seterr(err, errlen,
			       "invalid value \"%.32s\" (admit or refuse)", v);
			return -1;
		}
		a->set |= 1U << MSH_AK_SOURCES_FULL;
	} else if (!strcmp(key, "ban_action")) {
		if (!strcasecmp(v, "drop")) {
			a->ban_action = MAILSHIELD_BAN_DROP;
		} else if (!strcasecmp(v, "reset")) {
			a->ban_action = MAILSHIELD_BAN_RESET;
		} else {
			msh_seterr(err, errlen,
			       "invalid value \"%.32s\" (drop or reset)", v);
			return -1;
		}
		a->set |= 1U << MSH_AK_BAN_ACTION;
	} else if (!strcmp(key, "ban_time")) {
		if (msh_parse_duration(v, &x, err, errlen))
			return -1;
		if (!x) {
			msh_seterr(err, errlen, "ban_time must be at least 1 second");
			return -1;
		}
		a->ban_time = x;
		a->set |= 1U << MSH_AK_BAN_TIME;
	} else {
		return 1;
	}
	return 0;
}

static const char *const limits_keys[] = {
	"syncookies", "prefix_v4", "prefix_v6", "max_conns", "rate", "burst",
	"synack_rate", "max_sources", "sources_full", "exempt_local", NULL
};
static const char *const bans_keys[] = { "ban_time", "ban_action", NULL };

static bool in_list(const char *const *l, const char *k)
{
	for (; *l; l++)
		if (!strcmp(*l, k))
			return true;
	return false;
}

int msh_allowlist_add(struct msh_allowlist *al, const char *s, char *err,
		      size_t errlen)
{
	struct msh_cidr c;
	char buf[INET6_ADDRSTRLEN + 8];
	unsigned int i;

	if (msh_parse_cidr(s, &c, true, err, errlen))
		return -1;
	for (i = 0; i < al->n; i++) {
		if (al->e[i].family == c.family && al->e[i].plen == c.plen &&
		    !memcmp(al->e[i].addr, c.addr, sizeof(c.addr))) {
			msh_seterr(err, errlen, "duplicate entry %s",
			       msh_format_cidr(&c, buf, sizeof(buf)));
			return -1;
		}
	}
	if (al->n == MSH_ALLOW_MAX) {
		msh_seterr(err, errlen,
		       "too many entries (at most %d over all allow lines and allow_file)",
		       MSH_ALLOW_MAX);
		return -1;
	}
	al->e[al->n++] = c;
	return 0;
}

/* One allow line: its entries are added to those of the earlier lines. */
static int parse_allow(const char *v, struct msh_allowlist *al, char *err,
		       size_t errlen)
{
	char tok[INET6_ADDRSTRLEN + 8];
	const char *p = v, *start;
	size_t n;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		n = (size_t)(p - start);
		if (n >= sizeof(tok)) {
			msh_seterr(err, errlen, "invalid CIDR \"%.48s\"", start);
			return -1;
		}
		memcpy(tok, start, n);
		tok[n] = '\0';
		if (msh_allowlist_add(al, tok, err, errlen))
			return -1;
	}
	return 0;
}

int msh_admit_conf(const char *section, const char *key, const char *value,
		   struct msh_admit_cfg *a, struct msh_allowlist *al,
		   char *err, size_t errlen)
{
	if (!strcmp(section, "limits")) {
		if (!in_list(limits_keys, key)) {
			msh_seterr(err, errlen,
			       "unknown key (known keys: syncookies, prefix_v4, prefix_v6, max_conns, rate, burst, synack_rate, max_sources, sources_full, exempt_local)");
			return -1;
		}
		return set_field(key, value, a, err, errlen) ? -1 : 0;
	}
	if (!strcmp(section, "bans")) {
		if (!in_list(bans_keys, key)) {
			msh_seterr(err, errlen,
			       "unknown key (known keys: ban_time, ban_action)");
			return -1;
		}
		return set_field(key, value, a, err, errlen) ? -1 : 0;
	}
	if (!strcmp(section, "allowlist")) {
		if (strcmp(key, "allow")) {
			msh_seterr(err, errlen,
			       "unknown key (known keys: allow, allow_file)");
			return -1;
		}
		return parse_allow(value, al, err, errlen);
	}
	return 1;
}

int msh_admit_set_key(const char *key, const char *value,
		      struct msh_admit_cfg *a, char *err, size_t errlen)
{
	if (!in_list(limits_keys, key) && !in_list(bans_keys, key))
		return 1;
	return set_field(key, value, a, err, errlen) ? -1 : 0;
}

/* ---- output --------------------------------------------------------------- */

const char *msh_ban_reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[MAILSHIELD_BAN_REASON_NONE]		= "none",
		[MAILSHIELD_BAN_REASON_MANUAL]		= "manual",
		[MAILSHIELD_BAN_REASON_RATE]		= "rate",
		[MAILSHIELD_BAN_REASON_CONCURRENCY]	= "concurrency",
		[MAILSHIELD_BAN_REASON_VIOLATIONS]	= "violations",
		[MAILSHIELD_BAN_REASON_RECIPIENTS]	= "recipients",
	};

	if (reason < sizeof(names) / sizeof(names[0]))
		return names[reason];
	return "unknown";
}

static void addr_only(const struct msh_cidr *c, char *buf, size_t len)
{
	if (!inet_ntop(c->family, c->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

void msh_print_source(FILE *f, const struct msh_source *s, bool json,
		      bool first)
{
	char a[INET6_ADDRSTRLEN], ban[32];

	addr_only(&s->net, a, sizeof(a));
	if (s->banned && s->ban_left_ms == UINT64_MAX)
		snprintf(ban, sizeof(ban), "forever");
	else if (s->banned)
		snprintf(ban, sizeof(ban), "%" PRIu64 "s",
			 (s->ban_left_ms + 999) / 1000);
	else
		snprintf(ban, sizeof(ban), "-");
	if (!json) {
		fprintf(f, "%s/%u flows=%u tokens=%u refusals=%u violations=%u bad_rcpts=%u idle=%us ban=%s reason=%s\n",
			a, s->net.plen, s->flows, s->tokens, s->refusals,
			s->violations, s->bad_rcpts, s->idle_s, ban,
			s->banned ? msh_ban_reason_name(s->ban_reason) : "-");
		return;
	}
	fputs(first ? "" : ", ", f);
	fputs("{\"addr\": ", f);
	json_string(f, a);
	fprintf(f, ", \"prefix\": %u, \"flows\": %u, \"tokens\": %u, \"refusals\": %u, \"violations\": %u, \"bad_rcpts\": %u, \"violations_total\": %u, \"bad_rcpts_total\": %u, \"idle\": %u, \"banned\": %s",
		s->net.plen, s->flows, s->tokens, s->refusals, s->violations,
		s->bad_rcpts, s->violations_total, s->bad_rcpts_total,
		s->idle_s, s->banned ? "true" : "false");
	if (s->banned) {
		fputs(", \"reason\": ", f);
		json_string(f, msh_ban_reason_name(s->ban_reason));
		if (s->ban_left_ms == UINT64_MAX)
			fputs(", \"ban_left\": null", f);
		else
			fprintf(f, ", \"ban_left\": %" PRIu64,
				(s->ban_left_ms + 999) / 1000);
	}
	fputc('}', f);
}

void msh_print_allowlist(FILE *f, const struct msh_allowlist *al, bool json)
{
	char buf[INET6_ADDRSTRLEN + 8];
	unsigned int i;

	if (json)
		fputc('[', f);
	for (i = 0; i < al->n; i++) {
		msh_format_cidr(&al->e[i], buf, sizeof(buf));
		if (json) {
			fputs(i ? ", " : "", f);
			json_string(f, buf);
		} else {
			fprintf(f, "%s\n", buf);
		}
	}
	if (json)
		fputs("]\n", f);
}

#define KEYW "%-17s "

void msh_admit_print_text(FILE *f, const struct msh_admit_cfg *a)
{
	if (AK(a, MSH_AK_SYNCOOKIES))
		fprintf(f, KEYW "%s\n", "syncookies",
			a->syncookies ? "yes" : "no");
	if (AK(a, MSH_AK_PREFIX4))
		fprintf(f, KEYW "%u\n", "prefix_v4", a->prefix4);
	if (AK(a, MSH_AK_PREFIX6))
		fprintf(f, KEYW "%u\n", "prefix_v6", a->prefix6);
	if (AK(a, MSH_AK_MAX_CONNS))
		fprintf(f, KEYW "%u\n", "max_conns", a->max_conns);
	if (AK(a, MSH_AK_RATE))
		fprintf(f, KEYW "%u\n", "rate", a->rate);
	if (AK(a, MSH_AK_BURST))
		fprintf(f, KEYW "%u\n", "burst", a->burst);
	if (AK(a, MSH_AK_SYNACK_RATE))
		fprintf(f, KEYW "%u\n", "synack_rate", a->synack_rate);
	if (AK(a, MSH_AK_MAX_SOURCES))
		fprintf(f, KEYW "%u\n", "max_sources", a->max_sources);
	if (AK(a, MSH_AK_SOURCES_FULL))
		fprintf(f, KEYW "%s\n", "sources_full",
			a->sources_full ? "refuse" : "admit");
	if (AK(a, MSH_AK_EXEMPT_LOCAL))
		fprintf(f, KEYW "%s\n", "exempt_local",
			a->exempt_local ? "yes" : "no");
	if (AK(a, MSH_AK_BAN_ACTION))
		fprintf(f, KEYW "%s\n", "ban_action",
			a->ban_action ? "reset" : "drop");
	if (AK(a, MSH_AK_BAN_TIME))
		fprintf(f, KEYW "%u\n", "ban_time", a->ban_time);
}

void msh_admit_print_json(FILE *f, const struct msh_admit_cfg *a)
{
	if (AK(a, MSH_AK_SYNCOOKIES))
		fprintf(f, ", \"syncookies\": %s",
			a->syncookies ? "true" : "false");
	if (AK(a, MSH_AK_PREFIX4))
		fprintf(f, ", \"prefix_v4\": %u", a->prefix4);
	if (AK(a, MSH_AK_PREFIX6))
		fprintf(f, ", \"prefix_v6\": %u", a->prefix6);
	if (AK(a, MSH_AK_MAX_CONNS))
		fprintf(f, ", \"max_conns\": %u", a->max_conns);
	if (AK(a, MSH_AK_RATE))
		fprintf(f, ", \"rate\": %u", a->rate);
	if (AK(a, MSH_AK_BURST))
		fprintf(f, ", \"burst\": %u", a->burst);
	if (AK(a, MSH_AK_SYNACK_RATE))
		fprintf(f, ", \"synack_rate\": %u", a->synack_rate);
	if (AK(a, MSH_AK_MAX_SOURCES))
		fprintf(f, ", \"max_sources\": %u", a->max_sources);
	if (AK(a, MSH_AK_SOURCES_FULL))
		fprintf(f, ", \"sources_full\": \"%s\"",
			a->sources_full ? "refuse" : "admit");
	if (AK(a, MSH_AK_EXEMPT_LOCAL))
		fprintf(f, ", \"exempt_local\": %s",
			a->exempt_local ? "true" : "false");
	if (AK(a, MSH_AK_BAN_ACTION))
		fprintf(f, ", \"ban_action\": \"%s\"",
			a->ban_action ? "reset" : "drop");
	if (AK(a, MSH_AK_BAN_TIME))
		fprintf(f, ", \"ban_time\": %u", a->ban_time);
}

/* ---- events ------------------------------------------------------------- */

void msh_admit_format_event(char *buf, size_t len,
			    const struct msh_ban_event *b)
{
	char tmp[INET6_ADDRSTRLEN];

	if (b->has_addr) {
		addr_only(&b->addr, tmp, sizeof(tmp));
		msh_kv(buf, len, "addr", tmp);
		snprintf(tmp, sizeof(tmp), "%u", b->addr.plen);
		msh_kv(buf, len, "prefix", tmp);
	}
	if (b->has_reason)
		msh_kv(buf, len, "reason", msh_ban_reason_name(b->reason));
	if (b->has_duration) {
		if (b->duration)
			snprintf(tmp, sizeof(tmp), "%u", b->duration);
		else
			snprintf(tmp, sizeof(tmp), "forever");
		msh_kv(buf, len, "duration", tmp);
	}
}
