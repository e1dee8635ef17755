/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Private definitions shared by the two halves of the SMTP parser:
 * smtp_parser.c (client to server) and smtp_reply.c (server to client and
 * the reply FIFO). Nothing outside those two files includes this.
 */

#ifndef _MSH_SMTP_INTERNAL_H
#define _MSH_SMTP_INTERNAL_H

#include "smtp_parser.h"

#define CH_LF	0x0a
#define CH_CR	0x0d

/* Kinds of outstanding replies (3 bits of a FIFO entry). */
enum {
	Q_OTHER,	/* no state change on the reply */
	Q_GREETING,	/* the banner */
	Q_EHLO,		/* its reply lists the extensions */
	Q_DATA,		/* 354 enters DATA */
	Q_AUTH,		/* 334 enters the SASL exchange */
	Q_SASL,		/* a SASL line: 334 goes on, anything else ends */
	Q_STARTTLS,	/* 220 makes the connection opaque */
	Q_RCPT,		/* RCPT TO with a path, its reply to a hook */
	Q_NONE = 0xff,	/* nothing outstanding */
};

#define Q_SHIFT		13
#define Q_CNT_MAX	((1U << Q_SHIFT) - 1)
#define Q_KIND(e)	((u8)((e) >> Q_SHIFT))
#define Q_CNT(e)	((e) & Q_CNT_MAX)

/* lflags: the current client line. */
#define LF_CR		0x01	/* last byte was a CR */
#define LF_STARTED	0x02	/* the line has at least one byte */
#define LF_OVER		0x04	/* too long, already reported */

/* gflags: the connection. */
#define GF_CHUNKING	0x01	/* the last EHLO reply offered CHUNKING */
#define GF_EHLO_CHUNK	0x02	/* CHUNKING seen in the EHLO reply so far */

/* Argument sub-parser (arg). */
enum {
	A_SKIP,
	A_KW,		/* "FROM:" / "TO:" after MAIL / RCPT */
	A_P_PRE,	/* spaces before the path */
	A_P_START,	/* after '<' */
	A_P_ADL,	/* obsolete source route, up to ':' */
	A_P_LOCAL,
	A_P_QUOTED,
	A_P_QESC,	/* after a backslash in a quoted string */
	A_P_DOMAIN,
	A_P_END,	/* after the path: parameters */
	A_B_SP,		/* BDAT: spaces before the size */
	A_B_NUM,
	A_B_SP2,	/* spaces after the size */
	A_B_LAST,	/* "LAST" */
	A_B_END,	/* spaces after LAST */
	A_B_BAD,
	A_COUNT
};

/* dot: DATA line-start tracking, stage in bits 0-1, kind in bits 2-3. */
#define D_NONE		0	/* inside a line */
#define D_START		1	/* at a line start */
#define D_DOT		2	/* a '.' at a line start */
#define D_DOT_CR	3	/* '.' then CR */
#define D_STAGE(d)	((d) & 3)
#define D_KIND(d)	((d) >> 2)
#define K_CRLF		0	/* the line start followed a CRLF */
#define K_LF		1	/* ... a bare LF */
#define K_CR		2	/* ... a bare CR */
#define D_MAKE(stage, kind)	((u8)((stage) | (kind) << 2))

/* rpos: reply line position. */
#define RP_TEXT		4	/* after the separator */
#define RP_BAD		5	/* no 3-digit code: skipped */

/* rflags: the current reply line. */
#define RF_CR		0x01
#define RF_OVER		0x02
#define RF_CONT		0x04	/* "xyz-": more lines follow */
#define RF_NOTFIRST	0x08	/* not the first line of its reply */

#define RKW_NONE	0xff

/* resc: "5.1.1" / "5.1.0" at the start of an RCPT reply's first line. */
#define RESC_CODE	5	/* the code matched, its end not seen yet */
#define RESC_MATCH	6	/* matched, and followed by a space or the end */
#define RESC_NONE	0xff	/* not an RCPT reply, or no match */
#define RBIT(r)		MSH_SMTP_BIT(MSH_SMTP_R_##r)

static inline u8 msh_up(u8 c)
{
	return (c >= 'a' && c <= 'z') ? c - ('a' - 'A') : c;
}

static inline bool msh_digit(u8 c)
{
	return c >= '0' && c <= '9';
}

static inline u16 msh_inc(u16 v)
{
	return v == 0xffff ? v : v + 1;
}

/* Would a line of len octets plus its CRLF exceed limit? */
static inline bool msh_over(u16 len, u16 limit)
{
	return limit && (u32)len + 2 > limit;
}

u32 msh_smtp_fifo_push(struct msh_smtp *s, u8 kind);
u32 msh_smtp_sync_check(struct msh_smtp *s);

#endif /* _MSH_SMTP_INTERNAL_H */
