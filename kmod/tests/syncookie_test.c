// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The pure parts of the SYN-cookie engine: SYN option parsing, the option
 * bits in the timestamp, the SYN-ACK option block, and a round trip
 * through the kernel's own cookie functions.
 */

#include "../syncookie.h"
#include "../synopts.h"

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/tcp.h>

#define ALL_ON	(MSH_SC_OPT_WSCALE | MSH_SC_OPT_SACK | MSH_SC_OPT_TSTAMP)

/* What a Linux client sends: MSS, SACK_PERM, TS, NOP, WSCALE */
static const u8 linux_syn[] = {
	2, 4, 0x05, 0xb4,			/* MSS 1460 */
	4, 2, 8, 10, 0x11, 0x22, 0x33, 0x44,	/* SACK_PERM, TS val */
	0, 0, 0, 0,				/* TS ecr */
	1, 3, 3, 7,				/* NOP, WSCALE 7 */
};

static void msh_sc_test_parse_linux(struct kunit *test)
{
	struct msh_sc_synopts o;

	msh_sc_parse_synopts(linux_syn, sizeof(linux_syn), ALL_ON, 0, 536, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_TRUE(test, o.wscale_ok);
	KUNIT_EXPECT_EQ(test, o.snd_wscale, 7);
	KUNIT_EXPECT_TRUE(test, o.sack_ok);
	KUNIT_EXPECT_TRUE(test, o.tstamp_ok);
	KUNIT_EXPECT_EQ(test, o.tsval, 0x11223344U);
}

static void msh_sc_test_parse_sysctls(struct kunit *test)
{
	struct msh_sc_synopts o;

	msh_sc_parse_synopts(linux_syn, sizeof(linux_syn),
			     MSH_SC_OPT_WSCALE | MSH_SC_OPT_TSTAMP, 0, 536, &o);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);
	KUNIT_EXPECT_TRUE(test, o.wscale_ok);

	msh_sc_parse_synopts(linux_syn, sizeof(linux_syn),
			     MSH_SC_OPT_SACK | MSH_SC_OPT_TSTAMP, 0, 536, &o);
	KUNIT_EXPECT_FALSE(test, o.wscale_ok);
	KUNIT_EXPECT_TRUE(test, o.sack_ok);

	/* timestamps off: the cookie carries only the MSS */
	msh_sc_parse_synopts(linux_syn, sizeof(linux_syn),
			     MSH_SC_OPT_WSCALE | MSH_SC_OPT_SACK, 0, 536, &o);
	KUNIT_EXPECT_FALSE(test, o.tstamp_ok);
	KUNIT_EXPECT_FALSE(test, o.wscale_ok);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);
	KUNIT_EXPECT_EQ(test, o.snd_wscale, 0);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
}

static void msh_sc_test_parse_no_ts(struct kunit *test)
{
	/* MSS, NOP, WSCALE, NOP, NOP, SACK_PERM: no timestamps */
	static const u8 syn[] = { 2, 4, 0x05, 0x78, 1, 3, 3, 2, 1, 1, 4, 2 };
	struct msh_sc_synopts o;

	msh_sc_parse_synopts(syn, sizeof(syn), ALL_ON, 0, 536, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 1400);
	KUNIT_EXPECT_FALSE(test, o.tstamp_ok);
	KUNIT_EXPECT_FALSE(test, o.wscale_ok);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);
}

static void msh_sc_test_parse_mss(struct kunit *test)
{
	static const u8 zero[] = { 2, 4, 0, 0 };
	struct msh_sc_synopts o;

	/* TCP_MAXSEG on the listener clamps the client's MSS */
	msh_sc_parse_synopts(linux_syn, sizeof(linux_syn), ALL_ON, 1200, 536,
			     &o);
	KUNIT_EXPECT_EQ(test, o.mss, 1200);
	msh_sc_parse_synopts(linux_syn, sizeof(linux_syn), ALL_ON, 9000, 536,
			     &o);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);

	/* no option, or a zero one: the family default, unclamped */
	msh_sc_parse_synopts(NULL, 0, ALL_ON, 400, 1220, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 1220);
	msh_sc_parse_synopts(zero, sizeof(zero), ALL_ON, 0, 536, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 536);
}

