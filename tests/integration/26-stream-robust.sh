#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# No false positives from the stream inspector (streamrobust.py):
#  A. Real SMTP sessions (smtplib) over a link with netem loss, reordering,
#     duplication and delay in both directions, segments of one MSS
#     (gso_max_segs 1), bodies up to 40 kB, IPv4 and IPv6, under the
#     default policy: every message delivered, no violation counted.
#  B. 20 live sessions across a policy change: EHLO and MAIL (RCPT for half
#     of them), then "enabled off" and "enabled on" again, the other half
#     sending RCPT in between; then DATA and QUIT on every session: every
#     message delivered, no violation. The same with port 25 taken out of
#     the protected set and put back.
# The qdiscs, the GSO limits and the policy are put back on exit.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_dmesg_mark
msh_module_load

SR=$MSH_LIB_DIR/streamrobust.py
TAG=msh26-$RANDOM$RANDOM
NETEM=(delay 10ms reorder 5% loss 5% duplicate 5%)
DEFAULT_PORTS=25,587,465

# gso_max_segs of a device, from "ip -d link show"
gso_segs() {
	local out
	out=$(ip -n "$1" -d link show dev "$2")
	out=${out#*gso_max_segs }
	out=${out%% *}
	[[ $out =~ ^[0-9]+$ ]] || out=65535
	echo "$out"
}
segs_client=$(gso_segs client eth0)
segs_mail=$(gso_segs mail mc0)
echo "# gso_max_segs: client eth0 $segs_client, mail mc0 $segs_mail"

robust_restore() {
	tc -n client qdisc del dev eth0 root 2>/dev/null || true
	tc -n mail qdisc del dev mc0 root 2>/dev/null || true
	ip -n client link set dev eth0 gso_max_segs "$segs_client" || true
	ip -n mail link set dev mc0 gso_max_segs "$segs_mail" || true
	msh_ctl policy set enabled on ports "$DEFAULT_PORTS" >/dev/null 2>&1 ||
		true
}
trap robust_restore EXIT
trap 'exit 143' TERM

has_netem() {
	tc -n "$1" qdisc show dev "$2" | grep -q netem
}

# ---------------------------------------------------------- A. netem
echo "# A. real sessions over netem: ${NETEM[*]}"
if modprobe sch_netem &&
	tc -n client qdisc add dev eth0 root netem "${NETEM[@]}" &&
	tc -n mail qdisc add dev mc0 root netem "${NETEM[@]}" &&
	ip -n client link set dev eth0 gso_max_segs 1 &&
	ip -n mail link set dev mc0 gso_max_segs 1; then
	msh_ok "netem on both ends of the client link (${NETEM[*]})"
	tc -n client qdisc show dev eth0 | sed 's/^/#   client: /'
	tc -n mail qdisc show dev mc0 | sed 's/^/#   mail: /'
	msh_checks "real sessions over netem" in_mail python3 "$SR" send \
		"$TAG-A" 20 4 "$MAIL4,$MAIL6" 400,3000,12000,40000
	tc -n client -s qdisc show dev eth0 | sed 's/^/#   client: /'
	tc -n mail -s qdisc show dev mc0 | sed 's/^/#   mail: /'
else
	msh_notok "netem on both ends of the client link (${NETEM[*]})"
fi
tc -n client qdisc del dev eth0 root 2>/dev/null || true
tc -n mail qdisc del dev mc0 root 2>/dev/null || true
ip -n client link set dev eth0 gso_max_segs "$segs_client" || true
ip -n mail link set dev mc0 gso_max_segs "$segs_mail" || true
if has_netem client eth0 || has_netem mail mc0; then
	msh_notok "netem qdiscs removed"
else
	msh_ok "netem qdiscs removed"
fi

# ------------------------------------------- B. policy change, live
echo "# B. live sessions across policy changes"
msh_checks "enabled off/on with live sessions" in_mail python3 "$SR" \
	toggle "$TAG-B1" "$MAIL4,$MAIL6" "enabled off/on" \
	"enabled off" "enabled on"
msh_checks "port 25 out and back in with live sessions" in_mail python3 \
	"$SR" toggle "$TAG-B2" "$MAIL4,$MAIL6" "port 25 out/in" \
	"ports 587,465" "ports $DEFAULT_PORTS"

msh_ctl policy set enabled on ports "$DEFAULT_PORTS" >/dev/null 2>&1 || true
pol=$(msh_ctl --json policy) || pol=error
echo "# policy: $pol"
msh_check_eq "policy back to enabled, ports 25, 465, 587" \
	"True [25, 465, 587]" \
	"$(msh_json - '"%s %s" % (j["enabled"], sorted(j["ports"]))' <<<"$pol")"

msh_check "module still loaded" msh_module_loaded
msh_dmesg_clean && msh_ok "no kernel warnings" || msh_notok "no kernel warnings"
msh_done
