// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Unit tests of the libnl client (daemon/nl.c): the policy encoder and the
 * event decoder over messages built with libnl, and the request/ACK and
 * extended ACK path against the running kernel's generic netlink
 * controller ("nlctrl"), which every kernel has.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl.h"
#include "output.h"
#include "unit.h"

#define FAKE_FAMILY 0x42

static struct nl_msg *event_msg(int family, int cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 0, family, 0, 0, (uint8_t)cmd,
				 MAILSHIELD_GENL_VERSION)) {
		fprintf(stderr, "nlmsg_alloc failed\n");
		exit(EXIT_FAILURE);
	}
	return msg;
}

static void put_event_nest(struct nl_msg *msg, uint32_t type,
			   uint32_t suppressed)
{
	struct nlattr *n = nla_nest_start(msg, MAILSHIELD_A_EVENT);

	nla_put_u32(msg, MAILSHIELD_EVENT_A_TYPE, type);
	if (suppressed)
		nla_put_u32(msg, MAILSHIELD_EVENT_A_SUPPRESSED, suppressed);
	nla_nest_end(msg, n);
}

static void test_policy_roundtrip(void)
{
	struct msh_knobs p = {
		.set = MSH_KNOB_BIT(MSH_KNOB_ENABLED) |
		       MSH_KNOB_BIT(MSH_KNOB_PORTS),
		.v[MSH_KNOB_ENABLED] = 1, .nports[0] = 3,
		.ports[0] = { 25, 587, 65535 } };
	struct nl_msg *msg = event_msg(FAKE_FAMILY, MAILSHIELD_CMD_EVENT);
	struct msh_event ev;
	bool ok;

	put_event_nest(msg, MAILSHIELD_EVENT_POLICY, 5);
	ok = msh_req_put_policy(msg, &p) == 0;
	ok = ok && msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == 1;
	ok = ok && ev.kind == MSH_EV_KERNEL &&
	     ev.type == MAILSHIELD_EVENT_POLICY && ev.suppressed == 5 &&
	     ev.has_policy && ev.policy.set == p.set &&
	     ev.policy.v[MSH_KNOB_ENABLED] && ev.policy.nports[0] == 3 &&
	     ev.policy.ports[0][0] == 25 && ev.policy.ports[0][1] == 587 &&
	     ev.policy.ports[0][2] == 65535;
	nlmsg_free(msg);
	unit_result("nl policy encode/decode roundtrip", ok, NULL);
}

static void test_partial_policy(void)
{
	struct msh_knobs p = { .set = MSH_KNOB_BIT(MSH_KNOB_PORTS),
			       .nports[0] = 1, .ports[0] = { 2525 } };
	struct nl_msg *msg = event_msg(FAKE_FAMILY, MAILSHIELD_CMD_EVENT);
	struct msh_event ev;
	bool ok;

	put_event_nest(msg, MAILSHIELD_EVENT_POLICY, 0);
	ok = msh_req_put_policy(msg, &p) == 0;
	ok = ok && msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == 1;
	ok = ok && ev.policy.set == MSH_KNOB_BIT(MSH_KNOB_PORTS) &&
	     ev.policy.nports[0] == 1 && ev.policy.ports[0][0] == 2525 &&
	     ev.suppressed == 0;
	nlmsg_free(msg);
	unit_result("nl partial policy only carries ports", ok, NULL);
}

static void test_admit_roundtrip(void)
{
	struct msh_knobs p;
	struct nl_msg *msg = event_msg(FAKE_FAMILY, MAILSHIELD_CMD_EVENT);
	struct msh_event ev;
	bool ok;

	/* every knob, at its default but two: all of them come back */
	msh_knobs_defaults(&p);
	p.v[MSH_KNOB_EXEMPT_LOCAL] = false;
	p.v[MSH_KNOB_MAX_CONNS] = 7;
	put_event_nest(msg, MAILSHIELD_EVENT_POLICY, 0);
	ok = msh_req_put_policy(msg, &p) == 0;
	ok = ok && msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == 1;
	ok = ok && ev.policy.set == MSH_KNOBS_ALL &&
	     !memcmp(ev.policy.v, p.v, sizeof(p.v)) &&
	     !memcmp(ev.policy.nports, p.nports, sizeof(p.nports)) &&
	     !memcmp(ev.policy.ports, p.ports, sizeof(p.ports));
	nlmsg_free(msg);
	unit_result("nl every knob roundtrip (exempt_local off)", ok, NULL);

	/* a partial update carries only exempt_local, as a u8 */
	memset(&p, 0, sizeof(p));
	p.set = MSH_KNOB_BIT(MSH_KNOB_EXEMPT_LOCAL);
	p.v[MSH_KNOB_EXEMPT_LOCAL] = true;
	msg = nlmsg_alloc();
	ok = msg && msh_req_put_policy(msg, &p) == 0;
	if (ok) {
		struct nlattr *pol = nlmsg_data(nlmsg_hdr(msg)), *x;
		int rem, n = 0;

		nla_for_each_nested(x, pol, rem) {
			n++;
			ok = ok && nla_type(x) ==
				   MAILSHIELD_POLICY_A_EXEMPT_LOCAL &&
			     nla_len(x) == 1 && nla_get_u8(x) == 1;
		}
		ok = ok && n == 1;
	}
	nlmsg_free(msg);
	unit_result("nl SET_POLICY exempt_local alone is one u8", ok, NULL);
}