static void msh_sc_test_parse_wscale_clamp(struct kunit *test)
{
	static const u8 syn[] = { 1, 3, 3, 200, 1, 1, 8, 10,
				  0, 0, 0, 1, 0, 0, 0, 0 };
	struct msh_sc_synopts o;

	msh_sc_parse_synopts(syn, sizeof(syn), ALL_ON, 0, 536, &o);
	KUNIT_EXPECT_TRUE(test, o.wscale_ok);
	KUNIT_EXPECT_EQ(test, o.snd_wscale, TCP_MAX_WSCALE);
	KUNIT_EXPECT_TRUE(test, o.tstamp_ok);
	KUNIT_EXPECT_EQ(test, o.tsval, 1U);
}

static void msh_sc_test_parse_malformed(struct kunit *test)
{
	/* EOL ends parsing: the TS after it is not seen */
	static const u8 eol[] = { 2, 4, 5, 0xb4, 0, 0, 0, 0,
				  8, 10, 0, 0, 0, 1, 0, 0, 0, 0 };
	/* a silly length stops parsing */
	static const u8 silly[] = { 2, 4, 5, 0xb4, 3, 1, 8, 10,
				    0, 0, 0, 1, 0, 0, 0, 0 };
	/* partial option at the end is ignored */
	static const u8 partial[] = { 2, 4, 5, 0xb4, 8, 10, 0, 0 };
	/* wrong sizes are skipped, later options still parsed */
	static const u8 badsize[] = { 2, 5, 9, 9, 9, 3, 4, 5, 6,
				      4, 3, 0, 8, 10, 0, 0, 0, 7,
				      0, 0, 0, 0 };
	/* a lone kind byte without length */
	static const u8 lone[] = { 1, 1, 1, 2 };
	struct msh_sc_synopts o;

	msh_sc_parse_synopts(eol, sizeof(eol), ALL_ON, 0, 536, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_FALSE(test, o.tstamp_ok);

	msh_sc_parse_synopts(silly, sizeof(silly), ALL_ON, 0, 536, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_FALSE(test, o.tstamp_ok);

	msh_sc_parse_synopts(partial, sizeof(partial), ALL_ON, 0, 536, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_FALSE(test, o.tstamp_ok);

	msh_sc_parse_synopts(badsize, sizeof(badsize), ALL_ON, 0, 536, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 536);
	KUNIT_EXPECT_FALSE(test, o.wscale_ok);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);
	KUNIT_EXPECT_TRUE(test, o.tstamp_ok);
	KUNIT_EXPECT_EQ(test, o.tsval, 7U);

	msh_sc_parse_synopts(lone, sizeof(lone), ALL_ON, 0, 536, &o);
	KUNIT_EXPECT_EQ(test, o.mss, 536);
}

/* cookie_timestamp_decode() of the low bits, for the round trip */
static void decode(u32 tsecr, int *wscale, bool *sack, bool *ecn)
{
	*wscale = (tsecr & 0xf) == 0xf ? -1 : (int)(tsecr & 0xf);
	*sack = tsecr & BIT(4);
	*ecn = tsecr & BIT(5);
}

static void msh_sc_test_tsval(struct kunit *test)
{
	struct msh_sc_synopts o = {
		.wscale_ok = true, .snd_wscale = 7, .sack_ok = true,
		.tstamp_ok = true,
	};
	static const u64 nows[] = { 0x1000, 0x1001, 0x103f, 0x12345678,
				    0xffffffffULL, 0x100000000ULL + 5 };
	unsigned int i;
	bool sack, ecn;
	int ws;

	for (i = 0; i < ARRAY_SIZE(nows); i++) {
		u32 ts = msh_sc_cookie_tsval(nows[i], &o, true);

		/* never ahead of the clock the child socket will use */
		KUNIT_EXPECT_LE(test, (u32)(nows[i] - ts), 64U);
		decode(ts, &ws, &sack, &ecn);
		KUNIT_EXPECT_EQ(test, ws, 7);
		KUNIT_EXPECT_TRUE(test, sack);
		KUNIT_EXPECT_TRUE(test, ecn);
	}

	o.wscale_ok = false;
	o.sack_ok = false;
	decode(msh_sc_cookie_tsval(0x5000, &o, false), &ws, &sack, &ecn);
	KUNIT_EXPECT_EQ(test, ws, -1);
	KUNIT_EXPECT_FALSE(test, sack);
	KUNIT_EXPECT_FALSE(test, ecn);

	o.wscale_ok = true;
	o.snd_wscale = 0;
	decode(msh_sc_cookie_tsval(0x5000, &o, false), &ws, &sack, &ecn);
	KUNIT_EXPECT_EQ(test, ws, 0);
}

static void expect_bytes(struct kunit *test, const u8 *got, const u8 *want,
			 unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[i], want[i], "option byte %u", i);
}

static void msh_sc_test_synack_opts(struct kunit *test)
{
	static const u8 full[] = {
		2, 4, 0x05, 0xb4, 4, 2, 8, 10,
		0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04,
		1, 3, 3, 7,
	};
	static const u8 ts_only[] = {
		2, 4, 0x05, 0xa0, 1, 1, 8, 10,
		0, 0, 0, 9, 0, 0, 0, 8,
	};
	static const u8 sack_ws[] = { 2, 4, 0x02, 0x18, 1, 1, 4, 2,
				      1, 3, 3, 14 };
	static const u8 mss_only[] = { 2, 4, 0x05, 0xb4 };
	u8 buf[MSH_SC_SYNACK_OPTLEN_MAX];
	struct msh_sc_synack_opts o = {
		.mss = 1460, .rcv_wscale = 7, .wscale_ok = true,
		.sack_ok = true, .tstamp_ok = true,
		.tsval = 0xdeadbeef, .tsecr = 0x01020304,
	};
	unsigned int len;

	len = msh_sc_write_synack_opts(buf, &o);
	KUNIT_ASSERT_EQ(test, len, sizeof(full));
	expect_bytes(test, buf, full, len);

	o = (struct msh_sc_synack_opts){ .mss = 1440, .tstamp_ok = true,
					 .tsval = 9, .tsecr = 8 };
	len = msh_sc_write_synack_opts(buf, &o);
	KUNIT_ASSERT_EQ(test, len, sizeof(ts_only));
	expect_bytes(test, buf, ts_only, len);

	o = (struct msh_sc_synack_opts){ .mss = 536, .sack_ok = true,
					 .wscale_ok = true, .rcv_wscale = 14 };
	len = msh_sc_write_synack_opts(buf, &o);
	KUNIT_ASSERT_EQ(test, len, sizeof(sack_ws));
	expect_bytes(test, buf, sack_ws, len);

	o = (struct msh_sc_synack_opts){ .mss = 1460 };
	len = msh_sc_write_synack_opts(buf, &o);
	KUNIT_ASSERT_EQ(test, len, sizeof(mss_only));
	expect_bytes(test, buf, mss_only, len);
}

/* The options we write parse back to what we meant. */
static void msh_sc_test_synack_roundtrip(struct kunit *test)
{
	struct msh_sc_synack_opts o = {
		.mss = 1448, .rcv_wscale = 9, .wscale_ok = true,
		.sack_ok = true, .tstamp_ok = true, .tsval = 77, .tsecr = 5,
	};
	u8 buf[MSH_SC_SYNACK_OPTLEN_MAX];
	struct msh_sc_synopts p;
	unsigned int len;

	len = msh_sc_write_synack_opts(buf, &o);
	msh_sc_parse_synopts(buf, len, ALL_ON, 0, 536, &p);
	KUNIT_EXPECT_EQ(test, p.mss, 1448);
	KUNIT_EXPECT_EQ(test, p.snd_wscale, 9);
	KUNIT_EXPECT_TRUE(test, p.sack_ok);
	KUNIT_EXPECT_TRUE(test, p.tstamp_ok);
	KUNIT_EXPECT_EQ(test, p.tsval, 77U);
}

/*
 * The kernel's cookie functions the engine relies on: the MSS rounds down
 * to the cookie table, and the ACK that echoes ISN + 1 decodes to it.
 */
static void msh_sc_test_kernel_cookie_v4(struct kunit *test)
{
	static const u16 in[] = { 100, 536, 1299, 1300, 1452, 1460, 9000 };
	static const u16 out[] = { 536, 536, 536, 1300, 1440, 1460, 1460 };
	struct iphdr iph = {
		.version = 4, .ihl = 5, .protocol = IPPROTO_TCP,
		.saddr = htonl(0xc000020a), .daddr = htonl(0xc0000219),
	};
	struct tcphdr syn = {
		.source = htons(40000), .dest = htons(25),
		.seq = htonl(1000), .syn = 1, .doff = 5,
	};
	struct tcphdr ack = syn;
	unsigned int i;

	ack.syn = 0;
	ack.ack = 1;
	ack.seq = htonl(1001);
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		u16 mss = in[i];
		u32 isn = __cookie_v4_init_sequence(&iph, &syn, &mss);

		KUNIT_EXPECT_EQ(test, mss, out[i]);
		KUNIT_EXPECT_EQ(test, __cookie_v4_check(&iph, &ack, isn),
				(int)out[i]);
		/* a different client port is a different cookie */
		ack.source = htons(40001);
		KUNIT_EXPECT_EQ(test, __cookie_v4_check(&iph, &ack, isn), 0);
		ack.source = syn.source;
		/* the hash part is off: the encoded index leaves the table
		 * (isn + 1 would only shift the MSS index by one)
		 */
		KUNIT_EXPECT_EQ(test,
				__cookie_v4_check(&iph, &ack, isn ^ BIT(23)),
				0);
	}
}

