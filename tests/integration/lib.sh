# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Helpers for the integration tests. They run inside the test VM (see
# tests/vm/), as root, with the host's tools visible through the 9p overlay.
# Source this file at the top of a test: it sets `set -euo pipefail`.
#
# Topology (msh_setup), every address a documentation/benchmark range:
#
#   client ns                mail ns                     attacker ns
#   eth0 192.0.2.10/26  ---  mc0 192.0.2.1/26
#        2001:db8:1::10/64       2001:db8:1::1/64
#                            ma0 192.0.2.65/26      ---  eth0 192.0.2.66/26
#                                2001:db8:2::1/64             (+ .67-.70)
#                                                             2001:db8:2::66/64
#                            lo  192.0.2.25/32, 2001:db8::25/128  (the MTA)
#                            198.18.0.0/15 and 2001:2::/48 routed to the
#                            attacker (spoofed-source floods come back there)
#
# Postfix runs in "mail" on ports 25, 587 (plain smtpd) and 2525 (a port
# mailshield does not protect by default) and delivers example.test mail
# to the local user "msuser" (/var/mail/msuser).

set -euo pipefail
if [ "${MSH_TRACE:-0}" = 1 ]; then
	PS4='+ ${EPOCHREALTIME} '
	set -x
fi

MSH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MSH_REPO=${MSH_REPO:-$(cd "$MSH_LIB_DIR/../.." && pwd)}
MSH_TEST_NAME=${MSH_TEST_NAME:-$(basename "$0" .sh)}
MSH_SUBRESULTS=${MSH_SUBRESULTS:-/dev/null}

MSH_PY=$MSH_LIB_DIR
export MSH_REPO
MSH_KO=$MSH_REPO/kmod/mailshield.ko
MSH_D=$MSH_REPO/daemon/mailshieldd
MSH_CTL=$MSH_REPO/daemon/mailshieldctl
MSH_CONF=/etc/mailshield/mailshield.conf
MSH_SYSLOG=/var/log/messages
MSH_MAILLOG=/var/log/postfix.log
MSH_USER=msuser
MSH_DOMAIN=example.test
MSH_MBOX=/var/mail/$MSH_USER

MAIL4=192.0.2.25
MAIL6=2001:db8::25
CLIENT4=192.0.2.10
CLIENT6=2001:db8:1::10
ATTACKER4=192.0.2.66
ATTACKER6=2001:db8:2::66
SPOOF4_NET=198.18.0.0/15
SPOOF6_NET=2001:2::/48

MSH_STATE=/run/msh
mkdir -p "$MSH_STATE"

# ---------------------------------------------------------------- results

MSH_NFAIL=0

# msh_ok DESC / msh_notok DESC [DETAIL...]: record one sub-result.
msh_ok() {
	echo "ok - vm: $MSH_TEST_NAME: $1"
	echo "ok - vm: $MSH_TEST_NAME: $1" >>"$MSH_SUBRESULTS"
}

msh_notok() {
	local d=$1
	shift
	MSH_NFAIL=$((MSH_NFAIL + 1))
	echo "not ok - vm: $MSH_TEST_NAME: $d"
	echo "not ok - vm: $MSH_TEST_NAME: $d" >>"$MSH_SUBRESULTS"
	[ $# -eq 0 ] || echo "#   $*"
}

# msh_check DESC CMD...: run CMD, record ok if it exits 0.
msh_check() {
	local d=$1
	shift
	echo "# check: $d: $*"
	if "$@"; then
		msh_ok "$d"
	else
		msh_notok "$d" "command failed: $*"
	fi
}

# msh_check_eq DESC EXPECTED ACTUAL
msh_check_eq() {
	if [ "$2" = "$3" ]; then
		msh_ok "$1"
	else
		msh_notok "$1" "expected '$2', got '$3'"
	fi
}

# msh_record < <(CMD): turn "ok DESC" / "not ok DESC: detail" lines from
# CMD into sub-results; other lines are echoed. Process substitution, not
# a pipe, so that the failure count survives.
msh_record() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok "*) msh_ok "${line#ok }" ;;
		"not ok "*) msh_notok "${line#not ok }" ;;
		*) echo "$line" ;;
		esac
	done
}

