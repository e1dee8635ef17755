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

const struct msh_counter_name msh_counter_names[] = {
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
	{ MAILSHIELD_STATS_A_SYNACK_RETRANS,	"synack_retrans" },
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
	/* recipients */
	{ MAILSHIELD_STATS_A_RCPT_CHECKED,	"rcpt_checked" },
	{ MAILSHIELD_STATS_A_RCPT_UNKNOWN,	"rcpt_unknown" },
	{ MAILSHIELD_STATS_A_RCPT_OUTSIDE,	"rcpt_outside" },
	{ MAILSHIELD_STATS_A_RCPT_LEARNED,	"rcpt_learned" },
};
const size_t msh_counter_count = sizeof(msh_counter_names) /
			       sizeof(msh_counter_names[0]);

#define KEYW "%-17s "	/* width of the key column in text output */

static json_object *json_policy(const struct msh_knobs *p)
{
	json_object *obj = json_object_new_object();

	msh_knobs_to_json(p, obj);
	return obj;
}

static json_object *json_stats(const struct msh_counters *s)
{
	json_object *obj = json_object_new_object(), *r;
	size_t i;

	for (i = 0; i < msh_counter_count; i++)
		msh_json_num(obj, msh_counter_names[i].name,
			     s->v[msh_counter_names[i].attr]);
	r = json_object_new_object();
	for (i = 0; i < __MAILSHIELD_VIOLATION_MAX; i++)
		msh_json_num(r, msh_violation_name(i), s->reasons[i]);
	json_object_object_add(obj, "violation_reasons", r);
	return obj;
}

static void text_stats(FILE *f, const struct msh_counters *s)
{
	size_t i;

	for (i = 0; i < msh_counter_count; i++)
		fprintf(f, KEYW "%" PRIu64 "\n", msh_counter_names[i].name,
			s->v[msh_counter_names[i].attr]);
	msh_smtp_print_reasons(f, s->reasons);
}

void msh_print_policy(FILE *f, const struct msh_knobs *p, bool json)
{
	if (json)
		msh_json_print(f, json_policy(p));
	else
		msh_knobs_print_text(f, p);
}

void msh_print_stats(FILE *f, const struct msh_counters *s, bool json)
{
	if (json)
		msh_json_print(f, json_stats(s));
	else
		text_stats(f, s);
}

void msh_print_status(FILE *f, const struct msh_status *st, bool json)
{
	json_object *obj, *m;

	if (json) {
		obj = json_object_new_object();
		m = json_object_new_object();
		json_object_object_add(m, "loaded",
				       json_object_new_boolean(1));
		json_object_object_add(m, "version", st->module_version ?
				       json_object_new_string(st->module_version) :
				       NULL);
		json_object_object_add(obj, "module", m);
		m = json_object_new_object();
		json_object_object_add(m, "name",
				       json_object_new_string(MAILSHIELD_GENL_NAME));
		json_object_object_add(m, "id",
				       json_object_new_int(st->family_id));
		json_object_object_add(m, "version",
				       json_object_new_int64(st->family_version));
		json_object_object_add(obj, "family", m);
		json_object_object_add(obj, "policy", json_policy(&st->policy));
		json_object_object_add(obj, "stats", json_stats(&st->stats));
		msh_json_print(f, obj);
		return;
	}
	fprintf(f, KEYW "loaded, version %s\n", "module",
		st->module_version ? st->module_version : "unknown");
	fprintf(f, KEYW "%s, id %d, version %u\n", "family",
		MAILSHIELD_GENL_NAME, st->family_id, st->family_version);
	msh_knobs_print_text(f, &st->policy);
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
		msh_ban_format_event(buf, len, &ev->ban);
	} else if (ev->type == MAILSHIELD_EVENT_VIOLATION) {
		msh_kv(buf, len, "event", "violation");
		msh_ban_format_event(buf, len, &(struct msh_ban_msg){
			.has_addr = ev->ban.has_addr, .addr = ev->ban.addr });
		msh_smtp_format_event(buf, len, ev->ban.reason, &ev->viol);
	} else if (ev->type == MAILSHIELD_EVENT_RECIPIENT) {
		msh_kv(buf, len, "event", "recipient");
		msh_ban_format_event(buf, len, &(struct msh_ban_msg){
			.has_addr = ev->ban.has_addr, .addr = ev->ban.addr });
		msh_rcpt_format_event(buf, len, ev->ban.reason, &ev->viol);
	} else {
		msh_kv(buf, len, "event", "unknown");
		snprintf(tmp, sizeof(tmp), "%u", ev->type);
		msh_kv(buf, len, "type", tmp);
	}
	if (ev->has_policy) {
		if (msh_knob_has(&ev->policy, MSH_KNOB_ENABLED))
			msh_kv(buf, len, "enabled",
			       ev->policy.v[MSH_KNOB_ENABLED] ? "1" : "0");
		if (msh_knob_has(&ev->policy, MSH_KNOB_PORTS))
			msh_kv(buf, len, "ports",
			       msh_format_port_list(ev->policy.ports[0],
						    ev->policy.nports[0], tmp,
						    sizeof(tmp)));
	}
	if (ev->suppressed) {
		snprintf(tmp, sizeof(tmp), "%u", ev->suppressed);
		msh_kv(buf, len, "suppressed", tmp);
	}
}
