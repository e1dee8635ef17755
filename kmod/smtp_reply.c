// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * SMTP parser, server to client: reply lines, the FIFO that pairs replies
 * with the commands that asked for them (PIPELINING, RFC 2920), and the
 * state changes replies cause. See Documentation/smtp-inspector.md.
 */

#include "smtp_internal.h"

static const char msh_chunking[] = "CHUNKING";

/* ---- reply FIFO ---- */

static u16 *fifo_at(struct msh_smtp *s, u32 i)
{
	return &s->fifo[(s->fifo_head + i) % MSH_SMTP_FIFO_DEPTH];
}

/*
 * Queue the reply a client command is owed. Runs of commands whose reply
 * changes nothing share one entry, and so do runs of RCPTs. When the FIFO
 * is full the reply is still counted (on the newest entry), only its kind
 * is lost.
 */
u32 msh_smtp_fifo_push(struct msh_smtp *s, u8 kind)
{
	u16 *t = NULL;

	if (s->fifo_cnt) {
		t = fifo_at(s, s->fifo_cnt - 1);
		if ((kind == Q_OTHER || kind == Q_RCPT) &&
		    Q_KIND(*t) == kind && Q_CNT(*t) < Q_CNT_MAX) {
			(*t)++;
			return 0;
		}
	}
	if (s->fifo_cnt == MSH_SMTP_FIFO_DEPTH) {
		if (Q_CNT(*t) < Q_CNT_MAX)
			(*t)++;
		return RBIT(PIPELINE_DEPTH);
	}
	*fifo_at(s, s->fifo_cnt) = (u16)(kind << Q_SHIFT | 1);
	s->fifo_cnt++;
	return 0;
}

static u8 fifo_peek(struct msh_smtp *s)
{
	return s->fifo_cnt ? Q_KIND(*fifo_at(s, 0)) : Q_NONE;
}

static u8 fifo_pop(struct msh_smtp *s)
{
	u16 *h;
	u8 kind;

	if (!s->fifo_cnt)
		return Q_NONE;
	h = fifo_at(s, 0);
	kind = Q_KIND(*h);
	if (Q_CNT(*h) > 1) {
		(*h)--;
	} else {
		s->fifo_head = (s->fifo_head + 1) % MSH_SMTP_FIFO_DEPTH;
		s->fifo_cnt--;
	}
	return kind;
}

/*
 * A new client line while a reply the client must wait for is outstanding:
 * the newest such reply names the violation.
 */
u32 msh_smtp_sync_check(struct msh_smtp *s)
{
	u32 i;

	for (i = s->fifo_cnt; i > 0; i--) {
		switch (Q_KIND(*fifo_at(s, i - 1))) {
		case Q_GREETING:
			return RBIT(PREGREET);
		case Q_STARTTLS:
			return RBIT(STARTTLS_INJECT);
		case Q_DATA:
		case Q_AUTH:
		case Q_SASL:
			return RBIT(PIPELINE);
		default:
			break;
		}
	}
	return 0;
}

/* ---- server: replies ---- */

/* A final reply line with this code: the oldest outstanding reply. */
static void reply_done(struct msh_smtp *s, const struct msh_smtp_hooks *hooks,
		       u16 code)
{
	u8 kind = fifo_pop(s);

	switch (kind) {
	case Q_RCPT:
		if (hooks && hooks->rcpt_reply)
			hooks->rcpt_reply(hooks->ctx, code,
					  s->resc == RESC_MATCH);
		break;
	case Q_GREETING:
		if (s->cstate == MSH_SMTP_ST_GREETING)
			s->cstate = MSH_SMTP_ST_COMMAND;
		break;
	case Q_EHLO:
		s->gflags &= ~GF_CHUNKING;
		if (code / 100 == 2 && (s->gflags & GF_EHLO_CHUNK))
			s->gflags |= GF_CHUNKING;
		break;
	case Q_DATA:
		if (code == 354 && s->cstate == MSH_SMTP_ST_COMMAND) {
			s->cstate = MSH_SMTP_ST_DATA;
			s->dot = (s->lflags & LF_STARTED) ? D_NONE :
				 D_MAKE(D_START, K_CRLF);
		}
		break;
	case Q_AUTH:
	case Q_SASL:
		if (code == 334 && s->cstate == MSH_SMTP_ST_COMMAND)
			s->cstate = MSH_SMTP_ST_SASL;
		else if (code != 334 && s->cstate == MSH_SMTP_ST_SASL)
			s->cstate = MSH_SMTP_ST_COMMAND;
		break;
	case Q_STARTTLS:
		if (code == 220) {
			s->cstate = MSH_SMTP_ST_OPAQUE;
			s->dot = D_NONE;
		}
		break;
	default:
		break;
	}
	s->gflags &= ~GF_EHLO_CHUNK;
}

