// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Configuration parser for mailshieldd. libinih does the INI syntax; this
 * file validates every entry and the file as a whole. libinih's handler is
 * not told the line number, so the file is fed to ini_parse_stream() through
 * a reader that counts lines; the handler then knows the exact line of the
 * entry it is looking at.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "config.h"
#include "text.h"

static const uint16_t default_ports[] = { 25, 587, 465 };

void msh_config_defaults(struct msh_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->policy.has_enabled = true;
	cfg->policy.enabled = true;
	cfg->policy.has_ports = true;
	cfg->policy.nports = sizeof(default_ports) / sizeof(default_ports[0]);
	memcpy(cfg->policy.ports, default_ports, sizeof(default_ports));
	msh_admit_defaults(&cfg->policy.admit);
	msh_smtp_defaults(&cfg->policy.smtp);
	msh_rcpt_conf_defaults(&cfg->recipients);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int msh_parse_ports(const char *s, struct msh_policy *p,
		    char *err, size_t errlen)
{
	uint16_t ports[MAILSHIELD_MAX_PORTS];
	unsigned int n = 0, i;
	bool want_more = false;

	for (;;) {
		const char *tok;
		size_t toklen, ndigits;
		unsigned long v = 0;

		while (is_blank(*s))
			s++;
		if (!*s)
			break;
		if (*s == ',') {
			msh_seterr(err, errlen, "empty entry in port list");
			return -1;
		}
		tok = s;
		while (*s && *s != ',' && !is_blank(*s))
			s++;
		toklen = (size_t)(s - tok);
		for (ndigits = 0; ndigits < toklen; ndigits++) {
			if (!isdigit((unsigned char)tok[ndigits]))
				break;
			if (v <= 65535)
				v = v * 10 + (unsigned long)(tok[ndigits] - '0');
		}
		if (ndigits != toklen) {
			msh_seterr(err, errlen, "invalid port \"%.*s\"",
			       (int)(toklen > 32 ? 32 : toklen), tok);
			return -1;
		}
		if (v < 1 || v > 65535) {
			msh_seterr(err, errlen,
			       "port %.*s out of range (1..65535)",
			       (int)(toklen > 32 ? 32 : toklen), tok);
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (ports[i] == v) {
				msh_seterr(err, errlen, "duplicate port %lu", v);
				return -1;
			}
		}
		if (n == MAILSHIELD_MAX_PORTS) {
			msh_seterr(err, errlen, "too many ports (at most %d)",
			       MAILSHIELD_MAX_PORTS);
			return -1;
		}
		ports[n++] = (uint16_t)v;

		while (is_blank(*s))
			s++;
		want_more = *s == ',';
		if (want_more)
			s++;
	}
	if (want_more) {
		msh_seterr(err, errlen, "empty entry in port list");
		return -1;
	}
	if (!n) {
		msh_seterr(err, errlen, "no ports given");
		return -1;
	}
	memcpy(p->ports, ports, n * sizeof(ports[0]));
	p->nports = n;
	p->has_ports = true;
	return 0;
}

/* A key of [limits], [bans], [allowlist] or [smtp] and where it was set. */
struct seen_key {
	char *name;			/* "section.key" */
	unsigned int line;
};

struct parse_state {
	const char *path;
	FILE *file;
	unsigned int line;		/* line last handed to libinih */
	unsigned int err_line;		/* first error we found, 0 if none */
	char err[MSH_CONFIG_ERR_MAX];
	char section[64];		/* the reader's idea of the section */
	struct msh_config cfg;
	unsigned int enabled_line;	/* where a key was set, 0 if not */
	unsigned int ports_line;
	/* the other sections: every key set so far, any number */
	struct seen_key *seen;
	size_t nseen, seen_cap;
	bool nomem;
};

/*
 * Duplicate check for the sections other than [general]: 0 or the line
 * the key was first set on; records the key when it is new. Sets st->nomem
 * (and returns 0) when the table cannot grow.
 */
static unsigned int key_seen(struct parse_state *st, const char *section,
			     const char *key)
{
	size_t i, len = strlen(section) + strlen(key) + 2;
	char *name;

	for (i = 0; i < st->nseen; i++) {
		const char *n = st->seen[i].name;
		size_t sl = strlen(section);

		if (!strncmp(n, section, sl) && n[sl] == '.' &&
		    !strcmp(n + sl + 1, key))
			return st->seen[i].line;
	}
	if (st->nseen == st->seen_cap) {
		size_t cap = st->seen_cap ? st->seen_cap * 2 : 32;
		struct seen_key *p = realloc(st->seen, cap * sizeof(*p));

		if (!p) {
			st->nomem = true;
			return 0;
		}
		st->seen = p;
		st->seen_cap = cap;
	}
	name = malloc(len);
	if (!name) {
		st->nomem = true;
		return 0;
	}
	snprintf(name, len, "%s.%s", section, key);
	st->seen[st->nseen].name = name;
	st->seen[st->nseen++].line = st->line;
	return 0;
}

static void seen_free(struct parse_state *st)
{
	size_t i;

	for (i = 0; i < st->nseen; i++)
		free(st->seen[i].name);
	free(st->seen);
	st->seen = NULL;
	st->nseen = st->seen_cap = 0;
}

static void state_err(struct parse_state *st, const char *section,
		      const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void state_err(struct parse_state *st, const char *section,
		      const char *key, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	if (st->err_line)
		return;		/* keep the first error only */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	st->err_line = st->line;
	if (section && key)
		n = snprintf(st->err, sizeof(st->err), "%s:%u: [%s] %s: %s",
			     st->path, st->line, section, key, msg);
	else if (key)
		n = snprintf(st->err, sizeof(st->err), "%s:%u: %s: %s",
			     st->path, st->line, key, msg);
	else
		n = snprintf(st->err, sizeof(st->err), "%s:%u: %s",
			     st->path, st->line, msg);
	if (n < 0)
		st->err[0] = '\0';
}

/* Does line start with "KEY =" or "KEY :"? */
static bool line_sets(const char *line, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n))
		return false;
	line += n;
	while (is_blank(*line))
		line++;
	return *line == '=' || *line == ':';
}

