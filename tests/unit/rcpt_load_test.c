// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient loaders (daemon/rcpt_load.c) over real files and real
 * Postfix tables built with postmap and postalias in a temporary
 * directory, and the keep-or-replace rules of daemon/rcpt.c with a fake
 * uploader.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "rcpt.h"
#include "rcpt_load.h"
#include "unit.h"
#include "conf_util.h"

static const uint8_t key[16];

static const char *write_file(const char *name, const char *text, size_t len)
{
	static char path[320];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	return path;
}

#define WRITE(name, text) write_file(name, text, sizeof(text) - 1)

static bool verdicts(const struct msh_rcpt_set *s, const char *const *rcpt,
		     const enum msh_rcpt_verdict *want, size_t n,
		     const char *name)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < n; i++) {
		enum msh_rcpt_verdict v = msh_rcpt_set_check(s, rcpt[i]);

		if (v != want[i]) {
			unit_diag("%s: %s: verdict %d, want %d", name, rcpt[i],
				  v, want[i]);
			ok = false;
		}
	}
	return ok;
}

static void test_file(void)
{
	static const char *const rcpt[] = {
		"alice@example.com", "Alice+news@EXAMPLE.com", "bob@example.com",
		"carol@example.org", "anyone@catchall.example",
		"john doe@example.com", "a#b@example.com", "mallory@example.com",
		"x@elsewhere.example", "y@only-domain.example",
	};
	static const enum msh_rcpt_verdict want[] = {
		MSH_RCPT_KNOWN, MSH_RCPT_KNOWN, MSH_RCPT_KNOWN, MSH_RCPT_KNOWN,
		MSH_RCPT_CATCHALL, MSH_RCPT_KNOWN, MSH_RCPT_KNOWN,
		MSH_RCPT_UNKNOWN, MSH_RCPT_OUTSIDE, MSH_RCPT_UNKNOWN,
	};
	struct msh_rcpt_set s;
	char err[512] = "";
	const char *path;
	bool ok;

	path = WRITE("list.txt",
		     "# valid recipients\n"
		     "\n"
		     "alice@example.com\n"
		     "  ALICE@Example.com   # the same, differently written\n"
		     "bob@example.com\r\n"
		     "\tcarol@example.org\n"
		     "@catchall.example\n"
		     "\"john doe\"@example.com\n"
		     "a#b@example.com\n"
		     "bob+spam@example.com\n");
	msh_rcpt_set_init_key(&s, key, 0, "+", 1);
	ok = msh_rcpt_load_file(&s, path, err, sizeof(err)) == 0;
	if (!ok)
		unit_diag("file: %s", err);
	msh_rcpt_set_add_domain(&s, "only-domain.example", 19, err,
				sizeof(err));
	msh_rcpt_set_finish(&s);
	ok = ok && s.entries == 8 && s.addrs.n == 5 && s.catchalls.n == 1 &&
	     s.domains.n == 4;
	if (!ok)
		unit_diag("file: entries %zu addrs %zu catchalls %zu domains %zu",
			  s.entries, s.addrs.n, s.catchalls.n, s.domains.n);
	ok &= verdicts(&s, rcpt, want, sizeof(want) / sizeof(want[0]), "file");
	unit_result("rcpt file: comments, blanks, duplicates, catch-alls, domains",
		    ok, NULL);
	msh_rcpt_set_free(&s);
}

static void expect_file_err(const char *name, const char *file,
			    const char *text, size_t len, const char *rest)
{
	struct msh_rcpt_set s;
	char err[512] = "", want[512];
	const char *path = write_file(file, text, len);
	bool ok;

	snprintf(want, sizeof(want), "%s%s", path, rest);
	msh_rcpt_set_init_key(&s, key, 0, "+", 1);
	ok = msh_rcpt_load_file(&s, path, err, sizeof(err)) == -1 &&
	     !strcmp(err, want);
	if (!ok)
		unit_diag("%s: got \"%s\", want \"%s\"", name, err, want);
	unit_result(name, ok, NULL);
	msh_rcpt_set_free(&s);
}

#define FILE_ERR(name, text, rest) \
	expect_file_err(name, "bad.txt", text, sizeof(text) - 1, rest)

