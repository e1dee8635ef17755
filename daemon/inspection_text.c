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

void msh_smtp_print_reasons(FILE *f, const uint64_t *reasons, bool json)
{
	int i;

	if (json) {
		fputs("\"violation_reasons\": {", f);
		for (i = 0; i < __MAILSHIELD_VIOLATION_MAX; i++)
			fprintf(f, "%s\"%s\": %llu", i ? ", " : "",
				msh_violation_name(i), (unsigned long long)reasons[i]);
		fputs("}", f);
		return;
	}
	for (i = 0; i < __MAILSHIELD_VIOLATION_MAX; i++)
	{
		char key[48];

		snprintf(key, sizeof(key), "violations.%s", msh_violation_name(i));
		fprintf(f, "%-28s%llu\n", key, (unsigned long long)reasons[i]);
	}
}

void msh_print_flow(FILE *f, const struct msh_flow_row *fl, bool json,
		    bool first)
{
	char c[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	const char *st = fl->state < __MAILSHIELD_FLOW_STATE_MAX ?
			 state_names[fl->state] : "unknown";

	inet_ntop(fl->family, fl->client, c, sizeof(c));
	inet_ntop(fl->family, fl->server, s, sizeof(s));
	if (!json) {
		fprintf(f, "%s%s%s:%u -> %s%s%s:%u state=%s rx=%llu tx=%llu "
			"age=%us idle=%us pending=%u junk=%u violations=%u\n",
			fl->family == AF_INET6 ? "[" : "", c,
			fl->family == AF_INET6 ? "]" : "", fl->cport,
			fl->family == AF_INET6 ? "[" : "", s,
			fl->family == AF_INET6 ? "]" : "", fl->sport, st,
			(unsigned long long)fl->rx_bytes,
			(unsigned long long)fl->tx_bytes, fl->age, fl->idle,
			fl->pending, fl->junk, fl->violations);
		return;
	}
	fprintf(f, "%s{\"client\": \"%s\", \"client_port\": %u, "
		"\"server\": \"%s\", \"server_port\": %u, \"state\": \"%s\", "
		"\"rx_bytes\": %llu, \"tx_bytes\": %llu, \"age\": %u, "
		"\"idle\": %u, \"pending\": %u, \"junk\": %u, "
		"\"violations\": %u}",
		first ? "" : ", ", c, fl->cport, s, fl->sport, st,
		(unsigned long long)fl->rx_bytes,
		(unsigned long long)fl->tx_bytes, fl->age, fl->idle,
		fl->pending, fl->junk, fl->violations);
}

void msh_smtp_format_event(char *buf, size_t len, uint32_t reason,
			   const struct msh_viol_msg *v)
{
	char tmp[16];

	msh_kv(buf, len, "reason", msh_violation_name(reason));
	if (v->has_ports) {
		snprintf(tmp, sizeof(tmp), "%u", v->sport);
		msh_kv(buf, len, "sport", tmp);
		snprintf(tmp, sizeof(tmp), "%u", v->dport);
		msh_kv(buf, len, "dport", tmp);
	}
	msh_kv(buf, len, "action", v->logged ? "logged" : "blocked");
}
