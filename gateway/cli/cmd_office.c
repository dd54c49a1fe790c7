/*
 * The office's commands: villages, Perdes consultations, meetings and
 * broadcasts (tickets: cmd_tickets.c; reports: cmd_review.c). Like every
 * command, they work while the daemon runs.
 */
#include "gateway/rules/actions.h"
#include "gateway/cli/cli.h"
#include "gateway/cli/cli_import.h"
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

	return cli_import_columns(cells, n, want, 5, 4, v->col);
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
	    villages_put };
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
	char code[32], village[DESA_MAX], why[512];
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
		if (clock_parse_local(until, "%Y-%m-%d", 0, &t) != 0)
			return cmd_usage_error(ctx, "--until wants YYYY-MM-DD, "
			    "not '%s'", until);
		if (store_begin(st) != 0 || (rc = action_perdes_open(st, code,
		    village, title, until, time(NULL))) < 0 ||
		    store_commit(st) != 0)
			goto fail_tx;
		printf("%s open for %s until %s: %s; announced to %d\n", code,
		    village, until, title, rc);
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

/* Queue the announcement to the village's warga and pendamping (the
 * sending policy holds it in quiet hours); the scheduler sends the
 * reminder the day before. Returns how many people, or -1. */
static int
announce_meeting(struct store *st, const struct meeting *m)
{
	char text[REPLY_MAX];

	if (action_meeting_text(st, m, R_MEETING_ANNOUNCE, "", text,
	    sizeof(text)) < 0)
		return -1;
	return action_announce(st, m->desa, text, "announcement", time(NULL));
}

/* meetings add --desa D --date YYYY-MM-DD --time HH:MM --type T --place P |
 * meetings list --desa D: the deliberations coordinators announce. */
int
cmd_meetings(struct cmd_ctx *ctx)
{
	static const char *const types[] = { "RPJM", "RKP", "APB", "PERDES",
	    "SOS", "EVAL", "KAD", "LAIN" };
	static const char *const cols[] = { "desa", "tanggal", "waktu", "jenis",
	    "tempat" };
	const char *desa = cmd_get(ctx, 'd'), *date = cmd_get(ctx, 't');
	const char *when = cmd_get(ctx, 'w'), *type = cmd_get(ctx, 'j');
	const char *place = cmd_get(ctx, 'p'), *action = ctx->action;
	struct store *st = ctx->st;
	struct meeting m, next[20];
	char village[DESA_MAX], why[512];
	int i, rc = 1, n, hh, mm;
	long long t, id;
	size_t k;

	if (place == NULL)
		place = "";
	if (desa == NULL)
		return cmd_usage_error(ctx, "%s needs --desa", action);
	if (cli_village(st, ctx->conf->area, desa, village, sizeof(village),
	    why, sizeof(why)) == NULL) {
		fprintf(stderr, "kentongan: %s\n", why);
		return 1;
	}
	if (!strcmp(action, "add")) {
		memset(&m, 0, sizeof(m));
		if (date == NULL ||
		    clock_parse_local(date, "%Y-%m-%d", 0, &t) != 0 ||
		    when == NULL ||
		    sscanf(when, "%d:%d", &hh, &mm) != 2 || hh < 0 || hh > 23 ||
		    mm < 0 || mm > 59 || type == NULL) {
			return cmd_usage_error(ctx, "add needs --date "
			    "YYYY-MM-DD, --time HH:MM and --type");
		}
		for (k = 0; k < sizeof(types) / sizeof(types[0]); k++)
			if (!strcasecmp(type, types[k]))
				break;
		if (k == sizeof(types) / sizeof(types[0])) {
			return cmd_usage_error(ctx, "the type is one of RPJM, "
			    "RKP, APB, PERDES, SOS, EVAL, KAD, LAIN, not '%s'",
			    type);
		}
		snprintf(m.desa, sizeof(m.desa), "%s", village);
		snprintf(m.tanggal, sizeof(m.tanggal), "%s", date);
		snprintf(m.waktu, sizeof(m.waktu), "%02d:%02d", hh, mm);
		snprintf(m.jenis, sizeof(m.jenis), "%s", types[k]);
		snprintf(m.tempat, sizeof(m.tempat), "%s", place);
		if (store_begin(st) != 0 ||
		    store_meeting_add(st, &m, time(NULL), &id) != 0 ||
		    (n = announce_meeting(st, &m)) < 0 ||
		    store_commit(st) != 0) {
			store_rollback(st);
			fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
			return 1;
		}
		printf("meeting %lld: %s %s %s %s %s; announced to %d, "
		    "reminder the day before\n", id, m.desa, m.tanggal, m.waktu,
		    m.jenis, m.tempat, n);
		rc = 0;
	} else {
		struct cli_out out = { .f = stdout, .format = ctx->format };
		char today[16];
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		if ((n = store_meetings_next(st, village, today, next, 20)) < 0) {
			fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
			return 1;
		}
		/* the table keeps its old look: no header, a meeting a line */
		if (ctx->format != OUT_TABLE)
			cli_row(&out, 0, 5, cols);
		for (i = 0; i < n; i++) {
			const char *v[] = { next[i].desa, next[i].tanggal,
			    next[i].waktu, next[i].jenis, next[i].tempat };

			if (ctx->format == OUT_TABLE)
				printf("%s %s %s %s %s\n", v[0], v[1], v[2],
				    v[3], v[4]);
			else
				cli_row(&out, i + 1, 5, v);
		}
		cli_out_end(&out);
		rc = 0;
	}
	return rc;
}

/* broadcast GROUP TEXT: what a coordinator's SIARAN does, from the office. */
int
cmd_broadcast(struct cmd_ctx *ctx)
{
	const char *group = ctx->argv[0], *text = ctx->argv[1];
	struct store *st = ctx->st;
	char village[DESA_MAX], why[512];
	double t0;
	int n;

	if (text[0] == '\0')
		return cmd_usage_error(ctx, "the text is empty");
	/* a group that is no role is a village, resolved the one way */
	if (action_broadcast_role(group) == NULL &&
	    (group = cli_village(st, ctx->conf->area, group, village,
	    sizeof(village), why, sizeof(why))) == NULL) {
		fprintf(stderr, "kentongan: unknown group: %s\n", why);
		return 1;
	}
	t0 = clock_mono();
	if (store_begin(st) != 0 ||
	    (n = action_broadcast(st, group, text, NULL, time(NULL))) < 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
		return 1;
	}
	printf("%d SMS queued to %s in %.3f s\n", n, ctx->argv[0],
	    clock_mono() - t0);
	return 0;
}
