/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * SMTP stream inspection in userspace: the GET_FLOWS dump, the per-reason
 * violation counters and the violation events. The [smtp] knobs are in
 * knobs.h with every other knob.
 */
#ifndef MSH_INSPECTION_H
#define MSH_INSPECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>
#include <linux/mailshield.h>

struct nlattr;
struct nl_msg;
struct msh_nl;

/* Per-reason counters of the MAILSHIELD_STATS_A_VIOLATION_REASONS nest. */
void msh_smtp_parse_reasons(struct nlattr *nest, uint64_t *reasons);
void msh_smtp_print_reasons(FILE *f, const uint64_t *reasons);

/* GET_FLOWS */
struct msh_flow_row {
	int family;
	uint8_t client[16], server[16];
	uint16_t cport, sport;
	uint8_t state;
	uint64_t rx_bytes, tx_bytes;
	uint32_t age, idle, pending, junk, violations;
};

typedef void (*msh_flow_cb)(const struct msh_flow_row *f, void *arg);
int msh_req_dump_flows(struct msh_nl *nl, msh_flow_cb cb, void *arg);
void msh_print_flow(FILE *f, const struct msh_flow_row *fl);
json_object *msh_flow_json(const struct msh_flow_row *fl);

/* VIOLATION events: the fields beyond ADDR and REASON. */
struct msh_viol_msg {
	bool has_ports;
	uint16_t sport, dport;
	bool logged;
	uint32_t count;		/* RECIPIENT events: unknown recipients */
};

void msh_smtp_parse_event(struct nlattr **et, struct msh_viol_msg *v);
/* " reason=... unknown=N sport=.. dport=.. action=logged" of RECIPIENT */
void msh_rcpt_format_event(char *buf, size_t len, uint32_t why,
			   const struct msh_viol_msg *v);
void msh_smtp_format_event(char *buf, size_t len, uint32_t reason,
			   const struct msh_viol_msg *v);

#endif /* MSH_INSPECTION_H */
