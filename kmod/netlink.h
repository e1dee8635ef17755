/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The "mailshield" generic netlink family.
 */

#ifndef _MSH_NETLINK_H
#define _MSH_NETLINK_H

#include <net/genetlink.h>

/* Index of each group in the family's mcgrps array. */
enum msh_mcgrp {
	MSH_MCGRP_EVENTS,
};

extern struct genl_family msh_genl_family;

int msh_genetlink_init(void);
void msh_genetlink_uninit(void);

#endif /* _MSH_NETLINK_H */