# msh_checks DESC CMD...: run CMD (a checker printing ok/not ok lines),
# record its lines; if it fails without reporting a failed check (a crash),
# record "DESC" as failed.
msh_checks() {
	local d=$1 out=$MSH_STATE/checks.$BASHPID rc=0 nfail=$MSH_NFAIL
	shift
	echo "# checks: $d: $*"
	"$@" >"$out" 2>&1 || rc=$?
	msh_record <"$out"
	rm -f "$out"
	if [ "$rc" != 0 ] && [ "$MSH_NFAIL" = "$nfail" ]; then
		msh_notok "$d" "exit status $rc"
	fi
}

# msh_done: end of a test; its exit status says whether all checks passed.
msh_done() {
	if [ "$MSH_NFAIL" -ne 0 ]; then
		echo "# $MSH_NFAIL check(s) failed"
		exit 1
	fi
	exit 0
}

msh_die() {
	echo "# FATAL: $*" >&2
	exit 1
}

# msh_sleep SECONDS: sleep without forking (read -t on a private FIFO);
# process creation is the dominant cost in the emulated guest.
if [ ! -p "$MSH_STATE/sleep.fifo" ]; then
	mkfifo "$MSH_STATE/sleep.fifo"
fi
exec {MSH_SLEEP_FD}<>"$MSH_STATE/sleep.fifo"
msh_sleep() {
	read -r -t "$1" -u "$MSH_SLEEP_FD" _ || true
}

# msh_now_ms: milliseconds since the epoch, without forking.
msh_now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# msh_wait SECONDS DESC CMD...: poll CMD every 0.2 s until it succeeds;
# fail (return 1, message on stderr) after SECONDS.
msh_wait() {
	local secs=$1 d=$2 t end
	shift 2
	t=${EPOCHREALTIME/./}
	end=$((t / 1000 + secs * 1000))
	while ! "$@" >/dev/null 2>&1; do
		t=${EPOCHREALTIME/./}
		if [ $((t / 1000)) -ge "$end" ]; then
			echo "# timed out after ${secs}s waiting for: $d" >&2
			return 1
		fi
		msh_sleep 0.2
	done
}

# ------------------------------------------------------------- namespaces

in_mail() { ip netns exec mail "$@"; }
in_client() { ip netns exec client "$@"; }
in_attacker() { ip netns exec attacker "$@"; }

# A long-lived process in each namespace: /proc/<pid>/net/* shows that
# namespace's sockets without forking into it.
msh_ns_pid() {
	cat "$MSH_STATE/anchor.$1"
}

# msh_listening NS PORT: a TCP listener (IPv4 or IPv6) on PORT in NS.
msh_listening() {
	local hex f pid sl local rem st rest
	pid=$(<"$MSH_STATE/anchor.$1")
	printf -v hex ':%04X' "$2"
	for f in /proc/"$pid"/net/tcp /proc/"$pid"/net/tcp6; do
		while read -r sl local rem st rest; do
			[[ "$local" == *"$hex" && "$st" == 0A ]] && return 0
		done <"$f"
	done
	return 1
}

msh_topology() {
	[ -e /run/netns/mail ] && return 0
	local ns i
	# new namespaces copy these (no DAD: addresses usable at once)
	sysctl -qw net.core.devconf_inherit_init_net=1 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	{
		for ns in mail client attacker; do
			echo "netns add $ns"
		done
		echo "link add mc0 netns mail type veth peer name eth0 netns client"
		echo "link add ma0 netns mail type veth peer name eth0 netns attacker"
	} | ip -batch -
	ip -n mail -batch - <<EOF
link set lo up
addr add $MAIL4/32 dev lo
addr add $MAIL6/128 dev lo nodad
addr add 192.0.2.1/26 dev mc0
addr add 2001:db8:1::1/64 dev mc0 nodad
addr add 192.0.2.65/26 dev ma0
addr add 2001:db8:2::1/64 dev ma0 nodad
link set mc0 up
link set ma0 up
route add $SPOOF4_NET via $ATTACKER4 dev ma0
route add $SPOOF6_NET via $ATTACKER6 dev ma0
EOF
	ip -n client -batch - <<EOF
link set lo up
addr add $CLIENT4/26 dev eth0
addr add $CLIENT6/64 dev eth0 nodad
link set eth0 up
route add default via 192.0.2.1
route add ::/0 via 2001:db8:1::1
EOF
	{
		echo "link set lo up"
		echo "addr add $ATTACKER4/26 dev eth0"
		for i in 67 68 69 70; do
			echo "addr add 192.0.2.$i/26 dev eth0"
		done
		echo "addr add $ATTACKER6/64 dev eth0 nodad"
		echo "link set eth0 up"
		echo "route add default via 192.0.2.65"
		echo "route add ::/0 via 2001:db8:2::1"
	} | ip -n attacker -batch -
	for ns in mail client attacker; do
		setsid ip netns exec "$ns" busybox sleep 2147483647 \
			</dev/null >/dev/null 2>&1 &
		echo $! >"$MSH_STATE/anchor.$ns"
	done
}

