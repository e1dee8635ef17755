/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Recipient loads off the daemon's loop. A load reads files, runs postmap
 * and asks LDAP, which can take seconds (a directory that does not answer:
 * up to ldap_timeout per request); meanwhile the loop keeps logging the
 * module's events and answering signals. One load runs at a time, in a
 * thread of its own, on a copy of [recipients]; an eventfd tells the loop
 * that it finished, and the loop takes the set and uploads it.
 */
#ifndef MSH_RCPT_LOADER_H
#define MSH_RCPT_LOADER_H

#include <pthread.h>
#include <stdbool.h>

#include "rcpt.h"
#include "rcpt_conf.h"
#include "rcpt_set.h"

struct msh_rcpt_loader {
	int fd;				/* eventfd, readable once a load ended */
	bool busy;			/* a thread was started, not joined */
	pthread_t thread;
	struct msh_rcpt_cfg cfg;	/* what the running load reads */
	char trigger[16];		/* why it runs, for the log line */
	/* the thread's result, read by the loop after msh_rcpt_loader_end() */
	struct msh_rcpt_set set;
	struct msh_rcpt_load_result res;
};

/* Returns 0 or a negative errno (no eventfd). */
int msh_rcpt_loader_init(struct msh_rcpt_loader *l);

/* The descriptor to poll for POLLIN. */
int msh_rcpt_loader_fd(const struct msh_rcpt_loader *l);

/*
 * Start loading cfg in a thread. Returns 0, -EBUSY while a load runs, or
 * another negative errno when no thread could be started.
 */
int msh_rcpt_loader_start(struct msh_rcpt_loader *l,
			  const struct msh_rcpt_cfg *cfg, const char *trigger);

/*
 * After POLLIN on the descriptor: join the thread. Returns 0 when a load
 * ended (its result in l->set and l->res; the caller owns l->set), -EAGAIN
 * when none did.
 */
int msh_rcpt_loader_end(struct msh_rcpt_loader *l);

/*
 * Release the loader. A load still running (the daemon stops during a
 * slow one) is left to end with the process.
 */
void msh_rcpt_loader_free(struct msh_rcpt_loader *l);

#endif /* MSH_RCPT_LOADER_H */
