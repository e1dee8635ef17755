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
#include "knobs.h"
#include "text.h"

void msh_config_defaults(struct msh_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	msh_knobs_defaults(&cfg->knobs);
	msh_rcpt_conf_defaults(&cfg->recipients);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A key of any section and the line it was set on. */
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
	/* every key set so far, any number */
	struct seen_key *seen;
	size_t nseen, seen_cap;
	bool nomem;
};

/*
 * Duplicate check: 0 or the line
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
	char msg[640];
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

/* The sections that hold no knob; the knobs' come from the table. */
static const char *const other_sections[] = { "allowlist" };

static void unknown_section(struct parse_state *st, const char *section,
			    const char *name)
{
	char list[256];
	size_t off = 0, i;
	int k;

	list[0] = '\0';
	for (k = 0; k < MSH_KNOB_NUM && off < sizeof(list); k++) {
		const char *sec = msh_knob_info[k].section;

		if (k && !strcmp(sec, msh_knob_info[k - 1].section))
			continue;
		if (strstr(list, sec))
			continue;
		off += (size_t)snprintf(list + off, sizeof(list) - off,
					"%s[%s]", off ? ", " : "", sec);
	}
	for (i = 0; i < sizeof(other_sections) / sizeof(other_sections[0]) &&
		    off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off,
					", [%s]", other_sections[i]);
	state_err(st, section, name, "unknown section (known sections: %s)",
		  list);
}

/* A [recipients] key that is not a knob: where the set comes from. */
static int recipients_key(struct parse_state *st, const char *section,
			  const char *name, const char *value)
{
	static const char unknown[] = "unknown key (known keys: ";
	char msg[512], knobs[256];

	if (!msh_rcpt_conf(&st->cfg.recipients, st->path, st->line, name,
			   value, msg, sizeof(msg)))
		return 1;
	if (!strncmp(msg, unknown, sizeof(unknown) - 1)) {
		/* name the knobs of the section too */
		msh_knob_section_keys(section, knobs, sizeof(knobs));
		state_err(st, section, name, "unknown key (%s, %s",
			  knobs, msg + sizeof(unknown) - 1);
		return 0;
	}
	state_err(st, section, name, "%s", msg);
	return 0;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct parse_state *st = user;
	char msg[256];
	unsigned int prev;
	int k, r;

	if (!section[0]) {
		state_err(st, NULL, name,
			  "key outside of any section (put it under [general])");
		return 0;
	}
	/* allow is the one key that may repeat: its lists add up */
	if (!strcmp(section, "allowlist") && !strcmp(name, "allow")) {
		if (msh_allowlist_conf(name, value, &st->cfg.allowlist, msg,
				       sizeof(msg))) {
			state_err(st, section, name, "%s", msg);
			return 0;
		}
		return 1;
	}

	k = msh_knob_by_key(section, name);
	/* the recipient sources (rcpt_conf.c): its own repeat rules */
	if (k < 0 && !strcmp(section, "recipients"))
		return recipients_key(st, section, name, value);
	if (k < 0 && msh_knob_section(section)) {
		state_err(st, section, name, "unknown key (%s)",
			  msh_knob_section_keys(section, msg, sizeof(msg)));
		return 0;
	}
	if (k < 0 && strcmp(section, "allowlist")) {
		unknown_section(st, section, name);
		return 0;
	}
	if (k < 0 && strcmp(name, "allow_file")) {
		state_err(st, section, name,
			  "unknown key (known keys: allow, allow_file)");
		return 0;
	}

	prev = key_seen(st, section, name);
	if (prev) {
		state_err(st, section, name,
			  "duplicate key (already set on line %u)", prev);
		return 0;
	}
	if (k < 0)
		return read_allow_file(st, value);

	r = msh_knob_parse(k, value, &st->cfg.knobs, msg, sizeof(msg));
	if (r) {
		state_err(st, section, name, "%s", msg);
		return 0;
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
