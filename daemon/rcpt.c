// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The daemon's recipient set: load, decide, upload, log (rcpt.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rcpt.h"
#include "rcpt_load.h"
#include "text.h"

#define ERR_MAX 768

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void kv_num(char *line, size_t len, const char *key,
		   unsigned long long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", v);
	msh_kv(line, len, key, buf);
}

static void start_line(char *line, size_t len, const char *trigger)
{
	line[0] = '\0';
	msh_kv(line, len, "msg", "recipients");
	msh_kv(line, len, "trigger", trigger);
}

static void kv_error(char *line, size_t len, const char *err)
{
	msh_kv(line, len, "result", "error");
	msh_kv(line, len, "error", err);
	msh_kv(line, len, "recipients", "unchanged");
}

static void kv_counts(char *line, size_t len, const struct msh_rcpt_set *s)
{
	kv_num(line, len, "addresses", s->addrs.n);
	kv_num(line, len, "domains", s->domains.n);
	kv_num(line, len, "catchalls", s->catchalls.n);
	kv_num(line, len, "skipped", s->skipped);
}

/* Upload s; on success it becomes the running set (moved into st). */
static int upload(struct msh_rcpt_state *st, struct msh_rcpt_set *s,
		  double load_ms, msh_rcpt_upload_fn up, void *arg,
		  char *line, size_t len)
{
	char err[ERR_MAX];
	double t0 = now_ms();
	char ms[32];

	if (up(s, arg, err, sizeof(err))) {
		kv_error(line, len, err);
		return 1;
	}
	msh_kv(line, len, "result", "ok");
	kv_counts(line, len, s);
	if (load_ms >= 0) {
		snprintf(ms, sizeof(ms), "%.0f", load_ms);
		msh_kv(line, len, "load_ms", ms);
	}
	snprintf(ms, sizeof(ms), "%.0f", now_ms() - t0);
	msh_kv(line, len, "upload_ms", ms);
	if (&st->cur != s) {
		if (st->have)
			msh_rcpt_set_free(&st->cur);
		st->cur = *s;
		memset(s, 0, sizeof(*s));
	}
	st->have = true;
	return 0;
}

/* The section was removed: clear what we uploaded. */
static int clear(struct msh_rcpt_state *st, const char *trigger,
		 msh_rcpt_upload_fn up, void *arg, char *line, size_t len)
{
	struct msh_rcpt_set s;
	int ret;

	if (!st->have)
		return -1;
	start_line(line, len, trigger);
	if (msh_rcpt_set_init(&s, 0, "", 0)) {
		kv_error(line, len, "libsodium cannot initialise");
		return 1;
	}
	msh_rcpt_set_finish(&s);
	msh_kv(line, len, "source", "none");
	ret = upload(st, &s, -1, up, arg, line, len);
	msh_rcpt_set_free(&s);
	if (!ret)
		msh_rcpt_state_free(st);	/* nothing left to keep */
	return ret;
}

int msh_rcpt_loaded(struct msh_rcpt_state *st,
		    const struct msh_rcpt_cfg *cfg, const char *trigger,
		    const struct msh_rcpt_load_result *res,
		    struct msh_rcpt_set *s, msh_rcpt_upload_fn up, void *arg,
		    char *line, size_t len)
{
	int ret;

	start_line(line, len, trigger);
	if (res->ret) {
		kv_error(line, len, res->err);
		return 1;
	}
	if (!s->addrs.n && !s->catchalls.n && !cfg->allow_empty) {
		kv_error(line, len,
			 "no recipients loaded (an empty set is only uploaded with allow_empty = yes)");
		msh_rcpt_set_free(s);
		return 1;
	}
	ret = upload(st, s, res->ms, up, arg, line, len);
	msh_rcpt_set_free(s);	/* empty if it was moved */
	return ret;
}

void msh_rcpt_load_timed(const struct msh_rcpt_cfg *cfg,
			 struct msh_rcpt_set *s,
			 struct msh_rcpt_load_result *res)
{
	double t0 = now_ms();

	res->err[0] = '\0';
	res->ret = msh_rcpt_load(cfg, s, res->err, sizeof(res->err));
	res->ms = now_ms() - t0;
}

int msh_rcpt_refresh(struct msh_rcpt_state *st,
		     const struct msh_rcpt_cfg *cfg, const char *trigger,
		     msh_rcpt_upload_fn up, void *arg, char *line, size_t len)
{
	struct msh_rcpt_load_result res;
	struct msh_rcpt_set s;

	line[0] = '\0';
	if (!cfg->present)
		return clear(st, trigger, up, arg, line, len);
	msh_rcpt_load_timed(cfg, &s, &res);
	return msh_rcpt_loaded(st, cfg, trigger, &res, &s, up, arg, line,
			       len);
}

int msh_rcpt_reupload(struct msh_rcpt_state *st, const char *trigger,
		      msh_rcpt_upload_fn up, void *arg, char *line,
		      size_t len)
{
	line[0] = '\0';
	if (!st->have)
		return -1;
	start_line(line, len, trigger);
	msh_kv(line, len, "source", "previous");
	return upload(st, &st->cur, -1, up, arg, line, len);
}

void msh_rcpt_state_free(struct msh_rcpt_state *st)
{
	if (st->have)
		msh_rcpt_set_free(&st->cur);
	st->have = false;
}