static void test_file_errors(void)
{
	struct msh_rcpt_set s;
	char err[512], want[512], path[400];

	FILE_ERR("rcpt file error: not an address",
		 "ok@example.com\n# fine\nnot-an-address\n",
		 ":3: not an address (no @domain): \"not-an-address\"");
	FILE_ERR("rcpt file error: two addresses on a line",
		 "a@example.com b@example.com\n",
		 ":1: one address or @domain per line (got \"a@example.com b@example.com\")");
	FILE_ERR("rcpt file error: bad domain",
		 "\n\nuser@exa_mple..com\n",
		 ":3: empty label in domain: \"user@exa_mple..com\"");
	FILE_ERR("rcpt file error: overlong local part",
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@e.com\n",
		 ":1: local part longer than 64 octets: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@e.com\"");
	FILE_ERR("rcpt file error: catch-all with a source route",
		 "@a.example:b@c.example\n",
		 ":1: invalid catch-all \"@a.example:b@c.example\" (write @domain)");
	FILE_ERR("rcpt file error: NUL byte", "a@b.example\nc\0@d.example\n",
		 ":2: NUL byte in line");

	msh_rcpt_set_init_key(&s, key, 0, "+", 1);
	snprintf(want, sizeof(want),
		 "%s/missing.txt: cannot open: No such file or directory",
		 tmpdir);
	snprintf(path, sizeof(path), "%s/missing.txt", tmpdir);
	unit_result("rcpt file error: missing file",
		    msh_rcpt_load_file(&s, path, err, sizeof(err)) == -1 &&
		    !strcmp(err, want), NULL);
	msh_rcpt_set_free(&s);
}

static int sh(const char *fmt, const char *a)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), fmt, a, a, a);
	return system(cmd);
}

static void test_postfix(void)
{
	static const char *const rcpt[] = {
		"user@example.com", "bob@example.com", "any@catch.example",
		"nobody@example.com", "root@example.com", "postmaster@example.org",
		"foo@example.org", "ghost@example.org", "x@example.net",
	};
	static const enum msh_rcpt_verdict want[] = {
		MSH_RCPT_KNOWN, MSH_RCPT_KNOWN, MSH_RCPT_CATCHALL,
		MSH_RCPT_UNKNOWN, MSH_RCPT_KNOWN, MSH_RCPT_KNOWN,
		MSH_RCPT_KNOWN, MSH_RCPT_UNKNOWN, MSH_RCPT_OUTSIDE,
	};
	static const char domains[2][256] = { "example.com", "Example.ORG" };
	struct msh_rcpt_set s;
	char err[1024] = "", map[400], alias[400], pc[400];
	bool ok;

	WRITE("virtual",
	      "User@Example.com   user\n"
	      "bob+tag@example.com  bob\n"
	      "@catch.example     catchall\n"
	      "example.net        virtual-domain-line\n");
	WRITE("aliases",
	      "root: admin\n"
	      "Postmaster: root\n"
	      "foo: \"|/bin/true\"\n");
	snprintf(pc, sizeof(pc), "%s/postfix", tmpdir);
	if (sh("mkdir -p '%s' && : > '%s/main.cf'", pc)) {
		unit_result("rcpt postfix: config directory", false, NULL);
		return;
	}
	snprintf(map, sizeof(map), "hash:%s/virtual", tmpdir);
	snprintf(alias, sizeof(alias), "hash:%s/aliases", tmpdir);
	{
		char cmd[2048];

		snprintf(cmd, sizeof(cmd),
			 "postmap -c '%s' '%s' && postalias -c '%s' '%s'", pc,
			 map, pc, alias);
		if (system(cmd)) {
			unit_result("rcpt postfix: postmap and postalias build the tables",
				    false, NULL);
			return;
		}
	}

	msh_rcpt_set_init_key(&s, key, 0, "+", 1);
	ok = !msh_rcpt_load_postfix(&s, map, false, NULL, 0, pc, err,
				    sizeof(err));
	if (!ok)
		unit_diag("postmap: %s", err);
	ok = ok && s.skipped == 1 && s.entries == 3;
	unit_result("rcpt postfix: postmap -s of a hash table (a key without @ skipped)",
		    ok, NULL);
	ok = !msh_rcpt_load_postfix(&s, alias, true, domains, 2, pc, err,
				    sizeof(err));
	if (!ok)
		unit_diag("postalias: %s", err);
	/* 3 aliases in 2 domains; postalias's own markers not counted */
	ok = ok && s.skipped == 1 && s.entries == 9;
	if (!ok)
		unit_diag("postalias: entries %zu skipped %zu", s.entries,
			  s.skipped);
	unit_result("rcpt postfix: postalias -s of an alias table, in every alias domain",
		    ok, NULL);
	msh_rcpt_set_finish(&s);
	unit_result("rcpt postfix: the loaded recipients",
		    verdicts(&s, rcpt, want, sizeof(want) / sizeof(want[0]),
			     "postfix"), NULL);
	msh_rcpt_set_free(&s);

	msh_rcpt_set_init_key(&s, key, 0, "+", 1);
	snprintf(map, sizeof(map), "hash:%s/nonexistent", tmpdir);
	ok = msh_rcpt_load_postfix(&s, map, false, NULL, 0, pc, err,
				   sizeof(err)) == -1 &&
	     strstr(err, "postmap -s hash:") &&
	     strstr(err, "nonexistent.db: No such file or directory");
	if (!ok)
		unit_diag("missing table: %s", err);
	unit_result("rcpt postfix: a missing table is an error with postmap's reason",
		    ok, NULL);
	snprintf(map, sizeof(map), "nosuchtype:%s/virtual", tmpdir);
	ok = msh_rcpt_load_postfix(&s, map, false, NULL, 0, pc, err,
				   sizeof(err)) == -1 &&
	     strstr(err, "unsupported dictionary type: nosuchtype");
	if (!ok)
		unit_diag("bad type: %s", err);
	unit_result("rcpt postfix: an unknown table type is an error", ok,
		    NULL);
	msh_rcpt_set_free(&s);
}

