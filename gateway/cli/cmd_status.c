/*
 * `kentongan status`: each modem's state and the queue depths, read from
 * the store the daemon writes (a row per modem on every change and every
 * 30 s), so it works while the daemon runs and says when it does not.
 */
#include "gateway/cli/commands.h"
#include "store/store_central.h"
#include "gateway/util/status.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct status_ctx {
	struct cli_out *csv;	/* --format csv: a row per modem */
	int n;
	long long now;
	char queues[512];
};

/* Local time of t as "YYYY-MM-DD HH:MM", or "-" for 0. */
static const char *
when(long long t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || localtime_r(&tt, &tm) == NULL)
		return "-";
	strftime(buf, cap, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

static int
print_modem(void *arg, const struct modem_status *m)
{
	struct status_ctx *x = arg;
	char a[32], b[32], sig[16];
	const char *state = m->state;
	int stale = status_stale(m, x->now);

	if (x->csv != NULL) {
		static const char *const cols[] = { "name", "state", "since",
		    "stale", "signal", "network", "operator", "model",
		    "last_error", "paused_until", "sent_today",
		    "received_today", "credit", "credit_text", "credit_at",
		    "credit_low", "failed_today", "held" };
		char num[10][24];
		const char *v[18] = { m->name, m->state, num[0],
		    stale ? "true" : "false", num[1], m->network, m->op,
		    m->model, m->last_error, num[2], num[3], num[4], num[5],
		    m->credit_text, num[6], m->credit_low ? "true" : "false",
		    num[7], num[8] };

		snprintf(num[0], sizeof(num[0]), "%lld", m->since);
		snprintf(num[1], sizeof(num[1]), "%d", m->signal);
		snprintf(num[2], sizeof(num[2]), "%lld", m->paused_until);
		snprintf(num[3], sizeof(num[3]), "%d", m->sent_today);
		snprintf(num[4], sizeof(num[4]), "%d", m->received_today);
		snprintf(num[5], sizeof(num[5]), "%lld", m->credit);
		snprintf(num[6], sizeof(num[6]), "%lld", m->credit_at);
		snprintf(num[7], sizeof(num[7]), "%d", m->failed_today);
		snprintf(num[8], sizeof(num[8]), "%d", m->held);
		if (x->n++ == 0)
			cli_row(x->csv, 0, 18, cols);
		return cli_row(x->csv, x->n, 18, v);
	}
	if (x->n++ == 0)
		printf("%-8s %-8s %-16s %6s %-10s %5s %5s %5s %5s %-12s %s\n",
		    "BEARER", "STATE", "SINCE", "SIGNAL", "OPERATOR", "SENT",
		    "RECV", "FAIL", "HELD", "CREDIT", "LAST ERROR");
	if (m->credit >= 0)
		snprintf(a, sizeof(a), "Rp %lld%s", m->credit,
		    m->credit_low ? "!" : "");
	else
		snprintf(a, sizeof(a), "-");
	if (m->signal >= 0)
		snprintf(sig, sizeof(sig), "%d%%", m->signal);
	else
		snprintf(sig, sizeof(sig), "-");
	printf("%-8s %-8s %-16s %6s %-10s %5d %5d %5d %5d %-12s %s\n",
	    m->name, stale ? "unknown" : state, when(m->since, b, sizeof(b)),
	    sig, m->op[0] ? m->op : "-", m->sent_today, m->received_today,
	    m->failed_today, m->held, a, m->last_error[0] ? m->last_error :
	    "-");
	if (stale)
		printf("         (last written %s: is the daemon running?)\n",
		    when(m->updated_at, b, sizeof(b)));
	return 0;
}

static int
add_queue(void *arg, const char *name, long long n)
{
	struct status_ctx *x = arg;
	size_t len = strlen(x->queues);

	snprintf(x->queues + len, sizeof(x->queues) - len, "%s%s %lld",
	    len ? ", " : "", name, n);
	return 0;
}

/* The line of the push to the central database, when [central] is on. */
static int
print_central(struct store *st, long long now)
{
	struct central_status cs;
	char a[32];

	if (store_central_status(st, &cs) != 0) {
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
		return 1;
	}
	if (!cs.enabled)
		return 0;
	printf("central: site %s, %lld change%s waiting, last push %s", cs.site,
	    cs.backlog, cs.backlog == 1 ? "" : "s",
	    cs.last_push_at ? when(cs.last_push_at, a, sizeof(a)) : "never");
	if (cs.last_error[0])
		printf("; failing for %lld s: %s", now - cs.error_since,
		    cs.last_error);
	printf("\n");
	return 0;
}

/* The JSON is status_json()'s, the same document the admin /status
 * serves; jsonl is that one line. */
int
cmd_status(struct cmd_ctx *ctx)
{
	struct cli_out out = { .f = stdout, .format = OUT_CSV };
	struct status_ctx x;
	char *doc;
	size_t len;

	memset(&x, 0, sizeof(x));
	x.now = (long long)time(NULL);
	if (ctx->format == OUT_JSON || ctx->format == OUT_JSONL) {
		if (status_json(ctx->st, x.now, &doc, &len) != 0) {
			fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
			return 1;
		}
		fwrite(doc, 1, len, stdout);
		free(doc);
		return 0;
	}
	if (ctx->format == OUT_CSV)
		x.csv = &out;
	if (store_modem_list(ctx->st, clock_day_start(x.now), print_modem,
	    &x) != 0 || (x.csv == NULL &&
	    store_queue_depths(ctx->st, add_queue, &x) != 0)) {
		fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
		return 1;
	}
	if (x.csv != NULL) {
		cli_out_end(&out);
		return 0;
	}
	if (x.n == 0)
		printf("no modem has been started on this database\n");
	printf("queues: %s\n", x.queues[0] ? x.queues : "empty");
	return print_central(ctx->st, x.now);
}
