#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Guest side of bench/throughput.sh (runs inside the test VM, as root).

. "$(dirname "$0")/../tests/integration/lib.sh"
set +e

msgs=${MSH_BENCH_MSGS:-2000}
sess=${MSH_BENCH_SESSIONS:-8}
size=${MSH_BENCH_SIZE:-4000}
idle=${MSH_BENCH_IDLE:-500}
PORT=2500
msh_setup
NLS=$MSH_PY/nlsmtp.py

# smtp-sink on its own port, so Postfix's queue is not what is measured
in_mail smtp-sink -c -u postfix "$MAIL4:$PORT" 256 >/dev/null 2>&1 &
sink=$!
msh_sleep 1

cpu_busy() {
	local cpu user nice sys idle iow irq sirq rest
	read -r cpu user nice sys idle iow irq sirq rest </proc/stat
	echo $((user + nice + sys + irq + sirq))
}

# run_one NAME: smtp-source pushes $msgs messages of $size bytes
run_one() {
	local name=$1 t0 t1 c0 c1 ms rate mb
	c0=$(cpu_busy)
	t0=${EPOCHREALTIME/./}
	in_client smtp-source -s "$sess" -m "$msgs" -l "$size" \
		-f sender@client.test -t sink@example.test \
		"$MAIL4:$PORT" >"$MSH_STATE/bench.out" 2>&1 ||
		echo "$name: smtp-source failed: $(head -3 "$MSH_STATE/bench.out")"
	t1=${EPOCHREALTIME/./}
	c1=$(cpu_busy)
	ms=$(((t1 - t0) / 1000))
	rate=$((msgs * 1000000 / (ms > 0 ? ms : 1)))
	mb=$((msgs * size / 1000))
	printf '%-11s %6d msgs %7d ms %8d.%03d msgs/s  cpu %d jiffies  %d.%03d jiffies/MB\n' \
		"$name" "$msgs" "$ms" $((rate / 1000)) $((rate % 1000)) \
		$((c1 - c0)) $(((c1 - c0) * 1000000 / mb / 1000)) \
		$(((c1 - c0) * 1000000 / mb % 1000))
	echo "$rate" >"$MSH_STATE/bench.$name"
}

echo "== SMTP throughput: smtp-source -s $sess -m $msgs -l $size into smtp-sink"
msh_module_unload
run_one warm-up >/dev/null
run_one without
msh_module_load
in_mail python3 "$MSH_PY/nlraw.py" set "25,465,587,$PORT"
# the inspector is measured, not the per-source admission limits
msh_ctl policy set max_conns 0 rate 0 >/dev/null
run_one with
in_mail python3 "$NLS" stats | sed 's/^/inspection counters: /'
a=$(cat "$MSH_STATE/bench.without")
b=$(cat "$MSH_STATE/bench.with")
echo "ratio with/without: $((b * 1000 / (a > 0 ? a : 1)))/1000 (goal: >= 900/1000)"

# memory per flow: $idle idle sessions held open, kmalloc-256 objects and
# the flows gauge before and after
slab256() {
	awk '$1 == "kmalloc-256" { print $2 }' /proc/slabinfo
}
s0=$(slab256)
in_client python3 - "$MAIL4" "$PORT" "$idle" <<'PY' &
import socket, sys, time
socks = []
for _ in range(int(sys.argv[3])):
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), 10)
    socks.append(s)
time.sleep(8)
PY
holder=$!
msh_sleep 5
s1=$(slab256)
flows=$(in_mail python3 "$NLS" stats | python3 -c 'import json,sys
print(json.load(sys.stdin)["flows"])')
echo "memory: $idle idle sessions, flows gauge $flows, kmalloc-256 objects +$((s1 - s0)) (one flow = one kmalloc-256 object: 256 bytes, plus 128 KiB of buckets per namespace)"
wait "$holder"
kill "$sink" 2>/dev/null
