/*
 * `kentongan status`: each modem's state and the queue depths, read from
 * the store the daemon writes (a row per modem on every change and every
 * 30 s), so it works while the daemon runs and says when it does not.
 */
#include "gateway/cli/commands.h"
#include "config/config.h"
#include "parser/json.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STALE	90	/* seconds: an older row means no daemon wrote it */

struct status_ctx {
	int json;
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

/* The start of today in the configured zone. */
static long long
day_start(long long now)
{
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (long long)mktime(&tm);
}

/* A JSON string of s into out. */
static const char *
jstr(const char *s, char *out, size_t cap)
{
	size_t n = json_string(s, strlen(s), out, cap - 1);

	if (n >= cap - 1)
		snprintf(out, cap, "\"\"");
	else
		out[n] = '\0';	/* json_string writes no NUL */
	return out;
}

static int
print_modem(void *arg, const struct modem_status *m)
{
	struct status_ctx *x = arg;
	char a[32], b[32], j[8][600];
	const char *state = m->state;
	int stale = x->now - m->updated_at > STALE;

	if (x->json) {
		printf("%s{\"name\":%s,\"state\":%s,\"since\":%lld,"
		    "\"stale\":%s,\"signal\":%d,\"network\":%s,\"operator\":%s,"
		    "\"model\":%s,\"last_error\":%s,\"paused_until\":%lld,"
		    "\"sent_today\":%d,\"received_today\":%d,\"credit\":%lld,"
		    "\"credit_text\":%s,\"credit_at\":%lld,\"credit_low\":%s}",
		    x->n ? "," : "", jstr(m->name, j[0], sizeof(j[0])),
		    jstr(m->state, j[1], sizeof(j[1])), m->since,
		    stale ? "true" : "false", m->signal,
		    jstr(m->network, j[2], sizeof(j[2])),
		    jstr(m->op, j[3], sizeof(j[3])),
		    jstr(m->model, j[4], sizeof(j[4])),
		    jstr(m->last_error, j[5], sizeof(j[5])), m->paused_until,
		    m->sent_today, m->received_today, m->credit,
		    jstr(m->credit_text, j[6], sizeof(j[6])), m->credit_at,
		    m->credit_low ? "true" : "false");
		x->n++;
		return 0;
	}
	if (x->n++ == 0)
		printf("%-8s %-8s %-16s %6s %-10s %5s %5s %-12s %s\n", "MODEM",
		    "STATE", "SINCE", "SIGNAL", "OPERATOR", "SENT", "RECV",
		    "CREDIT", "LAST ERROR");
	if (m->credit >= 0)
		snprintf(a, sizeof(a), "Rp %lld%s", m->credit,
		    m->credit_low ? "!" : "");
	else
		snprintf(a, sizeof(a), "-");
	if (m->signal >= 0)
		snprintf(j[0], sizeof(j[0]), "%d%%", m->signal);
	else
		snprintf(j[0], sizeof(j[0]), "-");
	printf("%-8s %-8s %-16s %6s %-10s %5d %5d %-12s %s\n", m->name,
	    stale ? "unknown" : state, when(m->since, b, sizeof(b)), j[0],
	    m->op[0] ? m->op : "-", m->sent_today, m->received_today, a,
	    m->last_error[0] ? m->last_error : "-");
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

	snprintf(x->queues + len, sizeof(x->queues) - len,
	    x->json ? "%s\"%s\":%lld" : "%s%s %lld", len ? (x->json ? "," :
	    ", ") : "", name, n);
	return 0;
}

int
cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_CONFIG;
	struct status_ctx x;
	struct config *c;
	struct store *st = NULL;
	char err[512];
	int ch, rc = 1;

	memset(&x, 0, sizeof(x));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				x.json = 1;
			else if (strcmp(optarg, "table") != 0) {
				fprintf(stderr, "status: --format table|json\n");
				return 2;
			}
			break;
		default:
			return 2;
		}
	}
	if ((c = malloc(sizeof(*c))) == NULL)
		return 1;
	if (config_load(c, path) != 0) {
		for (ch = 0; ch < c->nerrors; ch++)
			fprintf(stderr, "%s\n", c->errors[ch]);
		goto out;
	}
	setenv("TZ", c->timezone, 1);
	tzset();
	if ((st = store_open(c->database, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "status: %s\n", err);
		goto out;
	}
	x.now = (long long)time(NULL);
	if (x.json)
		printf("{\"modems\":[");
	if (store_modem_list(st, day_start(x.now), print_modem, &x) != 0 ||
	    store_queue_depths(st, add_queue, &x) != 0) {
		fprintf(stderr, "status: %s\n", store_errmsg(st));
		goto out;
	}
	if (x.json)
		printf("],\"queues\":{%s}}\n", x.queues);
	else {
		if (x.n == 0)
			printf("no modem has been started on this database\n");
		printf("queues: %s\n", x.queues[0] ? x.queues : "empty");
	}
	rc = 0;
out:
	store_close(st);
	free(c);
	return rc;
}
