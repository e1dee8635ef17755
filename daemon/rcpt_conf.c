// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * [recipients] (rcpt_conf.h): every key is checked here as it is read;
 * msh_rcpt_conf_check() then looks at the section as a whole. Nothing is
 * read from the sources here: that happens at load time (rcpt_load.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bans.h"
#include "knobs.h"
#include "rcpt_conf.h"
#include "text.h"

static const char *const key_names[MSH_RK_COUNT] = {
	[MSH_RK_ALIAS_DOMAINS]		= "alias_domains",
	[MSH_RK_CASE_SENSITIVE]		= "case_sensitive",
	[MSH_RK_DELIMITERS]		= "delimiters",
	[MSH_RK_POSTFIX_CONFIG]		= "postfix_config",
	[MSH_RK_LDAP_URI]		= "ldap_uri",
	[MSH_RK_LDAP_BIND_DN]		= "ldap_bind_dn",
	[MSH_RK_LDAP_BIND_PW_FILE]	= "ldap_bind_pw_file",
	[MSH_RK_LDAP_BASE]		= "ldap_base",
	[MSH_RK_LDAP_FILTER]		= "ldap_filter",
	[MSH_RK_LDAP_ATTRS]		= "ldap_attrs",
	[MSH_RK_LDAP_STARTTLS]		= "ldap_starttls",
	[MSH_RK_LDAP_PAGE_SIZE]		= "ldap_page_size",
	[MSH_RK_LDAP_TIMEOUT]		= "ldap_timeout",
	[MSH_RK_REFRESH]		= "refresh",
	[MSH_RK_ALLOW_EMPTY]		= "allow_empty",
};

/* under the 255 characters of a config message */
#define KNOWN_KEYS "file, postfix_map, postfix_alias, alias_domains, " \
	"postfix_config, domains, case_sensitive, delimiters, refresh, " \
	"allow_empty, ldap_* (uri, bind_dn, bind_pw_file, base, filter, " \
	"attrs, starttls, page_size, timeout)"

void msh_rcpt_conf_defaults(struct msh_rcpt_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->delims[0] = '+';
	c->ndelims = 1;
	snprintf(c->ldap_filter, sizeof(c->ldap_filter), "(objectClass=*)");
	snprintf(c->ldap_attrs[0], sizeof(c->ldap_attrs[0]), "mail");
	c->nldap_attrs = 1;
	c->ldap_page_size = 500;
	c->ldap_timeout = 10;
	c->refresh = 3600;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* value as a path: relative ones are taken from the config's directory */
static int make_path(char *out, size_t outlen, const char *cfgpath,
		     const char *value, char *err, size_t errlen)
{
	const char *slash = strrchr(cfgpath, '/');
	int n;

	if (!*value) {
		msh_seterr(err, errlen, "no path given");
		return -1;
	}
	if (value[0] != '/' && slash)
		n = snprintf(out, outlen, "%.*s/%s", (int)(slash - cfgpath),
			     cfgpath, value);
	else
		n = snprintf(out, outlen, "%s", value);
	if (n < 0 || (size_t)n >= outlen) {
		msh_seterr(err, errlen, "path too long");
		return -1;
	}
	return 0;
}

/* TYPE:PATH of a Postfix lookup table; PATH made absolute like a file. */
static int make_map(char *out, size_t outlen, const char *cfgpath,
		    const char *value, char *err, size_t errlen)
{
	const char *colon = strchr(value, ':');
	char path[MSH_RCPT_PATH_MAX];
	size_t i, tlen;
	int n;

	if (!colon || colon == value || !colon[1]) {
		msh_seterr(err, errlen,
			   "\"%.64s\" is not TYPE:PATH (e.g. hash:/etc/postfix/virtual)",
			   value);
		return -1;
	}
	tlen = (size_t)(colon - value);
	for (i = 0; i < tlen; i++) {
		if (!islower((unsigned char)value[i]) &&
		    !isdigit((unsigned char)value[i]) && value[i] != '_') {
			msh_seterr(err, errlen,
				   "invalid table type \"%.*s\" (e.g. hash, lmdb, cdb)",
				   (int)(tlen > 32 ? 32 : tlen), value);
			return -1;
		}
	}
	if (make_path(path, sizeof(path), cfgpath, colon + 1, err, errlen))
		return -1;
	n = snprintf(out, outlen, "%.*s:%s", (int)tlen, value, path);
	if (n < 0 || (size_t)n >= outlen) {
		msh_seterr(err, errlen, "path too long");
		return -1;
	}
	return 0;
}

/*
 * A list separated by commas and/or blanks into out[*n..max), each entry
 * checked by ok(). Entries must not repeat.
 */
static int parse_list(const char *s, char (*out)[256], unsigned int *n,
		      unsigned int max, const char *what,
		      const char *(*ok)(const char *, size_t),
		      char *err, size_t errlen)
{
	unsigned int start = *n, i;

	for (;;) {
		const char *tok, *why;
		size_t len;

		while (is_blank(*s) || *s == ',')
			s++;
		if (!*s)
			break;
		tok = s;
		while (*s && *s != ',' && !is_blank(*s))
			s++;
		len = (size_t)(s - tok);
		why = ok(tok, len);
		if (why) {
			msh_seterr(err, errlen, "%s \"%.*s\": %s", what,
				   (int)(len > 64 ? 64 : len), tok, why);
			return -1;
		}
		for (i = 0; i < *n; i++) {
			if (strlen(out[i]) == len &&
			    !strncasecmp(out[i], tok, len)) {
				msh_seterr(err, errlen, "duplicate %s \"%.*s\"",
					   what, (int)(len > 64 ? 64 : len), tok);
				return -1;
			}
		}
		if (*n == max) {
			msh_seterr(err, errlen, "too many %ss (at most %u)",
				   what, max);
			return -1;
		}
		memcpy(out[*n], tok, len);
		out[*n][len] = '\0';
		(*n)++;
	}
	if (*n == start) {
		msh_seterr(err, errlen, "no %s given", what);
		return -1;
	}
	return 0;
}

/* Loose on purpose: IDN and the finer checks come at load time. */
static const char *domain_ok(const char *d, size_t len)
{
	size_t i;

	if (len > 255)
		return "longer than 255 octets";
	if (d[0] == '@')
		return "write the domain without @";
	for (i = 0; i < len; i++)
		if ((unsigned char)d[i] < 0x80 && !isalnum((unsigned char)d[i]) &&
		    d[i] != '.' && d[i] != '-' && d[i] != '_')
			return "invalid character";
	return NULL;
}

static const char *attr_ok(const char *a, size_t len)
{
	size_t i;

	if (len >= 64)
		return "too long";
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)a[i]) && a[i] != '-' &&
		    a[i] != ';' && a[i] != '.')
			return "invalid character";
	return NULL;
}