static void test_layout(void)
{
	/* The encoder must produce exactly the nest layout of the UAPI. */
	struct msh_knobs p = {
		.set = MSH_KNOB_BIT(MSH_KNOB_ENABLED) |
		       MSH_KNOB_BIT(MSH_KNOB_PORTS),
		.nports[0] = 2, .ports[0] = { 25, 465 } };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *pol, *a, *ports;
	int rem, n = 0, seen_enabled = 0;
	bool ok;

	ok = msg && msh_req_put_policy(msg, &p) == 0;
	pol = ok ? (struct nlattr *)nlmsg_data(nlmsg_hdr(msg)) : NULL;
	ok = ok && nla_type(pol) == MAILSHIELD_A_POLICY;
	if (ok) {
		nla_for_each_nested(a, pol, rem) {
			if (nla_type(a) == MAILSHIELD_POLICY_A_ENABLED) {
				seen_enabled = nla_len(a) == 1 &&
					       nla_get_u8(a) == 0;
			} else if (nla_type(a) == MAILSHIELD_POLICY_A_PORTS) {
				int r2;

				nla_for_each_nested(ports, a, r2) {
					if (nla_type(ports) != MAILSHIELD_PORT_A_PORT ||
					    nla_len(ports) != 2)
						ok = false;
					else if (nla_get_u16(ports) != p.ports[0][n++])
						ok = false;
				}
			} else {
				ok = false;
			}
		}
	}
	ok = ok && seen_enabled && n == 2;
	nlmsg_free(msg);
	unit_result("nl SET_POLICY nest layout matches UAPI", ok, NULL);
}

static void test_ignored_and_malformed(void)
{
	struct msh_event ev;
	struct nl_msg *msg;
	struct nlattr *pol, *ports;
	bool ok = true;
	int i;

	/* another family's message */
	msg = event_msg(FAKE_FAMILY + 1, MAILSHIELD_CMD_EVENT);
	put_event_nest(msg, MAILSHIELD_EVENT_POLICY, 0);
	ok &= msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == 0;
	nlmsg_free(msg);

	/* another command */
	msg = event_msg(FAKE_FAMILY, MAILSHIELD_CMD_GET_STATS);
	ok &= msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == 0;
	nlmsg_free(msg);

	/* event without MAILSHIELD_A_EVENT */
	msg = event_msg(FAKE_FAMILY, MAILSHIELD_CMD_EVENT);
	ok &= msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == -EBADMSG;
	nlmsg_free(msg);

	/* more ports than MAILSHIELD_MAX_PORTS */
	msg = event_msg(FAKE_FAMILY, MAILSHIELD_CMD_EVENT);
	put_event_nest(msg, MAILSHIELD_EVENT_POLICY, 0);
	pol = nla_nest_start(msg, MAILSHIELD_A_POLICY);
	ports = nla_nest_start(msg, MAILSHIELD_POLICY_A_PORTS);
	for (i = 0; i <= MAILSHIELD_MAX_PORTS; i++)
		nla_put_u16(msg, MAILSHIELD_PORT_A_PORT, (uint16_t)(i + 1));
	nla_nest_end(msg, ports);
	nla_nest_end(msg, pol);
	ok &= msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == -EBADMSG;
	nlmsg_free(msg);

	/* a port attribute that is too short */
	msg = event_msg(FAKE_FAMILY, MAILSHIELD_CMD_EVENT);
	put_event_nest(msg, MAILSHIELD_EVENT_POLICY, 0);
	pol = nla_nest_start(msg, MAILSHIELD_A_POLICY);
	ports = nla_nest_start(msg, MAILSHIELD_POLICY_A_PORTS);
	nla_put_u8(msg, MAILSHIELD_PORT_A_PORT, 25);
	nla_nest_end(msg, ports);
	nla_nest_end(msg, pol);
	ok &= msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == -EBADMSG;
	nlmsg_free(msg);

	/* unknown event types are passed on, for logging */
	msg = event_msg(FAKE_FAMILY, MAILSHIELD_CMD_EVENT);
	put_event_nest(msg, 77, 0);
	ok &= msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == 1 &&
	      ev.type == 77 && !ev.has_policy;
	nlmsg_free(msg);

	unit_result("nl event decoder ignores and rejects", ok, NULL);
}

