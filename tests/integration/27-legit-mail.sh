#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Never refuse legitimate mail. Real-world messages that bend RFC 5322
# (legitmail.py) go through the module to Postfix under the default
# policy: HTML bodies with lines of 998, 1000, 1500, 2420 and 20000
# octets, long Subject and References headers folded over many lines, an
# 8-bit body (BODY=8BITMIME), a base64 attachment with 76-character
# lines, a body with a lone "." line (dot-stuffed on the wire). Each gets
# 250 and is delivered intact, and no violation is counted, not even a
# logged one. Then with the strict text_line of RFC 5321 (1000) the
# 1500-octet line is refused with 500 5.5.2 and never delivered; the
# default is restored and the same message goes through again.

. "$(dirname "$0")/lib.sh"

msh_setup
msh_dmesg_mark
msh_module_load

LM=$MSH_LIB_DIR/legitmail.py
NLS=$MSH_LIB_DIR/nlsmtp.py
TAG=msh27-$RANDOM$RANDOM

legit_restore() {
	in_mail python3 "$NLS" set text_line=default violation_ban=default \
		>/dev/null 2>&1 || true
}
trap legit_restore EXIT
trap 'exit 143' TERM

# policy_value KEY: the module's current SMTP policy value of KEY
policy_value() {
	in_mail python3 "$NLS" get | msh_json - "j[\"$1\"]"
}

# Whatever earlier tests did, this one starts from the defaults.
in_mail python3 "$NLS" set text_line=default violation_ban=default
msh_check_eq "default text_line is 32768" 32768 "$(policy_value text_line)"

# 1. the default policy takes real mail
msh_checks "legitimate mail over IPv4" in_mail python3 "$LM" send \
	"$TAG" "$MAIL4"
msh_checks "legitimate mail over IPv6" in_mail python3 "$LM" send \
	"$TAG" "$MAIL6" html2420 html20000 base64

# 2. strict: RFC 5321's 1000 octets per DATA line. No ban from this
# client's one violation: later tests send from it.
in_mail python3 "$NLS" set text_line=1000 violation_ban=0
msh_check_eq "strict text_line set" 1000 "$(policy_value text_line)"
msh_checks "strict text_line refuses the 1500-octet line" in_mail python3 \
	"$LM" refuse "$TAG-strict" "$MAIL4" html1500

# 3. back to the default: the same message is accepted again
in_mail python3 "$NLS" set text_line=default violation_ban=default
msh_check_eq "default text_line restored" 32768 "$(policy_value text_line)"
msh_checks "the 1500-octet line accepted again" in_mail python3 "$LM" send \
	"$TAG-again" "$MAIL4" html1500
# delivered after the refused one would have been: it is not there
msh_checks "refused message never delivered" in_mail python3 "$LM" absent \
	"$TAG-strict" html1500

msh_check "module still loaded" msh_module_loaded
msh_dmesg_clean && msh_ok "no kernel warnings" || msh_notok "no kernel warnings"
msh_done
