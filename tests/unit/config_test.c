// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Unit tests of the mailshieldd configuration parser (daemon/config.c),
 * driven over real files in a temporary directory.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "unit.h"
#include "conf_util.h"

static bool same_ports(const struct msh_policy *p, const uint16_t *ports,
		       unsigned int n)
{
	unsigned int i;

	if (!p->has_ports || p->nports != n)
		return false;
	for (i = 0; i < n; i++)
		if (p->ports[i] != ports[i])
			return false;
	return true;
}

/* The config must load and give exactly enabled + ports. */
static void expect_ok(const char *name, const char *text, bool enabled,
		      const uint16_t *ports, unsigned int nports)
{
	struct msh_config cfg;
	char err[MSH_CONFIG_ERR_MAX] = "";
	const char *path = write_conf(name, text);
	bool ok;

	ok = msh_config_load(path, &cfg, err, sizeof(err)) == 0;
	if (!ok)
		unit_diag("%s: unexpected error: %s", name, err);
	ok = ok && cfg.policy.has_enabled && cfg.policy.enabled == enabled &&
	     same_ports(&cfg.policy, ports, nports);
	unit_result(name, ok, NULL);
}

static void test_parse_ports_direct(void)
{
	struct msh_policy p;
	char err[256];
	bool ok = true;
	static const uint16_t want[] = { 1, 65535, 2525 };

	memset(&p, 0, sizeof(p));
	ok &= msh_parse_ports("1,65535\t 2525", &p, err, sizeof(err)) == 0;
	ok &= same_ports(&p, want, 3);
	ok &= msh_parse_ports("25,,587", &p, err, sizeof(err)) == -1 &&
	      !strcmp(err, "empty entry in port list");
	ok &= msh_parse_ports("25,", &p, err, sizeof(err)) == -1 &&
	      !strcmp(err, "empty entry in port list");
	ok &= msh_parse_ports("", &p, err, sizeof(err)) == -1 &&
	      !strcmp(err, "no ports given");
	ok &= msh_parse_ports("-1", &p, err, sizeof(err)) == -1 &&
	      !strcmp(err, "invalid port \"-1\"");
	/* a failed parse leaves the previous list */
	ok &= same_ports(&p, want, 3);
	unit_result("config parse_ports edge cases", ok, NULL);
}

static void test_parse_bool_direct(void)
{
	static const char *const t[] = { "yes", "YES", "true", "On", "1" };
	static const char *const f[] = { "no", "False", "off", "OFF", "0" };
	char err[256];
	bool ok = true, v;
	size_t i;

	for (i = 0; i < 5; i++) {
		v = false;
		ok &= msh_parse_bool(t[i], &v, err, sizeof(err)) == 0 && v;
		v = true;
		ok &= msh_parse_bool(f[i], &v, err, sizeof(err)) == 0 && !v;
	}
	ok &= msh_parse_bool("2", &v, err, sizeof(err)) == -1;
	ok &= msh_parse_bool("", &v, err, sizeof(err)) == -1;
	unit_result("config parse_bool variants", ok, NULL);
}

static void test_missing_file(void)
{
	struct msh_config cfg;
	char err[MSH_CONFIG_ERR_MAX] = "", want[MSH_CONFIG_ERR_MAX];
	char path[320];

	snprintf(path, sizeof(path), "%s/does-not-exist.conf", tmpdir);
	snprintf(want, sizeof(want), "%s: cannot open: %s", path,
		 strerror(ENOENT));
	unit_result("config missing file",
		    msh_config_load(path, &cfg, err, sizeof(err)) == -1 &&
		    !strcmp(err, want), NULL);
}