/*
 * Line reader for ini_parse_stream(): counts lines, and turns lines libinih
 * would misread into errors of our own (the line is then passed on empty).
 *  - lines longer than libinih's buffer would be split into two lines;
 *  - indented lines would silently continue the previous value.
 * It also follows the [section] headers, to name the key of a long line.
 */
static char *reader(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	size_t n;
	const char *p;

	if (!fgets(str, num, st->file))
		return NULL;
	st->line++;
	n = strlen(str);
	if (n && str[n - 1] != '\n') {
		int c = fgetc(st->file);

		if (c != EOF && c != '\n') {
			while (c != EOF && c != '\n')
				c = fgetc(st->file);
			if (!strcmp(st->section, "allowlist") &&
			    line_sets(str, "allow"))
				state_err(st, "allowlist", "allow",
					  "line too long (at most %d characters; put the entries on several allow lines, or in an allow_file)",
					  num - 1);
			else
				state_err(st, NULL, NULL,
					  "line too long (at most %d characters)",
					  num - 1);
			str[0] = '\0';
			return str;
		}
	}
	if (str[0] == '[') {
		const char *end = strchr(str, ']');

		n = end ? (size_t)(end - str - 1) : 0;
		if (n >= sizeof(st->section))
			n = 0;
		memcpy(st->section, str + 1, n);
		st->section[n] = '\0';
	}
	if (is_blank(str[0])) {
		for (p = str; isspace((unsigned char)*p); p++)
			;
		if (*p && *p != ';' && *p != '#') {
			state_err(st, NULL, NULL,
				  "indented line (keys and sections must start at the beginning of the line; values cannot continue on the next line)");
			str[0] = '\0';
		}
	}
	return str;
}

