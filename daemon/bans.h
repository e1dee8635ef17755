/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Connection admission in userspace: the [allowlist] configuration, the
 * source/ban/allowlist requests and their printers, and the ban/unban
 * events. The admission knobs are in knobs.h with every other knob.
 */
#ifndef MSH_BANS_H
#define MSH_BANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>
#include <linux/mailshield.h>

struct nlattr;
struct nl_msg;
struct msh_nl;

#define MSH_ALLOW_MAX	256

struct msh_prefix {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint8_t plen;		/* 0: not given */
};

struct msh_allow_cfg {
	unsigned int n;
	struct msh_prefix e[MSH_ALLOW_MAX];
};

/*
 * ADDR or ADDR/LEN, IPv4 or IPv6; 0 or -1 with a message in err. With
 * need_net, host bits beyond LEN are refused and a missing LEN means the
 * full length.
 */
int msh_parse_cidr(const char *s, struct msh_prefix *c, bool need_net,
		   char *err, size_t errlen);
char *msh_format_cidr(const struct msh_prefix *c, char *buf, size_t len);

/*
 * Add one CIDR (as msh_parse_cidr with need_net) to al. 0, or -1 with a
 * message in err for a bad CIDR, an entry already in al, or a full list
 * (MSH_ALLOW_MAX entries, the kernel's limit).
 */
int msh_allowlist_add(struct msh_allow_cfg *al, const char *s, char *err,
		      size_t errlen);

/*
 * One "key = value" of [allowlist] other than allow_file (config.c reads
 * that file and calls msh_allowlist_add() per line): each allow adds its
 * entries to al. 0, or -1 with a message in err.
 */
int msh_allowlist_conf(const char *key, const char *value,
		       struct msh_allow_cfg *al, char *err, size_t errlen);

/* One per-source entry of a dump. */
struct msh_source_row {
	struct msh_prefix net;
	uint32_t flows, tokens, violations, bad_rcpts, refusals;
	uint32_t violations_total, bad_rcpts_total, idle_s, ban_reason;
	bool banned;
	uint64_t ban_left_ms;	/* UINT64_MAX: until unbanned */
};

typedef void (*msh_source_cb)(const struct msh_source_row *s, void *arg);

int msh_req_dump_sources(struct msh_nl *nl, bool bans_only, msh_source_cb cb,
			void *arg);
int msh_req_ban(struct msh_nl *nl, const struct msh_prefix *c, bool has_duration,
	       uint32_t duration_s);
int msh_req_unban(struct msh_nl *nl, const struct msh_prefix *c);
int msh_req_set_allowlist(struct msh_nl *nl, const struct msh_allow_cfg *al);
int msh_req_get_allowlist(struct msh_nl *nl, struct msh_allow_cfg *al);

const char *msh_ban_reason_name(uint32_t reason);

json_object *msh_source_json(const struct msh_source_row *s);
void msh_print_source(FILE *f, const struct msh_source_row *s);
void msh_print_allowlist(FILE *f, const struct msh_allow_cfg *al, bool json);

/* Ban / unban event fields. */
struct msh_ban_msg {
	bool has_addr;
	struct msh_prefix addr;
	bool has_reason;
	uint32_t reason;
	bool has_duration;
	uint32_t duration;
};

void msh_ban_parse_event(struct nlattr **et, struct msh_ban_msg *b);
/* Appends " addr=... prefix=... reason=... duration=..." to a log line. */
void msh_ban_format_event(char *buf, size_t len,
			    const struct msh_ban_msg *b);

#endif /* MSH_BANS_H */
