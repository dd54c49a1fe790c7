/*
 * The office's commands: villages, tickets, Perdes consultations and the
 * monthly report. Like every command, they work while the daemon runs.
 */
#include "gateway/rules/actions.h"
#include "gateway/cli/cli.h"
#include "gateway/cli/commands.h"
#include "parser/parser.h"
#include "parser/reply.h"
#include "store/csv.h"
#include "store/store.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const statuses[] = { "baru", "diproses", "selesai",
    "ditolak" };

/* villages import FILE.csv: header kode,nama,kecamatan,kabupaten[,...]. */
static int
villages_import(struct store *st, const char *file)
{
	static const char *const want[] = { "kode", "nama", "kecamatan",
	    "kabupaten", "provinsi" };
	FILE *f = csv_open(file);
	char buf[4096], *cells[16], code[32];
	int n, lines = 0, line, col[5], i, k, count = 0, bad = 0;
	struct timespec t0, t1;

	if (f == NULL) {
		perror(file);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((n = csv_read_row(f, buf, sizeof(buf), cells, 16, &lines)) <= 0)
		goto header;
	for (k = 0; k < 5; k++) {
		col[k] = -1;
		for (i = 0; i < n; i++)
			if (!strcasecmp(cells[i], want[k]))
				col[k] = i;
		if (col[k] < 0 && k < 4)
			goto header;
	}
	/* One transaction: all rows or none, and one fsync. */
	if (store_begin(st) != 0)
		goto fail;
	for (;;) {
		line = lines + 1;
		n = csv_read_row(f, buf, sizeof(buf), cells, 16, &lines);
		if (n == 0)
			break;
		if (n < 0 || n <= col[0] || n <= col[1] || n <= col[2] ||
		    n <= col[3]) {
			fprintf(stderr, "%s:%d: malformed row\n", file, line);
			bad++;
			if (n < 0)
				break;
			continue;
		}
		cli_desa(cells[col[0]], code, sizeof(code));
		if (strlen(code) != 13 || !isdigit((unsigned char)code[0]) ||
		    cells[col[1]][0] == '\0') {
			fprintf(stderr, "%s:%d: '%s' is not a 10-digit village "
			    "code\n", file, line, cells[col[0]]);
			bad++;
			continue;
		}
		if (store_village_put(st, code, cells[col[1]], cells[col[2]],
		    cells[col[3]], col[4] >= 0 && col[4] < n ? cells[col[4]] :
		    "") != 0)
			goto fail_tx;
		count++;
	}
	fclose(f);
	f = NULL;
	if (bad) {
		store_rollback(st);
		fprintf(stderr, "%d bad row%s: nothing imported\n", bad,
		    bad == 1 ? "" : "s");
		return 1;
	}
	if (store_commit(st) != 0)
		goto fail_tx;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%d villages imported in %.2f s\n", count,
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
header:
	fprintf(stderr, "%s:1: expected a header kode,nama,kecamatan,"
	    "kabupaten\n", file);
	fclose(f);
	return 1;
fail_tx:
	store_rollback(st);
fail:
	if (f)
		fclose(f);
	fprintf(stderr, "kentongan: %s: nothing imported\n", store_errmsg(st));
	return 1;
}

/* villages find NAME: how a name resolves (for the office's questions). */
static int
villages_find(struct store *st, const char *typed)
{
	struct village v;
	char norm[DESA_MAX];
	int n, rc;

	cli_desa(typed, norm, sizeof(norm));
	rc = store_village_resolve(st, norm, NULL, &v, &n);
	if (rc == VILLAGE_FOUND)
		printf("%s %s, Kec. %s, %s\n", v.code, v.name, v.kecamatan,
		    v.kabupaten);
	else if (rc == VILLAGE_AMBIGUOUS)
		printf("%s: %d villages have this name; use the code\n", norm, n);
	else if (rc == VILLAGE_UNKNOWN)
		printf("%s: unknown\n", norm);
	return rc == VILLAGE_FOUND ? 0 : 1;
}

int
cmd_villages(int argc, char **argv)
{
	const char *path = DEFAULT_CONFIG;
	int i = cli_action(argc, argv, &path), rc;
	struct store *st;

	if (i + 2 != argc || (strcmp(argv[i], "import") &&
	    strcmp(argv[i], "find"))) {
		fprintf(stderr, "usage: kentongan villages [-c FILE] "
		    "import FILE.csv | find NAME\n");
		return 2;
	}
	if ((st = cli_open_store(path)) == NULL)
		return 1;
	rc = !strcmp(argv[i], "import") ? villages_import(st, argv[i + 1]) :
	    villages_find(st, argv[i + 1]);
	store_close(st);
	return rc;
}

static int
valid_status(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (!strcmp(s, statuses[i]))
			return 1;
	return 0;
}

/* tickets update T --status S [--note N]: the sender hears of it by SMS. */
static int
tickets_update(struct store *st, const char *tiket, const char *status,
    const char *note)
{
	char type[4], name[32], text[REPLY_MAX];
	long long seq, now = time(NULL);
	struct ticket t;
	int rc;

	if (parse_ticket(tiket, type, &seq) != 0 || !valid_status(status)) {
		fprintf(stderr, "kentongan: a ticket is ADU-<n> or ASP-<n>; a "
		    "status is baru, diproses, selesai or ditolak\n");
		return 2;
	}
	snprintf(name, sizeof(name), "%s-%lld", type, seq);
	if (store_begin(st) != 0)
		goto fail;
	if ((rc = store_ticket_update(st, type, seq, status, note, now)) < 0 ||
	    (rc == 1 && store_ticket_get(st, type, seq, &t) < 0))
		goto fail_tx;
	if (rc == 0) {
		store_rollback(st);
		fprintf(stderr, "kentongan: no ticket %s\n", name);
		return 1;
	}
	{
		struct reply_var v[] = { { "tiket", name }, { "status", status },
		    { "catatan", note ? note : "" } };

		if (reply_render(R_TICKET_UPDATE, v, 3, text, sizeof(text)) < 0)
			goto fail_tx;
	}
	if (store_outbox_add(st, t.number, text, "notify", 0, now, NULL) < 0 ||
	    store_commit(st) != 0)
		goto fail_tx;
	printf("%s: %s; SMS queued to %s: %s\n", name, status, t.number, text);
	return 0;
fail_tx:
	store_rollback(st);
fail:
	fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return 1;
}

/* Print one row as "name: value" lines. */
static int
print_fields(void *arg, int row, int ncols, const char *const *v)
{
	struct cli_out *o = arg;
	int i;

	if (row == 0) {
		for (i = 0; i < ncols && i < 32; i++)
			snprintf(o->cols[i], sizeof(o->cols[i]), "%s", v[i]);
		return 0;
	}
	o->rows++;
	for (i = 0; i < ncols && i < 32; i++)
		fprintf(o->f, "%-11s %s\n", o->cols[i], v[i]);
	return 0;
}

/* tickets show ADU-42: the ticket, then its history. */
static int
show_ticket(struct store *st, const char *tiket)
{
	struct export_filter flt = { .code = tiket };
	struct cli_out one = { .f = stdout }, hist = { .f = stdout,
	    .format = OUT_TABLE };

	if (store_export(st, EXPORT_TICKETS, &flt, print_fields, &one) != 0)
		goto fail;
	if (one.rows == 0) {
		fprintf(stderr, "kentongan: no ticket %s\n", tiket);
		return 1;
	}
	printf("\n");
	if (store_export(st, EXPORT_HISTORY, &flt, cli_row, &hist) != 0)
		goto fail;
	cli_out_end(&hist);
	return 0;
fail:
	fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return 1;
}

int
cmd_tickets(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "desa", required_argument, NULL, 'd' },
		{ "note", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_CONFIG, *status = NULL, *note = NULL;
	struct cli_out out = { .f = stdout, .format = OUT_TABLE };
	struct export_filter flt = { 0 };
	char desa[DESA_MAX], type[4];
	int i = cli_action(argc, argv, &path), ch, rc = 2;
	long long seq;
	struct store *st;
	const char *action;

	if (i >= argc)
		goto usage;
	action = argv[i];
	argc -= i;
	argv += i;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's': status = optarg; break;
		case 'n': note = optarg; break;
		case 'd':
			cli_desa(optarg, desa, sizeof(desa));
			flt.desa = desa;
			break;
		case 'F':
			if (cli_format(optarg, &out.format) != 0)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if ((st = cli_open_store(path)) == NULL)
		return 1;
	if (!strcmp(action, "list") && optind == argc) {
		if (status != NULL && !valid_status(status)) {
			fprintf(stderr, "kentongan: unknown status %s\n", status);
			goto out;
		}
		flt.status = status;
		rc = store_export(st, EXPORT_TICKETS, &flt, cli_row, &out) ?
		    1 : 0;
	} else if (!strcmp(action, "show") && optind + 1 == argc) {
		if (parse_ticket(argv[optind], type, &seq) != 0)
			goto out_usage;
		snprintf(desa, sizeof(desa), "%s-%lld", type, seq);
		rc = show_ticket(st, desa);
	} else if (!strcmp(action, "update") && optind + 1 == argc &&
	    status != NULL)
		rc = tickets_update(st, argv[optind], status, note);
	else
		goto out_usage;
	cli_out_end(&out);
out:
	store_close(st);
	return rc;
out_usage:
	store_close(st);
usage:
	fprintf(stderr, "usage: kentongan tickets [-c FILE] list [--status S] "
	    "[--desa D] [--format csv|json|table] | show ADU-42 |"
	    " update ADU-42 --status S [--note TEXT]\n");
	return 2;
}

/* A Perdes code as the parser writes it: letters then digits, upper case. */
static int
perdes_code(const char *in, char *out, size_t cap)
{
	size_t i, letters = 0, digits = 0;

	if (strlen(in) + 1 > cap)
		return -1;
	for (i = 0; in[i]; i++) {
		if (isalpha((unsigned char)in[i]) && digits == 0)
			letters++;
		else if (isdigit((unsigned char)in[i]) && letters > 0)
			digits++;
		else
			return -1;
		out[i] = (char)toupper((unsigned char)in[i]);
	}
	out[i] = '\0';
	return letters && digits ? 0 : -1;
}

/* The one village D names, or NULL after saying why. */
static const char *
one_village(struct store *st, const char *typed, char *code, size_t cap)
{
	struct village v;
	char norm[DESA_MAX];
	int n, rc;

	cli_desa(typed, norm, sizeof(norm));
	rc = store_village_resolve(st, norm, NULL, &v, &n);
	if (rc == VILLAGE_FOUND) {
		snprintf(code, cap, "%s", v.code);
		return code;
	}
	if (rc == VILLAGE_UNKNOWN && store_village_count(st) == 0) {
		snprintf(code, cap, "%s", norm);
		return code;
	}
	if (rc >= 0)
		fprintf(stderr, "kentongan: village '%s' is %s\n", norm,
		    rc == VILLAGE_UNKNOWN ? "unknown" :
		    "ambiguous: use its 10-digit code");
	else
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return NULL;
}

int
cmd_perdes(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "desa", required_argument, NULL, 'd' },
		{ "title", required_argument, NULL, 't' },
		{ "until", required_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_CONFIG, *desa = NULL, *title = NULL,
	    *until = NULL, *action;
	struct cli_out out = { .f = stdout, .format = OUT_TABLE };
	struct export_filter flt = { 0 };
	char code[32], village[DESA_MAX];
	int i = cli_action(argc, argv, &path), ch, rc = 2;
	long long t;
	struct store *st;

	if (i >= argc)
		goto usage;
	action = argv[i];
	argc -= i;
	argv += i;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': desa = optarg; break;
		case 't': title = optarg; break;
		case 'u': until = optarg; break;
		case 'F':
			if (cli_format(optarg, &out.format) != 0)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (strcmp(action, "list") != 0 && (optind + 1 != argc ||
	    perdes_code(argv[optind], code, sizeof(code)) != 0))
		goto usage;
	if ((st = cli_open_store(path)) == NULL)
		return 1;
	if (desa != NULL && one_village(st, desa, village,
	    sizeof(village)) == NULL) {
		rc = 1;
		goto out;
	}
	if (!strcmp(action, "open")) {
		if (desa == NULL || title == NULL || until == NULL ||
		    cli_date(until, 0, &t) != 0) {
			fprintf(stderr, "kentongan: perdes open CODE --desa D "
			    "--title TEXT --until YYYY-MM-DD\n");
			goto out;
		}
		rc = store_perdes_open(st, code, village, title, until,
		    time(NULL)) == 0 ? 0 : 1;
		if (rc == 0)
			printf("%s open for %s until %s: %s\n", code, village,
			    until, title);
	} else if (!strcmp(action, "close")) {
		int n = store_perdes_close(st, code, desa ? village : NULL,
		    time(NULL));

		rc = n < 0;
		if (n >= 0)
			printf("%s: %d consultation%s closed\n", code, n,
			    n == 1 ? "" : "s");
	} else if (!strcmp(action, "list") && optind == argc) {
		rc = store_export(st, EXPORT_PERDES, NULL, cli_row, &out) != 0;
	} else if (!strcmp(action, "export")) {
		if (out.format == OUT_TABLE && !strcmp(action, "export"))
			out.format = OUT_CSV;
		flt.code = code;
		flt.desa = desa ? village : NULL;
		rc = store_export(st, EXPORT_ASPIRATIONS, &flt, cli_row,
		    &out) != 0;
	} else {
		store_close(st);
		goto usage;
	}
	if (rc == 1 && strcmp(action, "close"))
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	cli_out_end(&out);
out:
	store_close(st);
	return rc;
usage:
	fprintf(stderr, "usage: kentongan perdes [-c FILE] open CODE --desa D "
	    "--title TEXT --until YYYY-MM-DD | close CODE [--desa D] | list |"
	    " export CODE [--desa D] [--format csv|json]\n");
	return 2;
}

/* report monthly --month YYYY-MM [--kecamatan K] [--format table|csv|json] */
int
cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "kecamatan", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_CONFIG;
	struct cli_out out = { .f = stdout, .format = OUT_TABLE };
	struct export_filter flt = { 0 };
	int i = cli_action(argc, argv, &path), ch, rc;
	long long t;
	char first[16];
	struct store *st;

	if (i >= argc || strcmp(argv[i], "monthly") != 0)
		goto usage;
	argc -= i;
	argv += i;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'm': flt.month = optarg; break;
		case 'k': flt.kecamatan = optarg; break;
		case 'F':
			if (cli_format(optarg, &out.format) != 0)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	snprintf(first, sizeof(first), "%.7s-01", flt.month ? flt.month : "");
	if (optind != argc || flt.month == NULL || strlen(flt.month) != 7 ||
	    cli_date(first, 0, &t) != 0)
		goto usage;
	if ((st = cli_open_store(path)) == NULL)
		return 1;
	if (out.format == OUT_TABLE)
		printf("Laporan bulanan %s%s%s\n\n", flt.month,
		    flt.kecamatan ? ", Kecamatan " : "",
		    flt.kecamatan ? flt.kecamatan : "");
	rc = store_export(st, EXPORT_REPORT, &flt, cli_row, &out);
	cli_out_end(&out);
	/* The spreadsheet gets one row per village; people get the rest. */
	if (rc == 0 && out.format == OUT_TABLE) {
		struct cli_out asp = { .f = stdout, .format = OUT_TABLE };
		struct cli_out silent = { .f = stdout, .format = OUT_TABLE };

		printf("\nAspirasi per Perdes\n\n");
		rc = store_export(st, EXPORT_REPORT_PERDES, &flt, cli_row, &asp);
		cli_out_end(&asp);
		if (rc == 0) {
			printf("\nPendamping tanpa laporan RAPAT/KADER bulan "
			    "ini\n\n");
			rc = store_export(st, EXPORT_SILENT, &flt, cli_row,
			    &silent);
			cli_out_end(&silent);
		}
	}
	if (rc != 0)
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	store_close(st);
	return rc ? 1 : 0;
usage:
	fprintf(stderr, "usage: kentongan report [-c FILE] monthly --month "
	    "YYYY-MM [--kecamatan K] [--format table|csv|json]\n");
	return 2;
}

