/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * mailshield generic netlink interface, shared by the kernel module and the
 * userspace daemon and CLI. Documentation/netlink/mailshield.yaml describes
 * the same family in YNL form.
 *
 * Every operation requires CAP_NET_ADMIN and acts on the network namespace
 * of the requesting socket. Enumerations only ever grow at the end.
 */
#ifndef _UAPI_LINUX_MAILSHIELD_H
#define _UAPI_LINUX_MAILSHIELD_H

#define MAILSHIELD_GENL_NAME		"mailshield"
#define MAILSHIELD_GENL_VERSION		1
#define MAILSHIELD_MCGRP_EVENTS		"events"

/* Upper bound on the number of protected ports in one policy. */
#define MAILSHIELD_MAX_PORTS		16

enum mailshield_cmd {
	MAILSHIELD_CMD_UNSPEC,
	/*
	 * GET_POLICY: request carries nothing; the reply carries
	 * MAILSHIELD_A_POLICY.
	 */
	MAILSHIELD_CMD_GET_POLICY,
	/*
	 * SET_POLICY: request carries MAILSHIELD_A_POLICY. Attributes that are
	 * present replace the running values, absent ones keep them. The
	 * request is validated as a whole: on any error nothing changes and
	 * the extack message names the problem. A successful change sends a
	 * MAILSHIELD_EVENT_POLICY event.
	 */
	MAILSHIELD_CMD_SET_POLICY,
	/* GET_STATS: reply carries MAILSHIELD_A_STATS. */
	MAILSHIELD_CMD_GET_STATS,
	/* EVENT: sent by the kernel on the "events" multicast group only. */
	MAILSHIELD_CMD_EVENT,
	/*
	 * GET_SOURCES: dump; one message per per-source entry, each carrying
	 * MAILSHIELD_A_SOURCE.
	 */
	MAILSHIELD_CMD_GET_SOURCES,
	/* GET_BANS: dump; like GET_SOURCES, only the banned entries. */
	MAILSHIELD_CMD_GET_BANS,
	/*
	 * BAN: request carries MAILSHIELD_A_SOURCE with an address, optional
	 * prefix length and optional ban duration; bans that source prefix.
	 */
	MAILSHIELD_CMD_BAN,
	/* UNBAN: request carries MAILSHIELD_A_SOURCE with an address. */
	MAILSHIELD_CMD_UNBAN,
	/*
	 * SET_ALLOWLIST: request carries MAILSHIELD_A_ALLOWLIST, which replaces
	 * the whole allowlist (an empty nest clears it).
	 */
	MAILSHIELD_CMD_SET_ALLOWLIST,
	/* GET_ALLOWLIST: reply carries MAILSHIELD_A_ALLOWLIST. */
	MAILSHIELD_CMD_GET_ALLOWLIST,
	/* GET_FLOWS: dump; one message per inspected flow (MAILSHIELD_A_FLOW). */
	MAILSHIELD_CMD_GET_FLOWS,
	/*
	 * RCPT_BEGIN: request carries MAILSHIELD_A_RECIPIENTS with KEY,
	 * FLAGS, DELIMITERS and the counts ADDRESSES, DOMAINS, CATCHALLS of
	 * the set to come. Starts a new generation (replacing one that was
	 * begun and not committed); the running set keeps serving.
	 */
	MAILSHIELD_CMD_RCPT_BEGIN,
	/*
	 * RCPT_ADD: request carries MAILSHIELD_A_RECIPIENTS with any of
	 * HASHES, DOMAIN_HASHES, CATCHALL_HASHES: packed u64 arrays, each
	 * strictly ascending, continuing the previous batch of its kind.
	 */
	MAILSHIELD_CMD_RCPT_ADD,
	/*
	 * RCPT_COMMIT: the begun generation, complete (every announced hash
	 * added), replaces the running set.
	 */
	MAILSHIELD_CMD_RCPT_COMMIT,
	/* RCPT_ABORT: drop the begun generation. */
	MAILSHIELD_CMD_RCPT_ABORT,
	/*
	 * GET_RECIPIENTS: reply carries MAILSHIELD_A_RECIPIENTS with
	 * GENERATION, ADDRESSES, DOMAINS, CATCHALLS, MEMORY, AGE, PENDING,
	 * FLAGS and DELIMITERS of the running set (never the key).
	 */
	MAILSHIELD_CMD_GET_RECIPIENTS,

