// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * libFuzzer harness of the SMTP parser. The input drives a session:
 *
 *   byte 0        options: bit 0 implicit TLS, bit 1 small limits,
 *                 bit 2 path callbacks on
 *   then repeated a control byte c and up to c >> 1 bytes of payload for
 *                 the direction c & 1 (0: client to server, 1: server to
 *                 client)
 *
 * Each chunk goes to one parser whole and to a second one a byte at a time;
 * violations are logged and skipped as a log-only policy would. Checked:
 * offsets stay inside the chunk, masks name only reasons of that direction,
 * the state stays consistent, opaque is final, path callbacks agree with
 * the lengths they report, and both parsers see exactly the same
 * violations at the same stream positions and end in the same state.
 * Any mismatch aborts (a crash for libFuzzer).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_parser.h"

#define SERVER_REASONS	(MSH_SMTP_BIT(MSH_SMTP_R_REPLY_LINE) | \
			 MSH_SMTP_BIT(MSH_SMTP_R_REPLY_SYNTAX))
#define ALL_REASONS	((1U << MSH_SMTP_R_COUNT) - 1)

struct path_count {
	u32 bytes[2];
	u32 done;
};

struct side {
	struct msh_smtp s;
	struct path_count pc;
	u32 replies;		/* rcpt_reply calls */
	bool hold;		/* path_check holds every RCPT */
	struct msh_smtp_hooks hooks;
	u64 pos;		/* stream position of the next byte */
	u64 hash;		/* of (position, mask) of every violation */
	u32 nviol;
};

static void fail(const char *what)
{
	fprintf(stderr, "smtp_parser_fuzz: %s\n", what);
	abort();
}

static void path_byte(void *ctx, enum msh_smtp_path_kind kind,
		      enum msh_smtp_path_part part, u8 c)
{
	struct path_count *pc = &((struct side *)ctx)->pc;

	(void)c;
	if (kind != MSH_SMTP_PATH_MAIL && kind != MSH_SMTP_PATH_RCPT)
		fail("path kind");
	if (part != MSH_SMTP_PART_LOCAL && part != MSH_SMTP_PART_DOMAIN)
		fail("path part");
	pc->bytes[part]++;
}

static void path_done(void *ctx, const struct msh_smtp_path_info *info)
{
	struct path_count *pc = &((struct side *)ctx)->pc;

	if (info->local_len != (pc->bytes[0] > 0xffff ? 0xffff : pc->bytes[0]) ||
	    info->domain_len != (pc->bytes[1] > 0xffff ? 0xffff : pc->bytes[1]))
		fail("path lengths differ from the bytes seen");
	if (info->path_len < info->local_len + info->domain_len &&
	    info->path_len != 0xffff)
		fail("path shorter than its parts");
	if ((info->flags & MSH_SMTP_PF_NULL) &&
	    (info->local_len || info->domain_len))
		fail("null path with content");
	pc->bytes[0] = 0;
	pc->bytes[1] = 0;
	pc->done++;
}

static u32 path_check(void *ctx, const struct msh_smtp_path_info *info)
{
	struct side *sd = ctx;

	return sd->hold && info->command && info->kind == MSH_SMTP_PATH_RCPT ?
	       MSH_SMTP_HOLD : 0;
}

static void rcpt_reply(void *ctx, u16 code, bool bad_mailbox)
{
	struct side *sd = ctx;

	if (code > 999 || (bad_mailbox && code / 100 == 0))
		fail("rcpt reply code");
	sd->replies++;
}

static void feed(struct side *sd, const struct msh_smtp_limits *lim,
		 bool hooks, int dir, const u8 *buf, u32 len)
{
	bool opaque = msh_smtp_state(&sd->s) == MSH_SMTP_ST_OPAQUE;
	u32 done = 0, off, m;

	while (done < len) {
		off = ~0U;
		if (dir)
			m = msh_smtp_feed_server_hooks(&sd->s, lim,
						       hooks ? &sd->hooks :
						       NULL, buf + done,
						       len - done, &off);
		else
			m = msh_smtp_feed_client(&sd->s, lim,
						 hooks ? &sd->hooks : NULL,
						 buf + done, len - done, &off);
		if (!msh_smtp_valid(&sd->s))
			fail("inconsistent state");
		if (opaque && (m || msh_smtp_state(&sd->s) !=
				    MSH_SMTP_ST_OPAQUE))
			fail("opaque is not final");
		if (!m) {
			if (off != len - done)
				fail("pass without consuming the chunk");
			break;
		}
		if (off >= len - done)
			fail("violation offset outside the chunk");
		if (m & ~(ALL_REASONS | MSH_SMTP_HOLD))
			fail("unknown reason bit");
		if ((m & MSH_SMTP_HOLD) && (dir || buf[done + off] != '\n'))
			fail("hold not at a command's LF");
		if (dir ? (m & ~SERVER_REASONS) : (m & SERVER_REASONS))
			fail("reason of the wrong direction");
		sd->hash = (sd->hash ^ (sd->pos + done + off)) *
			   0x100000001b3ULL;
		sd->hash = (sd->hash ^ m) * 0x100000001b3ULL;
		sd->nviol++;
		done += off + 1;
	}
	sd->pos += len;
}

static void side_init(struct side *sd, bool tls, bool hold)
{
	memset(sd, 0, sizeof(*sd));
	msh_smtp_init(&sd->s, tls);
	sd->hold = hold;
	sd->hooks.path_byte = path_byte;
	sd->hooks.path_done = path_done;
	sd->hooks.path_check = path_check;
	sd->hooks.rcpt_reply = rcpt_reply;
	sd->hooks.ctx = sd;
	sd->hash = 0xcbf29ce484222325ULL;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const struct msh_smtp_limits small = {
		.cmd_line = 24, .text_line = 20, .reply_line = 16,
		.local_part = 4, .domain = 6, .path = 10, .auth_line = 30,
		.max_junk = 2,
	};
	static struct side a, b;
	struct msh_smtp_limits def;
	const struct msh_smtp_limits *lim;
	size_t i = 1;
	bool hooks;
	u32 k;

	if (!size)
		return 0;
	msh_smtp_limits_default(&def);
	lim = (data[0] & 2) ? &small : &def;
	hooks = data[0] & 4;
	side_init(&a, data[0] & 1, data[0] & 8);
	side_init(&b, data[0] & 1, data[0] & 8);
	while (i < size) {
		int dir = data[i] & 1;
		size_t n = data[i] >> 1;

		i++;
		if (n > size - i)
			n = size - i;
		feed(&a, lim, hooks, dir, data + i, (u32)n);
		for (k = 0; k < n; k++)
			feed(&b, lim, hooks, dir, data + i + k, 1);
		if (a.hash != b.hash || a.nviol != b.nviol)
			fail("violations depend on chunking");
		if (memcmp(&a.s, &b.s, sizeof(a.s)))
			fail("state depends on chunking");
		if (a.pc.done != b.pc.done || a.replies != b.replies)
			fail("path callbacks depend on chunking");
		i += n;
	}
	return 0;
}
