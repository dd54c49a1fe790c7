/*
 * The office's commands: villages, Perdes consultations, meetings and
 * broadcasts (tickets: cmd_tickets.c; reports: cmd_review.c). Like every
 * command, they work while the daemon runs.
 */
#include "gateway/rules/actions.h"
#include "gateway/rules/meetings.h"
#include "gateway/rules/office_sms.h"
#include "gateway/rules/office.h"
#include "gateway/rules/policy.h"
#include "gateway/cli/cli.h"
#include "gateway/cli/commands.h"
#include "config/config.h"
#include "parser/reply.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* villages import: the columns, and the code of the row checked last. */
struct villages_csv {
	int col[5];	/* kode, nama, kecamatan, kabupaten, provinsi */
	char code[32];
};

static int
villages_header(void *arg, char **cells, int n)
{
	static const char *const want[] = { "kode", "nama", "kecamatan",
	    "kabupaten", "provinsi" };
	struct villages_csv *v = arg;

	return csv_import_columns(cells, n, want, 5, 4, v->col);
}

static const char *
villages_check(void *arg, struct store *st, char **cells, int n, char *why,
    size_t cap)
{
	struct villages_csv *v = arg;

	(void)st;
	if (n <= v->col[0] || n <= v->col[1] || n <= v->col[2] ||
	    n <= v->col[3])
		return "malformed row";
	parse_desa(cells[v->col[0]], v->code, sizeof(v->code));
	if (strlen(v->code) != 13 || !isdigit((unsigned char)v->code[0]) ||
	    cells[v->col[1]][0] == '\0') {
		snprintf(why, cap, "'%s' is not a 10-digit village code",
		    cells[v->col[0]]);
		return why;
	}
	return NULL;
}

static int
villages_put(void *arg, struct store *st, char **cells, int n)
{
	struct villages_csv *v = arg;

	return store_village_put(st, v->code, cells[v->col[1]],
	    cells[v->col[2]], cells[v->col[3]], v->col[4] >= 0 &&
	    v->col[4] < n ? cells[v->col[4]] : "");
}

/* villages import FILE.csv: header kode,nama,kecamatan,kabupaten[,...];
 * every row, or none when one is bad. */
static int
villages_import(struct store *st, const char *file)
{
	static const struct import_ops ops = {
	    "kode,nama,kecamatan,kabupaten", villages_header, villages_check,
	    villages_put, NULL };
	struct villages_csv v;
	double t0 = clock_mono();
	int n;

	memset(&v, 0, sizeof(v));
	if ((n = cli_import(st, file, &ops, &v)) < 0)
		return 1;
	printf("%d villages imported in %.2f s\n", n, clock_mono() - t0);
	return 0;
}

/* How villages find's name resolves from the office, after the list. */
static void
find_verdict(FILE *f, const char *norm, int rc, const struct village_pick *p)
{
	if (rc == VILLAGE_FOUND && p->total > 1)
		fprintf(f, "%s: %d villages have this name; inside the area: "
		    "%s\n", norm, p->total, p->v.code);
	else if (rc == VILLAGE_AMBIGUOUS && p->choices < p->total)
		fprintf(f, "%s: %d villages have this name, %d inside the "
		    "area; use the code\n", norm, p->total, p->choices);
	else if (rc == VILLAGE_AMBIGUOUS)
		fprintf(f, "%s: %d villages have this name; use the code\n",
		    norm, p->total);
	else if (rc == VILLAGE_UNKNOWN || rc == VILLAGE_AS_TYPED)
		fprintf(f, "%s: unknown\n", norm);
}

/* villages find NAME: every village of that name (or that code), those
 * inside the configured area first, and how the name resolves from the
 * office (store_village_pick). */
