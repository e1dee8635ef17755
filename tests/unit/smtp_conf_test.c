// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Unit tests of the [smtp] configuration section (daemon/smtp_conf.c
 * through daemon/config.c) over real files in a temporary directory:
 * defaults, every key, the documented example file, and errors naming
 * file:line and key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "smtp.h"
#include "unit.h"
#include "conf_util.h"

static void test_defaults(void)
{
	char err[MSH_CONFIG_ERR_MAX] = "";
	struct msh_config cfg;
	const struct msh_smtp_cfg *c = &cfg.policy.smtp;
	bool ok;

	ok = msh_config_load(write_conf("smtp-defaults", "[general]\n"), &cfg,
			     err, sizeof(err)) == 0;
	ok = ok && c->set == (1U << MSH_SK_NUM) - 1 &&
	     c->v[MSH_SK_MAX_FLOWS] == 65536 &&
	     c->v[MSH_SK_FLOWS_FULL] == MAILSHIELD_FULL_ADMIT &&
	     c->v[MSH_SK_FLOW_TIMEOUT] == 600 &&
	     c->v[MSH_SK_CMD_LINE] == 512 && c->v[MSH_SK_TEXT_LINE] == 32768 &&
	     c->v[MSH_SK_REPLY_LINE] == 512 && c->v[MSH_SK_LOCAL_PART] == 64 &&
	     c->v[MSH_SK_DOMAIN] == 255 && c->v[MSH_SK_PATH] == 256 &&
	     c->v[MSH_SK_AUTH_LINE] == 12288 && c->v[MSH_SK_MAX_JUNK] == 10 &&
	     c->v[MSH_SK_VIOLATION_ACTION] == MAILSHIELD_VIOLATION_REPLY &&
	     c->v[MSH_SK_LOG_ONLY] ==
		(1U << MAILSHIELD_VIOLATION_REPLY_LINE |
		 1U << MAILSHIELD_VIOLATION_REPLY_SYNTAX) &&
	     c->v[MSH_SK_VIOLATION_BAN] == 5 &&
	     c->v[MSH_SK_VIOLATION_WINDOW] == 600 &&
	     c->ntls == 1 && c->tls[0] == 465;
	if (!ok)
		unit_diag("defaults: %s", err);
	unit_result("smtp config defaults", ok, NULL);
}

static void test_all_keys(void)
{
	char err[MSH_CONFIG_ERR_MAX] = "";
	struct msh_config cfg;
	const struct msh_smtp_cfg *c = &cfg.policy.smtp;
	bool ok;

	ok = msh_config_load(write_conf("smtp-all",
		"[smtp]\n"
		"max_flows = 1000\n"
		"flows_full = refuse\n"
		"flow_timeout = 2m\n"
		"max_command_line = 600\n"
		"max_text_line = 2000\n"
		"max_reply_line = 700\n"
		"max_local_part = 100\n"
		"max_domain = 200\n"
		"max_path = 300\n"
		"max_auth_line = 0\n"
		"max_junk_commands = 3\n"
		"violation_action = reset\n"
		"log_only = bare_lf, SMUGGLE,pregreet\n"
		"violation_ban = 0\n"
		"violation_window = 1h\n"
		"tls_ports = 465, 10465\n"), &cfg, err, sizeof(err)) == 0;
	ok = ok && c->v[MSH_SK_MAX_FLOWS] == 1000 &&
	     c->v[MSH_SK_FLOWS_FULL] == MAILSHIELD_FULL_REFUSE &&
	     c->v[MSH_SK_FLOW_TIMEOUT] == 120 &&
	     c->v[MSH_SK_CMD_LINE] == 600 && c->v[MSH_SK_TEXT_LINE] == 2000 &&
	     c->v[MSH_SK_REPLY_LINE] == 700 && c->v[MSH_SK_LOCAL_PART] == 100 &&
	     c->v[MSH_SK_DOMAIN] == 200 && c->v[MSH_SK_PATH] == 300 &&
	     c->v[MSH_SK_AUTH_LINE] == 0 && c->v[MSH_SK_MAX_JUNK] == 3 &&
	     c->v[MSH_SK_VIOLATION_ACTION] == MAILSHIELD_VIOLATION_RESET &&
	     c->v[MSH_SK_LOG_ONLY] == (1U << MAILSHIELD_VIOLATION_BARE_LF |
				       1U << MAILSHIELD_VIOLATION_SMUGGLE |
				       1U << MAILSHIELD_VIOLATION_PREGREET) &&
	     c->v[MSH_SK_VIOLATION_BAN] == 0 &&
	     c->v[MSH_SK_VIOLATION_WINDOW] == 3600 &&
	     c->ntls == 2 && c->tls[1] == 10465;
	if (!ok)
		unit_diag("all keys: %s", err);
	unit_result("smtp config: every key", ok, NULL);

	ok = msh_config_load(write_conf("smtp-none",
		"[smtp]\nlog_only = none\ntls_ports = none\n"), &cfg, err,
		sizeof(err)) == 0 && c->v[MSH_SK_LOG_ONLY] == 0 && c->ntls == 0;
	unit_result("smtp config: log_only and tls_ports none", ok, NULL);
}

