// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * mailshieldd: reads the configuration, pushes the policy to the mailshield
 * kernel module and logs the module's events to syslog, one key=value line
 * each. Loads the valid recipients ([recipients]) and uploads their hashes
 * after the policy, again on the refresh timer and on SIGHUP. Runs in the
 * foreground (systemd Type=notify); SIGHUP reloads the configuration,
 * SIGTERM/SIGINT stop it.
 *
 * Exit codes: 0 stopped by a signal, 1 error, 2 usage, 3 module not loaded.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <syslog.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "config.h"
#include "nl.h"
#include "output.h"
#include "rcpt.h"
#include "rcpt_loader.h"
#include "rcpt_nl.h"

#define EXIT_USAGE	2
#define EXIT_NOMODULE	3
#define LINE_MAX_LEN	1024

struct daemon {
	const char *config_path;
	bool log_stderr;
	struct msh_nl *nl;
	struct msh_config cfg;		/* the configuration last pushed */
	bool module_present;
	struct msh_rcpt_state rcpt;	/* the recipient set last committed */
	int refresh_fd;			/* timerfd: next recipient refresh */
	struct msh_rcpt_loader *loader;	/* refresh, reload, repush loads */
	char again[16];			/* load again when this one ends */
};

static void usage(FILE *f)
{
	fputs("usage: mailshieldd [-c FILE] [-n] [-s]\n"
	      "  -c FILE  configuration file (default " MSH_DEFAULT_CONFIG ")\n"
	      "  -n       check the configuration and exit\n"
	      "  -s       copy log lines to stderr\n"
	      "  -h       show this help\n", f);
}

static void log_line(int prio, const char *line)
{
	syslog(prio, "%s", line);
}

/* Startup failures: syslog, and stderr unless syslog already copies it. */
static void fatal_line(struct daemon *d, const char *line)
{
	log_line(LOG_ERR, line);
	if (!d->log_stderr)
		fprintf(stderr, "mailshieldd: %s\n", line);
}

static const char *kv_ports(const struct msh_knobs *p, char *buf, size_t len)
{
	return msh_format_port_list(p->ports[0], p->nports[0], buf, len);
}

static void kv_policy(char *buf, size_t len, const struct msh_knobs *p)
{
	char ports[MAILSHIELD_MAX_PORTS * 6 + 1];

	msh_kv(buf, len, "enabled", p->v[MSH_KNOB_ENABLED] ? "1" : "0");
	msh_kv(buf, len, "ports", kv_ports(p, ports, sizeof(ports)));
}

/* Describe a failed request in key=value form. */
static void kv_nl_error(struct daemon *d, char *buf, size_t len, int err)
{
	if (err == -EPERM || err == -EACCES)
		msh_kv(buf, len, "error",
		       "permission denied (CAP_NET_ADMIN required)");
	else if (err == -ENOENT && !d->module_present)
		msh_kv(buf, len, "error", "kernel module not loaded");
	else
		msh_kv(buf, len, "error", strerror(-err));
	if (msh_nl_extack(d->nl)[0])
		msh_kv(buf, len, "extack", msh_nl_extack(d->nl));
}

static void notify_status(const char *state, const struct msh_config *cfg,
			  const char *extra)
{
	char ports[MAILSHIELD_MAX_PORTS * 6 + 1];

	sd_notifyf(0, "%s\nSTATUS=%s%senabled=%d ports=%s", state,
		   extra ? extra : "", extra ? "; running policy: " : "",
		   cfg->knobs.v[MSH_KNOB_ENABLED] ? 1 : 0,
		   kv_ports(&cfg->knobs, ports, sizeof(ports)));
}

/*
 * The policy, then the allowlist ([allowlist], empty when not given).
 * *policy_set tells whether the policy went in: if the allowlist then
 * fails, the caller puts the running configuration back.
 */
static int push_config(struct msh_nl *nl, const struct msh_config *cfg,
		       bool *policy_set)
{
	int ret = msh_req_set_policy(nl, &cfg->knobs);

	*policy_set = !ret;
	if (!ret)
		ret = msh_req_set_allowlist(nl, &cfg->allowlist);
	return ret;
}

static int upload_recipients(const struct msh_rcpt_set *s, void *arg,
			     char *err, size_t errlen)
{
	struct daemon *d = arg;

	return msh_rcpt_upload(d->nl, s, err, errlen);
}

