#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Command-line behaviour of mailshieldd and mailshieldctl that needs no
# kernel module: config errors (exit 1, FILE:LINE message, nothing pushed),
# -n, usage errors (exit 2) and, when the module is not loaded, exit 3 with
# the hint how to load it. Prints and appends to $MSH_RESULTS one line per
# test: "ok - unit: NAME" / "not ok - unit: NAME".
set -u

here=$(cd "$(dirname "$0")" && pwd)
bindir=${MSH_BINDIR:-$here/../../daemon}
mshd=$bindir/mailshieldd
mshctl=$bindir/mailshieldctl
hint='mailshield kernel module is not loaded (generic netlink family "mailshield" not found); load it with: modprobe mailshield (or insmod kmod/mailshield.ko from the source tree)'

fails=0
result() { # result NAME OK(0/1) [NOTE]
	local line
	if [ "$2" -eq 0 ]; then line="ok - unit: $1"; else line="not ok - unit: $1"; fails=$((fails + 1)); fi
	[ -n "${3:-}" ] && line="$line # $3"
	echo "$line"
	[ -n "${MSH_RESULTS:-}" ] && echo "$line" >>"$MSH_RESULTS"
	return 0
}

for b in "$mshd" "$mshctl"; do
	if [ ! -x "$b" ]; then
		echo "# $b not built (make -C daemon)" >&2
		result "daemon cli binaries built" 1
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/msh-cli-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# run CMD...: sets rc, out, err
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# expect_conf_err NAME CONTENT LINE-AFTER-FILENAME [mode: -n or push]
expect_conf_err() {
	local name=$1 content=$2 want=$3 mode=${4:--n} f ok=0
	f=$tmp/$(echo "$name" | tr -c 'a-z0-9\n' '_').conf
	printf '%b' "$content" >"$f"
	if [ "$mode" = -n ]; then run "$mshd" -n -c "$f"; else run "$mshd" -c "$f"; fi
	[ "$rc" -eq 1 ] || { echo "# $name: exit $rc, want 1" >&2; ok=1; }
	[ "$err" = "$f$want" ] || { echo "# $name: stderr [$err] want [$f$want]" >&2; ok=1; }
	[ -z "$out" ] || { echo "# $name: unexpected stdout [$out]" >&2; ok=1; }
	result "$name" $ok
}

expect_conf_err "mailshieldd -n bad key" \
	'[general]\nenabled = yes\nfoo = 1\n' \
	':3: [general] foo: unknown key (known keys: enabled, ports)'
expect_conf_err "mailshieldd -n bad value" \
	'[general]\nenabled = perhaps\n' \
	':2: [general] enabled: invalid boolean "perhaps" (use yes/no, true/false, on/off, 1/0)'
expect_conf_err "mailshieldd -n duplicate port" \
	'; test\n[general]\nports = 25, 587, 465, 587\n' \
	':3: [general] ports: duplicate port 587'
expect_conf_err "mailshieldd -n port out of range" \
	'[general]\nports = 70000\n' \
	':2: [general] ports: port 70000 out of range (1..65535)'
expect_conf_err "mailshieldd -n too many ports" \
	'[general]\nports = 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n' \
	':2: [general] ports: too many ports (at most 16)'
expect_conf_err "mailshieldd -n duplicate key" \
	'[general]\nports = 25\nports = 587\n' \
	':3: [general] ports: duplicate key (already set on line 2)'
expect_conf_err "mailshieldd -n unknown section" \
	'[general]\n[ldap]\nuri = ldap://x\n' \
	':3: [ldap] uri: unknown section (known sections: [general], [limits], [bans], [allowlist], [smtp], [recipients])'
expect_conf_err "mailshieldd -n syntax error" \
	'[general]\nenabled\n' \
	':2: syntax error (expected "key = value" or "[section]")'
expect_conf_err "mailshieldd -n [recipients] without a source" \
	'[general]\nenabled = yes\n[recipients]\ndomains = example.com\n' \
	':4: [recipients] has no source of recipients (file, postfix_map, postfix_alias or ldap_uri)'
