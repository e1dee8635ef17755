// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient set's generations (recipients.h).
 */

#include "recipients.h"

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <asm/unaligned.h>

void msh_rcpt_net_init(struct msh_rcpt_net *rn)
{
	RCU_INIT_POINTER(rn->set, NULL);
	rn->pending = NULL;
	rn->commits = 0;
	mutex_init(&rn->lock);
}

void msh_rcpt_net_exit(struct msh_rcpt_net *rn)
{
	/* the hooks are gone and a grace period has passed (state.c) */
	kvfree(rcu_dereference_protected(rn->set, true));
	RCU_INIT_POINTER(rn->set, NULL);
	kvfree(rn->pending);
	rn->pending = NULL;
	mutex_destroy(&rn->lock);
}

int msh_rcpt_begin(struct msh_rcpt_net *rn, const struct msh_rcpt_cfg *cfg,
		   const u32 n[MSH_RCPT_KINDS], u32 max_addr, const char **msg)
{
	struct msh_rcpt_set *s;
	size_t total, bytes;

	if (n[MSH_RCPT_ADDR] > max_addr) {
		*msg = "more addresses than the policy's recipient maximum";
		return -E2BIG;
	}
	if (n[MSH_RCPT_DOMAIN] > MSH_RCPT_MAX_DOMAINS ||
	    n[MSH_RCPT_CATCHALL] > MSH_RCPT_MAX_DOMAINS) {
		*msg = "more domains than a set may hold (1048576 of each kind)";
		return -E2BIG;
	}
	if (cfg->ndelims > MAILSHIELD_RCPT_DELIM_MAX) {
		*msg = "too many delimiters";
		return -EINVAL;
	}
	total = (size_t)n[MSH_RCPT_ADDR] + n[MSH_RCPT_DOMAIN] +
		n[MSH_RCPT_CATCHALL];
	bytes = struct_size(s, h, total);
	s = kvmalloc(bytes, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!s) {
		*msg = "no memory for the recipient set";
		return -ENOMEM;
	}
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->bytes = bytes;
	memcpy(s->n, n, sizeof(s->n));
	s->tab[MSH_RCPT_ADDR] = s->h;
	s->tab[MSH_RCPT_DOMAIN] = s->h + n[MSH_RCPT_ADDR];
	s->tab[MSH_RCPT_CATCHALL] = s->tab[MSH_RCPT_DOMAIN] +
				    n[MSH_RCPT_DOMAIN];

	mutex_lock(&rn->lock);
	kvfree(rn->pending);
	rn->pending = s;
	mutex_unlock(&rn->lock);
	return 0;
}

static u64 msh_rcpt_at(const struct msh_rcpt_batch *b, u32 i)
{
	return get_unaligned((const u64 *)b->data + i);
}

/* One batch against the pending set; lock held. */
static int msh_rcpt_check(const struct msh_rcpt_set *s,
			  enum msh_rcpt_kind k, const struct msh_rcpt_batch *b,
			  const char **msg)
{
	u64 prev, cur;
	u32 i;

	if (!b->count)
		return 0;
	if (b->count > s->n[k] - s->filled[k]) {
		*msg = "more hashes than announced at begin";
		return -E2BIG;
	}
	prev = msh_rcpt_at(b, 0);
	if (s->filled[k] && prev <= s->tab[k][s->filled[k] - 1]) {
		*msg = "batch does not continue the previous one (not ascending)";
		return -EINVAL;
	}
	for (i = 1; i < b->count; i++) {
		cur = msh_rcpt_at(b, i);
		if (cur <= prev) {
			*msg = "hashes not strictly ascending";
			return -EINVAL;
		}
		prev = cur;
	}
	return 0;
}

int msh_rcpt_add(struct msh_rcpt_net *rn,
		 const struct msh_rcpt_batch b[MSH_RCPT_KINDS],
		 enum msh_rcpt_kind *bad, const char **msg)
{
	struct msh_rcpt_set *s;
	int k, ret = 0;

	mutex_lock(&rn->lock);
	s = rn->pending;
	if (!s) {
		*bad = MSH_RCPT_KINDS;
		*msg = "no recipient generation begun";
		ret = -ENOENT;
		goto out;
	}
	for (k = 0; k < MSH_RCPT_KINDS; k++) {
		ret = msh_rcpt_check(s, k, &b[k], msg);
		if (ret) {
			*bad = k;
			goto out;
		}
	}
	for (k = 0; k < MSH_RCPT_KINDS; k++) {
		memcpy(s->tab[k] + s->filled[k], b[k].data,
		       (size_t)b[k].count * sizeof(u64));
		s->filled[k] += b[k].count;
	}
out:
	mutex_unlock(&rn->lock);
	return ret;
}

int msh_rcpt_commit(struct msh_rcpt_net *rn, const char **msg)
{
	struct msh_rcpt_set *s, *old;
	int k;

	mutex_lock(&rn->lock);
	s = rn->pending;
	if (!s) {
		mutex_unlock(&rn->lock);
		*msg = "no recipient generation begun";
		return -ENOENT;
	}
	for (k = 0; k < MSH_RCPT_KINDS; k++) {
		if (s->filled[k] != s->n[k]) {
			mutex_unlock(&rn->lock);
			*msg = "recipient generation incomplete: hashes missing";
			return -EINVAL;
		}
	}
	s->generation = ++rn->commits;
	if (!s->generation)	/* 0 means "none": skip it on wrap */
		s->generation = ++rn->commits;
	s->committed = ktime_get_boottime_seconds();
	rn->pending = NULL;
	old = rcu_replace_pointer(rn->set, s, lockdep_is_held(&rn->lock));
	mutex_unlock(&rn->lock);
	if (old)
		kvfree_rcu(old, rcu);
	return 0;
}

void msh_rcpt_abort(struct msh_rcpt_net *rn)
{
	mutex_lock(&rn->lock);
	kvfree(rn->pending);
	rn->pending = NULL;
	mutex_unlock(&rn->lock);
}

void msh_rcpt_get_info(struct msh_rcpt_net *rn, struct msh_rcpt_info *out)
{
	const struct msh_rcpt_set *s;
	u64 now = ktime_get_boottime_seconds();

	memset(out, 0, sizeof(*out));
	mutex_lock(&rn->lock);
	s = rcu_dereference_protected(rn->set, lockdep_is_held(&rn->lock));
	if (s) {
		out->loaded = true;
		out->generation = s->generation;
		memcpy(out->n, s->n, sizeof(out->n));
		out->bytes = s->bytes;
		out->age_s = (u32)min_t(u64, now - s->committed, U32_MAX);
		out->flags = s->cfg.flags;
		out->ndelims = s->cfg.ndelims;
		memcpy(out->delims, s->cfg.delims, sizeof(out->delims));
	}
	if (rn->pending) {
		out->pending = true;
		out->bytes += rn->pending->bytes;
	}
	mutex_unlock(&rn->lock);
}
