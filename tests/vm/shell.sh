#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Boot the test VM and run one bash command line in it (from the repository
# root, as root, the host's tools visible through the 9p overlay), printing
# its output. For debugging the rig and the tests:
#   tests/vm/shell.sh 'source tests/integration/lib.sh; msh_setup; ...'
# MSH_VM_TIMEOUT (default 300) bounds the whole boot in seconds.
set -euo pipefail

. "$(dirname "$0")/common.sh"

[ $# -ge 1 ] || { echo "usage: $0 'COMMAND...'" >&2; exit 2; }
VM_FOLLOW=shell.log
vm_boot shell "${MSH_VM_TIMEOUT:-300}" "MSH_CMD=$*"
[ -s "$VM_RUN/guest.log" ] && sed 's/^/guest: /' "$VM_RUN/guest.log"
exit "$VM_RC"
