# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Host-side helpers for the QEMU integration rig, sourced by run.sh and
# demo.sh. The guest boots Debian's own kernel (the ABI the module is built
# for) with a busybox initramfs, mounts the host's root read-only over
# virtio-9p under a tmpfs overlay and runs a script from this tree.
#
# Layout under build/vm/ (all generated, all disposable):
#   kernel-<abi>/boot/vmlinuz-<abi>, kernel-<abi>/lib/modules/<abi>/...
#   initramfs-<abi>.cpio.gz (+ .key: hash of its inputs)
#   run/<mode>-<stamp>/   per-run share: guest.env, console.log, results,
#                          logs/, done marker; run/latest-<mode> links to it

VM_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_HERE/../.." && pwd)
VMDIR=$REPO/build/vm

vm_die() {
	echo "vm: error: $*" >&2
	exit 1
}

vm_log() {
	echo "vm: $*" >&2
}

vm_abi() {
	[ -n "${VM_ABI:-}" ] && return 0
	VM_ABI=$("$REPO/scripts/kabi.sh") || vm_die "cannot determine the kernel ABI"
}

# Find (or download) the Debian linux-image .deb for $VM_ABI.
vm_find_deb() {
	local d
	for d in "$VMDIR" "$REPO/build"; do
		for f in "$d"/linux-image-"$VM_ABI"_*.deb \
			 "$d"/linux-image-"$VM_ABI"-unsigned_*.deb; do
			[ -f "$f" ] && { echo "$f"; return 0; }
		done
	done
	mkdir -p "$VMDIR"
	vm_log "downloading linux-image-$VM_ABI"
	(cd "$VMDIR" && { apt-get download "linux-image-$VM_ABI" ||
		apt-get download "linux-image-$VM_ABI-unsigned"; }) >&2 ||
		vm_die "cannot download linux-image-$VM_ABI (apt-get download)"
	for f in "$VMDIR"/linux-image-"$VM_ABI"*.deb; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	vm_die "linux-image-$VM_ABI .deb not found after download"
}

# Extract vmlinuz and the module tree; run depmod so that modprobe works in
# the guest. Sets VM_KDIR, VM_VMLINUZ, VM_MODDIR.
vm_kernel() {
	vm_abi
	VM_KDIR=$VMDIR/kernel-$VM_ABI
	VM_VMLINUZ=$VM_KDIR/boot/vmlinuz-$VM_ABI
	VM_MODDIR=$VM_KDIR/lib/modules/$VM_ABI
	if [ -f "$VM_KDIR/.extracted" ] && [ -f "$VM_VMLINUZ" ]; then
		return 0
	fi
	local deb
	deb=$(vm_find_deb)
	vm_log "extracting $(basename "$deb")"
	rm -rf "$VM_KDIR"
	mkdir -p "$VM_KDIR"
	dpkg-deb -x "$deb" "$VM_KDIR"
	[ -f "$VM_VMLINUZ" ] || vm_die "no vmlinuz in $deb"
	/sbin/depmod -b "$VM_KDIR" "$VM_ABI" ||
		vm_die "depmod failed on $VM_KDIR"
	basename "$deb" >"$VM_KDIR/.extracted"
}

# Modules the initramfs loads to reach the 9p root, dependencies first.
VM_INIT_MODULES="virtio_pci 9pnet_virtio 9p overlay"

# Build the initramfs if any input changed. Sets VM_INITRD. Holds a lock
# on build/vm so that concurrent runs do not extract or build at once.
vm_initramfs() {
	local lockfd
	mkdir -p "$VMDIR"
	exec {lockfd}>"$VMDIR/.lock"
	flock "$lockfd"
	vm_kernel
	vm_build_initramfs
	exec {lockfd}>&-
}

