/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Runs the scripts of smtp_cases.h through the parser, shared by the KUnit
 * suite and the userspace unit tests. No kernel or libc calls: buffers come
 * from the caller.
 */

#ifndef _MSH_SMTP_CASE_RUN_H
#define _MSH_SMTP_CASE_RUN_H

#include "smtp_cases.h"

/* A decoded script: bytes, the direction of each, expected positions. */
struct msh_tc_sess {
	u8 *data;
	u8 *dir;		/* 0: client to server, 1: server to client */
	u32 len;
	u32 nexp;
	u32 exp_pos[MSH_TC_MAX_EV];
	bool bad;		/* more markers than MSH_TC_MAX_EV */
};

/* What a run saw: violations at stream positions, the final state. */
struct msh_tc_result {
	u32 nev;
	u32 pos[MSH_TC_MAX_EV];
	u32 mask[MSH_TC_MAX_EV];
	bool lost;		/* more violations than fit */
	bool invalid;		/* bad offset or msh_smtp_valid() failed */
	enum msh_smtp_state state;
};

enum msh_tc_mode {
	MSH_TC_WHOLE,		/* each direction change is one chunk */
	MSH_TC_BYTES,		/* one byte per chunk */
	MSH_TC_SPLIT,		/* like WHOLE, plus a cut at one position */
};

enum msh_tc_err {
	MSH_TC_OK,
	MSH_TC_E_SCRIPT,	/* the script itself is wrong */
	MSH_TC_E_INVALID,
	MSH_TC_E_EVENTS,
	MSH_TC_E_STATE,
};

static inline u32 msh_tc_strlen(const char *s)
{
	u32 n = 0;

	while (s[n])
		n++;
	return n;
}

/* data and dir must hold slen bytes each. */
static inline void msh_tc_decode(const char *script, u32 slen, u8 *data,
				 u8 *dir, struct msh_tc_sess *ss)
{
	u8 d = 0;
	u32 i;

	ss->data = data;
	ss->dir = dir;
	ss->len = 0;
	ss->nexp = 0;
	ss->bad = false;
	for (i = 0; i < slen; i++) {
		u8 c = (u8)script[i];

		if (c == 0x01 || c == 0x02) {
			d = c - 1;
			continue;
		}
		if (c == 0x04) {
			if (ss->nexp < MSH_TC_MAX_EV)
				ss->exp_pos[ss->nexp++] = ss->len;
			else
				ss->bad = true;
			continue;
		}
		data[ss->len] = c == 0x03 ? 0 : c;
		dir[ss->len] = d;
		ss->len++;
	}
}

static inline void msh_tc_feed(struct msh_smtp *s,
			       const struct msh_smtp_limits *lim,
			       const struct msh_smtp_hooks *hooks, bool server,
			       const u8 *buf, u32 base, u32 len,
			       struct msh_tc_result *r)
{
	u32 done = 0, off, m;

	while (done < len) {
		off = ~0U;
		if (server)
			m = msh_smtp_feed_server(s, lim, buf + done,
						 len - done, &off);
		else
			m = msh_smtp_feed_client(s, lim, hooks, buf + done,
						 len - done, &off);
		if (!msh_smtp_valid(s))
			r->invalid = true;
		if (!m) {
			if (off != len - done)
				r->invalid = true;
			return;
		}
		if (off >= len - done || m >> MSH_SMTP_R_COUNT) {
			r->invalid = true;
			return;
		}
		if (r->nev < MSH_TC_MAX_EV) {
			r->pos[r->nev] = base + done + off;
			r->mask[r->nev] = m;
			r->nev++;
		} else {
			r->lost = true;
		}
		done += off + 1;
	}
}

static inline void msh_tc_run(const struct msh_tc_sess *ss,
			      const struct msh_smtp_limits *lim, bool tls,
			      enum msh_tc_mode mode, u32 split,
			      const struct msh_smtp_hooks *hooks,
			      struct msh_tc_result *r)
{
	struct msh_smtp_limits def;
	struct msh_smtp s;
	u32 a, b, i;

	if (!lim) {
		msh_smtp_limits_default(&def);
		lim = &def;
	}
	r->nev = 0;
	r->lost = false;
	r->invalid = false;
	msh_smtp_init(&s, tls);
	for (a = 0; a < ss->len; a = b) {
		bool srv = ss->dir[a];

		for (b = a + 1; b < ss->len && ss->dir[b] == ss->dir[a]; b++)
			;
		if (mode == MSH_TC_BYTES) {
			for (i = a; i < b; i++)
				msh_tc_feed(&s, lim, hooks, srv, ss->data + i,
					    i, 1, r);
		} else if (mode == MSH_TC_SPLIT && split > a && split < b) {
			msh_tc_feed(&s, lim, hooks, srv, ss->data + a, a,
				    split - a, r);
			msh_tc_feed(&s, lim, hooks, srv, ss->data + split,
				    split, b - split, r);
		} else {
			msh_tc_feed(&s, lim, hooks, srv, ss->data + a, a,
				    b - a, r);
		}
	}
	r->state = msh_smtp_state(&s);
}

