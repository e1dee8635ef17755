// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Userspace unit tests of the SMTP parser (kmod/smtp_parser.c and
 * kmod/smtp_reply.c). The session tables are shared with the KUnit suite
 * (kmod/tests/smtp_cases.h); every session is run whole, one byte per
 * chunk and cut in two at every position, and all runs must agree.
 *
 * Prints "ok - unit: smtp.<name>" / "not ok - unit: smtp.<name>", also
 * appended to $MSH_RESULTS when set; exits 1 if anything failed.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/smtp_parser.h"
#include "../../kmod/tests/smtp_case_run.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static unsigned int n_pass, n_fail;
static FILE *results;

static void report(bool ok, const char *fmt, ...)
{
	char name[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	printf("%s - unit: smtp.%s\n", ok ? "ok" : "not ok", name);
	if (results) {
		fprintf(results, "%s - unit: smtp.%s\n", ok ? "ok" : "not ok",
			name);
		fflush(results);
	}
	if (ok)
		n_pass++;
	else
		n_fail++;
}

static void print_masks(const char *what, u32 n, const u32 *pos,
			const u32 *mask)
{
	u32 i, b;

	fprintf(stderr, "  %s:", what);
	for (i = 0; i < n; i++) {
		fprintf(stderr, " @%u", pos[i]);
		for (b = 0; b < MSH_SMTP_R_COUNT; b++)
			if (mask[i] & MSH_SMTP_BIT(b))
				fprintf(stderr, "%s%s", "/",
					msh_smtp_reason_name(b));
	}
	fprintf(stderr, "\n");
}

static const char *const err_names[] = {
	"ok", "bad script", "invalid state or offset", "wrong violations",
	"wrong final state",
};

static bool run_session(const char *name, const char *script, u32 slen,
			const u32 *masks, enum msh_smtp_state state,
			const struct msh_smtp_limits *lim, bool tls)
{
	u8 *data = malloc(slen + 1), *dir = malloc(slen + 1);
	struct msh_tc_result r;
	struct msh_tc_sess ss;
	enum msh_tc_err e;
	u32 split;

	msh_tc_decode(script, slen, data, dir, &ss);
	e = msh_tc_run_all(&ss, masks, state, lim, tls, &r, &split);
	if (e) {
		fprintf(stderr, "%s: %s (run: %s%u)\n", name, err_names[e],
			split == ~0U ? "whole" : split == ss.len ?
			"bytes" : "split at ", split == ~0U ||
			split == ss.len ? 0 : split);
		print_masks("expected", ss.nexp, ss.exp_pos, masks);
		print_masks("got     ", r.nev, r.pos, r.mask);
		fprintf(stderr, "  state: expected %d, got %d\n", state,
			r.state);
	}
	free(data);
	free(dir);
	return e == MSH_TC_OK;
}

static void test_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(msh_smtp_cases); i++) {
		const struct msh_smtp_case *c = &msh_smtp_cases[i];

		report(run_session(c->name, c->script,
				   msh_tc_strlen(c->script), c->masks,
				   c->state, c->lim, c->tls),
		       "case.%s", c->name);
	}
}

static void test_limits(void)
{
	static char buf[40000];
	size_t i;
	int over;

	for (i = 0; i < ARRAY_SIZE(msh_smtp_limit_cases); i++) {
		const struct msh_smtp_limit_case *lc =
			&msh_smtp_limit_cases[i];

		for (over = 0; over <= 1; over++) {
			u32 masks[MSH_TC_MAX_EV] = { 0 };
			u32 len = msh_tc_build_limit(lc, over, buf,
						     sizeof(buf));
			bool ok = len != 0;

			masks[0] = over ? lc->mask : 0;
			if (ok)
				ok = run_session(lc->name, buf, len, masks,
						 lc->state, lc->lim, false);
			report(ok, "limit.%s.%s", lc->name,
			       over ? "one_past" : "exact");
		}
	}
}

/*
 * Every reason the parser produces appears in some table (the last one,
 * a changed retransmission, comes from the stream view in the module).
 */
