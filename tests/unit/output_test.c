// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Unit tests of the mailshieldctl printers and the mailshieldd log line
 * formatter (daemon/output.c, daemon/json.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "json.h"
#include "knobs.h"
#include "output.h"
#include "unit.h"

static char *buf;
static size_t buflen;

static FILE *mem(void)
{
	FILE *f;

	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &buflen);
	if (!f) {
		perror("open_memstream");
		exit(EXIT_FAILURE);
	}
	return f;
}

static void expect_str(const char *name, const char *got, const char *want)
{
	bool ok = !strcmp(got, want);

	if (!ok) {
		unit_diag("%s: got  [%s]", name, got);
		unit_diag("%s: want [%s]", name, want);
	}
	unit_result(name, ok, NULL);
}

static struct msh_knobs policy(bool enabled, const uint16_t *ports,
			       unsigned int n)
{
	struct msh_knobs p;

	memset(&p, 0, sizeof(p));
	p.set = MSH_KNOB_BIT(MSH_KNOB_ENABLED) | MSH_KNOB_BIT(MSH_KNOB_PORTS);
	p.v[MSH_KNOB_ENABLED] = enabled;
	p.nports[0] = n;
	memcpy(p.ports[0], ports, n * sizeof(*ports));
	return p;
}

static struct msh_counters stats(void)
{
	struct msh_counters s;
	int i;

	memset(&s, 0, sizeof(s));
	for (i = MAILSHIELD_STATS_A_RX_PACKETS; i <= MAILSHIELD_STATS_A_MAX; i++)
		s.v[i] = (uint64_t)i * 1000;
	s.v[MAILSHIELD_STATS_A_RX_BYTES] = 18446744073709551615ULL;
	return s;
}

