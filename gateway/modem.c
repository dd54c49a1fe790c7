/* The loop's side of a modem worker: start, read its events, restart. */
#include "gateway/gateway.h"
#include "gateway/frame.h"
#include "gateway/log.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static struct frame txf;

/* Queue a frame to the worker; bufferevents never block the loop. */
static void
modem_post(struct modem *m, struct frame *f)
{
	size_t n;
	const unsigned char *p = frame_bytes(f, &n);

	if (m->bev != NULL)
		bufferevent_write(m->bev, p, n);
}

void
modem_delete(struct modem *m, int folder, int location)
{
	frame_init(&txf, CMD_DELETE);
	frame_put_int(&txf, folder);
	frame_put_int(&txf, location);
	modem_post(m, &txf);
}

int
modem_send(struct modem *m, long long id, const char *number,
    const char *text)
{
	frame_init(&txf, CMD_SEND);
	if (frame_put_int(&txf, id) != 0 ||
	    frame_put_cstr(&txf, number) != 0 ||
	    frame_put_cstr(&txf, text) != 0 ||
	    frame_put_int(&txf, 1) != 0)
		return -1;
	m->sending = id;
	modem_post(m, &txf);
	return 0;
}

/* Take one EV_SMS into the modem's batch. */
static void
take_sms(struct modem *m, struct frame *f)
{
	struct pending_sms *p;
	long long v[4];
	const char *text;
	size_t len;

	if (m->nbatch >= INBOUND_BATCH)
		inbound_flush(m);
	p = &m->batch[m->nbatch];
	memset(p, 0, sizeof(*p));
	if (frame_get_int(f, &v[0]) != 0 || frame_get_int(f, &v[1]) != 0 ||
	    frame_get_cstr(f, p->number_raw, sizeof(p->number_raw)) != 0 ||
	    frame_get_int(f, &p->smsc_time) != 0 ||
	    frame_get_cstr(f, p->coding, sizeof(p->coding)) != 0 ||
	    frame_get_str(f, &text, &len) != 0)
		goto bad;
	p->folder = (int)v[0];
	p->location = (int)v[1];
	if (frame_get_int(f, &v[0]) != 0 || frame_get_int(f, &v[1]) != 0 ||
	    frame_get_int(f, &v[2]) != 0 || frame_get_int(f, &v[3]) != 0)
		goto bad;
	p->ref = (int)v[0];
	p->total = (int)v[1];
	p->seq = (int)v[2];
	p->is_report = (int)v[3];
	if (frame_get_int(f, &v[0]) != 0 || frame_get_int(f, &v[1]) != 0 ||
	    frame_get_int(f, &v[2]) != 0)
		goto bad;
	p->report_ref = (int)v[0];
	p->report_status = (int)v[1];
	p->is_binary = (int)v[2];
	if ((p->text = malloc(len + 1)) == NULL)
		goto bad;
	memcpy(p->text, text, len);
	p->text[len] = '\0';
	p->text_len = len;
	m->nbatch++;
	return;
bad:
	log_warnx("%s: malformed SMS event from the worker", m->name);
}

/* Set the modem's state and say so once. */
static void
set_state(struct modem *m, enum modem_state st, const char *why)
{
	static const char *const names[] = { "starting", "up", "down" };

	if (m->state == st)
		return;
	m->state = st;
	m->state_since = gw_now(m->gw);
	if (st == MODEM_DOWN)
		log_warnx("%s: modem down: %s", m->name, why);
	else
		log_info("%s: modem %s%s%s", m->name, names[st],
		    why ? ": " : "", why ? why : "");
}