static void test_reasons_covered(void)
{
	u32 all = 0, want = (1U << MSH_SMTP_R_RETRANSMIT) - 1;
	size_t i, j;
	bool names = true;

	for (i = 0; i < ARRAY_SIZE(msh_smtp_cases); i++)
		for (j = 0; j < MSH_TC_MAX_EV; j++)
			all |= msh_smtp_cases[i].masks[j];
	for (i = 0; i < ARRAY_SIZE(msh_smtp_limit_cases); i++)
		all |= msh_smtp_limit_cases[i].mask;
	if (all != want)
		fprintf(stderr, "reasons not covered: %#x\n", want & ~all);
	report(all == want, "reasons_covered");

	for (i = 0; i < MSH_SMTP_R_COUNT; i++) {
		if (!strcmp(msh_smtp_reason_name(i), "?"))
			names = false;
		for (j = 0; j < i; j++)
			if (!strcmp(msh_smtp_reason_name(i),
				    msh_smtp_reason_name(j)))
				names = false;
	}
	names = names && !strcmp(msh_smtp_reason_name(MSH_SMTP_R_COUNT), "?");
	report(names, "reason_names");
}

static void test_state_size(void)
{
	printf("# sizeof(struct msh_smtp) = %zu\n", sizeof(struct msh_smtp));
	report(sizeof(struct msh_smtp) <= 128, "state_size");
}

static const struct msh_smtp_limits *deflim(void)
{
	static struct msh_smtp_limits lim;

	msh_smtp_limits_default(&lim);
	return &lim;
}

static u32 feed_c(struct msh_smtp *s, const char *str, u32 *off)
{
	return msh_smtp_feed_client(s, deflim(), NULL, (const u8 *)str,
				    (u32)strlen(str), off);
}

static u32 feed_s(struct msh_smtp *s, const char *str)
{
	u32 off;

	return msh_smtp_feed_server(s, deflim(), (const u8 *)str,
				    (u32)strlen(str), &off);
}

static void test_limits_default(void)
{
	const struct msh_smtp_limits *l = deflim();

	report(l->cmd_line == 512 && l->text_line == 32768 &&
	       l->reply_line == 512 && l->local_part == 64 &&
	       l->domain == 255 && l->path == 256 && l->auth_line == 12288 &&
	       l->max_junk == 10, "limits_default");
}

/* The offset names the offending byte; feeding resumes after it. */
static void test_offsets(void)
{
	struct msh_smtp s;
	bool ok = true;
	u32 m, off;

	msh_smtp_init(&s, false);
	ok &= feed_s(&s, "220 mx\r\n") == 0;
	m = feed_c(&s, "NOOP\r\nNO\nOP\r\n", &off);
	ok &= m == MSH_SMTP_BIT(MSH_SMTP_R_BARE_LF) && off == 8;
	m = feed_c(&s, "OP\r\n", &off);
	ok &= m == 0 && off == 4;
	/* a CR at the end of one chunk, the proof it is bare in the next */
	m = feed_c(&s, "NOOP\r", &off);
	ok &= m == 0 && off == 5;
	m = feed_c(&s, "X\r\n", &off);
	ok &= m == MSH_SMTP_BIT(MSH_SMTP_R_BARE_CR) && off == 0;
	m = feed_c(&s, "", &off);
	ok &= m == 0 && off == 0;
	ok &= msh_smtp_pending(&s) == 3;
	report(ok, "offsets");
}

struct hook_log {
	char part[2][300];
	u32 n[2];
	u32 done;
	struct msh_smtp_path_info last;
	enum msh_smtp_path_kind kind;
};

static void hook_byte(void *ctx, enum msh_smtp_path_kind kind,
		      enum msh_smtp_path_part part, u8 c)
{
	struct hook_log *h = ctx;

	h->kind = kind;
	if (h->n[part] < sizeof(h->part[part]) - 1)
		h->part[part][h->n[part]++] = (char)c;
}

static void hook_done(void *ctx, const struct msh_smtp_path_info *info)
{
	struct hook_log *h = ctx;

	h->done++;
	h->last = *info;
}

