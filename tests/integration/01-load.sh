#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# The module loads on Debian's own kernel, registers its generic netlink
# family with the default policy (on in the initial namespace, off in a
# new one until turned on there), unloads and loads again, and the kernel
# log stays free of warnings.

. "$(dirname "$0")/lib.sh"

msh_dmesg_mark
msh_module_unload

msh_check "insmod kmod/mailshield.ko" msh_module_load
lsmod_has() { lsmod | grep -q '^mailshield '; }
msh_check "listed by lsmod" lsmod_has

pol=$(python3 "$MSH_PY/nlraw.py" get-policy) || pol=error
echo "# default policy, initial namespace: $pol"
msh_check_eq "default policy in the initial namespace: enabled, ports 25 465 587" \
	'True [25 465 587]' \
	"$(msh_json - 'j["enabled"], sorted(j["ports"])' <<<"$pol" |
		tr -d '(),')"
# any other namespace: off until turned on there
ip netns add mshnew
pol=$(ip netns exec mshnew python3 "$MSH_PY/nlraw.py" get-policy) ||
	pol=error
ip netns del mshnew
echo "# default policy, new namespace: $pol"
msh_check_eq "default policy in a new namespace: off, ports 25 465 587" \
	'False [25 465 587]' \
	"$(msh_json - 'j["enabled"], sorted(j["ports"])' <<<"$pol" |
		tr -d '(),')"
msh_topology
msh_check "turned on in the mail namespace with one command" \
	msh_ctl policy set enabled on

msh_check "rmmod" rmmod mailshield
not_loaded() { ! msh_module_loaded; }
msh_check "gone after rmmod" not_loaded
gone_family() {
	! in_mail python3 "$MSH_PY/nlraw.py" get-policy 2>/dev/null
}
msh_check "genl family gone after rmmod" gone_family
msh_check "loads again" msh_module_load

new=$(msh_dmesg_new)
echo "# kernel log during the test:"
sed 's/^/#   /' <<<"$new"
clean() {
	! grep -E "$MSH_DMESG_RE|Unknown symbol|disagrees about version" <<<"$new"
}
msh_check "kernel log has no WARN/BUG/unknown symbol" clean

msh_done
