// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Recipients from LDAP (daemon/rcpt_ldap.c) against a real slapd that
 * this test starts as the calling user: mdb database in a temporary
 * directory, ldap://127.0.0.1 on a free port, a size limit of 1000 so
 * that only a paged search reads the whole directory, a test directory
 * of 5000 people loaded with ldapadd, StartTLS with a certificate made
 * here. Then: paged load, a change and a refresh, wrong credentials, and
 * a directory that is down (the load fails, the running set stays). The
 * system's slapd service is neither needed nor touched.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "rcpt.h"
#include "rcpt_load.h"
#include "unit.h"
#include "conf_util.h"

#define PEOPLE	5000
#define SLAPD	"/usr/sbin/slapd"
#define BASE	"dc=example,dc=com"

static int port;
static pid_t slapd_pid;
static char uri[64];

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), p = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		p = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return p;
}

static bool port_open(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = fd >= 0 && !connect(fd, (struct sockaddr *)&a, sizeof(a));
	if (fd >= 0)
		close(fd);
	return ok;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = system(cmd);
	if (r)
		unit_diag("command failed (%d): %s", r, cmd);
	return r;
}

static void write_text(const char *name, const char *text)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f)) {
		perror(path);
		exit(EXIT_FAILURE);
	}
}

static int start_slapd(void)
{
	char path[400];
	FILE *f;
	int i;

	if (run("'%s' -f '%s/slapd.conf' -h '%s' -n msh-test-slapd", SLAPD,
		tmpdir, uri))
		return -1;
	/* slapd forks; its pid file and open port say it is up */
	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "%s/slapd.pid", tmpdir);
		f = fopen(path, "r");
		if (f) {
			if (fscanf(f, "%d", &slapd_pid) != 1)
				slapd_pid = 0;
			fclose(f);
		}
		if (slapd_pid > 0 && port_open())
			return 0;
		sleep_ms(100);
	}
	unit_diag("slapd did not come up on %s", uri);
	return -1;
}

static void stop_slapd(void)
{
	int i;

	if (slapd_pid <= 0)
		return;
	kill(slapd_pid, SIGTERM);
	for (i = 0; i < 100 && !kill(slapd_pid, 0); i++)
		sleep_ms(100);
	if (!kill(slapd_pid, 0))
		kill(slapd_pid, SIGKILL);
	slapd_pid = 0;
}

static int setup(void)
{
	char conf[4096], path[400];
	FILE *f;
	int i;

	port = free_port();
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d/", port);
	if (port < 0 || run("mkdir -p '%s/db'", tmpdir))
		return -1;
	/* a certificate for StartTLS; the client trusts it via LDAPTLS_CACERT */
	if (run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
		"-addext subjectAltName=IP:127.0.0.1 -keyout '%s/key.pem' -out '%s/cert.pem' "
		">/dev/null 2>&1", tmpdir, tmpdir))
		return -1;
	snprintf(conf, sizeof(conf),
		 "include /etc/ldap/schema/core.schema\n"
		 "include /etc/ldap/schema/cosine.schema\n"
		 "include /etc/ldap/schema/inetorgperson.schema\n"
		 "include /etc/ldap/schema/misc.schema\n"
		 "pidfile %s/slapd.pid\n"
		 "argsfile %s/slapd.args\n"
		 "modulepath /usr/lib/ldap\n"
		 "moduleload back_mdb\n"
		 "TLSCertificateFile %s/cert.pem\n"
		 "TLSCertificateKeyFile %s/key.pem\n"
		 /* a plain search stops at 1000 entries; a paged one does not */
		 "sizelimit size.soft=1000 size.hard=1000 size.prtotal=unlimited\n"
		 "database mdb\n"
		 "maxsize 268435456\n"
		 "suffix \"" BASE "\"\n"
		 "rootdn \"cn=admin," BASE "\"\n"
		 "rootpw secret\n"
		 "directory %s/db\n"
		 "dbnosync\n"
		 "access to attrs=userPassword by anonymous auth by * none\n"
		 "access to * by users read by * none\n",
		 tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
	write_text("slapd.conf", conf);
	write_text("reader.pw", "readerpw\n");
	write_text("wrong.pw", "not-the-password\n");

	snprintf(path, sizeof(path), "%s/people.ldif", tmpdir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "dn: " BASE "\nobjectClass: dcObject\nobjectClass: organization\n"
		   "dc: example\no: Example\n\n"
		   "dn: ou=people," BASE "\nobjectClass: organizationalUnit\nou: people\n\n"
		   "dn: cn=reader," BASE "\nobjectClass: person\ncn: reader\nsn: reader\n"
		   "userPassword: readerpw\n\n");
	for (i = 0; i < PEOPLE; i++) {
		fprintf(f, "dn: uid=u%d,ou=people," BASE "\n"
			   "objectClass: inetOrgPerson\n"
			   "objectClass: inetLocalMailRecipient\n"
			   "uid: u%d\ncn: User %d\nsn: User\n"
			   "mail: User%d@Example.COM\n", i, i, i, i);
		/* every tenth has a second address, in the other attribute */
		if (i % 10 == 0)
			fprintf(f, "mailLocalAddress: alias%d@example.org\n", i);
		/* and a few hold things that are not addresses */
		if (i % 1000 == 1)
			fprintf(f, "mail: not-an-address-%d\n", i);
		fputc('\n', f);
	}
	/* people without mail do not count */
	fprintf(f, "dn: uid=nomail,ou=people," BASE "\nobjectClass: inetOrgPerson\n"
		   "uid: nomail\ncn: No Mail\nsn: Mail\n\n");
	if (fclose(f))
		return -1;
	if (start_slapd())
		return -1;
	return run("ldapadd -x -H '%s' -D 'cn=admin," BASE "' -w secret -f '%s/people.ldif' >/dev/null",
		   uri, tmpdir);
}

