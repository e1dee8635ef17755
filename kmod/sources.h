/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Per-source state: one bounded hash table per network namespace, keyed by
 * the source address masked to a prefix (IPv4 /32 and IPv6 /64 by default,
 * 8..32 and 32..128 configurable) plus the family. Each entry carries the
 * source's concurrent flows, a token bucket for new connections,
 * sliding-window counters (violations, invalid recipients, refused
 * connections), lifetime totals and a ban. 120 bytes per entry (one
 * kmalloc-128 object) plus 2 bytes of bucket array: 65536 sources cost
 * about 8.5 MiB.
 *
 * Intended call sites:
 *   netns init / exit        msh_sources_create() / msh_sources_destroy()
 *   SYN to a protected port  msh_sources_ban_check(): drop if ACTIVE (no
 *                            SYN-ACK is sent; nothing is created, so
 *                            spoofed SYNs cannot fill the table)
 *   valid cookie ACK (new    msh_sources_admit(): on OK the per-flow
 *   established connection)  state keeps *out; other verdicts refuse it
 *   flow end (FIN/RST/idle)  msh_source_flow_close(tbl, flow's entry)
 *   inspector violation      msh_source_count(.., MSH_COUNT_VIOLATION)
 *   unknown RCPT TO          msh_source_count(.., MSH_COUNT_BAD_RCPT)
 *   netlink                  msh_sources_configure(), _ban(), _unban(),
 *                            _dump(), _get_stats()
 * Every call that sets a ban or lifts an expired one says so (return value
 * or struct msh_admit_info) so that the caller can send the event; bans
 * that expire unseen are lifted by the GC, which reports them through the
 * expired_fn given to msh_sources_create().
 *
 * Full table: lookup_or_create returns MSH_SRC_FULL and counts it. With
 * full_action "admit" (the default) the connection goes on without
 * per-source accounting; with "refuse" it is refused. Admit is the default
 * because entries exist only for sources that completed a handshake, so a
 * full table means many real clients (or a large botnet) and refusing
 * every new source would turn the cap itself into a denial of service
 * against legitimate MTAs; known offenders keep their entries (banned or
 * busy entries are never collected) and stay limited. Manual bans may use
 * a reserve above the cap (max_entries / 64, at least 64) so that an
 * administrator can still ban during a flood; beyond it they fail with
 * -ENOSPC. A ban covers exactly one keying prefix.
 *
 * GC: a deferrable delayed work every gc_interval_s lifts expired bans and
 * frees entries with no flows, no ban, a full bucket, empty windows and no
 * activity for idle_timeout_s.
 *
 * Time is always passed in as "now", nanoseconds of
 * ktime_get_coarse_boottime_ns() (msh_now()), so that tests can simulate
 * time and so that a ban keeps running while the host is suspended.
 *
 * Contexts: everything except create, destroy and configure may be called
 * from softirq (the netfilter hooks) or process context (netlink
 * handlers); nothing sleeps, allocations are GFP_ATOMIC, locks are taken
 * with the _bh variants.
 *
 * Entry lifetime: a struct msh_source pointer is valid inside the
 * rcu_read_lock() section it was looked up in. A pointer for which
 * msh_source_admit() returned MSH_ADMIT_OK also stays valid, outside RCU,
 * until the matching msh_source_flow_close(): the GC never frees an entry
 * that has open flows. Only msh_sources_destroy() does, so the flow table
 * must be emptied before it.
 *
 * Memory is freed with kfree()/kfree_rcu() only: no call_rcu() callback
 * into module code, so module exit needs no rcu_barrier() on account of
 * this table (whoever adds call_rcu() callbacks elsewhere calls
 * rcu_barrier() in module_exit after unregister_pernet_subsys()).
 */

#ifndef _MSH_SOURCES_H
#define _MSH_SOURCES_H

#include <linux/bits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/netfilter.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/types.h>

#include "tbucket.h"

struct msh_sources;
struct msh_source;

/* Why a source is banned. Values only ever grow at the end. */
enum msh_ban_reason {
	MSH_BAN_NONE,
	MSH_BAN_MANUAL,		/* msh_sources_ban() from the control plane */
	MSH_BAN_RATE,		/* too many refusals for the connection rate */
	MSH_BAN_CONCURRENCY,	/* too many refusals for concurrent flows */
	MSH_BAN_VIOLATIONS,	/* protocol violations over the threshold */
	MSH_BAN_RECIPIENTS,	/* invalid recipients over the threshold */
	__MSH_BAN_MAX,
};

/* What to do with a new source when the table is at its cap. */
enum msh_full_action {
	MSH_FULL_ADMIT,		/* admit without per-source state, count it */
	MSH_FULL_REFUSE,	/* refuse the connection, count it */
};

/* Verdict of msh_source_admit() / msh_sources_admit(). */
enum msh_admit_verdict {
	MSH_ADMIT_OK,			/* accepted; a flow is now counted */
	MSH_ADMIT_BANNED,		/* the source is banned */
	MSH_ADMIT_OVER_CONCURRENCY,	/* max_conns flows already open */
	MSH_ADMIT_OVER_RATE,		/* token bucket empty */
	MSH_ADMIT_TABLE_FULL,		/* no entry, full_action is refuse */
	MSH_ADMIT_STALE,		/* entry being freed: look up again */
};

/* Result of msh_sources_lookup_or_create(). */
enum msh_lookup_result {
	MSH_SRC_FOUND,
	MSH_SRC_CREATED,
	MSH_SRC_FULL,		/* at the cap; counted in stats.full */
	MSH_SRC_NOMEM,		/* allocation failed; counted in stats.nomem */
	MSH_SRC_INVALID,	/* family is neither AF_INET nor AF_INET6 */
};

/* What msh_source_count() counts. */
enum msh_count_kind {
	MSH_COUNT_VIOLATION,	/* protocol violation by the source */
	MSH_COUNT_BAD_RCPT,	/* RCPT TO: an unknown recipient */
};

/* Result of msh_sources_ban_check(). */
enum msh_ban_state {
	MSH_BAN_STATE_NONE,	/* not banned */
	MSH_BAN_STATE_ACTIVE,	/* banned */
	MSH_BAN_STATE_EXPIRED,	/* was banned; this call lifted the ban */
};

/*
 * Limits applied per source, passed in on every call (the caller keeps
 * them in its RCU-protected policy). Zero disables a limit.
 */
struct msh_limits {
	u32 max_conns;		/* concurrent flows; 0: no cap */
	u32 rate_per_min;	/* new connections per minute; 0: no limit */
	u32 burst;		/* bucket depth in connections; 0 counts as 1 */
	u32 refuse_threshold;	/* refusals in window -> ban; 0: never */
	u32 violation_threshold; /* violations in window -> ban; 0: never */
	u32 rcpt_threshold;	/* invalid recipients in window -> ban; 0: never */
	u32 window_s;		/* sliding window length, 1..MSH_WINDOW_MAX_S */
	u32 ban_s;		/* automatic ban duration, 1..MSH_BAN_MAX_S */
	/* reports only: the windows of the violation and recipient counts */
	u32 viol_window_s;	/* 0: window_s */
	u32 rcpt_window_s;	/* 0: window_s */
};

#define MSH_WINDOW_MAX_S	86400U
#define MSH_THRESHOLD_MAX	65535U
#define MSH_RATE_MAX		1000000U
#define MSH_BURST_MAX		1000000U
#define MSH_BAN_MAX_S		(366U * 86400U)

/*
 * Table parameters, for create and for msh_sources_configure(). The bucket
 * array is sized once, at create (max_entries / 4 buckets, power of two):
 * a later larger cap only makes chains longer. A lower cap frees nothing;
 * new sources are refused until the GC brings the count under it. A new
 * keying prefix applies to lookups from then on; active bans are carried
 * over to the entry of the new prefix covering the old network address.
 */
struct msh_sources_config {
	u32 max_entries;	/* hard cap, 16..MSH_SOURCES_MAX_ENTRIES */
	u8 prefix4;		/* IPv4 keying prefix, 8..32 */
	u8 prefix6;		/* IPv6 keying prefix, 32..128 */
	u8 full_action;		/* enum msh_full_action */
	u32 idle_timeout_s;	/* free idle entries after this, >= 1 */
	u32 gc_interval_s;	/* GC period; 0: no GC work (tests) */
};

#define MSH_SOURCES_DEFAULT_MAX		65536U
#define MSH_SOURCES_MAX_ENTRIES		BIT(22)
#define MSH_SOURCES_DEFAULT_IDLE_S	600U
#define MSH_SOURCES_DEFAULT_GC_S	10U
#define MSH_IDLE_MAX_S			(7U * 86400U)

/* Counters of one table, read with msh_sources_get_stats(). */
struct msh_sources_stats {
	u64 entries;		/* current number of entries */
	u64 created;		/* entries created */
	u64 full;		/* creations refused at the cap */
	u64 nomem;		/* creations failed to allocate */
	u64 gc_freed;		/* idle entries freed by the GC */
	u64 bans;		/* bans set (manual and automatic) */
	u64 ban_expired;	/* bans lifted because they expired */
	u64 flow_underflow;	/* flow closes with no open flow (bug) */
};

/* Copy of one entry, for dumps and events. */
struct msh_source_info {
	union nf_inet_addr addr;	/* masked network address */
	u8 family;			/* AF_INET or AF_INET6 */
	u8 prefix_len;
	u8 ban_reason;			/* enum msh_ban_reason */
	u32 flows;
	u32 tokens;		/* whole connections left in the bucket */
	u32 violations;		/* window estimates */
	u32 bad_rcpts;
	u32 refusals;
	u32 violations_total;	/* since the entry was created, saturating */
	u32 bad_rcpts_total;
	u32 idle_s;		/* seconds since last activity */
	u64 ban_left_ms;	/* 0: not banned; U64_MAX: until unbanned */
};

/* Extra outcome of an accounting call, for events. */
struct msh_admit_info {
	u8 banned;	/* enum msh_ban_reason: this call set a new ban */
	u8 expired;	/* enum msh_ban_reason: this call lifted an expired ban */
};

/*
 * Called by the GC for each ban it lifts, under rcu_read_lock() with no
 * table lock held: must not sleep (genlmsg_multicast with GFP_ATOMIC is
 * fine).
 */
typedef void (*msh_source_event_fn)(void *ctx,
				    const struct msh_source_info *info);

/* Dump callback: return 0 to go on, non-zero to stop (message full). */
typedef int (*msh_source_dump_fn)(void *arg,
				  const struct msh_source_info *info);

#define MSH_DUMP_BANNED_ONLY	0x1

static inline u64 msh_now(void)
{
	return ktime_get_coarse_boottime_ns();
}

static inline u32 msh_secs(u64 now)
{
	return (u32)div_u64(now, NSEC_PER_SEC);
}

/* New connections per minute per source: the token bucket of tbucket.h. */
#define MSH_NSEC_PER_MIN	(60ULL * NSEC_PER_SEC)

static inline bool msh_tb_take(struct msh_tb *tb, u64 now, u32 rate_per_min,
			       u32 burst, u32 *full_in_s)
{
	return msh_tb_take_period(tb, now, MSH_NSEC_PER_MIN, rate_per_min,
				  burst, full_in_s);
}

/* Whole connections available now. */
static inline u32 msh_tb_available(const struct msh_tb *tb, u64 now,
				   u32 rate_per_min, u32 burst)
{
	return msh_tb_available_period(tb, now, MSH_NSEC_PER_MIN,
				       rate_per_min, burst);
}

/*
 * Sliding-window counter, two-bucket approximation: the count of the
 * current window (started at start_s) and of the previous one. At time t
 * the estimate is cur + prev * (len - (t - start_s)) / len: a burst inside
 * one window is never undercounted, and old events fade out linearly over
 * the next window. 8 bytes; counts saturate at 65535.
 */
struct msh_window {
	u32 start_s;
	u16 cur;
	u16 prev;
};

static inline void msh_window_roll(struct msh_window *w, u32 now_s, u32 len)
{
	u32 el = now_s - w->start_s;

	if (!w->cur && !w->prev) {	/* quiet: a window starts now */
		w->start_s = now_s;
		return;
	}
	if (el < len)
		return;
	if (el < 2 * len) {
		w->prev = w->cur;
		w->start_s += len;
	} else {
		w->prev = 0;
		w->start_s = now_s;
	}
	w->cur = 0;
}

/* len 0: no window known, return the upper bound cur + prev. */
static inline u32 msh_window_estimate(const struct msh_window *w, u32 now_s,
				      u32 len)
{
	u32 el = now_s - w->start_s;

	if (!len)
		return w->cur + w->prev;
	if (el >= 2 * len)
		return 0;
	if (el >= len)	/* cur has become the previous window */
		return (u32)div_u64((u64)w->cur * (2 * len - el), len);
	return w->cur + (u32)div_u64((u64)w->prev * (len - el), len);
}

/* Adds one event; returns the estimate including it. */
static inline u32 msh_window_add(struct msh_window *w, u32 now_s, u32 len)
{
	msh_window_roll(w, now_s, len);
	if (w->cur < U16_MAX)
		w->cur++;
	return msh_window_estimate(w, now_s, len);
}

static inline void msh_sources_config_default(struct msh_sources_config *cfg)
{
	cfg->max_entries = MSH_SOURCES_DEFAULT_MAX;
	cfg->prefix4 = 32;
	cfg->prefix6 = 64;
	cfg->full_action = MSH_FULL_ADMIT;
	cfg->idle_timeout_s = MSH_SOURCES_DEFAULT_IDLE_S;
	cfg->gc_interval_s = MSH_SOURCES_DEFAULT_GC_S;
}

static inline void msh_limits_default(struct msh_limits *lim)
{
	lim->max_conns = 20;
	lim->rate_per_min = 60;
	lim->burst = 20;
	lim->refuse_threshold = 100;
	lim->violation_threshold = 5;
	lim->rcpt_threshold = 20;
	lim->window_s = 600;
	lim->ban_s = 3600;
}

static inline int
msh_sources_config_check(const struct msh_sources_config *cfg, const char **msg)
{
	if (cfg->max_entries < 16 || cfg->max_entries > MSH_SOURCES_MAX_ENTRIES)
		*msg = "source table size must be 16..4194304";
	else if (cfg->prefix4 < 8 || cfg->prefix4 > 32)
		*msg = "IPv4 source prefix length must be 8..32";
	else if (cfg->prefix6 < 32 || cfg->prefix6 > 128)
		*msg = "IPv6 source prefix length must be 32..128";
	else if (cfg->full_action > MSH_FULL_REFUSE)
		*msg = "unknown full-table action";
	else if (!cfg->idle_timeout_s || cfg->idle_timeout_s > MSH_IDLE_MAX_S)
		*msg = "source idle timeout must be 1..604800 seconds";
	else if (cfg->gc_interval_s > 3600)
		*msg = "source GC interval must be 0..3600 seconds";
	else
		return 0;
	return -EINVAL;
}

static inline int msh_limits_check(const struct msh_limits *lim,
				   const char **msg)
{
	if (lim->rate_per_min > MSH_RATE_MAX)
		*msg = "connection rate must be 0..1000000 per minute";
	else if (lim->burst > MSH_BURST_MAX)
		*msg = "connection burst must be 0..1000000";
	else if (lim->refuse_threshold > MSH_THRESHOLD_MAX ||
		 lim->violation_threshold > MSH_THRESHOLD_MAX ||
		 lim->rcpt_threshold > MSH_THRESHOLD_MAX)
		*msg = "ban thresholds must be 0..65535";
	else if (!lim->window_s || lim->window_s > MSH_WINDOW_MAX_S)
		*msg = "counting window must be 1..86400 seconds";
	else if (!lim->ban_s || lim->ban_s > MSH_BAN_MAX_S)
		*msg = "ban duration must be 1..31622400 seconds";
	else
		return 0;
	return -EINVAL;
}

/* Process context (netns init / exit, netlink). */
struct msh_sources *msh_sources_create(const struct msh_sources_config *cfg,
				       msh_source_event_fn expired_fn,
				       void *ctx);
void msh_sources_destroy(struct msh_sources *tbl);
int msh_sources_configure(struct msh_sources *tbl,
			  const struct msh_sources_config *cfg, u64 now,
			  const char **msg);
void msh_sources_get_stats(struct msh_sources *tbl,
			   struct msh_sources_stats *st);
unsigned int msh_sources_gc(struct msh_sources *tbl, u64 now);

/* Any context; the lookups need rcu_read_lock(). */
struct msh_source *msh_sources_lookup(struct msh_sources *tbl, u8 family,
				      const union nf_inet_addr *addr);
enum msh_lookup_result
msh_sources_lookup_or_create(struct msh_sources *tbl, u8 family,
			     const union nf_inet_addr *addr, u64 now,
			     struct msh_source **out);
enum msh_full_action msh_sources_full_action(struct msh_sources *tbl);

enum msh_admit_verdict msh_source_admit(struct msh_sources *tbl,
					struct msh_source *src, u64 now,
					const struct msh_limits *lim,
					struct msh_admit_info *info);
void msh_source_flow_close(struct msh_sources *tbl, struct msh_source *src,
			   u64 now);
bool msh_source_count(struct msh_sources *tbl, struct msh_source *src,
		      u64 now, const struct msh_limits *lim,
		      enum msh_count_kind kind);
/* Whether @src is banned now (*reason: why); lifts nothing. */
bool msh_source_banned(struct msh_source *src, u64 now,
		       enum msh_ban_reason *reason);

/* Convenience wrappers that do their own RCU lookup. */
enum msh_ban_state msh_sources_ban_check(struct msh_sources *tbl, u8 family,
					 const union nf_inet_addr *addr,
					 u64 now, enum msh_ban_reason *reason);

/*
 * The whole decision for a source that just completed a handshake: look up
 * or create its entry and admit it. On MSH_ADMIT_OK, *out is the entry with
 * the new flow counted (NULL when the table is full or out of memory and
 * full_action is admit: the flow is admitted without per-source state). An
 * entry freed by the GC between lookup and lock is looked up again.
 */
static inline enum msh_admit_verdict
msh_sources_admit(struct msh_sources *tbl, u8 family,
		  const union nf_inet_addr *addr, u64 now,
		  const struct msh_limits *lim, struct msh_source **out,
		  struct msh_admit_info *info)
{
	enum msh_admit_verdict v = MSH_ADMIT_STALE;
	struct msh_source *e;
	int tries;

	*out = NULL;
	if (info)
		memset(info, 0, sizeof(*info));
	for (tries = 0; tries < 3 && v == MSH_ADMIT_STALE; tries++) {
		rcu_read_lock();
		switch (msh_sources_lookup_or_create(tbl, family, addr, now,
						     &e)) {
		case MSH_SRC_FOUND:
		case MSH_SRC_CREATED:
			v = msh_source_admit(tbl, e, now, lim, info);
			if (v == MSH_ADMIT_OK)
				*out = e;
			break;
		case MSH_SRC_FULL:
		case MSH_SRC_NOMEM:
		case MSH_SRC_INVALID:
			tries = 3;
			break;
		}
		rcu_read_unlock();
	}
	if (v != MSH_ADMIT_STALE)
		return v;
	return msh_sources_full_action(tbl) == MSH_FULL_REFUSE ?
		MSH_ADMIT_TABLE_FULL : MSH_ADMIT_OK;
}

/*
 * Control plane (usually netlink, process context; safe anywhere). The ban
 * covers the keying prefix containing addr; prefix_len is 0 or must equal
 * the keying prefix of the family (otherwise -EINVAL). duration_s 0 bans
 * until msh_sources_unban(). A ban of an unseen source creates its entry
 * (using the manual-ban reserve above the cap; -ENOSPC past it). An
 * existing ban is replaced. *msg is set on every error, for extack.
 */
int msh_sources_ban(struct msh_sources *tbl, u8 family,
		    const union nf_inet_addr *addr, u8 prefix_len, u64 now,
		    u32 duration_s, enum msh_ban_reason reason,
		    const char **msg);
int msh_sources_unban(struct msh_sources *tbl, u8 family,
		      const union nf_inet_addr *addr, u8 prefix_len,
		      const char **msg);

/*
 * Netlink dumps. cursor is &cb->args[0] (two longs, zero on the first
 * call). fn gets a copy of each entry (under RCU, no lock held; it must
 * not sleep) and returns non-zero when the message is full: the dump then
 * returns -EMSGSIZE with the cursor on that entry, to be resumed by the
 * next call; 0 means done. If nothing fitted into an empty message the
 * caller must fail instead of looping. Entries inserted or removed between
 * two calls may be missed or shown twice; msh_sources_seq() changes when
 * that can happen (cb->seq for nl_dump_check_consistent()).
 * MSH_DUMP_BANNED_ONLY skips entries without an active ban; lim (may be
 * NULL) is used to express tokens and window estimates.
 */
int msh_sources_dump(struct msh_sources *tbl, long *cursor, u64 now,
		     const struct msh_limits *lim, unsigned int flags,
		     msh_source_dump_fn fn, void *arg);
unsigned int msh_sources_seq(struct msh_sources *tbl);

#endif /* _MSH_SOURCES_H */