static bool path_case(const char *line, bool bytewise, u32 want_mask,
		      const char *local, const char *domain,
		      enum msh_smtp_path_kind kind, u32 path_len, u16 flags,
		      u32 done)
{
	struct hook_log h;
	struct msh_smtp_hooks hooks = {
		.path_byte = hook_byte, .path_done = hook_done, .ctx = &h,
	};
	u32 i, m = 0, off, len = (u32)strlen(line);
	struct msh_smtp s;
	bool ok;

	memset(&h, 0, sizeof(h));
	msh_smtp_init(&s, false);
	feed_s(&s, "220 mx\r\n");
	if (bytewise) {
		for (i = 0; i < len; i++)
			m |= msh_smtp_feed_client(&s, deflim(), &hooks,
						  (const u8 *)line + i, 1,
						  &off);
	} else {
		for (i = 0; i < len; i += off + 1) {
			m |= msh_smtp_feed_client(&s, deflim(), &hooks,
						  (const u8 *)line + i,
						  len - i, &off);
		}
	}
	ok = m == want_mask && h.done == done;
	if (done)
		ok = ok && !strcmp(h.part[0], local) &&
		     !strcmp(h.part[1], domain) && h.last.kind == kind &&
		     h.last.local_len == strlen(local) &&
		     h.last.domain_len == strlen(domain) &&
		     h.last.path_len == path_len && h.last.flags == flags;
	if (!ok)
		fprintf(stderr,
			"path %s: mask %#x done %u local '%s' domain '%s' kind %d path %u flags %#x\n",
			line, m, h.done, h.part[0], h.part[1], h.last.kind,
			h.last.path_len, h.last.flags);
	return ok;
}

static void test_path_hooks(void)
{
	static const char l65[] =
		"RCPT TO:<aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@d>\r\n";
	int bw;

	for (bw = 0; bw <= 1; bw++) {
		bool ok = true;

		ok &= path_case("RCPT TO:<\"Jo Q\"@Example.ORG> NOTIFY=NEVER\r\n",
				bw, 0, "\"Jo Q\"", "Example.ORG",
				MSH_SMTP_PATH_RCPT, 20, MSH_SMTP_PF_QUOTED, 1);
		ok &= path_case("MAIL FROM:<>\r\n", bw, 0, "", "",
				MSH_SMTP_PATH_MAIL, 2, MSH_SMTP_PF_NULL, 1);
		ok &= path_case("rcpt to:<postmaster>\r\n", bw, 0,
				"postmaster", "", MSH_SMTP_PATH_RCPT, 12,
				MSH_SMTP_PF_NO_DOMAIN, 1);
		ok &= path_case("RCPT TO:<@a,@b:u@d>\r\n", bw, 0, "u", "d",
				MSH_SMTP_PATH_RCPT, 11,
				MSH_SMTP_PF_SOURCE_ROUTE, 1);
		ok &= path_case("RCPT TO: u@d SIZE=1\r\n", bw, 0, "u", "d",
				MSH_SMTP_PATH_RCPT, 5,
				MSH_SMTP_PF_NO_BRACKET, 1);
		ok &= path_case("RCPT TO:<u@d\r\n", bw, 0, "u", "d",
				MSH_SMTP_PATH_RCPT, 4,
				MSH_SMTP_PF_UNTERMINATED, 1);
		ok &= path_case("RCPT TO:<\"a\\\"@\"@[1.2.3.4]>\r\n", bw, 0,
				"\"a\\\"@\"", "[1.2.3.4]",
				MSH_SMTP_PATH_RCPT, 18, MSH_SMTP_PF_QUOTED, 1);
		ok &= path_case(l65, bw,
				MSH_SMTP_BIT(MSH_SMTP_R_LOCAL_PART),
				"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
				"d", MSH_SMTP_PATH_RCPT, 69,
				MSH_SMTP_PF_OVER, 1);
		ok &= path_case("MAIL FROM <x>\r\n", bw, 0, "", "",
				MSH_SMTP_PATH_MAIL, 0, 0, 0);
		ok &= path_case("NOOP TO:<x@y>\r\n", bw, 0, "", "",
				MSH_SMTP_PATH_MAIL, 0, 0, 0);
		report(ok, "path_hooks.%s", bw ? "bytewise" : "whole");
	}
}

