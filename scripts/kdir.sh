#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Print the kernel build directory mailshield.ko is built against: the
# running kernel's if its headers are installed, else the Debian 12 kernel
# that linux-headers-amd64 points at (the kernel the test VM boots).
set -euo pipefail

running=/lib/modules/$(uname -r)/build
if [ -d "$running" ]; then
	echo "$running"
	exit 0
fi
abi=$("$(dirname "$0")/kabi.sh")
echo "/usr/src/linux-headers-$abi"