	__MAILSHIELD_CMD_MAX,
};

#define MAILSHIELD_CMD_MAX (__MAILSHIELD_CMD_MAX - 1)

enum mailshield_attr {
	MAILSHIELD_A_UNSPEC,
	MAILSHIELD_A_POLICY,		/* nest, enum mailshield_policy_attr */
	MAILSHIELD_A_STATS,		/* nest, enum mailshield_stats_attr */
	MAILSHIELD_A_EVENT,		/* nest, enum mailshield_event_attr */
	MAILSHIELD_A_SOURCE,		/* nest, enum mailshield_source_attr */
	MAILSHIELD_A_ALLOWLIST,		/* nest of MAILSHIELD_A_ADDR */
	MAILSHIELD_A_ADDR,		/* nest, enum mailshield_addr_attr */
	MAILSHIELD_A_FLOW,		/* nest, enum mailshield_flow_attr */
	MAILSHIELD_A_RECIPIENTS,	/* nest, enum mailshield_rcpt_attr */

	__MAILSHIELD_A_MAX,
};

#define MAILSHIELD_A_MAX (__MAILSHIELD_A_MAX - 1)

enum mailshield_policy_attr {
	MAILSHIELD_POLICY_A_UNSPEC,
	/* u8, 0 or 1: inspect (1) or pass everything untouched (0). */
	MAILSHIELD_POLICY_A_ENABLED,
	/*
	 * nest of MAILSHIELD_PORT_A_PORT (u16, 1..65535), one per protected
	 * TCP port; 1..MAILSHIELD_MAX_PORTS entries, no duplicates.
	 */
	MAILSHIELD_POLICY_A_PORTS,

	/* --- connection admission (SYN cookies, per-source limits) --- */
	/* u8, 0 or 1: answer SYNs on protected ports with cookies (1) */
	MAILSHIELD_POLICY_A_SYNCOOKIES,
	/* u8: prefix length sources are keyed by, IPv4 8..32 (32) */
	MAILSHIELD_POLICY_A_PREFIX_V4,
	/* u8: prefix length sources are keyed by, IPv6 32..128 (64) */
	MAILSHIELD_POLICY_A_PREFIX_V6,
	/* u32: concurrent connections per source, 0 = unlimited (20) */
	MAILSHIELD_POLICY_A_MAX_CONNS,
	/* u32: new connections per minute per source, 0 = unlimited */
	MAILSHIELD_POLICY_A_RATE,
	/* u32: token bucket depth for new connections per source */
	MAILSHIELD_POLICY_A_BURST,
	/* u32: cap on cookie SYN-ACKs per second per source prefix, 0 = none */
	MAILSHIELD_POLICY_A_SYNACK_RATE,
	/* u32: hard cap on per-source entries */
	MAILSHIELD_POLICY_A_MAX_SOURCES,
	/* u8, enum mailshield_full_action: new source when the table is full */
	MAILSHIELD_POLICY_A_SOURCES_FULL,
	/* u8, enum mailshield_ban_action: what a banned source's SYN gets */
	MAILSHIELD_POLICY_A_BAN_ACTION,
	/* u32: default ban duration in seconds */
	MAILSHIELD_POLICY_A_BAN_TIME,

