// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Unit tests of the [limits], [bans] and [allowlist] configuration sections
 * (daemon/admit_conf.c through daemon/config.c) and of the value parsers
 * mailshieldctl shares with them, over real files in a temporary directory.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bans.h"
#include "config.h"
#include "knobs.h"
#include "unit.h"
#include "conf_util.h"

static bool load(const char *name, const char *text, struct msh_config *cfg,
		 char *err, size_t errlen)
{
	return msh_config_load(write_conf(name, text), cfg, err, errlen) == 0;
}

static void test_defaults(void)
{
	char err[MSH_CONFIG_ERR_MAX] = "";
	struct msh_config cfg;
	const uint32_t *v = cfg.knobs.v;
	bool ok;

	ok = load("admit-defaults", "[general]\nenabled = yes\n", &cfg, err,
		  sizeof(err));
	ok = ok && cfg.knobs.set == MSH_KNOBS_ALL && v[MSH_KNOB_SYNCOOKIES] &&
	     v[MSH_KNOB_EXEMPT_LOCAL] && v[MSH_KNOB_PREFIX_V4] == 32 &&
	     v[MSH_KNOB_PREFIX_V6] == 64 &&
	     v[MSH_KNOB_MAX_CONNS] == 20 && v[MSH_KNOB_RATE] == 60 &&
	     v[MSH_KNOB_BURST] == 20 &&
	     v[MSH_KNOB_SYNACK_RATE] == 200 &&
	     v[MSH_KNOB_MAX_SOURCES] == 65536 &&
	     v[MSH_KNOB_SOURCES_FULL] == MAILSHIELD_FULL_ADMIT &&
	     v[MSH_KNOB_BAN_ACTION] == MAILSHIELD_BAN_DROP &&
	     v[MSH_KNOB_BAN_TIME] == 3600 &&
	     cfg.allowlist.n == 0;
	if (!ok)
		unit_diag("defaults: %s", err);
	unit_result("admit config defaults", ok, NULL);
}

static void test_all_keys(void)
{
	char err[MSH_CONFIG_ERR_MAX] = "", buf[64];
	struct msh_config cfg;
	const uint32_t *v = cfg.knobs.v;
	bool ok;

	ok = load("admit-all",
		  "[limits]\n"
		  "syncookies = off\n"
		  "prefix_v4 = 24\n"
		  "prefix_v6 = 48\n"
		  "max_conns = 5\n"
		  "rate = 0\n"
		  "burst = 3\n"
		  "synack_rate = 500\n"
		  "max_sources = 1024\n"
		  "sources_full = refuse\n"
		  "exempt_local = no\n"
		  "[bans]\n"
		  "ban_time = 2h\n"
		  "ban_action = reset\n"
		  "[allowlist]\n"
		  "allow = 192.0.2.0/24, 2001:db8::/32 198.51.100.7\n",
		  &cfg, err, sizeof(err));
	if (!ok)
		unit_diag("all keys: %s", err);
	ok = ok && !v[MSH_KNOB_SYNCOOKIES] && !v[MSH_KNOB_EXEMPT_LOCAL] &&
	     v[MSH_KNOB_PREFIX_V4] == 24 && v[MSH_KNOB_PREFIX_V6] == 48 &&
	     v[MSH_KNOB_MAX_CONNS] == 5 && v[MSH_KNOB_RATE] == 0 &&
	     v[MSH_KNOB_BURST] == 3 &&
	     v[MSH_KNOB_SYNACK_RATE] == 500 && v[MSH_KNOB_MAX_SOURCES] == 1024 &&
	     v[MSH_KNOB_SOURCES_FULL] == MAILSHIELD_FULL_REFUSE &&
	     v[MSH_KNOB_BAN_TIME] == 7200 &&
	     v[MSH_KNOB_BAN_ACTION] == MAILSHIELD_BAN_RESET &&
	     cfg.allowlist.n == 3 &&
	     !strcmp(msh_format_cidr(&cfg.allowlist.e[1], buf, sizeof(buf)),
		     "2001:db8::/32") &&
	     !strcmp(msh_format_cidr(&cfg.allowlist.e[2], buf, sizeof(buf)),
		     "198.51.100.7/32");
	unit_result("admit config every key", ok, NULL);
}

