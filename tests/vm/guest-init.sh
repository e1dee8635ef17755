#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# PID 1 of the test VM after switch_root (see initramfs-init). Runs
# tests/vm/guest-$MSH_MODE.sh with its output in /msh/out/guest.log, writes
# the done marker and powers the guest off. It never returns: PID 1 exiting
# would panic the kernel.

set -u
set -a
. /msh/out/guest.env
set +a
export MSH_REPO MSH_MODE MSH_ABI
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb SHELL=/bin/bash
export MSH_OUT=/msh/out
cd /

hostname mshvm 2>/dev/null || true
ip link set lo up
# Name lookups stay inside the guest: the host's resolver is unreachable
# and would only cost timeouts.
rm -f /etc/resolv.conf
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >/etc/resolv.conf
cat >/etc/hosts <<EOF
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
127.0.1.1	mshvm
192.0.2.25	mail.example.test example.test
2001:db8::25	mail.example.test example.test
192.0.2.10	client.test
EOF
echo "guest: userspace up at $(cut -d' ' -f1 /proc/uptime)s, mode $MSH_MODE"

rc=0
"$MSH_REPO/tests/vm/guest-$MSH_MODE.sh" >>"$MSH_OUT/guest.log" 2>&1 </dev/null || rc=$?
echo "guest: $MSH_MODE finished with status $rc at $(cut -d' ' -f1 /proc/uptime)s"
echo "MSH-DONE $rc" >"$MSH_OUT/done"
sync
busybox poweroff -f
sleep 2
busybox reboot -f
while :; do sleep 60; done
