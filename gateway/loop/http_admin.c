/*
 * The admin listener's pages (/health, /metrics, /status): what a monitor
 * polls. They read what the loop knows and the store's small tables, and
 * never write.
 */
#include "gateway/loop/gateway.h"
#include "gateway/loop/http_int.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"
#include "gateway/util/status.h"
#include "store/store_central.h"

#include <event2/buffer.h>
#include <event2/http.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* /health: 200 while SMS are taken in: the store is writable and on disk,
 * the last batch read from a modem was stored, and a modem is up. It
 * reads only what the loop already knows: a write here would wait for any
 * CLI transaction, and a monitor polls this. */
void
http_admin_health(struct evhttp_request *req, void *arg)
{
	struct gateway *gw = arg;
	char why[256] = "";
	int i, up = 0;

	for (i = 0; i < gw->nmodems; i++)
		up += gw->modems[i].state == MODEM_UP;
	for (i = 0; i < gw->nkannels; i++)
		up += gw->kannel_ops->up(gw, i);
	if (store_readonly(gw->store))
		snprintf(why, sizeof(why), "store not writable: the database "
		    "file or its file system is read-only");
	else if (gw->sync_error)
		snprintf(why, sizeof(why), "store cannot sync to disk: %s "
		    "(nothing is deleted or sent)", strerror(gw->sync_error));
	else if (gw->intake_error[0])
		snprintf(why, sizeof(why), "%s", gw->intake_error);
	else if (up == 0)
		snprintf(why, sizeof(why), gw->nkannels ? "no modem or Kannel "
		    "bearer is up" : "no modem is up");
	if (why[0] != '\0') {
		strncat(why, "\n", sizeof(why) - strlen(why) - 1);
		http_reply_text(req, 503, "Service Unavailable", why);
	} else
		http_reply_text(req, 200, "OK", "ok\n");
}

/* Rows of the message counts, added to a buffer as Prometheus lines. */
struct counts {
	struct evbuffer *b;
	long long queued;
};

static int
count_row(void *arg, int row, int n, const char *const *v)
{
	struct counts *c = arg;

	if (row == 0 || n < 4)
		return 0;
	evbuffer_add_printf(c->b, "kentongan_messages{direction=\"%s\","
	    "kind=\"%s\",state=\"%s\"} %s\n", v[0], v[1], v[2], v[3]);
	if (!strcmp(v[0], "out") && (!strcmp(v[2], "queued") ||
	    !strcmp(v[2], "failed") || !strcmp(v[2], "sending")))
		c->queued += atoll(v[3]);
	return 0;
}

/* Each bearer's day (modems and Kannel alike), from its status row. */
static int
bearer_day(void *arg, const struct modem_status *m)
{
	struct evbuffer *b = arg;

	evbuffer_add_printf(b, "kentongan_bearer_sent_today{bearer=\"%s\"} %d\n"
	    "kentongan_bearer_failed_today{bearer=\"%s\"} %d\n"
	    "kentongan_bearer_held{bearer=\"%s\"} %d\n", m->name,
	    m->sent_today, m->name, m->failed_today, m->name, m->held);
	return 0;
}

void
http_admin_metrics(struct evhttp_request *req, void *arg)
{
	struct gateway *gw = arg;
	const struct ussd_figures *h = http_ussd_figures(gw);
	struct counts c = { evbuffer_new(), 0 };
	struct central_status cs;
	size_t i;

	if (c.b == NULL) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	evbuffer_add_printf(c.b, "# TYPE kentongan_messages gauge\n");
	if (store_export(gw->store, EXPORT_COUNTS, NULL, count_row, &c) != 0) {
		evbuffer_free(c.b);
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	evbuffer_add_printf(c.b, "# TYPE kentongan_outbox_queue gauge\n"
	    "kentongan_outbox_queue %lld\n# TYPE kentongan_modem_up gauge\n",
	    c.queued);
	for (i = 0; i < (size_t)gw->nmodems; i++)
		evbuffer_add_printf(c.b, "kentongan_modem_up{modem=\"%s\"} %d\n",
		    gw->modems[i].name, gw->modems[i].state == MODEM_UP);
	/* a Kannel bearer is one more modem to whoever watches */
	for (i = 0; i < (size_t)gw->nkannels; i++)
		evbuffer_add_printf(c.b, "kentongan_modem_up{modem=\"%s\"} %d\n",
		    gw->kannel_ops->name(gw, (int)i),
		    gw->kannel_ops->up(gw, (int)i));
	/* SMS parts sent, failed tries and reports, rows sending or taken by
	 * Kannel and not yet confirmed: gauges of the local day */
	evbuffer_add_printf(c.b, "# TYPE kentongan_bearer_sent_today gauge\n"
	    "# TYPE kentongan_bearer_failed_today gauge\n"
	    "# TYPE kentongan_bearer_held gauge\n");
	if (store_modem_list(gw->store, clock_day_start(gw_now(gw)),
	    bearer_day, c.b) != 0)
		log_warnx("metrics: bearers: %s", store_errmsg(gw->store));
	/* the push to central: what waits, and since when it works */
	if (store_central_status(gw->store, &cs) == 0 && cs.enabled)
		evbuffer_add_printf(c.b, "# TYPE kentongan_central_backlog gauge\n"
		    "kentongan_central_backlog %lld\n"
		    "# TYPE kentongan_central_last_push_timestamp_seconds gauge\n"
		    "kentongan_central_last_push_timestamp_seconds %lld\n"
		    "# TYPE kentongan_central_failing gauge\n"
		    "kentongan_central_failing %d\n", cs.backlog,
		    cs.last_push_at, cs.last_error[0] != '\0');
	evbuffer_add_printf(c.b, "# TYPE kentongan_ussd_requests_total counter\n");
	for (i = 0; i < 5; i++)
		evbuffer_add_printf(c.b, "kentongan_ussd_requests_total{code=\""
		    "%zuxx\"} %lu\n", i + 1, h->by_status[i]);
	evbuffer_add_printf(c.b, "# TYPE kentongan_ussd_latency_seconds "
	    "histogram\n");
	for (i = 0; i < HTTP_NBUCKETS; i++)
		evbuffer_add_printf(c.b, "kentongan_ussd_latency_seconds_bucket"
		    "{le=\"%g\"} %lu\n", http_buckets[i], h->latency_bucket[i]);
	evbuffer_add_printf(c.b, "kentongan_ussd_latency_seconds_bucket"
	    "{le=\"+Inf\"} %lu\nkentongan_ussd_latency_seconds_sum %.6f\n"
	    "kentongan_ussd_latency_seconds_count %lu\n", h->latency_count,
	    h->latency_sum, h->latency_count);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4");
	evhttp_send_reply(req, 200, "OK", c.b);
	evbuffer_free(c.b);
}

/* /status: each modem's state and the queues, as JSON: the modem rows
 * the loop writes to the store, rendered as `kentongan status` does. */
void
http_admin_status(struct evhttp_request *req, void *arg)
{
	struct gateway *gw = arg;
	struct evbuffer *b = evbuffer_new();
	char *doc = NULL;
	size_t len;

	if (b == NULL || status_json(gw->store, (long long)time(NULL), &doc,
	    &len) != 0 || evbuffer_add(b, doc, len) != 0) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		goto done;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	evhttp_send_reply(req, 200, "OK", b);
done:
	free(doc);
	if (b != NULL)
		evbuffer_free(b);
}

