# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# make            build mailshield.ko (against KDIR) and the userspace tools
# make demo       boot a VM, put the module in front of Postfix, show it work
# make check      every test: style, unit, fuzz, KUnit, VM integration
# make deps       install the Debian packages the build and tests need
# make bench      benchmarks in the VM: SYN flood (stock, nft synproxy,
#                 mailshield) and SMTP throughput with and without mailshield

KDIR ?= $(shell scripts/kdir.sh)
# The kernel the integration VM boots: Debian 12's linux-image-amd64.
VM_KDIR = /usr/src/linux-headers-$(shell scripts/kabi.sh)

.PHONY: all module module-vm userspace deps check demo unit fuzz kunit \
	vmtest checkpatch clean bench

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

module-vm:
	$(MAKE) -C $(VM_KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C daemon

deps:
	scripts/deps.sh

unit: userspace
	$(MAKE) -C tests/unit check

fuzz:
	$(MAKE) -C tests/fuzz run

kunit:
	tests/kunit/run.sh

vmtest: module-vm userspace
	tests/vm/run.sh

checkpatch:
	scripts/checkpatch.sh

bench: module-vm userspace
	bench/synflood.sh
	bench/throughput.sh
	bench/recipients.sh

check: deps
	tests/check.sh

demo: deps
	$(MAKE) module-vm userspace
	tests/vm/demo.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C daemon clean
	-$(MAKE) -C tests/unit clean
	-$(MAKE) -C tests/fuzz clean
