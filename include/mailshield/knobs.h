/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The one definition of every policy knob. The kernel module builds its
 * netlink policy, defaults, validation, partial update and GET_POLICY
 * reply from this table; the daemon its config keys, value parsing,
 * printing and netlink encoding; mailshieldctl its "policy set" keys; and
 * scripts/knobs.py checks the UAPI header, the YNL spec, the docs table,
 * the example config and the test constants against it (make check).
 *
 * Adding a knob: append its attribute to enum mailshield_policy_attr (UAPI),
 * add one line here, give the kernel field a home, run
 * `scripts/knobs.py --write` and describe it in the YNL spec.
 *
 * MSH_KNOB(id, type, min, max, def, section, key, kfield, unit, doc)
 *   id      the attribute is MAILSHIELD_POLICY_A_<id>; the knob MSH_KNOB_<id>
 *   type    wire and config type, one of
 *             BOOL  u8 0/1; config yes/no
 *             U8    u8 in min..max
 *             U32   u32 in min..max
 *             SECS  u32 seconds in min..max; config also Nm, Nh, Nd
 *             ENUM  u8 0..max; config by name (MSH_KNOB_NAMES_<id>)
 *             MASK  u32 bit mask of violation reasons (max = valid bits);
 *                   config as reason names
 *             PORTS nest of MAILSHIELD_PORT_A_PORT, at most max entries,
 *                   at least min; config "25, 587" or none
 *   min,max range (integer literals, so that messages can quote them)
 *   def     default (a constant expression; PORTS: see MSH_KNOB_PORTS_DEF)
 *   section,key  the daemon's config section and key; mailshieldctl takes
 *           "section.key", or the key alone
 *   kfield  the member of the kernel's struct msh_policy that holds it
 *   unit    unit for the documentation ("" for none)
 *   doc     one line of documentation
 *
 * Lines stay in UAPI order. Only macros: included by kernel and userspace.
 */
#ifndef _MAILSHIELD_KNOBS_H
#define _MAILSHIELD_KNOBS_H

#include <linux/mailshield.h>

#define MSH_KNOB_LOG_ONLY_DEF					\
	((1U << MAILSHIELD_VIOLATION_REPLY_LINE) |		\
	 (1U << MAILSHIELD_VIOLATION_REPLY_SYNTAX))
#define MSH_KNOB_LOG_ONLY_MASK	((1U << __MAILSHIELD_VIOLATION_MAX) - 1)

/*
 * Value names of the ENUM knobs, in value order, and the UAPI enum they
 * are (its YNL name). BOOL knobs are no/yes.
 */
#define MSH_KNOB_NAMES_SOURCES_FULL	"admit", "refuse"
#define MSH_KNOB_ENUM_SOURCES_FULL	"full-action"
#define MSH_KNOB_NAMES_BAN_ACTION	"drop", "reset"
#define MSH_KNOB_ENUM_BAN_ACTION	"ban-action"
#define MSH_KNOB_NAMES_FLOWS_FULL	"admit", "refuse"
#define MSH_KNOB_ENUM_FLOWS_FULL	"full-action"
#define MSH_KNOB_NAMES_VIOLATION_ACTION	"reply", "reset"
#define MSH_KNOB_ENUM_VIOLATION_ACTION	"violation-action"
#define MSH_KNOB_NAMES_RCPT_MODE	"off", "log", "ban"
#define MSH_KNOB_ENUM_RCPT_MODE		"rcpt-mode"

/* Defaults of the two PORTS knobs. */
#define MSH_KNOB_PORTS_DEF_PORTS	25, 587, 465
#define MSH_KNOB_PORTS_DEF_TLS_PORTS	465

