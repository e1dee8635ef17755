/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Netfilter hooks of one network namespace.
 */

#ifndef _MSH_HOOKS_H
#define _MSH_HOOKS_H

struct msh_net;

int msh_hooks_register(struct msh_net *mn);
void msh_hooks_unregister(struct msh_net *mn);

#endif /* _MSH_HOOKS_H */
