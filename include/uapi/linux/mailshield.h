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

	__MAILSHIELD_CMD_MAX,
};

#define MAILSHIELD_CMD_MAX (__MAILSHIELD_CMD_MAX - 1)

enum mailshield_attr {
	MAILSHIELD_A_UNSPEC,
	MAILSHIELD_A_POLICY,		/* nest, enum mailshield_policy_attr */
	MAILSHIELD_A_STATS,		/* nest, enum mailshield_stats_attr */
	MAILSHIELD_A_EVENT,		/* nest, enum mailshield_event_attr */

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

	__MAILSHIELD_POLICY_A_MAX,
};

#define MAILSHIELD_POLICY_A_MAX (__MAILSHIELD_POLICY_A_MAX - 1)

enum mailshield_port_attr {
	MAILSHIELD_PORT_A_UNSPEC,
	MAILSHIELD_PORT_A_PORT,		/* u16, host byte order */

	__MAILSHIELD_PORT_A_MAX,
};

#define MAILSHIELD_PORT_A_MAX (__MAILSHIELD_PORT_A_MAX - 1)

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

	__MAILSHIELD_STATS_A_MAX,
};

#define MAILSHIELD_STATS_A_MAX (__MAILSHIELD_STATS_A_MAX - 1)

enum mailshield_event_type {
	MAILSHIELD_EVENT_UNSPEC,
	/* the policy changed; MAILSHIELD_A_POLICY carries the new one */
	MAILSHIELD_EVENT_POLICY,

	__MAILSHIELD_EVENT_MAX,
};

#define MAILSHIELD_EVENT_MAX (__MAILSHIELD_EVENT_MAX - 1)

enum mailshield_event_attr {
	MAILSHIELD_EVENT_A_UNSPEC,
	MAILSHIELD_EVENT_A_TYPE,	/* u32, enum mailshield_event_type */
	/* u32, events lost to the rate limit since the previous event */
	MAILSHIELD_EVENT_A_SUPPRESSED,

	__MAILSHIELD_EVENT_A_MAX,
};

#define MAILSHIELD_EVENT_A_MAX (__MAILSHIELD_EVENT_A_MAX - 1)

#endif /* _UAPI_LINUX_MAILSHIELD_H */
