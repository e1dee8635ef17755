/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * SMTP sessions and the violations they must produce, shared by the KUnit
 * suite (kmod/tests/smtp_parser_test.c) and the userspace unit tests
 * (tests/unit/smtp_parser_test.c). Pure data: no kernel or libc calls.
 *
 * A script is a C string of session bytes with markers: TC switches to
 * client-to-server bytes, TS to server-to-client bytes, TN stands for a NUL
 * byte and TX marks the next byte as the offending byte of the next expected
 * violation (masks[], in order). Every violation is expected to be logged
 * only: the runner carries on after it with the following byte.
 */

#ifndef _MSH_SMTP_CASES_H
#define _MSH_SMTP_CASES_H

#include "../smtp_parser.h"

#define TC	"\x01"
#define TS	"\x02"
#define TN	"\x03"
#define TX	"\x04"

#define MSH_TC_MAX_EV	8

struct msh_smtp_case {
	const char *name;
	const char *script;
	u32 masks[MSH_TC_MAX_EV];	/* expected violations, in order */
	enum msh_smtp_state state;	/* state at the end */
	bool tls;			/* implicit TLS (port 465) */
	const struct msh_smtp_limits *lim;	/* NULL: defaults */
};

#define R(r)	MSH_SMTP_BIT(MSH_SMTP_R_##r)

/* Common session openings. */
#define BANNER	TS "220 mx.example.org ESMTP\r\n"
#define EHLO_CHUNKING TC "EHLO client.example.net\r\n" \
	TS "250-mx.example.org\r\n250-PIPELINING\r\n250-CHUNKING\r\n" \
	"250 SIZE 10240000\r\n"
#define EHLO_PLAIN TC "EHLO client.example.net\r\n" \
	TS "250-mx.example.org\r\n250 PIPELINING\r\n"
#define TRANS	TC "MAIL FROM:<a@example.net>\r\n" TS "250 ok\r\n" \
	TC "RCPT TO:<b@example.org>\r\n" TS "250 ok\r\n"
#define IN_DATA	BANNER EHLO_PLAIN TRANS TC "DATA\r\n" TS "354 go\r\n" TC

static const struct msh_smtp_limits msh_tc_junk1 = {
	.cmd_line = MSH_SMTP_DEF_CMD_LINE, .text_line = MSH_SMTP_DEF_TEXT_LINE,
	.reply_line = MSH_SMTP_DEF_REPLY_LINE,
	.local_part = MSH_SMTP_DEF_LOCAL_PART, .domain = MSH_SMTP_DEF_DOMAIN,
	.path = MSH_SMTP_DEF_PATH, .auth_line = MSH_SMTP_DEF_AUTH_LINE,
	.max_junk = 1,
};

