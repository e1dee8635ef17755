/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * SMTP stream inspection in userspace: the [smtp] configuration section,
 * its netlink encoding, the GET_FLOWS dump, the per-reason violation
 * counters and the violation events.
 */
#ifndef MSH_SMTP_H
#define MSH_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/mailshield.h>

struct nlattr;
struct nl_msg;
struct msh_nl;

/* One per attribute MAILSHIELD_POLICY_A_MAX_FLOWS + n, in that order. */
enum msh_smtp_key {
	MSH_SK_MAX_FLOWS,
	MSH_SK_FLOWS_FULL,
	MSH_SK_FLOW_TIMEOUT,
	MSH_SK_CMD_LINE,
	MSH_SK_TEXT_LINE,
	MSH_SK_REPLY_LINE,
	MSH_SK_LOCAL_PART,
	MSH_SK_DOMAIN,
	MSH_SK_PATH,
	MSH_SK_AUTH_LINE,
	MSH_SK_MAX_JUNK,
	MSH_SK_VIOLATION_ACTION,
	MSH_SK_LOG_ONLY,
	MSH_SK_VIOLATION_BAN,
	MSH_SK_VIOLATION_WINDOW,
	MSH_SK_TLS_PORTS,
	MSH_SK_NUM
};

struct msh_smtp_cfg {
	uint32_t set;			/* bits of enum msh_smtp_key */
	uint32_t v[MSH_SK_NUM];
	unsigned int ntls;
	uint16_t tls[MAILSHIELD_MAX_PORTS];
};

/* The kernel's defaults, every field set. */
void msh_smtp_defaults(struct msh_smtp_cfg *c);

/*
 * One "key = value": returns 1 if section is not [smtp], 0 when taken,
 * -1 with a message in err for an unknown key or a bad value.
 */
int msh_smtp_conf(const char *section, const char *key, const char *value,
		  struct msh_smtp_cfg *c, char *err, size_t errlen);
/* The same for "mailshieldctl policy set KEY VALUE" (smtp. prefix). */
int msh_smtp_set_key(const char *key, const char *value,
		     struct msh_smtp_cfg *c, char *err, size_t errlen);

int msh_smtp_put_policy(struct nl_msg *msg, const struct msh_smtp_cfg *c);
void msh_smtp_parse_policy(struct nlattr **tb, struct msh_smtp_cfg *c);
void msh_smtp_print_text(FILE *f, const struct msh_smtp_cfg *c);
void msh_smtp_print_json(FILE *f, const struct msh_smtp_cfg *c);

const char *msh_violation_name(uint32_t reason);
int msh_violation_parse(const char *name);

/* Per-reason counters of the MAILSHIELD_STATS_A_VIOLATION_REASONS nest. */
void msh_smtp_parse_reasons(struct nlattr *nest, uint64_t *reasons);
void msh_smtp_print_reasons(FILE *f, const uint64_t *reasons, bool json);

/* GET_FLOWS */
struct msh_flow {
	int family;
	uint8_t client[16], server[16];
	uint16_t cport, sport;
	uint8_t state;
	uint64_t rx_bytes, tx_bytes;
	uint32_t age, idle, pending, junk, violations;
};

typedef void (*msh_flow_cb)(const struct msh_flow *f, void *arg);
int msh_nl_dump_flows(struct msh_nl *nl, msh_flow_cb cb, void *arg);
void msh_print_flow(FILE *f, const struct msh_flow *fl, bool json,
		    bool first);

/* VIOLATION events: the fields beyond ADDR and REASON. */
struct msh_viol_event {
	bool has_ports;
	uint16_t sport, dport;
	bool logged;
};

void msh_smtp_parse_event(struct nlattr **et, struct msh_viol_event *v);
void msh_smtp_format_event(char *buf, size_t len, uint32_t reason,
			   const struct msh_viol_event *v);

#endif /* MSH_SMTP_H */
