#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Guest side of tests/vm/demo.sh: mailshield in front of a real Postfix,
# a few real mails from the client namespace, the live counters and the
# delivered mailbox. Output goes to /msh/out/demo.log, which the host
# prints as it grows.

exec >>"${MSH_OUT:-/msh/out}/demo.log" 2>&1
. "$MSH_REPO/tests/integration/lib.sh"

say() {
	echo
	echo "=== $*"
}
indent() {
	sed 's/^/    /'
}

say "Guest up: Debian kernel $(uname -r), $(nproc) CPUs, no network device (QEMU -nic none)"
echo "    namespaces: client $CLIENT4 / $CLIENT6 -> mail (MTA on $MAIL4 / $MAIL6)"
msh_setup
echo "    Postfix $(postconf -h mail_version) listening in the mail namespace on 25, 587, 2525"

say "Loading the mailshield module (insmod kmod/mailshield.ko)"
msh_module_load
grep '^mailshield ' /proc/modules | indent
msh_write_conf
msh_daemon_start
say "mailshieldd started with $MSH_CONF:"
grep -v '^#' "$MSH_CONF" | indent
echo "    syslog:"
grep mailshieldd "$MSH_SYSLOG" | tail -n 3 | indent

say "mailshieldctl status"
msh_ctl status | indent

say "Mail 1: swaks from the client over IPv4, full SMTP dialogue"
msh_swaks --header "Subject: Hello through mailshield (IPv4)" \
	--body "This message crossed the mailshield netfilter hooks." 2>&1 | indent

say "Mail 2: swaks over IPv6"
msh_swaks --server "$MAIL6" --header "Subject: Hello through mailshield (IPv6)" \
	--body "Same path, IPv6 this time." 2>&1 | grep -E '^(<-|\*\*\*) ' |
	grep -E '220|250 2.0.0|221|\*\*\*' | indent

say "Mail 3: swaks over IPv4 with a 15 kB body (250 lines)"
body=$(for i in $(seq 250); do printf 'line %03d of a longer message body, kept under 1000 octets.\n' "$i"; done)
msh_swaks --header "Subject: A longer message" --body "$body" 2>&1 |
	grep -E '^(<-|\*\*\*) ' | grep -E '220|250 2.0.0|221|\*\*\*' | indent

msh_wait_mail 3 60 || echo "    (mailbox has $(msh_mail_count) message(s))"

say "Attacks from the client: each one is stopped before Postfix sees it"
python3 "$MSH_PY/smtpattack.py" check "$MAIL4" "$MSH_MAILLOG" ehlo600 \
	rcpt5000 data40000 smuggle_lf_lf 2>&1 |
	python3 -c 'import json, sys
for line in sys.stdin:
    if line.startswith("# {"):
        r = json.loads(line[2:])
        last = r.get("replies", ["?"])[-1]
        print("%14s: the client got %r" % (r["attack"], last))
    elif line.startswith(("ok", "not ok")) and "never reached" in line:
        print(" " * 16 + line.strip())' | indent
echo "    syslog:"
grep 'event=violation' "$MSH_SYSLOG" | tail -n 3 | indent

say "Live counters (mailshieldctl stats, mail namespace)"
msh_ctl stats | indent

say "Delivered to /var/mail/$MSH_USER ($(msh_mail_count) messages)"
awk '/^From /{n++; print ""; print "  message " n ":"} 
     /^(From|Subject|Received: from|Date):? /{print "    " $0}
     /^\tby /{print "    " $0}' "$MSH_MBOX"

say "Postfix log (last lines)"
tail -n 6 "$MSH_MAILLOG" | indent
echo
