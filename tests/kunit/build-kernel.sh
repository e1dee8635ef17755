#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Build the small KUnit test kernel from Debian's linux-source-6.1 (the same
# 6.1.x as the headers mailshield.ko targets in production).
#
#   tests/kunit/build-kernel.sh [-f]     (-f: ignore the cache, rebuild)
#
# The source is extracted into build/kunit/linux-source-6.1 and built in
# place: allnoconfig + tests/kunit/config.fragment (merge_config.sh) +
# olddefconfig, then `make bzImage modules_prepare`.
#
# Cache: the key is a hash of the fragment, the linux-source-6.1 package
# version and this script. An unchanged key reuses the built tree as it is.
# A new source version re-extracts; a new fragment (same source) reconfigures
# and lets kbuild rebuild incrementally.
#
# Progress goes to stderr, the make output to build/kunit/kernel-build.log.
# On success the absolute path of the built tree is the only line on stdout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/build/kunit"
tarball=${MSH_LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
srcpkg=linux-source-6.1
fragment="$here/config.fragment"
tree="$out/linux-source-6.1"
log="$out/kernel-build.log"
jobs=$(nproc)

force=0
case "${1:-}" in
-f) force=1 ;;
"") ;;
*) echo "usage: $0 [-f]" >&2; exit 2 ;;
esac

say() { echo "build-kernel: $*" >&2; }
die() { say "error: $*"; exit 1; }

[ -r "$tarball" ] || die "$tarball missing (install $srcpkg: scripts/deps.sh)"
version=$(dpkg-query -W -f='${Version}' "$srcpkg" 2>/dev/null || true)
# Without dpkg metadata, fall back to the tarball's identity.
[ -n "$version" ] || version=$(stat -c '%s-%Y' "$tarball")

src_key="$srcpkg $version"
key=$( { echo "$src_key"; cat "$fragment" "${BASH_SOURCE[0]}"; } |
	sha256sum | cut -c1-16)

mkdir -p "$out"

if [ "$force" = 0 ] && [ -f "$tree/.msh-build-key" ] &&
	[ "$(cat "$tree/.msh-build-key")" = "$key" ] &&
	[ -f "$tree/arch/x86/boot/bzImage" ]; then
	say "cached tree $tree (key $key)"
	echo "$tree"
	exit 0
fi

start=$(date +%s)

if [ ! -f "$tree/.msh-source-key" ] ||
	[ "$(cat "$tree/.msh-source-key")" != "$src_key" ]; then
	say "extracting $tarball ($src_key)"
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xJf "$tarball" -C "$tree.tmp"
	[ -f "$tree.tmp/linux-source-6.1/Makefile" ] ||
		die "unexpected tarball layout (no linux-source-6.1/Makefile)"
	mv "$tree.tmp/linux-source-6.1" "$tree"
	rmdir "$tree.tmp"
	echo "$src_key" >"$tree/.msh-source-key"
fi
extracted=$(date +%s)
say "source ready in $((extracted - start)) s"

rm -f "$tree/.msh-build-key"
: >"$log"
make -C "$tree" -s allnoconfig >>"$log" 2>&1 ||
	{ tail -n 30 "$log" >&2; die "allnoconfig failed"; }
(cd "$tree" && ./scripts/kconfig/merge_config.sh -m .config "$fragment") \
	>>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "merge_config failed"; }
make -C "$tree" -s olddefconfig >>"$log" 2>&1 ||
	{ tail -n 30 "$log" >&2; die "olddefconfig failed"; }

# Every option the fragment asks for must have survived olddefconfig.
dropped=()
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) ;;
	"# CONFIG_"*" is not set") ;;
	*) continue ;;
	esac
	grep -qxF -- "$line" "$tree/.config" || dropped+=("$line")
done <"$fragment"
if [ ${#dropped[@]} -gt 0 ]; then
	say "WARNING: dropped by olddefconfig (missing dependency?): ${dropped[*]}"
	for opt in CONFIG_KUNIT=y CONFIG_NETFILTER=y CONFIG_IPV6=y CONFIG_MODULES=y; do
		grep -qxF "$opt" "$tree/.config" || die "required $opt was dropped"
	done
fi

say "building bzImage modules_prepare with -j$jobs (log: $log)"
if ! make -C "$tree" -j"$jobs" bzImage modules_prepare >>"$log" 2>&1; then
	grep -E 'error|Error' "$log" | tail -n 20 >&2 || true
	die "kernel build failed (see $log)"
fi
# The initramfs writer in run.sh uses the tree's own gen_init_cpio.
[ -x "$tree/usr/gen_init_cpio" ] ||
	make -C "$tree" usr/gen_init_cpio >>"$log" 2>&1 ||
	die "could not build usr/gen_init_cpio"

echo "$key" >"$tree/.msh-build-key"
end=$(date +%s)
say "built in $((end - start)) s (extract $((extracted - start)) s," \
	"configure+make $((end - extracted)) s) on $jobs cpu(s), key $key"
echo "$tree"
