/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Recipients from an LDAP directory, with libldap: simple bind (or
 * anonymous), optional StartTLS, a subtree search under ldap_base with
 * ldap_filter, paged (RFC 2696) so that directories larger than the
 * server's size limit are read whole. Every value of every ldap_attrs
 * attribute is an entry (address or @domain); values that are not
 * addresses are counted in s->skipped.
 */
#ifndef MSH_RCPT_LDAP_H
#define MSH_RCPT_LDAP_H

#include <stddef.h>

#include "rcpt_conf.h"
#include "rcpt_set.h"

/* Returns 0, or -1 with "LDAP URI: step: reason" in err. */
int msh_rcpt_load_ldap(struct msh_rcpt_set *s, const struct msh_rcpt_cfg *c,
		       char *err, size_t errlen);

#endif /* MSH_RCPT_LDAP_H */