# ----------------------------------------------------------------- syslog

msh_syslog_start() {
	if [ -f "$MSH_STATE/syslogd.pid" ] &&
	   kill -0 "$(cat "$MSH_STATE/syslogd.pid")" 2>/dev/null; then
		return 0
	fi
	mkdir -p /var/log
	: >>"$MSH_SYSLOG"
	# own session: it outlives the test that started it
	setsid busybox syslogd -n -O "$MSH_SYSLOG" </dev/null \
		>/dev/null 2>&1 &
	echo $! >"$MSH_STATE/syslogd.pid"
	msh_wait 10 "syslogd socket" test -S /dev/log
}

# ---------------------------------------------------------------- postfix

msh_postfix_config() {
	[[ $'\n'$(</etc/passwd) == *$'\n'"$MSH_USER":* ]] ||
		useradd -m -s /bin/sh "$MSH_USER"
	install -o "$MSH_USER" -g mail -m 660 /dev/null "$MSH_MBOX"
	: >>"$MSH_MAILLOG"

	cat >/etc/postfix/main.cf <<EOF
# written by tests/integration/lib.sh (test VM only)
compatibility_level = 3.6
myhostname = mail.$MSH_DOMAIN
mydomain = $MSH_DOMAIN
myorigin = \$mydomain
mydestination = $MSH_DOMAIN, mail.$MSH_DOMAIN, localhost
inet_interfaces = all
inet_protocols = all
mynetworks = 127.0.0.0/8 [::1]/128 192.0.2.0/24 [2001:db8::]/32
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions =
smtpd_client_restrictions =
smtpd_helo_restrictions =
smtpd_sender_restrictions =
smtpd_peername_lookup = no
smtpd_banner = \$myhostname ESMTP
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 1000
smtpd_hard_error_limit = 1000
smtpd_junk_command_limit = 1000
smtpd_client_connection_count_limit = 0
smtpd_tls_security_level = none
smtp_tls_security_level = none
smtp_dns_support_level = disabled
smtputf8_enable = no
biff = no
append_dot_mydomain = no
alias_maps =
alias_database =
local_recipient_maps = proxy:unix:passwd.byname
mail_spool_directory = /var/mail
mailbox_size_limit = 0
default_process_limit = 50
maillog_file = $MSH_MAILLOG
queue_run_delay = 10s
EOF
	# no chroot: the guest's view of the host root is all there is
	cat >/etc/postfix/master.cf <<'EOF'
# written by tests/integration/lib.sh (test VM only)
smtp       inet  n  -  n  -  -  smtpd
587        inet  n  -  n  -  -  smtpd
2525       inet  n  -  n  -  -  smtpd
pickup     unix  n  -  n  60 1  pickup
cleanup    unix  n  -  n  -  0  cleanup
qmgr       unix  n  -  n  300 1 qmgr
rewrite    unix  -  -  n  -  -  trivial-rewrite
bounce     unix  -  -  n  -  0  bounce
defer      unix  -  -  n  -  0  bounce
trace      unix  -  -  n  -  0  bounce
verify     unix  -  -  n  -  1  verify
flush      unix  n  -  n  1000? 0 flush
proxymap   unix  -  -  n  -  -  proxymap
proxywrite unix  -  -  n  -  1  proxymap
smtp       unix  -  -  n  -  -  smtp
relay      unix  -  -  n  -  -  smtp
showq      unix  n  -  n  -  -  showq
error      unix  -  -  n  -  -  error
retry      unix  -  -  n  -  -  error
discard    unix  -  -  n  -  -  discard
local      unix  -  n  n  -  -  local
virtual    unix  -  n  n  -  -  virtual
lmtp       unix  -  -  n  -  -  lmtp
anvil      unix  -  -  n  -  1  anvil
scache     unix  -  -  n  -  1  scache
postlog    unix-dgram n - n -  1  postlogd
EOF
	# the full "postfix check" forks hundreds of times: opt-in
	if [ "${MSH_POSTFIX_CHECK:-0}" = 1 ]; then
		postfix check
	fi
}

