/*
 * Admin commands that work on the same database while the daemon runs
 * (WAL and a busy timeout make that safe): contacts and exports.
 */
#include "gateway/commands.h"
#include "config/config.h"
#include "parser/json.h"
#include "parser/phone.h"
#include "store/csv.h"
#include "store/store.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const roles[] = { "pendamping", "koordinator", "warga" };

/* Open the database named by the config at path; NULL after printing why. */
static struct store *
open_store(const char *path)
{
	static struct config conf;
	struct store *st;
	char err[512];
	int i;

	if (config_load(&conf, path) != 0) {
		for (i = 0; i < conf.nerrors; i++)
			fprintf(stderr, "%s\n", conf.errors[i]);
		return NULL;
	}
	setenv("TZ", conf.timezone, 1);
	tzset();
	if ((st = store_open(conf.database, STORE_CREATE, err,
	    sizeof(err))) == NULL)
		fprintf(stderr, "kentongan: %s\n", err);
	return st;
}

static int
valid_role(const char *r)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(r, roles[i]))
			return 1;
	return 0;
}

/*
 * A desa as people type it: a 10-digit code with or without dots becomes
 * 33.22.01.2005; a name is upper-cased with inner spaces folded.
 */
static void
normalize_desa(const char *in, char *out, size_t cap)
{
	char digits[16];
	size_t nd = 0, o = 0;
	const char *p;
	int only_code = 1, space = 0;

	for (p = in; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (nd < sizeof(digits) - 1)
				digits[nd] = *p;
			nd++;
		} else if (*p != '.')
			only_code = 0;
	}
	if (only_code && nd == 10) {
		snprintf(out, cap, "%.2s.%.2s.%.2s.%.4s", digits, digits + 2,
		    digits + 4, digits + 6);
		return;
	}
	for (p = in; *p && o + 1 < cap; p++) {
		if (isspace((unsigned char)*p)) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < cap)
			out[o++] = ' ';
		space = 0;
		out[o++] = (char)toupper((unsigned char)*p);
	}
	out[o] = '\0';
}

/* Fill c from a number, name, role and desa; NULL or an error text. */
static const char *
make_contact(struct contact *c, const char *number, const char *name,
    const char *role, const char *desa)
{
	memset(c, 0, sizeof(*c));
	if (phone_normalize(number, c->number, sizeof(c->number)) != PHONE_E164)
		return "not a phone number";
	if (!valid_role(role))
		return "role must be pendamping, koordinator or warga";
	if (strlen(name) >= sizeof(c->name))
		return "name too long";
	snprintf(c->number_raw, sizeof(c->number_raw), "%s", number);
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->role, sizeof(c->role), "%s", role);
	normalize_desa(desa, c->desa, sizeof(c->desa));
	return NULL;
}

/* contacts import FILE.csv: all rows or none. */
static int
contacts_import(struct store *st, const char *file)
{
	FILE *f = fopen(file, "r");
	char buf[4096], *cells[16];
	struct contact *cs = NULL, *t;
	int n, lines = 0, line, ncs = 0, cap = 0, bad = 0, col[4], i, k;
	static const char *const want[4] = { "number", "name", "role", "desa" };

	if (f == NULL) {
		perror(file);
		return 1;
	}
	line = lines + 1;
	if ((n = csv_read_row(f, buf, sizeof(buf), cells, 16, &lines)) <= 0) {
		fprintf(stderr, "%s:1: expected a header number,name,role,desa\n",
		    file);
		fclose(f);
		return 1;
	}
	for (k = 0; k < 4; k++) {
		col[k] = -1;
		for (i = 0; i < n; i++)
			if (!strcasecmp(cells[i], want[k]))
				col[k] = i;
		if (col[k] < 0 && k != 3) {
			fprintf(stderr, "%s:1: header has no '%s' column\n",
			    file, want[k]);
			fclose(f);
			return 1;
		}
	}
	for (;;) {
		const char *why;

		line = lines + 1;
		n = csv_read_row(f, buf, sizeof(buf), cells, 16, &lines);
		if (n == 0)
			break;
		if (n < 0) {
			fprintf(stderr, "%s:%d: malformed row\n", file, line);
			bad++;
			break;
		}
		if (n == 1 && cells[0][0] == '\0')
			continue;	/* blank line */
		if (ncs == cap) {
			cap = cap ? cap * 2 : 64;
			if ((t = realloc(cs, (size_t)cap * sizeof(*cs))) == NULL)
				break;
			cs = t;
		}
		if (col[0] >= n || col[1] >= n || col[2] >= n) {
			fprintf(stderr, "%s:%d: too few columns\n", file, line);
			bad++;
			continue;
		}
		why = make_contact(&cs[ncs], cells[col[0]], cells[col[1]],
		    cells[col[2]], col[3] >= 0 && col[3] < n ? cells[col[3]] : "");
		if (why != NULL) {
			fprintf(stderr, "%s:%d: %s\n", file, line, why);
			bad++;
			continue;
		}
		ncs++;
	}
	fclose(f);
	if (bad) {
		fprintf(stderr, "%d bad row%s: nothing imported\n", bad,
		    bad == 1 ? "" : "s");
		free(cs);
		return 1;
	}
	if (store_begin(st) != 0)
		goto fail;
	for (i = 0; i < ncs; i++)
		if (store_contact_put(st, &cs[i], time(NULL)) != 0)
			goto fail_tx;
	if (store_commit(st) != 0)
		goto fail_tx;
	printf("%d contact%s imported\n", ncs, ncs == 1 ? "" : "s");
	free(cs);
	return 0;
fail_tx:
	store_rollback(st);
fail:
	fprintf(stderr, "kentongan: %s: nothing imported\n", store_errmsg(st));
	free(cs);
	return 1;
}