static void test_ctrl_events(void)
{
	struct msh_event ev;
	struct nl_msg *msg;
	bool ok = true;

	msg = event_msg(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, MAILSHIELD_GENL_NAME);
	nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, 0x33);
	ok &= msh_nl_parse_event(msg, -1, &ev) == 1 &&
	      ev.kind == MSH_EV_FAMILY_NEW;
	nlmsg_free(msg);

	msg = event_msg(GENL_ID_CTRL, CTRL_CMD_DELFAMILY);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, MAILSHIELD_GENL_NAME);
	ok &= msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == 1 &&
	      ev.kind == MSH_EV_FAMILY_DEL;
	nlmsg_free(msg);

	msg = event_msg(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "mailshieldx");
	ok &= msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == 0;
	nlmsg_free(msg);

	msg = event_msg(GENL_ID_CTRL, CTRL_CMD_NEWMCAST_GRP);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, MAILSHIELD_GENL_NAME);
	ok &= msh_nl_parse_event(msg, FAKE_FAMILY, &ev) == 0;
	nlmsg_free(msg);

	unit_result("nl controller family new/del notifications", ok, NULL);
}

static struct nl_msg *getfamily(struct msh_nl *nl)
{
	struct nl_msg *msg = msh_nl_new_request(nl, CTRL_CMD_GETFAMILY, 2);

	if (!msg) {
		fprintf(stderr, "nlmsg_alloc failed\n");
		exit(EXIT_FAILURE);
	}
	return msg;
}

static void test_kernel(void)
{
	static const char *const names[] = {
		"nl kernel: missing family gives ENOENT",
		"nl kernel: request with reply then ACK",
		"nl kernel: error ACK gives errno",
		"nl kernel: extended ACK message is read",
	};
	struct msh_nl *nl = NULL;
	struct nl_msg *msg;
	const char *skip = NULL;
	bool ok[4] = { false, false, false, false };
	int ret;
	size_t i;

	ret = msh_nl_open_family(&nl, "msh-no-such-fam");
	if (ret == -ENOENT) {
		ok[0] = true;
	} else if (ret) {
		unit_diag("generic netlink unavailable: %s", strerror(-ret));
		skip = "SKIP generic netlink unavailable";
		goto out;
	} else {
		msh_nl_close(nl);
		nl = NULL;
	}

	ret = msh_nl_open_family(&nl, "nlctrl");
	if (ret) {
		unit_diag("cannot open nlctrl: %s", strerror(-ret));
		goto out;
	}

	/* the kernel answers with the family and then the ACK */
	msg = getfamily(nl);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	ret = msh_nl_transact(nl, msg);
	nlmsg_free(msg);
	ok[1] = ret == 0 && !msh_nl_extack(nl)[0];
	if (!ok[1])
		unit_diag("GETFAMILY nlctrl: %d", ret);

	msg = getfamily(nl);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME,
		       "msh-no-such-fam");
	ret = msh_nl_transact(nl, msg);
	nlmsg_free(msg);
	ok[2] = ret == -ENOENT;
	if (!ok[2])
		unit_diag("GETFAMILY missing: %d", ret);

	/* a u16 attribute sent as u8 fails policy validation with extack */
	msg = getfamily(nl);
	nla_put_u8(msg, CTRL_ATTR_FAMILY_ID, 1);
	ret = msh_nl_transact(nl, msg);
	nlmsg_free(msg);
	ok[3] = ret < 0 && msh_nl_extack(nl)[0];
	unit_diag("GETFAMILY bad attribute: ret %d (%s), extack \"%s\"", ret,
		  strerror(-ret), msh_nl_extack(nl));

	/* and the next good request clears it */
	msg = getfamily(nl);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	ret = msh_nl_transact(nl, msg);
	nlmsg_free(msg);
	ok[3] = ok[3] && ret == 0 && !msh_nl_extack(nl)[0];
out:
	msh_nl_close(nl);
	for (i = 0; i < 4; i++)
		unit_result(names[i], skip ? true : ok[i], skip);
}

static int events_seen;

static void count_event(const struct msh_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
	events_seen++;
}

/*
 * The event socket against a real family that has an "events" group:
 * VFS_DQUOT (quota netlink interface), present on most kernels.
 */
