// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Records of inspected client bytes not yet acknowledged; see inflight.h.
 */

#include <linux/math64.h>
#include <net/tcp.h>

#include "inflight.h"

u64 msh_hash_key(u32 rnd_hi, u32 rnd_lo)
{
	u64 k = ((u64)rnd_hi << 32 | rnd_lo) & MSH_HASH_P;

	/* 0, 1 and P - 1 make weak points */
	return k < 2 || k == MSH_HASH_P - 1 ? 0x1234567 : k;
}

/* Horner's rule: h = h * key + (byte + 1), modulo P. */
u64 msh_hash_update(u64 h, u64 key, const u8 *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		h = msh_hash_mulmod(h, key) + p[i] + 1;
		if (h >= MSH_HASH_P)
			h -= MSH_HASH_P;
	}
	return h;
}

u32 msh_inflight_start(struct msh_inflight *inf, unsigned int i)
{
	return i ? msh_inflight_at(inf, i - 1)->end : inf->base;
}

void msh_inflight_push(struct msh_inflight *inf, u32 end, u64 sum)
{
	struct msh_inflight_rec *r;

	if (inf->n == MSH_INFLIGHT_MAX)
		return;
	r = msh_inflight_at(inf, inf->n);
	r->end = end;
	r->sum = sum;
	r->partial = false;
	inf->n++;
}

void msh_inflight_ack(struct msh_inflight *inf, u32 ack)
{
	struct msh_inflight_rec *r;

	if (!after(ack, inf->base))
		return;
	while (inf->n) {
		r = msh_inflight_at(inf, 0);
		if (after(r->end, ack)) {
			r->partial = true;
			break;
		}
		inf->head = (inf->head + 1) % MSH_INFLIGHT_MAX;
		inf->n--;
	}
	inf->base = ack;
}

int msh_inflight_cover(struct msh_inflight *inf, u32 seq, u32 end,
		       unsigned int *count)
{
	unsigned int i, first = 0, n = 0;
	struct msh_inflight_rec *r;
	u32 start;

	*count = 0;
	if (before(seq, inf->base))
		seq = inf->base;
	for (i = 0; i < inf->n; i++) {
		r = msh_inflight_at(inf, i);
		start = msh_inflight_start(inf, i);
		/* no overlap with [seq, end) */
		if (!after(r->end, seq) || !before(start, end))
			continue;
		/* overlap: it must be covered whole */
		if (r->partial || before(start, seq) || after(r->end, end))
			return -1;
		if (!n)
			first = i;
		n++;
	}
	*count = n;
	return first;
}
