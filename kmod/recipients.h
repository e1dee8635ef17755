/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient set of a network namespace (directory-harvest defence):
 * the key and normalisation of the set, and three sorted arrays of 64-bit
 * SipHash values (valid addresses, protected domains, catch-all domains),
 * in one kvmalloc'ed block charged to the uploading process's memory
 * cgroup: 8 bytes per hash plus a header. Never an address.
 *
 * The running set sits behind an RCU pointer; the hooks look hashes up
 * with a binary search under rcu_read_lock(). A new generation is built
 * beside it under the namespace's recipient mutex (begin, add..., commit
 * or abort, from netlink) and swapped in whole on commit: a lookup sees
 * the old set or the new one, never a half-filled one. The old set is
 * freed with kvfree_rcu().
 */

#ifndef _MSH_RECIPIENTS_H
#define _MSH_RECIPIENTS_H

#include <linux/bits.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "rcpt_hash.h"

enum msh_rcpt_kind {
	MSH_RCPT_ADDR,		/* address hashes */
	MSH_RCPT_DOMAIN,	/* protected domains */
	MSH_RCPT_CATCHALL,	/* catch-all domains */
	MSH_RCPT_KINDS
};

/* Most protected and most catch-all domains a set may hold (each). */
#define MSH_RCPT_MAX_DOMAINS	BIT(20)

struct msh_rcpt_set {
	struct rcu_head rcu;
	struct msh_rcpt_cfg cfg;
	u32 generation;		/* commit number, 0 while pending */
	u64 committed;		/* boot time of the commit, seconds */
	size_t bytes;		/* the whole allocation */
	u32 n[MSH_RCPT_KINDS];	/* announced at begin */
	u32 filled[MSH_RCPT_KINDS];
	u64 *tab[MSH_RCPT_KINDS];	/* into h[] */
	u64 h[];
};

struct msh_rcpt_net {
	struct msh_rcpt_set __rcu *set;	/* running, or NULL */
	/* serialises the writers; protects pending and commits */
	struct mutex lock;
	struct msh_rcpt_set *pending;	/* being built, or NULL */
	u32 commits;
	/*
	 * netlink port id of the socket whose RCPT_BEGIN made pending, 0 if
	 * none: its ADD, COMMIT and ABORT only (netlink_recipients.c; the genl
	 * mutex serialises the handlers)
	 */
	u32 owner;
};

/* What GET_RECIPIENTS reports. */
struct msh_rcpt_info {
	bool loaded;		/* a set is running */
	bool pending;
	u32 generation;
	u32 n[MSH_RCPT_KINDS];
	u64 bytes;		/* running set plus pending one */
	u32 age_s;
	u32 flags;
	u8 ndelims;
	u8 delims[MAILSHIELD_RCPT_DELIM_MAX];
};

/* netns init / exit (process context; exit: no hook runs any more). */
void msh_rcpt_net_init(struct msh_rcpt_net *rn);
void msh_rcpt_net_exit(struct msh_rcpt_net *rn);

/*
 * The writers, process context. Each returns 0 or a negative errno with
 * *msg set; a failing call changes nothing (begin: the pending generation
 * it would replace is kept).
 *
 * begin: a new pending generation for exactly n[] hashes (replacing one
 * that was begun); over max_addr addresses or MSH_RCPT_MAX_DOMAINS
 * domains of a kind it is refused.
 */
int msh_rcpt_begin(struct msh_rcpt_net *rn, const struct msh_rcpt_cfg *cfg,
		   const u32 n[MSH_RCPT_KINDS], u32 max_addr, const char **msg);

/* One batch of hashes of one kind, for msh_rcpt_add(). */
struct msh_rcpt_batch {
	const void *data;	/* packed u64, host order, maybe unaligned */
	u32 count;
};

/*
 * add: each batch (count 0 = none of that kind) must be strictly
 * ascending, start above the last hash added of its kind and fit what
 * begin announced. All batches are checked before any is stored; *bad is
 * the kind that failed.
 */
int msh_rcpt_add(struct msh_rcpt_net *rn,
		 const struct msh_rcpt_batch b[MSH_RCPT_KINDS],
		 enum msh_rcpt_kind *bad, const char **msg);
/* commit: the pending generation, complete, becomes the running set. */
int msh_rcpt_commit(struct msh_rcpt_net *rn, const char **msg);
/* abort: drops the pending generation, if any (never fails). */
void msh_rcpt_abort(struct msh_rcpt_net *rn);

void msh_rcpt_get_info(struct msh_rcpt_net *rn, struct msh_rcpt_info *out);

/* Under rcu_read_lock(): the running set, or NULL. */
static inline const struct msh_rcpt_set *
msh_rcpt_running(struct msh_rcpt_net *rn)
{
	return rcu_dereference(rn->set);
}

/* Whether @h is in the array of @kind of @s. */
static inline bool msh_rcpt_has(const struct msh_rcpt_set *s,
				enum msh_rcpt_kind kind, u64 h)
{
	const u64 *t = s->tab[kind];
	u32 lo = 0, hi = s->n[kind];

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (t[mid] == h)
			return true;
		if (t[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

#endif /* _MSH_RECIPIENTS_H */
