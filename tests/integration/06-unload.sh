#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# rmmod while SMTP traffic flows through the hooks: a bounded loop of
# sessions to port 25 runs in the background (IPv4 and IPv6) while the
# module is removed and loaded again several times. No oops or WARN (the
# guest runs with panic_on_warn), the module loads fine afterwards and
# Postfix still delivers.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_module_load
msh_dmesg_mark

FLOOD_SECS=${MSH_UNLOAD_SECS:-16}
in_client python3 "$MSH_PY/smtpc.py" flood "$MAIL4" 25 "$FLOOD_SECS" 2000 \
	>"$MSH_STATE/flood4.json" 2>&1 &
f4=$!
in_client python3 "$MSH_PY/smtpc.py" flood "$MAIL6" 25 "$FLOOD_SECS" 2000 \
	>"$MSH_STATE/flood6.json" 2>&1 &
f6=$!

# let the flood start, then unload/reload under traffic
rx_moving() {
	[ "$(msh_json - 'j["rx_syn"]' < <(msh_stats))" -gt "${1:-0}" ]
}
msh_wait 30 "traffic counted" rx_moving 0 || msh_stats
cycles=0 errors=0
end=$(($(msh_now_ms) + (FLOOD_SECS - 4) * 1000))
while [ "$(msh_now_ms)" -lt "$end" ] && [ "$cycles" -lt 8 ]; do
	if ! rmmod mailshield; then
		errors=$((errors + 1))
	fi
	msh_sleep 0.3
	if ! msh_module_load; then
		errors=$((errors + 1))
	fi
	cycles=$((cycles + 1))
	msh_sleep 0.5
done
echo "# $cycles unload/load cycles"
msh_check_eq "rmmod/insmod under traffic without errors" 0 "$errors"
msh_check "at least 2 cycles ran" test "$cycles" -ge 2

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
msh_check "counters readable after reload" msh_stats
n=$(( $(msh_mail_count) + 1 ))
msh_swaks --header "Subject: after unload" 2>&1 | sed 's/^/#   /' || true
if msh_wait_mail "$n" 60; then
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
