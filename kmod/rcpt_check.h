/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The check of every RCPT TO (directory-harvest defence), as parser hooks
 * the inspector (inspect.c) passes to the SMTP parser while it holds the
 * flow lock. Documentation/recipients.md describes the verdicts.
 */

#ifndef _MSH_RCPT_CHECK_H
#define _MSH_RCPT_CHECK_H

#include <linux/types.h>

#include "rcpt_hash.h"
#include "smtp_parser.h"

struct msh_flow;
struct msh_net;
struct msh_policy;
struct msh_rcpt_set;

/* Learn mode: RCPTs awaiting their replies, at most this many tracked. */
#define MSH_RCPT_LEARN_QUEUE	64

/* Per-flow state (in struct msh_flow, under its lock): 112 bytes. */
struct msh_rcpt_flow {
	struct msh_rcpt_hash h;	/* the RCPT path being parsed */
	/*
	 * Learn mode: one bit per RCPT whose reply is awaited, oldest in
	 * bit 0; set = its reply teaches nothing (the set already counted
	 * it, or its path has no domain).
	 */
	u64 skip;
	u8 nskip;
};

/* One feed of one flow's bytes (stack of the hook, RCU held). */
struct msh_rcpt_ctx {
	struct msh_smtp_hooks hooks;
	struct msh_net *mn;
	const struct msh_policy *p;
	struct msh_flow *f;
	const struct msh_rcpt_set *set;	/* running set, or NULL */
	u32 ban_s;
	bool banned;		/* this feed banned the source */
	u16 unknown;		/* unknown recipients counted by this feed */
	u8 why;			/* of them, enum mailshield_rcpt_unknown */
};

/*
 * The hooks to feed @f's bytes with, or NULL when the policy does not look
 * at recipients. Under RCU; the flow lock need not be held yet.
 */
const struct msh_smtp_hooks *msh_rcpt_hooks(struct msh_rcpt_ctx *rc,
					    struct msh_net *mn,
					    const struct msh_policy *p,
					    struct msh_flow *f);

/*
 * After the feed, flow lock released: reports a ban it set, and in log
 * mode the unknown recipients it counted (a RECIPIENT event).
 */
void msh_rcpt_flush(struct msh_rcpt_ctx *rc);

#endif /* _MSH_RCPT_CHECK_H */
