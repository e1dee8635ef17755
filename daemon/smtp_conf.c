// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * SMTP inspection in userspace without netlink: the [smtp] keys, their
 * defaults and validation, names of reasons and states, printers.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "json.h"
#include "output.h"
#include "smtp.h"

static const char *const key_names[MSH_SK_NUM] = {
	[MSH_SK_MAX_FLOWS] = "max_flows",
	[MSH_SK_FLOWS_FULL] = "flows_full",
	[MSH_SK_FLOW_TIMEOUT] = "flow_timeout",
	[MSH_SK_CMD_LINE] = "max_command_line",
	[MSH_SK_TEXT_LINE] = "max_text_line",
	[MSH_SK_REPLY_LINE] = "max_reply_line",
	[MSH_SK_LOCAL_PART] = "max_local_part",
	[MSH_SK_DOMAIN] = "max_domain",
	[MSH_SK_PATH] = "max_path",
	[MSH_SK_AUTH_LINE] = "max_auth_line",
	[MSH_SK_MAX_JUNK] = "max_junk_commands",
	[MSH_SK_VIOLATION_ACTION] = "violation_action",
	[MSH_SK_LOG_ONLY] = "log_only",
	[MSH_SK_VIOLATION_BAN] = "violation_ban",
	[MSH_SK_VIOLATION_WINDOW] = "violation_window",
	[MSH_SK_TLS_PORTS] = "tls_ports",
};

/* Valid ranges, the kernel's (kmod/netlink.h). */
static const uint32_t key_min[MSH_SK_NUM] = {
	[MSH_SK_MAX_FLOWS] = 1, [MSH_SK_FLOW_TIMEOUT] = 10,
	[MSH_SK_VIOLATION_WINDOW] = 1,
};

static const uint32_t key_max[MSH_SK_NUM] = {
	[MSH_SK_MAX_FLOWS] = 1U << 22, [MSH_SK_FLOWS_FULL] = 1,
	[MSH_SK_FLOW_TIMEOUT] = 86400, [MSH_SK_CMD_LINE] = 65535,
	[MSH_SK_TEXT_LINE] = 65535, [MSH_SK_REPLY_LINE] = 65535,
	[MSH_SK_LOCAL_PART] = 65535, [MSH_SK_DOMAIN] = 65535,
	[MSH_SK_PATH] = 65535, [MSH_SK_AUTH_LINE] = 65535,
	[MSH_SK_MAX_JUNK] = 65535, [MSH_SK_VIOLATION_ACTION] = 1,
	[MSH_SK_VIOLATION_BAN] = 65535, [MSH_SK_VIOLATION_WINDOW] = 86400,
};

static const char *const reason_names[__MAILSHIELD_VIOLATION_MAX] = {
	"cmd_line", "text_line", "auth_line", "local_part", "domain", "path",
	"bare_lf", "bare_cr", "smuggle", "nul", "pregreet", "starttls_inject",
	"pipeline", "pipeline_depth", "junk", "bdat", "reply_line",
	"reply_syntax", "retransmit",
};

