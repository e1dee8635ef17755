// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * SMTP inspection in userspace without netlink: names of flow states,
 * printers of flows, reason counters and violation events.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "json.h"
#include "output.h"
#include "knobs.h"
#include "inspection.h"

static const char *const state_names[__MAILSHIELD_FLOW_STATE_MAX] = {
	"greeting", "command", "data", "bdat", "sasl", "tls",
};

void msh_smtp_print_reasons(FILE *f, const uint64_t *reasons)
{
	char key[48];
	int i;

	for (i = 0; i < __MAILSHIELD_VIOLATION_MAX; i++) {
		snprintf(key, sizeof(key), "violations.%s",
			 msh_violation_name(i));
		fprintf(f, "%-28s%llu\n", key, (unsigned long long)reasons[i]);
	}
}

static const char *state_name(const struct msh_flow_row *fl)
{
	return fl->state < __MAILSHIELD_FLOW_STATE_MAX ?
	       state_names[fl->state] : "unknown";
}

void msh_print_flow(FILE *f, const struct msh_flow_row *fl)
{
	char c[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	bool v6 = fl->family == AF_INET6;

	inet_ntop(fl->family, fl->client, c, sizeof(c));
	inet_ntop(fl->family, fl->server, s, sizeof(s));
	fprintf(f, "%s%s%s:%u -> %s%s%s:%u state=%s rx=%llu tx=%llu "
		"age=%us idle=%us pending=%u junk=%u violations=%u\n",
		v6 ? "[" : "", c, v6 ? "]" : "", fl->cport,
		v6 ? "[" : "", s, v6 ? "]" : "", fl->sport, state_name(fl),
		(unsigned long long)fl->rx_bytes,
		(unsigned long long)fl->tx_bytes, fl->age, fl->idle,
		fl->pending, fl->junk, fl->violations);
}

json_object *msh_flow_json(const struct msh_flow_row *fl)
{
	char c[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	json_object *o = json_object_new_object();

	inet_ntop(fl->family, fl->client, c, sizeof(c));
	inet_ntop(fl->family, fl->server, s, sizeof(s));
	msh_json_str(o, "client", c);
	msh_json_num(o, "client_port", fl->cport);
	msh_json_str(o, "server", s);
	msh_json_num(o, "server_port", fl->sport);
	msh_json_str(o, "state", state_name(fl));
	msh_json_num(o, "rx_bytes", fl->rx_bytes);
	msh_json_num(o, "tx_bytes", fl->tx_bytes);
	msh_json_num(o, "age", fl->age);
	msh_json_num(o, "idle", fl->idle);
	msh_json_num(o, "pending", fl->pending);
	msh_json_num(o, "junk", fl->junk);
	msh_json_num(o, "violations", fl->violations);
	return o;
}

static void kv_ports(char *buf, size_t len, const struct msh_viol_msg *v)
{
	char tmp[16];

	if (!v->has_ports)
		return;
	snprintf(tmp, sizeof(tmp), "%u", v->sport);
	msh_kv(buf, len, "sport", tmp);
	snprintf(tmp, sizeof(tmp), "%u", v->dport);
	msh_kv(buf, len, "dport", tmp);
}

void msh_smtp_format_event(char *buf, size_t len, uint32_t reason,
			   const struct msh_viol_msg *v)
{
	msh_kv(buf, len, "reason", msh_violation_name(reason));
	kv_ports(buf, len, v);
	msh_kv(buf, len, "action", v->logged ? "logged" : "blocked");
}

void msh_rcpt_format_event(char *buf, size_t len, uint32_t why,
			   const struct msh_viol_msg *v)
{
	char tmp[16];

	msh_kv(buf, len, "reason", why == MAILSHIELD_RCPT_LEARNED ?
				   "learned" : "not-in-set");
	snprintf(tmp, sizeof(tmp), "%u", v->count);
	msh_kv(buf, len, "unknown", tmp);
	kv_ports(buf, len, v);
	msh_kv(buf, len, "action", v->logged ? "logged" : "counted");
}
