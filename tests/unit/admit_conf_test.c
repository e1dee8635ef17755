// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Unit tests of the [limits], [bans] and [allowlist] configuration sections
 * (daemon/admit_conf.c through daemon/config.c) and of the value parsers
 * mailshieldctl shares with them, over real files in a temporary directory.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "admit.h"
#include "config.h"
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
	const struct msh_admit_cfg *a = &cfg.policy.admit;
	bool ok;

	ok = load("admit-defaults", "[general]\nenabled = yes\n", &cfg, err,
		  sizeof(err));
	ok = ok && a->set == (1U << MSH_AK_NUM) - 1 && a->syncookies &&
	     a->exempt_local && a->prefix4 == 32 && a->prefix6 == 64 &&
	     a->max_conns == 20 && a->rate == 60 && a->burst == 20 &&
	     a->synack_rate == 200 &&
	     a->max_sources == 65536 &&
	     a->sources_full == MAILSHIELD_FULL_ADMIT &&
	     a->ban_action == MAILSHIELD_BAN_DROP && a->ban_time == 3600 &&
	     cfg.allowlist.n == 0;
	if (!ok)
		unit_diag("defaults: %s", err);
	unit_result("admit config defaults", ok, NULL);
}

static void test_all_keys(void)
{
	char err[MSH_CONFIG_ERR_MAX] = "", buf[64];
	struct msh_config cfg;
	const struct msh_admit_cfg *a = &cfg.policy.admit;
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
	ok = ok && !a->syncookies && !a->exempt_local && a->prefix4 == 24 && a->prefix6 == 48 &&
	     a->max_conns == 5 && a->rate == 0 && a->burst == 3 &&
	     a->synack_rate == 500 && a->max_sources == 1024 &&
	     a->sources_full == MAILSHIELD_FULL_REFUSE &&
	     a->ban_time == 7200 && a->ban_action == MAILSHIELD_BAN_RESET &&
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
		   ":2: [limits] max_conn: unknown key (known keys: syncookies, prefix_v4, prefix_v6, max_conns, rate, burst, synack_rate, max_sources, sources_full, exempt_local)");
	expect_err("admit bad exempt_local", "[limits]\nexempt_local = sometimes\n",
		   ":2: [limits] exempt_local: invalid boolean \"sometimes\" (use yes/no, true/false, on/off, 1/0)");
	expect_err("admit exempt_local in [bans]", "[bans]\nexempt_local = no\n",
		   ":2: [bans] exempt_local: unknown key (known keys: ban_time, ban_action)");
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
		   ":2: [bans] ban_time: ban_time must be at least 1 second");
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
		   ":2: [allowlist] cidr: unknown key (known keys: allow)");
}

static void test_set_key(void)
{
	struct msh_admit_cfg a;
	char err[256] = "";
	bool ok;

	/* mailshieldctl policy set exempt_local off: only that field */
	memset(&a, 0, sizeof(a));
	a.exempt_local = true;
	ok = msh_admit_set_key("exempt_local", "off", &a, err,
			       sizeof(err)) == 0 &&
	     a.set == 1U << MSH_AK_EXEMPT_LOCAL && !a.exempt_local &&
	     msh_admit_set_key("exempt_local", "on", &a, err,
			       sizeof(err)) == 0 && a.exempt_local;
	unit_result("admit policy set exempt_local on/off", ok, NULL);

	ok = msh_admit_set_key("exempt_local", "maybe", &a, err,
			       sizeof(err)) == -1 &&
	     !strcmp(err, "invalid boolean \"maybe\" (use yes/no, true/false, on/off, 1/0)");
	if (!ok)
		unit_diag("exempt_local maybe: %s", err);
	unit_result("admit policy set exempt_local bad value", ok, NULL);
}

static void test_parsers(void)
{
	char err[256];
	struct msh_cidr c;
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
	test_set_key();
	test_parsers();
	conf_tmpdir_remove();
	return unit_exit();
}