/* One-shot, re-armed after every load: a slow load never piles up. */
static void arm_refresh(struct daemon *d)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (d->cfg.recipients.present)
		its.it_value.tv_sec = d->cfg.recipients.refresh;
	if (d->refresh_fd >= 0)
		timerfd_settime(d->refresh_fd, 0, &its, NULL);
}

/*
 * Load the recipients and upload them (rcpt.c decides whether the new
 * set may replace the running one); one log line either way. At start
 * the daemon waits for the load (ready means the recipients are in, or
 * why not is logged); later loads run in the loader's thread and end in
 * recipients_loaded(), while the loop goes on. A load asked for while one
 * runs starts when it ends, and the older result is dropped: the
 * configuration may have changed in between.
 */
static void recipients(struct daemon *d, const char *trigger)
{
	char line[LINE_MAX_LEN];
	int r;

	if (d->loader->busy) {
		snprintf(d->again, sizeof(d->again), "%s", trigger);
		return;
	}
	if (strcmp(trigger, "start") && d->cfg.recipients.present) {
		r = msh_rcpt_loader_start(d->loader, &d->cfg.recipients,
					  trigger);
		if (!r)
			return;
		line[0] = '\0';
		msh_kv(line, sizeof(line), "msg", "recipients");
		msh_kv(line, sizeof(line), "trigger", trigger);
		msh_kv(line, sizeof(line), "warning",
		       "no loader thread, loading in the loop");
		msh_kv(line, sizeof(line), "reason", strerror(-r));
		log_line(LOG_WARNING, line);
	}
	r = msh_rcpt_refresh(&d->rcpt, &d->cfg.recipients, trigger,
			     upload_recipients, d, line, sizeof(line));
	if (line[0])
		log_line(r == 0 ? LOG_INFO : LOG_ERR, line);
	arm_refresh(d);
}

static void recipients_loaded(struct daemon *d)
{
	struct msh_rcpt_loader *l = d->loader;
	char line[LINE_MAX_LEN];
	int r;

	if (msh_rcpt_loader_end(l))
		return;
	if (d->again[0]) {
		char trigger[sizeof(d->again)];

		msh_rcpt_set_free(&l->set);
		line[0] = '\0';
		msh_kv(line, sizeof(line), "msg", "recipients");
		msh_kv(line, sizeof(line), "trigger", l->trigger);
		msh_kv(line, sizeof(line), "result", "superseded");
		msh_kv(line, sizeof(line), "by", d->again);
		log_line(LOG_INFO, line);
		memcpy(trigger, d->again, sizeof(trigger));
		d->again[0] = '\0';
		recipients(d, trigger);
		return;
	}
	r = msh_rcpt_loaded(&d->rcpt, &l->cfg, l->trigger, &l->res, &l->set,
			    upload_recipients, d, line, sizeof(line));
	log_line(r == 0 ? LOG_INFO : LOG_ERR, line);
	arm_refresh(d);
}

static void reload(struct daemon *d)
{
	struct msh_config cfg;
	char err[MSH_CONFIG_ERR_MAX];
	char line[LINE_MAX_LEN] = "";
	bool policy_set;
	int ret;

	sd_notify(0, "RELOADING=1");
	msh_kv(line, sizeof(line), "msg", "reload");
	msh_kv(line, sizeof(line), "config", d->config_path);
	if (msh_config_load(d->config_path, &cfg, err, sizeof(err))) {
		msh_kv(line, sizeof(line), "result", "error");
		msh_kv(line, sizeof(line), "error", err);
		msh_kv(line, sizeof(line), "policy", "unchanged");
		log_line(LOG_ERR, line);
		/* SIGHUP also means: read the recipients again */
		recipients(d, "reload");
		notify_status("READY=1", &d->cfg, "reload failed (bad config)");
		return;
	}
	ret = push_config(d->nl, &cfg, &policy_set);
	if (ret) {
		msh_kv(line, sizeof(line), "result", "error");
		kv_nl_error(d, line, sizeof(line), ret);
		/* half of it went in: the running configuration goes back */
		if (policy_set && push_config(d->nl, &d->cfg, &policy_set))
			msh_kv(line, sizeof(line), "policy",
			       "changed, allowlist not (restore failed)");
		else
			msh_kv(line, sizeof(line), "policy", "unchanged");
		log_line(LOG_ERR, line);
		recipients(d, "reload");
		notify_status("READY=1", &d->cfg, "reload failed (kernel)");
		return;
	}
	d->cfg = cfg;
	msh_kv(line, sizeof(line), "result", "ok");
	kv_policy(line, sizeof(line), &d->cfg.knobs);
	log_line(LOG_INFO, line);
	recipients(d, "reload");
	notify_status("READY=1", &d->cfg, NULL);
}

