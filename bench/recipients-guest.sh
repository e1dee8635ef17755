#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Guest side of bench/recipients.sh (runs inside the test VM, as root).

. "$(dirname "$0")/../tests/integration/lib.sh"
set +e

rcpts=${MSH_BENCH_RCPTS:-500}
LIST=/etc/mailshield/bench-recipients.txt
msh_setup
msh_module_load
msh_daemon_stop
msh_ctl policy set recipients.mode log >/dev/null

# make_list N: N addresses of the protected domain, msuser among them
make_list() {
	mkdir -p "$(dirname "$LIST")"
	python3 - "$1" "$MSH_USER@$MSH_DOMAIN" "$MSH_DOMAIN" >"$LIST" <<'PY'
import sys
n, user, dom = int(sys.argv[1]), sys.argv[2], sys.argv[3]
w = sys.stdout.write
w(user + "\n")
for i in range(n - 1):
    w("u%08d@%s\n" % (i, dom))
PY
}

# last_upload: the fields of mailshieldd's last recipients line
last_upload() {
	grep 'mailshieldd.*msg=recipients .*result=ok' "$MSH_SYSLOG" | tail -1
}
field_of() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$2"; }

# upload N: load and upload a list of N, wait for the log line
upload() {
	local before
	make_list "$1"
	before=$(msh_syslog_count 'mailshieldd.*msg=recipients .*result=ok')
	if msh_daemon_running; then
		kill -HUP "$(cat "$MSH_STATE/mailshieldd.pid")"
	else
		msh_write_conf '[recipients]' "file=$LIST" refresh=0
		msh_daemon_start
	fi
	msh_wait 600 "recipients uploaded" \
		msh_syslog_more 'mailshieldd.*msg=recipients .*result=ok' \
		"$before"
}

# rcpt_run: RCPTs to the valid user in one session; prints the elapsed ms
# and the round-trip times' median and maximum
rcpt_run() {
	in_client python3 "$MSH_PY/harvest.py" rtt "$MAIL4" 25 \
		"$MSH_USER@$MSH_DOMAIN" "$rcpts"
}

echo "== recipient sets: load, upload, kernel memory"
for n in 10000 100000 1000000; do
	upload "$n"
	line=$(last_upload)
	mem=$(msh_ctl --json recipients | msh_json - 'j["memory"]')
	printf 'recipients %8d: load %6s ms, upload %6s ms, kernel %9s bytes (%s bytes/recipient)\n' \
		"$n" "$(field_of load_ms "$line")" "$(field_of upload_ms "$line")" \
		"$mem" "$(python3 -c "print('%.2f' % ($mem / $n))")"
done

echo "== RCPT lookups: $rcpts RCPTs to a valid recipient"
# the 1M set is live: the lookups binary-search it
with=$(rcpt_run)
# no set: stop the daemon, upload an empty list (allow_empty)
msh_daemon_stop
: >"$LIST"
msh_write_conf '[recipients]' "file=$LIST" refresh=0 allow_empty=yes
msh_daemon_start
msh_wait 60 "empty set uploaded" \
	msh_syslog_more 'mailshieldd.*msg=recipients .*addresses=0' 0
without=$(rcpt_run)
read -r n0 ms0 med0 max0 <<<"$without"
read -r n1 ms1 med1 max1 <<<"$with"
echo "empty set   $n0 RCPTs in $ms0 ms (median round trip ${med0} us)"
echo "1M set      $n1 RCPTs in $ms1 ms (median round trip ${med1} us)"
echo "ratio 1M/empty: $((ms1 * 1000 / (ms0 ? ms0 : 1)))/1000"

echo "== traffic while the 1M set is uploaded"
msh_daemon_stop
make_list 1000000
msh_write_conf '[recipients]' "file=$LIST" refresh=0
msh_daemon_start
msh_wait 600 "1M set uploaded" \
	msh_syslog_more 'mailshieldd.*msg=recipients .*addresses=1000000' 0
base=$(rcpt_run)
rcpt_run >"$MSH_STATE/b.during" &
run=$!
before=$(msh_syslog_count 'mailshieldd.*msg=recipients .*result=ok')
kill -HUP "$(cat "$MSH_STATE/mailshieldd.pid")"
msh_wait 600 "1M set uploaded again" \
	msh_syslog_more 'mailshieldd.*msg=recipients .*result=ok' "$before"
wait "$run"
read -r nb msb medb maxb <<<"$base"
read -r nd msd medd maxd <<<"$(cat "$MSH_STATE/b.during")"
echo "idle       $nb RCPTs, median ${medb} us, slowest ${maxb} us"
echo "uploading  $nd RCPTs, median ${medd} us, slowest ${maxd} us"
echo "ratio slowest/median while uploading: $((maxd / (medd ? medd : 1)))"
msh_daemon_stop
msh_ctl policy set recipients.mode ban >/dev/null
