#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Postfix's smtp-source pushes many messages through the inspector (all
# delivered, no violation); a session held open is listed by GET_FLOWS and
# "mailshieldctl flows" with its SMTP state; malformed SMTP policy values
# are refused with an extack message.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_dmesg_mark
msh_module_load

NLS=$MSH_LIB_DIR/nlsmtp.py
before=$(in_mail python3 "$NLS" stats)
n=$(msh_mail_count)

# smtp-source: 20 messages, 4 sessions in parallel.
in_client smtp-source -c -s 4 -m 20 -l 2000 -f sender@client.test \
	-t "$MSH_USER@$MSH_DOMAIN" "$MAIL4:25" >/dev/null 2>&1 &&
	msh_ok "smtp-source finished" || msh_notok "smtp-source finished"
n=$((n + 20))
if msh_wait_mail "$n" 120; then
	msh_ok "smtp-source: 20 messages delivered"
else
	msh_notok "smtp-source: 20 messages delivered" "$(msh_mail_count)"
	n=$(msh_mail_count)
fi

# A session held open in the command state is listed.
in_client python3 - "$MAIL4" <<'PY' &
import socket, sys, time
s = socket.create_connection((sys.argv[1], 25), 15)
f = s.makefile("rb")
f.readline()
s.sendall(b"EHLO held.test\r\n")
while f.readline()[3:4] == b"-":
    pass
time.sleep(20)
s.sendall(b"QUIT\r\n")
f.readline()
PY
held=$!
msh_sleep 3
if [ -x "$MSH_CTL" ] && msh_ctl flows 2>/dev/null | grep -q '192.0.2.10'; then
	msh_ok "mailshieldctl flows lists the held session"
else
	msh_notok "mailshieldctl flows lists the held session" \
		"$(msh_ctl flows 2>&1 | head -5)"
fi
flows=$(in_mail python3 "$NLS" flows)
echo "# flows: $flows"
if python3 -c 'import json,sys
f = [x for x in json.loads(sys.argv[1]) if x["client"] == "192.0.2.10"
     and x["server_port"] == 25 and x["state"] == "command"
     and x["rx_bytes"] > 0 and x["tx_bytes"] > 0]
sys.exit(0 if f else 1)' "$flows"; then
	msh_ok "GET_FLOWS lists the held session in the command state"
else
	msh_notok "GET_FLOWS lists the held session in the command state"
fi
wait "$held" || true

after=$(in_mail python3 "$NLS" stats)
echo "# stats before: $before"
echo "# stats after: $after"
nv=$(python3 -c 'import json,sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(a["violations"] - b["violations"])' "$before" "$after")
msh_check_eq "no violation in smtp-source sessions" 0 "$nv"

msh_checks "SMTP policy validation" in_mail python3 "$NLS" rejects

msh_check "module still loaded" msh_module_loaded
msh_dmesg_clean && msh_ok "no kernel warnings" || msh_notok "no kernel warnings"
msh_done
