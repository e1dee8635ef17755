#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Bans: a ban takes effect at once, is listed, is logged to syslog as one
# key=value line, and expires on time; ban_action reset answers with a
# RST; unban lifts a ban; bad ban requests are rejected with the kernel's
# extack message.

. "$(dirname "$0")/lib.sh"

msh_dmesg_mark
msh_setup
msh_module_load
msh_write_conf
msh_daemon_start

stat() { msh_stats | msh_json - "j[\"$1\"]"; }
burst() { in_mail python3 "$MSH_PY/admitc.py" burst "$@"; }
conn_ok() {
	in_attacker python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[1], 25), timeout=3)
sys.exit(0 if s.recv(100).startswith(b"220") else 1)' "$MAIL4" 2>/dev/null
}
conn_refused() { ! conn_ok; }

msh_ctl policy set rate 0 max_conns 0 >/dev/null

# --- bans
msh_check "source connects before the ban" conn_ok
b0=$(stat banned)
logs0=$(msh_syslog_count 'event=ban addr=192.0.2.66 prefix=32 reason=manual duration=40')
t0=$(msh_now_ms)
msh_check "mailshieldctl ban --for 40s" msh_ctl ban "$ATTACKER4" --for 40s
msh_check "banned source refused at once" conn_refused
msh_check "the ban is still on after a refused SYN" conn_refused
msh_check "banned SYNs counted" test "$(stat banned)" -gt "$b0"
bans=$(msh_ctl --json bans)
echo "# bans: $bans"
listed=$(msh_json - 'any(b["addr"] == "192.0.2.66" and b["prefix"] == 32 and b["reason"] == "manual" and 0 < b["ban_left"] <= 40 for b in j)' <<<"$bans")
msh_check_eq "bans lists the source with reason manual" true "$listed"
msh_check "ban event logged as key=value" msh_wait 10 "ban event in syslog" \
	msh_syslog_more 'mailshieldd.*event=ban addr=192.0.2.66 prefix=32 reason=manual duration=40' "$logs0"
grep -F 'event=ban ' "$MSH_SYSLOG" | tail -n 1 | sed 's/^/# syslog: /' || true
# expiry: still refused well before the deadline, admitted after it
el=$(( $(msh_now_ms) - t0 ))
echo "# ${el} ms after the ban"
if [ "$el" -lt 35000 ]; then
	msh_check "still banned before the deadline" conn_refused
fi
while [ $(( $(msh_now_ms) - t0 )) -lt 40500 ]; do msh_sleep 0.2; done
msh_check "ban expired on time" conn_ok
msh_check_eq "bans empty after expiry" "[]" "$(msh_ctl --json bans)"
msh_check "unban event logged on expiry" msh_wait 15 "unban event" \
	msh_syslog_more 'mailshieldd.*event=unban addr=192.0.2.66' 0

# --- manual unban, reset action
msh_ctl policy set ban_action reset >/dev/null
msh_ctl ban "$ATTACKER4" >/dev/null
rst=$(in_attacker python3 -c 'import socket, sys
try:
    socket.create_connection((sys.argv[1], 25), timeout=3)
    print("connected")
except ConnectionRefusedError:
    print("reset")
except OSError as e:
    print(type(e).__name__)' "$MAIL4")
msh_check_eq "ban_action reset answers a banned SYN with a RST" reset "$rst"
msh_check "mailshieldctl unban" msh_ctl unban "$ATTACKER4"
msh_check "unbanned source connects" conn_ok
msh_ctl policy set ban_action drop >/dev/null

# --- bad requests
rc=0
msh_ctl ban 300.1.1.1 2>/dev/null || rc=$?
msh_check_eq "ban of a malformed address: usage error" 2 "$rc"
rc=0
err=$(msh_ctl ban 192.0.2.66/24 2>&1) || rc=$?
echo "# $err"
msh_check_eq "ban with a prefix other than the keying prefix: rejected" 1 "$rc"
msh_check "rejection carries the kernel's extack" \
	grep -q "keying prefix" <<<"$err"
rc=0
err=$(msh_ctl unban 192.0.2.99 2>&1) || rc=$?
msh_check_eq "unban of a source that is not banned: error" 1 "$rc"
rc=0
err=$(msh_ctl policy set burst 0 2>&1) || rc=$?
msh_check_eq "policy set burst 0: rejected" 2 "$rc"

msh_check "kernel log clean" msh_dmesg_clean
msh_ctl policy set rate 60 burst 20 max_conns 20 >/dev/null
msh_done