/* The whole [recipients] section through the config parser. */
static void test_load_config(void)
{
	struct msh_config cfg;
	struct msh_rcpt_set s;
	char err[1024] = "", text[2048];
	const char *path;
	bool ok;

	WRITE("list2.txt", "alice@example.com\n@catch.example\n");
	snprintf(text, sizeof(text),
		 "[recipients]\n"
		 "file = list2.txt\n"
		 "postfix_map = hash:virtual\n"
		 "postfix_alias = hash:%s/aliases\n"
		 "alias_domains = example.com\n"
		 "postfix_config = postfix\n"
		 "domains = protected.example, B\xc3\xbc" "cher.example\n"
		 "delimiters = +-\n", tmpdir);
	path = write_conf("load", text);
	ok = !msh_config_load(path, &cfg, err, sizeof(err));
	if (!ok)
		unit_diag("config: %s", err);
	ok = ok && !msh_rcpt_load(&cfg.recipients, &s, err, sizeof(err));
	if (!ok) {
		unit_diag("load: %s", err);
		unit_result("rcpt load: file + map + alias + domains from a config",
			    false, NULL);
		return;
	}
	ok = msh_rcpt_set_check(&s, "alice-x@example.com") == MSH_RCPT_KNOWN &&
	     msh_rcpt_set_check(&s, "root@example.com") == MSH_RCPT_KNOWN &&
	     msh_rcpt_set_check(&s, "bob@example.com") == MSH_RCPT_KNOWN &&
	     msh_rcpt_set_check(&s, "q@catch.example") == MSH_RCPT_CATCHALL &&
	     msh_rcpt_set_check(&s, "q@protected.example") == MSH_RCPT_UNKNOWN &&
	     msh_rcpt_set_check(&s, "q@xn--bcher-kva.example") == MSH_RCPT_UNKNOWN &&
	     msh_rcpt_set_check(&s, "q@example.org") == MSH_RCPT_OUTSIDE &&
	     s.finished && s.ndelims == 2;
	unit_result("rcpt load: file + map + alias + domains from a config",
		    ok, NULL);
	msh_rcpt_set_free(&s);
}

/* ---- keep or replace (rcpt.c) ---------------------------------------- */

struct fake {
	int calls;
	int fail;		/* errno to fail with, 0 = succeed */
	size_t addrs;		/* of the last upload */
};

static int fake_upload(const struct msh_rcpt_set *s, void *arg, char *err,
		       size_t errlen)
{
	struct fake *f = arg;

	f->calls++;
	if (f->fail) {
		snprintf(err, errlen, "RCPT_ADD: %s: set too large",
			 strerror(f->fail));
		return -f->fail;
	}
	f->addrs = s->addrs.n;
	return 0;
}

static bool has(const char *line, const char *part, const char *name)
{
	if (strstr(line, part))
		return true;
	unit_diag("%s: \"%s\" lacks \"%s\"", name, line, part);
	return false;
}

