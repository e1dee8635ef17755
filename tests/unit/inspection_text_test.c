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
#include "knobs.h"
#include "inspection.h"
#include "unit.h"
#include "conf_util.h"

static void test_defaults(void)
{
	char err[MSH_CONFIG_ERR_MAX] = "";
	struct msh_config cfg;
	const struct msh_knobs *c = &cfg.knobs;
	bool ok;

	ok = msh_config_load(write_conf("smtp-defaults", "[general]\n"), &cfg,
			     err, sizeof(err)) == 0;
	ok = ok && c->set == MSH_KNOBS_ALL &&
	     c->v[MSH_KNOB_MAX_FLOWS] == 65536 &&
	     c->v[MSH_KNOB_FLOWS_FULL] == MAILSHIELD_FULL_ADMIT &&
	     c->v[MSH_KNOB_FLOW_TIMEOUT] == 600 &&
	     c->v[MSH_KNOB_LIMIT_CMD_LINE] == 512 && c->v[MSH_KNOB_LIMIT_TEXT_LINE] == 32768 &&
	     c->v[MSH_KNOB_LIMIT_REPLY_LINE] == 512 && c->v[MSH_KNOB_LIMIT_LOCAL_PART] == 64 &&
	     c->v[MSH_KNOB_LIMIT_DOMAIN] == 255 && c->v[MSH_KNOB_LIMIT_PATH] == 256 &&
	     c->v[MSH_KNOB_LIMIT_AUTH_LINE] == 12288 && c->v[MSH_KNOB_MAX_JUNK] == 10 &&
	     c->v[MSH_KNOB_VIOLATION_ACTION] == MAILSHIELD_VIOLATION_REPLY &&
	     c->v[MSH_KNOB_LOG_ONLY] ==
		(1U << MAILSHIELD_VIOLATION_REPLY_LINE |
		 1U << MAILSHIELD_VIOLATION_REPLY_SYNTAX) &&
	     c->v[MSH_KNOB_VIOLATION_BAN] == 5 &&
	     c->v[MSH_KNOB_VIOLATION_WINDOW] == 600 &&
	     c->nports[1] == 1 && c->ports[1][0] == 465;
	if (!ok)
		unit_diag("defaults: %s", err);
	unit_result("smtp config defaults", ok, NULL);
}

static void test_all_keys(void)
{
	char err[MSH_CONFIG_ERR_MAX] = "";
	struct msh_config cfg;
	const struct msh_knobs *c = &cfg.knobs;
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
	ok = ok && c->v[MSH_KNOB_MAX_FLOWS] == 1000 &&
	     c->v[MSH_KNOB_FLOWS_FULL] == MAILSHIELD_FULL_REFUSE &&
	     c->v[MSH_KNOB_FLOW_TIMEOUT] == 120 &&
	     c->v[MSH_KNOB_LIMIT_CMD_LINE] == 600 && c->v[MSH_KNOB_LIMIT_TEXT_LINE] == 2000 &&
	     c->v[MSH_KNOB_LIMIT_REPLY_LINE] == 700 && c->v[MSH_KNOB_LIMIT_LOCAL_PART] == 100 &&
	     c->v[MSH_KNOB_LIMIT_DOMAIN] == 200 && c->v[MSH_KNOB_LIMIT_PATH] == 300 &&
	     c->v[MSH_KNOB_LIMIT_AUTH_LINE] == 0 && c->v[MSH_KNOB_MAX_JUNK] == 3 &&
	     c->v[MSH_KNOB_VIOLATION_ACTION] == MAILSHIELD_VIOLATION_RESET &&
	     c->v[MSH_KNOB_LOG_ONLY] == (1U << MAILSHIELD_VIOLATION_BARE_LF |
				       1U << MAILSHIELD_VIOLATION_SMUGGLE |
				       1U << MAILSHIELD_VIOLATION_PREGREET) &&
	     c->v[MSH_KNOB_VIOLATION_BAN] == 0 &&
	     c->v[MSH_KNOB_VIOLATION_WINDOW] == 3600 &&
	     c->nports[1] == 2 && c->ports[1][1] == 10465;
	if (!ok)
		unit_diag("all keys: %s", err);
	unit_result("smtp config: every key", ok, NULL);

	ok = msh_config_load(write_conf("smtp-none",
		"[smtp]\nlog_only = none\ntls_ports = none\n"), &cfg, err,
		sizeof(err)) == 0 && c->v[MSH_KNOB_LOG_ONLY] == 0 && c->nports[1] == 0;
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
	     !memcmp(&cfg.knobs, &def.knobs, sizeof(cfg.knobs));
	if (!ok)
		unit_diag("example: %s", err);
	unit_result("smtp config: the example file holds the defaults", ok,
		    NULL);
}

static void test_errors(void)
{
	expect_err("smtp-unknown", "[smtp]\nmax_line = 5\n",
		   ":2: [smtp] max_line: unknown key (known keys: max_flows, flows_full, flow_timeout, max_command_line, max_text_line, max_reply_line, max_local_part, max_domain, max_path, max_auth_line, max_junk_commands, violation_action, log_only, violation_ban, violation_window, tls_ports)");
	expect_err("smtp-range", "[smtp]\nmax_command_line = 65536\n",
		   ":2: [smtp] max_command_line: 65536 out of range (0..65535)");
	expect_err("smtp-flows0", "[smtp]\nmax_flows = 0\n",
		   ":2: [smtp] max_flows: 0 out of range (1..4194304)");
	expect_err("smtp-number", "[smtp]\nmax_domain = 12x\n",
		   ":2: [smtp] max_domain: invalid number \"12x\"");
	expect_err("smtp-negative", "[smtp]\nviolation_ban = -1\n",
		   ":2: [smtp] violation_ban: invalid number \"-1\"");
	expect_err("smtp-action", "[smtp]\nviolation_action = drop\n",
		   ":2: [smtp] violation_action: invalid value \"drop\" (reply or reset)");
	expect_err("smtp-full", "[smtp]\nflows_full = maybe\n",
		   ":2: [smtp] flows_full: invalid value \"maybe\" (admit or refuse)");
	expect_err("smtp-reason", "[smtp]\nlog_only = bare_lf,nope\n",
		   ":2: [smtp] log_only: unknown violation reason \"nope\"");
	expect_err("smtp-timeout", "[smtp]\nflow_timeout = 5s\n",
		   ":2: [smtp] flow_timeout: 5s out of range (10..86400 seconds)");
	expect_err("smtp-window", "[smtp]\nviolation_window = 2d\n",
		   ":2: [smtp] violation_window: 2d out of range (1..86400 seconds)");
	expect_err("smtp-tls-dup", "[smtp]\ntls_ports = 465,465\n",
		   ":2: [smtp] tls_ports: duplicate port 465");
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