#define MSH_KNOBS(X)							\
	X(ENABLED, BOOL, 0, 1, 1, general, enabled, enabled, "",	\
	  "inspect traffic to the protected ports, or pass it all untouched") \
	X(PORTS, PORTS, 1, 16, 0, general, ports, ports, "ports",	\
	  "the protected TCP ports, where the MTA listens")		\
	X(SYNCOOKIES, BOOL, 0, 1, 1, limits, syncookies, admit.syncookies, "", \
	  "answer SYNs with SYN cookies; the per-source limits need it") \
	X(PREFIX_V4, U8, 8, 32, 32, limits, prefix_v4, admit.prefix4, "bits", \
	  "prefix length IPv4 sources are keyed by")			\
	X(PREFIX_V6, U8, 32, 128, 64, limits, prefix_v6, admit.prefix6, "bits", \
	  "prefix length IPv6 sources are keyed by")			\
	X(MAX_CONNS, U32, 0, 1000000, 20, limits, max_conns, admit.max_conns, \
	  "connections", "concurrent connections per source, 0 = no cap") \
	X(RATE, U32, 0, 1000000, 60, limits, rate, admit.rate, "per minute", \
	  "new connections per minute per source, 0 = no limit")	\
	X(BURST, U32, 1, 1000000, 20, limits, burst, admit.burst, "connections", \
	  "token bucket depth of the new-connection rate")		\
	X(SYNACK_RATE, U32, 0, 100000000, 200, limits, synack_rate,	\
	  admit.synack_rate, "per second",				\
	  "cookie SYN-ACKs per second per source prefix, 0 = no cap")	\
	X(MAX_SOURCES, U32, 16, 4194304, 65536, limits, max_sources,	\
	  admit.max_sources, "entries", "hard cap on per-source entries") \
	X(SOURCES_FULL, ENUM, 0, 1, MAILSHIELD_FULL_ADMIT, limits,	\
	  sources_full, admit.sources_full, "",				\
	  "a new source when the source table is full: admit or refuse") \
	X(BAN_ACTION, ENUM, 0, 1, MAILSHIELD_BAN_DROP, bans, ban_action, \
	  admit.ban_action, "", "what a banned source's SYN gets: drop or reset") \
	X(BAN_TIME, SECS, 1, 31622400, 3600, bans, ban_time, admit.ban_time, \
	  "seconds", "default ban duration")				\
	X(MAX_FLOWS, U32, 1, 4194304, 65536, smtp, max_flows, smtp.max_flows, \
	  "flows", "hard cap on inspected connections")			\
	X(FLOWS_FULL, ENUM, 0, 1, MAILSHIELD_FULL_ADMIT, smtp, flows_full, \
	  smtp.flows_full, "",						\
	  "a new connection when the flow table is full: admit uninspected or refuse") \
	X(FLOW_TIMEOUT, SECS, 10, 86400, 600, smtp, flow_timeout,	\
	  smtp.flow_timeout, "seconds",					\
	  "an inspected connection idle this long is aborted")		\
	X(LIMIT_CMD_LINE, U32, 0, 65535, 512, smtp, max_command_line,	\
	  smtp.lim.cmd_line, "octets",					\
	  "command line, CRLF included (RFC 5321), 0 = no limit")	\
	X(LIMIT_TEXT_LINE, U32, 0, 65535, 32768, smtp, max_text_line,	\
	  smtp.lim.text_line, "octets",					\
	  "DATA line (the RFC says 1000; real mail has longer ones), 0 = no limit") \
	X(LIMIT_REPLY_LINE, U32, 0, 65535, 512, smtp, max_reply_line,	\
	  smtp.lim.reply_line, "octets", "server reply line, 0 = no limit") \
	X(LIMIT_LOCAL_PART, U32, 0, 65535, 64, smtp, max_local_part,	\
	  smtp.lim.local_part, "octets",				\
	  "local part of a MAIL/RCPT address, 0 = no limit")		\
	X(LIMIT_DOMAIN, U32, 0, 65535, 255, smtp, max_domain,		\
	  smtp.lim.domain, "octets",					\
	  "domain of a MAIL/RCPT address, 0 = no limit")		\
	X(LIMIT_PATH, U32, 0, 65535, 256, smtp, max_path, smtp.lim.path, \
	  "octets", "MAIL/RCPT path with its brackets, 0 = no limit")	\
	X(LIMIT_AUTH_LINE, U32, 0, 65535, 12288, smtp, max_auth_line,	\
	  smtp.lim.auth_line, "octets",					\
	  "AUTH and SASL lines (RFC 4954), 0 = no limit")		\
	X(MAX_JUNK, U32, 0, 65535, 10, smtp, max_junk_commands,	\
	  smtp.lim.max_junk, "commands",				\
	  "unknown or junk commands allowed per connection")		\
	X(VIOLATION_ACTION, ENUM, 0, 1, MAILSHIELD_VIOLATION_REPLY, smtp, \
	  violation_action, smtp.violation_action, "",			\
	  "reply: SMTP error and FIN to the client; reset: RST both ways") \
	X(LOG_ONLY, MASK, 0, MSH_KNOB_LOG_ONLY_MASK, MSH_KNOB_LOG_ONLY_DEF, \
	  smtp, log_only, smtp.log_only, "reasons",			\
	  "violation reasons that are only counted and logged")		\
	X(VIOLATION_BAN, U32, 0, 65535, 5, smtp, violation_ban,	\
	  smtp.violation_ban, "violations",				\
	  "violations within the window that ban the source, 0 = never") \
	X(VIOLATION_WINDOW, SECS, 1, 86400, 600, smtp, violation_window, \
	  smtp.violation_window, "seconds", "the violation window")	\
	X(TLS_PORTS, PORTS, 0, 16, 0, smtp, tls_ports, smtp.tls_ports,	\
	  "ports", "implicit-TLS ports, opaque from the first byte")	\
	X(EXEMPT_LOCAL, BOOL, 0, 1, 1, limits, exempt_local,		\
	  admit.exempt_local, "",					\
	  "loopback and the host's own addresses are never limited or banned") \
	X(RCPT_MODE, ENUM, 0, 2, MAILSHIELD_RCPT_BAN, recipients, mode,	\
	  rcpt.mode, "",						\
	  "unknown recipients: off, log (count only) or ban over the threshold") \
	X(RCPT_THRESHOLD, U32, 0, 65535, 20, recipients, threshold,	\
	  rcpt.threshold, "recipients",					\
	  "unknown recipients within the window that ban the source, 0 = never") \
	X(RCPT_WINDOW, SECS, 1, 86400, 600, recipients, window,	\
	  rcpt.window, "seconds", "the unknown-recipient window")	\
	X(RCPT_LEARN, BOOL, 0, 1, 1, recipients, learn, rcpt.learn, "",	\
	  "a 550 5.1.1 or 5.1.0 reply to RCPT counts as an unknown recipient") \
	X(RCPT_MAX, U32, 0, 67108864, 4194304, recipients, max_recipients, \
	  rcpt.max, "addresses", "most addresses a recipient set may hold") \
	X(SYNACK_RETRIES, U8, 0, 3, 2, limits, synack_retries,		\
	  admit.synack_retries, "times",					\
	  "a cookie SYN-ACK not yet answered is sent again after 1 s, then 2 s more, this many times")

#define MSH_KNOB_ENUM_(id, ...)	MSH_KNOB_##id,
enum msh_knob {
	MSH_KNOBS(MSH_KNOB_ENUM_)
	MSH_KNOB_NUM
};

/* MSH_KNOB_DEF_<id>, MSH_KNOB_MIN_<id>, MSH_KNOB_MAX_<id> */
#define MSH_KNOB_CONST_(id, type, min, max, def, ...)			\
	MSH_KNOB_DEF_##id = (def), MSH_KNOB_MIN_##id = (min),		\
	MSH_KNOB_MAX_##id = (max),
enum {
	MSH_KNOBS(MSH_KNOB_CONST_)
};

#endif /* _MAILSHIELD_KNOBS_H */