static void test_errors(void)
{
	expect_err("admit unknown key", "[limits]\nmax_conn = 5\n",
		   ":2: [limits] max_conn: unknown key (known keys: syncookies, prefix_v4, prefix_v6, max_conns, rate, burst, synack_rate, max_sources, sources_full, exempt_local, synack_retries)");
	expect_err("admit bad exempt_local", "[limits]\nexempt_local = sometimes\n",
		   ":2: [limits] exempt_local: invalid boolean \"sometimes\" (use yes/no, true/false, on/off, 1/0)");
	expect_err("admit exempt_local in [bans]", "[bans]\nexempt_local = no\n",
		   ":2: [bans] exempt_local: unknown key (known keys: ban_action, ban_time)");
	expect_err("admit duplicate exempt_local",
		   "[limits]\nexempt_local = yes\n\n[limits]\nexempt_local = off\n",
		   ":5: [limits] exempt_local: duplicate key (already set on line 2)");
	expect_err("admit prefix out of range", "[limits]\nprefix_v4 = 7\n",
		   ":2: [limits] prefix_v4: 7 out of range (8..32)");
	expect_err("admit burst 0", "[limits]\nburst = 0\n",
		   ":2: [limits] burst: 0 out of range (1..1000000)");
	expect_err("admit bad number", "[limits]\nrate = 10/s\n",
		   ":2: [limits] rate: invalid number \"10/s\"");
	expect_err("admit bad full action", "[limits]\nsources_full = drop\n",
		   ":2: [limits] sources_full: invalid value \"drop\" (admit or refuse)");
	expect_err("admit duplicate key",
		   "[limits]\nrate = 5\n[general]\nenabled = yes\n[limits]\nrate = 6\n",
		   ":6: [limits] rate: duplicate key (already set on line 2)");
	expect_err("admit ban_time 0", "[bans]\nban_time = 0\n",
		   ":2: [bans] ban_time: 0 out of range (1..31622400 seconds)");
	expect_err("admit bad duration", "[bans]\nban_time = 1w\n",
		   ":2: [bans] ban_time: invalid duration \"1w\" (N, Ns, Nm, Nh or Nd)");
	expect_err("admit bad ban action", "[bans]\nban_action = reject\n",
		   ":2: [bans] ban_action: invalid value \"reject\" (drop or reset)");
	expect_err("admit allowlist host bits",
		   "[allowlist]\nallow = 192.0.2.1/24\n",
		   ":2: [allowlist] allow: 192.0.2.1/24 has host bits set beyond /24");
	expect_err("admit allowlist bad address",
		   "[allowlist]\nallow = 192.0.2.0/24, mx.example\n",
		   ":2: [allowlist] allow: invalid address \"mx.example\"");
	expect_err("admit allowlist bad length",
		   "[allowlist]\nallow = 2001:db8::/129\n",
		   ":2: [allowlist] allow: invalid prefix length \"129\" (1..128)");
	expect_err("admit allowlist unknown key",
		   "[allowlist]\ncidr = 192.0.2.0/24\n",
		   ":2: [allowlist] cidr: unknown key (known keys: allow, allow_file)");
}

/* Append " 10.B.C.0/24" for entries first..last-1 (distinct /24s). */
static size_t add_cidrs(char *buf, size_t len, size_t at, unsigned int first,
			unsigned int last, const char *sep)
{
	unsigned int i;

	for (i = first; i < last && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s10.%u.%u.0/24",
				       i == first ? "" : sep, i / 256, i % 256);
	return at;
}

/* Config text: [allowlist] and nlines allow lines of per entries each. */
static void allow_lines(char *buf, size_t len, unsigned int nlines,
			unsigned int per)
{
	size_t at = (size_t)snprintf(buf, len, "[allowlist]\n");
	unsigned int l;

	for (l = 0; l < nlines && at < len; l++) {
		at += (size_t)snprintf(buf + at, len - at, "allow = ");
		at = add_cidrs(buf, len, at, l * per, (l + 1) * per,
			       l % 2 ? " " : ", ");
		at += (size_t)snprintf(buf + at, len - at, "\n");
	}
}

static bool is_cidr(const struct msh_allow_cfg *al, unsigned int i,
		    const char *want)
{
	char buf[64];

	return i < al->n &&
	       !strcmp(msh_format_cidr(&al->e[i], buf, sizeof(buf)), want);
}

