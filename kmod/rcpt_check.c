// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The check of every RCPT TO. The hooks run inside the parser, under the
 * flow lock and RCU, in softirq or in process context with bottom halves
 * off: nothing here sleeps or allocates beyond GFP_ATOMIC (a new source
 * entry). The source table's locks nest inside the flow lock; the sources
 * never take a flow lock. The ban event goes out after the flow lock is
 * released (msh_rcpt_flush()).
 *
 * Verdict of an RCPT TO, when a set is running:
 *  - null path, no domain (<postmaster>): not looked at;
 *  - domain in the catch-alls: checked, valid;
 *  - domain protected: checked; an address not in the set (or not
 *    hashable: overlong or malformed local part) is unknown and counts
 *    against the source;
 *  - any other domain (or one over 255 octets): outside, left to the MTA;
 *  - a set swapped in while the path was being parsed: not looked at.
 * In ban mode, the count that reaches the threshold bans the source and
 * holds the RCPT line's final byte back (MSH_SMTP_HOLD): the inspector
 * answers 421 4.7.1 and closes. Every later RCPT TO of a source banned for
 * recipients is held back too, so parallel connections of a harvester end
 * at their next RCPT. Log mode counts and never bans.
 *
 * Learn mode: the final reply to an RCPT that is 550 with the enhanced
 * status 5.1.1 or 5.1.0 counts as an unknown recipient, unless the set
 * counted that RCPT already.
 */

#include "rcpt_check.h"
#include "admit.h"
#include "events.h"
#include "flows.h"
#include "netns.h"
#include "policy.h"
#include "recipients.h"
#include "sources.h"
#include "stats.h"

#include <linux/minmax.h>
#include <net/netlink.h>

static void msh_rcpt_stat(struct msh_net *mn, enum msh_stat idx)
{
	msh_stats_count(mn->stats, idx, 1);
}

static bool msh_rcpt_ban_mode(const struct msh_rcpt_ctx *rc)
{
	return rc->p->rcpt.mode == MAILSHIELD_RCPT_BAN;
}

/*
 * One unknown recipient against the client's source entry. Returns true
 * if the RCPT must not reach the MTA (the source is banned for it).
 */
static bool msh_rcpt_count(struct msh_rcpt_ctx *rc)
{
	const struct msh_flow_key *k = &rc->f->key;
	struct msh_sources *tbl = rc->mn->admit.sources;
	const struct msh_policy *p = rc->p;
	enum msh_ban_reason reason;
	struct msh_source *src;
	struct msh_limits lim;
	u64 now = msh_now();

	if (!tbl || msh_admit_exempt(rc->mn, p, k->family, &k->caddr))
		return false;
	rc->unknown += rc->unknown < U16_MAX;
	if (msh_sources_lookup_or_create(tbl, k->family, &k->caddr, now,
					 &src) > MSH_SRC_CREATED)
		return false;
	msh_limits_default(&lim);
	lim.rcpt_threshold = msh_rcpt_ban_mode(rc) ? p->rcpt.threshold : 0;
	lim.window_s = clamp_t(u32, p->rcpt.window, 1, MSH_WINDOW_MAX_S);
	lim.ban_s = p->admit.ban_time;
	if (msh_source_count(tbl, src, now, &lim, MSH_COUNT_BAD_RCPT)) {
		rc->banned = true;
		rc->ban_s = lim.ban_s;
		return true;
	}
	return msh_rcpt_ban_mode(rc) && msh_source_banned(src, now, &reason) &&
	       reason == MSH_BAN_RECIPIENTS;
}

/* Whether the client's source is banned for recipients (ban mode). */
static bool msh_rcpt_source_banned(struct msh_rcpt_ctx *rc)
{
	const struct msh_flow_key *k = &rc->f->key;
	struct msh_sources *tbl = rc->mn->admit.sources;
	enum msh_ban_reason reason;
	struct msh_source *src;

	if (!tbl || !msh_rcpt_ban_mode(rc))
		return false;
	src = msh_sources_lookup(tbl, k->family, &k->caddr);
	return src && msh_source_banned(src, msh_now(), &reason) &&
	       reason == MSH_BAN_RECIPIENTS &&
	       !msh_admit_exempt(rc->mn, rc->p, k->family, &k->caddr);
}

static void msh_rcpt_path_byte(void *ctx, enum msh_smtp_path_kind kind,
			       enum msh_smtp_path_part part, u8 c)
{
	struct msh_rcpt_ctx *rc = ctx;

	if (kind == MSH_SMTP_PATH_RCPT && rc->set)
		msh_rcpt_hash_byte(&rc->f->rcpt.h, &rc->set->cfg,
				   rc->set->generation, part, c);
}

/* The set's verdict on a complete path: true if unknown. */
static bool msh_rcpt_lookup(struct msh_rcpt_ctx *rc)
{
	const struct msh_rcpt_set *s = rc->set;
	unsigned int got;
	u64 ah, dh;

	got = msh_rcpt_hash_final(&rc->f->rcpt.h, s->generation, &ah, &dh);
	if (got & MSH_RCPT_H_STALE)
		return false;
	if (!(got & MSH_RCPT_H_DOMAIN) ||
	    (!msh_rcpt_has(s, MSH_RCPT_CATCHALL, dh) &&
	     !msh_rcpt_has(s, MSH_RCPT_DOMAIN, dh))) {
		msh_rcpt_stat(rc->mn, MSH_STAT_RCPT_OUTSIDE);
		return false;
	}
	msh_rcpt_stat(rc->mn, MSH_STAT_RCPT_CHECKED);
	if (msh_rcpt_has(s, MSH_RCPT_CATCHALL, dh) ||
	    ((got & MSH_RCPT_H_ADDR) && msh_rcpt_has(s, MSH_RCPT_ADDR, ah)))
		return false;
	msh_rcpt_stat(rc->mn, MSH_STAT_RCPT_UNKNOWN);
	return true;
}