static const struct msh_smtp_case msh_smtp_cases[] = {
	/* greeting */
	{ "greeting_multiline",
	  TS "220-mx.example.org ESMTP\r\n220-more\r\n220 ready\r\n"
	  TC "QUIT\r\n" TS "221 bye\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "greeting_wait", TS "220-mx.example.org\r\n",
	  { 0 }, MSH_SMTP_ST_GREETING, false, NULL },
	{ "pregreet", TC TX "EHLO c\r\n" TS "220 mx\r\n"
	  "250 mx\r\n" TC "QUIT\r\n",
	  { R(PREGREET) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "pregreet_multiline_banner",
	  TS "220-mx\r\n" TC TX "EHLO c\r\n" TS "220 mx\r\n250 mx\r\n",
	  { R(PREGREET) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "pregreet_partial_banner",
	  TS "220 mx" TC TX "\r\n" TS "\r\n",
	  { R(PREGREET) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "banner_554",
	  TS "554 no service\r\n" TC "QUIT\r\n" TS "221 bye\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	/* commands, replies and the FIFO */
	{ "session_data",
	  BANNER EHLO_PLAIN TRANS TC "DATA\r\n" TS "354 go ahead\r\n"
	  TC "Subject: hi\r\n\r\n..leading dot\r\n.x\r\nend\r\n.\r\n"
	  TS "250 queued\r\n" TC "QUIT\r\n" TS "221 bye\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "empty_message",
	  IN_DATA ".\r\n" TS "250 queued\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "data_state", IN_DATA "Subject: x\r\n", { 0 }, MSH_SMTP_ST_DATA, false, NULL },
	{ "data_nul_allowed", IN_DATA "a" TN "b\r\n.\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "verbs_case_insensitive",
	  BANNER TC "ehlo c\r\n" TS "250 mx\r\n" TC "mail from:<a@b>\r\n"
	  "RcPt To:<c@d>\r\ndata\r\n" TS "250 ok\r\n250 ok\r\n354 go\r\n"
	  TC ".\r\n" TS "250 ok\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "known_verbs_not_junk",
	  BANNER TC "HELO c\r\nRSET\r\nNOOP x\r\nVRFY a\r\nEXPN b\r\nHELP\r\n"
	  "QUIT\r\nXCLIENT ADDR=1.2.3.4\r\nETRN" TX " x\r\n",
	  { R(JUNK) }, MSH_SMTP_ST_COMMAND, false, &msh_tc_junk1 },
	{ "junk_verb_too_long",
	  BANNER TC "STARTTLSX\r\nABCDEFGH" TX "I\r\n",
	  { R(JUNK) }, MSH_SMTP_ST_COMMAND, false, &msh_tc_junk1 },
	{ "pipelined_group",
	  BANNER EHLO_PLAIN
	  TC "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nDATA\r\n"
	  TS "250 ok\r\n250 ok\r\n550 no such user\r\n354 go\r\n"
	  TC "hi\r\n.\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n"
	  TS "250 queued\r\n250 ok\r\n250 ok\r\n354 go\r\n" TC "x\r\n",
	  { 0 }, MSH_SMTP_ST_DATA, false, NULL },
	{ "pipelined_data_refused",
	  BANNER EHLO_PLAIN
	  TC "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n"
	  TS "250 ok\r\n550 no\r\n554 no valid recipients\r\n"
	  TC "RSET\r\n" TS "250 ok\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "pipelined_multiline_replies",
	  BANNER TC "EHLO a\r\nHELP\r\nNOOP\r\n"
	  TS "250-mx\r\n250 8BITMIME\r\n214-help\r\n214 end\r\n250 ok\r\n"
	  TC "DATA\r\n" TS "354 go\r\n",
	  { 0 }, MSH_SMTP_ST_DATA, false, NULL },
	{ "pipeline_after_data",
	  BANNER EHLO_PLAIN TRANS TC "DATA\r\n" TX "Subject: x\r\n",
	  { R(PIPELINE) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "pipeline_depth",
	  BANNER TC "EHLO a\r\nNOOP\r\nEHLO a\r\nNOOP\r\nEHLO a\r\nNOOP\r\n"
	  "EHLO a\r\nNOOP\r\nEHLO a\r\nNOOP\r\nEHLO a\r\nNOOP\r\n"
	  "EHLO a\r\nNOOP\r\nEHLO a\r\nNOOP\r\nEHLO a\r" TX "\n",
	  { R(PIPELINE_DEPTH) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "unsolicited_421",
	  BANNER TS "421 4.4.2 timeout\r\n" TC "QUIT\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "reply_syntax",
	  BANNER TS TX "xyz\r\n25\r" TX "\n" TC "QUIT\r\n",
	  { R(REPLY_SYNTAX), R(REPLY_SYNTAX) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "reply_bare_lf_accepted",
	  TS "220 mx\n" TC "EHLO a\r\n" TS "250 mx\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	/* smuggling and line ends */
	{ "bare_lf_command", BANNER TC "NOOP" TX "\nNOOP\r\n",
	  { R(BARE_LF) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "bare_cr_command", BANNER TC "NO\r" TX "OP\r\n",
	  { R(BARE_CR) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "cr_cr_lf", BANNER TC "NOOP\r" TX "\r\n",
	  { R(BARE_CR) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "nul_command", BANNER TC "NO" TX TN "OP\r\n",
	  { R(NUL) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "bare_lf_data", IN_DATA "a" TX "\nb\r\n.\r\n",
	  { R(BARE_LF) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "bare_cr_data", IN_DATA "a\r" TX "b\r\n.\r\n",
	  { R(BARE_CR) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "smuggle_lf_dot_lf",
	  IN_DATA "a" TX "\n." TX "\nMAIL FROM:<x@y>\r\n.\r\n",
	  { R(BARE_LF), R(BARE_LF) | R(SMUGGLE) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "smuggle_lf_dot_crlf",
	  IN_DATA "a" TX "\n.\r" TX "\nMAIL FROM:<x@y>\r\n.\r\n",
	  { R(BARE_LF), R(SMUGGLE) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "smuggle_cr_dot_crlf",
	  IN_DATA "a\r" TX ".\r" TX "\nMAIL FROM:<x@y>\r\n.\r\n",
	  { R(BARE_CR), R(SMUGGLE) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "smuggle_crlf_dot_lf",
	  IN_DATA "a\r\n." TX "\nMAIL FROM:<x@y>\r\n.\r\n",
	  { R(BARE_LF) | R(SMUGGLE) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "smuggle_crlf_dot_cr",
	  IN_DATA "a\r\n.\r" TX "MAIL FROM:<x@y>\r\n.\r\n",
	  { R(BARE_CR) | R(SMUGGLE) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "smuggle_at_data_start", IN_DATA "." TX "\nx\r\n.\r\n",
	  { R(BARE_LF) | R(SMUGGLE) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "dot_lines_not_end", IN_DATA ".a\r\n..\r\n. \r\n.\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "data_end_then_commands",
	  IN_DATA "x\r\n.\r\nMAIL FROM:<a@b>\r\nQUIT\r\n"
	  TS "250 queued\r\n250 ok\r\n221 bye\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	/* BDAT (RFC 3030) */
	{ "bdat_chunks_cut_lines",
	  BANNER EHLO_CHUNKING TRANS
	  TC "BDAT 5\r\nab\r\ncBDAT 7\r\nd\ne\r.\nfBDAT 3 LAST\r\nxyzQUIT\r\n"
	  TS "250 ok\r\n250 ok\r\n250 queued\r\n221 bye\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "bdat_state", BANNER EHLO_CHUNKING TRANS TC "BDAT 10 LAST\r\nabc",
	  { 0 }, MSH_SMTP_ST_BDAT, false, NULL },
	{ "bdat_zero_last",
	  BANNER EHLO_CHUNKING TC "bdat 0 last\r\nbdat 2  LAST \r\n\r\nQUIT\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "bdat_without_chunking",
	  BANNER EHLO_PLAIN TRANS TC "BDAT 3 LAST\r" TX "\nabcQUIT\r\n",
	  { R(BDAT) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "bdat_chunking_in_hostname",
	  BANNER TC "EHLO a\r\n" TS "250-CHUNKING\r\n250 SIZE\r\n"
	  TC "BDAT 1\r" TX "\nxQUIT\r\n",
	  { R(BDAT) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "bdat_chunking_lower_case",
	  BANNER TC "EHLO a\r\n" TS "250-mx\r\n250 chunking\r\n"
	  TC "BDAT 1\r\nxQUIT\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "bdat_bad_size",
	  BANNER EHLO_CHUNKING TC "BDAT x\r" TX "\nBDAT 4294967296\r" TX "\n"
	  "BDAT 2 LASTX\r" TX "\nabBDAT\r" TX "\nQUIT\r\n",
	  { R(BDAT), R(BDAT), R(BDAT), R(BDAT) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "bdat_max_size",
	  BANNER EHLO_CHUNKING TC "BDAT 4294967295\r\nab",
	  { 0 }, MSH_SMTP_ST_BDAT, false, NULL },
	/* STARTTLS and implicit TLS */
	{ "starttls",
	  BANNER EHLO_PLAIN TC "STARTTLS\r\n" TS "220 go ahead\r\n"
	  TC "\x16\x03\x01\n.\n\r" TN "\xff" TS "\x16\x03\x03\n\n",
	  { 0 }, MSH_SMTP_ST_OPAQUE, false, NULL },
	{ "starttls_inject",
	  BANNER EHLO_PLAIN TC "StartTLS\r\n" TX "RSET\r\n" TS "220 go\r\n"
	  TC "\x16\x03\x01",
	  { R(STARTTLS_INJECT) }, MSH_SMTP_ST_OPAQUE, false, NULL },
	{ "starttls_after_data_pipelined",
	  BANNER EHLO_PLAIN TRANS TC "DATA\r\n" TX "STARTTLS\r\n"
	  TS "354 go\r\n220 go\r\n" TC "\n.\n",
	  { R(PIPELINE) }, MSH_SMTP_ST_OPAQUE, false, NULL },
	{ "starttls_refused",
	  BANNER EHLO_PLAIN TC "STARTTLS\r\n" TS "454 not now\r\n" TRANS,
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "implicit_tls", TC "\x16\x03\x01\n\r" TN TS "\x16\x03\x03\r\r\n",
	  { 0 }, MSH_SMTP_ST_OPAQUE, true, NULL },
	/* AUTH (RFC 4954) */
	{ "auth_initial_response",
	  BANNER EHLO_PLAIN TC "AUTH PLAIN AGEAYg==\r\n" TS "235 ok\r\n" TRANS,
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "auth_continuation",
	  BANNER EHLO_PLAIN TC "AUTH LOGIN\r\n" TS "334 VXNlcm5hbWU6\r\n"
	  TC "dXNlcg==\r\n" TS "334 UGFzc3dvcmQ6\r\n" TC "cGFzcw==\r\n"
	  TS "235 2.7.0 ok\r\n" TRANS,
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "auth_sasl_state",
	  BANNER TC "AUTH LOGIN\r\n" TS "334 VXNlcm5hbWU6\r\n",
	  { 0 }, MSH_SMTP_ST_SASL, false, NULL },
	{ "auth_cancel",
	  BANNER TC "AUTH LOGIN\r\n" TS "334 VXNlcm5hbWU6\r\n" TC "*\r\n"
	  TS "501 cancelled\r\n" TC "QUIT\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "auth_failed",
	  BANNER TC "AUTH PLAIN\r\n" TS "334 \r\n" TC "AGEAYg==\r\n"
	  TS "535 5.7.8 no\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "auth_pipelined", BANNER TC "AUTH LOGIN\r\n" TX "dXNlcg==\r\n",
	  { R(PIPELINE) }, MSH_SMTP_ST_COMMAND, false, NULL },
	{ "sasl_pipelined",
	  BANNER TC "AUTH LOGIN\r\n" TS "334 VXNlcm5hbWU6\r\n"
	  TC "dXNlcg==\r\n" TX "cGFzcw==\r\n",
	  { R(PIPELINE) }, MSH_SMTP_ST_SASL, false, NULL },
	{ "sasl_nul", BANNER TC "AUTH PLAIN\r\n" TS "334 \r\n"
	  TC "a" TX TN "b\r\n",
	  { R(NUL) }, MSH_SMTP_ST_SASL, false, NULL },
	{ "sasl_bare_lf", BANNER TC "AUTH PLAIN\r\n" TS "334 \r\n"
	  TC "ab" TX "\n" TS "235 ok\r\n",
	  { R(BARE_LF) }, MSH_SMTP_ST_COMMAND, false, NULL },
	/* MAIL FROM / RCPT TO paths */
	{ "path_forms",
	  BANNER TC "MAIL FROM:<>\r\nRCPT TO:<postmaster>\r\n"
	  "RCPT TO:<\"a b>@c\\\"\"@x.org>\r\nRCPT TO:<@r1,@r2:u@d>\r\n"
	  "RCPT TO: <u@d> NOTIFY=NEVER\r\nrcpt to:u@d\r\n"
	  "MAIL FROM:<u@[192.0.2.1]> SIZE=100\r\nMAIL FROM <x>\r\n",
	  { 0 }, MSH_SMTP_ST_COMMAND, false, NULL },
};

/*
 * Limits at exactly the limit and one past it. The script is prefix, then
 * n units, then suffix: with n = n_exact nothing is reported; with
 * n_exact + 1 units, mask is reported at the byte mark octets after the
 * start of the last unit (mark == unit length: the first suffix byte).
 */
struct msh_smtp_limit_case {
	const char *name;
	const char *prefix;
	const char *unit;
	const char *suffix;
	u32 n_exact;
	u32 mark;
	u32 mask;
	enum msh_smtp_state state;
	const struct msh_smtp_limits *lim;	/* NULL: defaults */
};

static const struct msh_smtp_limits msh_tc_small = {
	.cmd_line = 100, .text_line = 100, .reply_line = 100,
	.local_part = 8, .domain = 40, .path = 32, .auth_line = 200,
	.max_junk = 2,
};

static const struct msh_smtp_limits msh_tc_nopath = {
	.cmd_line = MSH_SMTP_DEF_CMD_LINE, .text_line = MSH_SMTP_DEF_TEXT_LINE,
	.reply_line = MSH_SMTP_DEF_REPLY_LINE,
	.local_part = MSH_SMTP_DEF_LOCAL_PART, .domain = MSH_SMTP_DEF_DOMAIN,
	.path = 0, .auth_line = MSH_SMTP_DEF_AUTH_LINE,
	.max_junk = MSH_SMTP_DEF_MAX_JUNK,
};

/* The defaults but RFC 5321's strict DATA line limit (4.5.3.1.6). */
static const struct msh_smtp_limits msh_tc_strict = {
	.cmd_line = MSH_SMTP_DEF_CMD_LINE, .text_line = 1000,
	.reply_line = MSH_SMTP_DEF_REPLY_LINE,
	.local_part = MSH_SMTP_DEF_LOCAL_PART, .domain = MSH_SMTP_DEF_DOMAIN,
	.path = MSH_SMTP_DEF_PATH, .auth_line = MSH_SMTP_DEF_AUTH_LINE,
	.max_junk = MSH_SMTP_DEF_MAX_JUNK,
};

#define SASL_OPEN BANNER TC "AUTH LOGIN\r\n" TS "334 VXNlcm5hbWU6\r\n" TC

static const struct msh_smtp_limit_case msh_smtp_limit_cases[] = {
	{ "cmd_line", BANNER TC "NOOP ", "a", "\r\n",
	  MSH_SMTP_DEF_CMD_LINE - 7, 0, R(CMD_LINE), MSH_SMTP_ST_COMMAND, NULL },
	{ "text_line", IN_DATA, "x", "\r\n.\r\n",
	  MSH_SMTP_DEF_TEXT_LINE - 2, 0, R(TEXT_LINE), MSH_SMTP_ST_COMMAND, NULL },
	{ "text_line_stuffed_dot", IN_DATA ".", "x", "\r\n.\r\n",
	  MSH_SMTP_DEF_TEXT_LINE - 2, 0, R(TEXT_LINE), MSH_SMTP_ST_COMMAND, NULL },
	{ "reply_line", TS "220 ", "r", "\r\n",
	  MSH_SMTP_DEF_REPLY_LINE - 6, 0, R(REPLY_LINE), MSH_SMTP_ST_COMMAND, NULL },
	{ "local_part", BANNER TC "MAIL FROM:<", "l", "@example.org>\r\n",
	  MSH_SMTP_DEF_LOCAL_PART, 0, R(LOCAL_PART), MSH_SMTP_ST_COMMAND, NULL },
	{ "domain", BANNER TC "RCPT TO:<a@", "d", ">\r\n",
	  MSH_SMTP_DEF_DOMAIN, 0, R(DOMAIN), MSH_SMTP_ST_COMMAND, &msh_tc_nopath },
	{ "path", BANNER TC "RCPT TO:<a@", "d", ">\r\n",
	  MSH_SMTP_DEF_PATH - 4, 1, R(PATH), MSH_SMTP_ST_COMMAND, NULL },
	{ "auth_line_command", BANNER TC "AUTH PLAIN ", "A", "\r\n",
	  MSH_SMTP_DEF_AUTH_LINE - 13, 0, R(AUTH_LINE), MSH_SMTP_ST_COMMAND, NULL },
	{ "auth_line_sasl", SASL_OPEN, "B", "\r\n" TS "235 ok\r\n",
	  MSH_SMTP_DEF_AUTH_LINE - 2, 0, R(AUTH_LINE), MSH_SMTP_ST_COMMAND, NULL },
	{ "max_junk", BANNER TC, "XYZZY\r\n", "QUIT\r\n",
	  MSH_SMTP_DEF_MAX_JUNK, 6, R(JUNK), MSH_SMTP_ST_COMMAND, NULL },
	{ "strict_text_line", IN_DATA, "x", "\r\n.\r\n",
	  998, 0, R(TEXT_LINE), MSH_SMTP_ST_COMMAND, &msh_tc_strict },
	{ "strict_text_line_stuffed_dot", IN_DATA ".", "x", "\r\n.\r\n",
	  998, 0, R(TEXT_LINE), MSH_SMTP_ST_COMMAND, &msh_tc_strict },
	{ "small_cmd_line", BANNER TC "NOOP ", "a", "\r\n",
	  93, 0, R(CMD_LINE), MSH_SMTP_ST_COMMAND, &msh_tc_small },
	{ "small_text_line", IN_DATA, "x", "\r\n.\r\n",
	  98, 0, R(TEXT_LINE), MSH_SMTP_ST_COMMAND, &msh_tc_small },
	{ "small_reply_line", TS "220 ", "r", "\r\n",
	  94, 0, R(REPLY_LINE), MSH_SMTP_ST_COMMAND, &msh_tc_small },
	{ "small_quoted_local_part", BANNER TC "RCPT TO:<\"", "q", "\"@d>\r\n",
	  6, 1, R(LOCAL_PART), MSH_SMTP_ST_COMMAND, &msh_tc_small },
	{ "small_path", BANNER TC "RCPT TO:<a@", "d", ">\r\n",
	  28, 1, R(PATH), MSH_SMTP_ST_COMMAND, &msh_tc_small },
	{ "small_auth_line", SASL_OPEN, "B", "\r\n" TS "235 ok\r\n",
	  198, 0, R(AUTH_LINE), MSH_SMTP_ST_COMMAND, &msh_tc_small },
	{ "small_max_junk", BANNER TC, "XYZZY\r\n", "QUIT\r\n",
	  2, 6, R(JUNK), MSH_SMTP_ST_COMMAND, &msh_tc_small },
};

#endif /* _MSH_SMTP_CASES_H */