/* What the announcement of one meeting needs. */
struct announcement {
	struct store *st;
	char now_text[REPLY_MAX], before_text[REPLY_MAX];
	long long now, before;		/* 0: no reminder (under a day away) */
	int failed;
};

static int
announce_one(void *arg, const char *number, const char *name,
    const char *desa)
{
	struct announcement *a = arg;

	(void)name;
	(void)desa;
	if (store_outbox_add_at(a->st, number, a->now_text, "announcement",
	    a->now, a->now) != 0 || (a->before > 0 &&
	    store_outbox_add_at(a->st, number, a->before_text, "reminder",
	    a->before, a->now) != 0)) {
		a->failed = 1;
		return 1;
	}
	return 0;
}

/* Queue the announcement to the village's warga and pendamping, and the
 * reminder the day before (the sending policy holds both in quiet hours).
 * when is the meeting's time. Returns how many people, or -1. */
static int
announce(struct store *st, const struct meeting *m, long long when)
{
	struct announcement a;
	struct village v;
	char tanggal[16];
	int n;
	struct reply_var vars[] = { { "jenis", m->jenis }, { "desa", m->desa },
	    { "tanggal", tanggal }, { "jam", m->waktu },
	    { "tempat", m->tempat[0] ? m->tempat : "balai desa" } };

	memset(&a, 0, sizeof(a));
	a.st = st;
	a.now = time(NULL);
	a.before = when - 86400 > a.now ? when - 86400 : 0;
	if (store_village_resolve(st, m->desa, NULL, &v, &n) == VILLAGE_FOUND)
		vars[1].value = v.name;
	snprintf(tanggal, sizeof(tanggal), "%.2s/%.2s", m->tanggal + 8,
	    m->tanggal + 5);
	if (reply_render(R_MEETING_ANNOUNCE, vars, 5, a.now_text,
	    sizeof(a.now_text)) < 0 || reply_render(R_MEETING_REMINDER, vars, 5,
	    a.before_text, sizeof(a.before_text)) < 0)
		return -1;
	n = store_meeting_people(st, m->desa, announce_one, &a);
	return a.failed ? -1 : n;
}