/* Output of an export: CSV or JSON lines. */
struct export_out {
	FILE *f;
	int json;
	int ncols;
	char cols[32][32];
};

static int
export_row(void *arg, int row, int ncols, const char *const *v)
{
	struct export_out *o = arg;
	char buf[8192];
	int i;

	if (!o->json) {
		csv_write_row(o->f, ncols, v);
		return 0;
	}
	if (row == 0) {
		o->ncols = ncols;
		for (i = 0; i < ncols; i++)
			snprintf(o->cols[i], sizeof(o->cols[i]), "%s", v[i]);
		return 0;
	}
	fputc('{', o->f);
	for (i = 0; i < ncols; i++) {
		size_t n = json_string(o->cols[i], strlen(o->cols[i]), buf,
		    sizeof(buf));

		fprintf(o->f, "%s%.*s:", i ? "," : "", (int)n, buf);
		n = json_string(v[i], strlen(v[i]), buf, sizeof(buf));
		if (n >= sizeof(buf)) {
			char *big = malloc(n + 1);

			if (big == NULL)
				return 1;
			json_string(v[i], strlen(v[i]), big, n + 1);
			fwrite(big, 1, n, o->f);
			free(big);
		} else
			fwrite(buf, 1, n, o->f);
	}
	fputs("}\n", o->f);
	return 0;
}

/* A local date YYYY-MM-DD to Unix seconds at its start (plus days). */
static int
date_to_unix(const char *s, int plus_days, long long *out)
{
	struct tm tm;
	char *end;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end)
		return -1;
	tm.tm_mday += plus_days;
	tm.tm_isdst = -1;
	*out = (long long)mktime(&tm);
	return 0;
}

int
cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct { const char *name; enum export_kind kind; } kinds[] = {
		{ "records", EXPORT_RECORDS },
		{ "tickets", EXPORT_TICKETS },
		{ "messages", EXPORT_MESSAGES },
	};
	const char *path = DEFAULT_CONFIG, *from = NULL, *to = NULL;
	struct export_out out = { .f = stdout };
	struct export_filter flt = { 0 };
	struct store *st;
	size_t i;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'F':
			if (!strcmp(optarg, "json"))
				out.json = 1;
			else if (strcmp(optarg, "csv") != 0)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(argv[optind], kinds[i].name))
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		goto usage;
	if ((st = open_store(path)) == NULL)
		return 1;
	/* --to is inclusive: the whole of that day. */
	if ((from && date_to_unix(from, 0, &flt.from) != 0) ||
	    (to && date_to_unix(to, 1, &flt.to) != 0)) {
		fprintf(stderr, "kentongan: dates are YYYY-MM-DD\n");
		store_close(st);
		return 2;
	}
	rc = store_export(st, kinds[i].kind, &flt, export_row, &out);
	if (rc != 0)
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	store_close(st);
	return rc ? 1 : 0;
usage:
	fprintf(stderr, "usage: kentongan export records|tickets|messages "
	    "[-c FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
	    "[--format csv|json]\n");
	return 2;
}

/* contacts list: every contact as CSV. */
static int
contacts_list(struct store *st)
{
	struct export_out out = { .f = stdout };

	return store_export(st, EXPORT_CONTACTS, NULL, export_row, &out) == 0 ?
	    0 : 1;
}

/* contacts set NUMBER --role R [--desa D] [--name N] */
static int
contacts_set(struct store *st, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "desa", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct contact old, c;
	const char *role = NULL, *desa = NULL, *name = NULL, *why;
	char number[NUMBER_MAX];
	int ch, found;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': role = optarg; break;
		case 'd': desa = optarg; break;
		case 'n': name = optarg; break;
		default: return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "usage: kentongan contacts set NUMBER "
		    "--role R [--desa D] [--name N]\n");
		return 2;
	}
	if (phone_normalize(argv[optind], number, sizeof(number)) != PHONE_E164) {
		fprintf(stderr, "kentongan: %s: not a phone number\n",
		    argv[optind]);
		return 1;
	}
	if ((found = store_contact_get(st, number, &old)) < 0)
		goto fail;
	why = make_contact(&c, argv[optind],
	    name ? name : found ? old.name : "",
	    role ? role : found ? old.role : "",
	    desa ? desa : found ? old.desa : "");
	if (why != NULL) {
		fprintf(stderr, "kentongan: %s\n", why);
		return 1;
	}
	c.opted_out = found ? old.opted_out : 0;
	if (store_contact_put(st, &c, time(NULL)) != 0)
		goto fail;
	printf("%s %s %s %s\n", c.number, c.role, c.desa, c.name);
	return 0;
fail:
	fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return 1;
}

int
cmd_contacts(int argc, char **argv)
{
	const char *path = DEFAULT_CONFIG;
	struct store *st;
	int rc, i, skip = 1;

	/* -c FILE may come before the action. */
	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-c") && strcmp(argv[i], "--config"))
			break;
		path = argv[i + 1];
		skip = i + 2;
	}
	if (skip >= argc)
		goto usage;
	if ((st = open_store(path)) == NULL)
		return 1;
	if (!strcmp(argv[skip], "import") && argc - skip == 2)
		rc = contacts_import(st, argv[skip + 1]);
	else if (!strcmp(argv[skip], "list") && argc - skip == 1)
		rc = contacts_list(st);
	else if (!strcmp(argv[skip], "set"))
		rc = contacts_set(st, argc - skip, argv + skip);
	else {
		store_close(st);
		goto usage;
	}
	store_close(st);
	return rc;
usage:
	fprintf(stderr, "usage: kentongan contacts [-c FILE] import FILE.csv |"
	    " list | set NUMBER --role R [--desa D] [--name N]\n");
	return 2;
}
