// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient loader thread (daemon/rcpt_loader.c): a load ends with
 * the set and a readable eventfd; one load at a time; a load blocked on a
 * slow source (a FIFO nobody writes yet) leaves the caller free until the
 * source delivers; a failed load hands back its error. Built with ASan
 * and UBSan like the other recipient tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "rcpt_loader.h"
#include "unit.h"
#include "conf_util.h"

/* Wait up to ms for the loader's descriptor; true when it is readable. */
static bool ready(const struct msh_rcpt_loader *l, int ms)
{
	struct pollfd p = { .fd = msh_rcpt_loader_fd(l), .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static void cfg_file(struct msh_rcpt_cfg *c, const char *path)
{
	msh_rcpt_conf_defaults(c);
	c->present = true;
	snprintf(c->files[0], sizeof(c->files[0]), "%s", path);
	c->nfiles = 1;
}

static void test_load(struct msh_rcpt_loader *l)
{
	struct msh_rcpt_cfg c;
	char path[320];
	FILE *f;
	bool ok;
	int r;

	snprintf(path, sizeof(path), "%s/list.txt", tmpdir);
	f = fopen(path, "w");
	if (!f || fputs("a@example.com\nb@example.com\nc@example.org\n", f) < 0 ||
	    fclose(f)) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	cfg_file(&c, path);

	unit_result("loader: nothing ended before a start",
		    msh_rcpt_loader_end(l) == -EAGAIN, NULL);
	r = msh_rcpt_loader_start(l, &c, "refresh");
	unit_result("loader: a load starts", r == 0 && l->busy, NULL);
	/* the copy is the thread's: changing ours does not matter */
	c.nfiles = 0;
	unit_result("loader: a second start while one runs is refused",
		    msh_rcpt_loader_start(l, &c, "reload") == -EBUSY, NULL);
	ok = ready(l, 10000) && msh_rcpt_loader_end(l) == 0 && !l->busy;
	unit_result("loader: the end is signalled and joined", ok, NULL);
	ok = ok && l->res.ret == 0 && l->set.addrs.n == 3 &&
	     l->set.finished && !strcmp(l->trigger, "refresh") &&
	     l->res.ms >= 0;
	unit_result("loader: the set of the file comes back", ok, NULL);
	msh_rcpt_set_free(&l->set);
	unit_result("loader: the descriptor is quiet again", !ready(l, 0),
		    NULL);
}

static void test_slow(struct msh_rcpt_loader *l)
{
	struct msh_rcpt_cfg c;
	char path[320];
	bool ok;
	int fd;

	snprintf(path, sizeof(path), "%s/slow.fifo", tmpdir);
	if (mkfifo(path, 0600)) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	cfg_file(&c, path);
	ok = msh_rcpt_loader_start(l, &c, "reload") == 0;
	/* the thread waits in open() for a writer; the caller does not */
	ok = ok && !ready(l, 300) && l->busy;
	unit_result("loader: a load waiting for its source leaves the caller free",
		    ok, NULL);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "slow@example.com\n", 17) != 17 || close(fd)) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	ok = ready(l, 10000) && msh_rcpt_loader_end(l) == 0 &&
	     l->res.ret == 0 && l->set.addrs.n == 1;
	unit_result("loader: it ends once the source delivers", ok, NULL);
	msh_rcpt_set_free(&l->set);
}

static void test_error(struct msh_rcpt_loader *l)
{
	struct msh_rcpt_cfg c;
	char path[320];
	bool ok;

	snprintf(path, sizeof(path), "%s/missing.txt", tmpdir);
	cfg_file(&c, path);
	ok = msh_rcpt_loader_start(l, &c, "refresh") == 0 && ready(l, 10000) &&
	     msh_rcpt_loader_end(l) == 0;
	ok = ok && l->res.ret == -1 && strstr(l->res.err, "missing.txt") &&
	     strstr(l->res.err, "cannot open") && l->set.addrs.n == 0;
	if (!ok)
		unit_diag("error: %d \"%s\"", l->res.ret, l->res.err);
	unit_result("loader: a failed load hands back its error", ok, NULL);
}

int main(void)
{
	struct msh_rcpt_loader *l = malloc(sizeof(*l));

	conf_tmpdir_make("rcpt-loader");
	if (!l || msh_rcpt_loader_init(l)) {
		perror("loader");
		return EXIT_FAILURE;
	}
	test_load(l);
	test_slow(l);
	test_error(l);
	msh_rcpt_loader_free(l);
	free(l);
	conf_tmpdir_remove();
	return unit_exit();
}