static void test_refresh(void)
{
	struct msh_rcpt_state st = { 0 };
	struct msh_rcpt_cfg c;
	struct fake f = { 0 };
	char line[1024], list[400];
	uint8_t k[16];
	bool ok;
	int r;

	msh_rcpt_conf_defaults(&c);
	c.present = true;
	snprintf(list, sizeof(list), "%s/refresh.txt", tmpdir);
	snprintf(c.files[0], sizeof(c.files[0]), "%s", list);
	c.nfiles = 1;

	WRITE("refresh.txt", "a@example.com\nb@example.com\n");
	r = msh_rcpt_refresh(&st, &c, "start", fake_upload, &f, line,
			     sizeof(line));
	ok = r == 0 && st.have && f.calls == 1 && f.addrs == 2 &&
	     has(line, "msg=recipients trigger=start result=ok addresses=2 domains=1 catchalls=0 skipped=0 load_ms=", "start") &&
	     has(line, " upload_ms=", "start");
	unit_result("rcpt refresh: first load is uploaded and logged", ok, NULL);
	memcpy(k, st.cur.key, sizeof(k));

	unlink(list);
	r = msh_rcpt_refresh(&st, &c, "refresh", fake_upload, &f, line,
			     sizeof(line));
	ok = r == 1 && st.have && f.calls == 1 && st.cur.addrs.n == 2 &&
	     !memcmp(k, st.cur.key, sizeof(k)) &&
	     has(line, "msg=recipients trigger=refresh result=error error=\"", "missing") &&
	     has(line, "refresh.txt: cannot open: No such file or directory\" recipients=unchanged", "missing");
	unit_result("rcpt refresh: a missing file keeps the running set", ok,
		    NULL);

	WRITE("refresh.txt", "# nobody left\n");
	r = msh_rcpt_refresh(&st, &c, "refresh", fake_upload, &f, line,
			     sizeof(line));
	ok = r == 1 && f.calls == 1 && st.cur.addrs.n == 2 &&
	     has(line, "error=\"no recipients loaded (an empty set is only uploaded with allow_empty = yes)\" recipients=unchanged", "empty");
	unit_result("rcpt refresh: an empty result does not replace a set", ok,
		    NULL);

	c.allow_empty = true;
	r = msh_rcpt_refresh(&st, &c, "refresh", fake_upload, &f, line,
			     sizeof(line));
	ok = r == 0 && f.calls == 2 && f.addrs == 0 && st.cur.addrs.n == 0 &&
	     has(line, "result=ok addresses=0", "allow_empty");
	unit_result("rcpt refresh: allow_empty = yes uploads the empty set", ok,
		    NULL);

	WRITE("refresh.txt", "a@example.com\nb@example.com\nc@example.com\n");
	f.fail = EFBIG;
	r = msh_rcpt_refresh(&st, &c, "reload", fake_upload, &f, line,
			     sizeof(line));
	ok = r == 1 && f.calls == 3 && st.cur.addrs.n == 0 &&
	     has(line, "trigger=reload result=error error=\"RCPT_ADD: File too large: set too large\" recipients=unchanged", "upload");
	unit_result("rcpt refresh: a failed upload keeps the running set", ok,
		    NULL);

	f.fail = 0;
	r = msh_rcpt_refresh(&st, &c, "refresh", fake_upload, &f, line,
			     sizeof(line));
	ok = r == 0 && f.addrs == 3 && st.cur.addrs.n == 3 &&
	     memcmp(k, st.cur.key, sizeof(k));
	unit_result("rcpt refresh: a new set comes with a new key", ok, NULL);

	r = msh_rcpt_reupload(&st, "repush", fake_upload, &f, line,
			      sizeof(line));
	ok = r == 0 && f.addrs == 3 && st.cur.addrs.n == 3 &&
	     has(line, "trigger=repush source=previous result=ok addresses=3", "repush");
	unit_result("rcpt refresh: the running set can be uploaded again", ok,
		    NULL);

	c.present = false;
	r = msh_rcpt_refresh(&st, &c, "reload", fake_upload, &f, line,
			     sizeof(line));
	ok = r == 0 && f.addrs == 0 && !st.have &&
	     has(line, "trigger=reload source=none result=ok addresses=0", "removed");
	r = msh_rcpt_refresh(&st, &c, "reload", fake_upload, &f, line,
			     sizeof(line));
	ok = ok && r == -1 && !line[0];
	unit_result("rcpt refresh: removing [recipients] clears the kernel's set once",
		    ok, NULL);
	msh_rcpt_state_free(&st);
}

int main(void)
{
	conf_tmpdir_make("rcpt-load");
	test_file();
	test_file_errors();
	test_postfix();
	test_load_config();
	test_refresh();
	conf_tmpdir_remove();
	return unit_exit();
}
