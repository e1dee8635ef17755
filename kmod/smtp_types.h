/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The fixed-size integer types of the SMTP parser, so that the same source
 * builds in the kernel and in userspace (unit tests, fuzzing harness).
 */

#ifndef _MSH_SMTP_TYPES_H
#define _MSH_SMTP_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
#endif

#endif /* _MSH_SMTP_TYPES_H */
