#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# SYN-flood benchmark, run in the test VM (tests/vm/): the same bounded
# spoofed SYN flood (random sources in 198.18.0.0/15 from the attacker
# namespace) against Postfix on port 25, while the client namespace runs
# real SMTP transactions, for four set-ups side by side in one boot:
#
#   stock       the module unloaded, net.ipv4.tcp_syncookies=1
#   synproxy    the module unloaded, nft synproxy on port 25
#   mailshield  the module loaded (cookies always on for port 25)
#   msh-norx    the same with synack_retries 0: no SYN-ACK copies kept
#               for retransmission (what keeping them costs)
#
# Prints per set-up the legitimate transactions completed, the SYN-ACKs
# the attacker side received per second and the SYN_RECV peak, then the
# ratios to the stock kernel. Not part of "make check" ("make bench").
#
# Environment: MSH_BENCH_SECS (flood seconds per set-up, default 15),
# MSH_BENCH_PKTS (flood packet bound per set-up, default 300000).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
secs=${MSH_BENCH_SECS:-15}
pkts=${MSH_BENCH_PKTS:-300000}
MSH_VM_TIMEOUT=${MSH_VM_TIMEOUT:-$((secs * 4 * 4 + 240))} \
	exec "$REPO/tests/vm/shell.sh" \
	"MSH_BENCH_SECS=$secs MSH_BENCH_PKTS=$pkts bash bench/synflood-guest.sh"