static int
villages_find(struct cmd_ctx *ctx, const char *typed)
{
	static const char *const cols[] = { "kode", "nama", "kecamatan",
	    "kabupaten", "area" };
	struct cli_out out = { .f = stdout, .format = ctx->format };
	struct village_scope scope = { NULL, ctx->conf->area };
	struct village_pick p = { .cand_max = 200 };
	char norm[DESA_MAX];
	int i, rc;

	if ((p.cand = calloc((size_t)p.cand_max, sizeof(*p.cand))) == NULL)
		return 1;
	parse_desa(typed, norm, sizeof(norm));
	if ((rc = store_village_pick(ctx->st, norm, &scope, &p)) < 0) {
		fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
		free(p.cand);
		return 1;
	}
	if (ctx->format != OUT_TABLE)
		cli_row(&out, 0, 5, cols);
	for (i = 0; i < p.ncand; i++) {
		const struct village *v = &p.cand[i];
		const char *in = v->closeness ? "yes" : "";
		const char *row[] = { v->code, v->name, v->kecamatan,
		    v->kabupaten, in };

		if (ctx->format == OUT_TABLE)
			printf("%s %s, Kec. %s, %s%s\n", v->code, v->name,
			    v->kecamatan, v->kabupaten, in[0] ? " (area)" : "");
		else
			cli_row(&out, i + 1, 5, row);
	}
	cli_out_end(&out);
	/* the formats hold villages, so what is not one goes to stderr */
	find_verdict(ctx->format == OUT_TABLE ? stdout : stderr, norm, rc, &p);
	free(p.cand);
	return rc == VILLAGE_FOUND ? 0 : 1;
}

/* villages import FILE.csv | find NAME */
int
cmd_villages(struct cmd_ctx *ctx)
{
	if (!strcmp(ctx->action, "import"))
		return villages_import(ctx->st, ctx->argv[0]);
	return villages_find(ctx, ctx->argv[0]);
}

/* perdes open | close | list | export: the consultations on a draft
 * Perdes and the aspirations sent about it. */
int
cmd_perdes(struct cmd_ctx *ctx)
{
	const char *desa = cmd_get(ctx, 'd'), *title = cmd_get(ctx, 't');
	const char *until = cmd_get(ctx, 'u'), *action = ctx->action;
	struct store *st = ctx->st;
	struct cli_out out = { .f = stdout, .format = ctx->format };
	struct export_filter flt = { 0 };
	char code[32], village[DESA_MAX], why[512], day[11];
	long long t;
	int rc;

	if (strcmp(action, "list") != 0 &&
	    perdes_code(ctx->argv[0], code, sizeof(code)) != 0)
		return cmd_usage_error(ctx, "'%s' is not a Perdes code "
		    "(letters then digits, e.g. PD01)", ctx->argv[0]);
	if (desa != NULL && cli_village(st, ctx->conf->area, desa, village,
	    sizeof(village), why, sizeof(why)) == NULL) {
		fprintf(stderr, "kentongan: %s\n", why);
		return 1;
	}
	if (!strcmp(action, "open")) {
		if (desa == NULL || title == NULL || until == NULL)
			return cmd_usage_error(ctx, "open needs --desa, "
			    "--title and --until");
		if ((rc = cli_date(ctx, "until", until, &t, day)) != 0)
			return rc;
		if (store_begin(st) != 0 || (rc = action_perdes_open(st, code,
		    village, title, day, time(NULL))) < 0 ||
		    store_commit(st) != 0)
			goto fail_tx;
		printf("%s open for %s until %s: %s; announced to %d\n", code,
		    village, day, title, rc);
		return 0;
	}
	if (!strcmp(action, "close")) {
		int n;

		if (store_begin(st) != 0 || (rc = action_perdes_close(st, code,
		    desa ? village : NULL, time(NULL), &n)) < 0 ||
		    store_commit(st) != 0)
			goto fail_tx;
		printf("%s: %d consultation%s closed; %d sender%s of "
		    "aspirations thanked\n", code, n, n == 1 ? "" : "s", rc,
		    rc == 1 ? "" : "s");
		return 0;
	}
	if (!strcmp(action, "list"))
		rc = store_export(st, EXPORT_PERDES, NULL, cli_row, &out);
	else {
		/* the aspirations go to a spreadsheet unless told otherwise */
		if (!ctx->format_given)
			out.format = OUT_CSV;
		flt.code = code;
		flt.desa = desa ? village : NULL;
		rc = store_export(st, EXPORT_ASPIRATIONS, &flt, cli_row, &out);
	}
	cli_out_end(&out);
	if (rc != 0)
		goto fail;
	return 0;
fail_tx:
	store_rollback(st);
fail:
	fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return 1;
}