/* meetings add --desa D --date YYYY-MM-DD --time HH:MM --type T --place P |
 * meetings list --desa D: the deliberations coordinators announce. */
int
cmd_meetings(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "desa", required_argument, NULL, 'd' },
		{ "date", required_argument, NULL, 't' },
		{ "time", required_argument, NULL, 'w' },
		{ "type", required_argument, NULL, 'j' },
		{ "place", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const types[] = { "RPJM", "RKP", "APB", "PERDES",
	    "SOS", "EVAL", "KAD", "LAIN" };
	const char *path = DEFAULT_CONFIG, *desa = NULL, *date = NULL,
	    *when = NULL, *type = NULL, *place = "", *action;
	struct meeting m, next[20];
	char village[DESA_MAX];
	int i = cli_action(argc, argv, &path), ch, rc = 1, n, hh, mm;
	long long t, id;
	size_t k;
	struct store *st;

	if (i >= argc)
		goto usage;
	action = argv[i];
	argc -= i;
	argv += i;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': desa = optarg; break;
		case 't': date = optarg; break;
		case 'w': when = optarg; break;
		case 'j': type = optarg; break;
		case 'p': place = optarg; break;
		default: goto usage;
		}
	}
	if (optind != argc || desa == NULL)
		goto usage;
	if ((st = cli_open_store(path)) == NULL)
		return 1;
	if (one_village(st, desa, village, sizeof(village)) == NULL)
		goto out;
	if (!strcmp(action, "add")) {
		memset(&m, 0, sizeof(m));
		if (date == NULL || cli_date(date, 0, &t) != 0 || when == NULL ||
		    sscanf(when, "%d:%d", &hh, &mm) != 2 || hh < 0 || hh > 23 ||
		    mm < 0 || mm > 59 || type == NULL) {
			fprintf(stderr, "kentongan: meetings add --desa D --date "
			    "YYYY-MM-DD --time HH:MM --type T [--place P]\n");
			rc = 2;
			goto out;
		}
		for (k = 0; k < sizeof(types) / sizeof(types[0]); k++)
			if (!strcasecmp(type, types[k]))
				break;
		if (k == sizeof(types) / sizeof(types[0])) {
			fprintf(stderr, "kentongan: the type is one of RPJM, RKP, "
			    "APB, PERDES, SOS, EVAL, KAD, LAIN\n");
			rc = 2;
			goto out;
		}
		snprintf(m.desa, sizeof(m.desa), "%s", village);
		snprintf(m.tanggal, sizeof(m.tanggal), "%s", date);
		snprintf(m.waktu, sizeof(m.waktu), "%02d:%02d", hh, mm);
		snprintf(m.jenis, sizeof(m.jenis), "%s", types[k]);
		snprintf(m.tempat, sizeof(m.tempat), "%s", place);
		if (store_begin(st) != 0 ||
		    store_meeting_add(st, &m, time(NULL), &id) != 0 ||
		    (n = announce(st, &m, t + hh * 3600 + mm * 60)) < 0 ||
		    store_commit(st) != 0) {
			store_rollback(st);
			fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
			goto out;
		}
		printf("meeting %lld: %s %s %s %s %s; announced to %d, "
		    "reminder the day before\n", id, m.desa, m.tanggal, m.waktu,
		    m.jenis, m.tempat, n);
		rc = 0;
	} else if (!strcmp(action, "list")) {
		char today[16];
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		if ((n = store_meetings_next(st, village, today, next, 20)) < 0) {
			fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
			goto out;
		}
		for (i = 0; i < n; i++)
			printf("%s %s %s %s %s\n", next[i].desa, next[i].tanggal,
			    next[i].waktu, next[i].jenis, next[i].tempat);
		rc = 0;
	} else {
		store_close(st);
		goto usage;
	}
