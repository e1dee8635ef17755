/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The lifetime of the per-namespace state; see state.c.
 */

#ifndef _MSH_STATE_H
#define _MSH_STATE_H

struct msh_net;

/* Makes the tables if they do not exist yet. Process context. */
int msh_net_tables_get(struct msh_net *mn);

/* Module init / exit: the pernet operations. */
int msh_netns_init(void);
void msh_netns_uninit(void);

#endif /* _MSH_STATE_H */
