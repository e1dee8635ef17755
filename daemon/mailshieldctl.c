// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * mailshieldctl: query and change the mailshield kernel module.
 *
 * Exit codes: 0 ok, 1 error, 2 usage, 3 module not loaded.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "json.h"
#include "knobs.h"
#include "nl.h"
#include "output.h"
#include "rcpt_nl.h"
#include "rcpt_print.h"

#define EXIT_USAGE	2
#define EXIT_NOMODULE	3

static const char usage_text[] =
"usage: mailshieldctl [--json] status|stats|policy\n"
"       mailshieldctl [--json] policy set KEY VALUE [KEY VALUE...]\n"
"       mailshieldctl [--json] sources|bans\n"
"       mailshieldctl ban ADDR[/LEN] [--for DURATION]\n"
"       mailshieldctl unban ADDR[/LEN]\n"
"       mailshieldctl [--json] allowlist [set [CIDR...]]\n"
"       mailshieldctl [--json] flows\n"
"       mailshieldctl [--json] recipients\n"
"\n"
"  status              module and family version, policy and counters\n"
"  stats               traffic counters of this network namespace\n"
"  policy              the running policy\n"
"  policy set ...      change the policy; keys not given keep their value\n"
"                      (the keys are listed below)\n"
"  sources             per-source entries (address/prefix, flows, tokens...)\n"
"  bans                banned sources, reason and time left\n"
"  ban ADDR            ban the source prefix of ADDR (--for 10m, 1h, 0 =\n"
"                      until unbanned; default: the policy's ban_time)\n"
"  unban ADDR          lift a ban\n"
"  allowlist           show the allowlist; \"allowlist set CIDR...\" replaces\n"
"                      it (no CIDR: empties it)\n"
"  flows               inspected SMTP connections and their state\n"
"  recipients          the recipient set: generation, counts, memory, age\n"
"\n"
"options:\n"
"  -j, --json          print JSON instead of aligned text\n"
"      --for DURATION  ban duration: N, Ns, Nm, Nh, Nd\n"
"  -h, --help          show this help\n"
"\n"
"exit codes: 0 ok, 1 error, 2 usage, 3 kernel module not loaded\n"
"\n"
"policy keys (a config file key KEY of [section] is \"section.KEY\";\n"
"those of [general], [limits] and [bans] go by KEY alone):\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
	msh_knobs_help(f);
}

static int usage_error(const char *fmt, const char *arg)
	__attribute__((format(printf, 1, 0)));

static int usage_error(const char *fmt, const char *arg)
{
	fputs("mailshieldctl: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	usage(stderr);
	return EXIT_USAGE;
}

static int report(struct msh_nl *nl, const char *what, int err)
{
	if (err == -EPERM || err == -EACCES) {
		fprintf(stderr,
			"mailshieldctl: permission denied (CAP_NET_ADMIN required)\n");
		return EXIT_FAILURE;
	}
	if (err == -ENOENT && nl && !msh_nl_extack(nl)[0]) {
		/* the family went away after it was resolved */
		fprintf(stderr, "%s\n", MSH_NL_NOT_LOADED_MSG);
		return EXIT_NOMODULE;
	}
	if (nl && msh_nl_extack(nl)[0]) {
		fprintf(stderr, "mailshield: kernel rejected request: %s\n",
			msh_nl_extack(nl));
		return EXIT_FAILURE;
	}
	fprintf(stderr, "mailshieldctl: %s: %s\n", what, strerror(-err));
	return EXIT_FAILURE;
}

static int open_nl(struct msh_nl **nl)
{
	int err = msh_nl_open(nl);

	if (err == -ENOENT) {
		fprintf(stderr, "%s\n", MSH_NL_NOT_LOADED_MSG);
		return EXIT_NOMODULE;
	}
	if (err) {
		fprintf(stderr,
			"mailshieldctl: cannot use generic netlink: %s\n",
			strerror(-err));
		return EXIT_FAILURE;
	}
	return 0;
}

/* First line of /sys/module/mailshield/version, if the module has one. */
static char *module_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/mailshield/version", "r");
	char *nl;

	if (!f)
		return NULL;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return buf[0] ? buf : NULL;
}

