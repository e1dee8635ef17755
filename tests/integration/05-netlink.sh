#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# The generic netlink interface rejects malformed and out-of-range
# requests (port 0, duplicates, 17 ports, enabled=2, wrong attribute sizes,
# empty nests) with an extack message and leaves the policy unchanged; a
# caller without CAP_NET_ADMIN gets EPERM for every command, GET included.
# Requests are built by hand (nlraw.py), not by the project's own tools.

. "$(dirname "$0")/lib.sh"

msh_topology
msh_module_load

# a non-default policy, so "unchanged" means something
msh_check "set a known policy" \
	in_mail python3 "$MSH_PY/nlraw.py" set 25,587,2525 1
msh_checks "malformed SET_POLICY requests" \
	in_mail python3 "$MSH_PY/nlraw.py" rejects
msh_checks "unprivileged caller" \
	in_mail setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all python3 "$MSH_PY/nlraw.py" eperm

unpriv_ctl() {
	local out rc=0
	out=$(in_mail setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all "$MSH_CTL" stats 2>&1) || rc=$?
	echo "# unprivileged mailshieldctl stats: exit $rc: $out"
	[ "$rc" = 1 ] && grep -qi 'permission' <<<"$out"
}
msh_check "unprivileged mailshieldctl: exit 1, permission message" unpriv_ctl

pol=$(in_mail python3 "$MSH_PY/nlraw.py" get-policy) || pol=error
msh_check_eq "policy unchanged at the end" \
	'{"enabled": true, "ports": [25, 587, 2525]}' "$pol"

# restore the default policy for the tests that follow
in_mail python3 "$MSH_PY/nlraw.py" set 25,587,465 1 || true

msh_done