MSH_POSTFIX_PID=/var/spool/postfix/pid/master.pid

msh_postfix_running() {
	local pid
	[ -f "$MSH_POSTFIX_PID" ] || return 1
	read -r pid <"$MSH_POSTFIX_PID" || return 1
	kill -0 "$pid" 2>/dev/null
}

# Postfix's master, started directly (not through postfix-script, which
# costs seconds of forks in the emulated guest), in the mail namespace.
msh_postfix_start() {
	if msh_postfix_running; then
		return 0
	fi
	msh_postfix_config
	in_mail /usr/lib/postfix/sbin/master -w
	msh_wait 30 "postfix listening on 25" msh_listening mail 25
	msh_wait 10 "postfix listening on 2525" msh_listening mail 2525
}

# msh_mail_count: number of messages in the test user's mailbox.
msh_mail_count() {
	grep -c '^From ' "$MSH_MBOX" 2>/dev/null || true
}

msh_mail_atleast() {
	[ "$(msh_mail_count)" -ge "$1" ]
}

# msh_wait_mail N [SECONDS]: wait until the mailbox holds N messages.
msh_wait_mail() {
	msh_wait "${2:-30}" "$1 message(s) in $MSH_MBOX" msh_mail_atleast "$1"
}

# msh_swaks [ARGS...]: one SMTP session with swaks from the client to the
# MTA (IPv4 port 25 unless ARGS say otherwise); output to stdout.
msh_swaks() {
	in_client swaks --server "$MAIL4" --port 25 \
		--from "sender@client.test" --to "$MSH_USER@$MSH_DOMAIN" \
		--helo client.test --timeout 20 "$@"
}

# ------------------------------------------------------ module and daemon

msh_module_loaded() {
	local name rest
	while read -r name rest; do
		[ "$name" = mailshield ] && return 0
	done </proc/modules
	return 1
}