int main(void)
{
	static const uint16_t ports[] = { 25, 587, 465 };
	struct msh_knobs p = policy(true, ports, 3), def;
	struct msh_counters s = stats();
	struct msh_status st;
	struct msh_event ev;
	char line[256];
	FILE *f;

	f = mem();
	msh_print_policy(f, &p, true);
	fclose(f);
	expect_str("output policy json", buf,
		   "{\"enabled\":true,\"ports\":[25,587,465]}\n");

	f = mem();
	p.v[MSH_KNOB_ENABLED] = false;
	p.nports[0] = 1;
	msh_print_policy(f, &p, true);
	fclose(f);
	expect_str("output policy json disabled one port", buf,
		   "{\"enabled\":false,\"ports\":[25]}\n");
	p = policy(true, ports, 3);

	f = mem();
	msh_print_policy(f, &p, false);
	fclose(f);
	expect_str("output policy text", buf,
		   "enabled           yes\n"
		   "ports             25,587,465\n");

	/* the admission keys, in table order */
	msh_knobs_defaults(&def);
	memcpy(p.v, def.v, sizeof(p.v));
	p.set |= MSH_KNOB_BIT(MSH_KNOB_SYNCOOKIES) |
		 MSH_KNOB_BIT(MSH_KNOB_PREFIX_V4) |
		 MSH_KNOB_BIT(MSH_KNOB_PREFIX_V6) |
		 MSH_KNOB_BIT(MSH_KNOB_MAX_CONNS) | MSH_KNOB_BIT(MSH_KNOB_RATE) |
		 MSH_KNOB_BIT(MSH_KNOB_BURST) |
		 MSH_KNOB_BIT(MSH_KNOB_SYNACK_RATE) |
		 MSH_KNOB_BIT(MSH_KNOB_MAX_SOURCES) |
		 MSH_KNOB_BIT(MSH_KNOB_SOURCES_FULL) |
		 MSH_KNOB_BIT(MSH_KNOB_BAN_ACTION) |
		 MSH_KNOB_BIT(MSH_KNOB_BAN_TIME) |
		 MSH_KNOB_BIT(MSH_KNOB_EXEMPT_LOCAL);
	p.v[MSH_KNOB_SYNACK_RATE] = 500;
	f = mem();
	msh_print_policy(f, &p, true);
	fclose(f);
	expect_str("output policy json admission keys", buf,
		   "{\"enabled\":true,\"ports\":[25,587,465],"
		   "\"syncookies\":true,\"prefix_v4\":32,\"prefix_v6\":64,"
		   "\"max_conns\":20,\"rate\":60,\"burst\":20,"
		   "\"synack_rate\":500,\"max_sources\":65536,"
		   "\"sources_full\":\"admit\","
		   "\"ban_action\":\"drop\",\"ban_time\":3600,"
		   "\"exempt_local\":true}\n");
	f = mem();
	msh_print_policy(f, &p, false);
	fclose(f);
	expect_str("output policy text admission keys", buf,
		   "enabled           yes\n"
		   "ports             25,587,465\n"
		   "syncookies        yes\n"
		   "prefix_v4         32\n"
		   "prefix_v6         64\n"
		   "max_conns         20\n"
		   "rate              60\n"
		   "burst             20\n"
		   "synack_rate       500\n"
		   "max_sources       65536\n"
		   "sources_full      admit\n"
		   "ban_action        drop\n"
		   "ban_time          3600\n"
		   "exempt_local      yes\n");

	/* only the fields the kernel sent are printed */
	p.set = MSH_KNOB_BIT(MSH_KNOB_ENABLED) | MSH_KNOB_BIT(MSH_KNOB_PORTS) |
		MSH_KNOB_BIT(MSH_KNOB_EXEMPT_LOCAL);
	p.v[MSH_KNOB_EXEMPT_LOCAL] = false;
	f = mem();
	msh_print_policy(f, &p, true);
	fclose(f);
	expect_str("output policy json exempt_local off", buf,
		   "{\"enabled\":true,\"ports\":[25,587,465],"
		   "\"exempt_local\":false}\n");
	f = mem();
	msh_print_policy(f, &p, false);
	fclose(f);
	expect_str("output policy text exempt_local off", buf,
		   "enabled           yes\n"
		   "ports             25,587,465\n"
		   "exempt_local      no\n");
	p = policy(true, ports, 3);

	f = mem();
	msh_print_stats(f, &s, true);
	fclose(f);
	expect_str("output stats json keys", buf,
		   "{\"rx_packets\":2000,\"rx_bytes\":18446744073709551615,"
		   "\"rx_syn\":4000,\"rx_fin\":5000,\"rx_rst\":6000,"
		   "\"tx_packets\":7000,\"tx_bytes\":8000,"
		   "\"tx_synack\":9000,\"tx_fin\":10000,\"tx_rst\":11000,"
		   "\"rx_packets_v6\":12000,\"tx_packets_v6\":13000"
		   ",\"cookies_sent\":14000,\"cookies_valid\":15000,\"cookies_invalid\":16000,\"synack_limited\":17000,\"synack_retrans\":43000,\"over_concurrency\":18000,\"over_rate\":19000,\"banned\":20000,\"sources_full\":21000,\"allowlisted\":22000,\"bans\":23000,\"sources\":24000"
		   ",\"flows\":25000,\"flows_created\":26000,\"flows_full\":27000,\"ooo_drops\":28000,\"retrans_bytes\":29000,\"violations\":30000,\"violations_logged\":31000,"
		   "\"bad_segments\":33000,\"urgent_cleared\":34000,\"fragments\":35000,\"flows_uninspected\":36000,\"inflight_drops\":37000,\"flows_aborted\":38000,"
		   "\"rcpt_checked\":39000,\"rcpt_unknown\":40000,\"rcpt_outside\":41000,\"rcpt_learned\":42000,"
		   "\"violation_reasons\":{\"cmd_line\":0,\"text_line\":0,\"auth_line\":0,\"local_part\":0,\"domain\":0,\"path\":0,\"bare_lf\":0,\"bare_cr\":0,\"smuggle\":0,\"nul\":0,\"pregreet\":0,\"starttls_inject\":0,\"pipeline\":0,\"pipeline_depth\":0,\"junk\":0,\"bdat\":0,\"reply_line\":0,\"reply_syntax\":0,\"retransmit\":0}}\n");

	f = mem();
	msh_print_stats(f, &s, false);
	fclose(f);
	expect_str("output stats text aligned", buf,
		   "rx_packets        2000\n"
		   "rx_bytes          18446744073709551615\n"
		   "rx_syn            4000\n"
		   "rx_fin            5000\n"
		   "rx_rst            6000\n"
		   "tx_packets        7000\n"
		   "tx_bytes          8000\n"
		   "tx_synack         9000\n"
		   "tx_fin            10000\n"
		   "tx_rst            11000\n"
		   "rx_packets_v6     12000\n"
		   "tx_packets_v6     13000\n"
		   "cookies_sent      14000\n"
		   "cookies_valid     15000\n"
		   "cookies_invalid   16000\n"
		   "synack_limited    17000\n"
		   "synack_retrans    43000\n"
		   "over_concurrency  18000\n"
		   "over_rate         19000\n"
		   "banned            20000\n"
		   "sources_full      21000\n"
		   "allowlisted       22000\n"
		   "bans              23000\n"
		   "sources           24000\n"
		   "flows             25000\n"
		   "flows_created     26000\n"
		   "flows_full        27000\n"
		   "ooo_drops         28000\n"
		   "retrans_bytes     29000\n"
		   "violations        30000\n"
		   "violations_logged 31000\n"
		   "bad_segments      33000\n"
		   "urgent_cleared    34000\n"
		   "fragments         35000\n"
		   "flows_uninspected 36000\n"
		   "inflight_drops    37000\n"
		   "flows_aborted     38000\n"
		   "rcpt_checked      39000\n"
		   "rcpt_unknown      40000\n"
		   "rcpt_outside      41000\n"
		   "rcpt_learned      42000\n"
		   "violations.cmd_line         0\n"
		   "violations.text_line        0\n"
		   "violations.auth_line        0\n"
		   "violations.local_part       0\n"
		   "violations.domain           0\n"
		   "violations.path             0\n"
		   "violations.bare_lf          0\n"
		   "violations.bare_cr          0\n"
		   "violations.smuggle          0\n"
		   "violations.nul              0\n"
		   "violations.pregreet         0\n"
		   "violations.starttls_inject  0\n"
		   "violations.pipeline         0\n"
		   "violations.pipeline_depth   0\n"
		   "violations.junk             0\n"
		   "violations.bdat             0\n"
		   "violations.reply_line       0\n"
		   "violations.reply_syntax     0\n"
		   "violations.retransmit       0\n");

	memset(&st, 0, sizeof(st));
	st.module_version = "0.1 \"dev\"";
	st.family_id = 34;
	st.family_version = 1;
	st.policy = p;
	memset(&st.stats, 0, sizeof(st.stats));
	f = mem();
	msh_print_status(f, &st, true);
	fclose(f);
	expect_str("output status json", buf,
		   "{\"module\":{\"loaded\":true,\"version\":\"0.1 \\\"dev\\\"\"},"
		   "\"family\":{\"name\":\"mailshield\",\"id\":34,\"version\":1},"
		   "\"policy\":{\"enabled\":true,\"ports\":[25,587,465]},"
		   "\"stats\":{\"rx_packets\":0,\"rx_bytes\":0,\"rx_syn\":0,"
		   "\"rx_fin\":0,\"rx_rst\":0,\"tx_packets\":0,\"tx_bytes\":0,"
		   "\"tx_synack\":0,\"tx_fin\":0,\"tx_rst\":0,"
		   "\"rx_packets_v6\":0,\"tx_packets_v6\":0"
		   ",\"cookies_sent\":0,\"cookies_valid\":0,\"cookies_invalid\":0,\"synack_limited\":0,\"synack_retrans\":0,\"over_concurrency\":0,\"over_rate\":0,\"banned\":0,\"sources_full\":0,\"allowlisted\":0,\"bans\":0,\"sources\":0"
		   ",\"flows\":0,\"flows_created\":0,\"flows_full\":0,\"ooo_drops\":0,\"retrans_bytes\":0,\"violations\":0,\"violations_logged\":0,\"bad_segments\":0,\"urgent_cleared\":0,\"fragments\":0,\"flows_uninspected\":0,\"inflight_drops\":0,\"flows_aborted\":0,\"rcpt_checked\":0,\"rcpt_unknown\":0,\"rcpt_outside\":0,\"rcpt_learned\":0,\"violation_reasons\":{\"cmd_line\":0,\"text_line\":0,\"auth_line\":0,\"local_part\":0,\"domain\":0,\"path\":0,\"bare_lf\":0,\"bare_cr\":0,\"smuggle\":0,\"nul\":0,\"pregreet\":0,\"starttls_inject\":0,\"pipeline\":0,\"pipeline_depth\":0,\"junk\":0,\"bdat\":0,\"reply_line\":0,\"reply_syntax\":0,\"retransmit\":0}}}\n");

	st.module_version = NULL;
	f = mem();
	msh_print_status(f, &st, false);
	fclose(f);
	{
		static const char head[] =
			"module            loaded, version unknown\n"
			"family            mailshield, id 34, version 1\n"
			"enabled           yes\n"
			"ports             25,587,465\n"
			"rx_packets        0\n";

		expect_str("output status text", strncmp(buf, head,
			   strlen(head)) ? buf : head, head);
	}

	f = mem();
	msh_json_print(f, json_object_new_string("a\"b\\c\n\t\x01z/"));
	fclose(f);
	expect_str("output json string escaping", buf,
		   "\"a\\\"b\\\\c\\n\\t\\u0001z/\"\n");

	/* sources and flows: one JSON object per row, built with json-c */
	{
		struct msh_source_row src = {
			.net = { .family = AF_INET, .addr = { 192, 0, 2, 0 },
				 .plen = 24 },
			.flows = 2, .banned = true,
			.ban_reason = MAILSHIELD_BAN_REASON_RECIPIENTS,
			.ban_left_ms = UINT64_MAX,
		};
		struct msh_flow_row fl = {
			.family = AF_INET6, .client = { 0x20, 0x01, 0x0d, 0xb8 },
			.server = { [15] = 1 }, .cport = 40000, .sport = 25,
			.state = MAILSHIELD_FLOW_STATE_DATA, .rx_bytes = 5,
		};

		f = mem();
		msh_json_print(f, msh_source_json(&src));
		fclose(f);
		expect_str("output source json", buf,
			   "{\"addr\":\"192.0.2.0\",\"prefix\":24,\"flows\":2,"
			   "\"tokens\":0,\"refusals\":0,\"violations\":0,"
			   "\"bad_rcpts\":0,\"violations_total\":0,"
			   "\"bad_rcpts_total\":0,\"idle\":0,\"banned\":true,"
			   "\"reason\":\"recipients\",\"ban_left\":null}\n");
		f = mem();
		msh_json_print(f, msh_flow_json(&fl));
		fclose(f);
		expect_str("output flow json", buf,
			   "{\"client\":\"2001:db8::\",\"client_port\":40000,"
			   "\"server\":\"::1\",\"server_port\":25,"
			   "\"state\":\"data\",\"rx_bytes\":5,\"tx_bytes\":0,"
			   "\"age\":0,\"idle\":0,\"pending\":0,\"junk\":0,"
			   "\"violations\":0}\n");
	}

	line[0] = '\0';
	msh_kv(line, sizeof(line), "msg", "reload");
	msh_kv(line, sizeof(line), "error", "f.conf:3: [general] x: \"bad\"");
	msh_kv(line, sizeof(line), "empty", "");
	msh_kv(line, sizeof(line), "eq", "a=b");
	expect_str("output kv quoting", line,
		   "msg=reload error=\"f.conf:3: [general] x: \\\"bad\\\"\" "
		   "empty=\"\" eq=\"a=b\"");

	line[0] = '\0';
	msh_kv(line, 12, "key", "0123456789");
	unit_result("output kv truncates safely", strlen(line) < 12, NULL);

	memset(&ev, 0, sizeof(ev));
	ev.kind = MSH_EV_KERNEL;
	ev.type = MAILSHIELD_EVENT_POLICY;
	ev.has_policy = true;
	ev.policy = p;
	msh_format_event(line, sizeof(line), &ev);
	expect_str("output event policy line", line,
		   "event=policy enabled=1 ports=25,587,465");

	ev.suppressed = 7;
	ev.policy.v[MSH_KNOB_ENABLED] = false;
	msh_format_event(line, sizeof(line), &ev);
	expect_str("output event suppressed", line,
		   "event=policy enabled=0 ports=25,587,465 suppressed=7");

	memset(&ev, 0, sizeof(ev));
	ev.type = 99;
	msh_format_event(line, sizeof(line), &ev);
	expect_str("output event unknown type", line, "event=unknown type=99");

	ev.kind = MSH_EV_FAMILY_DEL;
	msh_format_event(line, sizeof(line), &ev);
	expect_str("output event module unloaded", line,
		   "event=module-unloaded");

	free(buf);
	return unit_exit();
}
