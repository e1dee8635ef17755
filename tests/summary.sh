#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Count result lines ("ok - suite: name" / "not ok - suite: name") in the
# given files, list the failures and print the closing "N passed, N failed"
# line. Exits non-zero if anything failed or nothing ran.
set -uo pipefail

passed=$(cat "$@" 2>/dev/null | grep -c '^ok - ')
failed=$(cat "$@" 2>/dev/null | grep -c '^not ok - ')
if [ "$failed" -gt 0 ]; then
	echo
	echo "Failed:"
	cat "$@" | grep '^not ok - ' | sed 's/^not ok - /  /'
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
