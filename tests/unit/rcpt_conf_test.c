// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * [recipients] through the config parser (daemon/rcpt_conf.c hooked into
 * daemon/config.c): defaults, every key, and the exact FILE:LINE message
 * of each kind of error, with the caller's struct left untouched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "unit.h"
#include "conf_util.h"

static void test_defaults(void)
{
	struct msh_config cfg;
	char err[MSH_CONFIG_ERR_MAX] = "";
	const char *path = write_conf("none", "[general]\nenabled = yes\n");
	const struct msh_rcpt_cfg *r = &cfg.recipients;
	bool ok;

	ok = !msh_config_load(path, &cfg, err, sizeof(err)) && !r->present &&
	     r->ndelims == 1 && r->delims[0] == '+' && r->flags == 0 &&
	     !strcmp(r->ldap_filter, "(objectClass=*)") &&
	     r->nldap_attrs == 1 && !strcmp(r->ldap_attrs[0], "mail") &&
	     r->ldap_page_size == 500 && r->ldap_timeout == 10 &&
	     r->refresh == 3600 && !r->allow_empty && !r->ldap_starttls;
	unit_result("rcpt conf: no [recipients], defaults", ok, NULL);
}

static void test_all_keys(void)
{
	struct msh_config cfg;
	char err[MSH_CONFIG_ERR_MAX] = "", want[600];
	const char *path;
	const struct msh_rcpt_cfg *r = &cfg.recipients;
	bool ok;

	path = write_conf("all",
		"[recipients]\n"
		"file = users.txt\n"
		"file = /etc/mailshield/more.txt\n"
		"postfix_map = hash:/etc/postfix/virtual\n"
		"postfix_map = lmdb:virtual2\n"
		"postfix_alias = hash:/etc/aliases\n"
		"alias_domains = example.com, example.org\n"
		"domains = a.example b.example\n"
		"domains = c.example\n"
		"case_sensitive = yes\n"
		"delimiters = +-=\n"
		"postfix_config = /etc/postfix\n"
		"ldap_uri = ldap://127.0.0.1:3389/\n"
		"ldap_bind_dn = cn=reader,dc=example,dc=com\n"
		"ldap_bind_pw_file = ldap.pw\n"
		"ldap_base = ou=people,dc=example,dc=com\n"
		"ldap_filter = (&(objectClass=inetOrgPerson)(!(disabled=TRUE)))\n"
		"ldap_attrs = mail, mailAlternateAddress\n"
		"ldap_starttls = yes\n"
		"ldap_page_size = 100\n"
		"ldap_timeout = 1m\n"
		"refresh = 15m\n"
		"allow_empty = yes\n");
	ok = !msh_config_load(path, &cfg, err, sizeof(err));
	if (!ok)
		unit_diag("all keys: %s", err);
	snprintf(want, sizeof(want), "%s/users.txt", tmpdir);
	ok = ok && r->present && r->nfiles == 2 && !strcmp(r->files[0], want) &&
	     !strcmp(r->files[1], "/etc/mailshield/more.txt") &&
	     r->nmaps == 2 && !strcmp(r->maps[0], "hash:/etc/postfix/virtual");
	snprintf(want, sizeof(want), "lmdb:%s/virtual2", tmpdir);
	ok = ok && !strcmp(r->maps[1], want) && r->naliases == 1 &&
	     r->nalias_domains == 2 && !strcmp(r->alias_domains[1], "example.org") &&
	     r->ndomains == 3 && !strcmp(r->domains[2], "c.example") &&
	     r->flags == MAILSHIELD_RCPT_F_CASE_SENSITIVE &&
	     r->ndelims == 3 && !memcmp(r->delims, "+-=", 3) &&
	     !strcmp(r->postfix_config, "/etc/postfix") &&
	     !strcmp(r->ldap_uri, "ldap://127.0.0.1:3389/") &&
	     !strcmp(r->ldap_bind_dn, "cn=reader,dc=example,dc=com") &&
	     !strcmp(r->ldap_base, "ou=people,dc=example,dc=com") &&
	     r->nldap_attrs == 2 && !strcmp(r->ldap_attrs[1], "mailAlternateAddress") &&
	     r->ldap_starttls && r->ldap_page_size == 100 &&
	     r->ldap_timeout == 60 && r->refresh == 900 && r->allow_empty;
	snprintf(want, sizeof(want), "%s/ldap.pw", tmpdir);
	ok = ok && !strcmp(r->ldap_bind_pw_file, want);
	unit_result("rcpt conf: every key", ok, NULL);

	path = write_conf("nodelim",
		"[recipients]\nfile = x\ndelimiters = none\nrefresh = 0\n");
	ok = !msh_config_load(path, &cfg, err, sizeof(err)) &&
	     r->ndelims == 0 && r->refresh == 0;
	unit_result("rcpt conf: delimiters = none, refresh = 0", ok, NULL);
}

