/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Streaming, allocation-free SMTP parser of the stream inspector. It sees
 * both directions of one SMTP connection as arbitrary chunks (TCP segments
 * may split the protocol anywhere) and reports violations byte-exactly.
 * Pure C without kernel or libc headers: the module, its KUnit suite and
 * the userspace unit tests and fuzzing harness compile the same file.
 * Documentation/smtp-inspector.md describes states, limits and reasons.
 */

#ifndef _MSH_SMTP_PARSER_H
#define _MSH_SMTP_PARSER_H

#include "smtp_types.h"

/* Client state: what the next client byte is. */
enum msh_smtp_state {
	MSH_SMTP_ST_GREETING,	/* the server's banner is not complete yet */
	MSH_SMTP_ST_COMMAND,	/* command lines */
	MSH_SMTP_ST_DATA,	/* message text after 354, until CRLF.CRLF */
	MSH_SMTP_ST_BDAT,	/* BDAT chunk octets, counted, not inspected */
	MSH_SMTP_ST_SASL,	/* AUTH exchange: SASL lines after a 334 */
	MSH_SMTP_ST_OPAQUE,	/* TLS (after STARTTLS's 220, or port 465) */
	MSH_SMTP_ST_COUNT
};

/*
 * Violations. A feed function returns a mask of MSH_SMTP_BIT(reason): all
 * reasons that apply to the one offending byte.
 */
enum msh_smtp_reason {
	/* client to server */
	MSH_SMTP_R_CMD_LINE,	/* command line longer than cmd_line */
	MSH_SMTP_R_TEXT_LINE,	/* DATA line longer than text_line */
	MSH_SMTP_R_AUTH_LINE,	/* AUTH line or SASL line over auth_line */
	MSH_SMTP_R_LOCAL_PART,	/* MAIL/RCPT local-part over local_part */
	MSH_SMTP_R_DOMAIN,	/* MAIL/RCPT domain over domain */
	MSH_SMTP_R_PATH,	/* MAIL/RCPT path over path */
	MSH_SMTP_R_BARE_LF,	/* LF not preceded by CR */
	MSH_SMTP_R_BARE_CR,	/* CR not followed by LF */
	MSH_SMTP_R_SMUGGLE,	/* end-of-data look-alike in DATA */
	MSH_SMTP_R_NUL,		/* NUL byte in a command or SASL line */
	MSH_SMTP_R_PREGREET,	/* client bytes before the banner ended */
	MSH_SMTP_R_STARTTLS_INJECT, /* bytes between STARTTLS and its reply */
	MSH_SMTP_R_PIPELINE,	/* bytes before the reply to DATA/AUTH/SASL */
	MSH_SMTP_R_PIPELINE_DEPTH, /* too many replies outstanding */
	MSH_SMTP_R_JUNK,	/* more than max_junk unknown commands */
	MSH_SMTP_R_BDAT,	/* BDAT syntax, or CHUNKING not offered */
	/* server to client */
	MSH_SMTP_R_REPLY_LINE,	/* reply line longer than reply_line */
	MSH_SMTP_R_REPLY_SYNTAX, /* reply line without a 3-digit code */
	/* found by the stream view (inspect.c), never by the parser */
	MSH_SMTP_R_RETRANSMIT,	/* resent bytes differ from those inspected */
	MSH_SMTP_R_COUNT
};

#define MSH_SMTP_BIT(reason)	(1U << (reason))

/*
 * Not a violation: a hook (path_check) holds the current byte back. A feed
 * function reports it like a reason, at the byte that ended the command
 * line; the inspector blocks the connection there (recipients).
 */
#define MSH_SMTP_HOLD		MSH_SMTP_BIT(31)

/*
 * Limits of one policy. Line limits count the whole line including its
 * CRLF, as RFC 5321 section 4.5.3.1 does; path limits count the octets of
 * the part (the path including its angle brackets). 0 disables a limit.
 * text_line is not RFC 5321's 1000: real mail carries longer DATA lines
 * (HTML parts) that MTAs accept, so the default only stops the 50 kB+
 * lines of overflow attacks; 1000 is the strict setting.
 */
struct msh_smtp_limits {
	u16 cmd_line;		/* 512 */
	u16 text_line;		/* 32768, a dot-stuffing dot not counted */
	u16 reply_line;		/* 512 */
	u16 local_part;		/* 64 */
	u16 domain;		/* 255 */
	u16 path;		/* 256 */
	u16 auth_line;		/* 12288 (RFC 4954) */
	u16 max_junk;		/* 10 unknown commands per connection */
};

#define MSH_SMTP_DEF_CMD_LINE		512
#define MSH_SMTP_DEF_TEXT_LINE		32768
#define MSH_SMTP_DEF_REPLY_LINE		512
#define MSH_SMTP_DEF_LOCAL_PART		64
#define MSH_SMTP_DEF_DOMAIN		255
#define MSH_SMTP_DEF_PATH		256
#define MSH_SMTP_DEF_AUTH_LINE		12288
#define MSH_SMTP_DEF_MAX_JUNK		10

/* Which command a path belongs to, and which part of it a byte is. */
enum msh_smtp_path_kind {
	MSH_SMTP_PATH_MAIL,
	MSH_SMTP_PATH_RCPT,
};

enum msh_smtp_path_part {
	MSH_SMTP_PART_LOCAL,	/* local-part, raw (quotes, escapes kept) */
	MSH_SMTP_PART_DOMAIN,	/* domain or address literal */
};