static void test_allow_lines(void)
{
	char text[8192], err[MSH_CONFIG_ERR_MAX] = "", want[160];
	struct msh_config cfg;
	unsigned int nlines, line;
	bool ok;

	/* 40 entries over 4 allow lines add up, in order */
	allow_lines(text, sizeof(text), 4, 10);
	ok = load("admit allow 40 over 4 lines", text, &cfg, err, sizeof(err));
	if (!ok)
		unit_diag("40 over 4 lines: %s", err);
	ok = ok && cfg.allowlist.n == 40 &&
	     is_cidr(&cfg.allowlist, 0, "10.0.0.0/24") &&
	     is_cidr(&cfg.allowlist, 10, "10.0.10.0/24") &&
	     is_cidr(&cfg.allowlist, 39, "10.0.39.0/24");
	unit_result("admit allow 40 CIDRs over 4 allow lines", ok, NULL);

	/* exactly the maximum is fine */
	allow_lines(text, sizeof(text), MSH_ALLOW_MAX / 8, 8);
	ok = load("admit allow max", text, &cfg, err, sizeof(err));
	if (!ok)
		unit_diag("256 entries: %s", err);
	ok = ok && cfg.allowlist.n == MSH_ALLOW_MAX &&
	     is_cidr(&cfg.allowlist, MSH_ALLOW_MAX - 1, "10.0.255.0/24");
	unit_result("admit allow 256 CIDRs (the maximum) accepted", ok, NULL);

	/* 300 entries over 30 lines: the line with the 257th is reported */
	nlines = 30;
	allow_lines(text, sizeof(text), nlines, 10);
	line = 2 + MSH_ALLOW_MAX / 10;	/* [allowlist] is line 1 */
	snprintf(want, sizeof(want),
		 ":%u: [allowlist] allow: too many entries (at most %d over all allow lines and allow_file)",
		 line, MSH_ALLOW_MAX);
	expect_err("admit allow 300 CIDRs rejected", text, want);

	expect_err("admit allow duplicate across lines",
		   "[allowlist]\nallow = 192.0.2.0/24, 198.51.100.7\n"
		   "allow = 2001:db8::/32\nallow = 198.51.100.7/32\n",
		   ":4: [allowlist] allow: duplicate entry 198.51.100.7/32");

	/* one long line is refused, not cut: it names the way out */
	snprintf(text, sizeof(text), "[allowlist]\nallow = ");
	add_cidrs(text, sizeof(text), strlen(text), 0, 20, ", ");
	strcat(text, "\n");
	expect_err("admit allow too-long single line", text,
		   ":2: [allowlist] allow: line too long (at most 199 characters; put the entries on several allow lines, or in an allow_file)");
}

