// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Streaming SMTP parser of the stream inspector. Every byte is looked at
 * once, in order, whatever the chunking; nothing is buffered beyond the few
 * leading bytes of a command verb. Documentation/smtp-inspector.md has the
 * state machine, the limits and the offset rules.
 */

#include "smtp_internal.h"

/* Verbs. */
enum {
	V_NONE,		/* not known yet */
	V_UNKNOWN,
	V_HELO, V_EHLO, V_MAIL, V_RCPT, V_DATA, V_RSET, V_VRFY, V_EXPN,
	V_HELP, V_NOOP, V_QUIT, V_AUTH, V_STARTTLS, V_BDAT,
};

struct msh_verb {
	char name[MSH_SMTP_HEAD_LEN + 1];
	u8 id;
};

static const struct msh_verb msh_verbs[] = {
	{ "HELO", V_HELO }, { "EHLO", V_EHLO }, { "MAIL", V_MAIL },
	{ "RCPT", V_RCPT }, { "DATA", V_DATA }, { "RSET", V_RSET },
	{ "VRFY", V_VRFY }, { "EXPN", V_EXPN }, { "HELP", V_HELP },
	{ "NOOP", V_NOOP }, { "QUIT", V_QUIT }, { "AUTH", V_AUTH },
	{ "STARTTLS", V_STARTTLS }, { "BDAT", V_BDAT }, { "", V_UNKNOWN },
};

/* pflags, beyond the public MSH_SMTP_PF_* bits. */
#define PF_ACTIVE	0x0100	/* a path has started on this line */
#define PF_RCPT		0x0200	/* RCPT TO (else MAIL FROM) */
#define PF_OVER_L	0x0400
#define PF_OVER_D	0x0800
#define PF_OVER_P	0x1000
#define PF_PUBLIC	0x00ff

void msh_smtp_limits_default(struct msh_smtp_limits *lim)
{
	lim->cmd_line = MSH_SMTP_DEF_CMD_LINE;
	lim->text_line = MSH_SMTP_DEF_TEXT_LINE;
	lim->reply_line = MSH_SMTP_DEF_REPLY_LINE;
	lim->local_part = MSH_SMTP_DEF_LOCAL_PART;
	lim->domain = MSH_SMTP_DEF_DOMAIN;
	lim->path = MSH_SMTP_DEF_PATH;
	lim->auth_line = MSH_SMTP_DEF_AUTH_LINE;
	lim->max_junk = MSH_SMTP_DEF_MAX_JUNK;
}

/* ---- client: paths of MAIL FROM and RCPT TO ---- */

static u32 path_add(struct msh_smtp *s, const struct msh_smtp_limits *lim,
		    const struct msh_smtp_hooks *hooks, int part, u8 c)
{
	enum msh_smtp_path_kind kind = (s->pflags & PF_RCPT) ?
		MSH_SMTP_PATH_RCPT : MSH_SMTP_PATH_MAIL;
	u32 m = 0;

	s->path_len = msh_inc(s->path_len);
	if (lim->path && s->path_len > lim->path &&
	    !(s->pflags & PF_OVER_P)) {
		s->pflags |= PF_OVER_P;
		m |= RBIT(PATH);
	}
	if (part == MSH_SMTP_PART_LOCAL) {
		s->local_len = msh_inc(s->local_len);
		if (lim->local_part && s->local_len > lim->local_part &&
		    !(s->pflags & PF_OVER_L)) {
			s->pflags |= PF_OVER_L;
			m |= RBIT(LOCAL_PART);
		}
	} else if (part == MSH_SMTP_PART_DOMAIN) {
		s->domain_len = msh_inc(s->domain_len);
		if (lim->domain && s->domain_len > lim->domain &&
		    !(s->pflags & PF_OVER_D)) {
			s->pflags |= PF_OVER_D;
			m |= RBIT(DOMAIN);
		}
	} else {
		return m;
	}
	if (hooks && hooks->path_byte)
		hooks->path_byte(hooks->ctx, kind,
				 (enum msh_smtp_path_part)part, c);
	return m;
}

#define P_NONE	(-1)

