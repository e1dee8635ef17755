#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Legitimate SMTP through the inspector: pipelined (RFC 2920), BDAT
# (RFC 3030, a chunk that ends inside a line), STARTTLS with a self-signed
# certificate, and Postfix's smtp-source pushing many messages; every
# message lands in the mailbox and no violation is counted. A session held
# open is listed by GET_FLOWS with its SMTP state; malformed SMTP policy
# values are refused with an extack message.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_dmesg_mark
msh_module_load

ATK=$MSH_LIB_DIR/smtpattack.py
NLS=$MSH_LIB_DIR/nlsmtp.py
before=$(in_mail python3 "$NLS" stats)
n=$(msh_mail_count)

# delivered SUBJECT DESC: wait for one more message with SUBJECT
delivered() {
	n=$((n + 1))
	if msh_wait_mail "$n" 60 && grep -qF "Subject: $1" "$MSH_MBOX"; then
		msh_ok "$2: delivered"
	else
		msh_notok "$2: delivered" "$(msh_mail_count) message(s)"
		n=$(msh_mail_count)
	fi
}

for server in "$MAIL4" "$MAIL6"; do
	subj="msh pipelined $server $RANDOM"
	msh_check "pipelined session via $server accepted" \
		in_client python3 "$ATK" pipeline "$server" 25 "$subj"
	delivered "$subj" "pipelined via $server"

	subj="msh bdat $server $RANDOM"
	msh_check "BDAT session via $server accepted" \
		in_client python3 "$ATK" bdat "$server" 25 "$subj"
	delivered "$subj" "BDAT via $server"
done

# STARTTLS with a self-signed certificate made here.
tls=/etc/postfix/msh-tls
if [ ! -f "$tls.crt" ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj \
		"/CN=mail.$MSH_DOMAIN" -keyout "$tls.key" -out "$tls.crt" \
		2>/dev/null
	printf '%s\n' "smtpd_tls_security_level = may" \
		"smtpd_tls_cert_file = $tls.crt" \
		"smtpd_tls_key_file = $tls.key" >>/etc/postfix/main.cf
	kill -HUP "$(cat "$MSH_POSTFIX_PID")"
	msh_sleep 2
fi
subj="msh starttls $RANDOM"
out=$(msh_swaks --tls --header "Subject: $subj" 2>&1) || true
echo "$out" | grep -E '^(<-|->|~>|<~|===)' | head -30 | sed 's/^/#   /'
if grep -q 'TLS started' <<<"$out" && grep -q '<~  250 2.0.0 Ok: queued' <<<"$out"; then
	msh_ok "STARTTLS session: TLS started, message queued"
else
	msh_notok "STARTTLS session: TLS started, message queued"
fi
delivered "$subj" "STARTTLS"

# smtp-source: 40 messages over 4 parallel sessions, 10 per session.
in_client smtp-source -c -s 4 -m 40 -l 2000 -f sender@client.test \
	-t "$MSH_USER@$MSH_DOMAIN" "$MAIL4:25" >/dev/null 2>&1 &&
	msh_ok "smtp-source finished" || msh_notok "smtp-source finished"
n=$((n + 40))
if msh_wait_mail "$n" 120; then
	msh_ok "smtp-source: 40 messages delivered"
else
	msh_notok "smtp-source: 40 messages delivered" "$(msh_mail_count)"
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
time.sleep(6)
s.sendall(b"QUIT\r\n")
f.readline()
PY
held=$!
msh_sleep 3
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
if [ -x "$MSH_CTL" ] && msh_ctl flows 2>/dev/null | grep -q '192.0.2.10'; then
	msh_ok "mailshieldctl flows lists the held session"
else
	msh_notok "mailshieldctl flows lists the held session" \
		"$(msh_ctl flows 2>&1 | head -5)"
fi
wait "$held" || true

after=$(in_mail python3 "$NLS" stats)
echo "# stats before: $before"
echo "# stats after: $after"
nv=$(python3 -c 'import json,sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(a["violations"] - b["violations"])' "$before" "$after")
msh_check_eq "no violation in legitimate sessions" 0 "$nv"

msh_checks "SMTP policy validation" in_mail python3 "$NLS" rejects

msh_check "module still loaded" msh_module_loaded
msh_dmesg_clean && msh_ok "no kernel warnings" || msh_notok "no kernel warnings"
msh_done