static int parse_delims(const char *s, struct msh_rcpt_cfg *c, char *err,
			size_t errlen)
{
	size_t len = strlen(s), i;

	if (!strcmp(s, "none")) {
		c->ndelims = 0;
		return 0;
	}
	if (!len || len > MAILSHIELD_RCPT_DELIM_MAX) {
		msh_seterr(err, errlen,
			   "give 1 to %d delimiter octets, or none",
			   MAILSHIELD_RCPT_DELIM_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch <= ' ' || ch >= 0x7f || isalnum(ch) || ch == '@' ||
		    ch == '"' || ch == '\\' || ch == ',') {
			msh_seterr(err, errlen,
				   "invalid delimiter '%c' (punctuation other than @ \" \\ , such as + or -)",
				   ch >= ' ' && ch < 0x7f ? ch : '?');
			return -1;
		}
		if (memchr(s, ch, i)) {
			msh_seterr(err, errlen, "delimiter '%c' given twice", ch);
			return -1;
		}
	}
	memcpy(c->delims, s, len);
	c->ndelims = (unsigned int)len;
	return 0;
}

static int parse_uint(const char *s, uint32_t min, uint32_t max,
		      uint32_t *out, char *err, size_t errlen)
{
	unsigned long long v = 0;
	const char *p = s;

	if (!*p)
		goto bad;
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > max)
			goto bad;
	}
	if (v < min)
		goto bad;
	*out = (uint32_t)v;
	return 0;
bad:
	msh_seterr(err, errlen, "\"%.32s\" is not a number in %u..%u", s, min,
		   max);
	return -1;
}