static u32 path_byte(struct msh_smtp *s, const struct msh_smtp_limits *lim,
		     const struct msh_smtp_hooks *hooks, u8 c)
{
	bool nb = s->pflags & MSH_SMTP_PF_NO_BRACKET;

	if (s->arg == A_P_PRE) {
		if (c == ' ')
			return 0;
		s->pflags |= PF_ACTIVE;
		s->arg = A_P_START;
		if (c == '<')
			return path_add(s, lim, hooks, P_NONE, c);
		/* count the missing brackets so lengths compare alike */
		s->pflags |= MSH_SMTP_PF_NO_BRACKET;
		s->path_len = 2;
		nb = true;
	}
	if (nb && c == ' ' && s->arg != A_P_QUOTED && s->arg != A_P_QESC) {
		s->arg = A_P_END;
		return 0;
	}
	switch (s->arg) {
	case A_P_START:
		if (c == '@') {
			s->pflags |= MSH_SMTP_PF_SOURCE_ROUTE;
			s->arg = A_P_ADL;
			return path_add(s, lim, hooks, P_NONE, c);
		}
		if (c == '>' && !nb) {
			s->pflags |= MSH_SMTP_PF_NULL;
			s->arg = A_P_END;
			return path_add(s, lim, hooks, P_NONE, c);
		}
		s->arg = A_P_LOCAL;
		if (c == '"') {
			s->pflags |= MSH_SMTP_PF_QUOTED;
			s->arg = A_P_QUOTED;
		}
		return path_add(s, lim, hooks, MSH_SMTP_PART_LOCAL, c);
	case A_P_ADL:
		if (c == ':')
			s->arg = A_P_LOCAL;
		else if (c == '>' && !nb)
			s->arg = A_P_END;
		return path_add(s, lim, hooks, P_NONE, c);
	case A_P_LOCAL:
		if (c == '@') {
			s->arg = A_P_DOMAIN;
			return path_add(s, lim, hooks, P_NONE, c);
		}
		if (c == '>' && !nb) {
			s->arg = A_P_END;
			return path_add(s, lim, hooks, P_NONE, c);
		}
		return path_add(s, lim, hooks, MSH_SMTP_PART_LOCAL, c);
	case A_P_QUOTED:
		if (c == '\\')
			s->arg = A_P_QESC;
		else if (c == '"')
			s->arg = A_P_LOCAL;
		return path_add(s, lim, hooks, MSH_SMTP_PART_LOCAL, c);
	case A_P_QESC:
		s->arg = A_P_QUOTED;
		return path_add(s, lim, hooks, MSH_SMTP_PART_LOCAL, c);
	case A_P_DOMAIN:
		if (c == '>' && !nb) {
			s->arg = A_P_END;
			return path_add(s, lim, hooks, P_NONE, c);
		}
		return path_add(s, lim, hooks, MSH_SMTP_PART_DOMAIN, c);
	default:
		return 0;
	}
}

/* ---- client: command lines ---- */

static u8 verb_lookup(const struct msh_smtp *s)
{
	u32 i, j;

	for (i = 0; msh_verbs[i].name[0]; i++) {
		const char *n = msh_verbs[i].name;

		for (j = 0; j < s->head_len && n[j] && n[j] == s->head[j]; j++)
			;
		if (j == s->head_len && !n[j])
			return msh_verbs[i].id;
	}
	return V_UNKNOWN;
}

/* The verb ended (space, line end, or too long to be one). */
static u32 verb_resolve(struct msh_smtp *s, const struct msh_smtp_limits *lim)
{
	s->verb = s->head_len <= MSH_SMTP_HEAD_LEN ? verb_lookup(s) : V_UNKNOWN;
	switch (s->verb) {
	case V_MAIL:
		s->arg = A_KW;
		break;
	case V_RCPT:
		s->pflags |= PF_RCPT;
		s->arg = A_KW;
		break;
	case V_BDAT:
		s->arg = A_B_SP;
		s->bdat = 0;
		break;
	case V_UNKNOWN:
		s->junk = msh_inc(s->junk);
		if (lim->max_junk && s->junk > lim->max_junk)
			return RBIT(JUNK);
		break;
	default:
		break;
	}
	return 0;
}

