#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Guest side of tests/vm/run.sh: run each tests/integration/NN-*.sh (sorted,
# filtered by MSH_TESTS) with a per-test timeout (MSH_TEST_TIMEOUT seconds),
# log to /msh/out/logs/NAME.log and append TAP-like lines to
# /msh/out/results:
#   ok - vm: NAME:  SUB      (sub-results a test records through lib.sh)
#   ok - vm: NAME            (the test as a whole)
# /msh/out/running names the test in progress, so the host can tell which
# test a crash or a timeout happened in.

set -u
OUT=${MSH_OUT:-/msh/out}
TDIR=$MSH_REPO/tests/integration
RES=$OUT/results
TMO=${MSH_TEST_TIMEOUT:-240}
mkdir -p "$OUT/logs"
: >"$RES"

selected() {
	local name=$1 w
	[ -z "${MSH_TESTS:-}" ] && return 0
	for w in $MSH_TESTS; do
		case $name in "$w" | "$w"-*) return 0 ;; esac
	done
	return 1
}

now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

for t in "$TDIR"/[0-9][0-9]-*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	selected "$name" || continue
	log=$OUT/logs/$name.log
	sub=$OUT/logs/$name.sub
	: >"$sub"
	echo "$name" >"$OUT/running"
	start=$(now_ms)
	# timeout puts itself and the test in a new process group and signals
	# the whole group when time is up; whatever the test left running in
	# that group is killed afterwards. Daemons that must outlive a test
	# (Postfix, syslogd) run in sessions of their own.
	MSH_TEST_NAME=$name MSH_SUBRESULTS=$sub \
		timeout -k 5 "$TMO" bash "$t" >"$log" 2>&1 </dev/null &
	pid=$!
	wait "$pid"
	rc=$?
	kill -KILL -- "-$pid" 2>/dev/null
	secs=$(( ($(now_ms) - start) / 100 ))
	secs="$((secs / 10)).$((secs % 10))"
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "# TIMEOUT after ${TMO}s" >>"$log"
	fi
	echo "# exit status $rc, ${secs}s" >>"$log"
	cat "$sub" >>"$RES"
	if [ "$rc" = 0 ] && ! grep -q '^not ok' "$sub"; then
		echo "ok - vm: $name" >>"$RES"
	else
		echo "not ok - vm: $name" >>"$RES"
	fi
	echo "# $name: ${secs}s" >>"$OUT/timings"
	rm -f "$OUT/running"
done
exit 0