static void test_kernel_events(void)
{
	const char *name = "nl kernel: event socket joins groups, reads without blocking";
	struct msh_nl *nl = NULL;
	int ret, fd;
	bool ok;

	ret = msh_nl_open_family(&nl, "VFS_DQUOT");
	if (ret) {
		unit_result(name, true, "SKIP no VFS_DQUOT family here");
		return;
	}
	ret = msh_nl_events_open(nl);
	fd = msh_nl_events_fd(nl);
	ok = ret == 0 && fd >= 0;
	/* nothing pending: must return at once, not block */
	ok = ok && msh_nl_events_read(nl, count_event, NULL) == 0 &&
	     events_seen == 0;
	if (!ok)
		unit_diag("events_open %d fd %d", ret, fd);
	msh_nl_close(nl);
	unit_result(name, ok, NULL);
}

/*
 * SET_ALLOWLIST with the most entries the config allows, all IPv6 with a
 * prefix length (the largest encoding), must fit in the request. Sent to
 * nlctrl, which refuses the command: any answer but a local -EMSGSIZE
 * means the whole list was encoded and sent.
 */
static void test_allowlist_size(void)
{
	const char *name = "nl SET_ALLOWLIST request holds 256 IPv6 entries";
	static struct msh_allow_cfg al;
	struct msh_nl *nl = NULL;
	unsigned int i;
	int ret;

	ret = msh_nl_open_family(&nl, "nlctrl");
	if (ret) {
		unit_result(name, true, "SKIP generic netlink unavailable");
		return;
	}
	memset(&al, 0, sizeof(al));
	for (i = 0; i < MSH_ALLOW_MAX; i++) {
		al.e[i].family = AF_INET6;
		al.e[i].addr[0] = 0x20;
		al.e[i].addr[1] = 0x01;
		al.e[i].addr[2] = 0x0d;
		al.e[i].addr[3] = 0xb8;
		al.e[i].addr[4] = (uint8_t)i;
		al.e[i].plen = 48;
	}
	al.n = MSH_ALLOW_MAX;
	ret = msh_req_set_allowlist(nl, &al);
	unit_diag("SET_ALLOWLIST to nlctrl: ret %d (%s)", ret, strerror(-ret));
	msh_nl_close(nl);
	unit_result(name, ret != -EMSGSIZE, NULL);
}

/* A log-mode RECIPIENT event, decoded and written as a log line. */
static void test_recipient_event(void)
{
	static const uint8_t a4[4] = { 192, 0, 2, 69 };
	struct nl_msg *msg = event_msg(FAKE_FAMILY, MAILSHIELD_CMD_EVENT);
	struct nlattr *ev, *addr;
	struct msh_event e;
	char line[256];
	bool ok;

	ev = nla_nest_start(msg, MAILSHIELD_A_EVENT);
	nla_put_u32(msg, MAILSHIELD_EVENT_A_TYPE, MAILSHIELD_EVENT_RECIPIENT);
	addr = nla_nest_start(msg, MAILSHIELD_EVENT_A_ADDR);
	nla_put(msg, MAILSHIELD_ADDR_A_V4, sizeof(a4), a4);
	nla_nest_end(msg, addr);
	nla_put_u32(msg, MAILSHIELD_EVENT_A_REASON, MAILSHIELD_RCPT_LEARNED);
	nla_put_u16(msg, MAILSHIELD_EVENT_A_SPORT, 40000);
	nla_put_u16(msg, MAILSHIELD_EVENT_A_DPORT, 25);
	nla_put_u32(msg, MAILSHIELD_EVENT_A_COUNT, 3);
	nla_put_u8(msg, MAILSHIELD_EVENT_A_LOGGED, 1);
	nla_nest_end(msg, ev);
	ok = msh_nl_parse_event(msg, FAKE_FAMILY, &e) == 1 &&
	     e.type == MAILSHIELD_EVENT_RECIPIENT && e.viol.count == 3;
	msh_format_event(line, sizeof(line), &e);
	ok = ok && !strcmp(line, "event=recipient addr=192.0.2.69 reason=learned unknown=3 sport=40000 dport=25 action=logged");
	if (!ok)
		unit_diag("recipient event: %s", line);
	nlmsg_free(msg);
	unit_result("nl RECIPIENT event decoded and logged", ok, NULL);
}

int main(void)
{
	test_policy_roundtrip();
	test_partial_policy();
	test_admit_roundtrip();
	test_layout();
	test_ignored_and_malformed();
	test_ctrl_events();
	test_kernel();
	test_kernel_events();
	test_allowlist_size();
	test_recipient_event();
	return unit_exit();
}
