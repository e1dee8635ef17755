#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Print the Debian 12 kernel ABI (e.g. 6.1.0-56-amd64) that the installed
# linux-headers-amd64 metapackage depends on. The test VM boots that kernel
# and the module is built against its headers.
set -euo pipefail

dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null || true)
abi=$(sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p' <<<"$dep")
if [ -z "$abi" ]; then
	echo "kabi: linux-headers-amd64 is not installed (run: make deps)" >&2
	exit 1
fi
echo "$abi"
