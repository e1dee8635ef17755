/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Allowlist: a small set of IPv4 and IPv6 CIDRs (backup MX, monitoring)
 * whose sources bypass the per-source limits and bans. The hooks read it
 * under RCU; the control plane replaces it as a whole: it builds a new set
 * with msh_allowlist_set_alloc() / msh_allowlist_set_add(), then swaps it
 * in with msh_allowlist_commit(). The old set serves until the swap.
 */

#ifndef _MSH_ALLOWLIST_H
#define _MSH_ALLOWLIST_H

#include <linux/netfilter.h>
#include <linux/types.h>

#define MSH_ALLOWLIST_MAX	256U

struct msh_allowlist;
struct msh_allowlist_set;

/* One CIDR as the control plane passes it in and gets it back. */
struct msh_cidr {
	union nf_inet_addr addr;	/* network address, host bits zero */
	u8 family;			/* AF_INET or AF_INET6 */
	u8 prefix_len;			/* 1..32 or 1..128 */
};

/* Per network namespace; process context. */
struct msh_allowlist *msh_allowlist_create(void);
void msh_allowlist_destroy(struct msh_allowlist *al);

/* Hook path: caller holds rcu_read_lock() (the hooks always do). */
bool msh_allowlist_match(const struct msh_allowlist *al, u8 family,
			 const union nf_inet_addr *addr);

/* Building a replacement; process context. */
int msh_allowlist_check(const struct msh_cidr *c, const char **msg);
struct msh_allowlist_set *msh_allowlist_set_alloc(unsigned int n);
int msh_allowlist_set_add(struct msh_allowlist_set *set,
			  const struct msh_cidr *c, const char **msg);
void msh_allowlist_set_free(struct msh_allowlist_set *set);
void msh_allowlist_commit(struct msh_allowlist *al,
			  struct msh_allowlist_set *set);
int msh_allowlist_replace(struct msh_allowlist *al,
			  const struct msh_cidr *cidrs, unsigned int n,
			  unsigned int *bad_idx, const char **msg);

/* Copies up to max entries (IPv4 first) for a GET reply. */
unsigned int msh_allowlist_get(struct msh_allowlist *al,
			       struct msh_cidr *out, unsigned int max);
unsigned int msh_allowlist_count(struct msh_allowlist *al);

#endif /* _MSH_ALLOWLIST_H */
