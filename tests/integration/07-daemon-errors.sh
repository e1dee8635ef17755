#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# mailshieldd refuses bad configurations (unknown key, bad value, duplicate
# port) with FILE:LINE on stderr and a non-zero exit, pushing nothing; and
# without the module, mailshieldctl and mailshieldd say how to load it
# (exit 3).

. "$(dirname "$0")/lib.sh"

msh_topology
msh_syslog_start
msh_module_load
in_mail python3 "$MSH_PY/nlraw.py" set 25,587,465 1

policy() { msh_ctl --json policy; }
before=$(policy)
echo "# running policy: $before"

# bad_conf NAME LINE CONTENT: the error must name FILE:LINE
bad_conf() {
	local name=$1 line=$2 content=$3 f out rc=0
	f=$MSH_STATE/bad-${name// /-}.conf
	printf '%s\n' "$content" >"$f"
	out=$(in_mail "$MSH_D" -c "$f" 2>&1 </dev/null) || rc=$?
	echo "# $name: exit $rc: $out"
	if [ "$rc" != 0 ] && grep -qF "$f:$line:" <<<"$out"; then
		msh_ok "$name: exits $rc, names $(basename "$f"):$line"
	else
		msh_notok "$name: non-zero exit naming FILE:$line" \
			"exit $rc, output: $out"
	fi
	msh_check_eq "$name: running policy unchanged" "$before" "$(policy)"
	# -n (check only) must agree
	rc=0
	in_mail "$MSH_D" -n -c "$f" >/dev/null 2>&1 || rc=$?
	msh_check "$name: -n rejects it too" test "$rc" != 0
}

bad_conf "unknown key" 3 $'[general]\nenabled = yes\nbogus = 1'
bad_conf "bad value" 2 $'[general]\nenabled = maybe\nports = 25'
bad_conf "duplicate port" 4 $'# comment\n[general]\nenabled = yes\nports = 25, 587, 25'
bad_conf "port out of range" 2 $'[general]\nports = 25, 70000'

msh_write_conf
good_n() { in_mail "$MSH_D" -n -c "$MSH_CONF" >/dev/null; }
msh_check "a good config passes -n" good_n

msh_module_unload
# no_module NAME CMD...: exit 3 and a hint naming modprobe/insmod
no_module() {
	local name=$1 out rc=0
	shift
	out=$("$@" 2>&1 </dev/null) || rc=$?
	echo "# $name without the module: exit $rc: $out"
	if [ "$rc" = 3 ] && grep -qE 'modprobe|insmod' <<<"$out"; then
		msh_ok "$name without the module: exit 3 with a load hint"
	else
		msh_notok "$name without the module: exit 3 with a load hint" \
			"exit $rc, output: $out"
	fi
}
no_module "mailshieldctl stats" in_mail "$MSH_CTL" stats
no_module "mailshieldctl --json policy" in_mail "$MSH_CTL" --json policy
no_module "mailshieldctl status" in_mail "$MSH_CTL" status
no_module "mailshieldd" timeout 20 ip netns exec mail "$MSH_D" -c "$MSH_CONF"

msh_check "module loads again" msh_module_load

msh_done