# msh_module_load: load the module (and what it depends on) if it is not
# loaded, and turn its policy on in the mail namespace: the policy is on by
# default only in the initial namespace.
msh_module_load() {
	if ! msh_module_loaded; then
		[ -f "$MSH_KO" ] || msh_die "$MSH_KO not built"
		local deps d
		deps=$(modinfo -F depends "$MSH_KO")
		deps=${deps//,/ }
		for d in $deps; do
			modprobe "$d"
		done
		insmod "$MSH_KO" || return 1
	fi
	if [ -e /run/netns/mail ]; then
		msh_ctl policy set enabled on >/dev/null
	fi
}

msh_module_unload() {
	msh_module_loaded || return 0
	msh_daemon_stop
	rmmod mailshield
}

# msh_write_conf [KEY=VALUE | [SECTION]]...: write $MSH_CONF. Keys go to
# [general] until a "[SECTION]" argument starts another section; enabled
# and ports default to yes and 25, 587, 465.
msh_write_conf() {
	local enabled=yes ports="25, 587, 465" kv sect=general
	local -a general=() rest=()
	for kv in "$@"; do
		case $kv in
		\[*\]) sect=$kv; rest+=("" "$kv") ;;
		*=*)
			if [ "$sect" != general ]; then
				rest+=("${kv%%=*} = ${kv#*=}")
			elif [ "${kv%%=*}" = enabled ]; then
				enabled=${kv#*=}
			elif [ "${kv%%=*}" = ports ]; then
				ports=${kv#*=}
			else
				general+=("${kv%%=*} = ${kv#*=}")
			fi
			;;
		*) msh_die "msh_write_conf: bad argument '$kv'" ;;
		esac
	done
	mkdir -p "$(dirname "$MSH_CONF")"
	{
		echo "# written by tests/integration/lib.sh"
		echo "[general]"
		echo "enabled = $enabled"
		echo "ports = $ports"
		[ ${#general[@]} -eq 0 ] || printf '%s\n' "${general[@]}"
		[ ${#rest[@]} -eq 0 ] || printf '%s\n' "${rest[@]}"
	} >"$MSH_CONF"
}

msh_daemon_running() {
	[ -f "$MSH_STATE/mailshieldd.pid" ] &&
		kill -0 "$(cat "$MSH_STATE/mailshieldd.pid")" 2>/dev/null
}

# msh_daemon_start: run mailshieldd in the mail namespace (in the background,
# stderr to $MSH_STATE/mailshieldd.err) and wait until it pushed its policy
# (the event=policy line in syslog).
msh_daemon_start() {
	msh_daemon_running && return 0
	[ -f "$MSH_CONF" ] || msh_write_conf
	local before
	before=$(msh_syslog_count 'mailshieldd.*event=policy')
	# not through in_mail: $! must be the daemon itself
	ip netns exec mail "$MSH_D" -c "$MSH_CONF" -s </dev/null \
		>>"$MSH_STATE/mailshieldd.err" 2>&1 &
	echo $! >"$MSH_STATE/mailshieldd.pid"
	msh_wait 20 "mailshieldd pushed its policy" \
		msh_syslog_more 'mailshieldd.*event=policy' "$before" || {
		cat "$MSH_STATE/mailshieldd.err" >&2
		return 1
	}
}

# msh_gone PID: the process no longer exists.
msh_gone() {
	! kill -0 "$1" 2>/dev/null
}

msh_daemon_stop() {
	msh_daemon_running || return 0
	local pid
	pid=$(cat "$MSH_STATE/mailshieldd.pid")
	kill "$pid" 2>/dev/null || true
	msh_wait 10 "mailshieldd exits" msh_gone "$pid" ||
		kill -9 "$pid" 2>/dev/null || true
	rm -f "$MSH_STATE/mailshieldd.pid"
}

# msh_daemon_hup: reload; waits for a new event=policy line.
msh_daemon_hup() {
	local before
	before=$(msh_syslog_count 'mailshieldd.*event=policy')
	kill -HUP "$(cat "$MSH_STATE/mailshieldd.pid")"
	msh_wait 20 "mailshieldd reloaded" \
		msh_syslog_more 'mailshieldd.*event=policy' "$before"
}

msh_syslog_count() {
	grep -cE "$1" "$MSH_SYSLOG" 2>/dev/null || true
}

msh_syslog_more() {
	[ "$(msh_syslog_count "$1")" -gt "$2" ]
}

# msh_ctl ARGS...: mailshieldctl in the mail namespace.
msh_ctl() {
	in_mail "$MSH_CTL" "$@"
}

# msh_stats: the JSON stats object on one line.
msh_stats() {
	msh_ctl --json stats
}

# msh_json FILE|- EXPR: evaluate a python expression on the parsed JSON
# (bound to j), e.g. msh_json - 'j["rx_syn"]'.
msh_json() {
	python3 -c 'import json,sys
f = sys.stdin if sys.argv[1] == "-" else open(sys.argv[1])
j = json.load(f)
r = eval(sys.argv[2])
print(json.dumps(r) if isinstance(r, (list, dict, bool)) else r)' "$@"
}

# msh_setup: the topology, syslog and Postfix (idempotent: the first test
# of a VM run builds them, later tests reuse them).
msh_setup() {
	msh_topology
	msh_syslog_start
	msh_postfix_start
}

# Kernel messages since the test started that look like trouble.
MSH_DMESG_RE='WARNING:|BUG:|Oops|Call Trace|general protection|refcount_t|UBSAN|KASAN'
msh_dmesg_mark() {
	MSH_DMESG_START=$(dmesg | wc -l)
}
msh_dmesg_new() {
	dmesg | tail -n +"$((${MSH_DMESG_START:-0} + 1))"
}
msh_dmesg_clean() {
	! msh_dmesg_new | grep -E "$MSH_DMESG_RE"
}