/* The module came back: find the family again and restore our policy. */
static void module_loaded(struct daemon *d)
{
	char line[LINE_MAX_LEN] = "";
	bool policy_set;
	int ret;

	d->module_present = true;
	msh_kv(line, sizeof(line), "msg", "repush");
	ret = msh_nl_reresolve(d->nl);
	if (!ret)
		ret = msh_nl_events_rejoin(d->nl);
	if (!ret)
		ret = push_config(d->nl, &d->cfg, &policy_set);
	if (ret) {
		msh_kv(line, sizeof(line), "result", "error");
		kv_nl_error(d, line, sizeof(line), ret);
		log_line(LOG_ERR, line);
		return;
	}
	msh_kv(line, sizeof(line), "result", "ok");
	kv_policy(line, sizeof(line), &d->cfg.knobs);
	log_line(LOG_INFO, line);
	/* a fresh module has no recipient set: the last one, then a load */
	if (d->rcpt.have) {
		ret = msh_rcpt_reupload(&d->rcpt, "repush", upload_recipients,
					d, line, sizeof(line));
		log_line(ret == 0 ? LOG_INFO : LOG_ERR, line);
	}
	recipients(d, "repush");
	notify_status("READY=1", &d->cfg, NULL);
}

static void on_event(const struct msh_event *ev, void *arg)
{
	struct daemon *d = arg;
	char line[LINE_MAX_LEN];

	msh_format_event(line, sizeof(line), ev);
	log_line(ev->kind == MSH_EV_KERNEL ? LOG_NOTICE : LOG_WARNING, line);
	if (ev->kind == MSH_EV_FAMILY_DEL) {
		d->module_present = false;
		sd_notify(0, "STATUS=kernel module unloaded; waiting for it");
	} else if (ev->kind == MSH_EV_FAMILY_NEW) {
		module_loaded(d);
	}
}

