// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Text and JSON printers for mailshieldctl, and the key=value log line
 * formatter of mailshieldd.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "output.h"

const struct msh_stats_name msh_stats_names[] = {
	{ MAILSHIELD_STATS_A_RX_PACKETS,	"rx_packets" },
	{ MAILSHIELD_STATS_A_RX_BYTES,		"rx_bytes" },
	{ MAILSHIELD_STATS_A_RX_SYN,		"rx_syn" },
	{ MAILSHIELD_STATS_A_RX_FIN,		"rx_fin" },
	{ MAILSHIELD_STATS_A_RX_RST,		"rx_rst" },
	{ MAILSHIELD_STATS_A_TX_PACKETS,	"tx_packets" },
	{ MAILSHIELD_STATS_A_TX_BYTES,		"tx_bytes" },
	{ MAILSHIELD_STATS_A_TX_SYNACK,		"tx_synack" },
	{ MAILSHIELD_STATS_A_TX_FIN,		"tx_fin" },
	{ MAILSHIELD_STATS_A_TX_RST,		"tx_rst" },
	{ MAILSHIELD_STATS_A_RX_PACKETS_V6,	"rx_packets_v6" },
	{ MAILSHIELD_STATS_A_TX_PACKETS_V6,	"tx_packets_v6" },
	/* connection admission */
	{ MAILSHIELD_STATS_A_COOKIES_SENT,	"cookies_sent" },
	{ MAILSHIELD_STATS_A_COOKIES_VALID,	"cookies_valid" },
	{ MAILSHIELD_STATS_A_COOKIES_INVALID,	"cookies_invalid" },
	{ MAILSHIELD_STATS_A_SYNACK_LIMITED,	"synack_limited" },
	{ MAILSHIELD_STATS_A_OVER_CONCURRENCY,	"over_concurrency" },
	{ MAILSHIELD_STATS_A_OVER_RATE,		"over_rate" },
	{ MAILSHIELD_STATS_A_BANNED,		"banned" },
	{ MAILSHIELD_STATS_A_SOURCES_FULL,	"sources_full" },
	{ MAILSHIELD_STATS_A_ALLOWLISTED,	"allowlisted" },
	{ MAILSHIELD_STATS_A_BANS,		"bans" },
	{ MAILSHIELD_STATS_A_SOURCES,		"sources" },
	/* SMTP inspection */
	{ MAILSHIELD_STATS_A_FLOWS,		"flows" },
	{ MAILSHIELD_STATS_A_FLOWS_CREATED,	"flows_created" },
	{ MAILSHIELD_STATS_A_FLOWS_FULL,	"flows_full" },
	{ MAILSHIELD_STATS_A_OOO_DROPS,		"ooo_drops" },
	{ MAILSHIELD_STATS_A_RETRANS_BYTES,	"retrans_bytes" },
	{ MAILSHIELD_STATS_A_VIOLATIONS,	"violations" },
	{ MAILSHIELD_STATS_A_VIOLATIONS_LOGGED,	"violations_logged" },
	/* the stream model */
	{ MAILSHIELD_STATS_A_BAD_SEGMENTS,	"bad_segments" },
	{ MAILSHIELD_STATS_A_URGENT_CLEARED,	"urgent_cleared" },
	{ MAILSHIELD_STATS_A_FRAGMENTS,		"fragments" },
	{ MAILSHIELD_STATS_A_FLOWS_UNINSPECTED,	"flows_uninspected" },
	{ MAILSHIELD_STATS_A_INFLIGHT_DROPS,	"inflight_drops" },
	{ MAILSHIELD_STATS_A_FLOWS_ABORTED,	"flows_aborted" },
};
const size_t msh_stats_count = sizeof(msh_stats_names) /
			       sizeof(msh_stats_names[0]);

#define KEYW "%-17s "	/* width of the key column in text output */

char *msh_format_ports(const struct msh_policy *p, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;
	int n;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < p->nports && off < len; i++) {
		n = snprintf(buf + off, len - off, "%s%u", i ? "," : "",
			     p->ports[i]);
		if (n < 0)
			break;
		off += (size_t)n;
	}
	return buf;
}

static void json_policy(FILE *f, const struct msh_policy *p)
{
	unsigned int i;

	fprintf(f, "{\"enabled\": %s, \"ports\": [",
		p->enabled ? "true" : "false");
	for (i = 0; i < p->nports; i++)
		fprintf(f, "%s%u", i ? ", " : "", p->ports[i]);
	fputc(']', f);
	msh_admit_print_json(f, &p->admit);
	msh_smtp_print_json(f, &p->smtp);
	fputc('}', f);
}

