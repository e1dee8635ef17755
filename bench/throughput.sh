#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# SMTP throughput benchmark, run in the test VM (tests/vm/): Postfix's
# smtp-source pushes the same messages into smtp-sink (client namespace to
# mail namespace) without the module and with it (the sink's port
# protected, so every byte is inspected), in one boot. Prints messages/s,
# CPU jiffies per MB for both and their ratio, then the memory one idle
# inspected connection costs. Not part of "make check" ("make bench").
#
# Environment: MSH_BENCH_MSGS (default 2000), MSH_BENCH_SESSIONS (8),
# MSH_BENCH_SIZE (message bytes, 4000), MSH_BENCH_IDLE (idle sessions for
# the memory figure, 500).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
env="MSH_BENCH_MSGS=${MSH_BENCH_MSGS:-2000}"
env+=" MSH_BENCH_SESSIONS=${MSH_BENCH_SESSIONS:-8}"
env+=" MSH_BENCH_SIZE=${MSH_BENCH_SIZE:-4000}"
env+=" MSH_BENCH_IDLE=${MSH_BENCH_IDLE:-500}"
MSH_VM_TIMEOUT=${MSH_VM_TIMEOUT:-900} \
	exec "$REPO/tests/vm/shell.sh" "$env bash bench/throughput-guest.sh"
