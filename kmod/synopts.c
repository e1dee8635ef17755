// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * TCP options of a cookie handshake; see synopts.h.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include <net/tcp.h>
#include <asm/unaligned.h>

#include "synopts.h"

/* Low bits of the cookie timestamp, as in net/ipv4/syncookies.c. */
#define MSH_TS_OPT_WSCALE_MASK	0xf
#define MSH_TS_OPT_SACK		BIT(4)
#define MSH_TS_OPT_ECN		BIT(5)
#define MSH_TSBITS		6

void msh_sc_parse_synopts(const u8 *opt, int len, unsigned int enabled,
			  u16 user_mss, u16 def_mss,
			  struct msh_sc_synopts *o)
{
	memset(o, 0, sizeof(*o));
	o->mss = def_mss;

	while (len > 0) {
		int opcode = *opt++;
		int opsize;

		if (opcode == TCPOPT_EOL)
			break;
		if (opcode == TCPOPT_NOP) {
			len--;
			continue;
		}
		if (len < 2)
			break;
		opsize = *opt++;
		if (opsize < 2 || opsize > len)
			break;	/* silly or partial option */

		switch (opcode) {
		case TCPOPT_MSS:
			if (opsize == TCPOLEN_MSS) {
				u16 in_mss = get_unaligned_be16(opt);

				if (in_mss) {
					if (user_mss && user_mss < in_mss)
						in_mss = user_mss;
					o->mss = in_mss;
				}
			}
			break;
		case TCPOPT_WINDOW:
			if (opsize == TCPOLEN_WINDOW &&
			    (enabled & MSH_SC_OPT_WSCALE)) {
				o->wscale_ok = true;
				o->snd_wscale = min_t(u8, *opt, TCP_MAX_WSCALE);
			}
			break;
		case TCPOPT_TIMESTAMP:
			if (opsize == TCPOLEN_TIMESTAMP &&
			    (enabled & MSH_SC_OPT_TSTAMP)) {
				o->tstamp_ok = true;
				o->tsval = get_unaligned_be32(opt);
			}
			break;
		case TCPOPT_SACK_PERM:
			if (opsize == TCPOLEN_SACK_PERM &&
			    (enabled & MSH_SC_OPT_SACK))
				o->sack_ok = true;
			break;
		}
		opt += opsize - 2;
		len -= opsize;
	}

	/* tcp_conn_request(): want_cookie && !saw_tstamp -> clear options */
	if (!o->tstamp_ok) {
		o->wscale_ok = false;
		o->snd_wscale = 0;
		o->sack_ok = false;
	}
}

u32 msh_sc_cookie_tsval(u64 now_ts, const struct msh_sc_synopts *o,
			bool ecn_ok)
{
	u32 options;
	u64 ts;

	options = o->wscale_ok ? o->snd_wscale : MSH_TS_OPT_WSCALE_MASK;
	if (o->sack_ok)
		options |= MSH_TS_OPT_SACK;
	if (ecn_ok)
		options |= MSH_TS_OPT_ECN;

	ts = (now_ts >> MSH_TSBITS) << MSH_TSBITS;
	ts |= options;
	if (ts > now_ts)
		ts -= (1UL << MSH_TSBITS);
	return (u32)ts;
}

unsigned int msh_sc_write_synack_opts(u8 *buf,
				      const struct msh_sc_synack_opts *o)
{
	u8 *p = buf;

	put_unaligned_be32(TCPOPT_MSS << 24 | TCPOLEN_MSS << 16 | o->mss, p);
	p += 4;
	if (o->tstamp_ok) {
		/* SACK_PERM rides in the two NOPs before the timestamps */
		put_unaligned_be32((o->sack_ok ?
				    TCPOPT_SACK_PERM << 24 |
				    TCPOLEN_SACK_PERM << 16 :
				    TCPOPT_NOP << 24 | TCPOPT_NOP << 16) |
				   TCPOPT_TIMESTAMP << 8 | TCPOLEN_TIMESTAMP, p);
		put_unaligned_be32(o->tsval, p + 4);
		put_unaligned_be32(o->tsecr, p + 8);
		p += 12;
	} else if (o->sack_ok) {
		put_unaligned_be32(TCPOPT_NOP << 24 | TCPOPT_NOP << 16 |
				   TCPOPT_SACK_PERM << 8 | TCPOLEN_SACK_PERM, p);
		p += 4;
	}
	if (o->wscale_ok) {
		put_unaligned_be32(TCPOPT_NOP << 24 | TCPOPT_WINDOW << 16 |
				   TCPOLEN_WINDOW << 8 | o->rcv_wscale, p);
		p += 4;
	}
	return p - buf;
}