#define MSH_SMTP_PF_QUOTED	0x01	/* local-part is a quoted string */
#define MSH_SMTP_PF_NULL	0x02	/* the null path <> */
#define MSH_SMTP_PF_NO_DOMAIN	0x04	/* no '@domain' (e.g. <postmaster>) */
#define MSH_SMTP_PF_NO_BRACKET	0x08	/* path not in angle brackets */
#define MSH_SMTP_PF_UNTERMINATED 0x10	/* '<' without '>' */
#define MSH_SMTP_PF_OVER	0x20	/* a path limit was exceeded */
#define MSH_SMTP_PF_SOURCE_ROUTE 0x40	/* obsolete @a,@b: route present */

/* A MAIL FROM or RCPT TO path, reported when its command line ends. */
struct msh_smtp_path_info {
	enum msh_smtp_path_kind kind;
	u16 local_len;
	u16 domain_len;
	u16 path_len;
	u16 flags;		/* MSH_SMTP_PF_* */
	/* the command is complete and its reply awaited (not DATA text) */
	bool command;
};

/*
 * Optional callbacks, all may be NULL. path_byte sees every byte of the
 * local-part and of the domain of MAIL FROM and RCPT TO paths as it is
 * parsed (so an address can be hashed incrementally without buffering);
 * path_done follows when the command line's CRLF arrives, i.e. when the
 * command is complete. path_check is called right after path_done and
 * may return MSH_SMTP_HOLD to have the feed stop at that CRLF's LF.
 *
 * rcpt_reply (msh_smtp_feed_server_hooks() only) sees the final reply to
 * each RCPT TO whose path was reported with .command set, in order:
 * its code and whether its first line's text starts with the enhanced
 * status 5.1.1 or 5.1.0 (RFC 3463: bad mailbox, other address status).
 * Such RCPTs are paired with their replies only while rcpt_reply is set
 * in the hooks given to msh_smtp_feed_client() too.
 */
struct msh_smtp_hooks {
	void (*path_byte)(void *ctx, enum msh_smtp_path_kind kind,
			  enum msh_smtp_path_part part, u8 c);
	void (*path_done)(void *ctx, const struct msh_smtp_path_info *info);
	void *ctx;
	u32 (*path_check)(void *ctx, const struct msh_smtp_path_info *info);
	void (*rcpt_reply)(void *ctx, u16 code, bool bad_mailbox);
};

#define MSH_SMTP_FIFO_DEPTH	16
#define MSH_SMTP_HEAD_LEN	8

/*
 * Per-connection state. Initialise with msh_smtp_init(); the fields are
 * private to the parser (read them through the accessors below).
 */
struct msh_smtp {
	/* client to server */
	u8 cstate;		/* enum msh_smtp_state */
	u8 lflags;		/* current line */
	u8 verb;		/* verb of the current command line */
	u8 head_len;
	u8 head[MSH_SMTP_HEAD_LEN];	/* verb so far, upper case */
	u8 arg;			/* argument sub-parser state */
	u8 kw;			/* keyword match position */
	u8 dot;			/* DATA: line start and dot tracking */
	u8 gflags;		/* connection flags */
	u16 line_len;		/* octets of the line so far, CRLF excluded */
	u16 junk;		/* unknown commands so far */
	u16 pflags;		/* path being parsed */
	u16 local_len;
	u16 domain_len;
	u16 path_len;
	u32 bdat;		/* BDAT size being parsed, then octets left */
	/* server to client */
	u8 rpos;		/* position in the reply code */
	u8 rflags;
	u8 rkw;			/* EHLO keyword match position */
	u8 resc;		/* enhanced status match of an RCPT reply */
	u8 fifo_head;
	u16 rcode;
	u16 rline_len;
	/* replies outstanding: (kind << 13 | count) runs, oldest first */
	u8 fifo_cnt;
	u16 fifo[MSH_SMTP_FIFO_DEPTH];
};

void msh_smtp_limits_default(struct msh_smtp_limits *lim);

/* Start a connection; implicit_tls (port 465) makes it opaque at once. */
void msh_smtp_init(struct msh_smtp *s, bool implicit_tls);

/*
 * Feed the next len bytes of one direction. Returns 0 if every byte is
 * fine (*off = len), or a mask of MSH_SMTP_BIT(reason) and *off, the index
 * in buf of the offending byte: buf[0 .. *off - 1] are clean, buf[*off] is
 * the first byte that must not reach the other side. The parser has
 * consumed buf[0 .. *off] (the offending byte included); to carry on after
 * a violation that is only logged, call again with buf + *off + 1.
 */
u32 msh_smtp_feed_client(struct msh_smtp *s, const struct msh_smtp_limits *lim,
			 const struct msh_smtp_hooks *hooks,
			 const u8 *buf, u32 len, u32 *off);
u32 msh_smtp_feed_server(struct msh_smtp *s, const struct msh_smtp_limits *lim,
			 const u8 *buf, u32 len, u32 *off);
/* The same, with hooks (rcpt_reply); hooks may be NULL. */
u32 msh_smtp_feed_server_hooks(struct msh_smtp *s,
			       const struct msh_smtp_limits *lim,
			       const struct msh_smtp_hooks *hooks,
			       const u8 *buf, u32 len, u32 *off);

enum msh_smtp_state msh_smtp_state(const struct msh_smtp *s);
/* Replies the server still owes (the greeting counts as one). */
u32 msh_smtp_pending(const struct msh_smtp *s);
/* Unknown commands seen so far. */
u32 msh_smtp_junk(const struct msh_smtp *s);
/* Whether the server's last EHLO reply offered CHUNKING. */
bool msh_smtp_chunking(const struct msh_smtp *s);
/* Internal consistency of the state (for tests and the fuzzer). */
bool msh_smtp_valid(const struct msh_smtp *s);
/* Short lower-case name of a reason ("bare_lf"), "?" if out of range. */
const char *msh_smtp_reason_name(unsigned int reason);

#endif /* _MSH_SMTP_PARSER_H */