/* Parse "policy set" arguments into p; returns 0 or an exit code. */
static int parse_set(int argc, char **argv, struct msh_knobs *p)
{
	char err[256];
	int i, k;

	memset(p, 0, sizeof(*p));
	if (argc == 0)
		return usage_error("%s", "policy set: give KEY VALUE pairs");
	for (i = 0; i < argc; i += 2) {
		const char *key = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		k = msh_knob_by_name(key);
		if (k < 0)
			return usage_error("policy set: unknown key \"%s\" (see mailshieldctl help)",
					   key);
		if (!val)
			return usage_error("policy set: %s needs a value", key);
		if (msh_knob_has(p, k))
			return usage_error("policy set: %s given twice", key);
		if (msh_knob_parse(k, val, p, err, sizeof(err))) {
			fprintf(stderr, "mailshieldctl: policy set: %s: %s\n",
				key, err);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* ---- SMTP inspection: flows ---- */

/* JSON rows are collected and printed once the dump is complete. */
struct rows_out {
	json_object *array;	/* NULL: text, printed as the rows come */
};

static void print_flow(const struct msh_flow_row *f, void *arg)
{
	struct rows_out *o = arg;

	if (o->array)
		json_object_array_add(o->array, msh_flow_json(f));
	else
		msh_print_flow(stdout, f);
}

/* ---- connection admission: sources, bans, ban, unban, allowlist ---- */

static bool is_admit_cmd(const char *cmd)
{
	return !strcmp(cmd, "sources") || !strcmp(cmd, "bans") ||
	       !strcmp(cmd, "ban") || !strcmp(cmd, "unban") ||
	       !strcmp(cmd, "allowlist");
}

static void print_one_source(const struct msh_source_row *s, void *arg)
{
	struct rows_out *o = arg;

	if (o->array)
		json_object_array_add(o->array, msh_source_json(s));
	else
		msh_print_source(stdout, s);
}

/* Prints a finished JSON dump, or drops it after an error. */
static void rows_end(struct rows_out *o, int err)
{
	if (o->array && !err)
		msh_json_print(stdout, o->array);
	else if (o->array)
		json_object_put(o->array);
}

static void print_done(const char *what, const struct msh_prefix *c)
{
	json_object *o = json_object_new_object();
	char buf[64];

	json_object_object_add(o, what, json_object_new_string(
			msh_format_cidr(c, buf, sizeof(buf))));
	msh_json_print(stdout, o);
}

static int admit_cmd(const char *cmd, int argc, char **argv, bool json,
		     bool has_for, uint32_t for_s)
{
	struct msh_allow_cfg *al = NULL;
	char err[256];
	struct msh_nl *nl = NULL;
	struct msh_prefix c;
	int ret, i, e = 0;

	if (has_for && strcmp(cmd, "ban"))
		return usage_error("--for only goes with %s", "ban");
	if (!strcmp(cmd, "sources") || !strcmp(cmd, "bans")) {
		if (argc)
			return usage_error("unexpected argument \"%s\"", argv[0]);
	} else if (!strcmp(cmd, "ban") || !strcmp(cmd, "unban")) {
		if (argc != 1)
			return usage_error("%s needs one ADDR[/LEN]", cmd);
		if (msh_parse_cidr(argv[0], &c, false, err, sizeof(err)))
			return usage_error("%s", err);
	} else {
		al = calloc(1, sizeof(*al));
		if (!al)
			return EXIT_FAILURE;
		if (argc && strcmp(argv[0], "set")) {
			free(al);
			return usage_error("allowlist: unknown subcommand \"%s\" (set)",
					   argv[0]);
		}
		for (i = 1; i < argc; i++) {
			if (al->n == MSH_ALLOW_MAX)
				snprintf(err, sizeof(err), "too many entries");
			if (al->n == MSH_ALLOW_MAX ||
			    msh_parse_cidr(argv[i], &al->e[al->n], true, err,
					   sizeof(err))) {
				free(al);
				return usage_error("allowlist set: %s", err);
			}
			al->n++;
		}
	}

	ret = open_nl(&nl);
	if (ret) {
		free(al);
		return ret;
	}
	if (!strcmp(cmd, "sources") || !strcmp(cmd, "bans")) {
		struct rows_out o = {
			.array = json ? json_object_new_array() : NULL,
		};

		e = msh_req_dump_sources(nl, !strcmp(cmd, "bans"),
					 print_one_source, &o);
		rows_end(&o, e);
		if (e)
			ret = report(nl, cmd, e);
	} else if (!strcmp(cmd, "ban")) {
		e = msh_req_ban(nl, &c, has_for, for_s);
		if (e)
			ret = report(nl, "ban", e);
		else if (json)
			print_done("banned", &c);
	} else if (!strcmp(cmd, "unban")) {
		e = msh_req_unban(nl, &c);
		if (e)
			ret = report(nl, "unban", e);
		else if (json)
			print_done("unbanned", &c);
	} else {
		if (argc)
			e = msh_req_set_allowlist(nl, al);
		if (!e)
			e = msh_req_get_allowlist(nl, al);
		if (e)
			ret = report(nl, "allowlist", e);
		else
			msh_print_allowlist(stdout, al, json);
	}
	free(al);
	msh_nl_close(nl);
	if (!ret && (fflush(stdout) == EOF || ferror(stdout)))
		ret = EXIT_FAILURE;
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "for", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct msh_nl *nl = NULL;
	struct msh_knobs set;
	bool json = false, has_for = false;
	uint32_t for_s = 0;
	char errbuf[256];
	const char *cmd;
	int c, ret, err;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'f':
			if (msh_parse_duration(optarg, &for_s, errbuf,
					       sizeof(errbuf)))
				return usage_error("--for: %s", errbuf);
			has_for = true;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("%s", "missing command");
	cmd = argv[optind++];

	if (!strcmp(cmd, "status") || !strcmp(cmd, "stats") ||
	    !strcmp(cmd, "flows") || !strcmp(cmd, "recipients")) {
		if (optind < argc)
			return usage_error("unexpected argument \"%s\"",
					   argv[optind]);
	} else if (!strcmp(cmd, "policy")) {
		if (optind < argc) {
			if (strcmp(argv[optind], "set"))
				return usage_error("policy: unknown subcommand \"%s\" (set)",
						   argv[optind]);
			optind++;
			ret = parse_set(argc - optind, argv + optind, &set);
			if (ret)
				return ret;
			cmd = "policy set";
		}
	} else if (!strcmp(cmd, "help")) {
		usage(stdout);
		return EXIT_SUCCESS;
	} else if (is_admit_cmd(cmd)) {
		/* connection admission commands */
		ret = admit_cmd(cmd, argc - optind, argv + optind, json,
				has_for, for_s);
		return ret;
	} else {
		return usage_error("unknown command \"%s\"", cmd);
	}

	ret = open_nl(&nl);
	if (ret)
		return ret;

	if (!strcmp(cmd, "recipients")) {
		/* the recipient set (rcpt_nl.c, rcpt_print.c) */
		struct msh_rcpt_info info;

		err = msh_rcpt_get(nl, &info);
		if (err) {
			ret = report(nl, "get recipients", err);
			goto out;
		}
		if (msh_rcpt_print(stdout, &info, json)) {
			fprintf(stderr, "mailshieldctl: out of memory\n");
			ret = EXIT_FAILURE;
			goto out;
		}
	} else if (!strcmp(cmd, "flows")) {
		/* SMTP inspection (inspection.c) */
		struct rows_out fo = {
			.array = json ? json_object_new_array() : NULL,
		};

		err = msh_req_dump_flows(nl, print_flow, &fo);
		rows_end(&fo, err);
		if (err)
			ret = report(nl, "get flows", err);
	} else if (!strcmp(cmd, "stats")) {
		struct msh_counters s;

		err = msh_req_get_stats(nl, &s);
		if (err) {
			ret = report(nl, "get stats", err);
			goto out;
		}
		msh_print_stats(stdout, &s, json);
	} else if (!strcmp(cmd, "policy") || !strcmp(cmd, "policy set")) {
		struct msh_knobs p;

		if (!strcmp(cmd, "policy set")) {
			err = msh_req_set_policy(nl, &set);
			if (err) {
				ret = report(nl, "set policy", err);
				goto out;
			}
		}
		err = msh_req_get_policy(nl, &p);
		if (err) {
			ret = report(nl, "get policy", err);
			goto out;
		}
		msh_print_policy(stdout, &p, json);
	} else {
		struct msh_status st;
		char ver[64];

		memset(&st, 0, sizeof(st));
		st.module_version = module_version(ver, sizeof(ver));
		st.family_id = msh_nl_family_id(nl);
		err = msh_nl_family_version(nl, &st.family_version);
		if (!err)
			err = msh_req_get_policy(nl, &st.policy);
		if (err) {
			ret = report(nl, "get policy", err);
			goto out;
		}
		err = msh_req_get_stats(nl, &st.stats);
		if (err) {
			ret = report(nl, "get stats", err);
			goto out;
		}
		msh_print_status(stdout, &st, json);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "mailshieldctl: write error: %s\n",
			strerror(errno));
		ret = EXIT_FAILURE;
	}
out:
	msh_nl_close(nl);
	return ret;
}
