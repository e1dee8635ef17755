#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Run every test stage and print the closing "N passed, N failed" line.
# Each stage appends "ok - ..." / "not ok - ..." lines to $MSH_RESULTS; a
# stage that cannot run at all (build failure, crash of its runner) is
# recorded as a failure of its own, so nothing is silently skipped.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p build/results
MSH_RESULTS=$root/build/results/check.txt
export MSH_RESULTS
: >"$MSH_RESULTS"
logdir=$root/build/results/logs
rm -rf "$logdir"
mkdir -p "$logdir"
start=$(date +%s)

# stage NAME CMD...: run CMD with its output in logs/NAME.log (and on the
# terminal); a non-zero exit that produced no failing result line of its
# own is recorded as "not ok - stage: NAME".
stage() {
	local name=$1 before rc
	shift
	echo "=== $name ($(($(date +%s) - start))s)"
	before=$(grep -c '^not ok - ' "$MSH_RESULTS")
	"$@" 2>&1 | tee "$logdir/$name.log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ] &&
	   [ "$(grep -c '^not ok - ' "$MSH_RESULTS")" -eq "$before" ]; then
		echo "not ok - stage: $name (exit $rc, see build/results/logs/$name.log)" |
			tee -a "$MSH_RESULTS"
	fi
	return 0
}

# result NAME CMD...: a stage that is a single test.
result() {
	local name=$1
	shift
	echo "=== $name ($(($(date +%s) - start))s)"
	if "$@" >"$logdir/$name.log" 2>&1; then
		echo "ok - $name" | tee -a "$MSH_RESULTS"
	else
		cat "$logdir/$name.log"
		echo "not ok - $name" | tee -a "$MSH_RESULTS"
	fi
}

result "build: userspace" make -C daemon
result "build: module (Debian $(scripts/kabi.sh))" make module-vm
stage style scripts/checkpatch.sh
# kmod/ and daemon/ are layered: no two .c files call each other in a loop
result "style: no call cycles between the kmod files" \
	scripts/callcycles.py kmod --exclude mailshield.o
result "style: no call cycles between the daemon files" \
	scripts/callcycles.py daemon
# one knob table: UAPI, YNL spec, docs, example config, test constants
result "schema: every layer agrees with the knob table" \
	/usr/bin/python3 scripts/knobs.py
# the recipient vectors and their C table match the reference
result "schema: the recipient vectors are those of the reference" \
	/usr/bin/python3 scripts/rcpt_vectors.py --check tests/vectors/recipients.tsv
stage unit make -C tests/unit check
stage fuzz make -C tests/fuzz run
stage kunit tests/kunit/run.sh
stage vm tests/vm/run.sh

echo "=== done in $(($(date +%s) - start))s"
tests/summary.sh "$MSH_RESULTS"