out:
	store_close(st);
	return rc;
usage:
	fprintf(stderr, "usage: kentongan meetings [-c FILE] add --desa D "
	    "--date YYYY-MM-DD --time HH:MM --type T [--place P] | "
	    "list --desa D\n");
	return 2;
}

/* broadcast GROUP TEXT: what a coordinator's SIARAN does, from the office. */
int
cmd_broadcast(int argc, char **argv)
{
	const char *path = DEFAULT_CONFIG;
	int i = cli_action(argc, argv, &path), n;
	struct store *st;
	struct timespec t0, t1;

	if (i + 2 != argc || argv[i + 1][0] == '\0') {
		fprintf(stderr, "usage: kentongan broadcast [-c FILE] GROUP TEXT "
		    "(GROUP: SEMUA, PENDAMPING, KOORDINATOR, WARGA or a desa)\n");
		return 2;
	}
	if ((st = cli_open_store(path)) == NULL)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (store_begin(st) != 0 ||
	    (n = action_broadcast(st, argv[i], argv[i + 1], NULL,
	    time(NULL))) == -1 || (n >= 0 && store_commit(st) != 0)) {
		store_rollback(st);
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
		store_close(st);
		return 1;
	}
	if (n == -2) {
		store_rollback(st);
		fprintf(stderr, "kentongan: unknown group '%s'\n", argv[i]);
		store_close(st);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%d SMS queued to %s in %.3f s\n", n, argv[i],
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	store_close(st);
	return 0;
}
