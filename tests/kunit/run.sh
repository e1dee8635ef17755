#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Run mailshield's KUnit suites in the KUnit test kernel under QEMU.
#
#   tests/kunit/run.sh
#
# 1. tests/kunit/build-kernel.sh builds (or reuses) the test kernel.
# 2. The module is built against it. kbuild writes its objects next to the
#    sources, so the sources (Kbuild, kmod/, include/, ...) are first copied
#    to build/kunit/module-src: objects built for the test kernel never mix
#    with those built for the Debian kernel in the working tree.
#    `make -C <tree> M=build/kunit/module-src modules`; with CONFIG_KUNIT the
#    suites in kmod/tests/*_test.c are linked into mailshield.ko.
# 3. A busybox initramfs whose /init mounts proc, sys, devtmpfs and debugfs,
#    insmods every built .ko (KUnit runs a module's suites as it loads),
#    rmmods them again (exit paths, under panic_on_warn), then `reboot -f`.
# 4. QEMU (TCG, no network, -no-reboot) boots it with a hard timeout; the
#    console log is build/kunit/console.log.
# 5. The KTAP is checked by tests/kunit/ktap.py (one result line per test
#    case, appended to $MSH_RESULTS if set) and by the kernel's own
#    tools/testing/kunit/kunit.py parse.
#
# Exit status 0 only if every case passed and the run was clean: an oops or
# WARN, a missing KTAP plan, a timeout or zero test cases all fail.
#
# Environment:
#   MSH_RESULTS            file to append result lines to
#   MSH_KUNIT_TIMEOUT      seconds before the guest is killed (default 300)
#   MSH_KUNIT_MODULE_SRC   module source root to test (default: this repo)
#   MSH_KUNIT_QEMU_ARGS    extra QEMU arguments
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/build/kunit"
modsrc_in=${MSH_KUNIT_MODULE_SRC:-$root}
modsrc="$out/module-src"
timeout_s=${MSH_KUNIT_TIMEOUT:-300}
console="$out/console.log"
ktap="$out/ktap.txt"
initrd="$out/initramfs.cpio.gz"

say() { echo "kunit: $*" >&2; }
die() { say "error: $*"; exit 1; }
# fail NAME MESSAGE: record "not ok - kunit: NAME" and stop.
fail() {
	echo "not ok - kunit: $1"
	[ -z "${MSH_RESULTS:-}" ] || echo "not ok - kunit: $1" >>"$MSH_RESULTS"
	shift
	die "$@"
}

mkdir -p "$out"
# One run at a time per checkout: the tree, the module copy and the logs are
# shared.
exec 9>"$out/.lock"
flock 9

for tool in qemu-system-x86_64 python3 rsync gzip; do
	command -v "$tool" >/dev/null || die "$tool missing (scripts/deps.sh)"
done
busybox=$(command -v busybox || true)
[ -n "$busybox" ] || die "busybox missing (install busybox-static)"
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$busybox" 2>&1 | grep -q 'not a dynamic executable' ||
	die "$busybox is not static (install busybox-static)"

t0=$(date +%s)
tree=$("$here/build-kernel.sh") || fail build_kernel "test kernel build failed"
t1=$(date +%s)

# --- module -----------------------------------------------------------------
[ -f "$modsrc_in/Kbuild" ] || die "$modsrc_in/Kbuild missing"
mkdir -p "$modsrc"
# --checksum without --times: only files whose content changed are written,
# and they get the current time, so kbuild rebuilds exactly those even when
# the new content carries an older timestamp than the objects in the copy.
rsync -rlp --checksum --delete \
	--exclude=/build/ --exclude=/.git/ \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='*.a' --exclude='*.order' \
	--exclude=Module.symvers --exclude='.*.d' \
	"$modsrc_in/" "$modsrc/"
say "building the module against $tree"
if ! make -C "$tree" M="$modsrc" -j"$(nproc)" modules \
	>"$out/module-build.log" 2>&1; then
	cat "$out/module-build.log" >&2
	fail build_module "module build failed (a config option the module needs may be" \
		"missing from tests/kunit/config.fragment)"
