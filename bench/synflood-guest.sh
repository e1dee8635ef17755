#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Guest side of bench/synflood.sh (runs inside the test VM, as root).

. "$(dirname "$0")/../tests/integration/lib.sh"
set +e

secs=${MSH_BENCH_SECS:-15}
pkts=${MSH_BENCH_PKTS:-300000}
msh_setup
mail_pid=$(msh_ns_pid mail)

synrecv_now() {
	local n=0 sl local rem st rest
	while read -r sl local rem st rest; do
		[[ "$local" == *:0019 && "$st" == 03 ]] && n=$((n + 1))
	done </proc/"$mail_pid"/net/tcp
	echo "$n"
}

attacker_rx() {
	in_attacker cat /sys/class/net/eth0/statistics/rx_packets
}

nft_synproxy() {
	modprobe -a nf_conntrack nf_synproxy_core nft_synproxy nft_ct 2>/dev/null
	in_mail sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0
	in_mail nft -f - <<'NFT'
table inet msh_bench {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		tcp dport 25 tcp flags syn notrack
	}
	chain in {
		type filter hook input priority filter; policy accept;
		tcp dport 25 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
		tcp dport 25 ct state invalid drop
	}
}
NFT
}

# run_one NAME: flood + legitimate transactions; appends a result line
run_one() {
	local name=$1 rx0 rx1 max=0 n flood sess ok failed sent
	rx0=$(attacker_rx)
	in_attacker python3 "$MSH_PY/admitc.py" synflood "$secs" "$pkts" \
		"$MAIL4" 25 >"$MSH_STATE/b.flood" &
	flood=$!
	in_mail python3 "$MSH_PY/admitc.py" sessions client "$MAIL4" 25 \
		"$secs" 1000 >"$MSH_STATE/b.sess" &
	sess=$!
	while kill -0 "$flood" 2>/dev/null; do
		n=$(synrecv_now)
		[ "$n" -gt "$max" ] && max=$n
		msh_sleep 0.5
	done
	wait "$flood"
	wait "$sess"
	rx1=$(attacker_rx)
	sent=$(msh_json "$MSH_STATE/b.flood" 'j["sent"]')
	ok=$(msh_json "$MSH_STATE/b.sess" 'j["ok"]')
	failed=$(msh_json "$MSH_STATE/b.sess" 'j["failed"]')
	echo "$name $sent $ok $failed $(( (rx1 - rx0) / secs )) $max" \
		>>"$MSH_STATE/bench.res"
	echo "# $name: flood $(cat "$MSH_STATE/b.flood"), sessions $(cat "$MSH_STATE/b.sess")"
	# let the half-open entries of the stock kernel time out a little
	msh_sleep 3
}

: >"$MSH_STATE/bench.res"

# stock kernel
msh_module_unload
in_mail sysctl -qw net.ipv4.tcp_syncookies=1
run_one stock

# nft synproxy
if command -v nft >/dev/null && nft_synproxy; then
	run_one synproxy
	in_mail nft delete table inet msh_bench
else
	echo "synproxy - - - - -" >>"$MSH_STATE/bench.res"
	echo "# synproxy skipped: nft or the synproxy modules are missing"
fi

# mailshield
msh_module_load
in_mail "$MSH_CTL" policy set rate 0 max_conns 0 synack_rate 0 >/dev/null
run_one mailshield
# the same without SYN-ACK retransmission: what keeping copies costs
in_mail "$MSH_CTL" policy set synack_retries 0 >/dev/null
run_one msh-norx
msh_module_unload

python3 - "$MSH_STATE/bench.res" "$secs" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
secs = sys.argv[2]
print(f"\nSYN flood benchmark ({secs} s per set-up, spoofed SYNs to port 25)")
print(f"{'set-up':<12}{'SYNs sent':>10}{'legit ok':>10}{'failed':>8}"
      f"{'success':>9}{'SYN-ACK/s':>11}{'SYN_RECV':>10}")
res = {}
for name, sent, ok, failed, synack, peak in rows:
    if ok == "-":
        print(f"{name:<12}{'(skipped)':>10}")
        continue
    ok, failed = int(ok), int(failed)
    rate = ok / (ok + failed) if ok + failed else 0.0
    res[name] = (ok, rate, int(synack))
    print(f"{name:<12}{sent:>10}{ok:>10}{failed:>8}{rate * 100:>8.1f}%"
          f"{synack:>11}{peak:>10}")
base = res.get("stock")
if base:
    print("\nratios to the stock kernel (legitimate transactions completed, "
          "SYN-ACKs per second):")
    for name, (ok, rate, synack) in res.items():
        if name == "stock":
            continue
        r_ok = ok / base[0] if base[0] else float("inf")
        r_sa = synack / base[2] if base[2] else float("inf")
        print(f"  {name:<12} transactions x{r_ok:.2f}  SYN-ACK/s x{r_sa:.2f}")
PY