static void
handle_event(struct modem *m, struct frame *f)
{
	long long a, b, c, d;
	char err[256];

	if (f->type != EV_SMS && m->nbatch > 0)
		inbound_flush(m);
	switch (f->type) {
	case EV_SMS:
		take_sms(m, f);
		break;
	case EV_SCAN_DONE:
		break;
	case EV_UP:
		frame_get_cstr(f, m->manufacturer, sizeof(m->manufacturer));
		frame_get_cstr(f, m->model, sizeof(m->model));
		frame_get_cstr(f, m->imei, sizeof(m->imei));
		frame_get_cstr(f, m->network, sizeof(m->network));
		if (frame_get_int(f, &a) == 0)
			m->signal = (int)a;
		m->backoff = 0;
		snprintf(err, sizeof(err), "%s %s, network %s, signal %d%%",
		    m->manufacturer, m->model, m->network[0] ? m->network : "?",
		    m->signal);
		set_state(m, MODEM_UP, err);
		outbound_schedule(m->gw, 0);
		break;
	case EV_DOWN:
		if (frame_get_cstr(f, m->last_error, sizeof(m->last_error)))
			snprintf(m->last_error, sizeof(m->last_error), "?");
		set_state(m, MODEM_DOWN, m->last_error);
		break;
	case EV_SENT:
		if (frame_get_int(f, &a) != 0 || frame_get_int(f, &b) != 0 ||
		    frame_get_int(f, &c) != 0 ||
		    frame_get_cstr(f, err, sizeof(err)) != 0 ||
		    frame_get_int(f, &d) != 0) {
			log_warnx("%s: malformed send result", m->name);
			break;
		}
		outbound_sent(m, a, (int)b, (int)c, err, (int)d);
		break;
	default:
		log_warnx("%s: unknown event %d from the worker", m->name,
		    f->type);
	}
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct modem *m = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	static struct frame rx;

	for (;;) {
		unsigned char *hdr;
		long n;

		if (evbuffer_get_length(in) < FRAME_HEADER)
			break;
		hdr = evbuffer_pullup(in, FRAME_HEADER);
		if ((n = frame_size(hdr)) < 0) {
			log_warnx("%s: corrupt stream from the worker", m->name);
			modem_stop(m);
			return;
		}
		if (evbuffer_get_length(in) < (size_t)n)
			break;
		if (frame_load(&rx, evbuffer_pullup(in, n), (size_t)n) == 0)
			handle_event(m, &rx);
		evbuffer_drain(in, (size_t)n);
	}
	/* Commit what this read brought in one transaction. */
	if (m->nbatch > 0)
		inbound_flush(m);
}

static void
restart_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	modem_start(arg);
}

/* The worker is gone: reap it, requeue its send, restart with backoff. */
static void
worker_gone(struct modem *m)
{
	struct timeval tv;
	int status = 0;

	if (m->nbatch > 0)
		inbound_flush(m);
	if (m->bev != NULL) {
		bufferevent_free(m->bev);
		m->bev = NULL;
	}
	if (m->pid > 0) {
		kill(m->pid, SIGTERM);
		waitpid(m->pid, &status, 0);
		m->pid = 0;
	}
	if (m->sending) {
		outbound_sent(m, m->sending, 0, 0, "modem worker stopped", -1);
		m->sending = 0;
	}
	set_state(m, MODEM_DOWN, m->last_error[0] ? m->last_error :
	    "worker exited");
	if (m->gw->stopping)
		return;
	/* 1 s doubling to the configured ceiling. */
	m->backoff = m->backoff ? m->backoff * 2 : 1;
	if (m->backoff > m->gw->conf->modem_backoff_max)
		m->backoff = m->gw->conf->modem_backoff_max;
	log_info("%s: restarting the modem worker in %d s", m->name,
	    m->backoff);
	tv.tv_sec = m->backoff;
	tv.tv_usec = 0;
	evtimer_add(m->restart_ev, &tv);
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct modem *m = arg;

	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		worker_gone(m);
}

int
modem_start(struct modem *m)
{
	struct gateway *gw = m->gw;
	int sv[2];
	char idx[16], interval[16], reports[4];
	pid_t pid;

	if (m->restart_ev == NULL &&
	    (m->restart_ev = evtimer_new(gw->base, restart_cb, m)) == NULL)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		log_warn("%s: socketpair", m->name);
		return -1;
	}
	snprintf(idx, sizeof(idx), "%d", m->conf->gammu_index);
	snprintf(interval, sizeof(interval), "%d", gw->conf->receive_interval);
	snprintf(reports, sizeof(reports), "%d", m->conf->delivery_reports);
	if ((pid = fork()) < 0) {
		log_warn("%s: fork", m->name);
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		/* A fresh exec: libGammu's globals and a crash stay in it. */
		if (dup2(sv[1], 3) < 0)
			_exit(127);
		execl(gw->self_exe, "kentongan", "modem-worker", "-c",
		    gw->conf->path, "--index", idx, "--fd", "3", "--interval",
		    interval, "--reports", reports, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	evutil_make_socket_nonblocking(sv[0]);
	m->pid = pid;
	m->sending = 0;
	m->last_error[0] = '\0';
	m->bev = bufferevent_socket_new(gw->base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	if (m->bev == NULL) {
		close(sv[0]);
		worker_gone(m);
		return -1;
	}
	bufferevent_setcb(m->bev, on_read, NULL, on_event, m);
	bufferevent_enable(m->bev, EV_READ | EV_WRITE);
	m->state = MODEM_STARTING;
	m->state_since = gw_now(gw);
	log_debug("%s: worker %d started", m->name, (int)pid);
	return 0;
}

void
modem_stop(struct modem *m)
{
	if (m->restart_ev != NULL)
		evtimer_del(m->restart_ev);
	if (m->bev != NULL || m->pid > 0)
		worker_gone(m);
	if (m->restart_ev != NULL && m->gw->stopping) {
		event_free(m->restart_ev);
		m->restart_ev = NULL;
	}
}