/* A date option as an office date, written YYYY-MM-DD into out (11
 * bytes at least); 0, or 2 after the usage error. */
static int
office_date(const struct cmd_ctx *ctx, const char *name, const char *typed,
    char *out, size_t cap)
{
	long long day;

	if (cap < 11)
		return cmd_usage_error(ctx, "--%s: no room for a date", name);
	return cli_date(ctx, name, typed, &day, out);
}

/* --time HH:MM into out as HH:MM; 0, or 2 after the usage error. */
static int
office_time(const struct cmd_ctx *ctx, const char *typed, char *out,
    size_t cap)
{
	if (meeting_time(typed, out, cap) != 0)
		return cmd_usage_error(ctx, "--time wants HH:MM, not '%s'",
		    typed);
	return 0;
}

/* The meeting id operand; 0, or 2 after the usage error. */
static int
meeting_id(const struct cmd_ctx *ctx, long long *id)
{
	char *end;

	*id = strtoll(ctx->argv[0], &end, 10);
	if (*end != '\0' || *id <= 0)
		return cmd_usage_error(ctx, "'%s' is not a meeting id (the "
		    "first column of meetings list)", ctx->argv[0]);
	return 0;
}

/* meetings add --desa D --date DATE --time HH:MM --type T [--place P] */
static int
meetings_add(struct cmd_ctx *ctx, const char *village)
{
	const char *date = cmd_get(ctx, 't'), *when = cmd_get(ctx, 'w');
	const char *type = cmd_get(ctx, 'j'), *place = cmd_get(ctx, 'p');
	struct store *st = ctx->st;
	struct meeting m;
	const char *jenis;
	long long id;
	int n;

	if (date == NULL || when == NULL || type == NULL)
		return cmd_usage_error(ctx, "add needs --date, --time HH:MM "
		    "and --type");
	memset(&m, 0, sizeof(m));
	if ((n = office_date(ctx, "date", date, m.tanggal,
	    sizeof(m.tanggal))) != 0 ||
	    (n = office_time(ctx, when, m.waktu, sizeof(m.waktu))) != 0)
		return n;
	if ((jenis = meeting_type(type)) == NULL)
		return cmd_usage_error(ctx, "the type is one of " MEETING_TYPES
		    ", not '%s'", type);
	snprintf(m.desa, sizeof(m.desa), "%s", village);
	snprintf(m.jenis, sizeof(m.jenis), "%s", jenis);
	snprintf(m.tempat, sizeof(m.tempat), "%s", place ? place : "");
	if (store_begin(st) != 0 ||
	    (n = action_meeting_add(st, &m, time(NULL), &id)) < 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
		return 1;
	}
	printf("meeting %lld: %s %s %s %s %s; announced to %d, reminder the "
	    "day before\n", id, m.desa, m.tanggal, m.waktu, m.jenis, m.tempat,
	    n);
	return 0;
}

/* One meeting as a row of meetings list. */
struct meeting_rows {
	struct cli_out out;
	enum out_format format;
};

static int
meeting_row_out(void *arg, const struct meeting *m)
{
	struct meeting_rows *r = arg;
	char id[24];
	const char *v[] = { id, m->desa, m->tanggal, m->waktu, m->jenis,
	    m->tempat };

	snprintf(id, sizeof(id), "%lld", m->id);
	return cli_row(&r->out, r->out.rows + 1, 6, v);
}

/* meetings list [--desa D] [--from DATE] [--to DATE]: the meetings to
 * come (from today), of every village unless one is named. */