static void test_errors(void)
{
	expect_err("rcpt-unknown-key", "[recipients]\nfile = x\nldap_url = ldap://x\n",
		   ":3: [recipients] ldap_url: unknown key (known keys: mode, threshold, window, learn, max_recipients, file, postfix_map, postfix_alias, alias_domains, postfix_config, domains, case_sensitive, delimiters, refresh, allow_empty, ldap_* (uri, bind_dn, bind_pw_file, base, filter, attrs, starttls, page_size, timeout))");
	expect_err("rcpt-dup-key", "[recipients]\nfile = x\nrefresh = 1h\n[general]\nenabled = yes\n[recipients]\nrefresh = 2h\n",
		   ":7: [recipients] refresh: duplicate key (already set on line 3)");
	expect_err("rcpt-dup-file", "[recipients]\nfile = /a\nfile = /b\nfile = /a\n",
		   ":4: [recipients] file: file /a given twice");
	expect_err("rcpt-map-form", "[recipients]\npostfix_map = /etc/postfix/virtual\n",
		   ":2: [recipients] postfix_map: \"/etc/postfix/virtual\" is not TYPE:PATH (e.g. hash:/etc/postfix/virtual)");
	expect_err("rcpt-map-type", "[recipients]\npostfix_map = Hash:/x\n",
		   ":2: [recipients] postfix_map: invalid table type \"Hash\" (e.g. hash, lmdb, cdb)");
	expect_err("rcpt-bool", "[recipients]\nfile = x\ncase_sensitive = maybe\n",
		   ":3: [recipients] case_sensitive: invalid boolean \"maybe\" (use yes/no, true/false, on/off, 1/0)");
	expect_err("rcpt-delims-long", "[recipients]\nfile = x\ndelimiters = +-=_.~!$%\n",
		   ":3: [recipients] delimiters: give 1 to 8 delimiter octets, or none");
	expect_err("rcpt-delims-alnum", "[recipients]\nfile = x\ndelimiters = +a\n",
		   ":3: [recipients] delimiters: invalid delimiter 'a' (punctuation other than @ \" \\ , such as + or -)");
	expect_err("rcpt-delims-twice", "[recipients]\nfile = x\ndelimiters = +-+\n",
		   ":3: [recipients] delimiters: delimiter '+' given twice");
	expect_err("rcpt-domain-bad", "[recipients]\nfile = x\ndomains = ok.example, @bad.example\n",
		   ":3: [recipients] domains: domain \"@bad.example\": write the domain without @");
	expect_err("rcpt-domain-dup", "[recipients]\nfile = x\ndomains = a.example\ndomains = A.example\n",
		   ":4: [recipients] domains: duplicate domain \"A.example\"");
	expect_err("rcpt-domains-empty", "[recipients]\nfile = x\ndomains = ,\n",
		   ":3: [recipients] domains: no domain given");
	expect_err("rcpt-uri", "[recipients]\nldap_uri = http://ldap\n",
		   ":2: [recipients] ldap_uri: \"http://ldap\" is not an ldap://, ldaps:// or ldapi:// URI");
	expect_err("rcpt-filter", "[recipients]\nldap_uri = ldap://h\nldap_base = dc=x\nldap_filter = (mail=*\n",
		   ":4: [recipients] ldap_filter: not an LDAP filter in parentheses, e.g. (objectClass=inetOrgPerson)");
	expect_err("rcpt-filter-trailing", "[recipients]\nldap_uri = ldap://h\nldap_base = dc=x\nldap_filter = (mail=*)x\n",
		   ":4: [recipients] ldap_filter: not an LDAP filter in parentheses, e.g. (objectClass=inetOrgPerson)");
	expect_err("rcpt-attrs", "[recipients]\nldap_uri = ldap://h\nldap_base = dc=x\nldap_attrs = mail, ma$l\n",
		   ":4: [recipients] ldap_attrs: attribute \"ma$l\": invalid character");
	expect_err("rcpt-page", "[recipients]\nldap_uri = ldap://h\nldap_base = dc=x\nldap_page_size = -1\n",
		   ":4: [recipients] ldap_page_size: \"-1\" is not a number in 0..1000000");
	expect_err("rcpt-timeout", "[recipients]\nldap_uri = ldap://h\nldap_base = dc=x\nldap_timeout = 2h\n",
		   ":4: [recipients] ldap_timeout: 2h out of range (1s..3600s)");
	expect_err("rcpt-refresh", "[recipients]\nfile = x\nrefresh = 5s\n",
		   ":3: [recipients] refresh: 5s out of range (0 or 10s..31622400s)");
	expect_err("rcpt-refresh-syntax", "[recipients]\nfile = x\nrefresh = soon\n",
		   ":3: [recipients] refresh: invalid duration \"soon\" (N, Ns, Nm, Nh or Nd)");
	/* the section as a whole */
	expect_err("rcpt-no-source", "[general]\nenabled = yes\n[recipients]\ndomains = a.example\nrefresh = 1h\n",
		   ":4: [recipients] has no source of recipients (file, postfix_map, postfix_alias or ldap_uri)");
	expect_err("rcpt-ldap-no-uri", "[recipients]\nfile = x\nldap_base = dc=x\n",
		   ":3: [recipients] ldap_base: needs ldap_uri");
	expect_err("rcpt-ldap-no-base", "[recipients]\nldap_uri = ldap://h\n",
		   ":2: [recipients] ldap_uri: ldap_base is missing");
	expect_err("rcpt-ldap-no-pw", "[recipients]\nldap_uri = ldap://h\nldap_base = dc=x\nldap_bind_dn = cn=r\n",
		   ":4: [recipients] ldap_bind_dn: ldap_bind_pw_file is missing");
	expect_err("rcpt-ldap-no-dn", "[recipients]\nldap_uri = ldap://h\nldap_base = dc=x\nldap_bind_pw_file = /pw\n",
		   ":4: [recipients] ldap_bind_pw_file: ldap_bind_dn is missing");
	expect_err("rcpt-ldaps-starttls", "[recipients]\nldap_uri = ldaps://h\nldap_base = dc=x\nldap_starttls = yes\n",
		   ":4: [recipients] ldap_starttls: ldaps:// is TLS already; StartTLS goes with ldap://");
	expect_err("rcpt-alias-no-domains", "[recipients]\npostfix_alias = hash:/etc/aliases\n",
		   ":2: [recipients] postfix_alias: alias_domains is missing (alias keys are local parts)");
	expect_err("rcpt-domains-no-alias", "[recipients]\nfile = x\nalias_domains = example.com\n",
		   ":3: [recipients] alias_domains: needs postfix_alias");
	expect_err("rcpt-postfix-config-alone", "[recipients]\nfile = x\npostfix_config = /etc/postfix\n",
		   ":3: [recipients] postfix_config: needs postfix_map or postfix_alias");
}

int main(void)
{
	conf_tmpdir_make("rcpt-conf");
	test_defaults();
	test_all_keys();
	test_errors();
	conf_tmpdir_remove();
	return unit_exit();
}