	/* --- SMTP stream inspection --- */
	/* u32: hard cap on inspected flows */
	MAILSHIELD_POLICY_A_MAX_FLOWS,
	/* u8, enum mailshield_full_action: new flow when the table is full */
	MAILSHIELD_POLICY_A_FLOWS_FULL,
	/* u32: idle timeout of a flow in seconds */
	MAILSHIELD_POLICY_A_FLOW_TIMEOUT,
	/* u32 each: RFC 5321 section 4.5.3.1 limits (octets, CRLF included) */
	MAILSHIELD_POLICY_A_LIMIT_CMD_LINE,	/* 512 */
	MAILSHIELD_POLICY_A_LIMIT_TEXT_LINE,	/* 32768 (the RFC says 1000) */
	MAILSHIELD_POLICY_A_LIMIT_REPLY_LINE,	/* 512 */
	MAILSHIELD_POLICY_A_LIMIT_LOCAL_PART,	/* 64 */
	MAILSHIELD_POLICY_A_LIMIT_DOMAIN,	/* 255 */
	MAILSHIELD_POLICY_A_LIMIT_PATH,		/* 256 */
	MAILSHIELD_POLICY_A_LIMIT_AUTH_LINE,	/* 12288, RFC 4954 */
	/* u32: unknown or junk commands allowed per connection */
	MAILSHIELD_POLICY_A_MAX_JUNK,
	/* u8, enum mailshield_violation_action */
	MAILSHIELD_POLICY_A_VIOLATION_ACTION,
	/* u32: bit n set = violation reason n is only logged and counted */
	MAILSHIELD_POLICY_A_LOG_ONLY,
	/* u32: violations in the window that ban the source, 0 = never */
	MAILSHIELD_POLICY_A_VIOLATION_BAN,
	/* u32: the violation window in seconds */
	MAILSHIELD_POLICY_A_VIOLATION_WINDOW,
	/* nest of MAILSHIELD_PORT_A_PORT: implicit-TLS ports, opaque (465) */
	MAILSHIELD_POLICY_A_TLS_PORTS,

	/*
	 * u8, 0 or 1: loopback and the host's own addresses are never
	 * limited, rate-capped or banned (1)
	 */
	MAILSHIELD_POLICY_A_EXEMPT_LOCAL,

	/* --- recipients (directory-harvest defence) --- */
	/* u8, enum mailshield_rcpt_mode (MAILSHIELD_RCPT_BAN) */
	MAILSHIELD_POLICY_A_RCPT_MODE,
	/* u32: unknown recipients in the window that ban, 0 = never (20) */
	MAILSHIELD_POLICY_A_RCPT_THRESHOLD,
	/* u32: the unknown-recipient window in seconds (600) */
	MAILSHIELD_POLICY_A_RCPT_WINDOW,
	/* u8, 0 or 1: a 550 5.1.x reply to RCPT counts as unknown (1) */
	MAILSHIELD_POLICY_A_RCPT_LEARN,
	/* u32: most address hashes a recipient set may hold */
	MAILSHIELD_POLICY_A_RCPT_MAX,

	/* u8: times a cookie SYN-ACK is sent again without an ACK, 0..3 (2) */
	MAILSHIELD_POLICY_A_SYNACK_RETRIES,

	__MAILSHIELD_POLICY_A_MAX,
};

#define MAILSHIELD_POLICY_A_MAX (__MAILSHIELD_POLICY_A_MAX - 1)

enum mailshield_port_attr {
	MAILSHIELD_PORT_A_UNSPEC,
	MAILSHIELD_PORT_A_PORT,		/* u16, host byte order */

	__MAILSHIELD_PORT_A_MAX,
};

#define MAILSHIELD_PORT_A_MAX (__MAILSHIELD_PORT_A_MAX - 1)

enum mailshield_full_action {
	MAILSHIELD_FULL_ADMIT,		/* let it through unaccounted, count it */
	MAILSHIELD_FULL_REFUSE,		/* refuse the connection, count it */
};

enum mailshield_ban_action {
	MAILSHIELD_BAN_DROP,		/* drop a banned source's SYNs */
	MAILSHIELD_BAN_RESET,		/* answer them with a RST */
};

enum mailshield_rcpt_mode {
	MAILSHIELD_RCPT_OFF,		/* RCPT TO is not looked at */
	MAILSHIELD_RCPT_LOG,		/* count and log, never ban */
	MAILSHIELD_RCPT_BAN,		/* ban a source over the threshold */
};

/* Why a recipient is unknown (MAILSHIELD_EVENT_A_REASON of RECIPIENT). */
enum mailshield_rcpt_unknown {
	MAILSHIELD_RCPT_NOT_IN_SET,	/* a protected domain, not in the set */
	MAILSHIELD_RCPT_LEARNED,	/* the MTA answered 550 5.1.1 / 5.1.0 */
};

enum mailshield_violation_action {
	/* SMTP error reply and FIN to the client, RST to the local socket */
	MAILSHIELD_VIOLATION_REPLY,
	/* RST both ways */
	MAILSHIELD_VIOLATION_RESET,
};

