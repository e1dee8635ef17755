#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# SYN cookies on the protected ports: a connection made through a cookie
# (no SYN_RECV entry ever exists) keeps timestamps, SACK and window
# scaling over IPv4 and IPv6, as ss -ti shows on both ends, with the same
# window scale on both ends; forged ACKs with wrong cookies create no
# socket and are counted as invalid cookies.

. "$(dirname "$0")/lib.sh"

msh_dmesg_mark
msh_setup
msh_module_load
msh_write_conf
msh_daemon_start
msh_ctl policy set syncookies yes rate 0 max_conns 0 >/dev/null

stat() { msh_stats | msh_json - "j[\"$1\"]"; }

# ss -tino output of established port-25 connections to/from $2 in NS $1
# (iproute2 6.1 prints "ts" and "sack" only together with -o)
ss_of() {
	ip netns exec "$1" ss -tino state established \
		"( sport = :25 or dport = :25 )" | grep -A1 -F "$2"
}

for dst in "$MAIL4" "$MAIL6"; do
	sent0=$(stat cookies_sent)
	valid0=$(stat cookies_valid)
	# Hold one connection open while ss looks at it, from a source port
	# the server has no socket for: a SYN meeting one of its TIME_WAIT
	# sockets of an earlier session goes to the stack (14-tw-reuse),
	# with no cookie to count.
	in_client python3 -c 'import random, socket, sys, time
busy = set()
for f in ("tcp", "tcp6"):	# the mail namespace sockets of port 25
    for line in list(open(f"/proc/{sys.argv[2]}/net/{f}"))[1:]:
        loc, rem = line.split()[1:3]
        if int(loc.split(":")[1], 16) == 25:
            busy.add(int(rem.split(":")[1], 16))
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
while True:
    port = random.randrange(20000, 30000)
    if port in busy:
        continue
    s = socket.socket(fam, socket.SOCK_STREAM)
    try:
        s.bind(("", port))
        break
    except OSError:
        s.close()
s.settimeout(10)
s.connect((sys.argv[1], 25))
assert s.recv(100).startswith(b"220")
time.sleep(10)' "$dst" "$(msh_ns_pid mail)" &
	holder=$!
	if [ "$dst" = "$MAIL6" ]; then
		pat="[$dst]:25"
	else
		pat="$dst:25"
	fi
	# the emulated guest is slow: wait until both ends show it
	msh_wait 8 "connection to $dst established on both ends" \
		bash -c "ip netns exec mail ss -tn state established | grep -qF '$pat' &&
			 ip netns exec client ss -tn state established | grep -qF '$pat'" || true
	srv=$(ss_of mail "$pat" || true)
	cli=$(ss_of client "$dst" || true)
	echo "# server: ${srv//$'\n'/ }"
	echo "# client: ${cli//$'\n'/ }"
	for opt in ts sack wscale; do
		msh_check "$dst: server socket has $opt" \
			grep -qw -- "$opt" <<<"$srv"
		msh_check "$dst: client socket has $opt" \
			grep -qw -- "$opt" <<<"$cli"
	done
	# client wscale:snd,rcv must mirror the server's rcv,snd
	ws_s=$(grep -o 'wscale:[0-9]*,[0-9]*' <<<"$srv" || true)
	ws_c=$(grep -o 'wscale:[0-9]*,[0-9]*' <<<"$cli" || true)
	IFS=':,' read -r _ s_snd s_rcv <<<"$ws_s"
	IFS=':,' read -r _ c_snd c_rcv <<<"$ws_c"
	msh_check_eq "$dst: window scale agrees on both ends" \
		"$s_snd,$s_rcv" "${c_rcv:-x},${c_snd:-x}"
	wait "$holder" || msh_notok "$dst: holder session" "exit status $?"
	msh_check "$dst: a cookie SYN-ACK was sent" \
		test "$(stat cookies_sent)" -gt "$sent0"
	msh_check "$dst: the cookie ACK was validated" \
		test "$(stat cookies_valid)" -gt "$valid0"
done

# SYN_RECV never appears for port 25 (cookies leave no request socket)
synrecv=$(in_mail ss -tn state syn-recv '( sport = :25 )' | tail -n +2 | wc -l)
msh_check_eq "no SYN_RECV entry on port 25" 0 "$synrecv"

# forged ACKs with random cookies from the attacker
inv0=$(stat cookies_invalid)
out=$(in_attacker python3 "$MSH_PY/admitc.py" forge 200 "$MAIL4" 25)
echo "# forge: $out"
msh_sleep 1
inv1=$(stat cookies_invalid)
msh_check_eq "200 forged ACKs counted as invalid cookies" 200 \
	"$((inv1 - inv0))"
socks=$(in_mail ss -tn "( sport = :25 )" | grep -cF "$ATTACKER4" || true)
msh_check_eq "forged ACKs created no socket" 0 "$socks"

msh_check "kernel log clean" msh_dmesg_clean
msh_ctl policy set rate 60 max_conns 20 >/dev/null
msh_done