/* An RCPT reply's first line: does its text start with 5.1.1 or 5.1.0? */
static void resc_byte(struct msh_smtp *s, u8 c)
{
	static const char pfx[] = "5.1.";

	if (s->resc < RESC_CODE - 1)
		s->resc = c == (u8)pfx[s->resc] ? s->resc + 1 : RESC_NONE;
	else if (s->resc == RESC_CODE - 1)
		s->resc = (c == '1' || c == '0') ? RESC_CODE : RESC_NONE;
	else if (s->resc == RESC_CODE)
		s->resc = c == ' ' ? RESC_MATCH : RESC_NONE;
}

/* EHLO reply lines after the first: is the keyword CHUNKING? */
static void ehlo_keyword(struct msh_smtp *s, u8 c)
{
	if (s->rkw == RKW_NONE)
		return;
	if (s->rkw == sizeof(msh_chunking) - 1) {
		if (c == ' ')
			s->gflags |= GF_EHLO_CHUNK;
		s->rkw = RKW_NONE;
	} else if (msh_up(c) == (u8)msh_chunking[s->rkw]) {
		s->rkw++;
	} else {
		s->rkw = RKW_NONE;
	}
}

static u32 reply_content(struct msh_smtp *s, const struct msh_smtp_limits *lim,
			 u8 c)
{
	u32 m = 0;

	if (!(s->rflags & RF_OVER) && msh_over(s->rline_len + 1,
					       lim->reply_line)) {
		s->rflags |= RF_OVER;
		m |= RBIT(REPLY_LINE);
	}
	s->rline_len = msh_inc(s->rline_len);
	if (s->rpos < 3) {
		if (msh_digit(c)) {
			s->rcode = s->rcode * 10 + (c - '0');
			s->rpos++;
		} else {
			s->rpos = RP_BAD;
			m |= RBIT(REPLY_SYNTAX);
		}
	} else if (s->rpos == 3) {
		/* anything but '-' ends the reply, as clients read it */
		if (c == '-')
			s->rflags |= RF_CONT;
		s->rpos = RP_TEXT;
		s->rkw = (fifo_peek(s) == Q_EHLO &&
			  (s->rflags & RF_NOTFIRST)) ? 0 : RKW_NONE;
		if (!(s->rflags & RF_NOTFIRST))
			s->resc = fifo_peek(s) == Q_RCPT ? 0 : RESC_NONE;
	} else if (s->rpos == RP_TEXT) {
		ehlo_keyword(s, c);
		if (!(s->rflags & RF_NOTFIRST))
			resc_byte(s, c);
	}
	return m;
}

static u32 reply_end(struct msh_smtp *s, const struct msh_smtp_hooks *hooks)
{
	bool final = !(s->rflags & RF_CONT);
	u16 code = s->rcode;
	u32 m = 0;
	u8 pos = s->rpos;

	if (pos == RP_TEXT && s->rkw == sizeof(msh_chunking) - 1)
		s->gflags |= GF_EHLO_CHUNK;
	/* the first line's text ended: "5.1.1" alone matches too */
	if (!(s->rflags & RF_NOTFIRST) && s->resc != RESC_MATCH)
		s->resc = (pos == RP_TEXT && s->resc == RESC_CODE) ?
			  RESC_MATCH : RESC_NONE;
	s->rflags &= RF_NOTFIRST;
	s->rpos = 0;
	s->rcode = 0;
	s->rline_len = 0;
	s->rkw = RKW_NONE;
	if (pos < 3)
		return RBIT(REPLY_SYNTAX);
	if (pos == RP_BAD)
		return m;
	if (!final) {
		s->rflags |= RF_NOTFIRST;
		return m;
	}
	s->rflags &= ~RF_NOTFIRST;
	reply_done(s, hooks, code);
	s->resc = RESC_NONE;
	return m;
}

static u32 server_byte(struct msh_smtp *s, const struct msh_smtp_limits *lim,
		       const struct msh_smtp_hooks *hooks, u8 c)
{
	u32 m = 0;

	if (s->rflags & RF_CR) {
		s->rflags &= ~RF_CR;
		if (c == CH_LF)
			return reply_end(s, hooks);
		m |= reply_content(s, lim, CH_CR);
	}
	if (c == CH_CR) {
		s->rflags |= RF_CR;
		return m;
	}
	/* the server is trusted with line ends: a bare LF ends a line */
	if (c == CH_LF)
		return m | reply_end(s, hooks);
	return m | reply_content(s, lim, c);
}