static int setup_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int run(struct daemon *d, int sfd)
{
	struct pollfd pfd[4];
	char line[LINE_MAX_LEN];
	int ret;

	pfd[0].fd = sfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = msh_nl_events_fd(d->nl);
	pfd[1].events = POLLIN;
	pfd[2].fd = d->refresh_fd;
	pfd[2].events = POLLIN;
	pfd[3].fd = msh_rcpt_loader_fd(d->loader);
	pfd[3].events = POLLIN;

	for (;;) {
		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			line[0] = '\0';
			msh_kv(line, sizeof(line), "msg", "poll");
			msh_kv(line, sizeof(line), "error", strerror(errno));
			log_line(LOG_ERR, line);
			return EXIT_FAILURE;
		}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					reload(d);
					continue;
				}
				line[0] = '\0';
				msh_kv(line, sizeof(line), "msg", "stop");
				msh_kv(line, sizeof(line), "signal",
				       si.ssi_signo == SIGTERM ? "TERM" : "INT");
				log_line(LOG_INFO, line);
				sd_notify(0, "STOPPING=1");
				return EXIT_SUCCESS;
			}
		}
		if (pfd[2].revents & POLLIN) {
			uint64_t n;

			if (read(d->refresh_fd, &n, sizeof(n)) == sizeof(n))
				recipients(d, "refresh");
		}
		if (pfd[3].revents & POLLIN)
			recipients_loaded(d);
		if (pfd[1].revents & (POLLHUP | POLLNVAL)) {
			log_line(LOG_ERR, "msg=events-error error=\"event socket closed\"");
			return EXIT_FAILURE;
		}
		if (pfd[1].revents & (POLLIN | POLLERR)) {
			ret = msh_nl_events_read(d->nl, on_event, d);
			if (ret) {
				line[0] = '\0';
				msh_kv(line, sizeof(line), "msg",
				       ret == -ENOBUFS ? "events-lost"
						       : "events-error");
				if (ret != -ENOBUFS)
					msh_kv(line, sizeof(line), "error",
					       strerror(-ret));
				log_line(LOG_WARNING, line);
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct daemon d = { .config_path = MSH_DEFAULT_CONFIG,
			    .refresh_fd = -1 };
	char err[MSH_CONFIG_ERR_MAX];
	char line[LINE_MAX_LEN] = "";
	bool check_only = false, policy_set;
	int c, ret, sfd;

	while ((c = getopt(argc, argv, "c:nsh")) != -1) {
		switch (c) {
		case 'c':
			d.config_path = optarg;
			break;
		case 'n':
			check_only = true;
			break;
		case 's':
			d.log_stderr = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mailshieldd: unexpected argument \"%s\"\n",
			argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}

	/* The whole configuration is validated before any netlink call. */
	if (msh_config_load(d.config_path, &d.cfg, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_FAILURE;
	}
	if (check_only) {
		printf("%s: OK\n", d.config_path);
		return EXIT_SUCCESS;
	}

	openlog("mailshieldd", LOG_PID | (d.log_stderr ? LOG_PERROR : 0),
		LOG_MAIL);

	ret = msh_nl_open(&d.nl);
	if (ret == -ENOENT) {
		log_line(LOG_ERR, "msg=start result=error error=\"kernel module not loaded\"");
		fprintf(stderr, "%s\n", MSH_NL_NOT_LOADED_MSG);
		return EXIT_NOMODULE;
	}
	if (ret) {
		msh_kv(line, sizeof(line), "msg", "start");
		msh_kv(line, sizeof(line), "result", "error");
		msh_kv(line, sizeof(line), "error", "cannot use generic netlink");
		msh_kv(line, sizeof(line), "reason", strerror(-ret));
		fatal_line(&d, line);
		return EXIT_FAILURE;
	}
	d.module_present = true;

	sfd = setup_signals();
	if (sfd >= 0) {
		d.refresh_fd = timerfd_create(CLOCK_MONOTONIC,
					      TFD_CLOEXEC | TFD_NONBLOCK);
		if (d.refresh_fd < 0) {
			close(sfd);
			sfd = -1;
		}
	}
	if (sfd >= 0) {
		d.loader = malloc(sizeof(*d.loader));
		errno = ENOMEM;
		if (!d.loader || msh_rcpt_loader_init(d.loader)) {
			close(sfd);
			sfd = -1;
		}
	}
	if (sfd < 0) {
		msh_kv(line, sizeof(line), "msg", "start");
		msh_kv(line, sizeof(line), "result", "error");
		msh_kv(line, sizeof(line), "error", strerror(errno));
		fatal_line(&d, line);
		ret = EXIT_FAILURE;
		goto out;
	}

	/* Join the events group first so that our own push is logged too. */
	ret = msh_nl_events_open(d.nl);
	if (!ret)
		ret = push_config(d.nl, &d.cfg, &policy_set);
	if (ret) {
		msh_kv(line, sizeof(line), "msg", "start");
		msh_kv(line, sizeof(line), "result", "error");
		kv_nl_error(&d, line, sizeof(line), ret);
		fatal_line(&d, line);
		if (msh_nl_extack(d.nl)[0] && !d.log_stderr)
			fprintf(stderr,
				"mailshield: kernel rejected request: %s\n",
				msh_nl_extack(d.nl));
		ret = EXIT_FAILURE;
		goto out;
	}
	msh_kv(line, sizeof(line), "msg", "start");
	msh_kv(line, sizeof(line), "result", "ok");
	msh_kv(line, sizeof(line), "config", d.config_path);
	kv_policy(line, sizeof(line), &d.cfg.knobs);
	log_line(LOG_INFO, line);
	/* ready once the recipients are in (or why not is logged) */
	recipients(&d, "start");
	notify_status("READY=1", &d.cfg, NULL);

	ret = run(&d, sfd);
out:
	if (d.loader && d.loader->busy) {
		/*
		 * Stopped during a load: the thread may sit in a library call
		 * (LDAP, a pipe) that cleanup at exit would pull the ground
		 * from under; the kernel closes what is open.
		 */
		closelog();
		_exit(ret);
	}
	if (d.loader) {
		msh_rcpt_loader_free(d.loader);
		free(d.loader);
	}
	if (sfd >= 0)
		close(sfd);
	if (d.refresh_fd >= 0)
		close(d.refresh_fd);
	msh_rcpt_state_free(&d.rcpt);
	msh_nl_close(d.nl);
	closelog();
	return ret;
}