/* Pipelined runs of plain commands share FIFO entries. */
static void test_many_rcpt(void)
{
	static const char rcpt[] = "RCPT TO:<u@example.org>\r\n";
	size_t rl = strlen(rcpt), n = 5000, i;
	char *buf = malloc(rl * n + 1);
	struct msh_smtp s;
	bool ok = true;
	u32 off;

	for (i = 0; i < n; i++)
		memcpy(buf + i * rl, rcpt, rl);
	buf[rl * n] = 0;
	msh_smtp_init(&s, false);
	ok &= feed_s(&s, "220 mx\r\n") == 0;
	ok &= feed_c(&s, "MAIL FROM:<a@b>\r\n", &off) == 0;
	ok &= feed_c(&s, buf, &off) == 0;
	ok &= feed_c(&s, "DATA\r\n", &off) == 0;
	ok &= msh_smtp_pending(&s) == n + 2;
	for (i = 0; i < n + 1; i++)
		ok &= feed_s(&s, "250 ok\r\n") == 0;
	ok &= msh_smtp_state(&s) == MSH_SMTP_ST_COMMAND;
	ok &= feed_s(&s, "354 go\r\n") == 0;
	ok &= msh_smtp_state(&s) == MSH_SMTP_ST_DATA && !msh_smtp_pending(&s);
	free(buf);
	report(ok, "pipelining.5000_rcpt");
}

/* A full FIFO loses kinds, never the count of replies owed. */
static void test_fifo_overflow(void)
{
	struct msh_smtp s;
	u32 viol = 0, off, i;
	bool ok = true;

	msh_smtp_init(&s, false);
	feed_s(&s, "220 mx\r\n");
	for (i = 0; i < 20; i++) {
		if (feed_c(&s, "EHLO a\r\n", &off))
			viol++;
		if (feed_c(&s, "NOOP\r\n", &off))
			viol++;
	}
	/* NOOPs join the run on the newest entry; each extra EHLO overflows */
	ok &= viol == 20 - MSH_SMTP_FIFO_DEPTH / 2;
	ok &= msh_smtp_pending(&s) == 40;
	for (i = 0; i < 40; i++)
		ok &= feed_s(&s, "250 ok\r\n") == 0;
	ok &= msh_smtp_pending(&s) == 0 && msh_smtp_valid(&s);
	ok &= feed_c(&s, "NOOP\r\n", &off) == 0;
	report(ok, "pipelining.fifo_overflow");
}

/* The largest BDAT chunk is counted exactly. */
static void test_bdat_huge(void)
{
	static u8 chunk[65536];
	struct msh_smtp s;
	bool ok = true;
	u32 off, i;

	memset(chunk, '\n', sizeof(chunk));
	msh_smtp_init(&s, false);
	feed_s(&s, "220 mx\r\n");
	feed_c(&s, "EHLO a\r\n", &off);
	feed_s(&s, "250-mx\r\n250 CHUNKING\r\n");
	ok &= msh_smtp_chunking(&s);
	ok &= feed_c(&s, "BDAT 4294967295 LAST\r\n", &off) == 0;
	for (i = 0; i < 65537; i++) {
		u32 n = i < 65536 ? 65535 : 65535;

		ok &= msh_smtp_state(&s) == MSH_SMTP_ST_BDAT;
		ok &= msh_smtp_feed_client(&s, deflim(), NULL, chunk, n,
					   &off) == 0 && off == n;
	}
	ok &= msh_smtp_state(&s) == MSH_SMTP_ST_COMMAND;
	ok &= feed_c(&s, "QUIT\r\n", &off) == 0;
	report(ok, "bdat.max_chunk");
}

