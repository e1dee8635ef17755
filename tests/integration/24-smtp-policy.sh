#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# SMTP violation policy: a log-only reason is counted and reported but its
# bytes pass (Postfix answers the line itself); violation_action=reset
# resets the connection without an SMTP reply; a source over violation_ban
# violations in the window is banned (its next connection fails, the ban
# is listed with reason "violations") and can be unbanned; with a full
# flow table and flows_full=refuse a new connection is refused.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_dmesg_mark
msh_module_load

ATK=$MSH_LIB_DIR/smtpattack.py
NLS=$MSH_LIB_DIR/nlsmtp.py
stat() {
	python3 -c 'import json,sys
j = json.loads(sys.argv[1])
for k in sys.argv[2].split("."):
    j = j[k]
print(j)' "$1" "$2"
}

# 1. log only
in_mail python3 "$NLS" set violation_ban=0 log_only=0x30001
b=$(in_mail python3 "$NLS" stats)
marker=mshlog$RANDOM$RANDOM
out=$(in_client python3 "$ATK" attack ehlo600 "$MAIL4" 25 "$marker" pass) || true
echo "# $out"
a=$(in_mail python3 "$NLS" stats)
if grep -q '"ok": true' <<<"$out"; then
	msh_ok "log-only cmd_line: Postfix answered the long EHLO itself"
else
	msh_notok "log-only cmd_line: Postfix answered the long EHLO itself"
fi
d=$(( $(stat "$a" violations_logged) - $(stat "$b" violations_logged) ))
if [ "$d" -ge 1 ]; then
	msh_ok "log-only violation counted as logged (+$d)"
else
	msh_notok "log-only violation counted as logged" "+$d"
fi

# 2. reset
in_mail python3 "$NLS" set log_only=0x30000 violation_action=1
out=$(in_client python3 "$ATK" attack ehlo600 "$MAIL4" 25 mshrst$RANDOM reset) || true
echo "# $out"
if grep -q '"ok": true' <<<"$out"; then
	msh_ok "violation_action reset: connection reset, no SMTP reply"
else
	msh_notok "violation_action reset: connection reset, no SMTP reply"
fi
in_mail python3 "$NLS" set violation_action=0

# 3. ban after 3 violations from the attacker
in_mail python3 "$NLS" set violation_ban=3 violation_window=600
for i in 1 2 3; do
	out=$(in_attacker python3 "$ATK" attack ehlo600 "$MAIL4" 25 \
		mshban$i$RANDOM) || true
	echo "# $out"
done
bans=$(msh_ctl --json bans 2>&1) || true
echo "# bans: $bans"
if grep -q '192.0.2.66' <<<"$bans" && grep -q 'violations' <<<"$bans"; then
	msh_ok "attacker banned after 3 violations (reason violations)"
else
	msh_notok "attacker banned after 3 violations (reason violations)"
fi
if in_attacker python3 -c 'import socket,sys
s = socket.create_connection((sys.argv[1], 25), 3)
s.recv(100)' "$MAIL4" 2>/dev/null; then
	msh_notok "banned attacker cannot connect"
else
	msh_ok "banned attacker cannot connect"
fi
if grep -q 'event=violation .*reason=cmd_line' "$MSH_SYSLOG" 2>/dev/null ||
   ! msh_daemon_running; then
	msh_ok "violation events (syslog, when the daemon runs)"
else
	msh_notok "violation events (syslog, when the daemon runs)"
fi
msh_ctl unban 192.0.2.66 >/dev/null 2>&1 || true
in_mail python3 "$NLS" set violation_ban=5 log_only=0x30000

# 4. flow table full, flows_full=refuse
in_mail python3 "$NLS" set max_flows=1 flows_full=1
b=$(in_mail python3 "$NLS" stats)
in_client python3 -c 'import socket,sys,time
s = socket.create_connection((sys.argv[1], 25), 10)
s.recv(100)
time.sleep(12)' "$MAIL4" &
holder=$!
msh_sleep 3
if in_client python3 -c 'import socket,sys
s = socket.create_connection((sys.argv[1], 25), 5)
s.settimeout(5)
sys.exit(0 if s.recv(100).startswith(b"220") else 1)' "$MAIL4" 2>/dev/null; then
	msh_notok "flow table full (refuse): a second connection is refused"
else
	msh_ok "flow table full (refuse): a second connection is refused"
fi
a=$(in_mail python3 "$NLS" stats)
d=$(( $(stat "$a" flows_full) - $(stat "$b" flows_full) ))
if [ "$d" -ge 1 ]; then
	msh_ok "flows_full counted (+$d)"
else
	msh_notok "flows_full counted" "+$d"
fi
wait "$holder" || true
in_mail python3 "$NLS" set max_flows=65536 flows_full=0

msh_check "module still loaded" msh_module_loaded
msh_dmesg_clean && msh_ok "no kernel warnings" || msh_notok "no kernel warnings"
msh_done
