#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# rmmod while SMTP traffic flows through the hooks: from the client, over
# IPv4 and IPv6, a loop of short sessions to port 25 plus connections held
# open and sending NOOPs (so inspected flows exist at unload time) run in
# the background while the module is removed and loaded again several
# times, with mailshieldd running. No oops or WARN (the guest runs with
# panic_on_warn), the daemon pushes its policy again after each reload,
# the module ends loaded and Postfix still delivers. Bounded: the traffic
# stops when the cycles are done, or after 120 s.

. "$(dirname "$0")/lib.sh"

CYCLES=${MSH_UNLOAD_CYCLES:-3}

msh_setup
msh_module_load
# no per-source limits: the point is traffic through the hooks, not refusals
msh_write_conf "[limits]" rate=0 max_conns=0
msh_daemon_start
msh_dmesg_mark

stop=$MSH_STATE/unload.stop
rm -f "$stop"
in_client python3 "$MSH_PY/smtpc.py" flood "$MAIL4" 25 120 5000 "$stop" 4 \
	>"$MSH_STATE/flood4.json" 2>&1 &
f4=$!
in_client python3 "$MSH_PY/smtpc.py" flood "$MAIL6" 25 120 5000 "$stop" 4 \
	>"$MSH_STATE/flood6.json" 2>&1 &
f6=$!

syn_at_least() {
	local n
	n=$(msh_stats | msh_json - 'j["rx_syn"]') || return 1
	[ "$n" -ge "$1" ]
}
msh_wait 60 "traffic counted" syn_at_least 10 || msh_stats || true

repush() { msh_syslog_count 'mailshieldd.*msg=repush result=ok'; }
repush0=$(repush)
cycles=0 errors=0
end=$(($(msh_now_ms) + 90000))
while [ "$cycles" -lt "$CYCLES" ] && [ "$(msh_now_ms)" -lt "$end" ]; do
	rmmod mailshield || errors=$((errors + 1))
	msh_sleep 0.3
	msh_module_load || errors=$((errors + 1))
	cycles=$((cycles + 1))
	# traffic must reach the new instance before the next unload
	syn_at_least 1 || msh_wait 20 "traffic after reload" syn_at_least 1 ||
		true
	msh_sleep 0.5
done
touch "$stop"
echo "# $cycles unload/load cycles"
msh_check_eq "rmmod/insmod under traffic without errors" 0 "$errors"
msh_check_eq "$CYCLES cycles ran" "$CYCLES" "$cycles"

wait "$f4" || true
wait "$f6" || true
echo "# flood IPv4: $(cat "$MSH_STATE/flood4.json")"
echo "# flood IPv6: $(cat "$MSH_STATE/flood6.json")"
flood_ok() {
	[ "$(msh_json "$MSH_STATE/$1.json" 'j["ok"]')" -gt 0 ]
}
msh_check "IPv4 sessions completed during the cycles" flood_ok flood4
msh_check "IPv6 sessions completed during the cycles" flood_ok flood6

msh_check "module loaded at the end" msh_module_loaded
repushed() { [ "$(repush)" -ge $((repush0 + cycles)) ]; }
if msh_wait 20 "mailshieldd pushes its policy after each reload" repushed; then
	msh_ok "mailshieldd pushed its policy again after each reload"
else
	msh_notok "mailshieldd pushed its policy again after each reload" \
		"$(( $(repush) - repush0 )) repush(es) for $cycles reload(s)"
fi
grep mailshieldd "$MSH_SYSLOG" | tail -n 6 | sed 's/^/#   /'
rate=$(msh_ctl --json policy | msh_json - 'j.get("rate")') || rate=error
msh_check_eq "the daemon's policy is in force after the reloads (rate 0)" \
	0 "$rate"

n=$(( $(msh_mail_count) + 1 ))
msh_swaks --header "Subject: after unload" 2>&1 | sed 's/^/#   /' || true
if ! msh_wait_mail "$n" 30; then
	# A sending MTA retries a transaction that got no banner; so do we,
	# once, and leave the counters in the log to tell why it was lost.
	echo "# no delivery yet; counters and listen drops, then one retry:"
	msh_stats | sed 's/^/#   /' || true
	in_mail nstat -az TcpExtListenOverflows TcpExtListenDrops \
		TcpExtSyncookiesRecv TcpExtSyncookiesFailed 2>&1 |
		sed 's/^/#   /' || true
	msh_swaks --header "Subject: after unload, retried" 2>&1 |
		sed 's/^/#   /' || true
fi
if msh_wait_mail "$n" 30; then
	msh_ok "Postfix delivers after the cycles"
else
	msh_notok "Postfix delivers after the cycles" \
		"$(msh_mail_count) message(s), expected $n"
	tail -n 20 "$MSH_MAILLOG" | sed 's/^/#   /'
fi

if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak || true)
	msh_check_eq "kmemleak: no unreferenced objects" 0 "$leaks"
else
	echo "# kmemleak not available in this kernel"
fi
new=$(msh_dmesg_new)
clean() { ! grep -E "$MSH_DMESG_RE" <<<"$new"; }
msh_check "kernel log has no WARN/BUG" clean

msh_done