/* An address or prefix: exactly one of V4 / V6, optional prefix length. */
enum mailshield_addr_attr {
	MAILSHIELD_ADDR_A_UNSPEC,
	MAILSHIELD_ADDR_A_V4,		/* 4 bytes, network byte order */
	MAILSHIELD_ADDR_A_V6,		/* 16 bytes */
	MAILSHIELD_ADDR_A_PREFIX_LEN,	/* u8 */

	__MAILSHIELD_ADDR_A_MAX,
};

#define MAILSHIELD_ADDR_A_MAX (__MAILSHIELD_ADDR_A_MAX - 1)

/*
 * One per-source entry (GET_SOURCES / GET_BANS replies), or the source of a
 * BAN / UNBAN request. In requests only ADDR and DURATION are read.
 */
enum mailshield_source_attr {
	MAILSHIELD_SOURCE_A_UNSPEC,
	MAILSHIELD_SOURCE_A_PAD,
	/*
	 * nest, enum mailshield_addr_attr: the masked network address and
	 * the keying prefix length. BAN/UNBAN: the address; a prefix length,
	 * if given, must equal the keying prefix of the family.
	 */
	MAILSHIELD_SOURCE_A_ADDR,
	MAILSHIELD_SOURCE_A_FLOWS,		/* u32: open connections */
	MAILSHIELD_SOURCE_A_TOKENS,		/* u32: connections left in the bucket */
	MAILSHIELD_SOURCE_A_VIOLATIONS,		/* u32: in the window */
	MAILSHIELD_SOURCE_A_BAD_RCPTS,		/* u32: in the window */
	MAILSHIELD_SOURCE_A_REFUSALS,		/* u32: in the window */
	MAILSHIELD_SOURCE_A_VIOLATIONS_TOTAL,	/* u32, saturating */
	MAILSHIELD_SOURCE_A_BAD_RCPTS_TOTAL,	/* u32, saturating */
	MAILSHIELD_SOURCE_A_IDLE,		/* u32: seconds since last seen */
	MAILSHIELD_SOURCE_A_BAN_REASON,		/* u32, enum mailshield_ban_reason */
	/* u64: ms until the ban ends; absent if not banned; U64_MAX: forever */
	MAILSHIELD_SOURCE_A_BAN_LEFT,
	/*
	 * u32, BAN request only: ban duration in seconds, 0 = until UNBAN;
	 * absent = the policy's BAN_TIME.
	 */
	MAILSHIELD_SOURCE_A_DURATION,

	__MAILSHIELD_SOURCE_A_MAX,
};

#define MAILSHIELD_SOURCE_A_MAX (__MAILSHIELD_SOURCE_A_MAX - 1)

/* Why a source is banned. */
enum mailshield_ban_reason {
	MAILSHIELD_BAN_REASON_NONE,
	MAILSHIELD_BAN_REASON_MANUAL,		/* BAN from the control plane */
	MAILSHIELD_BAN_REASON_RATE,		/* refused too often: rate */
	MAILSHIELD_BAN_REASON_CONCURRENCY,	/* refused too often: flows */
	MAILSHIELD_BAN_REASON_VIOLATIONS,	/* SMTP violations */
	MAILSHIELD_BAN_REASON_RECIPIENTS,	/* unknown recipients */

	__MAILSHIELD_BAN_REASON_MAX,
};

/*
 * Counters of the network namespace, all u64. "rx" is traffic to a
 * protected port (client to server), "tx" is traffic from it (server to
 * client). Bytes are TCP payload bytes.
 */
enum mailshield_stats_attr {
	MAILSHIELD_STATS_A_UNSPEC,
	MAILSHIELD_STATS_A_PAD,
	MAILSHIELD_STATS_A_RX_PACKETS,
	MAILSHIELD_STATS_A_RX_BYTES,
	MAILSHIELD_STATS_A_RX_SYN,
	MAILSHIELD_STATS_A_RX_FIN,
	MAILSHIELD_STATS_A_RX_RST,
	MAILSHIELD_STATS_A_TX_PACKETS,
	MAILSHIELD_STATS_A_TX_BYTES,
	MAILSHIELD_STATS_A_TX_SYNACK,
	MAILSHIELD_STATS_A_TX_FIN,
	MAILSHIELD_STATS_A_TX_RST,
	MAILSHIELD_STATS_A_RX_PACKETS_V6,	/* subset of RX_PACKETS */
	MAILSHIELD_STATS_A_TX_PACKETS_V6,	/* subset of TX_PACKETS */