vm_build_initramfs() {
	local bb mods m f key tmp
	bb=$(command -v busybox) || vm_die "busybox not found (busybox-static)"
	if ldd "$bb" >/dev/null 2>&1; then
		vm_die "$bb is not static (install busybox-static)"
	fi
	mods=()
	for m in $VM_INIT_MODULES; do
		while read -r kw f _; do
			[ "$kw" = insmod ] || continue
			case " ${mods[*]-} " in *" $f "*) ;; *) mods+=("$f") ;; esac
		done < <(/sbin/modprobe -d "$VM_KDIR" -S "$VM_ABI" \
			--show-depends "$m") || vm_die "module $m not found"
	done
	# contents only: the same inputs give the same key in any checkout
	key=$( { echo "$VM_ABI"; cat "$bb" "$VM_HERE/initramfs-init" \
		"${mods[@]}"; } | sha256sum | cut -d' ' -f1)
	VM_INITRD=$VMDIR/initramfs-$VM_ABI.cpio.gz
	if [ -f "$VM_INITRD" ] && [ "$(cat "$VM_INITRD.key" 2>/dev/null)" = "$key" ]; then
		return 0
	fi
	vm_log "building initramfs"
	tmp=$(mktemp -d "$VMDIR/initramfs.XXXXXX")
	mkdir -p "$tmp"/{bin,dev,proc,sys,lower,upper,newroot,modules}
	cp "$bb" "$tmp/bin/busybox"
	ln -s busybox "$tmp/bin/sh"
	cp "$VM_HERE/initramfs-init" "$tmp/init"
	chmod 755 "$tmp/init"
	: >"$tmp/modules/order"
	for f in "${mods[@]}"; do
		m=$(basename "$f")
		case "$m" in
		*.ko.xz) xz -dc "$f" >"$tmp/modules/${m%.xz}"; m=${m%.xz} ;;
		*.ko.zst) zstd -qdc "$f" >"$tmp/modules/${m%.zst}"; m=${m%.zst} ;;
		*.ko.gz) gzip -dc "$f" >"$tmp/modules/${m%.gz}"; m=${m%.gz} ;;
		*) cp "$f" "$tmp/modules/$m" ;;
		esac
		echo "$m" >>"$tmp/modules/order"
	done
	(cd "$tmp" && find . -print0 | sort -z |
		cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$VM_INITRD.new"
	mv "$VM_INITRD.new" "$VM_INITRD"
	echo "$key" >"$VM_INITRD.key"
	rm -rf "$tmp"
}

# Kernel oops/WARN/BUG signatures in a console log.
VM_OOPS_RE='(WARNING: CPU: |BUG: |Oops: |Kernel panic - not syncing|general protection fault|kernel BUG at|UBSAN: |KASAN: |refcount_t: |list_add corruption|list_del corruption|RCU detected stall|soft lockup|hung_task|Call Trace:)'

