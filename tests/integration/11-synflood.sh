#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# A spoofed SYN flood from the attacker namespace (random sources in
# 198.18.0.0/15, bounded in packets and seconds) while the client namespace
# runs real SMTP transactions with Postfix: port 25 never has a SYN_RECV
# entry, the legitimate success rate is reported, and the per-source table
# (capped at 16 entries here) holds nothing for spoofed sources. Then 40
# real sources connect: the table stays at its cap, the overflow is
# counted, and they are all admitted (sources_full = admit).

. "$(dirname "$0")/lib.sh"

msh_dmesg_mark
msh_setup
msh_module_load
msh_write_conf
msh_daemon_start
msh_ctl policy set syncookies yes rate 0 max_conns 0 max_sources 16 \
	sources_full admit >/dev/null

stat() { msh_stats | msh_json - "j[\"$1\"]"; }
mail_pid=$(msh_ns_pid mail)

# SYN_RECV (state 03) entries with local port 25 (:0019), IPv4 and IPv6
synrecv_now() {
	local n=0 sl local rem st rest f
	for f in /proc/"$mail_pid"/net/tcp /proc/"$mail_pid"/net/tcp6; do
		while read -r sl local rem st rest; do
			[[ "$local" == *:0019 && "$st" == 03 ]] && n=$((n + 1))
		done <"$f"
	done
	echo "$n"
}

FLOOD_SECS=${MSH_FLOOD_SECS:-20}
sent0=$(stat cookies_sent)
in_attacker python3 "$MSH_PY/admitc.py" synflood "$FLOOD_SECS" 400000 \
	"$MAIL4" 25 >"$MSH_STATE/flood.out" &
flood=$!
in_mail python3 "$MSH_PY/admitc.py" sessions client "$MAIL4" 25 \
	"$((FLOOD_SECS - 2))" 40 >"$MSH_STATE/sessions.out" &
sess=$!
max=0
while kill -0 "$flood" 2>/dev/null; do
	n=$(synrecv_now)
	[ "$n" -gt "$max" ] && max=$n
	msh_sleep 0.5
done
wait "$flood" || true
wait "$sess" || true
echo "# flood: $(cat "$MSH_STATE/flood.out")"
echo "# legitimate sessions during the flood: $(cat "$MSH_STATE/sessions.out")"
sent=$(msh_json "$MSH_STATE/flood.out" 'j["sent"]')
ok=$(msh_json "$MSH_STATE/sessions.out" 'j["ok"]')
failed=$(msh_json "$MSH_STATE/sessions.out" 'j["failed"]')
total=$((ok + failed))
echo "# success rate: $ok/$total legitimate SMTP transactions completed under a flood of $sent spoofed SYNs"
msh_check "the flood sent thousands of SYNs" test "$sent" -ge 2000
msh_check_eq "no SYN_RECV entry on port 25 during the flood (max seen)" 0 "$max"
msh_check "legitimate transactions completed during the flood" \
	test "$ok" -ge 3
msh_check "legitimate success rate at least 90%" \
	test "$((ok * 100))" -ge "$((total * 90))"
cookies=$(( $(stat cookies_sent) - sent0 ))
echo "# cookie SYN-ACKs sent: $cookies (SYN-ACK cap: $(msh_ctl --json policy | msh_json - 'j["synack_rate"]')/s)"
msh_check "the flood was answered with cookies" test "$cookies" -ge 1000
msh_check "spoofed sources created no per-source entry" \
	test "$(stat sources)" -le 2

# 40 real sources against a cap of 16
full0=$(stat sources_full)
addrs=()
for i in $(seq 71 110); do
	addrs+=("192.0.2.$i")
done
printf 'addr add %s/26 dev eth0\n' "${addrs[@]}" | ip -n attacker -batch - 2>/dev/null || true
res=$(in_attacker python3 -c 'import socket, sys
ok = 0
for a in sys.argv[2:]:
    s = socket.socket()
    s.settimeout(5)
    try:
        s.bind((a, 0))
        s.connect((sys.argv[1], 25))
        ok += s.recv(100).startswith(b"220")
    except OSError:
        pass
    s.close()
print(ok)' "$MAIL4" "${addrs[@]}")
msh_check_eq "40 real sources admitted with the table full" 40 "$res"
n=$(stat sources)
echo "# source entries: $n (cap 16), overflow counted: $(( $(stat sources_full) - full0 ))"
msh_check "source table never past its cap" test "$n" -le 16
msh_check "table overflow counted" test "$(stat sources_full)" -gt "$full0"
nl=$(msh_ctl --json sources | msh_json - 'len(j)')
msh_check "mailshieldctl --json sources lists at most the cap" test "$nl" -le 16
printf 'addr del %s/26 dev eth0\n' "${addrs[@]}" | ip -n attacker -batch - 2>/dev/null || true

msh_check "kernel log clean" msh_dmesg_clean
msh_ctl policy set rate 60 max_conns 20 max_sources 65536 >/dev/null
msh_done