static void json_stats(FILE *f, const struct msh_stats *s)
{
	size_t i;

	fputc('{', f);
	for (i = 0; i < msh_stats_count; i++) {
		fprintf(f, "%s", i ? ", " : "");
		json_string(f, msh_stats_names[i].name);
		fprintf(f, ": %" PRIu64, s->v[msh_stats_names[i].attr]);
	}
	fputs(", ", f);
	msh_smtp_print_reasons(f, s->reasons, true);
	fputc('}', f);
}

static void text_policy(FILE *f, const struct msh_policy *p)
{
	char ports[MAILSHIELD_MAX_PORTS * 6 + 1];

	fprintf(f, KEYW "%s\n", "enabled", p->enabled ? "yes" : "no");
	fprintf(f, KEYW "%s\n", "ports",
		msh_format_ports(p, ports, sizeof(ports)));
	msh_admit_print_text(f, &p->admit);
	msh_smtp_print_text(f, &p->smtp);
}

static void text_stats(FILE *f, const struct msh_stats *s)
{
	size_t i;

	for (i = 0; i < msh_stats_count; i++)
		fprintf(f, KEYW "%" PRIu64 "\n", msh_stats_names[i].name,
			s->v[msh_stats_names[i].attr]);
	msh_smtp_print_reasons(f, s->reasons, false);
}

void msh_print_policy(FILE *f, const struct msh_policy *p, bool json)
{
	if (json) {
		json_policy(f, p);
		fputc('\n', f);
	} else {
		text_policy(f, p);
	}
}

void msh_print_stats(FILE *f, const struct msh_stats *s, bool json)
{
	if (json) {
		json_stats(f, s);
		fputc('\n', f);
	} else {
		text_stats(f, s);
	}
}

void msh_print_status(FILE *f, const struct msh_status *st, bool json)
{
	if (json) {
		fputs("{\"module\": {\"loaded\": true, \"version\": ", f);
		if (st->module_version)
			json_string(f, st->module_version);
		else
			fputs("null", f);
		fputs("}, \"family\": {\"name\": ", f);
		json_string(f, MAILSHIELD_GENL_NAME);
		fprintf(f, ", \"id\": %d, \"version\": %u}, \"policy\": ",
			st->family_id, st->family_version);
		json_policy(f, &st->policy);
		fputs(", \"stats\": ", f);
		json_stats(f, &st->stats);
		fputs("}\n", f);
		return;
	}
	fprintf(f, KEYW "loaded, version %s\n", "module",
		st->module_version ? st->module_version : "unknown");
	fprintf(f, KEYW "%s, id %d, version %u\n", "family",
		MAILSHIELD_GENL_NAME, st->family_id, st->family_version);
	text_policy(f, &st->policy);
	text_stats(f, &st->stats);
}

void msh_format_event(char *buf, size_t len, const struct msh_event *ev)
{
	char tmp[MAILSHIELD_MAX_PORTS * 6 + 1];

	if (!len)
		return;
	buf[0] = '\0';
	switch (ev->kind) {
	case MSH_EV_FAMILY_NEW:
		msh_kv(buf, len, "event", "module-loaded");
		return;
	case MSH_EV_FAMILY_DEL:
		msh_kv(buf, len, "event", "module-unloaded");
		return;
	case MSH_EV_KERNEL:
		break;
	}
	if (ev->type == MAILSHIELD_EVENT_POLICY) {
		msh_kv(buf, len, "event", "policy");
	} else if (ev->type == MAILSHIELD_EVENT_BAN ||
		   ev->type == MAILSHIELD_EVENT_UNBAN) {
		msh_kv(buf, len, "event",
		       ev->type == MAILSHIELD_EVENT_BAN ? "ban" : "unban");
		msh_admit_format_event(buf, len, &ev->ban);
	} else if (ev->type == MAILSHIELD_EVENT_VIOLATION) {
		msh_kv(buf, len, "event", "violation");
		msh_admit_format_event(buf, len, &(struct msh_ban_event){
			.has_addr = ev->ban.has_addr, .addr = ev->ban.addr });
		msh_smtp_format_event(buf, len, ev->ban.reason, &ev->viol);
	} else {
		msh_kv(buf, len, "event", "unknown");
		snprintf(tmp, sizeof(tmp), "%u", ev->type);
		msh_kv(buf, len, "type", tmp);
	}
	if (ev->has_policy) {
		if (ev->policy.has_enabled)
			msh_kv(buf, len, "enabled",
			       ev->policy.enabled ? "1" : "0");
		if (ev->policy.has_ports)
			msh_kv(buf, len, "ports",
			       msh_format_ports(&ev->policy, tmp, sizeof(tmp)));
	}
	if (ev->suppressed) {
		snprintf(tmp, sizeof(tmp), "%u", ev->suppressed);
		msh_kv(buf, len, "suppressed", tmp);
	}
}