static void msh_sc_test_kernel_cookie_v6(struct kunit *test)
{
	struct ipv6hdr ip6h = { .version = 6, .nexthdr = IPPROTO_TCP };
	struct tcphdr syn = {
		.source = htons(40000), .dest = htons(587),
		.seq = htonl(0xfffffffe), .syn = 1, .doff = 5,
	};
	struct tcphdr ack = syn;
	u16 mss = 1440;
	u32 isn;

	ip6h.saddr.s6_addr[0] = 0x20;
	ip6h.saddr.s6_addr[15] = 0x10;
	ip6h.daddr.s6_addr[0] = 0x20;
	ip6h.daddr.s6_addr[15] = 0x25;
	isn = __cookie_v6_init_sequence(&ip6h, &syn, &mss);
	KUNIT_EXPECT_EQ(test, mss, 1440);
	ack.syn = 0;
	ack.ack = 1;
	ack.seq = htonl(0xffffffff);
	KUNIT_EXPECT_EQ(test, __cookie_v6_check(&ip6h, &ack, isn), 1440);
	ip6h.saddr.s6_addr[15] = 0x11;
	KUNIT_EXPECT_EQ(test, __cookie_v6_check(&ip6h, &ack, isn), 0);
}

static struct kunit_case msh_syncookie_test_cases[] = {
	KUNIT_CASE(msh_sc_test_parse_linux),
	KUNIT_CASE(msh_sc_test_parse_sysctls),
	KUNIT_CASE(msh_sc_test_parse_no_ts),
	KUNIT_CASE(msh_sc_test_parse_mss),
	KUNIT_CASE(msh_sc_test_parse_wscale_clamp),
	KUNIT_CASE(msh_sc_test_parse_malformed),
	KUNIT_CASE(msh_sc_test_tsval),
	KUNIT_CASE(msh_sc_test_synack_opts),
	KUNIT_CASE(msh_sc_test_synack_roundtrip),
	KUNIT_CASE(msh_sc_test_kernel_cookie_v4),
	KUNIT_CASE(msh_sc_test_kernel_cookie_v6),
	{}
};

static struct kunit_suite msh_syncookie_test_suite = {
	.name = "mailshield-syncookie",
	.test_cases = msh_syncookie_test_cases,
};

kunit_test_suite(msh_syncookie_test_suite);
