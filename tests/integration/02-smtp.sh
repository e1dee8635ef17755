#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Real SMTP sessions (swaks) from the client namespace to Postfix on port
# 25, over IPv4 and IPv6, with the module loaded: accepted, queued and
# delivered to the user's mailbox.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_module_load
# Postfix's own configuration check forks hundreds of times (a minute or
# more in the emulated guest): opt-in, in the background.
if [ "${MSH_POSTFIX_CHECK:-0}" = 1 ]; then
	postfix check >"$MSH_STATE/postfix-check.log" 2>&1 &
	pcheck=$!
fi

n0=$(msh_mail_count)
for server in "$MAIL4" "$MAIL6"; do
	subj="mailshield 02-smtp via $server $RANDOM"
	out=$(msh_swaks --server "$server" --header "Subject: $subj" \
		--body "Delivered through mailshield." 2>&1) || true
	echo "$out" | sed 's/^/#   /'
	queued() { grep -q '^<-  250 2.0.0 Ok: queued' <<<"$out"; }
	msh_check "swaks to $server:25 accepted and queued" queued
	n0=$((n0 + 1))
	if msh_wait_mail "$n0" 60; then
		msh_ok "message via $server in the mailbox"
	else
		msh_notok "message via $server in the mailbox" \
			"$(msh_mail_count) message(s)"
		tail -n 20 "$MSH_MAILLOG" | sed 's/^/#   /'
	fi
	msh_check "subject of the message via $server" \
		grep -qF "Subject: $subj" "$MSH_MBOX"
done
msh_check "module still loaded" msh_module_loaded
if [ "${MSH_POSTFIX_CHECK:-0}" = 1 ]; then
	pc_rc=0
	wait "$pcheck" || pc_rc=$?
	sed 's/^/#   postfix check: /' "$MSH_STATE/postfix-check.log"
	msh_check_eq "postfix check passes on the test configuration" 0 "$pc_rc"
else
	echo "# postfix check skipped (MSH_POSTFIX_CHECK=1 runs it)"
fi

msh_done
