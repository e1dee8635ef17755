// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient upload (daemon/rcpt_nl.c) as messages: BEGIN with key,
 * flags, delimiters and counts, ADD batches under 64 KiB whose arrays
 * continue strictly ascending, COMMIT last; ABORT after a failure. The
 * GET_RECIPIENTS decoder and the mailshieldctl printer (text, json-c).
 * One real request goes to the kernel's "nlctrl" family, which rejects
 * the command: the error path with the kernel's answer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl.h"
#include "rcpt_nl.h"
#include "rcpt_print.h"
#include "rcpt_set.h"
#include "unit.h"

struct seen {
	int cmds[64];
	int n;
	int fail_at;		/* fail the request with this index, -1 none */
	uint32_t counts[3];
	uint8_t key[16];
	char delims[9];
	uint32_t flags;
	uint64_t *got[3];
	size_t ngot[3];
	bool ascending, small;
};

static const int kinds[3] = { MAILSHIELD_RCPT_A_HASHES,
			      MAILSHIELD_RCPT_A_DOMAIN_HASHES,
			      MAILSHIELD_RCPT_A_CATCHALL_HASHES };

static int fake_send(struct msh_nl *nl, struct nl_msg *msg, void *arg)
{
	struct seen *s = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[MAILSHIELD_A_MAX + 1];
	struct nlattr *rt[MAILSHIELD_RCPT_A_MAX + 1];
	int k, idx = s->n;

	(void)nl;
	if (s->n < 64)
		s->cmds[s->n++] = g->cmd;
	if (nlh->nlmsg_len >= 65536)
		s->small = false;
	if (!(nlh->nlmsg_flags & NLM_F_ACK))
		s->small = false;	/* every request wants its ACK */
	if (genlmsg_parse(nlh, 0, tb, MAILSHIELD_A_MAX, NULL) < 0)
		return -EBADMSG;
	if (tb[MAILSHIELD_A_RECIPIENTS] &&
	    nla_parse_nested(rt, MAILSHIELD_RCPT_A_MAX,
			     tb[MAILSHIELD_A_RECIPIENTS], NULL) < 0)
		return -EBADMSG;
	if (g->cmd == MAILSHIELD_CMD_RCPT_BEGIN) {
		memcpy(s->key, nla_data(rt[MAILSHIELD_RCPT_A_KEY]), 16);
		s->flags = nla_get_u32(rt[MAILSHIELD_RCPT_A_FLAGS]);
		memcpy(s->delims, nla_data(rt[MAILSHIELD_RCPT_A_DELIMITERS]),
		       (size_t)nla_len(rt[MAILSHIELD_RCPT_A_DELIMITERS]));
		s->counts[0] = nla_get_u32(rt[MAILSHIELD_RCPT_A_ADDRESSES]);
		s->counts[1] = nla_get_u32(rt[MAILSHIELD_RCPT_A_DOMAINS]);
		s->counts[2] = nla_get_u32(rt[MAILSHIELD_RCPT_A_CATCHALLS]);
	}
	if (g->cmd == MAILSHIELD_CMD_RCPT_ADD) {
		for (k = 0; k < 3; k++) {
			struct nlattr *a = rt[kinds[k]];
			size_t n, i;
			uint64_t *v;

			if (!a)
				continue;
			n = (size_t)nla_len(a) / 8;
			v = realloc(s->got[k], (s->ngot[k] + n) * 8);
			if (!v)
				return -ENOMEM;
			memcpy(v + s->ngot[k], nla_data(a), n * 8);
			for (i = s->ngot[k] ? s->ngot[k] : 1;
			     i < s->ngot[k] + n; i++)
				if (v[i - 1] >= v[i])
					s->ascending = false;
			s->got[k] = v;
			s->ngot[k] += n;
		}
	}
	return idx == s->fail_at ? -ENOSPC : 0;
}

static void seen_free(struct seen *s)
{
	int k;

	for (k = 0; k < 3; k++)
		free(s->got[k]);
}