	/* connection admission */
	MAILSHIELD_STATS_A_COOKIES_SENT,	/* cookie SYN-ACKs sent */
	MAILSHIELD_STATS_A_COOKIES_VALID,	/* ACKs with a valid cookie */
	MAILSHIELD_STATS_A_COOKIES_INVALID,	/* ACKs with a wrong cookie */
	MAILSHIELD_STATS_A_SYNACK_LIMITED,	/* SYNs over the SYN-ACK cap */
	MAILSHIELD_STATS_A_OVER_CONCURRENCY,	/* refused: too many flows */
	MAILSHIELD_STATS_A_OVER_RATE,		/* refused: over the rate */
	MAILSHIELD_STATS_A_BANNED,		/* refused: source banned */
	MAILSHIELD_STATS_A_SOURCES_FULL,	/* source table full */
	MAILSHIELD_STATS_A_ALLOWLISTED,		/* admitted by the allowlist */
	MAILSHIELD_STATS_A_BANS,		/* bans imposed */
	MAILSHIELD_STATS_A_SOURCES,		/* gauge: per-source entries */

	/* SMTP stream inspection */
	MAILSHIELD_STATS_A_FLOWS,		/* gauge: inspected flows */
	MAILSHIELD_STATS_A_FLOWS_CREATED,
	MAILSHIELD_STATS_A_FLOWS_FULL,		/* flow table full */
	MAILSHIELD_STATS_A_OOO_DROPS,		/* segments ahead of the stream */
	MAILSHIELD_STATS_A_RETRANS_BYTES,	/* already inspected, skipped */
	MAILSHIELD_STATS_A_VIOLATIONS,		/* all violations */
	MAILSHIELD_STATS_A_VIOLATIONS_LOGGED,	/* of which only logged */
	/* nest of u64, attribute type = violation reason + 1 */
	MAILSHIELD_STATS_A_VIOLATION_REASONS,

	/* the stream model (Documentation/smtp-inspector.md) */
	MAILSHIELD_STATS_A_BAD_SEGMENTS,	/* the stack would drop them */
	MAILSHIELD_STATS_A_URGENT_CLEARED,	/* URG cleared, byte inline */
	MAILSHIELD_STATS_A_FRAGMENTS,		/* TCP fragments dropped */
	MAILSHIELD_STATS_A_FLOWS_UNINSPECTED,	/* older than inspection */
	MAILSHIELD_STATS_A_INFLIGHT_DROPS,	/* retransmission unchecked */
	MAILSHIELD_STATS_A_FLOWS_ABORTED,	/* sockets aborted by the GC */

	/* recipients */
	MAILSHIELD_STATS_A_RCPT_CHECKED,	/* RCPT TO in a protected domain */
	MAILSHIELD_STATS_A_RCPT_UNKNOWN,	/* of which not in the set */
	MAILSHIELD_STATS_A_RCPT_OUTSIDE,	/* RCPT TO outside them */
	MAILSHIELD_STATS_A_RCPT_LEARNED,	/* 550 5.1.x replies to RCPT */

	/* cookie SYN-ACKs sent again (admission, appended) */
	MAILSHIELD_STATS_A_SYNACK_RETRANS,

	__MAILSHIELD_STATS_A_MAX,
};

#define MAILSHIELD_STATS_A_MAX (__MAILSHIELD_STATS_A_MAX - 1)

enum mailshield_event_type {
	MAILSHIELD_EVENT_UNSPEC,
	/* the policy changed; MAILSHIELD_A_POLICY carries the new one */
	MAILSHIELD_EVENT_POLICY,
	/* a source was banned; ADDR, REASON (ban reason), DURATION */
	MAILSHIELD_EVENT_BAN,
	/* a ban was lifted (by hand or on expiry); ADDR */
	MAILSHIELD_EVENT_UNBAN,
	/* an SMTP violation; ADDR, REASON (violation reason), ports */
	MAILSHIELD_EVENT_VIOLATION,
	/*
	 * unknown recipients of one connection in log mode (what would
	 * count towards a ban); ADDR, ports, REASON (enum
	 * mailshield_rcpt_unknown), COUNT, LOGGED (1)
	 */
	MAILSHIELD_EVENT_RECIPIENT,

