#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# A client that reuses the source port of a session the server closed (so
# the server's side is in TIME_WAIT) gets a new session and its banner:
# mailshield hands such SYNs to the stack, which recycles the TIME_WAIT
# socket, instead of answering with a cookie whose ACK would land on the
# old socket. Over IPv4 and IPv6, with SYN cookies on.

. "$(dirname "$0")/lib.sh"

msh_dmesg_mark
msh_setup
msh_module_load
msh_write_conf "[limits]" rate=0 max_conns=0
msh_daemon_start

# reuse FAMILY SERVER PORT: QUIT (Postfix closes first), then connect
# again from the same source port; both sessions must get a 220.
reuse() {
	in_client python3 - "$@" <<'PY'
import socket, sys, time
fam = socket.AF_INET6 if sys.argv[1] == "6" else socket.AF_INET
server, sport = sys.argv[2], int(sys.argv[3])

def session(n):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(20)
    s.bind(("", sport))
    s.connect((server, 25))
    banner = s.recv(512)
    if not banner.startswith(b"220"):
        print(f"session {n}: no banner: {banner!r}")
        sys.exit(1)
    s.sendall(b"QUIT\r\n")
    s.recv(512)
    # wait for the server's FIN so that its side ends in TIME_WAIT
    while s.recv(512):
        pass
    s.close()
    print(f"session {n}: banner and QUIT from port {sport}")

session(1)
time.sleep(0.2)
session(2)
PY
}

tw() { in_mail ss -Htn state time-wait "( sport = :25 )" | wc -l; }
msh_check "IPv4: a reused source port gets a new session" \
	reuse 4 "$MAIL4" 40125
msh_check "IPv6: a reused source port gets a new session" \
	reuse 6 "$MAIL6" 40126
echo "# TIME_WAIT sockets on port 25 in the mail host: $(tw)"

new=$(msh_dmesg_new)
clean() { ! grep -E "$MSH_DMESG_RE" <<<"$new"; }
msh_check "kernel log has no WARN/BUG" clean

msh_done
