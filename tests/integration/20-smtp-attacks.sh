#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# SMTP attacks from the client namespace against Postfix behind the
# module: overlong EHLO, RCPT, AUTH, DATA line (40000 octets, over the
# default text_line of 32768) and domain, pre-greet talk, bytes injected
# after STARTTLS and the smuggling sequences. Each one must be stopped:
# the client gets mailshield's SMTP error and a closed connection, and
# Postfix, which logs every command of these clients (debug_peer_list),
# never logs the attack bytes (a unique marker in each).

. "$(dirname "$0")/lib.sh"

msh_setup
msh_dmesg_mark
msh_module_load

ATK=$MSH_LIB_DIR/smtpattack.py
NLS=$MSH_LIB_DIR/nlsmtp.py

# Many violations from one client: no ban in this test (23 tests bans).
in_mail python3 "$NLS" set violation_ban=0

# Postfix logs each command line of the test clients.
if ! grep -q '^debug_peer_list' /etc/postfix/main.cf; then
	printf 'debug_peer_list = 192.0.2.0/24 [2001:db8::]/32\ndebug_peer_level = 2\n' \
		>>/etc/postfix/main.cf
	kill -HUP "$(cat "$MSH_POSTFIX_PID")"
	msh_sleep 2
fi

# Positive control: a clean command with a marker does reach the log.
ctl_marker=mshctl$RANDOM$RANDOM
in_client python3 - "$MAIL4" "$ctl_marker" <<'PY'
import socket, sys
s = socket.create_connection((sys.argv[1], 25), 15)
f = s.makefile("rb")
f.readline()
s.sendall(f"EHLO {sys.argv[2]}\r\nQUIT\r\n".encode())
while f.readline():
    pass
PY
msh_wait 10 "control marker in the Postfix log" \
	grep -q "$ctl_marker" "$MSH_MAILLOG" &&
	msh_ok "Postfix logs client commands (control marker seen)" ||
	msh_notok "Postfix logs client commands (control marker seen)"

before=$(in_mail python3 "$NLS" stats)
# every attack over IPv4, a few over IPv6
msh_checks "attacks over IPv4" python3 "$ATK" check "$MAIL4" "$MSH_MAILLOG"
msh_checks "attacks over IPv6" python3 "$ATK" check "$MAIL6" "$MSH_MAILLOG" \
	ehlo600 rcpt5000 pregreet smuggle_lf_lf
nattacks=15
after=$(in_mail python3 "$NLS" stats)
echo "# stats before: $before"
echo "# stats after: $after"
nviol=$(python3 -c 'import json,sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(a["violations"] - b["violations"])' "$before" "$after")
if [ "$nviol" -ge "$nattacks" ]; then
	msh_ok "violations counted ($nviol for $nattacks attacks)"
else
	msh_notok "violations counted" "$nviol for $nattacks attacks"
fi
for r in cmd_line local_part auth_line text_line path pregreet \
	starttls_inject bare_lf bare_cr; do
	n=$(python3 -c 'import json,sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(a["reasons"][sys.argv[3]] - b["reasons"][sys.argv[3]])' \
		"$before" "$after" "$r")
	if [ "$n" -gt 0 ]; then
		msh_ok "per-reason counter $r (+$n)"
	else
		msh_notok "per-reason counter $r" "+$n"
	fi
done
in_mail python3 "$NLS" set violation_ban=5

msh_check "module still loaded" msh_module_loaded
msh_dmesg_clean && msh_ok "no kernel warnings" || msh_notok "no kernel warnings"
msh_done
