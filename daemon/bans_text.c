// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Connection admission in userspace, the parts without netlink: value
 * parsers, the [limits], [bans] and [allowlist] sections, and printers.
 * See bans.h.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "bans.h"
#include "config.h"
#include "json.h"
#include "output.h"
#include "knobs.h"
#include "text.h"

int msh_parse_cidr(const char *s, struct msh_prefix *c, bool need_net,
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
		if (msh_parse_u32(slash + 1, 1, max, &plen, err, errlen)) {
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

char *msh_format_cidr(const struct msh_prefix *c, char *buf, size_t len)
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

int msh_allowlist_add(struct msh_allow_cfg *al, const char *s, char *err,
		      size_t errlen)
{
	struct msh_prefix c;
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
static int parse_allow(const char *v, struct msh_allow_cfg *al, char *err,
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

int msh_allowlist_conf(const char *key, const char *value,
		       struct msh_allow_cfg *al, char *err, size_t errlen)
{
	if (strcmp(key, "allow")) {
		msh_seterr(err, errlen,
			   "unknown key (known keys: allow, allow_file)");
		return -1;
	}
	return parse_allow(value, al, err, errlen);
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

static void addr_only(const struct msh_prefix *c, char *buf, size_t len)
{
	if (!inet_ntop(c->family, c->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

static const char *ban_left(const struct msh_source_row *s, char *buf,
			    size_t len)
{
	if (s->banned && s->ban_left_ms == UINT64_MAX)
		snprintf(buf, len, "forever");
	else if (s->banned)
		snprintf(buf, len, "%" PRIu64 "s",
			 (s->ban_left_ms + 999) / 1000);
	else
		snprintf(buf, len, "-");
	return buf;
}

void msh_print_source(FILE *f, const struct msh_source_row *s)
{
	char a[INET6_ADDRSTRLEN], ban[32];

	addr_only(&s->net, a, sizeof(a));
	fprintf(f, "%s/%u flows=%u tokens=%u refusals=%u violations=%u bad_rcpts=%u idle=%us ban=%s reason=%s\n",
		a, s->net.plen, s->flows, s->tokens, s->refusals,
		s->violations, s->bad_rcpts, s->idle_s,
		ban_left(s, ban, sizeof(ban)),
		s->banned ? msh_ban_reason_name(s->ban_reason) : "-");
}

json_object *msh_source_json(const struct msh_source_row *s)
{
	json_object *o = json_object_new_object();
	char a[INET6_ADDRSTRLEN];

	addr_only(&s->net, a, sizeof(a));
	msh_json_str(o, "addr", a);
	msh_json_num(o, "prefix", s->net.plen);
	msh_json_num(o, "flows", s->flows);
	msh_json_num(o, "tokens", s->tokens);
	msh_json_num(o, "refusals", s->refusals);
	msh_json_num(o, "violations", s->violations);
	msh_json_num(o, "bad_rcpts", s->bad_rcpts);
	msh_json_num(o, "violations_total", s->violations_total);
	msh_json_num(o, "bad_rcpts_total", s->bad_rcpts_total);
	msh_json_num(o, "idle", s->idle_s);
	json_object_object_add(o, "banned", json_object_new_boolean(s->banned));
	if (s->banned) {
		msh_json_str(o, "reason", msh_ban_reason_name(s->ban_reason));
		json_object_object_add(o, "ban_left",
				       s->ban_left_ms == UINT64_MAX ? NULL :
				       json_object_new_uint64(
					(s->ban_left_ms + 999) / 1000));
	}
	return o;
}

void msh_print_allowlist(FILE *f, const struct msh_allow_cfg *al, bool json)
{
	char buf[INET6_ADDRSTRLEN + 8];
	json_object *a = NULL;
	unsigned int i;

	if (json)
		a = json_object_new_array();
	for (i = 0; i < al->n; i++) {
		msh_format_cidr(&al->e[i], buf, sizeof(buf));
		if (json)
			json_object_array_add(a, json_object_new_string(buf));
		else
			fprintf(f, "%s\n", buf);
	}
	if (json)
		msh_json_print(f, a);
}

#define KEYW "%-17s "

void msh_ban_format_event(char *buf, size_t len,
			    const struct msh_ban_msg *b)
{
	char tmp[INET6_ADDRSTRLEN];

	if (b->has_addr) {
		addr_only(&b->addr, tmp, sizeof(tmp));
		msh_kv(buf, len, "addr", tmp);
		/* a host address (violations, recipients) carries no prefix */
		if (b->addr.plen) {
			snprintf(tmp, sizeof(tmp), "%u", b->addr.plen);
			msh_kv(buf, len, "prefix", tmp);
		}
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
