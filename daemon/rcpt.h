/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The daemon's recipient set: load it from [recipients], decide whether
 * it may replace the running one, hand it to an uploader, and describe
 * the outcome in one key=value log line. The rules:
 *  - a failed load (file missing, LDAP down, bad line) keeps the running
 *    set;
 *  - a set without addresses and catch-alls is never uploaded unless
 *    allow_empty = yes (it would make every recipient of the protected
 *    domains unknown);
 *  - a failed upload keeps the running set (the kernel aborted the new
 *    generation).
 * The uploader is a parameter, so that all of this is tested without the
 * kernel module (mailshieldd passes msh_rcpt_upload()).
 */
#ifndef MSH_RCPT_H
#define MSH_RCPT_H

#include <stdbool.h>
#include <stddef.h>

#include "rcpt_conf.h"
#include "rcpt_set.h"

struct msh_rcpt_state {
	struct msh_rcpt_set cur;	/* the set last committed */
	bool have;			/* cur is in the kernel */
};

/* Returns 0 or a negative errno with a message in err. */
typedef int (*msh_rcpt_upload_fn)(const struct msh_rcpt_set *s, void *arg,
				  char *err, size_t errlen);

/* What a load gave, apart from the set. */
struct msh_rcpt_load_result {
	int ret;		/* 0, or -1 with err */
	double ms;		/* how long it took */
	char err[768];
};

/*
 * Load the set cfg describes into s (msh_rcpt_load() of rcpt_load.h),
 * timed. Touches nothing but its arguments: a loader thread may run it.
 */
void msh_rcpt_load_timed(const struct msh_rcpt_cfg *cfg,
			 struct msh_rcpt_set *s,
			 struct msh_rcpt_load_result *res);

/*
 * Decide about the set a load of cfg gave (res, s) and upload it in place
 * of the running one: a failed load or an empty set (unless allowed)
 * keeps the running set. s is consumed. Returns and line as
 * msh_rcpt_refresh().
 */
int msh_rcpt_loaded(struct msh_rcpt_state *st,
		    const struct msh_rcpt_cfg *cfg, const char *trigger,
		    const struct msh_rcpt_load_result *res,
		    struct msh_rcpt_set *s, msh_rcpt_upload_fn up, void *arg,
		    char *line, size_t len);

/*
 * Load the set cfg describes and upload it in place of the running one.
 * trigger names the occasion in the log line (start, refresh, reload,
 * repush). Returns 0 when the new set is committed, 1 when the running
 * set stays (line says why), -1 when there is nothing to do (no
 * [recipients] and nothing uploaded before; line is empty).
 * line (len bytes) receives the log line, "msg=recipients trigger=...".
 */
int msh_rcpt_refresh(struct msh_rcpt_state *st,
		     const struct msh_rcpt_cfg *cfg, const char *trigger,
		     msh_rcpt_upload_fn up, void *arg, char *line, size_t len);

/*
 * Upload the running set again, as it is (after the module was loaded
 * again and a fresh load failed). Same returns and line as above.
 */
int msh_rcpt_reupload(struct msh_rcpt_state *st, const char *trigger,
		      msh_rcpt_upload_fn up, void *arg, char *line,
		      size_t len);

void msh_rcpt_state_free(struct msh_rcpt_state *st);

#endif /* MSH_RCPT_H */