static void test_allow_file(void)
{
	char text[8192], err[MSH_CONFIG_ERR_MAX] = "", want[MSH_CONFIG_ERR_MAX];
	char listpath[320], confpath[320];
	struct msh_config cfg;
	size_t at;
	bool ok;

	/* relative to the config's directory; comments and blanks ignored */
	write_conf("allow-list",
		   "# backup MX\n"
		   "192.0.2.0/24\n"
		   "\n"
		   "   # monitoring, indented\n"
		   "\t198.51.100.7   # trailing comment\n"
		   "2001:db8::/32\r\n"
		   "   \n");
	ok = load("admit allow_file comments",
		  "[allowlist]\nallow = 203.0.113.0/24\n"
		  "allow_file = allow-list.conf\nallow = 203.0.113.128/25\n",
		  &cfg, err, sizeof(err));
	if (!ok)
		unit_diag("allow_file: %s", err);
	ok = ok && cfg.allowlist.n == 5 &&
	     is_cidr(&cfg.allowlist, 0, "203.0.113.0/24") &&
	     is_cidr(&cfg.allowlist, 1, "192.0.2.0/24") &&
	     is_cidr(&cfg.allowlist, 2, "198.51.100.7/32") &&
	     is_cidr(&cfg.allowlist, 3, "2001:db8::/32") &&
	     is_cidr(&cfg.allowlist, 4, "203.0.113.128/25");
	unit_result("admit allow_file with comments and blank lines", ok,
		    NULL);

	/* an absolute path, and 300 entries in the file alone */
	at = (size_t)snprintf(text, sizeof(text), "# many\n");
	at = add_cidrs(text, sizeof(text), at, 0, 300, "\n");
	snprintf(text + at, sizeof(text) - at, "\n");
	snprintf(listpath, sizeof(listpath), "%s",
		 write_conf("allow-300", text));
	snprintf(text, sizeof(text), "[limits]\nrate = 5\n[allowlist]\nallow_file = %s\n",
		 listpath);
	snprintf(confpath, sizeof(confpath), "%s",
		 write_conf("admit allow_file 300", text));
	snprintf(want, sizeof(want),
		 "%s:%d: too many entries (at most %d over all allow lines and allow_file) (in the allow_file of %s:4)",
		 listpath, MSH_ALLOW_MAX + 2, MSH_ALLOW_MAX, confpath);
	expect_err_msg("admit allow_file 300 CIDRs rejected as PATH:LINE",
		       confpath, want);

	/* a bad entry is reported at its line in the list file */
	snprintf(listpath, sizeof(listpath), "%s",
		 write_conf("allow-bad", "# list\n192.0.2.0/24\n\nmx.example\n"));
	snprintf(confpath, sizeof(confpath), "%s",
		 write_conf("admit allow_file bad entry",
			    "[allowlist]\nallow_file = allow-bad.conf\n"));
	snprintf(want, sizeof(want),
		 "%s:4: invalid address \"mx.example\" (in the allow_file of %s:2)",
		 listpath, confpath);
	expect_err_msg("admit allow_file bad entry as PATH:LINE", confpath,
		       want);

	snprintf(listpath, sizeof(listpath), "%s",
		 write_conf("allow-two", "192.0.2.0/24 198.51.100.0/24\n"));
	snprintf(confpath, sizeof(confpath), "%s",
		 write_conf("admit allow_file two per line",
			    "[allowlist]\nallow_file = allow-two.conf\n"));
	snprintf(want, sizeof(want),
		 "%s:1: one CIDR per line (got \"192.0.2.0/24 198.51.100.0/24\") (in the allow_file of %s:2)",
		 listpath, confpath);
	expect_err_msg("admit allow_file two CIDRs on a line", confpath, want);

	snprintf(want, sizeof(want),
		 ":3: [allowlist] allow_file: cannot open %s/no-such-list: %s",
		 tmpdir, strerror(ENOENT));
	expect_err("admit allow_file missing",
		   "[allowlist]\nallow = 192.0.2.0/24\nallow_file = no-such-list\n",
		   want);

	expect_err("admit allow_file twice",
		   "[allowlist]\nallow_file = allow-list.conf\n"
		   "[limits]\nrate = 5\n"
		   "[allowlist]\nallow_file = allow-list.conf\n",
		   ":6: [allowlist] allow_file: duplicate key (already set on line 2)");
	expect_err("admit allow_file empty", "[allowlist]\nallow_file =\n",
		   ":2: [allowlist] allow_file: no file given");

	/* an entry of the file that an allow line already has */
	snprintf(confpath, sizeof(confpath), "%s",
		 write_conf("admit allow_file entry already in allow",
			    "[allowlist]\nallow = 198.51.100.7\n"
			    "allow_file = allow-list.conf\n"));
	snprintf(want, sizeof(want),
		 "%s/allow-list.conf:5: duplicate entry 198.51.100.7/32 (in the allow_file of %s:3)",
		 tmpdir, confpath);
	expect_err_msg("admit allow_file entry already in allow", confpath,
		       want);
}

/*
 * Every known key once but allow_file (tested above): 31 keys, 2 in
 * [general] and 29 in the other sections; violation_window is the 30th.
 */
static const char all_keys[] =
	"[general]\nenabled = yes\nports = 25, 587\n"			/* 1-3 */
	"[limits]\nsyncookies = yes\nprefix_v4 = 32\nprefix_v6 = 64\n"	/* 4-7 */
	"max_conns = 20\nrate = 60\nburst = 20\nsynack_rate = 200\n"	/* 8-11 */
	"max_sources = 65536\nsources_full = admit\nexempt_local = yes\n" /* 12-14 */
	"[bans]\nban_time = 1h\nban_action = drop\n"			/* 15-17 */
	"[allowlist]\nallow = 203.0.113.0/24\n"				/* 18-19 */
	"[smtp]\nmax_flows = 65536\nflows_full = admit\n"		/* 20-22 */
	"flow_timeout = 10m\nmax_command_line = 512\n"			/* 23-24 */
	"max_text_line = 32768\nmax_reply_line = 512\n"			/* 25-26 */
	"max_local_part = 64\nmax_domain = 255\nmax_path = 256\n"	/* 27-29 */
	"max_auth_line = 12288\nmax_junk_commands = 10\n"		/* 30-31 */
	"violation_action = reply\nlog_only = reply_line\n"		/* 32-33 */
	"violation_ban = 5\nviolation_window = 10m\ntls_ports = 465\n";	/* 34-36 */

