#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Deployments around the MTA, with real traffic:
#  a. local senders (loopback, the host's own addresses) are never limited
#     or banned with exempt_local on (the default): with max_conns 1 and a
#     rate of 1 per minute, sessions from inside the mail namespace to
#     127.0.0.1, ::1 and its own addresses all get their 220, and five
#     bare-LF violations from 127.0.0.1 do not ban it; with exempt_local
#     off a second session from 127.0.0.1 gets the SMTP 421. The daemon
#     pushes [limits] exempt_local from its config.
#  b. a router (namespace gw, with mailshield's policy on and a port 25
#     listener of its own) forwards port 25 to a server namespace (srv,
#     policy on: the MTA protects itself): routed sessions work and gw
#     counts nothing for them (an old module dropped their ACKs as wrong
#     cookies of gw's own listener).
#  c. DNAT in gw sends gw's address:25 to the server although a local
#     process listens there too (docker-proxy style): the client reaches
#     the server, gw leaves the connection alone.
#  d. DNAT to the real Postfix in the mail namespace (a containerised MTA):
#     the mail namespace's own module instance stops an SMTP smuggling
#     attempt that came through gw.
#
#   ext eth0 198.51.100.10/28       gw e0 198.51.100.1/28 (+ .2: DNAT to mail)
#        2001:db8:28:1::10/64          2001:db8:28:1::1/64 (+ ::2)
#                                   gw s0 198.51.100.17/28  --- srv eth0 .18
#                                         2001:db8:28:2::1/64        ::18
#                                   gw m0 198.51.100.33/28  --- mail g28 .34
#                                         2001:db8:28:3::1/64        ::34

. "$(dirname "$0")/lib.sh"

msh_dmesg_mark
msh_setup
msh_module_load

DC=$MSH_PY/deployc.py
READY=$MSH_STATE/deploy.ready
srv_pid=

cleanup() {
	[ -z "$srv_pid" ] || kill "$srv_pid" 2>/dev/null || true
	ip netns del ext 2>/dev/null || true
	ip netns del srv 2>/dev/null || true
	ip netns del gw 2>/dev/null || true
	ip -n mail link del g28 2>/dev/null || true
}
trap cleanup EXIT

ctl_quiet() { msh_ctl "$@" >/dev/null; }
ns_ctl() { ip netns exec "$1" "$MSH_CTL" "${@:2}" >/dev/null; }
policy_is() {	# KEY VALUE: the mail namespace's JSON policy has it
	msh_ctl --json policy | msh_json - "j.get(\"$1\")" | grep -qx "$2"
}

# ------------------------------------------------ a. local senders

# the daemon pushes exempt_local from its config
msh_write_conf "[limits]" exempt_local=no
if msh_daemon_running; then
	msh_daemon_hup || true
else
	msh_daemon_start || true
fi
msh_check "mailshieldd pushes [limits] exempt_local = no" \
	policy_is exempt_local false
msh_write_conf
msh_daemon_hup || true
msh_check "mailshieldd pushes the default exempt_local = yes" \
	policy_is exempt_local true

# Limits that any second connection of one source exceeds. Requests
# without exempt_local: a module that lacks it rejects a request that
# carries it, and these limits must apply regardless.
msh_ctl policy set max_conns 1 rate 1 burst 1 >/dev/null
msh_ctl unban 127.0.0.1 >/dev/null 2>&1 || true
al0=$(msh_stats | msh_json - 'j["allowlisted"]')
msh_checks "local senders not limited" \
	python3 "$DC" local 3 127.0.0.1 ::1 "$MAIL4" "$MAIL6"
# no limits (the violations must happen), three violations ban
msh_ctl policy set max_conns 0 rate 0 smtp.violation_ban 3 >/dev/null
msh_checks "local bare LF" python3 "$DC" barelf 127.0.0.1 5
al1=$(msh_stats | msh_json - 'j["allowlisted"]')
if [ "$((al1 - al0))" -ge 18 ]; then
	msh_ok "the 18 local admissions counted as allowlisted"
else
	msh_notok "the 18 local admissions counted as allowlisted" \
		"+$((al1 - al0))"
fi
msh_ctl unban 127.0.0.1 >/dev/null 2>&1 || true

msh_check "policy set exempt_local off" \
	ctl_quiet policy set exempt_local off
msh_ctl policy set max_conns 1 >/dev/null
msh_check "policy shows exempt_local off" policy_is exempt_local false
msh_check "text policy shows exempt_local no" \
	grep -qE '^exempt_local +no$' <<<"$(msh_ctl policy)"
msh_checks "exempt_local off" python3 "$DC" refused 127.0.0.1
msh_ctl policy set exempt_local on >/dev/null 2>&1 || true
msh_ctl policy set max_conns 20 rate 60 burst 20 smtp.violation_ban 5 \
	>/dev/null
msh_check "policy restored (exempt_local on)" policy_is exempt_local true

# ------------------------------------------------ b-d. namespaces

