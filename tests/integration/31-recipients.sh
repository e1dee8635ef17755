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
#    count; after 20 of them the next RCPT gets 421 4.7.1;
#  - a harvest spread over four addresses of one keying prefix (IPv6 /64,
#    IPv4 /26) is one harvest: the prefix is banned, every address in it
#    refused, the client's prefix not.
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
# conn_ok SRC [NS]: a connection from SRC (in NS, the attacker's by
# default) gets Postfix's banner
conn_ok() {
	local dst=$MAIL4
	[[ $1 == *:* ]] && dst=$MAIL6
	ip netns exec "${2:-attacker}" python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[1], 25), timeout=3,
                             source_address=(sys.argv[2], 0))
sys.exit(0 if s.recv(100).startswith(b"220") else 1)' "$dst" "$1" \
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

# --- a harvest spread over the addresses of one prefix: the window and the
# ban belong to the keying prefix (prefix_v6 /64 by default, prefix_v4 set
# to /26 here), so five RCPTs from each of four addresses are one harvest
# of 20
out=$(in_mail python3 "$RC" load --domain "$MSH_DOMAIN" "$MSH_USER@$MSH_DOMAIN") ||
	out='{}'
refused_from() { ! conn_ok "$1"; }
spread() {	# spread FAMILY DST PREFIX ADDR...
	local fam=$1 dst=$2 pfx=$3 srcs="" a h bans
	shift 3
	for a in "$@"; do
		srcs+="${srcs:+,}$a"
	done
	h=$(in_attacker python3 "$RC" spread "$dst" 5 "$srcs" 40)
	echo "# spread harvest: $h"
	msh_check "$fam: 19 answered 550 over four addresses, the 20th 421 4.7.1" \
		harvest_ok "$h" 20
	msh_check_eq "$fam: the harvest came from four addresses" 4 \
		"$(msh_json - 'len(set(j.get("srcs", [])))' <<<"$h")"
	for a in "$@"; do
		msh_check "$fam: $a refused at its next connection" \
			refused_from "$a"
	done
	bans=$(msh_ctl --json bans 2>/dev/null || echo '[]')
	echo "# bans: $bans"
	msh_check_eq "$fam: the prefix $pfx is banned (reason recipients)" true \
		"$(msh_json - "any(b.get('addr') + '/' + str(b.get('prefix')) == '$pfx' and b.get('reason') == 'recipients' for b in j)" <<<"$bans")"
}
for i in 1 2 3 4 5; do
	in_attacker ip addr replace "2001:db8:2::a$i/64" dev eth0 nodad
	in_attacker ip addr replace "192.0.2.7$i/26" dev eth0
done
spread IPv6 "$MAIL6" 2001:db8:2::/64 2001:db8:2::a1 2001:db8:2::a2 \
	2001:db8:2::a3 2001:db8:2::a4
msh_check "IPv6: an address of the /64 that sent nothing is refused too" \
	refused_from 2001:db8:2::a5
msh_check "IPv6: the client's /64 still gets the banner" \
	conn_ok "$CLIENT6" client
msh_ctl policy set prefix_v4 26 >/dev/null
spread IPv4 "$MAIL4" 192.0.2.64/26 192.0.2.71 192.0.2.72 192.0.2.73 \
	192.0.2.74
msh_check "IPv4: an address of the /26 that sent nothing is refused too" \
	refused_from 192.0.2.75
msh_check "IPv4: the client's /26 still gets the banner" \
	conn_ok "$CLIENT4" client
msh_ctl unban 192.0.2.64/26 >/dev/null 2>&1 || true
msh_ctl policy set prefix_v4 32 >/dev/null
msh_ctl unban 2001:db8:2::/64 >/dev/null 2>&1 || true
for i in 1 2 3 4 5; do
	in_attacker ip addr del "2001:db8:2::a$i/64" dev eth0
	in_attacker ip addr del "192.0.2.7$i/26" dev eth0
done
# later tests start without a set, as after a module load
in_mail python3 "$RC" clear >/dev/null || true
msh_check "kernel log clean" msh_dmesg_clean
msh_done
