#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Run the integration tests (tests/integration/NN-*.sh) in a QEMU guest that
# boots Debian's kernel with the host root over 9p (see common.sh).
#
# Environment:
#   MSH_RESULTS       file the result lines are appended to
#   MSH_TESTS         space-separated test numbers or names ("01 03-counters")
#   MSH_TEST_TIMEOUT  seconds per test inside the guest (default 240)
#   MSH_VM_TIMEOUT    seconds for the whole guest run (default: 180 plus
#                     MSH_TEST_TIMEOUT per selected test)
#   MSH_VM_ACCEL      QEMU accelerator (default tcg)
#   MSH_VM_DEBUG=1    full kernel log on the console
#   MSH_TRACE=1       run the tests with bash -x, timestamps in the logs
#   MSH_POSTFIX_CHECK=1  also run "postfix check" on the test configuration
# Needs kmod/mailshield.ko (built for the VM's kernel) and daemon/ binaries.
# Exit status: 0 if every test passed, 1 otherwise.
set -euo pipefail

. "$(dirname "$0")/common.sh"

vm_abi
vm_need_builds || exit 1

# Backstop for the whole guest: boot and setup, plus every selected test's
# own timeout (a hung test is stopped by that one first).
ntests=0
for t in "$REPO"/tests/integration/[0-9][0-9]-*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${MSH_TESTS:-}" ]; then
		sel=0
		for w in $MSH_TESTS; do
			case $name in "$w" | "$w"-*) sel=1 ;; esac
		done
		[ "$sel" = 1 ] || continue
	fi
	ntests=$((ntests + 1))
done
[ "$ntests" -gt 0 ] || vm_die "no integration test matches MSH_TESTS='${MSH_TESTS:-}'"
tmo=${MSH_VM_TIMEOUT:-$((180 + ntests * ${MSH_TEST_TIMEOUT:-240}))}

VM_FOLLOW=results
vm_boot run "$tmo" \
	"MSH_TESTS=${MSH_TESTS:-}" "MSH_TEST_TIMEOUT=${MSH_TEST_TIMEOUT:-240}" \
	"MSH_TRACE=${MSH_TRACE:-0}" "MSH_POSTFIX_CHECK=${MSH_POSTFIX_CHECK:-0}"

res=$VM_RUN/results
touch "$res"
# A test the guest did not finish (crash, panic, timeout) fails too.
if [ -f "$VM_RUN/running" ]; then
	name=$(cat "$VM_RUN/running")
	echo "not ok - vm: $name" >>"$res"
	echo "not ok - vm: $name"
	echo "vm: the guest stopped during $name" >&2
fi
if [ "$VM_RC" != 0 ] || ! grep -q . "$res"; then
	echo "not ok - vm: guest run" >>"$res"
	echo "not ok - vm: guest run"
fi
if [ -n "${MSH_RESULTS:-}" ]; then
	cat "$res" >>"$MSH_RESULTS"
fi

if [ -s "$VM_RUN/guest.log" ]; then
	echo "--- guest runner output:" >&2
	sed 's/^/  /' "$VM_RUN/guest.log" >&2
fi
for sub in "$VM_RUN"/logs/*.log; do
	[ -f "$sub" ] || continue
	name=$(basename "$sub" .log)
	if grep -qx "not ok - vm: $name" "$res"; then
		echo "--- log of $name:" >&2
		sed 's/^/  /' "$sub" >&2
	fi
done

npass=$(grep -c '^ok - ' "$res" || true)
nfail=$(grep -c '^not ok - ' "$res" || true)
echo "vm: $npass passed, $nfail failed (guest ${VM_SECS}s; logs in ${VM_RUN#"$REPO"/})"
[ -f "$VM_RUN/timings" ] && sed 's/^# /vm: time /' "$VM_RUN/timings"
[ "$nfail" = 0 ] && [ "$VM_RC" = 0 ]