struct fake {
	int calls;
	size_t addrs, domains;
};

static int fake_upload(const struct msh_rcpt_set *s, void *arg, char *err,
		       size_t errlen)
{
	struct fake *f = arg;

	(void)err;
	(void)errlen;
	f->calls++;
	f->addrs = s->addrs.n;
	f->domains = s->domains.n;
	return 0;
}

static bool load_config(const char *name, const char *extra,
			struct msh_config *cfg)
{
	char text[2048], err[MSH_CONFIG_ERR_MAX] = "";
	const char *path;

	snprintf(text, sizeof(text),
		 "[recipients]\n"
		 "ldap_uri = %s\n"
		 "ldap_bind_dn = cn=reader," BASE "\n"
		 "ldap_base = ou=people," BASE "\n"
		 "ldap_filter = (objectClass=inetOrgPerson)\n"
		 "ldap_attrs = mail, mailLocalAddress\n"
		 "ldap_timeout = 5s\n"
		 "%s", uri, extra);
	path = write_conf(name, text);
	if (msh_config_load(path, cfg, err, sizeof(err))) {
		unit_diag("%s: %s", name, err);
		return false;
	}
	return true;
}

static void expect_load_err(const char *name, const char *extra,
			    const char *want)
{
	struct msh_config cfg;
	struct msh_rcpt_set s;
	char err[1024] = "";
	bool ok;

	ok = load_config(name, extra, &cfg) &&
	     msh_rcpt_load(&cfg.recipients, &s, err, sizeof(err)) == -1 &&
	     strstr(err, want);
	if (!ok)
		unit_diag("%s: got \"%s\", want \"%s\"", name, err, want);
	unit_result(name, ok, NULL);
}

