#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Only protected ports are counted. Traffic to 2525 leaves the counters
# alone; after the daemon's configuration is changed to ports = 2525 and
# mailshieldd gets SIGHUP, 2525 is counted and 25 is not, without
# restarting anything, and the daemon logs the policy event to syslog.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_module_load
msh_write_conf
msh_daemon_start

expect() {
	msh_checks "sessions $*" in_mail python3 "$MSH_PY/smtpc.py" expect "$@"
}

expect "untouched,$MAIL4,2525,500" "counted,$MAIL4,25,500"

msh_write_conf ports=2525
msh_check "SIGHUP: mailshieldd reloads" msh_daemon_hup
pol=$(msh_ctl --json policy) || pol=error
echo "# policy after reload: $pol"
msh_check_eq "running policy is ports 2525" '[2525]' \
	"$(msh_json - 'j["ports"]' <<<"$pol")"
policy_logged() {
	grep -E 'mailshieldd.*event=policy.*enabled=1.*ports=2525( |$)' "$MSH_SYSLOG"
}
msh_check "syslog has event=policy enabled=1 ports=2525" policy_logged

expect "counted,$MAIL4,2525,600" "counted,$MAIL6,2525,600" \
	"untouched,$MAIL4,25,600" "untouched,$MAIL6,25,600"

# back to the default set, for the tests that follow
msh_write_conf
msh_check "SIGHUP back to the default ports" msh_daemon_hup
expect "counted,$MAIL4,25,700" "untouched,$MAIL4,2525,700"
echo "# syslog:"
grep mailshieldd "$MSH_SYSLOG" | tail -n 8 | sed 's/^/#   /'

msh_done
