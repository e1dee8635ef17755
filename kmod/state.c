// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The lifetime of the per-namespace state (struct msh_net, netns.h): the
 * pernet operations, and the tables made when a namespace first needs
 * them.
 */

#include "state.h"
#include "admit.h"
#include "compat.h"
#include "hooks.h"
#include "inspect.h"
#include "netns.h"

#include <linux/errno.h>
#include <linux/netdevice.h>
#include <linux/timekeeping.h>

/*
 * Frees the tables, if they were made; the hooks are gone. The flows go
 * first: they hold slots of the source table.
 */
static void msh_net_tables_put(struct msh_net *mn)
{
	if (!mn->tables_ready)
		return;
	msh_defrag6_disable(mn->net);
	msh_defrag4_disable(mn->net);
	msh_inspect_net_exit(mn);
	msh_admit_tables_exit(mn);
	msh_stats_free(mn->stats);
	mn->stats = NULL;
	mn->tables_ready = false;
}

int msh_net_tables_get(struct msh_net *mn)
{
	int ret = 0;

	if (msh_net_ready(mn))
		return 0;

	mutex_lock(&mn->tables_lock);
	if (mn->tables_ready)
		goto out;

	mn->stats = msh_stats_alloc();
	if (!mn->stats) {
		ret = -ENOMEM;
		goto out;
	}
	ret = msh_admit_tables_init(mn);
	if (ret)
		goto err_stats;
	ret = msh_inspect_net_init(mn);
	if (ret)
		goto err_admit;
	/* Segments reach the hooks whole (hooks.c). */
	ret = msh_defrag4_enable(mn->net);
	if (ret)
		goto err_inspect;
	ret = msh_defrag6_enable(mn->net);
	if (ret)
		goto err_defrag4;

	/* pairs with msh_net_ready(): the tables are filled in before */
	smp_store_release(&mn->tables_ready, true);
	goto out;

err_defrag4:
	msh_defrag4_disable(mn->net);
err_inspect:
	msh_inspect_net_exit(mn);
err_admit:
	msh_admit_tables_exit(mn);
err_stats:
	msh_stats_free(mn->stats);
	mn->stats = NULL;
out:
	mutex_unlock(&mn->tables_lock);
	return ret;
}

/*
 * The core allocates and zeroes a struct msh_net (.size) for every network
 * namespace before calling this, including the ones that exist when the
 * module is loaded. Only the initial namespace gets its tables now (its
 * policy is on); any other costs a few hundred bytes until it carries
 * mail.
 */
static int __net_init msh_net_init(struct net *net)
{
	struct msh_net *mn = msh_net(net);
	int ret;

	mn->net = net;
	msh_ratelimit_init(&mn->event_rl, ktime_get_ns());
	mutex_init(&mn->tables_lock);
	msh_rcpt_net_init(&mn->rcpt);

	ret = msh_policy_net_init(mn);
	if (ret)
		return ret;

	ret = msh_admit_net_init(mn);
	if (ret)
		goto err_policy;

	if (net_eq(net, &init_net)) {
		ret = msh_net_tables_get(mn);
		if (ret)
			goto err_admit;
	}

	/* Last: once registered, the hooks may run on any CPU. */
	ret = msh_hooks_register(mn);
	if (ret)
		goto err_tables;

	return 0;

err_tables:
	/*
	 * nf_register_net_hooks() unwinds a partial registration, but a hook
	 * that was briefly live may still be running on another CPU.
	 */
	synchronize_net();
	msh_net_tables_put(mn);
err_admit:
	msh_admit_net_exit(mn);
err_policy:
	msh_policy_net_exit(mn);
	msh_rcpt_net_exit(&mn->rcpt);
	mutex_destroy(&mn->tables_lock);
	return ret;
}

/*
 * Teardown is split in two. nf_unregister_net_hooks() unlinks the hooks
 * but does not wait for the ones in flight (6.1 frees the old hook blob
 * with call_rcu()), so the state they use must not be freed yet. The
 * pernet core calls synchronize_rcu() between all .pre_exit and all .exit
 * methods (cleanup_net(), free_exit_list()); the hooks run inside
 * nf_hook()'s rcu_read_lock(), so by .exit none of them is running.
 */
static void __net_exit msh_net_pre_exit(struct net *net)
{
	msh_hooks_unregister(msh_net(net));
}

static void __net_exit msh_net_exit(struct net *net)
{
	struct msh_net *mn = msh_net(net);

	msh_net_tables_put(mn);
	msh_admit_net_exit(mn);
	msh_policy_net_exit(mn);
	msh_rcpt_net_exit(&mn->rcpt);
	mutex_destroy(&mn->tables_lock);
}

static struct pernet_operations msh_net_ops = {
	.init = msh_net_init,
	.pre_exit = msh_net_pre_exit,
	.exit = msh_net_exit,
	.id = &msh_net_id,
	.size = sizeof(struct msh_net),
};

int msh_netns_init(void)
{
	return register_pernet_subsys(&msh_net_ops);
}

void msh_netns_uninit(void)
{
	unregister_pernet_subsys(&msh_net_ops);
}
