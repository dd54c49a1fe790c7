#include "gateway/util/status.h"
#include "gateway/util/clock.h"
#include "parser/json.h"
#include "store/store.h"
#include "store/store_central.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct render {
	FILE *f;
	long long now;
	int n;
};


int
status_stale(const struct modem_status *m, long long now)
{
	return now - m->updated_at > STATUS_STALE;
}

/* Write s escaped as a JSON string. Every field is a bounded char array,
 * so a fixed buffer holds its escaped form. */
static void
put_json(FILE *f, const char *s)
{
	char buf[2048];
	size_t n = json_string(s, strlen(s), buf, sizeof(buf));

	if (n <= sizeof(buf))
		fwrite(buf, 1, n, f);
	else
		fputs("\"\"", f);
}

/* "key": after a comma unless first. */
static void
put_key(FILE *f, int first, const char *key)
{
	if (!first)
		fputc(',', f);
	put_json(f, key);
	fputc(':', f);
}

static void
put_str(FILE *f, int first, const char *key, const char *s)
{
	put_key(f, first, key);
	put_json(f, s);
}

static int
put_modem(void *arg, const struct modem_status *m)
{
	struct render *r = arg;
	FILE *f = r->f;

	fputs(r->n++ ? ",{" : "{", f);
	put_str(f, 1, "name", m->name);
	put_str(f, 0, "state", m->state);
	fprintf(f, ",\"since\":%lld,\"stale\":%s,\"signal\":%d", m->since,
	    status_stale(m, r->now) ? "true" : "false", m->signal);
	put_str(f, 0, "network", m->network);
	put_str(f, 0, "operator", m->op);
	put_str(f, 0, "model", m->model);
	put_str(f, 0, "last_error", m->last_error);
	fprintf(f, ",\"paused_until\":%lld,\"sent_today\":%d,"
	    "\"received_today\":%d,\"failed_today\":%d,\"held\":%d,"
	    "\"credit\":%lld", m->paused_until, m->sent_today,
	    m->received_today, m->failed_today, m->held, m->credit);
	put_str(f, 0, "credit_text", m->credit_text);
	fprintf(f, ",\"credit_at\":%lld,\"credit_low\":%s,\"updated_at\":%lld}",
	    m->credit_at, m->credit_low ? "true" : "false", m->updated_at);
	return 0;
}

static int
put_queue(void *arg, const char *name, long long n)
{
	struct render *r = arg;

	put_key(r->f, r->n++ == 0, name);
	fprintf(r->f, "%lld", n);
	return 0;
}

/* "central": the push to the central database, when [central] is on. */
static int
put_central(struct store *st, FILE *f)
{
	struct central_status cs;

	if (store_central_status(st, &cs) != 0)
		return -1;
	if (!cs.enabled)
		return 0;
	fputs(",\"central\":{", f);
	put_str(f, 1, "site", cs.site);
	fprintf(f, ",\"backlog\":%lld,\"pushed_seq\":%lld,"
	    "\"last_push_at\":%lld", cs.backlog, cs.pushed_seq,
	    cs.last_push_at);
	put_str(f, 0, "last_error", cs.last_error);
	fprintf(f, ",\"error_since\":%lld,\"updated_at\":%lld}",
	    cs.error_since, cs.updated_at);
	return 0;
}

int
status_json(struct store *st, long long now, char **out, size_t *len)
{
	struct render r = { .now = now };
	int rc = -1;

	*out = NULL;
	*len = 0;
	if ((r.f = open_memstream(out, len)) == NULL)
		return -1;
	fputs("{\"modems\":[", r.f);
	if (store_modem_list(st, clock_day_start(now), put_modem, &r) != 0)
		goto done;
	fputs("],\"queues\":{", r.f);
	r.n = 0;
	if (store_queue_depths(st, put_queue, &r) != 0)
		goto done;
	fputs("}", r.f);
	if (put_central(st, r.f) != 0)
		goto done;
	fputs("}\n", r.f);
	rc = 0;
done:
	if (fclose(r.f) != 0)
		rc = -1;
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*len = 0;
	}
	return rc;
}
