#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Directory-harvest defence against a real Postfix, with the recipient set
# uploaded over raw netlink (rcptc.py, the reference hashing of
# scripts/rcpt_vectors.py), at the module's default recipient policy (ban,
# 20 unknown recipients in 600 s, learn on):
#  - a harvest of example.test from the attacker: Postfix answers the
#    first 19 made-up recipients itself (550 5.1.1), the 20th never reaches
#    it: mailshield answers 421 4.7.1 and the source is banned (reason
#    recipients, refused at its next connection); meanwhile the client
#    delivers to the valid recipient;
#  - without protected domains (learn mode): Postfix's 550 5.1.1 replies
#    count; after 20 of them the next RCPT gets 421 4.7.1.
# Every part uses an attacker address of its own: the window of a source
# outlives an unban.

. "$(dirname "$0")/lib.sh"

msh_dmesg_mark
msh_setup
msh_module_load
msh_ctl allowlist set >/dev/null 2>&1 || true
# two more attacker addresses, each a source of its own (/32 keying)
in_attacker ip addr replace 192.0.2.67/26 dev eth0
in_attacker ip addr replace 192.0.2.68/26 dev eth0

RC=$MSH_PY/rcptc.py
rstat() { in_mail python3 "$RC" stats | msh_json - "j[\"$1\"]"; }
conn_ok() {
	in_attacker python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[1], 25), timeout=3,
                             source_address=(sys.argv[2], 0))
sys.exit(0 if s.recv(100).startswith(b"220") else 1)' "$MAIL4" "$1" \
		2>/dev/null
}
# harvest_ok JSON N: N - 1 replies 550 from Postfix, then mailshield's 421.
harvest_ok() {
	msh_json - "len(j['codes']) == $2 and j['codes'][:-1] == [550] * ($2 - 1) and j['codes'][-1] == 421 and '4.7.1' in j['last']" <<<"$1" |
		grep -qx true
}

# --- a set: example.test protected, msuser@example.test valid
out=$(in_mail python3 "$RC" load --domain "$MSH_DOMAIN" "$MSH_USER@$MSH_DOMAIN") ||
	out='{}'
echo "# loaded: $out"
msh_check_eq "set committed: 1 address, 1 domain" "1 1 0 0" \
	"$(msh_json - '"%s %s %s %s" % (j.get("addresses"), j.get("domains"), j.get("catchalls"), j.get("pending"))' <<<"$out")"
msh_check_eq "set has a generation and an age" true \
	"$(msh_json - 'j["generation"] >= 1 and j["age"] is not None' <<<"$out")"

u0=$(rstat rcpt_unknown)
c0=$(rstat rcpt_checked)
h=$(in_attacker python3 "$RC" harvest "$MAIL4" 192.0.2.67 40)
echo "# harvest: $h"
msh_check "harvest: 19 answered 550 by Postfix, the 20th 421 4.7.1" \
	harvest_ok "$h" 20
refused() { ! conn_ok 192.0.2.67; }
msh_check "harvester refused at its next connection" refused
bans=$(msh_ctl --json bans 2>/dev/null || echo '[]')
echo "# bans: $bans"
msh_check_eq "banned with reason recipients" true \
	"$(msh_json - 'any(b.get("addr") == "192.0.2.67" and b.get("reason") == "recipients" for b in j)' <<<"$bans")"
msh_check "unknown recipients counted" \
	test "$(( $(rstat rcpt_unknown) - u0 ))" -ge 20
msh_check "checked recipients counted" \
	test "$(( $(rstat rcpt_checked) - c0 ))" -ge 20

n0=$(msh_mail_count)
sw=$(msh_swaks --header "Subject: msh-rcpt-$RANDOM" 2>&1) || true
echo "$sw" | grep -E '^(<-|->) +(RCPT|250|[45][0-9][0-9])' | sed 's/^/#   /' || true
msh_check "the client delivers to the valid recipient" \
	grep -q '^<-  250 2.0.0 Ok: queued' <<<"$sw"
msh_check "message in the mailbox" msh_wait_mail "$((n0 + 1))" 60

# --- learn mode: no domain protected, Postfix's replies teach
out=$(in_mail python3 "$RC" clear) || out='{}'
echo "# cleared: $out"
l0=$(rstat rcpt_learned)
h=$(in_attacker python3 "$RC" harvest "$MAIL4" 192.0.2.68 40)
echo "# harvest: $h"
msh_check "learn: 20 answered 550 by Postfix, the 21st 421 4.7.1" \
	harvest_ok "$h" 21
msh_check "learned replies counted" \
	test "$(( $(rstat rcpt_learned) - l0 ))" -ge 20

msh_ctl unban 192.0.2.67 >/dev/null 2>&1 || true
msh_ctl unban 192.0.2.68 >/dev/null 2>&1 || true
msh_check "kernel log clean" msh_dmesg_clean
msh_done