static int
meetings_list(struct cmd_ctx *ctx, const char *village)
{
	static const char *const cols[] = { "id", "desa", "tanggal", "waktu",
	    "jenis", "tempat" };
	const char *from = cmd_get(ctx, 'f'), *to = cmd_get(ctx, 'o');
	struct meeting_rows r = { { .f = stdout, .format = ctx->format },
	    ctx->format };
	char first[16], last[16];
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	localtime_r(&now, &tm);
	strftime(first, sizeof(first), "%Y-%m-%d", &tm);
	if ((from != NULL && (rc = office_date(ctx, "from", from, first,
	    sizeof(first))) != 0) ||
	    (to != NULL && (rc = office_date(ctx, "to", to, last,
	    sizeof(last))) != 0))
		return rc;
	cli_row(&r.out, 0, 6, cols);
	rc = store_meetings_between(ctx->st, village, first, to ? last : NULL,
	    meeting_row_out, &r);
	cli_out_end(&r.out);
	if (rc < 0) {
		fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
		return 1;
	}
	return 0;
}

/* Why a meeting cannot be cancelled or changed, for the office. */
static int
meeting_refused(long long id, int outcome, const struct meeting *was)
{
	char why[256];

	fprintf(stderr, "kentongan: %s\n", meeting_refusal(id, outcome, was,
	    why, sizeof(why)));
	return 1;
}

/* Commit a cancellation or change that was done (0), or roll it back and
 * say why not (1). */
static int
meeting_outcome(struct store *st, int rc, long long id,
    const struct meeting_news *news)
{
	if (rc == MEET_DONE && store_commit(st) == 0)
		return 0;
	store_rollback(st);
	if (rc > MEET_DONE)
		return meeting_refused(id, rc, &news->was);
	fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return 1;
}

/* meetings cancel ID [--reason TEXT] */
static int
meetings_cancel(struct cmd_ctx *ctx)
{
	struct store *st = ctx->st;
	struct meeting_news news;
	long long id;
	int rc;

	if ((rc = meeting_id(ctx, &id)) != 0)
		return rc;
	rc = store_begin(st) != 0 ? -1 : action_meeting_cancel(st, id,
	    cmd_get(ctx, 'r'), time(NULL), &news);
	if ((rc = meeting_outcome(st, rc, id, &news)) != 0)
		return rc;
	printf("meeting %lld (%s %s %s) cancelled; announced to %d; %d SMS "
	    "about it still waiting dropped (its reminder will not go)\n", id,
	    news.was.desa, news.was.tanggal, news.was.waktu, news.told,
	    news.dropped);
	return 0;
}

/* The reminder of m as the office reads it: when, or why there is none. */
static void
print_reminder(const struct meeting *m)
{
	long long due = meeting_start(m) - 86400;
	time_t t = (time_t)due;
	struct tm tm;
	char at[32];

	localtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%d %H:%M", &tm);
	if (due < m->announced_at)
		printf("no reminder: the meeting is less than a day away, the "
		    "change SMS will do\n");
	else
		printf("reminder moved to %s\n", at);
}

/* meetings update ID [--date DATE] [--time HH:MM] [--place P] */
static int
meetings_update(struct cmd_ctx *ctx)
{
	const char *date = cmd_get(ctx, 't'), *when = cmd_get(ctx, 'w');
	const char *place = cmd_get(ctx, 'p');
	struct store *st = ctx->st;
	struct meeting want, m;
	struct meeting_news news;
	int rc;

	memset(&want, 0, sizeof(want));
	if ((rc = meeting_id(ctx, &want.id)) != 0)
		return rc;
	if (date == NULL && when == NULL && (place == NULL || !place[0]))
		return cmd_usage_error(ctx, "update needs --date, --time or "
		    "--place");
	if ((date && (rc = office_date(ctx, "date", date, want.tanggal,
	    sizeof(want.tanggal))) != 0) ||
	    (when && (rc = office_time(ctx, when, want.waktu,
	    sizeof(want.waktu))) != 0))
		return rc;
	snprintf(want.tempat, sizeof(want.tempat), "%s", place ? place : "");
	rc = store_begin(st) != 0 ? -1 : action_meeting_change(st, &want,
	    time(NULL), &m, &news);
	if ((rc = meeting_outcome(st, rc, want.id, &news)) != 0)
		return rc;
	printf("meeting %lld: %s %s %s (was %s %s %s); change announced to "
	    "%d; %d SMS about it still waiting dropped\n", m.id, m.tanggal,
	    m.waktu, m.tempat, news.was.tanggal, news.was.waktu,
	    news.was.tempat, news.told, news.dropped);
	print_reminder(&m);
	return 0;
}