u32 msh_smtp_feed_server(struct msh_smtp *s, const struct msh_smtp_limits *lim,
			 const u8 *buf, u32 len, u32 *off)
{
	return msh_smtp_feed_server_hooks(s, lim, NULL, buf, len, off);
}

u32 msh_smtp_feed_server_hooks(struct msh_smtp *s,
			       const struct msh_smtp_limits *lim,
			       const struct msh_smtp_hooks *hooks,
			       const u8 *buf, u32 len, u32 *off)
{
	u32 i, m;

	for (i = 0; i < len && s->cstate != MSH_SMTP_ST_OPAQUE; i++) {
		m = server_byte(s, lim, hooks, buf[i]);
		if (m) {
			*off = i;
			return m;
		}
	}
	*off = len;
	return 0;
}

enum msh_smtp_state msh_smtp_state(const struct msh_smtp *s)
{
	return (enum msh_smtp_state)s->cstate;
}

u32 msh_smtp_pending(const struct msh_smtp *s)
{
	u32 i, n = 0;

	for (i = 0; i < s->fifo_cnt; i++)
		n += Q_CNT(s->fifo[(s->fifo_head + i) % MSH_SMTP_FIFO_DEPTH]);
	return n;
}

u32 msh_smtp_junk(const struct msh_smtp *s)
{
	return s->junk;
}

bool msh_smtp_chunking(const struct msh_smtp *s)
{
	return s->gflags & GF_CHUNKING;
}

bool msh_smtp_valid(const struct msh_smtp *s)
{
	u32 i;
	u16 e;

	if (s->cstate >= MSH_SMTP_ST_COUNT || s->arg >= A_COUNT ||
	    s->fifo_cnt > MSH_SMTP_FIFO_DEPTH ||
	    s->fifo_head >= MSH_SMTP_FIFO_DEPTH ||
	    s->head_len > MSH_SMTP_HEAD_LEN + 1 || s->rpos > RP_BAD ||
	    D_STAGE(s->dot) > D_DOT_CR || D_KIND(s->dot) > K_CR)
		return false;
	if (s->cstate == MSH_SMTP_ST_BDAT && !s->bdat)
		return false;
	if (s->cstate != MSH_SMTP_ST_DATA && s->dot)
		return false;
	if (s->rkw != RKW_NONE && s->rkw > sizeof(msh_chunking) - 1)
		return false;
	if (s->resc != RESC_NONE && s->resc > RESC_MATCH)
		return false;
	for (i = 0; i < s->fifo_cnt; i++) {
		e = s->fifo[(s->fifo_head + i) % MSH_SMTP_FIFO_DEPTH];
		if (!Q_CNT(e) || Q_KIND(e) > Q_RCPT)
			return false;
	}
	return true;
}

const char *msh_smtp_reason_name(unsigned int reason)
{
	static const char *const names[MSH_SMTP_R_COUNT] = {
		[MSH_SMTP_R_CMD_LINE] = "cmd_line",
		[MSH_SMTP_R_TEXT_LINE] = "text_line",
		[MSH_SMTP_R_AUTH_LINE] = "auth_line",
		[MSH_SMTP_R_LOCAL_PART] = "local_part",
		[MSH_SMTP_R_DOMAIN] = "domain",
		[MSH_SMTP_R_PATH] = "path",
		[MSH_SMTP_R_BARE_LF] = "bare_lf",
		[MSH_SMTP_R_BARE_CR] = "bare_cr",
		[MSH_SMTP_R_SMUGGLE] = "smuggle",
		[MSH_SMTP_R_NUL] = "nul",
		[MSH_SMTP_R_PREGREET] = "pregreet",
		[MSH_SMTP_R_STARTTLS_INJECT] = "starttls_inject",
		[MSH_SMTP_R_PIPELINE] = "pipeline",
		[MSH_SMTP_R_PIPELINE_DEPTH] = "pipeline_depth",
		[MSH_SMTP_R_JUNK] = "junk",
		[MSH_SMTP_R_BDAT] = "bdat",
		[MSH_SMTP_R_REPLY_LINE] = "reply_line",
		[MSH_SMTP_R_REPLY_SYNTAX] = "reply_syntax",
		[MSH_SMTP_R_RETRANSMIT] = "retransmit",
	};

	return reason < MSH_SMTP_R_COUNT ? names[reason] : "?";
}