static void test_many_keys(void)
{
	char text[4096], err[MSH_CONFIG_ERR_MAX] = "";
	struct msh_config cfg;
	bool ok;

	ok = load("admit every key once", all_keys, &cfg, err, sizeof(err));
	if (!ok)
		unit_diag("every key once: %s", err);
	ok = ok && cfg.allowlist.n == 1;
	unit_result("admit 31 distinct keys once each accepted", ok, NULL);

	/* the 30th distinct key, which also sorts last of all keys */
	snprintf(text, sizeof(text), "%s[smtp]\nviolation_window = 5m\n",
		 all_keys);
	expect_err("admit duplicate of the 30th distinct key (sorts late)",
		   text,
		   ":38: [smtp] violation_window: duplicate key (already set on line 35)");

	snprintf(text, sizeof(text), "%s[smtp]\ntls_ports = 465, 993\n",
		 all_keys);
	expect_err("admit duplicate of the 31st distinct key", text,
		   ":38: [smtp] tls_ports: duplicate key (already set on line 36)");

	snprintf(text, sizeof(text), "%s[limits]\nsyncookies = no\n",
		 all_keys);
	expect_err("admit duplicate of an early key after 30 others", text,
		   ":38: [limits] syncookies: duplicate key (already set on line 5)");
}

static void test_set_key(void)
{
	int k = msh_knob_by_name("exempt_local");
	struct msh_knobs kn;
	char err[256] = "";
	bool ok;

	/* mailshieldctl policy set exempt_local off: only that knob */
	memset(&kn, 0, sizeof(kn));
	ok = k == MSH_KNOB_EXEMPT_LOCAL &&
	     msh_knob_parse(k, "off", &kn, err, sizeof(err)) == 0 &&
	     kn.set == MSH_KNOB_BIT(MSH_KNOB_EXEMPT_LOCAL) &&
	     !kn.v[MSH_KNOB_EXEMPT_LOCAL] &&
	     msh_knob_parse(k, "on", &kn, err, sizeof(err)) == 0 &&
	     kn.v[MSH_KNOB_EXEMPT_LOCAL];
	unit_result("admit policy set exempt_local on/off", ok, NULL);

	ok = msh_knob_parse(k, "maybe", &kn, err, sizeof(err)) == -1 &&
	     !strcmp(err, "invalid boolean \"maybe\" (use yes/no, true/false, on/off, 1/0)");
	if (!ok)
		unit_diag("exempt_local maybe: %s", err);
	unit_result("admit policy set exempt_local bad value", ok, NULL);
}

static void test_parsers(void)
{
	char err[256];
	struct msh_prefix c;
	uint32_t d;
	bool ok;

	ok = !msh_parse_duration("90", &d, err, sizeof(err)) && d == 90 &&
	     !msh_parse_duration("10m", &d, err, sizeof(err)) && d == 600 &&
	     !msh_parse_duration("7d", &d, err, sizeof(err)) && d == 604800 &&
	     !msh_parse_duration("0", &d, err, sizeof(err)) && d == 0 &&
	     msh_parse_duration("367d", &d, err, sizeof(err)) &&
	     msh_parse_duration("m", &d, err, sizeof(err)) &&
	     msh_parse_duration("", &d, err, sizeof(err));
	unit_result("duration parser", ok, NULL);

	ok = !msh_parse_cidr("192.0.2.66", &c, false, err, sizeof(err)) &&
	     c.family == AF_INET && c.plen == 0 &&
	     !msh_parse_cidr("2001:db8::1/64", &c, false, err, sizeof(err)) &&
	     c.family == AF_INET6 && c.plen == 64 &&
	     msh_parse_cidr("192.0.2.1/33", &c, false, err, sizeof(err)) &&
	     msh_parse_cidr("300.0.0.1", &c, false, err, sizeof(err)) &&
	     !msh_parse_cidr("10.0.0.0/8", &c, true, err, sizeof(err)) &&
	     msh_parse_cidr("10.0.0.1/8", &c, true, err, sizeof(err));
	unit_result("address parser", ok, NULL);
}

int main(void)
{
	conf_tmpdir_make("admit-conf");
	test_defaults();
	test_all_keys();
	test_errors();
	test_allow_lines();
	test_allow_file();
	test_many_keys();
	test_set_key();
	test_parsers();
	conf_tmpdir_remove();
	return unit_exit();
}