/* meetings add | list | cancel | update: the deliberations coordinators
 * announce. */
int
cmd_meetings(struct cmd_ctx *ctx)
{
	const char *desa = cmd_get(ctx, 'd'), *action = ctx->action;
	char village[DESA_MAX], why[512];

	if (!strcmp(action, "cancel"))
		return meetings_cancel(ctx);
	if (!strcmp(action, "update"))
		return meetings_update(ctx);
	if (desa == NULL && !strcmp(action, "add"))
		return cmd_usage_error(ctx, "add needs --desa");
	if (desa != NULL && cli_village(ctx->st, ctx->conf->area, desa,
	    village, sizeof(village), why, sizeof(why)) == NULL) {
		fprintf(stderr, "kentongan: %s\n", why);
		return 1;
	}
	if (!strcmp(action, "add"))
		return meetings_add(ctx, village);
	return meetings_list(ctx, desa ? village : NULL);
}

/* t as the dry run prints it: "now" when at once. */
static void
plan_time(long long t, long long now, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t < 0) {
		snprintf(out, cap, "-");
		return;
	}
	if (t <= now) {
		snprintf(out, cap, "now");
		return;
	}
	localtime_r(&tt, &tm);
	strftime(out, cap, "%Y-%m-%d %H:%M", &tm);
}

/* broadcast --dry-run: who it would reach and when, nothing queued. */
static int
broadcast_plan(struct cmd_ctx *ctx, const struct audience *a,
    const char *text)
{
	char first[32], last[32];
	long long now = time(NULL);
	struct broadcast_plan p;

	if (office_broadcast_plan(ctx->st, ctx->conf, a, text, now, &p) != 0) {
		fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
		return 1;
	}
	plan_time(p.first, now, first, sizeof(first));
	plan_time(p.last, now, last, sizeof(last));
	printf("dry run: %s would reach %d number%s (%d skipped: opted "
	    "out)\n", ctx->argv[0], p.reached, p.reached == 1 ? "" : "s",
	    p.opted_out);
	printf("%d SMS part%s per message, %d in all\n", p.parts,
	    p.parts == 1 ? "" : "s", p.parts * p.reached);
	printf("sending (quiet hours %s, hourly budget %d): first %s, last "
	    "%s\n", ctx->conf->quiet_hours, ctx->conf->hourly_budget, first,
	    last);
	printf("nothing queued\n");
	return 0;
}

/* broadcast [--dry-run] GROUP TEXT: what a coordinator's SIARAN does,
 * from the office, to any group action_audience reads. */
int
cmd_broadcast(struct cmd_ctx *ctx)
{
	const char *text = ctx->argv[1];
	struct store *st = ctx->st;
	struct audience a;
	char why[512];
	double t0;
	int n;

	if (text[0] == '\0')
		return cmd_usage_error(ctx, "the text is empty");
	if ((n = action_audience(st, ctx->conf->area, ctx->argv[0], &a, why,
	    sizeof(why))) != AUDIENCE_OK) {
		fprintf(stderr, "kentongan: unknown group: %s\n", n < 0 ?
		    store_errmsg(st) : why);
		return 1;
	}
	if (cmd_get(ctx, 'n') != NULL)
		return broadcast_plan(ctx, &a, text);
	t0 = clock_mono();
	if (store_begin(st) != 0 ||
	    (n = action_broadcast_to(st, &a, text, NULL, time(NULL))) < 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
		return 1;
	}
	printf("%d SMS queued to %s in %.3f s\n", n, ctx->argv[0],
	    clock_mono() - t0);
	return 0;
}
