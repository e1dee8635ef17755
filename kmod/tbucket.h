/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The one token bucket: new connections per source (sources.c) and events
 * per namespace (events.c) are limited by it. (The SYN-ACK budget,
 * synack.c, is a per-second window counter instead: lockless in 8 bytes
 * per bucket, and a proven prefix may use up to ten times the window even
 * after a flood on its bucket spent the base share, which credit shared
 * by all the prefixes of a bucket cannot give.)
 *
 * The credit is kept in nanoseconds: it grows by the time elapsed, one
 * token costs period / rate, and the credit is capped at cost * burst.
 * Refill is lazy (on use) and all integer; a new (or zeroed) bucket is
 * full. Pure functions of "now", so that tests drive them with simulated
 * time; the caller serialises the updates of one bucket.
 */

#ifndef _MSH_TBUCKET_H
#define _MSH_TBUCKET_H

#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/time64.h>
#include <linux/types.h>

struct msh_tb {
	u64 tokens;		/* credit, ns */
	u64 refill_at;		/* ns */
};

static inline void msh_tb_init(struct msh_tb *tb, u64 now)
{
	tb->tokens = U64_MAX;	/* clamped to the burst on first use */
	tb->refill_at = now;
}

/* Cost of one token; *max gets the cap. rate must not be 0. */
static inline u64 msh_tb_cost(u64 period_ns, u32 rate, u32 burst, u64 *max)
{
	u64 cost = max_t(u64, div_u64(period_ns, rate), 1);

	if (check_mul_overflow(cost, (u64)max_t(u32, burst, 1), max))
		*max = U64_MAX;
	return cost;
}

static inline u64 msh_tb_level(const struct msh_tb *tb, u64 now, u64 max)
{
	u64 t = tb->tokens;

	if (now > tb->refill_at) {
		u64 el = now - tb->refill_at;

		t = (U64_MAX - t < el) ? U64_MAX : t + el;
	}
	return min(t, max);
}

/*
 * Takes one token if there is one (always, with rate 0: no limit).
 * @full_in_s, if not NULL, gets the seconds until the bucket is full again.
 */
static inline bool msh_tb_take_period(struct msh_tb *tb, u64 now,
				      u64 period_ns, u32 rate, u32 burst,
				      u32 *full_in_s)
{
	u64 max, cost, t;
	bool ok;

	if (full_in_s)
		*full_in_s = 0;
	if (!rate)
		return true;
	cost = msh_tb_cost(period_ns, rate, burst, &max);
	t = msh_tb_level(tb, now, max);
	if (now > tb->refill_at)
		tb->refill_at = now;
	ok = t >= cost;
	if (ok)
		t -= cost;
	tb->tokens = t;
	if (full_in_s)
		*full_in_s = (u32)min_t(u64, DIV_ROUND_UP_ULL(max - t,
							      NSEC_PER_SEC),
					U32_MAX / 2);
	return ok;
}

/* Whole tokens available now (0 with rate 0). */
static inline u32 msh_tb_available_period(const struct msh_tb *tb, u64 now,
					  u64 period_ns, u32 rate, u32 burst)
{
	u64 max, cost;

	if (!rate)
		return 0;
	cost = msh_tb_cost(period_ns, rate, burst, &max);
	return (u32)div64_u64(msh_tb_level(tb, now, max), cost);
}

#endif /* _MSH_TBUCKET_H */
