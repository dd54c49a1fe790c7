/*
 * central_link: the loop's side of the pusher (gateway/central/). At
 * start it turns capture on (every row becomes a change the first time)
 * or off, and starts the thread; then it only reads the thread's reports
 * from a pipe and writes them down: what central has committed is
 * deleted from central_changes, and central_state says what `status`
 * shows. A push that fails is retried by the thread; the loop warns once
 * when none has succeeded for warn_after seconds while rows wait.
 */
#include "gateway/central/central.h"
#include "gateway/loop/central_link.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/log.h"
#include "store/store_central.h"

#include <event2/event.h>
#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct central_link {
	struct gateway *gw;
	struct central_pusher *pusher;
	struct event *news_ev;
	long long ok_at;	/* the last push central committed */
	long long backlog;
	int warned;		/* about warn_after, since ok_at */
	char last_error[400];
};

static void
on_pushed(struct central_link *l, const struct central_report *r)
{
	struct gateway *gw = l->gw;
	long long now = gw_now(gw);

	if (l->last_error[0] != '\0' || l->warned)
		log_info("central: pushing again (position %lld, %lld waiting)",
		    r->seq, r->backlog);
	l->last_error[0] = '\0';
	l->warned = 0;
	l->ok_at = now;
	l->backlog = r->backlog;
	if (r->rows > 0)
		log_debug("central: %lld rows in %.3f s, position %lld, %lld "
		    "changes waiting", r->rows, r->seconds, r->seq, r->backlog);
	/* busy (a CLI's transaction): the next report prunes as far */
	if (store_central_pushed(gw->store, r->seq, r->backlog, now) != 0 &&
	    !store_last_was_busy(gw->store))
		log_warnx("central: the push's position not recorded: %s",
		    store_errmsg(gw->store));
}

static void
on_failed(struct central_link *l, const struct central_report *r)
{
	struct gateway *gw = l->gw;
	long long now = gw_now(gw);

	if (strcmp(l->last_error, r->error) != 0)
		log_warnx("central: %s; the records wait on this box and go "
		    "when it answers", r->error);
	snprintf(l->last_error, sizeof(l->last_error), "%s", r->error);
	if (store_central_failed(gw->store, r->error, now) != 0 &&
	    !store_last_was_busy(gw->store))
		log_warnx("central: not recorded: %s", store_errmsg(gw->store));
	if (!l->warned && now - l->ok_at >= gw->conf->central_warn_after) {
		l->warned = 1;
		log_alarm("central: nothing pushed for %lld s (warn_after %d): "
		    "%s", now - l->ok_at, gw->conf->central_warn_after,
		    r->error);
	}
}

static void
on_news(evutil_socket_t fd, short what, void *arg)
{
	struct central_link *l = arg;
	struct central_report r;
	int n;

	(void)fd;
	(void)what;
	while ((n = central_pusher_read(l->pusher, &r)) == 1) {
		switch (r.news) {
		case CENTRAL_PUSHED:
			on_pushed(l, &r);
			break;
		case CENTRAL_FAILED:
			on_failed(l, &r);
			break;
		case CENTRAL_RESEED:
			log_warnx("central: site %s has pushed changes up to "
			    "%lld, more than this database has made (a copy "
			    "restored, or the site name used before): every "
			    "row is sent again, numbered after it",
			    l->gw->conf->central_site, r.seq);
			if (store_central_reseed(l->gw->store, r.seq) != 0)
				log_warnx("central: %s",
				    store_errmsg(l->gw->store));
			break;
		}
	}
	if (n < 0)
		event_del(l->news_ev);
}

int
central_link_start(struct gateway *gw)
{
	const struct config *c = gw->conf;
	struct central_link *l;
	struct central_job job;
	unsigned char key[32];
	long long rows;
	char err[512];

	if (!c->central_enabled) {
		struct central_status cs;

		if (store_central_status(gw->store, &cs) == 0 && cs.enabled) {
			log_info("central: [central] is gone from the "
			    "configuration: nothing is captured for it");
			if (store_central_disable(gw->store) != 0)
				log_warnx("central: %s",
				    store_errmsg(gw->store));
		}
		return 0;
	}
	if (sodium_init() < 0)
		return -1;
	randombytes_buf(key, sizeof(key));
	if (store_central_enable(gw->store, c->central_site, key, sizeof(key),
	    &rows) != 0) {
		log_warnx("central: %s", store_errmsg(gw->store));
		return -1;
	}
	sodium_memzero(key, sizeof(key));
	if (rows > 0)
		log_info("central: %lld rows of this database to send to site "
		    "%s", rows, c->central_site);
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return -1;
	gw->central = l;
	l->gw = gw;
	l->ok_at = gw_now(gw);
	memset(&job, 0, sizeof(job));
	snprintf(job.database, sizeof(job.database), "%s", c->database);
	snprintf(job.conninfo, sizeof(job.conninfo), "%s", c->central_conninfo);
	snprintf(job.site, sizeof(job.site), "%s", c->central_site);
	snprintf(job.software, sizeof(job.software), "kentongan");
	job.interval = c->central_interval;
	job.share_numbers = c->central_share_numbers;
	if ((l->pusher = central_pusher_start(&job, err, sizeof(err))) ==
	    NULL) {
		log_warnx("central: %s", err);
		return -1;
	}
	if ((l->news_ev = event_new(gw->base, central_pusher_fd(l->pusher),
	    EV_READ | EV_PERSIST, on_news, l)) == NULL)
		return -1;
	event_add(l->news_ev, NULL);
	log_info("central: pushing to site %s every %d s (numbers %s)",
	    c->central_site, c->central_interval, c->central_share_numbers ?
	    "shared" : "as keyed hashes");
	return 0;
}

void
central_link_stop(struct gateway *gw)
{
	struct central_link *l = gw->central;

	if (l == NULL)
		return;
	central_pusher_stop(l->pusher);
	if (l->news_ev != NULL)
		event_free(l->news_ev);
	free(l);
	gw->central = NULL;
}
