// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Loaders of the recipient set (rcpt_load.h): list files, Postfix tables
 * through postmap/postalias, and the whole of [recipients] at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rcpt_ldap.h"
#include "rcpt_load.h"
#include "text.h"

extern char **environ;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * The entry of a list line: from the first non-blank to the first blank
 * outside a quoted local part. *rest points after it.
 */
static size_t entry_len(const char *p, const char **rest)
{
	bool quoted = false;
	size_t i;

	for (i = 0; p[i]; i++) {
		if (quoted && p[i] == '\\' && p[i + 1]) {
			i++;
			continue;
		}
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && is_blank(p[i]))
			break;
	}
	*rest = p + i;
	return i;
}

int msh_rcpt_load_file(struct msh_rcpt_set *s, const char *path,
		       char *err, size_t errlen)
{
	char msg[256], *line = NULL;
	unsigned int lineno = 0;
	size_t cap = 0, n;
	ssize_t len;
	int ret = 0, r;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		msh_seterr(err, errlen, "%s: cannot open: %s", path,
			   strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		const char *p = line, *rest;

		lineno++;
		if (strlen(line) != (size_t)len) {
			msh_seterr(err, errlen, "%s:%u: NUL byte in line", path,
				   lineno);
			ret = -1;
			break;
		}
		while (len && is_blank(line[len - 1]))
			line[--len] = '\0';
		while (is_blank(*p))
			p++;
		if (!*p || *p == '#')
			continue;
		n = entry_len(p, &rest);
		while (is_blank(*rest))
			rest++;
		if (*rest && *rest != '#') {
			msh_seterr(err, errlen,
				   "%s:%u: one address or @domain per line (got \"%.60s\")",
				   path, lineno, p);
			ret = -1;
			break;
		}
		r = msh_rcpt_set_add(s, p, n, msg, sizeof(msg));
		if (r == -ENOMEM) {
			msh_seterr(err, errlen, "%s: out of memory", path);
			ret = -1;
			break;
		}
		if (r) {
			msh_seterr(err, errlen, "%s:%u: %s", path, lineno, msg);
			ret = -1;
			break;
		}
	}
	if (!ret && ferror(f)) {
		msh_seterr(err, errlen, "%s: cannot read: %s", path,
			   strerror(errno));
		ret = -1;
	}
	free(line);
	fclose(f);
	return ret;
}

/* ---- Postfix tables ------------------------------------------------- */

struct pf_ctx {
	struct msh_rcpt_set *s;
	bool alias;
	const char (*domains)[256];
	unsigned int ndomains;
	bool nomem;
};

static void pf_key(struct pf_ctx *x, char *line)
{
	char buf[600];
	size_t klen = strcspn(line, " \t");
	unsigned int i;
	int r = 0;

	line[klen] = '\0';
	if (x->alias) {
		/* postalias -s prints "key: value" */
		if (klen && line[klen - 1] == ':')
			line[--klen] = '\0';
		/* Sendmail/NIS markers postalias adds to every table */
		if (!strcmp(line, "@") || !strncmp(line, "YP_", 3) || !klen)
			return;
		if (strchr(line, '@')) {
			x->s->skipped++;
			return;
		}
		for (i = 0; i < x->ndomains; i++) {
			int n = snprintf(buf, sizeof(buf), "%s@%s", line,
					 x->domains[i]);

			if (n < 0 || (size_t)n >= sizeof(buf))
				r = -EINVAL;
			else
				r = msh_rcpt_set_add(x->s, buf, (size_t)n,
						     NULL, 0);
			if (r == -ENOMEM)
				x->nomem = true;
			else if (r)
				x->s->skipped++;
		}
		return;
	}
	if (!klen)
		return;
	/* a virtual(5) key without @ (a bare user or a domain line) */
	if (!strchr(line, '@')) {
		x->s->skipped++;
		return;
	}
	r = msh_rcpt_set_add(x->s, line, klen, NULL, 0);
	if (r == -ENOMEM)
		x->nomem = true;
	else if (r)
		x->s->skipped++;
}

/* Where the tool is: Postfix puts them in /usr/sbin, not always in PATH. */
static const char *tool_path(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "/usr/sbin/%s", name);
	return access(buf, X_OK) ? name : buf;
}

