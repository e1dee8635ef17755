/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The TCP options of a cookie handshake: what the kernel takes from a SYN
 * (tcp_parse_options() under want_cookie), how cookie_init_timestamp()
 * folds them into the SYN-ACK's TSval, and the SYN-ACK's option block as
 * tcp_options_write() lays it out. Pure functions on bytes and values,
 * no kernel state; the KUnit suite (kmod/tests/syncookie_test.c) checks
 * them against the kernel's own encoding.
 */

#ifndef _MSH_SYNOPTS_H
#define _MSH_SYNOPTS_H

#include <linux/types.h>

/* Sysctl switches that tcp_parse_options() honours on a SYN. */
#define MSH_SC_OPT_WSCALE	0x1	/* tcp_window_scaling */
#define MSH_SC_OPT_SACK		0x2	/* tcp_sack */
#define MSH_SC_OPT_TSTAMP	0x4	/* tcp_timestamps */

/**
 * struct msh_sc_synopts - TCP options of a SYN, as the kernel sees them
 * @mss: the client's MSS clamped by the listener's TCP_MAXSEG, or the
 *	caller's default when the SYN has no (or a zero) MSS option
 * @snd_wscale: the client's window scale, at most TCP_MAX_WSCALE
 * @wscale_ok: window scaling offered and enabled
 * @sack_ok: SACK offered and enabled
 * @tstamp_ok: timestamps offered and enabled
 * @tsval: the client's TSval (echoed in our TSecr)
 */
struct msh_sc_synopts {
	u16 mss;
	u8 snd_wscale;
	bool wscale_ok;
	bool sack_ok;
	bool tstamp_ok;
	u32 tsval;
};

/**
 * msh_sc_parse_synopts() - parse the options of a SYN like tcp_parse_options()
 * @opt: the option bytes (after the fixed TCP header)
 * @len: their length, th->doff * 4 - 20
 * @enabled: MSH_SC_OPT_* bits for the sysctls that are on
 * @user_mss: the listener's TCP_MAXSEG (tp->rx_opt.user_mss), 0 if unset
 * @def_mss: MSS to assume without an MSS option (536 IPv4, 1220 IPv6)
 * @o: result
 *
 * Like tcp_conn_request() in cookie mode, a SYN without timestamps gets
 * no wscale and no SACK either: the cookie cannot carry them.
 */
void msh_sc_parse_synopts(const u8 *opt, int len, unsigned int enabled,
			  u16 user_mss, u16 def_mss,
			  struct msh_sc_synopts *o);

/**
 * msh_sc_cookie_tsval() - the timestamp cookie_init_timestamp() would use
 * @now_ts: the current TCP timestamp clock (ms), tcp_ns_to_ts(now)
 * @o: options of the SYN (wscale_ok, snd_wscale, sack_ok)
 * @ecn_ok: ECN was negotiated
 *
 * Return: a value <= @now_ts whose low 6 bits encode wscale (0xf: none),
 * SACK and ECN; the per-flow offset is not included.
 */
u32 msh_sc_cookie_tsval(u64 now_ts, const struct msh_sc_synopts *o,
			bool ecn_ok);

/**
 * struct msh_sc_synack_opts - options of our SYN-ACK
 * @mss: our MSS (route advmss clamped by TCP_MAXSEG)
 * @rcv_wscale: our window scale, valid if @wscale_ok
 * @wscale_ok: send the window scale option
 * @sack_ok: send SACK_PERM
 * @tstamp_ok: send timestamps
 * @tsval: TSval, offset included
 * @tsecr: TSecr (the client's TSval)
 */
struct msh_sc_synack_opts {
	u16 mss;
	u8 rcv_wscale;
	bool wscale_ok;
	bool sack_ok;
	bool tstamp_ok;
	u32 tsval;
	u32 tsecr;
};

/* Longest option block msh_sc_write_synack_opts() writes. */
#define MSH_SC_SYNACK_OPTLEN_MAX	20

/**
 * msh_sc_write_synack_opts() - write SYN-ACK options like tcp_options_write()
 * @buf: at least %MSH_SC_SYNACK_OPTLEN_MAX bytes
 * @o: the options
 *
 * Same order and padding as the kernel's own SYN-ACK: MSS, [SACK_PERM+]TS
 * or NOP,NOP,TS, NOP,NOP,SACK_PERM without TS, NOP,WSCALE.
 *
 * Return: bytes written, a multiple of 4.
 */
unsigned int msh_sc_write_synack_opts(u8 *buf,
				      const struct msh_sc_synack_opts *o);

#endif /* _MSH_SYNOPTS_H */