static void msh_rcpt_learn_push(struct msh_rcpt_flow *rf, bool skip)
{
	if (rf->nskip >= MSH_RCPT_LEARN_QUEUE)
		return;	/* replies beyond it may be learned twice */
	if (skip)
		rf->skip |= 1ULL << rf->nskip;
	rf->nskip++;
}

static u32 msh_rcpt_path_check(void *ctx, const struct msh_smtp_path_info *pi)
{
	struct msh_rcpt_ctx *rc = ctx;
	struct msh_rcpt_flow *rf = &rc->f->rcpt;
	bool nodomain, unknown = false;

	if (pi->kind != MSH_SMTP_PATH_RCPT || !pi->command) {
		msh_rcpt_hash_reset(&rf->h);
		return 0;
	}
	nodomain = pi->flags & (MSH_SMTP_PF_NULL | MSH_SMTP_PF_NO_DOMAIN);
	if (rc->set && !nodomain)
		unknown = msh_rcpt_lookup(rc);
	msh_rcpt_hash_reset(&rf->h);
	if (rc->hooks.rcpt_reply)
		msh_rcpt_learn_push(rf, unknown || nodomain);
	if (unknown) {
		rc->why = MAILSHIELD_RCPT_NOT_IN_SET;
		return msh_rcpt_count(rc) ? MSH_SMTP_HOLD : 0;
	}
	return msh_rcpt_source_banned(rc) ? MSH_SMTP_HOLD : 0;
}

static void msh_rcpt_reply(void *ctx, u16 code, bool bad_mailbox)
{
	struct msh_rcpt_ctx *rc = ctx;
	struct msh_rcpt_flow *rf = &rc->f->rcpt;
	bool skip = false;

	if (rf->nskip) {
		skip = rf->skip & 1;
		rf->skip >>= 1;
		rf->nskip--;
	}
	if (skip || code != 550 || !bad_mailbox)
		return;
	msh_rcpt_stat(rc->mn, MSH_STAT_RCPT_LEARNED);
	rc->why = MAILSHIELD_RCPT_LEARNED;
	msh_rcpt_count(rc);
}

const struct msh_smtp_hooks *msh_rcpt_hooks(struct msh_rcpt_ctx *rc,
					    struct msh_net *mn,
					    const struct msh_policy *p,
					    struct msh_flow *f)
{
	memset(rc, 0, sizeof(*rc));
	if (p->rcpt.mode == MAILSHIELD_RCPT_OFF)
		return NULL;
	rc->mn = mn;
	rc->p = p;
	rc->f = f;
	rc->set = msh_rcpt_running(&mn->rcpt);
	rc->hooks.ctx = rc;
	rc->hooks.path_byte = msh_rcpt_path_byte;
	rc->hooks.path_check = msh_rcpt_path_check;
	if (p->rcpt.learn)
		rc->hooks.rcpt_reply = msh_rcpt_reply;
	return &rc->hooks;
}

static int msh_rcpt_fill_event(struct sk_buff *skb, const void *arg)
{
	const struct msh_rcpt_ctx *rc = arg;
	const struct msh_flow_key *k = &rc->f->key;

	if (msh_nl_put_addr(skb, MAILSHIELD_EVENT_A_ADDR, k->family, &k->caddr,
			    MSH_NL_NO_PREFIX) ||
	    nla_put_u32(skb, MAILSHIELD_EVENT_A_REASON, rc->why) ||
	    nla_put_u16(skb, MAILSHIELD_EVENT_A_SPORT, ntohs(k->cport)) ||
	    nla_put_u16(skb, MAILSHIELD_EVENT_A_DPORT, ntohs(k->sport)) ||
	    nla_put_u32(skb, MAILSHIELD_EVENT_A_COUNT, rc->unknown) ||
	    nla_put_u8(skb, MAILSHIELD_EVENT_A_LOGGED, 1))
		return -EMSGSIZE;
	return 0;
}

void msh_rcpt_flush(struct msh_rcpt_ctx *rc)
{
	const struct msh_flow_key *k;

	/*
	 * Log mode: say what would have counted towards a ban. In ban mode
	 * the BAN event says it, and the event budget is kept for it.
	 */
	if (rc->unknown && rc->p->rcpt.mode == MAILSHIELD_RCPT_LOG)
		msh_event_send_nested(rc->mn->net, MAILSHIELD_EVENT_RECIPIENT,
				      msh_rcpt_fill_event, rc, GFP_ATOMIC);
	rc->unknown = 0;
	if (!rc->banned)
		return;
	rc->banned = false;
	k = &rc->f->key;
	msh_admit_banned(rc->mn, rc->p, k->family, &k->caddr,
			 MSH_BAN_RECIPIENTS, rc->ban_s);
}