int msh_rcpt_load_postfix(struct msh_rcpt_set *s, const char *map,
			  bool alias, const char (*domains)[256],
			  unsigned int ndomains, const char *config_dir,
			  char *err, size_t errlen)
{
	struct pf_ctx x = { .s = s, .alias = alias, .domains = domains,
			    .ndomains = ndomains };
	const char *tool = alias ? "postalias" : "postmap";
	char prog[64], errline[512] = "", *argv[7];
	char *out = NULL, *ebuf = NULL;
	size_t olen = 0, ocap = 0, elen = 0, ecap = 0, start;
	int opipe[2] = { -1, -1 }, epipe[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	int argc = 0, status = -1, ret = -1, r;
	struct pollfd pfd[2];
	pid_t pid;

	argv[argc++] = (char *)tool;
	if (config_dir && *config_dir) {
		argv[argc++] = (char *)"-c";
		argv[argc++] = (char *)config_dir;
	}
	argv[argc++] = (char *)"-s";
	argv[argc++] = (char *)map;
	argv[argc] = NULL;

	if (pipe2(opipe, O_CLOEXEC) || pipe2(epipe, O_CLOEXEC)) {
		msh_seterr(err, errlen, "%s -s %s: pipe: %s", tool, map,
			   strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, opipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, epipe[1], 2);
	r = posix_spawnp(&pid, tool_path(tool, prog, sizeof(prog)), &fa, NULL,
			 argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(opipe[1]);
	close(epipe[1]);
	opipe[1] = epipe[1] = -1;
	if (r) {
		msh_seterr(err, errlen, "%s -s %s: cannot run %s: %s", tool,
			   map, tool, strerror(r));
		goto out;
	}

	/* read both pipes to the end; keys are handled once whole */
	pfd[0].fd = opipe[0];
	pfd[1].fd = epipe[0];
	pfd[0].events = pfd[1].events = POLLIN;
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		int i;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			char **buf = i ? &ebuf : &out;
			size_t *len = i ? &elen : &olen, *cap = i ? &ecap : &ocap;
			ssize_t n;

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			if (*cap - *len < 65536) {
				char *p = realloc(*buf, *cap + 131072);

				if (!p) {
					x.nomem = true;
					close(pfd[i].fd);
					pfd[i].fd = -1;
					continue;
				}
				*buf = p;
				*cap += 131072;
			}
			n = read(pfd[i].fd, *buf + *len, *cap - *len - 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				continue;
			}
			*len += (size_t)n;
			if (i == 0) {
				/* hand over whole lines, keep the rest */
				char *nl;

				start = 0;
				while ((nl = memchr(out + start, '\n',
						    olen - start))) {
					*nl = '\0';
					pf_key(&x, out + start);
					start = (size_t)(nl + 1 - out);
				}
				memmove(out, out + start, olen - start);
				olen -= start;
			}
		}
	}
	opipe[0] = epipe[0] = -1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ebuf) {
		/* the tool's last line of complaint */
		char *e, *line;

		ebuf[elen] = '\0';
		while (elen && ebuf[elen - 1] == '\n')
			ebuf[--elen] = '\0';
		e = strrchr(ebuf, '\n');
		line = e ? e + 1 : ebuf;
		snprintf(errline, sizeof(errline), "%s", line);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		msh_seterr(err, errlen, "%s -s %s: %s", tool, map,
			   errline[0] ? errline : "failed");
		goto out;
	}
	if (x.nomem) {
		msh_seterr(err, errlen, "%s -s %s: out of memory", tool, map);
		goto out;
	}
	if (olen) {
		out[olen] = '\0';
		pf_key(&x, out);
	}
	ret = 0;
out:
	for (r = 0; r < 2; r++) {
		if (opipe[r] >= 0)
			close(opipe[r]);
		if (epipe[r] >= 0)
			close(epipe[r]);
	}
	free(out);
	free(ebuf);
	return ret;
}

/* ---- the whole section ---------------------------------------------- */

int msh_rcpt_load(const struct msh_rcpt_cfg *cfg, struct msh_rcpt_set *s,
		  char *err, size_t errlen)
{
	char msg[256];
	unsigned int i;
	int r;

	if (msh_rcpt_set_init(s, cfg->flags, cfg->delims, cfg->ndelims)) {
		msh_seterr(err, errlen, "libsodium cannot initialise");
		return -1;
	}
	for (i = 0; i < cfg->ndomains; i++) {
		r = msh_rcpt_set_add_domain(s, cfg->domains[i],
					    strlen(cfg->domains[i]), msg,
					    sizeof(msg));
		if (r) {
			msh_seterr(err, errlen, "domains: %s",
				   r == -ENOMEM ? "out of memory" : msg);
			goto fail;
		}
	}
	for (i = 0; i < cfg->nfiles; i++)
		if (msh_rcpt_load_file(s, cfg->files[i], err, errlen))
			goto fail;
	for (i = 0; i < cfg->nmaps; i++)
		if (msh_rcpt_load_postfix(s, cfg->maps[i], false, NULL, 0,
					  cfg->postfix_config, err, errlen))
			goto fail;
	for (i = 0; i < cfg->naliases; i++)
		if (msh_rcpt_load_postfix(s, cfg->aliases[i], true,
					  cfg->alias_domains,
					  cfg->nalias_domains,
					  cfg->postfix_config, err, errlen))
			goto fail;
	if (cfg->ldap_uri[0] && msh_rcpt_load_ldap(s, cfg, err, errlen))
		goto fail;
	return msh_rcpt_set_finish(s);
fail:
	msh_rcpt_set_free(s);
	return -1;
}