static void make_set(struct msh_rcpt_set *set, unsigned int n)
{
	char addr[64], err[128];
	unsigned int i;

	msh_rcpt_set_init(set, MAILSHIELD_RCPT_F_CASE_SENSITIVE, "+-", 2);
	for (i = 0; i < n; i++) {
		int len = snprintf(addr, sizeof(addr), "user%u@d%u.example", i,
				   i % 3);

		msh_rcpt_set_add(set, addr, (size_t)len, err, sizeof(err));
	}
	msh_rcpt_set_add(set, "@catch.example", 14, err, sizeof(err));
	msh_rcpt_set_finish(set);
}

static void test_upload(struct msh_nl *nl)
{
	struct msh_rcpt_set set;
	struct seen s = { .fail_at = -1, .ascending = true, .small = true };
	char err[256] = "";
	bool ok;
	int r, k;

	make_set(&set, 10000);
	r = msh_rcpt_upload_via(nl, &set, fake_send, &s, err, sizeof(err));
	ok = r == 0 && s.n == 5 && s.cmds[0] == MAILSHIELD_CMD_RCPT_BEGIN &&
	     s.cmds[1] == MAILSHIELD_CMD_RCPT_ADD &&
	     s.cmds[3] == MAILSHIELD_CMD_RCPT_ADD &&
	     s.cmds[4] == MAILSHIELD_CMD_RCPT_COMMIT;
	if (!ok)
		unit_diag("upload: %d (%s), %d messages", r, err, s.n);
	unit_result("rcpt upload: BEGIN, three ADD batches, COMMIT", ok, NULL);

	ok = s.counts[0] == 10000 && s.counts[1] == 4 && s.counts[2] == 1 &&
	     !memcmp(s.key, set.key, 16) &&
	     s.flags == MAILSHIELD_RCPT_F_CASE_SENSITIVE &&
	     !strcmp(s.delims, "+-");
	unit_result("rcpt upload: BEGIN carries key, flags, delimiters, counts",
		    ok, NULL);
	ok = s.ascending && s.small;
	for (k = 0; k < 3; k++) {
		const struct msh_u64v *v = k == 0 ? &set.addrs :
					   k == 1 ? &set.domains : &set.catchalls;

		ok = ok && s.ngot[k] == v->n &&
		     !memcmp(s.got[k], v->v, v->n * 8);
	}
	unit_result("rcpt upload: every hash once, strictly ascending across batches, messages under 64 KiB",
		    ok, NULL);
	seen_free(&s);

	memset(&s, 0, sizeof(s));
	s.fail_at = 2;
	s.ascending = s.small = true;
	r = msh_rcpt_upload_via(nl, &set, fake_send, &s, err, sizeof(err));
	ok = r == -ENOSPC && s.n == 4 &&
	     s.cmds[3] == MAILSHIELD_CMD_RCPT_ABORT &&
	     !strcmp(err, "RCPT_ADD: No space left on device");
	if (!ok)
		unit_diag("failed add: %d \"%s\", %d messages", r, err, s.n);
	unit_result("rcpt upload: a rejected ADD is followed by ABORT", ok, NULL);
	seen_free(&s);

	memset(&s, 0, sizeof(s));
	s.fail_at = 0;
	r = msh_rcpt_upload_via(nl, &set, fake_send, &s, err, sizeof(err));
	ok = r == -ENOSPC && s.n == 1 &&
	     !strcmp(err, "RCPT_BEGIN: No space left on device");
	unit_result("rcpt upload: a rejected BEGIN sends nothing more", ok,
		    NULL);
	seen_free(&s);
	msh_rcpt_set_free(&set);

	/* the empty set: BEGIN with zero counts, COMMIT */
	memset(&s, 0, sizeof(s));
	s.fail_at = -1;
	msh_rcpt_set_init(&set, 0, "", 0);
	msh_rcpt_set_finish(&set);
	r = msh_rcpt_upload_via(nl, &set, fake_send, &s, err, sizeof(err));
	ok = r == 0 && s.n == 2 && s.cmds[1] == MAILSHIELD_CMD_RCPT_COMMIT &&
	     !s.counts[0] && !s.counts[1] && !s.counts[2];
	unit_result("rcpt upload: the empty set is BEGIN and COMMIT", ok, NULL);
	seen_free(&s);
	msh_rcpt_set_free(&set);
}