static void tests(void)
{
	struct msh_rcpt_state st = { 0 };
	struct msh_config cfg;
	struct fake f = { 0 };
	char line[1024];
	bool ok;
	int r;

	/* 5000 mail + 500 mailLocalAddress; 5 values that are no address */
	ok = load_config("paged", "ldap_bind_pw_file = reader.pw\nldap_page_size = 100\n",
			 &cfg);
	r = ok ? msh_rcpt_refresh(&st, &cfg.recipients, "start", fake_upload,
				  &f, line, sizeof(line)) : -2;
	ok = r == 0 && f.calls == 1 && f.addrs == PEOPLE + PEOPLE / 10 &&
	     f.domains == 2 && st.cur.skipped == PEOPLE / 1000;
	if (!ok)
		unit_diag("paged: %d, addrs %zu domains %zu skipped %zu: %s", r,
			  f.addrs, f.domains, st.cur.skipped, line);
	unit_result("rcpt ldap: paged search (page size 100) reads all 5000 entries past the size limit of 1000",
		    ok, NULL);
	ok = msh_rcpt_set_check(&st.cur, "user4999@example.com") == MSH_RCPT_KNOWN &&
	     msh_rcpt_set_check(&st.cur, "USER0+x@example.com") == MSH_RCPT_KNOWN &&
	     msh_rcpt_set_check(&st.cur, "alias4990@example.org") == MSH_RCPT_KNOWN &&
	     msh_rcpt_set_check(&st.cur, "alias4991@example.org") == MSH_RCPT_UNKNOWN &&
	     msh_rcpt_set_check(&st.cur, "user5000@example.com") == MSH_RCPT_UNKNOWN &&
	     msh_rcpt_set_check(&st.cur, "user1@example.net") == MSH_RCPT_OUTSIDE;
	unit_result("rcpt ldap: the loaded recipients, from both attributes", ok,
		    NULL);

	expect_load_err("rcpt ldap: without paging the size limit is an error",
			"ldap_bind_pw_file = reader.pw\nldap_page_size = 0\n",
			": search: Size limit exceeded");
	expect_load_err("rcpt ldap: wrong password",
			"ldap_bind_pw_file = wrong.pw\n",
			": bind: Invalid credentials");
	expect_load_err("rcpt ldap: missing password file",
			"ldap_bind_pw_file = none.pw\n",
			"none.pw: cannot open: No such file or directory");

	/* StartTLS with the test's certificate */
	{
		struct msh_rcpt_set s;
		char err[1024] = "";

		ok = load_config("starttls", "ldap_bind_pw_file = reader.pw\nldap_starttls = yes\n",
				 &cfg) &&
		     !msh_rcpt_load(&cfg.recipients, &s, err, sizeof(err));
		if (!ok)
			unit_diag("starttls: %s", err);
		ok = ok && s.addrs.n == PEOPLE + PEOPLE / 10;
		unit_result("rcpt ldap: StartTLS", ok, NULL);
		if (!err[0])
			msh_rcpt_set_free(&s);
	}

	/* a new person, then a refresh */
	ok = load_config("paged", "ldap_bind_pw_file = reader.pw\nldap_page_size = 100\n",
			 &cfg);
	write_text("new.ldif",
		   "dn: uid=newbie,ou=people," BASE "\nobjectClass: inetOrgPerson\n"
		   "uid: newbie\ncn: New\nsn: Person\nmail: Newbie@Example.com\n");
	ok = ok && !run("ldapadd -x -H '%s' -D 'cn=admin," BASE "' -w secret -f '%s/new.ldif' >/dev/null",
			uri, tmpdir);
	ok = ok && msh_rcpt_set_check(&st.cur, "newbie@example.com") == MSH_RCPT_UNKNOWN;
	r = msh_rcpt_refresh(&st, &cfg.recipients, "refresh", fake_upload, &f,
			     line, sizeof(line));
	ok = ok && r == 0 && f.calls == 2 &&
	     f.addrs == PEOPLE + PEOPLE / 10 + 1 &&
	     msh_rcpt_set_check(&st.cur, "newbie@example.com") == MSH_RCPT_KNOWN;
	if (!ok)
		unit_diag("refresh: %d: %s", r, line);
	unit_result("rcpt ldap: a person added to the directory is known after a refresh",
		    ok, NULL);

	/* the directory goes down */
	stop_slapd();
	r = msh_rcpt_refresh(&st, &cfg.recipients, "refresh", fake_upload, &f,
			     line, sizeof(line));
	ok = r == 1 && f.calls == 2 && st.have &&
	     st.cur.addrs.n == PEOPLE + PEOPLE / 10 + 1 &&
	     msh_rcpt_set_check(&st.cur, "newbie@example.com") == MSH_RCPT_KNOWN &&
	     strstr(line, "result=error") &&
	     strstr(line, ": bind: Can't contact LDAP server") &&
	     strstr(line, "recipients=unchanged");
	if (!ok)
		unit_diag("down: %d: %s", r, line);
	unit_result("rcpt ldap: a directory that is down fails the load, the running set stays",
		    ok, NULL);
	msh_rcpt_state_free(&st);
}

static void cleanup(void)
{
	stop_slapd();
	conf_tmpdir_remove();
}

int main(void)
{
	if (access(SLAPD, X_OK)) {
		unit_diag("%s not installed (make deps installs slapd and ldap-utils)",
			  SLAPD);
		unit_result("rcpt ldap: slapd installed", false, NULL);
		return unit_exit();
	}
	conf_tmpdir_make("rcpt-ldap");
	atexit(cleanup);
	{
		/* read by libldap once, at its first use: set it first */
		char ca[400];

		snprintf(ca, sizeof(ca), "%s/cert.pem", tmpdir);
		setenv("LDAPTLS_CACERT", ca, 1);
	}
	if (setup()) {
		unit_result("rcpt ldap: test directory set up (slapd, ldapadd)",
			    false, NULL);
		return unit_exit();
	}
	tests();
	return unit_exit();
}
