#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Per-source limits: the 21st concurrent connection from one source is
# refused while another source still connects; a burst beyond the rate
# limit is refused; an allowlisted source is not limited.

. "$(dirname "$0")/lib.sh"

msh_dmesg_mark
msh_setup
msh_module_load
msh_write_conf
msh_daemon_start

stat() { msh_stats | msh_json - "j[\"$1\"]"; }
burst() { in_mail python3 "$MSH_PY/admitc.py" burst "$@"; }
conn_ok() {
	in_attacker python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[1], 25), timeout=3)
sys.exit(0 if s.recv(100).startswith(b"220") else 1)' "$MAIL4" 2>/dev/null
}
conn_refused() { ! conn_ok; }

# --- concurrency: 20 per source
msh_ctl policy set max_conns 20 rate 0 >/dev/null
c0=$(stat over_concurrency)
msh_checks "concurrency cap" \
	in_mail python3 "$MSH_PY/admitc.py" concurrency "$MAIL4" 25 20
msh_check "over-concurrency refusal counted" \
	test "$(stat over_concurrency)" -gt "$c0"

# --- rate: 6 per minute, burst 5
msh_ctl policy set max_conns 0 rate 6 burst 5 >/dev/null
r0=$(stat over_rate)
out=$(burst attacker "$MAIL4" 25 10)
echo "# burst of 10 at rate 6/min burst 5: $out"
ok=$(msh_json - 'j["ok"]' <<<"$out")
msh_check "burst admitted up to the bucket depth (5, 6 with a refill)" \
	test "$ok" -ge 5 -a "$ok" -le 6
msh_check "burst beyond the rate refused" \
	test "$(msh_json - 'j["refused"]' <<<"$out")" -ge 4
msh_check "over-rate refusals counted" test "$(stat over_rate)" -gt "$r0"

# --- allowlist: same limits, not limited
msh_ctl allowlist set 192.0.2.64/26 2001:db8:2::/64 >/dev/null
al=$(msh_ctl --json allowlist)
echo "# allowlist: $al"
msh_check "allowlist lists 192.0.2.64/26" grep -qF '"192.0.2.64/26"' <<<"$al"
a0=$(stat allowlisted)
out=$(burst attacker "$MAIL4" 25 10)
echo "# burst of 10 from an allowlisted source: $out"
msh_check_eq "allowlisted source not limited" 10 \
	"$(msh_json - 'j["ok"]' <<<"$out")"
msh_check "allowlisted admissions counted" \
	test "$(stat allowlisted)" -ge "$((a0 + 10))"
msh_ctl allowlist set >/dev/null
msh_check_eq "allowlist cleared" "[]" "$(msh_ctl --json allowlist)"
msh_ctl policy set rate 0 >/dev/null

msh_check "kernel log clean" msh_dmesg_clean
msh_ctl policy set rate 60 burst 20 max_conns 20 >/dev/null
msh_done