# vm_boot MODE TIMEOUT [KEY=VALUE...]
# Boot the guest with guest-init.sh running tests/vm/guest-MODE.sh. The
# KEY=VALUE pairs go to guest.env. Sets VM_RUN (the per-run dir) and
# VM_RC (0 if the guest wrote its done marker and the console is clean).
# While QEMU runs, lines the guest appends to $VM_RUN/$VM_FOLLOW (if set)
# are printed live.
vm_boot() {
	local mode=$1 tmo=$2 kv qpid start accel cmdline
	shift 2
	vm_initramfs
	mkdir -p "$VMDIR/run"
	VM_RUN=$VMDIR/run/$mode-$(date +%Y%m%d-%H%M%S)-$$
	mkdir -p "$VM_RUN/logs"
	ln -sfn "$(basename "$VM_RUN")" "$VMDIR/run/latest-$mode"
	{
		printf 'MSH_REPO=%q\n' "$REPO"
		printf 'MSH_MODE=%q\n' "$mode"
		printf 'MSH_ABI=%q\n' "$VM_ABI"
		printf 'MSH_KMODDIR=%q\n' "$VM_MODDIR"
		for kv in "$@"; do
			printf '%s=%q\n' "${kv%%=*}" "${kv#*=}"
		done
	} >"$VM_RUN/guest.env"
	: >"$VM_RUN/console.log"
	accel=${MSH_VM_ACCEL:-tcg}
	cmdline="console=ttyS0 panic=-1 panic_on_warn=1 oops=panic"
	cmdline+=" rdinit=/init mitigations=off random.trust_cpu=on"
	cmdline+=" msh.out=mshout"
	[ "${MSH_VM_DEBUG:-0}" = 1 ] || cmdline+=" loglevel=5"
	start=$(date +%s)
	vm_log "booting $VM_ABI ($accel), run dir ${VM_RUN#"$REPO"/}"
	timeout -k 5 "$tmo" qemu-system-x86_64 \
		-nodefaults -no-user-config -display none -no-reboot \
		-accel "$accel" -cpu "${MSH_VM_CPU:-max}" -m 2G -smp 2 \
		-nic none \
		-kernel "$VM_VMLINUZ" -initrd "$VM_INITRD" -append "$cmdline" \
		-serial "file:$VM_RUN/console.log" \
		-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
		-virtfs "local,path=$VM_RUN,mount_tag=mshout,security_model=none,multidevs=remap" \
		-virtfs "local,path=$REPO,mount_tag=mshrepo,security_model=none,readonly=on,multidevs=remap" \
		</dev/null >"$VM_RUN/qemu.log" 2>&1 &
	qpid=$!
	if [ -n "${VM_FOLLOW:-}" ]; then
		: >>"$VM_RUN/$VM_FOLLOW"
		tail -n +1 -F --pid="$qpid" "$VM_RUN/$VM_FOLLOW" 2>/dev/null &
	fi
	VM_RC=0
	wait "$qpid" || VM_RC=$?
	wait 2>/dev/null || true
	VM_SECS=$(($(date +%s) - start))
	if [ "$VM_RC" = 124 ] || [ "$VM_RC" = 137 ]; then
		echo "vm: FAIL: guest timed out after ${tmo}s (console: ${VM_RUN#"$REPO"/}/console.log)" >&2
		VM_RC=1
	elif [ "$VM_RC" != 0 ]; then
		echo "vm: FAIL: qemu exited with status $VM_RC:" >&2
		sed 's/^/  qemu: /' "$VM_RUN/qemu.log" >&2
		VM_RC=1
	fi
	if grep -qE "$VM_OOPS_RE" "$VM_RUN/console.log"; then
		echo "vm: FAIL: kernel oops/WARN/BUG in the guest console:" >&2
		grep -E -A 30 "$VM_OOPS_RE" "$VM_RUN/console.log" | head -80 |
			sed 's/^/  console: /' >&2
		VM_RC=1
	fi
	if [ ! -f "$VM_RUN/done" ]; then
		echo "vm: FAIL: the guest did not write its result marker" >&2
		tail -n 25 "$VM_RUN/console.log" | sed 's/^/  console: /' >&2
		VM_RC=1
	fi
	VM_GUEST_RC=$(sed -n 's/^MSH-DONE //p' "$VM_RUN/done" 2>/dev/null)
	vm_log "guest ran ${VM_SECS}s"
	return 0
}

# Fail early, with the command to run, if a build product is missing.
vm_need_builds() {
	local f missing=0
	for f in kmod/mailshield.ko daemon/mailshieldd daemon/mailshieldctl; do
		if [ ! -f "$REPO/$f" ]; then
			echo "vm: missing $f" >&2
			missing=1
		fi
	done
	if [ "$missing" = 1 ]; then
		echo "vm: build it first: make module userspace" \
			"(KDIR=/usr/src/linux-headers-$VM_ABI)" >&2
		return 1
	fi
	local vm
	vm=$(/sbin/modinfo -F vermagic "$REPO/kmod/mailshield.ko" | cut -d' ' -f1)
	if [ "$vm" != "$VM_ABI" ]; then
		echo "vm: kmod/mailshield.ko is built for '$vm', the VM boots $VM_ABI" >&2
		echo "vm: rebuild: make module KDIR=/usr/src/linux-headers-$VM_ABI" >&2
		return 1
	fi
}