fi
# modules.order lists what this build produced (stale .ko files from
# earlier builds of the copy are ignored); 6.1 writes absolute paths there
# for external modules, later kernels paths relative to M.
mapfile -t kos < <(sed -e 's/\.o$/.ko/' -e "\\|^/|!s|^|$modsrc/|" \
	"$modsrc/modules.order" 2>/dev/null)
[ ${#kos[@]} -gt 0 ] || fail build_module "the module build produced no .ko"
say "modules: ${kos[*]#"$modsrc/"}"
t2=$(date +%s)

# --- initramfs --------------------------------------------------------------
staging="$out/initramfs"
rm -rf "$staging"
mkdir -p "$staging"
names=()
for ko in "${kos[@]}"; do
	cp "$ko" "$staging/"
	names+=("$(basename "$ko" .ko)")
done
cat >"$staging/init" <<EOF
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
export PATH=/bin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mark() { echo "MSH-KUNIT: \$*" >/dev/kmsg; }
mark begin
for m in ${names[*]}; do
	insmod /lib/modules/\$m.ko
	mark insmod \$m rc=\$?
done
# /proc/modules spells a module's name with "_" where its file has "-".
for m in $(printf '%s\n' "${names[@]}" | tac | tr '\n-' ' _'); do
	grep -q "^\$m " /proc/modules || continue
	rmmod \$m
	mark rmmod \$m rc=\$?
done
mark end
reboot -f
EOF
{
	echo "dir /bin 0755 0 0"
	echo "file /bin/busybox $busybox 0755 0 0"
	echo "slink /bin/sh busybox 0777 0 0"
	for d in /dev /proc /sys /lib /lib/modules /tmp; do
		echo "dir $d 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/null 0666 0 0 c 1 3"
	echo "file /init $staging/init 0755 0 0"
	for n in "${names[@]}"; do
		echo "file /lib/modules/$n.ko $staging/$n.ko 0644 0 0"
	done
} >"$out/initramfs.list"
"$tree/usr/gen_init_cpio" "$out/initramfs.list" | gzip -9 >"$initrd"

# --- boot -------------------------------------------------------------------
say "booting (timeout ${timeout_s}s, console: $console)"
rc=0
# shellcheck disable=SC2086
timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 \
	-accel tcg -nic none -m 512M -nographic -no-reboot \
	-kernel "$tree/arch/x86/boot/bzImage" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 panic_on_warn=1 oops=panic kunit.enable=1" \
	${MSH_KUNIT_QEMU_ARGS:-} \
	</dev/null >"$console" 2>&1 || rc=$?
t3=$(date +%s)
status=0
case $rc in
0) ;;
124 | 137) say "error: the guest timed out after ${timeout_s}s"; status=1 ;;
*) say "error: qemu exited with $rc"; status=1 ;;
esac

# --- results ----------------------------------------------------------------
results=$(mktemp)
trap 'rm -f "$results"' EXIT
python3 "$here/ktap.py" "$console" "$ktap" >"$results" || status=1
cat "$results"
if [ -n "${MSH_RESULTS:-}" ]; then
	cat "$results" >>"$MSH_RESULTS"
fi

# The kernel's own KTAP parser, as a second opinion.
kunit_py="$tree/tools/testing/kunit/kunit.py"
if python3 "$kunit_py" parse --help >/dev/null 2>&1; then
	if ! python3 "$kunit_py" parse "$ktap" >"$out/kunit-parse.txt" 2>&1; then
		status=1
		say "error: kunit.py parse reports a failure"
	fi
	cat "$out/kunit-parse.txt" >&2
else
	say "warning: $kunit_py does not run here; only ktap.py checked"
fi

npass=$(grep -c '^ok ' "$results" || true)
nfail=$(grep -c '^not ok ' "$results" || true)
say "timings: kernel $((t1 - t0)) s, module $((t2 - t1)) s," \
	"boot+tests $((t3 - t2)) s"
if [ "$status" -ne 0 ]; then
	say "FAILED ($npass passed, $nfail failed; console log: $console)"
	exit 1
fi
say "$npass passed, 0 failed"
