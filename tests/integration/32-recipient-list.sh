#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# The recipient set end to end: mailshieldd loads it from a list file and
# uploads it (test 31 uploads over raw netlink), with Postfix behind the
# module.
#  1. log mode (from the config): a harvest is counted, every RCPT reaches
#     Postfix, nobody is banned, and mailshieldd logs the unknown
#     recipients (event=recipient ... action=logged);
#  2. the list: mailshieldctl recipients shows it; valid recipients and
#     those outside the protected domain are not counted unknown; a
#     harvester is banned at the threshold with 421 4.7.1 from the module
#     (reason recipients), while the client keeps delivering;
#  3. a recipient added to the list becomes valid on SIGHUP, and an SMTP
#     session held open across the reload still delivers;
#  4. a slow source (a FIFO nobody writes yet) does not stall mailshieldd:
#     events are logged and signals answered during the load, the running
#     set stays until it ends, a reload asked for meanwhile follows it,
#     and SIGTERM stops the daemon in the middle of one.
# Each harvest comes from an attacker address of its own (a source's
# window outlives an unban).

. "$(dirname "$0")/lib.sh"

msh_setup
msh_dmesg_mark
msh_module_load

HV=$MSH_LIB_DIR/harvest.py
LIST=/etc/mailshield/recipients.txt
NEWUSER=msnew32
# attacker addresses of this test, each a source of its own (/32 keying)
A1=192.0.2.69
A2=192.0.2.70
in_attacker ip addr replace $A1/26 dev eth0
in_attacker ip addr replace $A2/26 dev eth0

rcpt_restore() {
	msh_daemon_stop
	msh_ctl policy set recipients.mode ban recipients.threshold 20 \
		recipients.window 10m recipients.learn yes >/dev/null 2>&1 ||
		true
	msh_ctl unban "$A2" >/dev/null 2>&1 || true
}
trap rcpt_restore EXIT
trap 'exit 143' TERM

stat() { msh_stats | msh_json - "j[\"$1\"]"; }
field() { msh_json - "j[\"$1\"]" <<<"$2"; }
banned_for() {
	msh_ctl --json bans | msh_json - \
		"[b['reason'] for b in j if b['addr'] == '$1']"
}
attacker_connects() {
	in_attacker python3 -c 'import socket,sys
s = socket.create_connection((sys.argv[1], 25), 3,
                             source_address=(sys.argv[2], 0))
s.settimeout(3)
sys.exit(0 if s.recv(100).startswith(b"220") else 1)' "$MAIL4" "$1" \
		2>/dev/null
}
deliver() {
	local n
	n=$(msh_mail_count)
	msh_swaks --header "Subject: msh32 $1" >/dev/null 2>&1 &&
		msh_wait_mail $((n + 1)) 30
}

msh_daemon_stop
msh_ctl policy set recipients.mode ban recipients.threshold 20 \
	recipients.window 10m recipients.learn yes >/dev/null
[[ $'\n'$(</etc/passwd) == *$'\n'"$NEWUSER":* ]] ||
	useradd -M -s /bin/sh "$NEWUSER"

# --- 1. log mode --------------------------------------------------------
# mailshieldd up with the recipient knob of the config: log
msh_write_conf '[recipients]' mode=log
msh_daemon_start
msh_check_eq "log: mode log from the config" log \
	"$(msh_ctl --json policy | msh_json - 'j["recipients_mode"]')"
e0=$(msh_syslog_count "event=recipient addr=$A1 reason=learned unknown=1 .*action=logged")
l0=$(stat rcpt_learned)
out=$(in_attacker python3 "$HV" --from "$A1" "$MAIL4" 25 "$MSH_DOMAIN" 40)
echo "# harvest (log): $out"
msh_check_eq "log: all 40 RCPTs answered by Postfix" 40 \
	"$(msh_json - 'len([c for c in j["codes"] if c == 550])' <<<"$out")"
msh_check "log: counted" test "$(($(stat rcpt_learned) - l0))" -ge 40
msh_check_eq "log: nobody banned" '[]' "$(banned_for "$A1")"
# one RECIPIENT event per reply (rate-limited: at least the burst of 20)
msh_check "log: unknown recipients logged by mailshieldd" \
	msh_wait 10 "event=recipient lines" msh_syslog_more "event=recipient addr=$A1 reason=learned unknown=1 .*action=logged" \
	$((e0 + 19))
