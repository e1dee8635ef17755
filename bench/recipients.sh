#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Recipient-set benchmark, run in the test VM (tests/vm/): mailshieldd
# loads a list file of 10k, 100k and 1M addresses and uploads it; printed
# per size are the load and the upload (BEGIN, ADD batches, COMMIT) times
# and the kernel memory of the set, per recipient (goal: at most 16 bytes).
# Then the RCPT lookup cost: one SMTP session sends the same RCPTs to a
# valid recipient with no set loaded and with the 1M set (ratio), and the
# round trip of RCPTs sent while the 1M set is uploaded again (traffic
# does not stall: ratio of the slowest to the median). Not part of "make
# check" ("make bench").
#
# Environment: MSH_BENCH_RCPTS (RCPTs per lookup run, default 500; Postfix takes 1000 per message).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
rcpts=${MSH_BENCH_RCPTS:-500}
MSH_VM_TIMEOUT=${MSH_VM_TIMEOUT:-900} \
	exec "$REPO/tests/vm/shell.sh" \
	"MSH_BENCH_RCPTS=$rcpts bash bench/recipients-guest.sh"
