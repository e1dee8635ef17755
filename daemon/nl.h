/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * libnl client for the "mailshield" generic netlink family, shared by
 * mailshieldd and mailshieldctl.
 *
 * Every function returns 0 on success or a negative errno. Requests are
 * sent with NLM_F_REQUEST | NLM_F_ACK and wait for the kernel's ACK, so a
 * rejected request always surfaces as an error; when the kernel attached an
 * extended ACK message, msh_nl_extack() returns it until the next request.
 */
#ifndef MSH_NL_H
#define MSH_NL_H

#include <stdbool.h>
#include <stdint.h>

#include "counters.h"

struct msh_nl;
struct nl_msg;

/* Printed by both programs when the family is missing (exit code 3). */
#define MSH_NL_NOT_LOADED_MSG \
	"mailshield kernel module is not loaded (generic netlink family " \
	"\"mailshield\" not found); load it with: modprobe mailshield " \
	"(or insmod kmod/mailshield.ko from the source tree)"

/*
 * Connect to generic netlink and resolve the family. Returns -ENOENT when
 * the family does not exist (module not loaded); any other negative errno
 * means generic netlink itself is unusable.
 */
int msh_nl_open(struct msh_nl **out);
void msh_nl_close(struct msh_nl *nl);

/* Re-resolve the family id (after the module was reloaded). */
int msh_nl_reresolve(struct msh_nl *nl);

/* Extended ACK text of the last failed request, "" if none. */
const char *msh_nl_extack(const struct msh_nl *nl);

int msh_nl_family_id(const struct msh_nl *nl);
/* Family version from the generic netlink controller. */
int msh_nl_family_version(struct msh_nl *nl, unsigned int *version);

int msh_req_get_policy(struct msh_nl *nl, struct msh_knobs *p);
/* Sends only the knobs whose bit is set. */
int msh_req_set_policy(struct msh_nl *nl, const struct msh_knobs *p);
int msh_req_get_stats(struct msh_nl *nl, struct msh_counters *s);

/*
 * Lower level, for tests and further commands: open a client of any
 * family (name must outlive the handle), build a request with
 * NLM_F_REQUEST | NLM_F_ACK, send it and wait for the ACK (any reply
 * message is ignored). The caller frees msg.
 */
int msh_nl_open_family(struct msh_nl **out, const char *name);
struct nl_msg *msh_nl_new_request(struct msh_nl *nl, int cmd, int version);
/* The same with room for size bytes (0: libnl's default, one page). */
struct nl_msg *msh_nl_new_request_size(struct msh_nl *nl, int cmd,
				       int version, size_t size);
int msh_nl_transact(struct msh_nl *nl, struct nl_msg *msg);
/*
 * Like msh_nl_transact(), and parse() is called with the top-level
 * attributes of every reply message (one per entry of a dump).
 */
struct nlattr;
int msh_nl_request(struct msh_nl *nl, struct nl_msg *msg, int cmd,
		   int (*parse)(struct nlattr **tb, void *arg), void *arg);
/*
 * The event socket (nlsock.c): read every pending message, calling valid()
 * for each; 0 once nothing is left, or a negative errno (-ENOBUFS: events
 * were lost).
 */
int msh_nl_events_recv(struct msh_nl *nl,
		       int (*valid)(struct nl_msg *msg, void *arg), void *arg);
/* The top-level attribute policy of every message of the family. */
struct nla_policy;
const struct nla_policy *msh_nl_top_policy(void);

/* Append MAILSHIELD_A_POLICY with the knobs of kn that are set. */
int msh_req_put_policy(struct nl_msg *msg, const struct msh_knobs *kn);

/* Events */
enum msh_event_kind {
	MSH_EV_KERNEL,		/* MAILSHIELD_CMD_EVENT from the module */
	MSH_EV_FAMILY_NEW,	/* the module registered its family */
	MSH_EV_FAMILY_DEL,	/* the module went away */
};

struct msh_event {
	enum msh_event_kind kind;
	uint32_t type;		/* enum mailshield_event_type */
	uint32_t suppressed;
	bool has_policy;
	struct msh_knobs policy;
	/* BAN / UNBAN events */
	struct msh_ban_msg ban;
	/* VIOLATION events: address and reason in ban, the rest here */
	struct msh_viol_msg viol;
};

typedef void (*msh_event_cb)(const struct msh_event *ev, void *arg);

/*
 * Open a second, non-blocking socket joined to the family's "events"
 * group and to the generic netlink controller's "notify" group (module
 * load/unload). Its fd is for poll().
 */
int msh_nl_events_open(struct msh_nl *nl);
int msh_nl_events_fd(const struct msh_nl *nl);
/* Join the "events" group again after the module was reloaded. */
int msh_nl_events_rejoin(struct msh_nl *nl);
/*
 * Read every pending event and call cb for each. Returns 0, -ENOBUFS when
 * the socket overflowed (events were lost; reading can go on), or another
 * negative errno.
 */
int msh_nl_events_read(struct msh_nl *nl, msh_event_cb cb, void *arg);

/*
 * Decode one multicast message. Returns 1 and fills ev for an event of
 * interest, 0 for a message to ignore, a negative errno for a malformed
 * one. family_id is the current id of the mailshield family.
 */
int msh_nl_parse_event(struct nl_msg *msg, int family_id,
		       struct msh_event *ev);

#endif /* MSH_NL_H */
