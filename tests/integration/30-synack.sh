#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# The SYN-ACK budget protects without starving (Documentation/admission.md).
#  1. With a budget of 20 SYN-ACKs per second and prefix, a spoofed flood
#     from random sources in 198.18.0.0/15 leaves every one of 10 new real
#     clients connecting (a single global bucket of 20/s let none
#     through).
#  2. With a budget of 1 per second and prefix, the same flood fills every
#     bucket; the 10 clients, proven by their handshakes in step 1, still
#     connect, every one.
#  3. A flood aimed at one prefix is held to its budget (synack_limited
#     grows: reflection is bounded), and another client connects
#     meanwhile.

. "$(dirname "$0")/lib.sh"

msh_dmesg_mark
msh_setup
msh_module_load
msh_ctl policy set syncookies yes rate 0 max_conns 0 synack_rate 20 \
	>/dev/null

stat() { msh_stats | msh_json - "j[\"$1\"]"; }
FLOOD_SECS=${MSH_FLOOD_SECS:-8}

# connect_all NS ADDR...: from each source address, connect and read the
# banner; prints how many got their 220
connect_all() {
	local ns=$1
	shift
	ip netns exec "$ns" /usr/bin/python3 -c 'import socket, sys
ok = 0
for a in sys.argv[2:]:
    s = socket.socket()
    s.settimeout(8)
    try:
        s.bind((a, 0))
        s.connect((sys.argv[1], 25))
        ok += s.recv(100).startswith(b"220")
    except OSError:
        pass
    s.close()
print(ok)' "$MAIL4" "$@"
}

# 10 new client addresses that never connected before
addrs=()
for i in $(seq 40 49); do
	addrs+=("192.0.2.$i")
done
printf 'addr add %s/26 dev eth0\n' "${addrs[@]}" 192.0.2.51 |
	ip -n client -batch - 2>/dev/null || true

# 1. spread flood
lim0=$(stat synack_limited)
in_attacker /usr/bin/python3 "$MSH_PY/admitc.py" synflood "$FLOOD_SECS" \
	400000 "$MAIL4" 25 >"$MSH_STATE/flood1.out" &
flood=$!
msh_sleep 2
res=$(connect_all client "${addrs[@]}")
wait "$flood" || true
echo "# spread flood: $(cat "$MSH_STATE/flood1.out"), synack_limited +$(( $(stat synack_limited) - lim0 ))"
msh_check_eq "spread spoofed flood: 10 of 10 new real clients connect" 10 "$res"

# 2. a budget of 1/s: the spread flood fills every bucket
msh_ctl policy set synack_rate 1 >/dev/null
lim0=$(stat synack_limited)
in_attacker /usr/bin/python3 "$MSH_PY/admitc.py" synflood "$FLOOD_SECS" \
	400000 "$MAIL4" 25 >"$MSH_STATE/flood2.out" &
flood=$!
msh_sleep 2
res=$(connect_all client "${addrs[@]}")
wait "$flood" || true
lim=$(( $(stat synack_limited) - lim0 ))
echo "# saturating flood: $(cat "$MSH_STATE/flood2.out"), synack_limited +$lim"
msh_check "the flood filled the buckets (synack_limited +$lim)" \
	test "$lim" -ge 1000
msh_check_eq "proven clients connect through it, 10 of 10" 10 "$res"
msh_ctl policy set synack_rate 20 >/dev/null

# 3. a flood aimed at one prefix without history
victim=192.0.2.50
lim0=$(stat synack_limited)
in_attacker /usr/bin/python3 "$MSH_PY/admitc.py" synflood-from "$victim" \
	"$FLOOD_SECS" 400000 "$MAIL4" 25 >"$MSH_STATE/flood3.out" &
flood=$!
msh_sleep 2
res=$(connect_all client 192.0.2.51)
wait "$flood" || true
lim=$(( $(stat synack_limited) - lim0 ))
echo "# aimed flood: $(cat "$MSH_STATE/flood3.out"), synack_limited +$lim"
msh_check "a flood aimed at one prefix is held to its budget" \
	test "$lim" -ge 1000
msh_check_eq "another new client connects meanwhile" 1 "$res"

printf 'addr del %s/26 dev eth0\n' "${addrs[@]}" 192.0.2.51 |
	ip -n client -batch - 2>/dev/null || true
msh_ctl policy set rate 60 max_conns 20 synack_rate 200 >/dev/null
msh_check "kernel log clean" msh_dmesg_clean
msh_done
