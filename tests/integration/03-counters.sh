#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# The counters (mailshieldctl --json stats) match the traffic of an SMTP
# session byte for byte: a python client sends a known message and reads
# TCP_INFO; over IPv4 and IPv6 the deltas must be one SYN, one SYN-ACK, one
# FIN each way, rx_bytes = payload sent, tx_bytes = payload received,
# packets = segments on the wire, and the v6 counters a subset.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_module_load
msh_write_conf
msh_daemon_start

msh_check "mailshieldctl --json stats works" msh_stats
msh_checks "counters of sessions over IPv4 and IPv6" \
	in_mail python3 "$MSH_PY/smtpc.py" expect \
	"counted,$MAIL4,25,3000" "counted,$MAIL6,25,3000" \
	"counted,$MAIL4,25,200000"

msh_done
