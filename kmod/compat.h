/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Every difference between kernel versions is handled here and only here.
 * The reference target is Debian's 6.1.y (6.1.192), which carries
 * backports that plain 6.1 does not have; where a backported feature can
 * be detected by the symbol it introduces, that is tested instead of the
 * version number.
 */

#ifndef _MSH_COMPAT_H
#define _MSH_COMPAT_H

#include <net/genetlink.h>

/*
 * GENL_MCAST_CAP_NET_ADMIN (upstream 6.7, backported to Debian's 6.1.y)
 * makes binding to a multicast group require CAP_NET_ADMIN in the user
 * namespace of the socket's network namespace. Kernels without it let any
 * user listen to the events group.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define MSH_GENL_MCGRP(grp_name)					\
	{ .name = grp_name, .flags = GENL_MCAST_CAP_NET_ADMIN }
#else
#define MSH_GENL_MCGRP(grp_name)					\
	{ .name = grp_name }
#endif

#endif /* _MSH_COMPAT_H */
