/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Connection admission in userspace: the [limits], [bans] and [allowlist]
 * configuration, its netlink encoding, the source/ban/allowlist requests
 * and their printers, and the ban/unban events.
 */
#ifndef MSH_ADMIT_H
#define MSH_ADMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/mailshield.h>

struct nlattr;
struct nl_msg;
struct msh_nl;

/* Admission fields of the policy; one bit of .set per field. */
enum msh_admit_key {
	MSH_AK_SYNCOOKIES,
	MSH_AK_PREFIX4,
	MSH_AK_PREFIX6,
	MSH_AK_MAX_CONNS,
	MSH_AK_RATE,
	MSH_AK_BURST,
	MSH_AK_SYNACK_RATE,
	MSH_AK_MAX_SOURCES,
	MSH_AK_SOURCES_FULL,
	MSH_AK_BAN_ACTION,
	MSH_AK_BAN_TIME,
	MSH_AK_EXEMPT_LOCAL,
	MSH_AK_NUM
};

struct msh_admit_cfg {
	uint32_t set;		/* bits of enum msh_admit_key */
	bool syncookies;
	bool exempt_local;	/* loopback and own addresses: no limits, bans */
	uint8_t prefix4;
	uint8_t prefix6;
	uint8_t sources_full;	/* enum mailshield_full_action */
	uint8_t ban_action;	/* enum mailshield_ban_action */
	uint32_t max_conns;
	uint32_t rate;
	uint32_t burst;
	uint32_t synack_rate;
	uint32_t max_sources;
	uint32_t ban_time;
};

#define MSH_ALLOW_MAX	256

struct msh_cidr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint8_t plen;		/* 0: not given */
};

struct msh_allowlist {
	unsigned int n;
	struct msh_cidr e[MSH_ALLOW_MAX];
};

/* Defaults, the same as the kernel's: every field set. */
void msh_admit_defaults(struct msh_admit_cfg *a);

/*
 * Value parsers; 0 or -1 with a message in err.
 * msh_parse_cidr: ADDR or ADDR/LEN, IPv4 or IPv6. With need_net, host bits
 * beyond LEN are refused and a missing LEN means the full length.
 * msh_parse_duration: N, Ns, Nm, Nh, Nd (seconds, minutes...).
 */
int msh_parse_cidr(const char *s, struct msh_cidr *c, bool need_net,
		   char *err, size_t errlen);
int msh_parse_duration(const char *s, uint32_t *out, char *err, size_t errlen);
char *msh_format_cidr(const struct msh_cidr *c, char *buf, size_t len);

/*
 * Add one CIDR (as msh_parse_cidr with need_net) to al. 0, or -1 with a
 * message in err for a bad CIDR, an entry already in al, or a full list
 * (MSH_ALLOW_MAX entries, the kernel's limit).
 */
int msh_allowlist_add(struct msh_allowlist *al, const char *s, char *err,
		      size_t errlen);

/*
 * One "key = value" of the config file. Returns 1 if section is not one
 * of [limits], [bans], [allowlist]; 0 when the entry was taken; -1 with a
 * message in err for an unknown key or a bad value. Each [allowlist] allow
 * adds its entries to al (al->n starts at 0 for a new file); allow_file
 * is the caller's (config.c), which reads the file and calls
 * msh_allowlist_add() per line.
 */
int msh_admit_conf(const char *section, const char *key, const char *value,
		   struct msh_admit_cfg *a, struct msh_allowlist *al,
		   char *err, size_t errlen);
/* mailshieldctl "policy set KEY VALUE" for the admission keys; as above. */
int msh_admit_set_key(const char *key, const char *value,
		      struct msh_admit_cfg *a, char *err, size_t errlen);

/* Netlink: inside / from the MAILSHIELD_A_POLICY nest. */
int msh_admit_put_policy(struct nl_msg *msg, const struct msh_admit_cfg *a);
void msh_admit_parse_policy(struct nlattr **tb, struct msh_admit_cfg *a);

/* One per-source entry of a dump. */
struct msh_source {
	struct msh_cidr net;
	uint32_t flows, tokens, violations, bad_rcpts, refusals;
	uint32_t violations_total, bad_rcpts_total, idle_s, ban_reason;
	bool banned;
	uint64_t ban_left_ms;	/* UINT64_MAX: until unbanned */
};

typedef void (*msh_source_cb)(const struct msh_source *s, void *arg);

int msh_nl_dump_sources(struct msh_nl *nl, bool bans_only, msh_source_cb cb,
			void *arg);
int msh_nl_ban(struct msh_nl *nl, const struct msh_cidr *c, bool has_duration,
	       uint32_t duration_s);
int msh_nl_unban(struct msh_nl *nl, const struct msh_cidr *c);
int msh_nl_set_allowlist(struct msh_nl *nl, const struct msh_allowlist *al);
int msh_nl_get_allowlist(struct msh_nl *nl, struct msh_allowlist *al);

const char *msh_ban_reason_name(uint32_t reason);

void msh_print_source(FILE *f, const struct msh_source *s, bool json,
		      bool first);
void msh_print_allowlist(FILE *f, const struct msh_allowlist *al, bool json);
/* Text lines / JSON members ("key": value, ...) of the admission policy. */
void msh_admit_print_text(FILE *f, const struct msh_admit_cfg *a);
void msh_admit_print_json(FILE *f, const struct msh_admit_cfg *a);

/* Ban / unban event fields. */
struct msh_ban_event {
	bool has_addr;
	struct msh_cidr addr;
	bool has_reason;
	uint32_t reason;
	bool has_duration;
	uint32_t duration;
};

void msh_admit_parse_event(struct nlattr **et, struct msh_ban_event *b);
/* Appends " addr=... prefix=... reason=... duration=..." to a log line. */
void msh_admit_format_event(char *buf, size_t len,
			    const struct msh_ban_event *b);

#endif /* MSH_ADMIT_H */
