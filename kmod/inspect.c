// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * In-order stream view and enforcement.
 *
 * Flow creation. A flow is created on the first client segment of a
 * connection that has ACK set and neither SYN nor RST, when either the
 * established table holds a request socket for it (normal handshake: the
 * segment is the third ACK or the first data after it) or the ACK carries
 * a valid SYN cookie (the handshake was answered with a cookie, by the
 * kernel or by mailshield's cookie engine: no request socket exists). The
 * client's next sequence number is the segment's seq, the server's is its
 * ack_seq. A segment of a connection that is already fully established
 * without a flow (opened before the module was loaded, or while the table
 * was full) is passed uninspected: its SMTP state is unknown.
 *
 * Client bytes (PRE_ROUTING). A segment that starts beyond the next
 * expected byte is dropped (counted as ooo_drops): the client resends in
 * order. Bytes before the next expected byte were inspected already and
 * are skipped (retrans_bytes) and passed: the TCP stack keeps its copy.
 * The rest is read in chunks of MSH_CHUNK bytes with skb_copy_bits(),
 * which walks frags and frag lists of GRO skbs without linearising.
 *
 * Server bytes (LOCAL_OUT) drive the parser's reply FIFO; the stack sends
 * in order, so only bytes beyond the highest seen are fed.
 *
 * Enforcement. A rejecting violation drops the whole segment that holds
 * the offending byte, also the clean bytes before it in that segment: the
 * connection is closed anyway, and those bytes are at most the tail of a
 * command (or a pipelined group) whose reply the client would never get.
 * The client then gets the SMTP reply (500 5.5.2 for an overlong line,
 * 421 4.7.0 and the reason otherwise) with FIN, at the server's snd_nxt
 * and acknowledging the clean bytes; the dropped segment itself is
 * rewritten into a RST with the seq the local socket expects, so the MTA
 * sees ECONNRESET and frees the connection (with action "reset" the
 * client gets a RST instead of the reply). Log-only reasons are counted,
 * reported and passed. Reply-side reasons never block. An RCPT TO that
 * bans its source for unknown recipients (rcpt_check.c) is blocked the
 * same way at the LF of its line, with 421 4.7.1; it is no violation.
 */

#include "inspect.h"
#include "admit.h"
#include "allowlist.h"
#include "compat.h"
#include "events.h"
#include "flows.h"
#include "netns.h"
#include "policy.h"
#include "rcpt_check.h"
#include "reply.h"
#include "sources.h"

#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/tcp.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/tcp.h>

#define MSH_CHUNK	256

int msh_inspect_net_init(struct msh_net *mn)
{
	mn->flows = msh_flows_create(mn, mn->admit.sources);
	return mn->flows ? 0 : -ENOMEM;
}

void msh_inspect_net_exit(struct msh_net *mn)
{
	msh_flows_destroy(mn->flows);
	mn->flows = NULL;
}

/* ------------------------------------------------------------- events */

struct msh_viol_event {
	const struct msh_flow_key *key;
	u32 reason;
	bool logged;
};

static int msh_fill_violation(struct sk_buff *skb, const void *arg)
{
	const struct msh_viol_event *ev = arg;
	const struct msh_flow_key *k = ev->key;

	if (msh_nl_put_addr(skb, MAILSHIELD_EVENT_A_ADDR, k->family, &k->caddr,
			    MSH_NL_NO_PREFIX) ||
	    nla_put_u32(skb, MAILSHIELD_EVENT_A_REASON, ev->reason) ||
	    nla_put_u16(skb, MAILSHIELD_EVENT_A_SPORT, ntohs(k->cport)) ||
	    nla_put_u16(skb, MAILSHIELD_EVENT_A_DPORT, ntohs(k->sport)) ||
	    nla_put_u8(skb, MAILSHIELD_EVENT_A_LOGGED, ev->logged))
		return -EMSGSIZE;
	return 0;
}

/*
 * One rejected violation (one offending byte, whatever its reasons)
 * counts once against the client's source entry (sources.h); over the policy's
 * violation_ban in violation_window seconds the source is banned, which
 * the admission code enforces on its next SYN. Allowlisted sources are
 * never counted. Under RCU (the hooks).
 */
static void msh_violation_source(struct msh_net *mn,
				 const struct msh_policy *p,
				 const struct msh_flow_key *k)
{
	struct msh_admit_net *an = &mn->admit;
	struct msh_source *src;
	struct msh_limits lim;
	u64 now = msh_now();

	if (!an->sources || !p->smtp.violation_ban ||
	    msh_admit_exempt(mn, p, k->family, &k->caddr))
		return;
	if (msh_sources_lookup_or_create(an->sources, k->family, &k->caddr,
					 now, &src) > MSH_SRC_CREATED)
		return;

	msh_limits_default(&lim);
	lim.violation_threshold = p->smtp.violation_ban;
	lim.window_s = p->smtp.violation_window;
	lim.ban_s = p->admit.ban_time;
	if (!msh_source_count(an->sources, src, now, &lim,
			      MSH_COUNT_VIOLATION))
		return;

	msh_admit_banned(mn, p, k->family, &k->caddr, MSH_BAN_VIOLATIONS,
			 lim.ban_s);
}

/*
 * Counts every reason of @mask, reports it and hands it to the per-source
 * accounting. No flow lock held.
 */
static void msh_violations(struct msh_net *mn, struct msh_flow *f, u32 mask,
			   u32 log_only)
{
	struct msh_viol_event ev = { .key = &f->key };
	struct msh_stats_pcpu *s;
	unsigned long flags;
	unsigned int r;

	for (r = 0; r < MSH_SMTP_R_COUNT; r++) {
		if (!(mask & MSH_SMTP_BIT(r)))
			continue;
		ev.reason = r;
		ev.logged = !!(log_only & MSH_SMTP_BIT(r));
		s = msh_stats_begin(mn->stats, &flags);
		msh_stats_add(s, MSH_STAT_VIOLATIONS, 1);
		msh_stats_add(s, MSH_STAT_REASON0 + r, 1);
		if (ev.logged)
			msh_stats_add(s, MSH_STAT_VIOLATIONS_LOGGED, 1);
		msh_stats_end(mn->stats, s, flags);
		msh_event_send_nested(mn->net, MAILSHIELD_EVENT_VIOLATION,
				      msh_fill_violation, &ev, GFP_ATOMIC);
	}
}

static const char *msh_reply_text(unsigned int reason, unsigned int *len)
{
	static const char line[] = "500 5.5.2 Line too long\r\n";
	static const char rcpt[] = "421 4.7.1 Too many unknown recipients\r\n";
	static const char addr[] = "501 5.1.3 Address too long\r\n";
	static const char *const other[MSH_SMTP_R_COUNT] = {
		[MSH_SMTP_R_BARE_LF] = "421 4.7.0 Bare LF not allowed\r\n",
		[MSH_SMTP_R_BARE_CR] = "421 4.7.0 Bare CR not allowed\r\n",
		[MSH_SMTP_R_SMUGGLE] = "421 4.7.0 SMTP smuggling attempt\r\n",
		[MSH_SMTP_R_NUL] = "421 4.7.0 NUL byte not allowed\r\n",
		[MSH_SMTP_R_PREGREET] = "421 4.7.0 Talking before the greeting\r\n",
		[MSH_SMTP_R_STARTTLS_INJECT] =
			"421 4.7.0 Data injected after STARTTLS\r\n",
		[MSH_SMTP_R_PIPELINE] = "421 4.7.0 Improper pipelining\r\n",
		[MSH_SMTP_R_PIPELINE_DEPTH] =
			"421 4.7.0 Too many commands in flight\r\n",
		[MSH_SMTP_R_JUNK] = "421 4.7.0 Too many unknown commands\r\n",
		[MSH_SMTP_R_BDAT] = "421 4.7.0 Invalid BDAT\r\n",
		[MSH_SMTP_R_RETRANSMIT] =
			"421 4.7.0 Retransmitted data differs\r\n",
	};
	const char *t;

	if (reason == __ffs(MSH_SMTP_HOLD)) {
		/* held back by the recipient check (rcpt_check.c) */
		*len = sizeof(rcpt) - 1;
		return rcpt;
	}
	switch (reason) {
	case MSH_SMTP_R_CMD_LINE:
	case MSH_SMTP_R_TEXT_LINE:
	case MSH_SMTP_R_AUTH_LINE:
		t = line;
		break;
	case MSH_SMTP_R_LOCAL_PART:
	case MSH_SMTP_R_DOMAIN:
	case MSH_SMTP_R_PATH:
		t = addr;
		break;
	default:
		t = reason < MSH_SMTP_R_COUNT && other[reason] ?
		    other[reason] : "421 4.7.0 Protocol violation\r\n";
	}
	*len = strlen(t);
	return t;
}

/* --------------------------------------------------------- stream view */

static unsigned int msh_payload_len(const struct msh_inspect_pkt *pkt)
{
	unsigned int hdr = pkt->thoff + pkt->th->doff * 4;

	return pkt->skb->len > hdr ? pkt->skb->len - hdr : 0;
}

/* The stack verifies the checksum of every segment it takes; so do we. */
static bool msh_csum_ok(const struct msh_inspect_pkt *pkt)
{
	return !nf_checksum(pkt->skb, NF_INET_PRE_ROUTING, pkt->thoff,
			    IPPROTO_TCP, pkt->v6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
}

/* Check value of payload bytes [from, from + len). */
static int msh_payload_hash(const struct msh_inspect_pkt *pkt, u64 key,
			    unsigned int from, unsigned int len, u64 *sum)
{
	unsigned int dataoff = pkt->thoff + pkt->th->doff * 4, n;
	u8 buf[MSH_CHUNK];
	u64 h = 0;

	while (len) {
		n = min_t(unsigned int, len, sizeof(buf));
		if (skb_copy_bits(pkt->skb, dataoff + from, buf, n))
			return -EFAULT;
		h = msh_hash_update(h, key, buf, n);
		from += n;
		len -= n;
	}
	*sum = h;
	return 0;
}

enum msh_resent { MSH_RESENT_SAME, MSH_RESENT_DIFFERS, MSH_RESENT_UNCHECKED };

/*
 * Bytes [seq, end) of the segment were inspected before (end <= cnext).
 * Flow lock held.
 */
static enum msh_resent msh_check_resent(struct msh_flow *f, u64 key,
					const struct msh_inspect_pkt *pkt,
					u32 seq, u32 end)
{
	struct msh_inflight *inf = &f->infl;
	struct msh_inflight_rec *r;
	unsigned int count, i;
	u32 start;
	u64 sum;
	int first;

	first = msh_inflight_cover(inf, seq, end, &count);
	if (first < 0)
		return MSH_RESENT_UNCHECKED;
	for (i = first; i < first + count; i++) {
		r = msh_inflight_at(inf, i);
		start = msh_inflight_start(inf, i);
		if (msh_payload_hash(pkt, key, start - seq, r->end - start,
				     &sum))
			return MSH_RESENT_UNCHECKED;
		if (sum != r->sum)
			return MSH_RESENT_DIFFERS;
	}
	return MSH_RESENT_SAME;
}

/*
 * Feeds bytes [from, plen) of the payload to one direction of the parser,
 * with the recipient hooks (may be NULL). Flow lock held. Returns the
 * reasons seen; *reject the ones not only logged (feeding stops at the
 * first of those), MSH_SMTP_HOLD included. With @sum, also carries the
 * check value *sum on over the bytes fed.
 */
static u32 msh_feed(struct msh_flow *f, const struct msh_smtp_policy *sp,
		    const struct msh_smtp_hooks *hooks,
		    const struct msh_inspect_pkt *pkt, unsigned int from,
		    unsigned int plen, bool client, u32 *reject, u64 key,
		    u64 *sum)
{
	unsigned int dataoff = pkt->thoff + pkt->th->doff * 4;
	u32 seen = 0, n, base, off, mask;
	u8 buf[MSH_CHUNK];
	u64 h = sum ? *sum : 0;

	*reject = 0;
	while (from < plen) {
		n = min_t(u32, plen - from, sizeof(buf));
		if (skb_copy_bits(pkt->skb, dataoff + from, buf, n))
			break;
		if (sum)
			h = msh_hash_update(h, key, buf, n);
		for (base = 0; base < n; base += off + 1) {
			if (client)
				mask = msh_smtp_feed_client(&f->smtp, &sp->lim,
							    hooks, buf + base,
							    n - base, &off);
			else
				mask = msh_smtp_feed_server_hooks(&f->smtp,
								  &sp->lim,
								  hooks,
								  buf + base,
								  n - base,
								  &off);
			if (!mask)
				break;
			seen |= mask;
			if (mask & ~MSH_SMTP_HOLD)
				f->violations++;
			if (client && (mask & ~sp->log_only)) {
				*reject = mask & ~sp->log_only;
				return seen;
			}
		}
		from += n;
	}
	if (sum)
		*sum = h;
	return seen;
}

static void msh_enforce(struct msh_net *mn, const struct msh_smtp_policy *sp,
			const struct msh_inspect_pkt *pkt, u32 reject,
			u32 cnext, u32 snext)
{
	unsigned int reason = __ffs(reject), len;
	const char *text;

	/* the more telling reason of an end-of-data look-alike */
	if (reject & MSH_SMTP_BIT(MSH_SMTP_R_SMUGGLE))
		reason = MSH_SMTP_R_SMUGGLE;

	if (sp->violation_action == MAILSHIELD_VIOLATION_RESET) {
		msh_send_client(mn->net, pkt->skb, pkt->th, pkt->v6, snext,
				cnext, TCPHDR_RST | TCPHDR_ACK, NULL, 0);
		return;
	}
	text = msh_reply_text(reason, &len);
	msh_send_client(mn->net, pkt->skb, pkt->th, pkt->v6, snext, cnext,
			TCPHDR_PSH | TCPHDR_ACK | TCPHDR_FIN, text, len);
}

void msh_inspect_reset_client(struct msh_net *mn,
			      const struct msh_inspect_pkt *pkt)
{
	const struct tcphdr *th = pkt->th;

	msh_send_client(mn->net, pkt->skb, th, pkt->v6, ntohl(th->ack_seq),
			ntohl(th->seq) + msh_payload_len(pkt),
			TCPHDR_RST | TCPHDR_ACK, NULL, 0);
}

/* What one client segment did to its flow; see msh_inspect_rx(). */
struct msh_rx_result {
	u32 seen, reject;
	u32 cnext, snext;	/* after the segment */
	u32 rst_seq;		/* where the local socket expects a RST */
	u32 resent;		/* bytes inspected before */
	unsigned int drop;	/* MSH_STAT_* that explains a drop, or 0 */
};

/* The stream view proper, flow lock held. */
static void msh_rx_locked(struct msh_flows *ft, struct msh_flow *f,
			  const struct msh_smtp_policy *sp,
			  const struct msh_smtp_hooks *hooks,
			  const struct msh_inspect_pkt *pkt, unsigned int plen,
			  struct msh_rx_result *r)
{
	u32 seq = ntohl(pkt->th->seq), end = seq + plen, ovl;
	struct msh_inflight_rec *last;
	unsigned int skip;
	u64 sum = 0;

	r->rst_seq = f->cnext;
	/* data acknowledging what the server never sent is discarded */
	if (after(ntohl(pkt->th->ack_seq), f->snext)) {
		r->drop = MSH_STAT_BAD_SEGMENTS;
		return;
	}
	if (after(seq, f->cnext)) {
		r->drop = MSH_STAT_OOO_DROPS;
		return;
	}
	if (before(seq, f->cnext)) {
		ovl = before(end, f->cnext) ? end : f->cnext;
		r->resent = ovl - seq;
		switch (msh_check_resent(f, ft->hkey, pkt, seq, ovl)) {
		case MSH_RESENT_SAME:
			break;
		case MSH_RESENT_DIFFERS:
			r->seen = MSH_SMTP_BIT(MSH_SMTP_R_RETRANSMIT);
			r->reject = r->seen;
			r->rst_seq = seq;
			f->violations++;
			return;
		case MSH_RESENT_UNCHECKED:
			r->drop = MSH_STAT_INFLIGHT_DROPS;
			return;
		}
	}
	if (after(end, f->cnext)) {
		/* all records in use: the newest one grows */
		last = msh_inflight_full(&f->infl) ?
		       msh_inflight_at(&f->infl, MSH_INFLIGHT_MAX - 1) : NULL;
		if (last)
			sum = last->sum;
		skip = f->cnext - seq;
		r->seen = msh_feed(f, sp, hooks, pkt, skip, plen, true,
				   &r->reject, ft->hkey, &sum);
		if (r->reject)
			return;
		if (last) {
			last->end = end;
			last->sum = sum;
		} else {
			msh_inflight_push(&f->infl, end, sum);
		}
		f->cbytes += plen - skip;
		f->cnext = end;
	}
}

/**
 * msh_inspect_rx - a client segment of a flow in the table
 *
 * A segment that carries data (or a FIN) counts only if the stack will
 * take it as the module saw it: ACK set, checksum right, acknowledging
 * nothing the server has not sent, starting at or before the next
 * expected byte. The rest is dropped and counted. Bytes inspected before
 * must come again unchanged (inflight.h). A rejecting violation blocks
 * the flow: every later client segment but a RST is dropped.
 */
unsigned int msh_inspect_rx(struct msh_net *mn, const struct msh_policy *p,
			    const struct msh_inspect_pkt *pkt,
			    struct msh_flow *f)
{
	const struct msh_smtp_policy *sp = &p->smtp;
	const struct tcphdr *th = pkt->th;
	const struct msh_smtp_hooks *hooks;
	struct msh_flows *ft = mn->flows;
	struct msh_rx_result r = {};
	struct msh_rcpt_ctx rc;
	unsigned int plen;

	switch (READ_ONCE(f->mode)) {
	case MSH_FLOW_UNINSPECTED:
		return NF_ACCEPT;
	case MSH_FLOW_BLOCKED:
		return th->rst ? NF_ACCEPT : NF_DROP;
	}
	WRITE_ONCE(f->last, jiffies);
	plen = msh_payload_len(pkt);
	/* pure ACKs and RSTs change nothing here: the stack judges them */
	if (th->rst || (!plen && !th->fin))
		return NF_ACCEPT;
	if (!th->ack || th->syn || !msh_csum_ok(pkt)) {
		msh_stats_count(mn->stats, MSH_STAT_BAD_SEGMENTS, 1);
		return NF_DROP;
	}

	hooks = msh_rcpt_hooks(&rc, mn, p, f);
	spin_lock_bh(&f->lock);
	if (READ_ONCE(f->unlinked) || f->mode != MSH_FLOW_INSPECT) {
		spin_unlock_bh(&f->lock);
		return f->mode == MSH_FLOW_BLOCKED ? NF_DROP : NF_ACCEPT;
	}
	msh_rx_locked(ft, f, sp, hooks, pkt, plen, &r);
	if (r.reject)
		WRITE_ONCE(f->mode, MSH_FLOW_BLOCKED);
	r.cnext = f->cnext;
	r.snext = f->snext;
	spin_unlock_bh(&f->lock);
	msh_rcpt_flush(&rc);

	if (r.resent)
		msh_stats_count(mn->stats, MSH_STAT_RETRANS_BYTES, r.resent);
	if (r.drop) {
		msh_stats_count(mn->stats, r.drop, 1);
		return NF_DROP;
	}
	if (r.seen)
		msh_violations(mn, f, r.seen,
			       sp->log_only & ~MSH_SMTP_BIT(MSH_SMTP_R_RETRANSMIT));
	if (!r.reject)
		return NF_ACCEPT;

	/* log-only reasons are for a safe roll-out: they never ban */
	if (r.reject & ~MSH_SMTP_HOLD)
		msh_violation_source(mn, p, &f->key);
	msh_enforce(mn, sp, pkt, r.reject, r.cnext, r.snext);
	/*
	 * The segment becomes a RST for the local socket. Should the stack
	 * ignore it (its rcv_nxt is not where the module thinks), the flow
	 * stays blocked and the GC aborts the socket.
	 */
	if (msh_skb_to_rst(pkt->skb, pkt->thoff, pkt->v6, r.rst_seq))
		return NF_DROP;
	return NF_ACCEPT;
}

/**
 * msh_inspect_tx - a server segment of a flow in the table
 *
 * The server's ACK commits the client bytes it covers; its bytes drive the
 * parser's reply side; its RST ends the flow (the local stack itself
 * closed the connection).
 */
unsigned int msh_inspect_tx(struct msh_net *mn, const struct msh_policy *p,
			    const struct msh_inspect_pkt *pkt,
			    struct msh_flow *f)
{
	const struct msh_smtp_policy *sp = &p->smtp;
	const struct tcphdr *th = pkt->th;
	u32 seq, end, ack, skip, seen = 0, reject;
	const struct msh_smtp_hooks *hooks;
	struct msh_rcpt_ctx rc;
	unsigned int plen;

	if (th->rst) {
		msh_flow_remove(mn->flows, f);
		return NF_ACCEPT;
	}
	if (th->syn || READ_ONCE(f->mode) == MSH_FLOW_UNINSPECTED)
		return NF_ACCEPT;

	plen = msh_payload_len(pkt);
	seq = ntohl(th->seq);
	end = seq + plen;

	hooks = msh_rcpt_hooks(&rc, mn, p, f);
	spin_lock_bh(&f->lock);
	if (READ_ONCE(f->unlinked)) {
		spin_unlock_bh(&f->lock);
		return NF_ACCEPT;
	}
	WRITE_ONCE(f->last, jiffies);
	if (th->ack) {
		ack = ntohl(th->ack_seq);
		if (after(ack, f->cnext))	/* the client's FIN */
			ack = f->cnext;
		msh_inflight_ack(&f->infl, ack);
	}
	if (plen && after(end, f->snext)) {
		skip = before(seq, f->snext) ? f->snext - seq : 0;
		seen = msh_feed(f, sp, hooks, pkt, skip, plen, false, &reject,
				0, NULL);
		f->sbytes += plen - skip;
	}
	if (th->fin)
		end++;
	if (after(end, f->snext))
		f->snext = end;
	spin_unlock_bh(&f->lock);
	msh_rcpt_flush(&rc);

	if (seen)
		msh_violations(mn, f, seen, seen);
	if (th->fin)
		msh_flow_server_closed(mn->flows, f);
	return NF_ACCEPT;
}