cleanup		# what an interrupted run may have left
ip -batch - <<EOF
netns add ext
netns add gw
netns add srv
link add e0 netns gw type veth peer name eth0 netns ext
link add s0 netns gw type veth peer name eth0 netns srv
link add m0 netns gw type veth peer name g28 netns mail
EOF
ip -n gw -batch - <<EOF
link set lo up
addr add 198.51.100.1/28 dev e0
addr add 198.51.100.2/28 dev e0
addr add 2001:db8:28:1::1/64 dev e0 nodad
addr add 2001:db8:28:1::2/64 dev e0 nodad
addr add 198.51.100.17/28 dev s0
addr add 2001:db8:28:2::1/64 dev s0 nodad
addr add 198.51.100.33/28 dev m0
addr add 2001:db8:28:3::1/64 dev m0 nodad
link set e0 up
link set s0 up
link set m0 up
route add $MAIL4/32 via 198.51.100.34
route add $MAIL6/128 via 2001:db8:28:3::34
EOF
ip -n ext -batch - <<EOF
link set lo up
addr add 198.51.100.10/28 dev eth0
addr add 2001:db8:28:1::10/64 dev eth0 nodad
link set eth0 up
route add default via 198.51.100.1
route add ::/0 via 2001:db8:28:1::1
EOF
ip -n srv -batch - <<EOF
link set lo up
addr add 198.51.100.18/28 dev eth0
addr add 2001:db8:28:2::18/64 dev eth0 nodad
link set eth0 up
route add default via 198.51.100.17
route add ::/0 via 2001:db8:28:2::1
EOF
ip -n mail -batch - <<EOF
addr add 198.51.100.34/28 dev g28
addr add 2001:db8:28:3::34/64 dev g28 nodad
link set g28 up
route add 198.51.100.0/28 via 198.51.100.33
route add 2001:db8:28:1::/64 via 2001:db8:28:3::1
EOF
ip netns exec gw sysctl -qw net.ipv4.ip_forward=1 \
	net.ipv6.conf.all.forwarding=1

# the servers: srv's, and gw's own listener on *:25
rm -f "$READY"
python3 "$DC" serve "$READY" srv:srv gw:gw </dev/null &
srv_pid=$!
msh_wait 20 "deploy servers listening" test -e "$READY" ||
	msh_die "servers did not start"

# The policy is on by default only in the initial namespace: gw protects
# its own listener, srv (the containerised MTA) itself.
for ns in gw srv; do
	msh_check "policy turned on in $ns" ns_ctl "$ns" policy set enabled on
done

# b. routed. Sessions to gw's own listener first: gw answers them with
# its cookies, which puts the listener in cookie mode; an old module then
# took every forwarded ACK to port 25 for a wrong cookie of it.
msh_checks "gw's own listener" python3 "$DC" sessions ext "220 gw" \
	198.51.100.1 2001:db8:28:1::1
msh_checks "routed to srv" python3 "$DC" sessions ext "220 srv" \
	198.51.100.18 2001:db8:28:2::18 --untouched gw --served srv
# a source banned in gw still reaches the server gw routes to
ns_ctl gw ban 198.51.100.10 --for 1h >/dev/null
ns_ctl gw ban 2001:db8:28:1::10 --for 1h >/dev/null
msh_checks "routed to srv, source banned in gw" python3 "$DC" sessions ext \
	"220 srv" 198.51.100.18 2001:db8:28:2::18 --untouched gw --served srv
ns_ctl gw unban 198.51.100.10 >/dev/null
ns_ctl gw unban 2001:db8:28:1::10 >/dev/null

# c. DNAT to srv while gw's own process listens on the same address:port
nat_ok=1
ip netns exec gw nft -f - <<'EOF' || nat_ok=0
table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		ip daddr 198.51.100.1 tcp dport 25 dnat to 198.51.100.18
		ip daddr 198.51.100.2 tcp dport 25 dnat to 192.0.2.25
	}
}
table ip6 nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		ip6 daddr 2001:db8:28:1::1 tcp dport 25 dnat to 2001:db8:28:2::18
		ip6 daddr 2001:db8:28:1::2 tcp dport 25 dnat to 2001:db8::25
	}
}
EOF
if [ "$nat_ok" = 1 ]; then
	msh_ok "nft DNAT rules in gw (ip and ip6 nat)"
	msh_checks "DNAT to srv" python3 "$DC" sessions ext "220 srv" \
		198.51.100.1 2001:db8:28:1::1 --untouched gw --served srv

	# d. DNAT to the real Postfix: the mail namespace protects it
	msh_checks "DNAT to Postfix" python3 "$DC" sessions ext \
		"220 mail.$MSH_DOMAIN" 198.51.100.2 2001:db8:28:1::2 \
		--untouched gw --served mail
	msh_checks "smuggling through DNAT" python3 "$DC" smuggle ext \
		198.51.100.2 "$MSH_MAILLOG" --untouched gw --served mail
else
	msh_notok "nft DNAT rules in gw (ip and ip6 nat)"
fi

cleanup
srv_pid=
msh_check "kernel log clean" msh_dmesg_clean
msh_done
