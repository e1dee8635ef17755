// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Recipient loads in a thread (rcpt_loader.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "rcpt_loader.h"

static void *load_thread(void *arg)
{
	struct msh_rcpt_loader *l = arg;
	uint64_t one = 1;

	msh_rcpt_load_timed(&l->cfg, &l->set, &l->res);
	/* the join in msh_rcpt_loader_end() orders the result before use */
	while (write(l->fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	return NULL;
}

int msh_rcpt_loader_init(struct msh_rcpt_loader *l)
{
	memset(l, 0, sizeof(*l));
	l->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return l->fd < 0 ? -errno : 0;
}

int msh_rcpt_loader_fd(const struct msh_rcpt_loader *l)
{
	return l->fd;
}

int msh_rcpt_loader_start(struct msh_rcpt_loader *l,
			  const struct msh_rcpt_cfg *cfg, const char *trigger)
{
	sigset_t all, old;
	int ret;

	if (l->busy)
		return -EBUSY;
	l->cfg = *cfg;
	snprintf(l->trigger, sizeof(l->trigger), "%s", trigger);
	memset(&l->set, 0, sizeof(l->set));
	memset(&l->res, 0, sizeof(l->res));
	/* signals are the loop's (signalfd): the thread blocks them all */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&l->thread, NULL, load_thread, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	l->busy = true;
	return 0;
}

int msh_rcpt_loader_end(struct msh_rcpt_loader *l)
{
	uint64_t n;

	if (read(l->fd, &n, sizeof(n)) != sizeof(n) || !l->busy)
		return -EAGAIN;
	pthread_join(l->thread, NULL);
	l->busy = false;
	return 0;
}

void msh_rcpt_loader_free(struct msh_rcpt_loader *l)
{
	if (l->busy)
		return;
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
