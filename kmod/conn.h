/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The one connection model: every TCP segment to or from a protected port
 * is classified here once (4-tuple, direction, whether it completes a
 * handshake) and handed to admission (admit.h), the connection table
 * (flows.h) and the stream inspector (inspect.h).
 *
 * Client to server (PRE_ROUTING):
 *   SYN            admission of the SYN: bans, SYN cookies.
 *   known flow     the stream inspector.
 *   other ACK      classified by msh_syncookie_check_ack_v4/6():
 *                  a proven handshake (a valid cookie, or the exact ACK
 *                  of a request socket the stack made itself) is admitted
 *                  (caps, rate, bans) and opens a flow that starts from
 *                  the handshake's sequence numbers; a connection already
 *                  established (before inspection started) gets an
 *                  uninspected entry, counted once; a wrong cookie, or a
 *                  wrong ACK for a request socket, is dropped.
 *   RST, no ACK    without a flow: left to the stack.
 * Server to client (LOCAL_OUT): a known flow goes to the inspector.
 */

#ifndef _MSH_CONN_H
#define _MSH_CONN_H

struct msh_inspect_pkt;
struct msh_net;
struct msh_policy;

/* Under RCU in the hooks; return the verdict. */
unsigned int msh_conn_rx(struct msh_net *mn, const struct msh_policy *p,
			 const struct msh_inspect_pkt *pkt);
unsigned int msh_conn_tx(struct msh_net *mn, const struct msh_policy *p,
			 const struct msh_inspect_pkt *pkt);

#endif /* _MSH_CONN_H */
