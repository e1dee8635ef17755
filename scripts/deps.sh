#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Install every Debian package that building and testing mailshield needs.
# Idempotent: packages already present are not fetched again.
set -euo pipefail

PKGS=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
	rsync xz-utils zstd pkg-config python3 perl
	linux-source-6.1 linux-headers-amd64
	qemu-system-x86 busybox-static
	libnl-3-dev libnl-genl-3-dev libinih-dev libldap-dev libsystemd-dev
	libjson-c-dev libsodium-dev libidn2-dev slapd ldap-utils
	postfix swaks iproute2 procps netcat-openbsd
	clang libclang-rt-14-dev
	python3-scapy python3-yaml hping3 libio-socket-inet6-perl openssl
	nftables
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	echo "postfix postfix/main_mailer_type select No configuration" |
		debconf-set-selections
	# The recipient tests start their own slapd as the calling user; the
	# package's postinst must neither ask questions nor build a directory.
	echo "slapd slapd/no_configuration boolean true" |
		debconf-set-selections
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
