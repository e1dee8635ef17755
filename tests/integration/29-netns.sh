#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Namespaces cost nothing until they carry mail. The policy is on by
# default only in the initial namespace; a new namespace has it off and
# none of the tables (flows, sources, SYN-ACK budget, counters) until it is
# turned on there with one command. Measured from /proc/meminfo (slab,
# per-cpu, vmalloc): the kernel memory 48 new namespaces take with the
# module loaded, against the same without it, and what turning the policy
# on in 4 of them adds. Such a measurement resolves a few tens of KiB per
# namespace (the rest of the guest allocates too); the tables it guards
# against are about 500 KiB per namespace, which is what an idle
# namespace used to pay. What an idle namespace holds is listed in
# Documentation/architecture.md (a few hundred bytes).

. "$(dirname "$0")/lib.sh"

msh_setup
msh_dmesg_mark

N=48
LIMIT_KIB=64	# what the measurement resolves

# kernel memory that namespaces cost, in KiB
kmem() {
	awk '/^(Slab|Percpu|VmallocUsed):/ { s += $2 } END { print s }' \
		/proc/meminfo
}

# netns_cost: KiB taken by creating $N namespaces (each with lo up),
# printed; the namespaces are left for the caller.
netns_cost() {
	local i before after
	sync
	echo 2 >/proc/sys/vm/drop_caches
	msh_sleep 1
	before=$(kmem)
	for i in $(seq 1 "$N"); do
		ip netns add "mshcost$i"
		ip -n "mshcost$i" link set lo up
	done
	msh_sleep 1
	after=$(kmem)
	echo $((after - before))
}

netns_gone() {
	local i
	for i in $(seq 1 "$N"); do
		ip netns del "mshcost$i" 2>/dev/null
	done
	# namespaces are torn down by a work item
	msh_sleep 3
}

# baseline without the module, after a warm-up round that grows the
# kernel's caches for namespaces (the first round pays for them)
msh_module_unload
netns_cost >/dev/null
netns_gone
netns_cost >"$MSH_STATE/cost0"
netns_gone
cost0=$(cat "$MSH_STATE/cost0")
echo "# $N namespaces without the module: $cost0 KiB"

msh_module_load
netns_cost >"$MSH_STATE/cost1"
cost1=$(cat "$MSH_STATE/cost1")
echo "# $N namespaces with the module: $cost1 KiB"
per=$(((cost1 - cost0) * 1024 / N))
echo "# module cost per idle namespace: $per bytes"
if [ "$per" -lt $((LIMIT_KIB * 1024)) ]; then
	msh_ok "an idle namespace costs no measurable memory ($per bytes)"
else
	msh_notok "an idle namespace costs no measurable memory" "$per bytes"
fi

pol=$(ip netns exec mshcost1 "$MSH_CTL" --json policy) || pol=error
msh_check_eq "the policy is off in a new namespace" false \
	"$(msh_json - 'j["enabled"]' <<<"$pol")"
pol=$("$MSH_CTL" --json policy) || pol=error
msh_check_eq "the policy is on in the initial namespace" true \
	"$(msh_json - 'j["enabled"]' <<<"$pol")"
st=$(ip netns exec mshcost1 "$MSH_CTL" --json stats) || st=error
msh_check_eq "a new namespace has no flows and no sources" "0 0" \
	"$(msh_json - '"%d %d" % (j["flows"], j["sources"])' <<<"$st")"

# turning it on makes the tables: the measurement sees them
before=$(kmem)
for i in 1 2 3 4; do
	ip netns exec "mshcost$i" "$MSH_CTL" policy set enabled on >/dev/null
done
after=$(kmem)
on=$(((after - before) / 4))
echo "# 4 namespaces turned on: $((after - before)) KiB, $on KiB each"
msh_check "turning the policy on allocates the tables (> 200 KiB each)" \
	test "$on" -gt 200
msh_check "an idle namespace costs under an eighth of an active one" \
	test "$per" -lt $((on * 1024 / 8))
pol=$(ip netns exec mshcost1 "$MSH_CTL" --json policy) || pol=error
msh_check_eq "one command turns it on in a namespace" true \
	"$(msh_json - 'j["enabled"]' <<<"$pol")"
ip netns exec mshcost2 "$MSH_CTL" ban 192.0.2.99 --for 1h >/dev/null
bans=$(ip netns exec mshcost2 "$MSH_CTL" --json bans) || bans=error
msh_check "a ban works in a namespace turned on" grep -q 192.0.2.99 <<<"$bans"
out=$(ip netns exec mshcost5 "$MSH_CTL" unban 192.0.2.99 2>&1) && rc=0 ||
	rc=$?
msh_check "unban in a namespace without tables: a clear error" \
	grep -q "not banned" <<<"$out"
netns_gone

msh_check "mail still delivered in the mail namespace" \
	msh_swaks --header "Subject: msh-netns-$RANDOM"
msh_check "module still loaded" msh_module_loaded
new=$(msh_dmesg_new)
clean() { ! grep -E "$MSH_DMESG_RE" <<<"$new"; }
msh_check "kernel log has no WARN/BUG" clean
msh_done
