#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Run the kernel's checkpatch.pl --strict over every kernel-side source file
# (kmod/ and the UAPI header), one result line per file. checkpatch.pl comes
# from Debian's linux-source-6.1 tarball, extracted once into build/.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cp=build/checkpatch/scripts/checkpatch.pl
if [ ! -f "$cp" ]; then
	mkdir -p build/checkpatch
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C build/checkpatch \
		--strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' || exit 1
fi

fail=0
for f in include/uapi/linux/*.h kmod/*.[ch] kmod/tests/*.[ch]; do
	[ -f "$f" ] || continue
	case $f in *.mod.c) continue ;; esac
	if out=$(perl "$cp" --strict --no-tree --terse --show-types \
			--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "$f" 2>&1); then
		line="ok - style: checkpatch $f"
	else
		line="not ok - style: checkpatch $f"
		echo "$out"
		fail=1
	fi
	echo "$line"
	[ -n "${MSH_RESULTS:-}" ] && echo "$line" >>"$MSH_RESULTS"
done
exit $fail
