#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Demonstration: boot the test VM (Debian's kernel under QEMU, no network
# device), load mailshield in front of a real Postfix, send a few mails
# with swaks from a client namespace and show the live counters and the
# delivered mailbox. Needs kmod/mailshield.ko and the daemon/ binaries.
# MSH_VM_TIMEOUT (default 600) bounds the run in seconds.
set -euo pipefail

. "$(dirname "$0")/common.sh"

vm_abi
vm_need_builds || exit 1
VM_FOLLOW=demo.log
vm_boot demo "${MSH_VM_TIMEOUT:-600}"
if [ "$VM_RC" != 0 ] || [ "${VM_GUEST_RC:-1}" != 0 ]; then
	echo "demo: FAILED (guest status ${VM_GUEST_RC:-none})" >&2
	if [ -s "$VM_RUN/guest.log" ]; then
		echo "--- guest output:" >&2
		sed 's/^/  /' "$VM_RUN/guest.log" >&2
	fi
	exit 1
fi
echo "demo: done in ${VM_SECS}s (logs in ${VM_RUN#"$REPO"/})"