/* BDAT <size> [LAST] */
static void bdat_byte(struct msh_smtp *s, u8 c)
{
	switch (s->arg) {
	case A_B_SP:
		if (c == ' ')
			break;
		s->arg = msh_digit(c) ? A_B_NUM : A_B_BAD;
		if (s->arg == A_B_NUM)
			s->bdat = c - '0';
		break;
	case A_B_NUM:
		if (msh_digit(c)) {
			if (s->bdat > (0xffffffffU - (c - '0')) / 10) {
				s->bdat = 0;
				s->arg = A_B_BAD;
			} else {
				s->bdat = s->bdat * 10 + (c - '0');
			}
		} else {
			s->arg = c == ' ' ? A_B_SP2 : A_B_BAD;
		}
		break;
	case A_B_SP2:
		if (c == ' ')
			break;
		s->kw = 1;
		s->arg = msh_up(c) == 'L' ? A_B_LAST : A_B_BAD;
		break;
	case A_B_LAST:
		if (s->kw < 4 && msh_up(c) == "LAST"[s->kw])
			s->kw++;
		else if (s->kw == 4 && c == ' ')
			s->arg = A_B_END;
		else
			s->arg = A_B_BAD;
		break;
	case A_B_END:
		if (c != ' ')
			s->arg = A_B_BAD;
		break;
	default:
		break;
	}
}

static bool bdat_complete(const struct msh_smtp *s)
{
	return s->arg == A_B_NUM || s->arg == A_B_SP2 || s->arg == A_B_END ||
	       (s->arg == A_B_LAST && s->kw == 4);
}

/* A content byte of a command line: verb, then its argument. */
static u32 command_byte(struct msh_smtp *s, const struct msh_smtp_limits *lim,
			const struct msh_smtp_hooks *hooks, u8 c)
{
	const char *kw;

	if (s->verb == V_NONE) {
		if (c == ' ')
			return verb_resolve(s, lim);
		if (s->head_len < MSH_SMTP_HEAD_LEN) {
			s->head[s->head_len++] = msh_up(c);
			return 0;
		}
		s->head_len++;
		return verb_resolve(s, lim);
	}
	switch (s->arg) {
	case A_SKIP:
		return 0;
	case A_KW:
		kw = (s->pflags & PF_RCPT) ? "TO:" : "FROM:";
		if (msh_up(c) != (u8)kw[s->kw]) {
			s->arg = A_SKIP;
		} else if (!kw[++s->kw]) {
			s->arg = A_P_PRE;
			s->kw = 0;
		}
		return 0;
	case A_B_SP:
	case A_B_NUM:
	case A_B_SP2:
	case A_B_LAST:
	case A_B_END:
	case A_B_BAD:
		bdat_byte(s, c);
		return 0;
	default:
		return path_byte(s, lim, hooks, c);
	}
}

static void line_reset(struct msh_smtp *s)
{
	s->lflags = 0;
	s->verb = V_NONE;
	s->head_len = 0;
	s->arg = A_SKIP;
	s->kw = 0;
	s->line_len = 0;
	s->pflags = 0;
	s->local_len = 0;
	s->domain_len = 0;
	s->path_len = 0;
}

/* command: called from command_end(), the reply is awaited. */
static u32 path_done(struct msh_smtp *s, const struct msh_smtp_hooks *hooks,
		     bool command)
{
	struct msh_smtp_path_info pi;

	if (!(s->pflags & PF_ACTIVE) || !hooks ||
	    (!hooks->path_done && !hooks->path_check))
		return 0;
	pi.kind = (s->pflags & PF_RCPT) ? MSH_SMTP_PATH_RCPT :
		  MSH_SMTP_PATH_MAIL;
	pi.local_len = s->local_len;
	pi.domain_len = s->domain_len;
	pi.path_len = s->path_len;
	pi.flags = s->pflags & PF_PUBLIC;
	if (s->pflags & (PF_OVER_L | PF_OVER_D | PF_OVER_P))
		pi.flags |= MSH_SMTP_PF_OVER;
	if (!(pi.flags & MSH_SMTP_PF_NO_BRACKET) && s->arg != A_P_END)
		pi.flags |= MSH_SMTP_PF_UNTERMINATED;
	if (!(pi.flags & MSH_SMTP_PF_NULL) && !pi.domain_len)
		pi.flags |= MSH_SMTP_PF_NO_DOMAIN;
	pi.command = command;
	if (hooks->path_done)
		hooks->path_done(hooks->ctx, &pi);
	return hooks->path_check ? hooks->path_check(hooks->ctx, &pi) : 0;
}

