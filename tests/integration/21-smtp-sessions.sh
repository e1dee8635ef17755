#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Legitimate SMTP through the inspector: pipelined (RFC 2920), BDAT
# (RFC 3030, a chunk that ends inside a line) and STARTTLS with a
# self-signed certificate; every message lands in the mailbox and no
# violation is counted.

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
tls=$MSH_STATE/msh-tls
if [ ! -f "$tls.crt" ]; then
	if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -days 2 -subj "/CN=mail.$MSH_DOMAIN" -keyout "$tls.key" \
		-out "$tls.crt" >"$MSH_STATE/openssl.log" 2>&1; then
		sed 's/^/#   /' "$MSH_STATE/openssl.log"
		msh_notok "self-signed certificate made with openssl"
	fi
	# smtpd reads them as the postfix user (test VM only)
	chmod 644 "$tls.key" "$tls.crt"
	# smtpd seeds its TLS PRNG through tlsmgr: without it, no TLS
	grep -q '^tlsmgr' /etc/postfix/master.cf ||
		echo 'tlsmgr     unix  -  -  n  1000? 1 tlsmgr' \
			>>/etc/postfix/master.cf
	printf '%s\n' "smtpd_tls_security_level = may" \
		"smtpd_tls_cert_file = $tls.crt" \
		"smtpd_tls_key_file = $tls.key" >>/etc/postfix/main.cf
	kill -HUP "$(cat "$MSH_POSTFIX_PID")" || true
	msh_sleep 2
fi
subj="msh starttls $RANDOM"
msh_check "STARTTLS session (self-signed certificate) accepted" \
	in_client python3 "$ATK" starttls "$MAIL4" 25 "$subj"
delivered "$subj" "STARTTLS"

after=$(in_mail python3 "$NLS" stats)
echo "# stats before: $before"
echo "# stats after: $after"
nv=$(python3 -c 'import json,sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(a["violations"] - b["violations"])' "$before" "$after")
msh_check_eq "no violation in legitimate sessions" 0 "$nv"

msh_check "module still loaded" msh_module_loaded
msh_dmesg_clean && msh_ok "no kernel warnings" || msh_notok "no kernel warnings"
msh_done
