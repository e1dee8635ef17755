/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Netfilter hooks of one network namespace.
 */

#ifndef _MSH_HOOKS_H
#define _MSH_HOOKS_H

#include <linux/types.h>

struct msh_net;
struct nf_hook_state;
struct sk_buff;

int msh_hooks_register(struct msh_net *mn);
void msh_hooks_unregister(struct msh_net *mn);

/*
 * The hook functions themselves, also called directly by the KUnit suites
 * with crafted packets: client to server (_in, PRE_ROUTING) and server to
 * client (_out, LOCAL_OUT).
 */
unsigned int msh_ipv4_in(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state);
unsigned int msh_ipv4_out(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state);
unsigned int msh_ipv6_in(void *priv, struct sk_buff *skb,
			 const struct nf_hook_state *state);
unsigned int msh_ipv6_out(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state);

#endif /* _MSH_HOOKS_H */
