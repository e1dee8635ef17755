#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# A lost handshake ACK under always-on SYN cookies. An nftables rule in
# the client namespace drops the client's final ACK of one handshake (and
# is removed as soon as it did). The server then has no connection and
# the client, whose connect() succeeded, waits for a greeting:
#  - with synack_retries 2 (the default) mailshield sends the cookie
#    SYN-ACK again after 1 s; the client answers it with an ACK, the
#    cookie completes the handshake and the 220 greeting arrives (IPv4
#    and IPv6);
#  - RSTs the stack would ignore (wrong sequence, bad checksum) leave the
#    retransmission in place; the client's own RST ends it;
#  - with synack_retries 0 nothing is sent again and no greeting comes;
#  - a spoofed SYN flood with no ACKs gets few retransmissions: the 256
#    slots are soon taken, later SYNs get no copy, and at most 64 go out
#    per second.

. "$(dirname "$0")/lib.sh"

msh_dmesg_mark
msh_setup
msh_module_load
msh_ctl policy set syncookies yes rate 0 max_conns 0 synack_retries 2 \
	>/dev/null

stat() { msh_stats | msh_json - "j[\"$1\"]"; }

# lost_ack DST PORT WAIT [RST]: connect from the client's port PORT with
# the handshake's ACK dropped once, then send RST (IPv4; none; forged: two RSTs
# the stack would ignore, a wrong sequence and a bad checksum; real: the
# RST the stack would take); prints the number of packets the rule dropped
# and the seconds until the greeting ("none": none came within WAIT s)
lost_ack() {
	local dst=$1 port=$2 wait=$3 fam=ip out pid i dropped
	[[ $dst == *:* ]] && fam=ip6
	in_client nft -f - <<EOF2
table inet msh15 {
	chain out {
		type filter hook output priority 0;
		$fam daddr $dst tcp sport $port tcp dport 25 tcp flags == ack counter drop
	}
}
EOF2
	out=$MSH_STATE/15-greeting
	in_client python3 -c 'import socket, struct, sys, time
sys.path.insert(0, sys.argv[5])
from admitc import raw_socket, tcp_packet
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
rst = sys.argv[4]		# IPv4 only
raw = raw_socket() if rst != "none" else None
s = socket.socket(fam, socket.SOCK_STREAM)
s.bind(("", int(sys.argv[2])))
s.settimeout(float(sys.argv[3]))
s.connect((sys.argv[1], 25))
t0 = time.monotonic()
if raw:
    # the sequence number the SYN-ACK acknowledged: snd_nxt (TCP_REPAIR,
    # left again without a window probe)
    s.setsockopt(socket.IPPROTO_TCP, 19, 1)
    s.setsockopt(socket.IPPROTO_TCP, 20, 2)
    snd = struct.unpack("=I", s.getsockopt(socket.IPPROTO_TCP, 21, 4))[0]
    s.setsockopt(socket.IPPROTO_TCP, 19, -1)
    src, sport = s.getsockname()
    a, b = socket.inet_aton(src), socket.inet_aton(sys.argv[1])
    if rst == "forged":
        # the stack would ignore both: a wrong sequence, a bad checksum
        pkts = [tcp_packet(a, b, sport, 25, (snd + 100000) & 0xffffffff,
                           0, 0x04)]
        p = bytearray(tcp_packet(a, b, sport, 25, snd, 0, 0x04))
        p[36] ^= 0xff
        pkts.append(bytes(p))
    else:
        pkts = [tcp_packet(a, b, sport, 25, snd, 0, 0x04)]
    for p in pkts:
        raw.sendto(p, (sys.argv[1], 0))
try:
    ok = s.recv(100).startswith(b"220")
except OSError:
    ok = False
print("%.1f" % (time.monotonic() - t0) if ok else "none")' \
		"$dst" "$port" "$wait" "${4:-none}" "$MSH_PY" >"$out" 2>&1 &
	pid=$!
	# remove the rule once it dropped the one ACK
	for i in $(seq 1 100); do
		in_client nft list table inet msh15 | grep -q 'packets [1-9]' &&
			break
		sleep 0.05
	done
	dropped=$(in_client nft list table inet msh15 |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
	in_client nft delete table inet msh15
	wait "$pid" || true
	echo "${dropped:-0} $(cat "$out")"
}

port=21500
for dst in "$MAIL4" "$MAIL6"; do
	port=$((port + 1))
	r0=$(stat synack_retrans)
	v0=$(stat cookies_valid)
	read -r d t < <(lost_ack "$dst" "$port" 10)
	echo "# $dst: ACKs dropped: $d, greeting after: $t s"
	msh_check "$dst: the handshake ACK was dropped" test "$d" -ge 1
	msh_check "$dst: the greeting arrives all the same" test "$t" != none
	msh_check "$dst: the cookie SYN-ACK was sent again" \
		test "$(stat synack_retrans)" -gt "$r0"
	msh_check "$dst: the repeated ACK completed the cookie handshake" \
		test "$(stat cookies_valid)" -gt "$v0"
done

# RSTs the stack would ignore do not end the handshake; the real one does
read -r d t < <(lost_ack "$MAIL4" 21510 10 forged)
echo "# forged RSTs: ACKs dropped: $d, greeting after: $t s"
msh_check "forged RSTs: the handshake ACK was dropped" test "$d" -ge 1
msh_check "forged RSTs (wrong sequence, bad checksum) leave the retransmission" \
	test "$t" != none
read -r d t < <(lost_ack "$MAIL4" 21511 5 real)
echo "# the client's RST: ACKs dropped: $d, greeting after: $t"
msh_check "client RST: the handshake ACK was dropped" test "$d" -ge 1
msh_check_eq "the client's own RST ends the retransmission" none "$t"

msh_ctl policy set synack_retries 0 >/dev/null
r0=$(stat synack_retrans)
read -r d t < <(lost_ack "$MAIL4" 21600 4)
echo "# retries 0: ACKs dropped: $d, greeting after: $t"
msh_check "synack_retries 0: the handshake ACK was dropped" test "$d" -ge 1
msh_check_eq "synack_retries 0: no greeting after a lost ACK" none "$t"
msh_check_eq "synack_retries 0: nothing sent again" "$r0" \
	"$(stat synack_retrans)"
msh_ctl policy set synack_retries 2 >/dev/null

# a spoofed flood: SYNs from random 198.18.0.0/15 sources, never an ACK
secs=${MSH_FLOOD_SECS:-6}
r0=$(stat synack_retrans)
s0=$(stat cookies_sent)
out=$(in_attacker python3 "$MSH_PY/admitc.py" synflood "$secs" 200000 \
	"$MAIL4" 25)
echo "# flood: $out"
msh_sleep 4	# every copy due by now
sent=$(( $(stat cookies_sent) - s0 ))
rtx=$(( $(stat synack_retrans) - r0 ))
echo "# flood: $sent cookie SYN-ACKs, $rtx sent again"
msh_check "flood: cookie SYN-ACKs were sent" test "$sent" -gt 1000
msh_check "flood: at most 64 retransmissions per second" \
	test "$rtx" -le $(( 64 * (secs + 5) ))
msh_check "flood: far fewer retransmissions than SYN-ACKs" \
	test "$(( rtx * 10 ))" -lt "$sent"

msh_check "kernel log clean" msh_dmesg_clean
msh_ctl policy set rate 60 max_conns 20 >/dev/null
msh_done
