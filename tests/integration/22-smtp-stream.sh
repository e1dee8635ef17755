#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# The in-order stream view with crafted segments (tcpcraft.py, scapy): a
# segment beyond the next expected byte is dropped (and its bytes never
# reach Postfix), retransmitted bytes already inspected are skipped and
# counted, and the session carries on normally.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_dmesg_mark
msh_module_load

NLS=$MSH_LIB_DIR/nlsmtp.py
stat() {
	python3 -c 'import json,sys
print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"
}

for server in "$MAIL4" "$MAIL6"; do
	marker=mshooo$RANDOM$RANDOM
	before=$(in_mail python3 "$NLS" stats)
	out=$(in_client /usr/bin/python3 "$MSH_LIB_DIR/tcpcraft.py" \
		"$server" "$marker" 2>&1) || true
	echo "# $out"
	after=$(in_mail python3 "$NLS" stats)
	if grep -q '"ok": true' <<<"$out"; then
		msh_ok "$server: session goes on after crafted segments"
	else
		msh_notok "$server: session goes on after crafted segments"
	fi
	d=$(( $(stat "$after" ooo_drops) - $(stat "$before" ooo_drops) ))
	if [ "$d" -ge 1 ]; then
		msh_ok "$server: out-of-order segment dropped (+$d)"
	else
		msh_notok "$server: out-of-order segment dropped" "+$d"
	fi
	d=$(( $(stat "$after" retrans_bytes) - $(stat "$before" retrans_bytes) ))
	if [ "$d" -ge 12 ]; then
		msh_ok "$server: retransmitted bytes skipped (+$d)"
	else
		msh_notok "$server: retransmitted bytes skipped" "+$d"
	fi
	d=$(( $(stat "$after" violations) - $(stat "$before" violations) ))
	msh_check_eq "$server: no violation from the crafted segments" 0 "$d"
	msh_sleep 0.3
	if grep -q "$marker" "$MSH_MAILLOG"; then
		msh_notok "$server: out-of-order bytes never reached Postfix"
	else
		msh_ok "$server: out-of-order bytes never reached Postfix"
	fi
done

msh_check "module still loaded" msh_module_loaded
msh_dmesg_clean && msh_ok "no kernel warnings" || msh_notok "no kernel warnings"
msh_done