static const char *const state_names[__MAILSHIELD_FLOW_STATE_MAX] = {
	"greeting", "command", "data", "bdat", "sasl", "tls",
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

void msh_smtp_defaults(struct msh_smtp_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->set = (1U << MSH_SK_NUM) - 1;
	c->v[MSH_SK_MAX_FLOWS] = 65536;
	c->v[MSH_SK_FLOWS_FULL] = MAILSHIELD_FULL_ADMIT;
	c->v[MSH_SK_FLOW_TIMEOUT] = 600;
	c->v[MSH_SK_CMD_LINE] = 512;
	c->v[MSH_SK_TEXT_LINE] = 32768;
	c->v[MSH_SK_REPLY_LINE] = 512;
	c->v[MSH_SK_LOCAL_PART] = 64;
	c->v[MSH_SK_DOMAIN] = 255;
	c->v[MSH_SK_PATH] = 256;
	c->v[MSH_SK_AUTH_LINE] = 12288;
	c->v[MSH_SK_MAX_JUNK] = 10;
	c->v[MSH_SK_VIOLATION_ACTION] = MAILSHIELD_VIOLATION_REPLY;
	c->v[MSH_SK_LOG_ONLY] = 1U << MAILSHIELD_VIOLATION_REPLY_LINE |
				1U << MAILSHIELD_VIOLATION_REPLY_SYNTAX;
	c->v[MSH_SK_VIOLATION_BAN] = 5;
	c->v[MSH_SK_VIOLATION_WINDOW] = 600;
	c->ntls = 1;
	c->tls[0] = 465;
}

/* N, Ns, Nm, Nh, Nd */
static int parse_secs(const char *s, uint32_t *out)
{
	unsigned long long v, mul = 1;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	if (*end) {
		switch (*end) {
		case 's': mul = 1; break;
		case 'm': mul = 60; break;
		case 'h': mul = 3600; break;
		case 'd': mul = 86400; break;
		default: return -1;
		}
		if (end[1])
			return -1;
	}
	if (v > UINT32_MAX / mul)
		return -1;
	*out = (uint32_t)(v * mul);
	return 0;
}

static int parse_value(enum msh_smtp_key k, const char *v, uint32_t *out,
		       char *err, size_t errlen)
{
	char buf[512], *tok, *save;
	unsigned long long x;
	char *end;
	int r;

	switch (k) {
	case MSH_SK_FLOWS_FULL:
		if (!strcasecmp(v, "admit") || !strcasecmp(v, "pass"))
			*out = MAILSHIELD_FULL_ADMIT;
		else if (!strcasecmp(v, "refuse"))
			*out = MAILSHIELD_FULL_REFUSE;
		else
			goto bad_word;
		return 0;
	case MSH_SK_VIOLATION_ACTION:
		if (!strcasecmp(v, "reply"))
			*out = MAILSHIELD_VIOLATION_REPLY;
		else if (!strcasecmp(v, "reset"))
			*out = MAILSHIELD_VIOLATION_RESET;
		else
			goto bad_word;
		return 0;
	case MSH_SK_LOG_ONLY:
		*out = 0;
		if (strlen(v) >= sizeof(buf))
			goto bad_word;
		strcpy(buf, v);
		for (tok = strtok_r(buf, ", \t", &save); tok;
		     tok = strtok_r(NULL, ", \t", &save)) {
			if (!strcasecmp(tok, "none"))
				continue;
			r = msh_violation_parse(tok);
			if (r < 0) {
				snprintf(err, errlen,
					 "unknown violation reason '%s'", tok);
				return -1;
			}
			*out |= 1U << r;
		}
		return 0;
	case MSH_SK_FLOW_TIMEOUT:
	case MSH_SK_VIOLATION_WINDOW:
		if (parse_secs(v, out))
			goto bad_num;
		break;
	default:
		errno = 0;
		x = strtoull(v, &end, 10);
		if (errno || end == v || *end || *v == '-' || x > UINT32_MAX)
			goto bad_num;
		*out = (uint32_t)x;
	}
	if (*out < key_min[k] || *out > key_max[k]) {
		snprintf(err, errlen, "%s must be %u..%u", key_names[k],
			 key_min[k], key_max[k]);
		return -1;
	}
	return 0;
bad_num:
	snprintf(err, errlen, "%s: '%s' is not a valid number", key_names[k], v);
	return -1;
bad_word:
	snprintf(err, errlen, "%s: '%s' is not a valid value", key_names[k], v);
	return -1;
}

static int parse_ports(const char *v, struct msh_smtp_cfg *c, char *err,
		       size_t errlen)
{
	char buf[256], *tok, *save, *end;
	unsigned long p;
	unsigned int i;

	if (strlen(v) >= sizeof(buf))
		goto bad;
	strcpy(buf, v);
	c->ntls = 0;
	for (tok = strtok_r(buf, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		if (!strcasecmp(tok, "none"))
			continue;
		p = strtoul(tok, &end, 10);
		if (*end || !p || p > 65535 || c->ntls == MAILSHIELD_MAX_PORTS)
			goto bad;
		for (i = 0; i < c->ntls; i++)
			if (c->tls[i] == p)
				goto bad;
		c->tls[c->ntls++] = (uint16_t)p;
	}
	return 0;
bad:
	snprintf(err, errlen,
		 "tls_ports: '%s' is not a list of distinct ports 1..65535 (at most %d)",
		 v, MAILSHIELD_MAX_PORTS);
	return -1;
}

int msh_smtp_set_key(const char *key, const char *value,
		     struct msh_smtp_cfg *c, char *err, size_t errlen)
{
	int k;

	for (k = 0; k < MSH_SK_NUM; k++)
		if (!strcmp(key, key_names[k]))
			break;
	if (k == MSH_SK_NUM) {
		snprintf(err, errlen, "unknown key '%s' in [smtp]", key);
		return -1;
	}
	if (k == MSH_SK_TLS_PORTS) {
		if (parse_ports(value, c, err, errlen))
			return -1;
	} else if (parse_value(k, value, &c->v[k], err, errlen)) {
		return -1;
	}
	c->set |= 1U << k;
	return 0;
}

int msh_smtp_conf(const char *section, const char *key, const char *value,
		  struct msh_smtp_cfg *c, char *err, size_t errlen)
{
	if (strcmp(section, "smtp"))
		return 1;
	return msh_smtp_set_key(key, value, c, err, errlen);
}

/* Text of field k into buf. */
static const char *value_text(const struct msh_smtp_cfg *c, int k, char *buf,
			      size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	switch (k) {
	case MSH_SK_FLOWS_FULL:
		return c->v[k] == MAILSHIELD_FULL_REFUSE ? "refuse" : "admit";
	case MSH_SK_VIOLATION_ACTION:
		return c->v[k] == MAILSHIELD_VIOLATION_RESET ? "reset" : "reply";
	case MSH_SK_LOG_ONLY:
		for (i = 0; i < __MAILSHIELD_VIOLATION_MAX; i++)
			if (c->v[k] & (1U << i) && off < len)
				off += snprintf(buf + off, len - off, "%s%s",
						off ? "," : "", reason_names[i]);
		return off ? buf : "none";
	case MSH_SK_TLS_PORTS:
		for (i = 0; i < c->ntls && off < len; i++)
			off += snprintf(buf + off, len - off, "%s%u",
					off ? "," : "", c->tls[i]);
		return off ? buf : "none";
	default:
		snprintf(buf, len, "%u", c->v[k]);
		return buf;
	}
}

void msh_smtp_print_text(FILE *f, const struct msh_smtp_cfg *c)
{
	char buf[512], name[64];
	int k;

	/* same layout as the other policy lines: key column, then value */
	for (k = 0; k < MSH_SK_NUM; k++)
		if (c->set & (1U << k)) {
			snprintf(name, sizeof(name), "smtp.%s", key_names[k]);
			fprintf(f, "%-26s %s\n", name,
				value_text(c, k, buf, sizeof(buf)));
		}
}

void msh_smtp_print_json(FILE *f, const struct msh_smtp_cfg *c)
{
	char buf[512], name[64];
	int k;

	for (k = 0; k < MSH_SK_NUM; k++) {
		if (!(c->set & (1U << k)))
			continue;
		snprintf(name, sizeof(name), "smtp_%s", key_names[k]);
		fputs(", ", f);
		json_string(f, name);
		fputs(": ", f);
		if (k == MSH_SK_FLOWS_FULL || k == MSH_SK_VIOLATION_ACTION ||
		    k == MSH_SK_LOG_ONLY || k == MSH_SK_TLS_PORTS)
			json_string(f, value_text(c, k, buf, sizeof(buf)));
		else
			fprintf(f, "%u", c->v[k]);
	}
}

void msh_smtp_print_reasons(FILE *f, const uint64_t *reasons, bool json)
{
	int i;

	if (json) {
		fputs("\"violation_reasons\": {", f);
		for (i = 0; i < __MAILSHIELD_VIOLATION_MAX; i++)
			fprintf(f, "%s\"%s\": %llu", i ? ", " : "",
				reason_names[i], (unsigned long long)reasons[i]);
		fputs("}", f);
		return;
	}
	for (i = 0; i < __MAILSHIELD_VIOLATION_MAX; i++)
	{
		char key[48];

		snprintf(key, sizeof(key), "violations.%s", reason_names[i]);
		fprintf(f, "%-28s%llu\n", key, (unsigned long long)reasons[i]);
	}
}

void msh_print_flow(FILE *f, const struct msh_flow *fl, bool json,
		    bool first)
{
	char c[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	const char *st = fl->state < __MAILSHIELD_FLOW_STATE_MAX ?
			 state_names[fl->state] : "unknown";

	inet_ntop(fl->family, fl->client, c, sizeof(c));
	inet_ntop(fl->family, fl->server, s, sizeof(s));
	if (!json) {
		fprintf(f, "%s%s%s:%u -> %s%s%s:%u state=%s rx=%llu tx=%llu "
			"age=%us idle=%us pending=%u junk=%u violations=%u\n",
			fl->family == AF_INET6 ? "[" : "", c,
			fl->family == AF_INET6 ? "]" : "", fl->cport,
			fl->family == AF_INET6 ? "[" : "", s,
			fl->family == AF_INET6 ? "]" : "", fl->sport, st,
			(unsigned long long)fl->rx_bytes,
			(unsigned long long)fl->tx_bytes, fl->age, fl->idle,
			fl->pending, fl->junk, fl->violations);
		return;
	}
	fprintf(f, "%s{\"client\": \"%s\", \"client_port\": %u, "
		"\"server\": \"%s\", \"server_port\": %u, \"state\": \"%s\", "
		"\"rx_bytes\": %llu, \"tx_bytes\": %llu, \"age\": %u, "
		"\"idle\": %u, \"pending\": %u, \"junk\": %u, "
		"\"violations\": %u}",
		first ? "" : ", ", c, fl->cport, s, fl->sport, st,
		(unsigned long long)fl->rx_bytes,
		(unsigned long long)fl->tx_bytes, fl->age, fl->idle,
		fl->pending, fl->junk, fl->violations);
}

void msh_smtp_format_event(char *buf, size_t len, uint32_t reason,
			   const struct msh_viol_event *v)
{
	char tmp[16];

	msh_kv(buf, len, "reason", msh_violation_name(reason));
	if (v->has_ports) {
		snprintf(tmp, sizeof(tmp), "%u", v->sport);
		msh_kv(buf, len, "sport", tmp);
		snprintf(tmp, sizeof(tmp), "%u", v->dport);
		msh_kv(buf, len, "dport", tmp);
	}
	msh_kv(buf, len, "action", v->logged ? "logged" : "blocked");
}