	__MAILSHIELD_EVENT_MAX,
};

#define MAILSHIELD_EVENT_MAX (__MAILSHIELD_EVENT_MAX - 1)

enum mailshield_event_attr {
	MAILSHIELD_EVENT_A_UNSPEC,
	MAILSHIELD_EVENT_A_TYPE,	/* u32, enum mailshield_event_type */
	/* u32, events lost to the rate limit since the previous event */
	MAILSHIELD_EVENT_A_SUPPRESSED,
	MAILSHIELD_EVENT_A_ADDR,	/* nest, enum mailshield_addr_attr */
	MAILSHIELD_EVENT_A_REASON,	/* u32, ban or violation reason */
	MAILSHIELD_EVENT_A_DURATION,	/* u32, seconds */
	MAILSHIELD_EVENT_A_SPORT,	/* u16 */
	MAILSHIELD_EVENT_A_DPORT,	/* u16 */
	MAILSHIELD_EVENT_A_LOGGED,	/* u8: 1 if the violation was only logged */
	MAILSHIELD_EVENT_A_COUNT,	/* u32: how many (RECIPIENT events) */

	__MAILSHIELD_EVENT_A_MAX,
};

#define MAILSHIELD_EVENT_A_MAX (__MAILSHIELD_EVENT_A_MAX - 1)

/* --- SMTP stream inspection --- */

/*
 * Violation reasons (MAILSHIELD_EVENT_A_REASON of a VIOLATION event, bit n
 * of MAILSHIELD_POLICY_A_LOG_ONLY, attribute n + 1 of the
 * MAILSHIELD_STATS_A_VIOLATION_REASONS nest). The module checks at build
 * time that they equal the parser's reasons.
 */
enum mailshield_violation {
	MAILSHIELD_VIOLATION_CMD_LINE,		/* command line too long */
	MAILSHIELD_VIOLATION_TEXT_LINE,		/* DATA line too long */
	MAILSHIELD_VIOLATION_AUTH_LINE,		/* AUTH/SASL line too long */
	MAILSHIELD_VIOLATION_LOCAL_PART,	/* MAIL/RCPT local-part */
	MAILSHIELD_VIOLATION_DOMAIN,		/* MAIL/RCPT domain */
	MAILSHIELD_VIOLATION_PATH,		/* MAIL/RCPT path */
	MAILSHIELD_VIOLATION_BARE_LF,		/* LF without CR */
	MAILSHIELD_VIOLATION_BARE_CR,		/* CR without LF */
	MAILSHIELD_VIOLATION_SMUGGLE,		/* end-of-data look-alike */
	MAILSHIELD_VIOLATION_NUL,		/* NUL in a command */
	MAILSHIELD_VIOLATION_PREGREET,		/* client talked first */
	MAILSHIELD_VIOLATION_STARTTLS_INJECT,	/* bytes after STARTTLS */
	MAILSHIELD_VIOLATION_PIPELINE,		/* bytes before DATA's 354 */
	MAILSHIELD_VIOLATION_PIPELINE_DEPTH,	/* too many commands queued */
	MAILSHIELD_VIOLATION_JUNK,		/* too many unknown commands */
	MAILSHIELD_VIOLATION_BDAT,		/* bad BDAT */
	MAILSHIELD_VIOLATION_REPLY_LINE,	/* server reply too long */
	MAILSHIELD_VIOLATION_REPLY_SYNTAX,	/* server reply without code */
	MAILSHIELD_VIOLATION_RETRANSMIT,	/* resent bytes that differ */

	__MAILSHIELD_VIOLATION_MAX,
};

/* SMTP state of a flow: what the client's next byte is. */
enum mailshield_flow_state {
	MAILSHIELD_FLOW_STATE_GREETING,		/* banner not complete */
	MAILSHIELD_FLOW_STATE_COMMAND,
	MAILSHIELD_FLOW_STATE_DATA,
	MAILSHIELD_FLOW_STATE_BDAT,
	MAILSHIELD_FLOW_STATE_SASL,
	MAILSHIELD_FLOW_STATE_TLS,		/* opaque */