/* An error in the file an allow_file names: "PATH:LINE: message (...)". */
static void file_err(struct parse_state *st, const char *path,
		     unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void file_err(struct parse_state *st, const char *path,
		     unsigned int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (st->err_line)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	st->err_line = st->line;
	if (snprintf(st->err, sizeof(st->err),
		     "%s:%u: %s (in the allow_file of %s:%u)", path, line, msg,
		     st->path, st->line) < 0)
		st->err[0] = '\0';
}

/*
 * [allowlist] allow_file = PATH: one CIDR per line, blank lines and
 * comments from '#' to the end of the line ignored; the entries are added
 * to those of the allow lines. A relative PATH is taken from the directory
 * of the config file. Returns 1, or 0 after recording an error.
 */
static int read_allow_file(struct parse_state *st, const char *value)
{
	char path[4096], msg[256];
	const char *slash = strrchr(st->path, '/');
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int n, ret = 1;
	FILE *f;

	if (!*value) {
		state_err(st, "allowlist", "allow_file", "no file given");
		return 0;
	}
	if (value[0] != '/' && slash)
		n = snprintf(path, sizeof(path), "%.*s/%s",
			     (int)(slash - st->path), st->path, value);
	else
		n = snprintf(path, sizeof(path), "%s", value);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		state_err(st, "allowlist", "allow_file", "path too long");
		return 0;
	}
	f = fopen(path, "r");
	if (!f) {
		state_err(st, "allowlist", "allow_file", "cannot open %s: %s",
			  path, strerror(errno));
		return 0;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		char *p = line, *e;

		lineno++;
		if (strlen(line) != (size_t)len) {
			file_err(st, path, lineno, "NUL byte in line");
			ret = 0;
			break;
		}
		e = strchr(p, '#');
		if (e)
			*e = '\0';
		while (isspace((unsigned char)*p))
			p++;
		e = p + strlen(p);
		while (e > p && isspace((unsigned char)e[-1]))
			e--;
		*e = '\0';
		if (!*p)
			continue;
		if (strpbrk(p, " \t,")) {
			file_err(st, path, lineno,
				 "one CIDR per line (got \"%.48s\")", p);
			ret = 0;
			break;
		}
		if (msh_allowlist_add(&st->cfg.allowlist, p, msg,
				      sizeof(msg))) {
			file_err(st, path, lineno, "%s", msg);
			ret = 0;
			break;
		}
	}
	if (ret && ferror(f)) {
		state_err(st, "allowlist", "allow_file", "cannot read %s: %s",
			  path, strerror(errno));
		ret = 0;
	}
	free(line);
	fclose(f);
	return ret;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct parse_state *st = user;
	char msg[256];
	unsigned int *seen;

	if (!section[0]) {
		state_err(st, NULL, name,
			  "key outside of any section (put it under [general])");
		return 0;
	}
	if (strcmp(section, "general")) {
		bool is_allow = !strcmp(section, "allowlist") &&
				!strcmp(name, "allow");
		unsigned int prev;
		int r;

		/* recipients (rcpt_conf.c): its own repeat and duplicate rules */
		if (!strcmp(section, "recipients")) {
			if (msh_rcpt_conf(&st->cfg.recipients, st->path,
					  st->line, name, value, msg,
					  sizeof(msg))) {
				state_err(st, section, name, "%s", msg);
				return 0;
			}
			return 1;
		}
		if (!strcmp(section, "allowlist") &&
		    !strcmp(name, "allow_file")) {
			prev = key_seen(st, section, name);
			if (prev) {
				state_err(st, section, name,
					  "duplicate key (already set on line %u)",
					  prev);
				return 0;
			}
			return read_allow_file(st, value);
		}
		/* connection admission (admit_conf.c) */
		r = msh_admit_conf(section, name, value, &st->cfg.policy.admit,
				   &st->cfg.allowlist, msg, sizeof(msg));
		/* SMTP inspection (smtp.c) */
		if (r == 1)
			r = msh_smtp_conf(section, name, value,
					  &st->cfg.policy.smtp, msg,
					  sizeof(msg));
		if (r == 1) {
			state_err(st, section, name,
				  "unknown section (known sections: [general], [limits], [bans], [allowlist], [smtp], [recipients])");
			return 0;
		}
		if (r < 0) {
			state_err(st, section, name, "%s", msg);
			return 0;
		}
		/* allow is the one key that may repeat: its lists add up */
		prev = is_allow ? 0 : key_seen(st, section, name);
		if (prev) {
			state_err(st, section, name,
				  "duplicate key (already set on line %u)",
				  prev);
			return 0;
		}
		return 1;
	}
	if (!strcmp(name, "enabled"))
		seen = &st->enabled_line;
	else if (!strcmp(name, "ports"))
		seen = &st->ports_line;
	else {
		state_err(st, section, name,
			  "unknown key (known keys: enabled, ports)");
		return 0;
	}
	if (*seen) {
		state_err(st, section, name,
			  "duplicate key (already set on line %u)", *seen);
		return 0;
	}
	*seen = st->line;

	if (seen == &st->enabled_line) {
		if (msh_parse_bool(value, &st->cfg.policy.enabled,
				   msg, sizeof(msg))) {
			state_err(st, section, name, "%s", msg);
			return 0;
		}
	} else {
		if (msh_parse_ports(value, &st->cfg.policy, msg, sizeof(msg))) {
			state_err(st, section, name, "%s", msg);
			return 0;
		}
	}
	return 1;
}

int msh_config_load(const char *path, struct msh_config *cfg,
		    char *err, size_t errlen)
{
	struct parse_state st;
	int ret;

	memset(&st, 0, sizeof(st));
	st.path = path;
	msh_config_defaults(&st.cfg);

	st.file = fopen(path, "r");
	if (!st.file) {
		msh_seterr(err, errlen, "%s: cannot open: %s", path,
		       strerror(errno));
		return -1;
	}
	ret = ini_parse_stream(reader, &st, handler, &st);
	seen_free(&st);
	if (ferror(st.file)) {
		msh_seterr(err, errlen, "%s: read error", path);
		fclose(st.file);
		return -1;
	}
	fclose(st.file);

	if (ret < 0 || st.nomem) {
		msh_seterr(err, errlen, "%s: out of memory while parsing", path);
		return -1;
	}
	/* ret is the first line libinih flagged: a syntax error or ours */
	if (ret > 0 && (!st.err_line || (unsigned int)ret < st.err_line)) {
		msh_seterr(err, errlen,
		       "%s:%d: syntax error (expected \"key = value\" or \"[section]\")",
		       path, ret);
		return -1;
	}
	if (st.err_line) {
		msh_seterr(err, errlen, "%s", st.err);
		return -1;
	}
	if (msh_rcpt_conf_check(&st.cfg.recipients, path, err, errlen))
		return -1;
	*cfg = st.cfg;
	return 0;
}