/* The CRLF (or, after a violation, bare LF) of a command line. */
static u32 command_end(struct msh_smtp *s, const struct msh_smtp_limits *lim,
		       const struct msh_smtp_hooks *hooks)
{
	u8 kind = Q_OTHER;
	u32 chunk = 0;
	u32 m = 0;

	if (s->verb == V_NONE)
		m |= verb_resolve(s, lim);
	switch (s->verb) {
	case V_EHLO:
		kind = Q_EHLO;
		break;
	case V_DATA:
		kind = Q_DATA;
		break;
	case V_AUTH:
		kind = Q_AUTH;
		break;
	case V_STARTTLS:
		kind = Q_STARTTLS;
		break;
	case V_RCPT:
		/* paired with its reply only for a hook that wants it */
		if ((s->pflags & PF_ACTIVE) && hooks && hooks->rcpt_reply)
			kind = Q_RCPT;
		m |= path_done(s, hooks, true);
		break;
	case V_MAIL:
		m |= path_done(s, hooks, true);
		break;
	case V_BDAT:
		/*
		 * The chunk follows at once, whatever the reply. A size the
		 * server may read differently, or BDAT to a server that did
		 * not offer CHUNKING (it would read the chunk as commands),
		 * is a violation; the size parsed so far is still skipped.
		 */
		if (!bdat_complete(s) || !(s->gflags & GF_CHUNKING))
			m |= RBIT(BDAT);
		chunk = s->bdat;
		break;
	default:
		break;
	}
	line_reset(s);
	m |= msh_smtp_fifo_push(s, kind);
	if (chunk) {
		s->cstate = MSH_SMTP_ST_BDAT;
		s->bdat = chunk;
	}
	return m;
}

/* End of a line in any line state; bare_lf: ended by a lone LF. */
static u32 line_end(struct msh_smtp *s, const struct msh_smtp_limits *lim,
		    const struct msh_smtp_hooks *hooks, bool bare_lf)
{
	u32 m = 0;

	switch (s->cstate) {
	case MSH_SMTP_ST_DATA:
		/* a command line turned into text still closes its path */
		m |= path_done(s, hooks, false);
		if (bare_lf) {
			if (D_STAGE(s->dot) == D_DOT)
				m |= RBIT(SMUGGLE);	/* <x>.<LF> */
			line_reset(s);
			s->dot = D_MAKE(D_START, K_LF);
			return m;
		}
		if (D_STAGE(s->dot) == D_DOT_CR) {
			if (D_KIND(s->dot) == K_CRLF) {
				/* <CR><LF>.<CR><LF>: end of data */
				line_reset(s);
				s->dot = 0;
				s->cstate = MSH_SMTP_ST_COMMAND;
				return msh_smtp_fifo_push(s, Q_OTHER);
			}
			m |= RBIT(SMUGGLE);	/* <LF>.<CR><LF>, <CR>.<CR><LF> */
		}
		line_reset(s);
		s->dot = D_MAKE(D_START, K_CRLF);
		return m;
	case MSH_SMTP_ST_SASL:
		m |= path_done(s, hooks, false);
		line_reset(s);
		return msh_smtp_fifo_push(s, Q_SASL);
	default:
		return command_end(s, lim, hooks);
	}
}

