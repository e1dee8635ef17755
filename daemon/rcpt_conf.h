/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The [recipients] section of the configuration: where the valid
 * recipients come from (files, Postfix maps, LDAP), how they are
 * normalised and how often they are read again. Fixed-size, so that
 * struct msh_config stays a plain value that can be copied and dropped.
 */
#ifndef MSH_RCPT_CONF_H
#define MSH_RCPT_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/mailshield.h>

#define MSH_RCPT_SOURCES_MAX	16	/* file, postfix_map, postfix_alias */
#define MSH_RCPT_DOMAINS_MAX	64	/* domains, over all lines */
#define MSH_RCPT_ALIAS_DOM_MAX	16
#define MSH_RCPT_ATTRS_MAX	8
#define MSH_RCPT_PATH_MAX	512
#define MSH_RCPT_VALUE_MAX	200	/* libinih's longest line */

/* The keys that may be given once, for the duplicate check. */
enum msh_rcpt_key {
	MSH_RK_ALIAS_DOMAINS,
	MSH_RK_CASE_SENSITIVE,
	MSH_RK_DELIMITERS,
	MSH_RK_POSTFIX_CONFIG,
	MSH_RK_LDAP_URI,
	MSH_RK_LDAP_BIND_DN,
	MSH_RK_LDAP_BIND_PW_FILE,
	MSH_RK_LDAP_BASE,
	MSH_RK_LDAP_FILTER,
	MSH_RK_LDAP_ATTRS,
	MSH_RK_LDAP_STARTTLS,
	MSH_RK_LDAP_PAGE_SIZE,
	MSH_RK_LDAP_TIMEOUT,
	MSH_RK_REFRESH,
	MSH_RK_ALLOW_EMPTY,
	MSH_RK_COUNT,
};

struct msh_rcpt_cfg {
	bool present;			/* the file has a [recipients] key */
	/* paths relative to the config file's directory made absolute */
	unsigned int nfiles, nmaps, naliases;
	char files[MSH_RCPT_SOURCES_MAX][MSH_RCPT_PATH_MAX];
	char maps[MSH_RCPT_SOURCES_MAX][MSH_RCPT_PATH_MAX];	/* TYPE:PATH */
	char aliases[MSH_RCPT_SOURCES_MAX][MSH_RCPT_PATH_MAX];	/* TYPE:PATH */
	unsigned int nalias_domains, ndomains;
	char alias_domains[MSH_RCPT_ALIAS_DOM_MAX][256];
	char domains[MSH_RCPT_DOMAINS_MAX][256];
	char postfix_config[MSH_RCPT_PATH_MAX];	/* postmap -c DIR, "" = default */

	uint32_t flags;				/* MAILSHIELD_RCPT_F_* */
	char delims[MAILSHIELD_RCPT_DELIM_MAX];
	unsigned int ndelims;

	char ldap_uri[MSH_RCPT_VALUE_MAX];
	char ldap_bind_dn[MSH_RCPT_VALUE_MAX];
	char ldap_bind_pw_file[MSH_RCPT_PATH_MAX];
	char ldap_base[MSH_RCPT_VALUE_MAX];
	char ldap_filter[MSH_RCPT_VALUE_MAX];
	unsigned int nldap_attrs;
	char ldap_attrs[MSH_RCPT_ATTRS_MAX][64];
	bool ldap_starttls;
	uint32_t ldap_page_size;		/* 0 = no paged results */
	uint32_t ldap_timeout;			/* seconds */

	uint32_t refresh;			/* seconds, 0 = SIGHUP only */
	bool allow_empty;

	/* where each key was set (0: not set), for messages */
	unsigned int line[MSH_RK_COUNT];
	unsigned int first_line;		/* first [recipients] key */
	unsigned int domains_line, files_line, maps_line, aliases_line;
};

void msh_rcpt_conf_defaults(struct msh_rcpt_cfg *c);

/*
 * One key = value of [recipients] on line of the config file at path.
 * Returns 0, or -1 with a message (no location) in err.
 */
int msh_rcpt_conf(struct msh_rcpt_cfg *c, const char *path,
		  unsigned int line, const char *key, const char *value,
		  char *err, size_t errlen);

/*
 * The section as a whole, after the file is read: e.g. LDAP keys without
 * ldap_uri, postfix_alias without alias_domains, no source at all. Returns
 * 0, or -1 with "PATH:LINE: [recipients] key: message" in err.
 */
int msh_rcpt_conf_check(const struct msh_rcpt_cfg *c, const char *path,
			char *err, size_t errlen);

/* Does anything configure a source of recipients? */
static inline bool msh_rcpt_conf_has_source(const struct msh_rcpt_cfg *c)
{
	return c->nfiles || c->nmaps || c->naliases || c->ldap_uri[0];
}

#endif /* MSH_RCPT_CONF_H */