msh_daemon_stop

# --- 2. a recipient list ------------------------------------------------
mkdir -p "$(dirname "$LIST")"
printf '# valid recipients\n%s@%s\npostmaster@%s\n' "$MSH_USER" \
	"$MSH_DOMAIN" "$MSH_DOMAIN" >"$LIST"
msh_write_conf '[recipients]' "file=$LIST" refresh=0
msh_daemon_start
msh_wait 20 "mailshieldd uploaded the recipients" \
	msh_syslog_more 'mailshieldd.*msg=recipients .*result=ok' 0
r=$(msh_ctl --json recipients)
echo "# recipients: $r"
msh_check_eq "list: two addresses uploaded" 2 "$(field addresses "$r")"
msh_check_eq "list: one protected domain" 1 "$(field domains "$r")"
msh_check "list: a generation is live" test "$(field generation "$r")" -ge 1

u0=$(stat rcpt_unknown)
c0=$(stat rcpt_checked)
o0=$(stat rcpt_outside)
out=$(in_client python3 "$HV" "$MAIL4" 25 "$MSH_DOMAIN" 2 "$MSH_USER" \
	postmaster)
msh_check_eq "list: valid recipients accepted" '[250, 250]' \
	"$(msh_json - 'j["codes"]' <<<"$out")"
out=$(in_client python3 "$HV" "$MAIL4" 25 other.test 3)
msh_check_eq "list: valid and outside RCPTs are not unknown" 0 \
	"$(($(stat rcpt_unknown) - u0))"
msh_check "list: outside the protected domain counted apart" \
	test "$(($(stat rcpt_outside) - o0))" -ge 3
msh_check "list: checked RCPTs counted" \
	test "$(($(stat rcpt_checked) - c0))" -ge 2

u0=$(stat rcpt_unknown)
out=$(in_attacker python3 "$HV" --from "$A2" "$MAIL4" 25 "$MSH_DOMAIN" 60)
echo "# harvest (list): $out"
msh_check "list: the harvest ends in 421 4.7.1" \
	grep -q '"last": "421 4.7.1' <<<"$out"
msh_check_eq "list: 19 answered 550 by Postfix, the 20th 421 by the module" \
	'[550, 20]' "$(msh_json - '[j["codes"][0], j["sent"]]' <<<"$out")"
msh_check "list: unknown recipients counted by the module" \
	test "$(($(stat rcpt_unknown) - u0))" -ge 19
msh_check_eq "list: attacker banned, reason recipients" '["recipients"]' \
	"$(banned_for "$A2")"
if attacker_connects "$A2"; then
	msh_notok "list: the banned harvester cannot connect"
else
	msh_ok "list: the banned harvester cannot connect"
fi
msh_check "list: the client still delivers" deliver list

# --- 3. a new recipient, valid after a reload, no session lost -----------
u0=$(stat rcpt_unknown)
in_client python3 "$HV" "$MAIL4" 25 "$MSH_DOMAIN" 1 "$NEWUSER" >/dev/null
msh_check_eq "reload: the new recipient is unknown before" 1 \
	"$(($(stat rcpt_unknown) - u0))"
# a session that spans the reload
rm -f "$MSH_STATE/32-open" "$MSH_STATE/32-go"
in_client python3 "$HV" span "$MAIL4" 25 "$MSH_USER@$MSH_DOMAIN" \
	"$MSH_STATE/32-open" "$MSH_STATE/32-go" >"$MSH_STATE/32-span" 2>&1 &
span=$!
msh_wait 20 "session open" test -e "$MSH_STATE/32-open"
n=$(msh_mail_count)
echo "$NEWUSER@$MSH_DOMAIN" >>"$LIST"
before=$(msh_syslog_count 'mailshieldd.*msg=recipients .*result=ok')
msh_daemon_hup
msh_wait 20 "recipients reloaded" \
	msh_syslog_more 'mailshieldd.*msg=recipients .*result=ok' "$before"
touch "$MSH_STATE/32-go"
wait "$span"
echo "# spanning session: $(cat "$MSH_STATE/32-span")"
msh_check "reload: the session open across it delivered" \
	grep -q '^250.* 250' "$MSH_STATE/32-span"
msh_wait_mail $((n + 1)) 30 || true
msh_check_eq "reload: three addresses now" 3 \
	"$(field addresses "$(msh_ctl --json recipients)")"