/* A byte that is part of the line's text (not its terminator). */
static u32 content(struct msh_smtp *s, const struct msh_smtp_limits *lim,
		   const struct msh_smtp_hooks *hooks, u8 c)
{
	u32 m = 0, why;
	u16 limit;

	switch (s->cstate) {
	case MSH_SMTP_ST_DATA:
		if (D_STAGE(s->dot) == D_START && c == '.') {
			/* a leading dot is not counted (RFC 5321 4.5.3.1.6) */
			s->dot = D_MAKE(D_DOT, D_KIND(s->dot));
			return 0;
		}
		s->dot = D_NONE;
		limit = lim->text_line;
		why = RBIT(TEXT_LINE);
		break;
	case MSH_SMTP_ST_SASL:
		if (!c)
			m |= RBIT(NUL);
		limit = lim->auth_line;
		why = RBIT(AUTH_LINE);
		break;
	default:
		if (!c)
			m |= RBIT(NUL);
		m |= command_byte(s, lim, hooks, c);
		if (s->verb == V_AUTH) {
			limit = lim->auth_line;
			why = RBIT(AUTH_LINE);
		} else {
			limit = lim->cmd_line;
			why = RBIT(CMD_LINE);
		}
		break;
	}
	if (!(s->lflags & LF_OVER) && msh_over(s->line_len + 1, limit)) {
		s->lflags |= LF_OVER;
		m |= why;
	}
	s->line_len = msh_inc(s->line_len);
	return m;
}

static u32 client_byte(struct msh_smtp *s, const struct msh_smtp_limits *lim,
		       const struct msh_smtp_hooks *hooks, u8 c)
{
	bool data = s->cstate == MSH_SMTP_ST_DATA;
	u32 m = 0;

	if (!(s->lflags & LF_STARTED)) {
		s->lflags |= LF_STARTED;
		m |= msh_smtp_sync_check(s);
	}
	if (s->lflags & LF_CR) {
		s->lflags &= ~LF_CR;
		if (c == CH_LF)
			return m | line_end(s, lim, hooks, false);
		/* the CR was bare: it is text, and c is looked at below */
		m |= RBIT(BARE_CR);
		if (data && D_STAGE(s->dot) == D_DOT_CR)
			m |= RBIT(SMUGGLE);	/* <x>.<CR> */
		m |= content(s, lim, hooks, CH_CR);
		if (data)
			s->dot = D_MAKE(D_START, K_CR);
	}
	if (c == CH_CR) {
		s->lflags |= LF_CR;
		if (data)
			s->dot = D_STAGE(s->dot) == D_DOT ?
				 D_MAKE(D_DOT_CR, D_KIND(s->dot)) : D_NONE;
		return m;
	}
	if (c == CH_LF)
		return m | RBIT(BARE_LF) | line_end(s, lim, hooks, true);
	return m | content(s, lim, hooks, c);
}

u32 msh_smtp_feed_client(struct msh_smtp *s, const struct msh_smtp_limits *lim,
			 const struct msh_smtp_hooks *hooks,
			 const u8 *buf, u32 len, u32 *off)
{
	u32 i = 0, n, m;

	while (i < len) {
		switch (s->cstate) {
		case MSH_SMTP_ST_OPAQUE:
			i = len;
			break;
		case MSH_SMTP_ST_BDAT:
			/* chunk octets are counted, not interpreted */
			n = len - i < s->bdat ? len - i : s->bdat;
			s->bdat -= n;
			i += n;
			if (!s->bdat)
				s->cstate = MSH_SMTP_ST_COMMAND;
			break;
		default:
			m = client_byte(s, lim, hooks, buf[i]);
			if (m) {
				*off = i;
				return m;
			}
			i++;
			break;
		}
	}
	*off = len;
	return 0;
}

/* ---- setup and accessors ---- */

void msh_smtp_init(struct msh_smtp *s, bool implicit_tls)
{
	u8 *p = (u8 *)s;
	u32 i;

	for (i = 0; i < sizeof(*s); i++)
		p[i] = 0;
	s->rkw = RKW_NONE;
	s->resc = RESC_NONE;
	if (implicit_tls) {
		s->cstate = MSH_SMTP_ST_OPAQUE;
		return;
	}
	s->cstate = MSH_SMTP_ST_GREETING;
	msh_smtp_fifo_push(s, Q_GREETING);
}

