// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "version.h"
#include "netlink.h"
#include "netns.h"
#include "state.h"

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>

/*
 * Per-namespace state (and the hooks) exist before the genl family is
 * visible, so every request finds its namespace's state.
 */
static int __init msh_mod_init(void)
{
	int ret;

	ret = msh_netns_init();
	if (ret)
		goto err_netns;

	ret = msh_genetlink_init();
	if (ret)
		goto err_netlink;

	pr_info("version " MSH_VERSION " loaded\n");
	return 0;

err_netlink:
	msh_netns_uninit();
err_netns:
	return ret;
}

/*
 * Reverse order. Unregistering the family first stops events and waits
 * for netlink handlers in flight, so none can touch namespace state that
 * goes away next. Unregistering the pernet operations then unhooks every
 * namespace, waits an RCU grace period for hooks in flight and frees the
 * state.
 *
 * The RCU callbacks still pending afterwards (kfree_rcu() of replaced
 * policies, netfilter's own frees of hook arrays) run no module code, so
 * the module could go without waiting for them; rcu_barrier() keeps unload
 * safe for call_rcu() users added later, at the cost of one wait.
 */
static void __exit msh_mod_exit(void)
{
	msh_genetlink_uninit();
	msh_netns_uninit();
	rcu_barrier();
}

module_init(msh_mod_init);
module_exit(msh_mod_exit);
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("mailshield: in-kernel protection for SMTP servers");
MODULE_AUTHOR("The mailshield authors");
MODULE_VERSION(MSH_VERSION);
