// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * Recipients from LDAP (rcpt_ldap.h), synchronous libldap calls, each
 * bounded by ldap_timeout: the network timeout covers connecting, the
 * operation timeout every request after that.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <ldap.h>
#include <sodium.h>

#include "rcpt_ldap.h"
#include "text.h"

/* The first line of the password file, without its line end. */
static int read_password(const char *path, char *pw, size_t len,
			 char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		msh_seterr(err, errlen, "ldap_bind_pw_file %s: cannot open: %s",
			   path, strerror(errno));
		return -1;
	}
	if (!fgets(pw, (int)len, f)) {
		fclose(f);
		msh_seterr(err, errlen, "ldap_bind_pw_file %s: empty", path);
		return -1;
	}
	fclose(f);
	n = strcspn(pw, "\r\n");
	pw[n] = '\0';
	return 0;
}

/* "step: reason (server's diagnostic)" for a libldap error. */
static void ldap_err(LDAP *ld, const struct msh_rcpt_cfg *c, const char *step,
		     int rc, char *err, size_t errlen)
{
	char *diag = NULL;

	if (ld)
		ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag);
	msh_seterr(err, errlen, "%s: %s: %s%s%s%s", c->ldap_uri, step,
		   ldap_err2string(rc), diag && *diag ? " (" : "",
		   diag && *diag ? diag : "", diag && *diag ? ")" : "");
	ldap_memfree(diag);
}

static int add_values(LDAP *ld, LDAPMessage *res, struct msh_rcpt_set *s,
		      const struct msh_rcpt_cfg *c)
{
	LDAPMessage *e;
	unsigned int a;

	for (e = ldap_first_entry(ld, res); e; e = ldap_next_entry(ld, e)) {
		for (a = 0; a < c->nldap_attrs; a++) {
			struct berval **v = ldap_get_values_len(ld, e,
							c->ldap_attrs[a]);
			int i, r;

			for (i = 0; v && v[i]; i++) {
				r = msh_rcpt_set_add(s, v[i]->bv_val,
						     v[i]->bv_len, NULL, 0);
				if (r == -ENOMEM) {
					ldap_value_free_len(v);
					return -ENOMEM;
				}
				if (r)
					s->skipped++;
			}
			ldap_value_free_len(v);
		}
	}
	return 0;
}

int msh_rcpt_load_ldap(struct msh_rcpt_set *s, const struct msh_rcpt_cfg *c,
		       char *err, size_t errlen)
{
	struct timeval tv = { .tv_sec = c->ldap_timeout };
	char *attrs[MSH_RCPT_ATTRS_MAX + 1];
	struct berval cookie = { 0 }, cred = { 0 };
	char pw[512] = "";
	int version = LDAP_VERSION3, rc, ret = -1;
	unsigned int i;
	LDAP *ld = NULL;

	for (i = 0; i < c->nldap_attrs; i++)
		attrs[i] = (char *)c->ldap_attrs[i];
	attrs[i] = NULL;

	if (c->ldap_bind_dn[0] &&
	    read_password(c->ldap_bind_pw_file, pw, sizeof(pw), err, errlen))
		return -1;

	rc = ldap_initialize(&ld, c->ldap_uri);
	if (rc != LDAP_SUCCESS) {
		ldap_err(NULL, c, "initialise", rc, err, errlen);
		goto out;
	}
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
	ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
	ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv);

	if (c->ldap_starttls) {
		rc = ldap_start_tls_s(ld, NULL, NULL);
		if (rc != LDAP_SUCCESS) {
			ldap_err(ld, c, "StartTLS", rc, err, errlen);
			goto out;
		}
	}
	if (c->ldap_bind_dn[0]) {
		cred.bv_val = pw;
		cred.bv_len = strlen(pw);
	}
	rc = ldap_sasl_bind_s(ld, c->ldap_bind_dn[0] ? c->ldap_bind_dn : NULL,
			      LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	if (rc != LDAP_SUCCESS) {
		ldap_err(ld, c, "bind", rc, err, errlen);
		goto out;
	}

	/* one search per page; the cookie says where the next one starts */
	do {
		LDAPControl *page = NULL, *ctrls[2] = { NULL, NULL };
		LDAPControl **rctrls = NULL, *pr;
		LDAPMessage *res = NULL;
		ber_int_t estimate;
		int code = LDAP_SUCCESS;

		if (c->ldap_page_size) {
			rc = ldap_create_page_control(ld,
					(ber_int_t)c->ldap_page_size, &cookie,
					1, &page);
			if (rc != LDAP_SUCCESS) {
				ldap_err(ld, c, "paged results control", rc,
					 err, errlen);
				goto out;
			}
			ctrls[0] = page;
		}
		rc = ldap_search_ext_s(ld, c->ldap_base, LDAP_SCOPE_SUBTREE,
				       c->ldap_filter, attrs, 0, ctrls, NULL,
				       &tv, LDAP_NO_LIMIT, &res);
		if (page)
			ldap_control_free(page);
		ber_memfree(cookie.bv_val);
		cookie.bv_val = NULL;
		cookie.bv_len = 0;
		if (rc == LDAP_SUCCESS)
			rc = ldap_parse_result(ld, res, &code, NULL, NULL,
					       NULL, &rctrls, 0);
		if (rc == LDAP_SUCCESS)
			rc = code;
		if (rc != LDAP_SUCCESS) {
			/* a partial result is no result */
			ldap_err(ld, c, "search", rc, err, errlen);
			ldap_controls_free(rctrls);
			ldap_msgfree(res);
			goto out;
		}
		if (add_values(ld, res, s, c)) {
			msh_seterr(err, errlen, "%s: out of memory",
				   c->ldap_uri);
			ldap_controls_free(rctrls);
			ldap_msgfree(res);
			goto out;
		}
		ldap_msgfree(res);
		pr = c->ldap_page_size ?
		     ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, rctrls, NULL) :
		     NULL;
		if (c->ldap_page_size && !pr) {
			msh_seterr(err, errlen,
				   "%s: search: the server ignored the paged results control",
				   c->ldap_uri);
			ldap_controls_free(rctrls);
			goto out;
		}
		if (pr) {
			rc = ldap_parse_pageresponse_control(ld, pr, &estimate,
							     &cookie);
			if (rc != LDAP_SUCCESS) {
				ldap_controls_free(rctrls);
				ldap_err(ld, c, "paged results response", rc,
					 err, errlen);
				goto out;
			}
		}
		ldap_controls_free(rctrls);
	} while (cookie.bv_val && cookie.bv_len);
	ret = 0;
out:
	ber_memfree(cookie.bv_val);
	sodium_memzero(pw, sizeof(pw));
	if (ld)
		ldap_unbind_ext_s(ld, NULL, NULL);
	return ret;
}
