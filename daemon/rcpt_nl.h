/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The recipient set over netlink: the upload (RCPT_BEGIN, RCPT_ADD
 * batches, RCPT_COMMIT; RCPT_ABORT on any error) and GET_RECIPIENTS.
 */
#ifndef MSH_RCPT_NL_H
#define MSH_RCPT_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rcpt_set.h"

struct msh_nl;
struct nl_msg;

/* Hashes per RCPT_ADD message: 32000 octets, well under 64 KiB. */
#define MSH_RCPT_BATCH		4000

/*
 * Upload the finished set s as a new generation and commit it. On error
 * the begun generation is aborted (the running set stays) and err holds
 * "COMMAND: reason[: the kernel's extack message]". Returns 0 or a
 * negative errno.
 */
int msh_rcpt_upload(struct msh_nl *nl, const struct msh_rcpt_set *s,
		    char *err, size_t errlen);

/*
 * The same with every request handed to send() instead of
 * msh_nl_transact() (tests look at the messages). send returns 0 or a
 * negative errno; extack() (may be NULL) gives the kernel's message.
 */
typedef int (*msh_rcpt_send_fn)(struct msh_nl *nl, struct nl_msg *msg,
				void *arg);
int msh_rcpt_upload_via(struct msh_nl *nl, const struct msh_rcpt_set *s,
			msh_rcpt_send_fn send, void *arg,
			char *err, size_t errlen);

/* The running set as GET_RECIPIENTS reports it. */
struct msh_rcpt_info {
	uint32_t generation;		/* 0: nothing committed yet */
	uint32_t addresses, domains, catchalls;
	uint64_t memory;		/* bytes */
	uint32_t age;			/* seconds since the commit */
	bool pending;			/* a generation is begun */
	uint32_t flags;
	char delims[MAILSHIELD_RCPT_DELIM_MAX + 1];	/* NUL-ended */
};

int msh_rcpt_get(struct msh_nl *nl, struct msh_rcpt_info *info);
/* Decode the MAILSHIELD_A_RECIPIENTS nest of a reply (tb: top level). */
struct nlattr;
int msh_rcpt_parse_info(struct nlattr **tb, struct msh_rcpt_info *info);

#endif /* MSH_RCPT_NL_H */
