// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The id of the module's per-namespace state (net_generic()). Everything
 * reads it through msh_net(); the state's lifetime is in state.c.
 */

#include "netns.h"

unsigned int msh_net_id __read_mostly;