	__MAILSHIELD_FLOW_STATE_MAX,
};

/* One inspected flow (GET_FLOWS dump). */
enum mailshield_flow_attr {
	MAILSHIELD_FLOW_A_UNSPEC,
	MAILSHIELD_FLOW_A_PAD,
	MAILSHIELD_FLOW_A_CLIENT,	/* nest, enum mailshield_addr_attr */
	MAILSHIELD_FLOW_A_SERVER,	/* nest, enum mailshield_addr_attr */
	MAILSHIELD_FLOW_A_CLIENT_PORT,	/* u16 */
	MAILSHIELD_FLOW_A_SERVER_PORT,	/* u16 */
	MAILSHIELD_FLOW_A_STATE,	/* u8, enum mailshield_flow_state */
	MAILSHIELD_FLOW_A_RX_BYTES,	/* u64: client bytes inspected */
	MAILSHIELD_FLOW_A_TX_BYTES,	/* u64: server bytes inspected */
	MAILSHIELD_FLOW_A_AGE,		/* u32: seconds since created */
	MAILSHIELD_FLOW_A_IDLE,		/* u32: seconds since last segment */
	MAILSHIELD_FLOW_A_PENDING,	/* u32: replies the server owes */
	MAILSHIELD_FLOW_A_JUNK,		/* u32: unknown commands */
	MAILSHIELD_FLOW_A_VIOLATIONS,	/* u32: log-only violations seen */

	__MAILSHIELD_FLOW_A_MAX,
};

#define MAILSHIELD_FLOW_A_MAX (__MAILSHIELD_FLOW_A_MAX - 1)

/* --- recipients (directory-harvest defence) --- */

/*
 * A recipient set holds SipHash-2-4 values (64 bit, under KEY) of
 * normalised addresses and domains, never an address. Normalisation
 * (Documentation/recipients.md): the local part unquoted, cut at its first
 * delimiter that is not its first octet, ASCII case-folded unless
 * MAILSHIELD_RCPT_F_CASE_SENSITIVE; the domain ASCII lower-cased, one
 * trailing dot dropped. Address hash: of "local@domain"; domain hash: of
 * "domain".
 */
#define MAILSHIELD_RCPT_KEY_LEN		16
#define MAILSHIELD_RCPT_DELIM_MAX	8

#define MAILSHIELD_RCPT_F_CASE_SENSITIVE	0x1

enum mailshield_rcpt_attr {
	MAILSHIELD_RCPT_A_UNSPEC,
	MAILSHIELD_RCPT_A_PAD,
	MAILSHIELD_RCPT_A_KEY,		/* binary, MAILSHIELD_RCPT_KEY_LEN */
	MAILSHIELD_RCPT_A_FLAGS,	/* u32, MAILSHIELD_RCPT_F_* */
	/* binary, 0..MAILSHIELD_RCPT_DELIM_MAX octets: subaddress delimiters */
	MAILSHIELD_RCPT_A_DELIMITERS,
	MAILSHIELD_RCPT_A_ADDRESSES,	/* u32: address hashes */
	MAILSHIELD_RCPT_A_DOMAINS,	/* u32: protected domains */
	MAILSHIELD_RCPT_A_CATCHALLS,	/* u32: catch-all domains */
	/* binary: packed u64 (host order), strictly ascending */
	MAILSHIELD_RCPT_A_HASHES,
	MAILSHIELD_RCPT_A_DOMAIN_HASHES,
	MAILSHIELD_RCPT_A_CATCHALL_HASHES,
	MAILSHIELD_RCPT_A_GENERATION,	/* u32: commits so far, 0 = none */
	MAILSHIELD_RCPT_A_MEMORY,	/* u64: bytes held by the set */
	MAILSHIELD_RCPT_A_AGE,		/* u32: seconds since the commit */
	MAILSHIELD_RCPT_A_PENDING,	/* u8: a generation is begun */

	__MAILSHIELD_RCPT_A_MAX,
};

#define MAILSHIELD_RCPT_A_MAX (__MAILSHIELD_RCPT_A_MAX - 1)

#endif /* _UAPI_LINUX_MAILSHIELD_H */
