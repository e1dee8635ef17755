#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Evasion, as an attacker would try it (evade.py, scapy on raw sockets,
# TCP_REPAIR for the real socket's sequence numbers), over IPv4 and IPv6:
#  - forged RSTs and FINs far outside the window must neither end the
#    inspection of a session nor free its slot under max_conns;
#  - a harmless copy of a byte range that the stack drops (bad checksum,
#    no ACK) must not stand in for the smuggling bytes sent after it;
#  - an urgent byte must not hide the end of the data from the inspector;
#  - a segment in IP fragments must not carry bytes past it (the test
#    loads no conntrack: unless mailshield reassembles, the hook sees
#    each fragment on its own);
#  - handshakes the stack completes itself (a source port the server
#    holds in TIME_WAIT) must count against max_conns and be inspected.
# The smuggled message (envelope sender MARKER@client.test) must never be
# delivered, and mailshield must count what it saw. Violation bans are off
# so that every try is independent; the policy is restored at the end.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_dmesg_mark
msh_module_load

EVD=$MSH_LIB_DIR/evade.py
NLS=$MSH_LIB_DIR/nlsmtp.py
PY=/usr/bin/python3

# Without defragmentation in front of it the hook sees each fragment on
# its own. This test loads no conntrack; say what is loaded (the module's
# own dependencies included).
loaded=
while read -r name _; do
	case $name in nf_conntrack | nf_defrag_ipv[46]) loaded+=" $name" ;; esac
done </proc/modules
echo "# conntrack/defrag modules loaded:${loaded:- none}"

pol=$(msh_ctl --json policy)
echo "# policy before: $pol"
ban=$(in_mail python3 "$NLS" get | msh_json - 'j["violation_ban"]')
in_mail python3 "$NLS" set violation_ban=0

# 1. forged RST/FIN against the concurrency cap
msh_ctl policy set max_conns 2 rate 0 >/dev/null
msh_checks "forged RST/FIN and max_conns" \
	"$PY" "$EVD" admit "$MAIL4,$MAIL6" 2

# 5. handshakes the stack completes (TIME_WAIT reuse) against the cap
# (evade.py sets max_conns: none for the sessions it closes, then 1)
msh_checks "TIME_WAIT reuse and max_conns" \
	"$PY" "$EVD" twadmit "$MAIL4,$MAIL6" 1

# 1-5. smuggling past the inspector
msh_ctl policy set max_conns 0 >/dev/null
msh_checks "smuggling tricks" \
	"$PY" "$EVD" smuggle "$MAIL4,$MAIL6" "$MSH_MAILLOG" "$MSH_MBOX"

msh_ctl policy set \
	max_conns "$(msh_json - 'j.get("max_conns", 20)' <<<"$pol")" \
	rate "$(msh_json - 'j.get("rate", 60)' <<<"$pol")" \
	burst "$(msh_json - 'j.get("burst", 20)' <<<"$pol")" >/dev/null
in_mail python3 "$NLS" set violation_ban="$ban"

msh_check "module still loaded" msh_module_loaded
msh_dmesg_clean && msh_ok "no kernel warnings" || msh_notok "no kernel warnings"
msh_done