u0=$(stat rcpt_unknown)
out=$(in_client python3 "$HV" "$MAIL4" 25 "$MSH_DOMAIN" 1 "$NEWUSER")
msh_check_eq "reload: the new recipient accepted" '[250]' \
	"$(msh_json - 'j["codes"]' <<<"$out")"
msh_check_eq "reload: and no longer unknown" 0 \
	"$(($(stat rcpt_unknown) - u0))"

# --- 4. a slow source: the list read from a FIFO blocks the load until
# something writes it; the daemon's loop goes on meanwhile (events logged,
# signals answered), the running set stays until the load ends, and a
# reload asked for during a load starts when it ends
FIFO=$MSH_STATE/32-slow.fifo
rm -f "$FIFO"
mkfifo "$FIFO"
msh_write_conf '[recipients]' "file=$LIST" "file=$FIFO" refresh=0
ok0=$(msh_syslog_count 'mailshieldd.*msg=recipients .*result=ok')
ok4=$(msh_syslog_count 'mailshieldd.*msg=recipients .*result=ok addresses=4 ')
pol0=$(msh_syslog_count 'mailshieldd.*event=policy')
kill -HUP "$(cat "$MSH_STATE/mailshieldd.pid")"
msh_check "slow load: the reload's policy event is logged during the load" \
	msh_wait 10 "policy event" \
	msh_syslog_more 'mailshieldd.*event=policy' "$pol0"
ban0=$(msh_syslog_count 'mailshieldd.*event=ban addr=192.0.2.99 ')
msh_ctl ban 192.0.2.99 --for 60 >/dev/null
msh_check "slow load: a ban during the load is logged at once" \
	msh_wait 10 "ban logged" \
	msh_syslog_more 'mailshieldd.*event=ban addr=192.0.2.99 ' "$ban0"
msh_ctl unban 192.0.2.99 >/dev/null 2>&1 || true
msh_check_eq "slow load: no upload yet" "$ok0" \
	"$(msh_syslog_count 'mailshieldd.*msg=recipients .*result=ok')"
msh_check_eq "slow load: the running set stays meanwhile" 3 \
	"$(field addresses "$(msh_ctl --json recipients)")"
sup0=$(msh_syslog_count 'mailshieldd.*msg=recipients trigger=reload result=superseded by=reload')
kill -HUP "$(cat "$MSH_STATE/mailshieldd.pid")"
sleep 1
# the first load ends, the second (asked for during it) reads the FIFO again
feed() {	# the daemon opens the FIFO to read it, or the write times out
	timeout 20 bash -c 'echo "$1" >"$2"' _ "slow32@$MSH_DOMAIN" "$FIFO"
}
feed || msh_notok "slow load: the first load reads the FIFO" "timed out"
msh_check "slow load: the older load is dropped for the newer reload" \
	msh_wait 20 "superseded" msh_syslog_more \
	'mailshieldd.*msg=recipients trigger=reload result=superseded by=reload' \
	"$sup0"
feed || msh_notok "slow load: the second load reads the FIFO" "timed out"
msh_check "slow load: the newer one uploads" \
	msh_wait 20 "recipients uploaded" \
	msh_syslog_more 'mailshieldd.*msg=recipients .*result=ok addresses=4 ' "$ok4"
grep -E 'mailshieldd.*msg=recipients' "$MSH_SYSLOG" | tail -n 4 | sed 's/^/# /'
msh_check_eq "slow load: the FIFO's recipient is in the set" 4 \
	"$(field addresses "$(msh_ctl --json recipients)")"
# stopped while a load waits: the daemon exits at once
kill -HUP "$(cat "$MSH_STATE/mailshieldd.pid")"
sleep 1
pid=$(cat "$MSH_STATE/mailshieldd.pid")
stop0=$(msh_syslog_count 'mailshieldd.*msg=stop signal=TERM')
kill "$pid"
msh_check "slow load: SIGTERM during a load stops the daemon" \
	msh_wait 5 "mailshieldd exits" msh_gone "$pid"
msh_check "slow load: the stop is logged" \
	msh_syslog_more 'mailshieldd.*msg=stop signal=TERM' "$stop0"
rm -f "$MSH_STATE/mailshieldd.pid" "$FIFO"

msh_check "no kernel warnings" msh_dmesg_clean
msh_done