static void test_example(void)
{
	char err[MSH_CONFIG_ERR_MAX] = "";
	struct msh_config cfg, def;
	bool ok;

	msh_config_defaults(&def);
	ok = msh_config_load("../../daemon/mailshield.conf.example", &cfg, err,
			     sizeof(err)) == 0 &&
	     !memcmp(&cfg.policy.smtp, &def.policy.smtp,
		     sizeof(cfg.policy.smtp));
	if (!ok)
		unit_diag("example: %s", err);
	unit_result("smtp config: the example file holds the defaults", ok,
		    NULL);
}

static void test_errors(void)
{
	expect_err("smtp-unknown", "[smtp]\nmax_line = 5\n",
		   ":2: [smtp] max_line: unknown key 'max_line' in [smtp]");
	expect_err("smtp-range", "[smtp]\nmax_command_line = 65536\n",
		   ":2: [smtp] max_command_line: max_command_line must be 0..65535");
	expect_err("smtp-flows0", "[smtp]\nmax_flows = 0\n",
		   ":2: [smtp] max_flows: max_flows must be 1..4194304");
	expect_err("smtp-number", "[smtp]\nmax_domain = 12x\n",
		   ":2: [smtp] max_domain: max_domain: '12x' is not a valid number");
	expect_err("smtp-negative", "[smtp]\nviolation_ban = -1\n",
		   ":2: [smtp] violation_ban: violation_ban: '-1' is not a valid number");
	expect_err("smtp-action", "[smtp]\nviolation_action = drop\n",
		   ":2: [smtp] violation_action: violation_action: 'drop' is not a valid value");
	expect_err("smtp-full", "[smtp]\nflows_full = maybe\n",
		   ":2: [smtp] flows_full: flows_full: 'maybe' is not a valid value");
	expect_err("smtp-reason", "[smtp]\nlog_only = bare_lf,nope\n",
		   ":2: [smtp] log_only: unknown violation reason 'nope'");
	expect_err("smtp-timeout", "[smtp]\nflow_timeout = 5s\n",
		   ":2: [smtp] flow_timeout: flow_timeout must be 10..86400");
	expect_err("smtp-window", "[smtp]\nviolation_window = 2d\n",
		   ":2: [smtp] violation_window: violation_window must be 1..86400");
	expect_err("smtp-tls-dup", "[smtp]\ntls_ports = 465,465\n",
		   ":2: [smtp] tls_ports: tls_ports: '465,465' is not a list of distinct ports 1..65535 (at most 16)");
	expect_err("smtp-dup-key",
		   "[smtp]\nmax_domain = 100\nmax_domain = 200\n",
		   ":3: [smtp] max_domain: duplicate key (already set on line 2)");
}

int main(void)
{
	conf_tmpdir_make("smtp-conf");
	test_defaults();
	test_all_keys();
	test_example();
	test_errors();
	conf_tmpdir_remove();
	return unit_exit();
}