int main(void)
{
	static const uint16_t def[] = { 25, 587, 465 };
	static const uint16_t p2[] = { 2525, 25 };
	static const uint16_t p3[] = { 10025, 25, 587 };
	char longline[400];
	char many[256];
	int i, n;

	conf_tmpdir_make("config-test");

	/* valid files */
	expect_ok("config valid",
		  "; mailshield test\n[general]\nenabled = off\nports = 2525, 25\n",
		  false, p2, 2);
	expect_ok("config valid blanks and comments",
		  "# comment\n\n[general]\n; another\nports = 10025 25\t587 ; inline\nenabled = TRUE\n",
		  true, p3, 3);
	expect_ok("config defaults for empty file", "", true, def, 3);
	expect_ok("config defaults for missing keys",
		  "[general]\n", true, def, 3);
	expect_ok("config default ports with enabled set",
		  "[general]\nenabled = no\n", false, def, 3);
	expect_ok("config colon separator", "[general]\nenabled: 0\n",
		  false, def, 3);

	/* invalid files: exact FILE:LINE: [section] key: message */
	expect_err("config bad key",
		   "[general]\nenabled = yes\ncolour = red\n",
		   ":3: [general] colour: unknown key (known keys: enabled, ports)");
	expect_err("config bad value",
		   "[general]\nenabled = maybe\n",
		   ":2: [general] enabled: invalid boolean \"maybe\" (use yes/no, true/false, on/off, 1/0)");
	expect_err("config bad port value",
		   "[general]\nports = 25, smtp\n",
		   ":2: [general] ports: invalid port \"smtp\"");
	expect_err("config empty ports",
		   "[general]\nports =\n",
		   ":2: [general] ports: no ports given");
	expect_err("config duplicate port",
		   "[general]\n\nports = 25, 587, 25\n",
		   ":3: [general] ports: duplicate port 25");
	expect_err("config port out of range 0",
		   "[general]\nports = 0\n",
		   ":2: [general] ports: port 0 out of range (1..65535)");
	expect_err("config port out of range 65536",
		   "[general]\nports = 25, 65536\n",
		   ":2: [general] ports: port 65536 out of range (1..65535)");
	expect_err("config port out of range huge",
		   "[general]\nports = 99999999999999999999999\n",
		   ":2: [general] ports: port 99999999999999999999999 out of range (1..65535)");
	n = snprintf(many, sizeof(many), "[general]\nports =");
	for (i = 1; i <= MAILSHIELD_MAX_PORTS + 1; i++)
		n += snprintf(many + n, sizeof(many) - (size_t)n, " %d", 1000 + i);
	snprintf(many + n, sizeof(many) - (size_t)n, "\n");
	expect_err("config too many ports", many,
		   ":2: [general] ports: too many ports (at most 16)");
	expect_err("config duplicate key",
		   "[general]\nenabled = yes\nports = 25\nenabled = no\n",
		   ":4: [general] enabled: duplicate key (already set on line 2)");
	expect_err("config duplicate key across sections",
		   "[general]\nports = 25\n[general]\nports = 587\n",
		   ":4: [general] ports: duplicate key (already set on line 2)");
	expect_err("config unknown section",
		   "[general]\nenabled = yes\n\n[ldap]\nmax_line = 512\n",
		   ":5: [ldap] max_line: unknown section (known sections: [general], [limits], [bans], [allowlist], [smtp], [recipients])");
	expect_err("config key outside section",
		   "enabled = yes\n[general]\n",
		   ":1: enabled: key outside of any section (put it under [general])");
	expect_err("config syntax error",
		   "[general]\nenabled yes\n",
		   ":2: syntax error (expected \"key = value\" or \"[section]\")");
	expect_err("config syntax error in section header",
		   "[general\nenabled = yes\n",
		   ":1: syntax error (expected \"key = value\" or \"[section]\")");
	expect_err("config first error wins (syntax first)",
		   "[general]\nbogus line\nenabled = maybe\n",
		   ":2: syntax error (expected \"key = value\" or \"[section]\")");
	expect_err("config first error wins (value first)",
		   "[general]\nenabled = maybe\nbogus line\nports = 0\n",
		   ":2: [general] enabled: invalid boolean \"maybe\" (use yes/no, true/false, on/off, 1/0)");
	expect_err("config indented continuation line",
		   "[general]\nports = 25,\n  587\n",
		   ":2: [general] ports: empty entry in port list");
	expect_err("config indented key",
		   "[general]\nenabled = yes\n  ports = 25\n",
		   ":3: indented line (keys and sections must start at the beginning of the line; values cannot continue on the next line)");
	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "[general]\nports = 25 ; ", 23);
	longline[sizeof(longline) - 2] = '\n';
	longline[sizeof(longline) - 1] = '\0';
	expect_err("config line too long", longline,
		   ":2: line too long (at most 199 characters)");

	test_parse_ports_direct();
	test_parse_bool_direct();
	test_missing_file();

	conf_tmpdir_remove();
	return unit_exit();
}