expect_conf_err "mailshieldd -n [recipients] bad delimiters" \
	'[recipients]\nfile = users.txt\ndelimiters = ++\n' \
	":3: [recipients] delimiters: delimiter '+' given twice"
# Without -n the config is still validated before any netlink call: exit 1
# (not 3) even though the module is missing, so nothing can have been pushed.
expect_conf_err "mailshieldd bad config fails before netlink" \
	'[general]\nports = 25, 25\n' \
	':2: [general] ports: duplicate port 25' push

run "$mshd" -n -c "$tmp/does-not-exist.conf"
[ "$rc" -eq 1 ] && [ "$err" = "$tmp/does-not-exist.conf: cannot open: No such file or directory" ]
result "mailshieldd -n missing file" $?

printf '[general]\nenabled = yes\nports = 25, 587, 465\n' >"$tmp/good.conf"
run "$mshd" -n -c "$tmp/good.conf"
[ "$rc" -eq 0 ] && [ "$out" = "$tmp/good.conf: OK" ] && [ -z "$err" ]
result "mailshieldd -n good config prints OK" $?

if [ -f "$here/../../daemon/mailshield.conf.example" ]; then
	run "$mshd" -n -c "$here/../../daemon/mailshield.conf.example"
	[ "$rc" -eq 0 ]
	result "mailshieldd -n accepts mailshield.conf.example" $?
fi

run "$mshd" -x
[ "$rc" -eq 2 ]
result "mailshieldd usage error exits 2" $?

run "$mshctl" frobnicate
[ "$rc" -eq 2 ] && [[ "$err" == *'unknown command "frobnicate"'* ]]
result "mailshieldctl unknown command exits 2" $?

run "$mshctl" policy set ports 25,25
[ "$rc" -eq 2 ] && [[ "$err" == *"policy set: ports: duplicate port 25"* ]]
result "mailshieldctl policy set bad ports exits 2" $?

run "$mshctl" policy set
[ "$rc" -eq 2 ]
result "mailshieldctl policy set without fields exits 2" $?

run "$mshctl" policy set enabled
[ "$rc" -eq 2 ]
result "mailshieldctl policy set enabled without value exits 2" $?

run "$mshctl" policy set exempt_local maybe
[ "$rc" -eq 2 ] && [[ "$err" == *'policy set: exempt_local: invalid boolean "maybe"'* ]]
result "mailshieldctl policy set exempt_local bad value exits 2" $?

run "$mshctl" recipients now
[ "$rc" -eq 2 ] && [[ "$err" == *'unexpected argument "now"'* ]]
result "mailshieldctl recipients with an argument exits 2" $?

run "$mshctl" --help
[ "$rc" -eq 0 ] && [[ "$out" == usage:* ]]
result "mailshieldctl --help" $?
[[ "$out" == *"policy set exempt_local on|off"* ]]
result "mailshieldctl --help names exempt_local" $?

# Module-missing behaviour needs generic netlink and no loaded module.
genl_ok=1
if python3 -c 'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16).close()' 2>/dev/null; then
	genl_ok=0
fi
if [ $genl_ok -ne 0 ]; then
	skip="SKIP generic netlink unavailable in this environment"
elif [ -d /sys/module/mailshield ]; then
	skip="SKIP mailshield module is loaded on this host"
else
	skip=
fi

for cmd in "stats" "--json status" "policy" "policy set enabled off" \
	   "recipients" "--json recipients"; do
	if [ -n "$skip" ]; then
		result "mailshieldctl $cmd without module exits 3" 0 "$skip"
		continue
	fi
	# shellcheck disable=SC2086
	run "$mshctl" $cmd
	[ "$rc" -eq 3 ] && [ "$err" = "$hint" ] && [ -z "$out" ]
	result "mailshieldctl $cmd without module exits 3" $?
done
if [ -n "$skip" ]; then
	result "mailshieldd without module exits 3" 0 "$skip"
else
	run "$mshd" -c "$tmp/good.conf"
	[ "$rc" -eq 3 ] && [ "$err" = "$hint" ]
	result "mailshieldd without module exits 3" $?
fi

[ $fails -eq 0 ]
