/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * mailshieldctl recipients: the running recipient set as aligned text or
 * as one JSON object (built with json-c).
 */
#ifndef MSH_RCPT_PRINT_H
#define MSH_RCPT_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "rcpt_nl.h"

/* Returns 0, or -1 when the JSON object cannot be built. */
int msh_rcpt_print(FILE *f, const struct msh_rcpt_info *info, bool json);

#endif /* MSH_RCPT_PRINT_H */