/* A real request: nlctrl has no such command and says so. */
static void test_kernel_rejects(struct msh_nl *nl)
{
	struct msh_rcpt_set set;
	char err[256] = "";
	int r;

	make_set(&set, 10);
	r = msh_rcpt_upload(nl, &set, err, sizeof(err));
	if (r == -EPERM || r == -EACCES) {
		unit_result("rcpt upload: the kernel's rejection is reported",
			    true, "skipped: no CAP_NET_ADMIN");
	} else {
		bool ok = r == -EOPNOTSUPP &&
			  !strncmp(err, "RCPT_BEGIN: Operation not supported", 35);

		if (!ok)
			unit_diag("kernel: %d \"%s\"", r, err);
		unit_result("rcpt upload: the kernel's rejection is reported",
			    ok, NULL);
	}
	msh_rcpt_set_free(&set);
}

static void test_info(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *tb[MAILSHIELD_A_MAX + 1], *n;
	struct msh_rcpt_info info;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	bool ok;

	genlmsg_put(msg, 0, 0, 0x42, 0, 0, MAILSHIELD_CMD_GET_RECIPIENTS, 1);
	n = nla_nest_start(msg, MAILSHIELD_A_RECIPIENTS);
	nla_put_u32(msg, MAILSHIELD_RCPT_A_GENERATION, 7);
	nla_put_u32(msg, MAILSHIELD_RCPT_A_ADDRESSES, 5012);
	nla_put_u32(msg, MAILSHIELD_RCPT_A_DOMAINS, 3);
	nla_put_u32(msg, MAILSHIELD_RCPT_A_CATCHALLS, 1);
	nla_put_u64(msg, MAILSHIELD_RCPT_A_MEMORY, 81920);
	nla_put_u32(msg, MAILSHIELD_RCPT_A_AGE, 42);
	nla_put_u8(msg, MAILSHIELD_RCPT_A_PENDING, 1);
	nla_put_u32(msg, MAILSHIELD_RCPT_A_FLAGS, 0);
	nla_put(msg, MAILSHIELD_RCPT_A_DELIMITERS, 2, "+-");
	nla_nest_end(msg, n);
	ok = genlmsg_parse(nlmsg_hdr(msg), 0, tb, MAILSHIELD_A_MAX, NULL) == 0 &&
	     msh_rcpt_parse_info(tb, &info) == 0 && info.generation == 7 &&
	     info.addresses == 5012 && info.domains == 3 &&
	     info.catchalls == 1 && info.memory == 81920 && info.age == 42 &&
	     info.pending && !strcmp(info.delims, "+-");
	unit_result("rcpt GET_RECIPIENTS decoder", ok, NULL);
	nlmsg_free(msg);

	f = open_memstream(&buf, &len);
	msh_rcpt_print(f, &info, true);
	fclose(f);
	ok = !strcmp(buf, "{\"generation\":7,\"addresses\":5012,\"domains\":3,\"catchalls\":1,\"memory\":81920,\"age\":42,\"pending\":true,\"case_sensitive\":false,\"delimiters\":\"+-\"}\n");
	if (!ok)
		unit_diag("json: %s", buf);
	unit_result("rcpt recipients --json (json-c)", ok, NULL);
	free(buf);

	f = open_memstream(&buf, &len);
	msh_rcpt_print(f, &info, false);
	fclose(f);
	ok = !strcmp(buf,
		     "generation        7\n"
		     "addresses         5012\n"
		     "domains           3\n"
		     "catchalls         1\n"
		     "memory            81920\n"
		     "age               42s\n"
		     "pending           yes\n"
		     "case_sensitive    no\n"
		     "delimiters        +-\n");
	if (!ok)
		unit_diag("text: %s", buf);
	unit_result("rcpt recipients text output", ok, NULL);
	free(buf);
}

int main(void)
{
	struct msh_nl *nl;
	int r = msh_nl_open_family(&nl, "nlctrl");

	if (r) {
		unit_diag("cannot open nlctrl: %s", strerror(-r));
		unit_result("rcpt nl: generic netlink usable", false, NULL);
		return unit_exit();
	}
	test_upload(nl);
	test_kernel_rejects(nl);
	test_info();
	msh_nl_close(nl);
	return unit_exit();
}