/* Compare a run with what the script expects. */
static inline enum msh_tc_err msh_tc_check(const struct msh_tc_sess *ss,
					   const u32 *masks,
					   enum msh_smtp_state state,
					   const struct msh_tc_result *r)
{
	u32 i, nmask = 0;

	while (nmask < MSH_TC_MAX_EV && masks[nmask])
		nmask++;
	if (ss->bad || nmask != ss->nexp)
		return MSH_TC_E_SCRIPT;
	if (r->invalid)
		return MSH_TC_E_INVALID;
	if (r->lost || r->nev != ss->nexp)
		return MSH_TC_E_EVENTS;
	for (i = 0; i < r->nev; i++)
		if (r->pos[i] != ss->exp_pos[i] || r->mask[i] != masks[i])
			return MSH_TC_E_EVENTS;
	if (r->state != state)
		return MSH_TC_E_STATE;
	return MSH_TC_OK;
}

/*
 * Cut positions of long sessions (limit tests): every position near the
 * start, the end and each expected violation, a stride elsewhere.
 */
#define MSH_TC_DENSE	512
#define MSH_TC_STRIDE	61

static inline u32 msh_tc_next_split(const struct msh_tc_sess *ss, u32 p)
{
	u32 i, q = p + 1;

	if (ss->len <= 4 * MSH_TC_DENSE)
		return q;
	for (;;) {
		if (q < MSH_TC_DENSE || q + MSH_TC_DENSE >= ss->len ||
		    q % MSH_TC_STRIDE == 0)
			return q;
		for (i = 0; i < ss->nexp; i++)
			if (q + 16 >= ss->exp_pos[i] && q <= ss->exp_pos[i] + 16)
				return q;
		q++;
	}
}

/*
 * Run one decoded session whole, byte by byte, and cut in two at every
 * position (see msh_tc_next_split() for long ones); all must match.
 * *split tells which run failed (~0U: whole, len: byte by byte, else the
 * cut position).
 */
static inline enum msh_tc_err
msh_tc_run_all(const struct msh_tc_sess *ss, const u32 *masks,
	       enum msh_smtp_state state, const struct msh_smtp_limits *lim,
	       bool tls, struct msh_tc_result *r, u32 *split)
{
	enum msh_tc_err e;
	u32 p;

	*split = ~0U;
	msh_tc_run(ss, lim, tls, MSH_TC_WHOLE, 0, NULL, r);
	e = msh_tc_check(ss, masks, state, r);
	if (e)
		return e;
	*split = ss->len;
	msh_tc_run(ss, lim, tls, MSH_TC_BYTES, 0, NULL, r);
	e = msh_tc_check(ss, masks, state, r);
	if (e)
		return e;
	for (p = 1; p < ss->len; p = msh_tc_next_split(ss, p)) {
		*split = p;
		msh_tc_run(ss, lim, tls, MSH_TC_SPLIT, p, NULL, r);
		e = msh_tc_check(ss, masks, state, r);
		if (e)
			return e;
	}
	return MSH_TC_OK;
}

/*
 * Build the script of a limit case into out (cap bytes); returns its
 * length, 0 if it does not fit.
 */
static inline u32 msh_tc_build_limit(const struct msh_smtp_limit_case *lc,
				     bool over, char *out, u32 cap)
{
	u32 ulen = msh_tc_strlen(lc->unit);
	u32 n = lc->n_exact + (over ? 1 : 0);
	u32 mark = ~0U, len = 0, i, k;
	const char *parts[3] = { lc->prefix, NULL, lc->suffix };

	if (over)
		mark = msh_tc_strlen(lc->prefix) + lc->n_exact * ulen + lc->mark;
	for (k = 0; k < 3; k++) {
		u32 reps = k == 1 ? n : 1;
		const char *src = k == 1 ? lc->unit : parts[k];
		u32 r;

		for (r = 0; r < reps; r++) {
			for (i = 0; src[i]; i++) {
				if (len + 2 > cap)
					return 0;
				/* mark counts script bytes without itself */
				if (len == mark) {
					out[len++] = 0x04;
					mark = ~0U;
				}
				out[len++] = src[i];
			}
		}
	}
	return len;
}

#endif /* _MSH_SMTP_CASE_RUN_H */