static int parse_dur(const char *s, uint32_t min, uint32_t max, bool zero,
		     uint32_t *out, char *err, size_t errlen)
{
	uint32_t v;

	if (msh_parse_duration(s, &v, err, errlen))
		return -1;
	if ((v < min || v > max) && !(zero && v == 0)) {
		msh_seterr(err, errlen, "%.32s out of range (%s%us..%us)", s,
			   zero ? "0 or " : "", min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int set_string(char *out, size_t outlen, const char *value,
		      char *err, size_t errlen)
{
	if (!*value) {
		msh_seterr(err, errlen, "empty value");
		return -1;
	}
	if (strlen(value) >= outlen) {
		msh_seterr(err, errlen, "value too long");
		return -1;
	}
	strcpy(out, value);
	return 0;
}

static int filter_check(const char *f, char *err, size_t errlen)
{
	int depth = 0;

	if (f[0] != '(')
		goto bad;
	for (; *f; f++) {
		if (*f == '\\' && f[1]) {
			f++;
			continue;
		}
		if (!depth && *f != '(')
			goto bad;	/* only a filter, nothing around it */
		if (*f == '(')
			depth++;
		else if (*f == ')')
			depth--;
	}
	if (depth)
		goto bad;
	return 0;
bad:
	msh_seterr(err, errlen,
		   "not an LDAP filter in parentheses, e.g. (objectClass=inetOrgPerson)");
	return -1;
}

/* A repeatable key that names a file or a table: add it to list. */
static int add_source(char (*list)[MSH_RCPT_PATH_MAX], unsigned int *n,
		      bool map, const char *path, const char *value,
		      const char *what, char *err, size_t errlen)
{
	char p[MSH_RCPT_PATH_MAX];
	unsigned int i;

	if (map ? make_map(p, sizeof(p), path, value, err, errlen)
		: make_path(p, sizeof(p), path, value, err, errlen))
		return -1;
	for (i = 0; i < *n; i++) {
		if (!strcmp(list[i], p)) {
			msh_seterr(err, errlen, "%s %s given twice", what, p);
			return -1;
		}
	}
	if (*n == MSH_RCPT_SOURCES_MAX) {
		msh_seterr(err, errlen, "too many %ss (at most %d)", what,
			   MSH_RCPT_SOURCES_MAX);
		return -1;
	}
	memcpy(list[(*n)++], p, sizeof(p));
	return 0;
}

int msh_rcpt_conf(struct msh_rcpt_cfg *c, const char *path,
		  unsigned int line, const char *key, const char *value,
		  char *err, size_t errlen)
{
	bool b;
	int k;

	if (!c->first_line)
		c->first_line = line;
	c->present = true;
	/* the keys that may repeat */
	if (!strcmp(key, "file")) {
		if (!c->files_line)
			c->files_line = line;
		return add_source(c->files, &c->nfiles, false, path, value,
				  "file", err, errlen);
	}
	if (!strcmp(key, "postfix_map")) {
		if (!c->maps_line)
			c->maps_line = line;
		return add_source(c->maps, &c->nmaps, true, path, value,
				  "postfix_map", err, errlen);
	}
	if (!strcmp(key, "postfix_alias")) {
		if (!c->aliases_line)
			c->aliases_line = line;
		return add_source(c->aliases, &c->naliases, true, path, value,
				  "postfix_alias", err, errlen);
	}
	if (!strcmp(key, "domains")) {
		if (!c->domains_line)
			c->domains_line = line;
		return parse_list(value, c->domains, &c->ndomains,
				  MSH_RCPT_DOMAINS_MAX, "domain", domain_ok,
				  err, errlen);
	}

	for (k = 0; k < MSH_RK_COUNT; k++)
		if (!strcmp(key, key_names[k]))
			break;
	if (k == MSH_RK_COUNT) {
		msh_seterr(err, errlen, "unknown key (known keys: %s)",
			   KNOWN_KEYS);
		return -1;
	}
	if (c->line[k]) {
		msh_seterr(err, errlen, "duplicate key (already set on line %u)",
			   c->line[k]);
		return -1;
	}
	c->line[k] = line;

	switch (k) {
	case MSH_RK_ALIAS_DOMAINS:
		return parse_list(value, c->alias_domains, &c->nalias_domains,
				  MSH_RCPT_ALIAS_DOM_MAX, "domain", domain_ok,
				  err, errlen);
	case MSH_RK_CASE_SENSITIVE:
		if (msh_parse_bool(value, &b, err, errlen))
			return -1;
		c->flags = b ? c->flags | MAILSHIELD_RCPT_F_CASE_SENSITIVE
			     : c->flags & ~MAILSHIELD_RCPT_F_CASE_SENSITIVE;
		return 0;
	case MSH_RK_DELIMITERS:
		return parse_delims(value, c, err, errlen);
	case MSH_RK_POSTFIX_CONFIG:
		return make_path(c->postfix_config, sizeof(c->postfix_config),
				 path, value, err, errlen);
	case MSH_RK_LDAP_URI:
		if (strncmp(value, "ldap://", 7) && strncmp(value, "ldaps://", 8) &&
		    strncmp(value, "ldapi://", 8)) {
			msh_seterr(err, errlen,
				   "\"%.64s\" is not an ldap://, ldaps:// or ldapi:// URI",
				   value);
			return -1;
		}
		return set_string(c->ldap_uri, sizeof(c->ldap_uri), value, err,
				  errlen);
	case MSH_RK_LDAP_BIND_DN:
		return set_string(c->ldap_bind_dn, sizeof(c->ldap_bind_dn),
				  value, err, errlen);
	case MSH_RK_LDAP_BIND_PW_FILE:
		return make_path(c->ldap_bind_pw_file,
				 sizeof(c->ldap_bind_pw_file), path, value,
				 err, errlen);
	case MSH_RK_LDAP_BASE:
		return set_string(c->ldap_base, sizeof(c->ldap_base), value,
				  err, errlen);
	case MSH_RK_LDAP_FILTER:
		if (filter_check(value, err, errlen))
			return -1;
		return set_string(c->ldap_filter, sizeof(c->ldap_filter),
				  value, err, errlen);
	case MSH_RK_LDAP_ATTRS: {
		char list[MSH_RCPT_ATTRS_MAX][256];
		unsigned int n = 0, i;

		if (parse_list(value, list, &n, MSH_RCPT_ATTRS_MAX,
			       "attribute", attr_ok, err, errlen))
			return -1;
		/* attr_ok() let no name of 64 octets or more through */
		for (i = 0; i < n; i++)
			memcpy(c->ldap_attrs[i], list[i], strlen(list[i]) + 1);
		c->nldap_attrs = n;
		return 0;
	}
	case MSH_RK_LDAP_STARTTLS:
		return msh_parse_bool(value, &c->ldap_starttls, err, errlen);
	case MSH_RK_LDAP_PAGE_SIZE:
		return parse_uint(value, 0, 1000000, &c->ldap_page_size, err,
				  errlen);
	case MSH_RK_LDAP_TIMEOUT:
		return parse_dur(value, 1, 3600, false, &c->ldap_timeout, err,
				 errlen);
	case MSH_RK_REFRESH:
		return parse_dur(value, 10, 31622400, true, &c->refresh, err,
				 errlen);
	case MSH_RK_ALLOW_EMPTY:
		return msh_parse_bool(value, &c->allow_empty, err, errlen);
	}
	return 0;
}

static int check_err(const char *path, unsigned int line, const char *key,
		     const char *msg, char *err, size_t errlen)
{
	if (key)
		msh_seterr(err, errlen, "%s:%u: [recipients] %s: %s", path,
			   line, key, msg);
	else
		msh_seterr(err, errlen, "%s:%u: [recipients] %s", path, line,
			   msg);
	return -1;
}

int msh_rcpt_conf_check(const struct msh_rcpt_cfg *c, const char *path,
			char *err, size_t errlen)
{
	int k;

	if (!c->present)
		return 0;
	for (k = MSH_RK_LDAP_BIND_DN; k <= MSH_RK_LDAP_TIMEOUT; k++)
		if (c->line[k] && !c->ldap_uri[0])
			return check_err(path, c->line[k], key_names[k],
					 "needs ldap_uri", err, errlen);
	if (c->ldap_uri[0] && !c->ldap_base[0])
		return check_err(path, c->line[MSH_RK_LDAP_URI], "ldap_uri",
				 "ldap_base is missing", err, errlen);
	if (c->ldap_bind_dn[0] && !c->ldap_bind_pw_file[0])
		return check_err(path, c->line[MSH_RK_LDAP_BIND_DN],
				 "ldap_bind_dn",
				 "ldap_bind_pw_file is missing", err, errlen);
	if (c->ldap_bind_pw_file[0] && !c->ldap_bind_dn[0])
		return check_err(path, c->line[MSH_RK_LDAP_BIND_PW_FILE],
				 "ldap_bind_pw_file", "ldap_bind_dn is missing",
				 err, errlen);
	if (c->ldap_starttls && !strncmp(c->ldap_uri, "ldaps://", 8))
		return check_err(path, c->line[MSH_RK_LDAP_STARTTLS],
				 "ldap_starttls",
				 "ldaps:// is TLS already; StartTLS goes with ldap://",
				 err, errlen);
	if (c->naliases && !c->nalias_domains)
		return check_err(path, c->aliases_line, "postfix_alias",
				 "alias_domains is missing (alias keys are local parts)",
				 err, errlen);
	if (c->nalias_domains && !c->naliases)
		return check_err(path, c->line[MSH_RK_ALIAS_DOMAINS],
				 "alias_domains", "needs postfix_alias", err,
				 errlen);
	if (c->postfix_config[0] && !c->nmaps && !c->naliases)
		return check_err(path, c->line[MSH_RK_POSTFIX_CONFIG],
				 "postfix_config",
				 "needs postfix_map or postfix_alias", err,
				 errlen);
	if (!msh_rcpt_conf_has_source(c))
		return check_err(path, c->first_line, NULL,
				 "has no source of recipients (file, postfix_map, postfix_alias or ldap_uri)",
				 err, errlen);
	return 0;
}