static void test_counters(void)
{
	struct msh_smtp s;
	bool ok = true;
	u32 off;

	msh_smtp_init(&s, false);
	ok &= msh_smtp_state(&s) == MSH_SMTP_ST_GREETING &&
	      msh_smtp_pending(&s) == 1;
	feed_s(&s, "220 mx\r\n");
	feed_c(&s, "FOO\r\nNOOP\r\nBAR x\r\n\r\nHELP\r\n", &off);
	ok &= msh_smtp_junk(&s) == 3;
	feed_c(&s, "EHLO a\r\n", &off);
	feed_s(&s, "250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n");
	feed_s(&s, "250-mx\r\n250-CHUNKING\r\n250 8BITMIME\r\n");
	ok &= msh_smtp_chunking(&s);
	feed_c(&s, "EHLO a\r\n", &off);
	feed_s(&s, "250-mx\r\n250 8BITMIME\r\n");
	ok &= !msh_smtp_chunking(&s);
	feed_c(&s, "EHLO a\r\n", &off);
	feed_s(&s, "550-CHUNKING\r\n550 CHUNKING\r\n");
	ok &= !msh_smtp_chunking(&s);
	msh_smtp_init(&s, true);
	ok &= msh_smtp_state(&s) == MSH_SMTP_ST_OPAQUE &&
	      !msh_smtp_pending(&s);
	report(ok, "counters");
}

/*
 * Random sessions from SMTP-ish tokens: the verdicts must not depend on
 * how the bytes are cut into chunks.
 */
static void test_random_chunking(void)
{
	static const char *const tok[] = {
		"EHLO a\r\n", "250-CHUNKING\r\n", "DATA\r\n", "354 go\r\n",
		".\r\n", "\n", "\r", ".", "BDAT 3\r\n", "abc", "AUTH LOGIN\r\n",
		"334 x\r\n", "235 ok\r\n", "STARTTLS\r\n", "220 ok\r\n",
		"250 ok\r\n", "RCPT TO:<a@b>\r\n", "xyz", "\r\n", "250 ok",
		"BDAT 2 LAST\r\n", "MAIL FROM:<\"q\\\"", "@", ">", " ",
	};
	const u32 ntok = ARRAY_SIZE(tok);
	u8 data[4096], dir[4096];
	struct msh_tc_result r0, r1;
	struct msh_tc_sess ss;
	u32 seed = 12345, it, bad = 0;

	for (it = 0; it < 3000; it++) {
		u32 ntoks, k, p, j;

		ss.data = data;
		ss.dir = dir;
		ss.len = 0;
		ss.nexp = 0;
		ss.bad = false;
		seed = seed * 1103515245 + 12345;
		ntoks = (seed >> 16) % 60;
		for (k = 0; k < ntoks; k++) {
			const char *t;
			u8 d;

			seed = seed * 1103515245 + 12345;
			t = tok[(seed >> 16) % ntok];
			d = (seed >> 8) & 1;
			for (j = 0; t[j] && ss.len < sizeof(data); j++) {
				data[ss.len] = (u8)t[j];
				dir[ss.len++] = d;
			}
		}
		msh_tc_run(&ss, NULL, false, MSH_TC_WHOLE, 0, NULL, &r0);
		msh_tc_run(&ss, NULL, false, MSH_TC_BYTES, 0, NULL, &r1);
		if (r0.invalid || memcmp(&r0, &r1, sizeof(r0)))
			bad++;
		for (p = 0; p < 4 && ss.len > 1; p++) {
			seed = seed * 1103515245 + 12345;
			msh_tc_run(&ss, NULL, false, MSH_TC_SPLIT,
				   1 + (seed >> 16) % (ss.len - 1), NULL, &r1);
			if (memcmp(&r0, &r1, sizeof(r0)))
				bad++;
		}
	}
	if (bad)
		fprintf(stderr, "random chunking: %u mismatches\n", bad);
	report(!bad, "random_chunking");
}

static void run_more_tests(void)
{
	test_limits_default();
	test_offsets();
	test_path_hooks();
	test_many_rcpt();
	test_fifo_overflow();
	test_bdat_huge();
	test_counters();
	test_random_chunking();
}

int main(void)
{
	const char *path = getenv("MSH_RESULTS");

	if (path && *path) {
		results = fopen(path, "a");
		if (!results) {
			perror(path);
			return 1;
		}
	}
	test_cases();
	test_limits();
	test_reasons_covered();
	test_state_size();
	run_more_tests();
	printf("# smtp parser: %u passed, %u failed\n", n_pass, n_fail);
	if (results)
		fclose(results);
	return n_fail ? 1 : 0;
}
