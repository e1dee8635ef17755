/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 */

#ifndef _MSH_VERSION_H
#define _MSH_VERSION_H

#define MSH_VERSION "0.1.0"

#endif /* _MSH_VERSION_H */
