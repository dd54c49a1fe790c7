/*
 * The loop's side of a modem worker: start, read its events, restart.
 * What a worker reports goes out through gw->modem_events (daemon.c wires
 * them to the stages); this file names no stage.
 */
#include "gateway/loop/gateway.h"
#include "gateway/rules/cms_errors.h"
#include "gateway/rules/credit.h"
#include "gateway/worker/frame_msg.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"
#include "gateway/rules/route.h"
#include "parser/reply.h"

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
#include <time.h>
#include <unistd.h>

#define STATUS_EVERY	30	/* seconds between status rows when nothing changes */
#define BALANCE_FIRST	5	/* seconds after the modem comes up */

static struct frame txf;
static const char *const state_names[] = { "starting", "up", "down" };

/* Queue a frame to the worker; bufferevents never block the loop. */
static void
modem_post(struct modem *m, struct frame *f)
{
	size_t n;
	const unsigned char *p = frame_bytes(f, &n);

	if (m->bev != NULL)
		bufferevent_write(m->bev, p, n);
}

/*
 * A frame that acts on the world (a delete from the SIM, a send) waits
 * until the commit that justifies it is on disk: the store syncs in a
 * thread of its own (store_sync_in_background), so the loop never waits
 * for the disk and these frames wait instead.
 */
struct held_frame {
	struct held_frame *next;
	unsigned long commit;	/* store_commits() when it was made */
	int is_send;
	size_t len;
	unsigned char bytes[];
};

static int
post_when_durable(struct modem *m, struct frame *f)
{
	struct store *st = m->gw->store;
	unsigned long commit = store_commits(st);
	struct held_frame *h;
	size_t n;
	const unsigned char *p = frame_bytes(f, &n);

	if (m->held == NULL && store_durable(st, NULL, NULL) >= commit) {
		modem_post(m, f);
		return 0;
	}
	if ((h = malloc(sizeof(*h) + n)) == NULL)
		return -1;
	h->next = NULL;
	h->commit = commit;
	h->is_send = f->type == CMD_SEND;
	h->len = n;
	memcpy(h->bytes, p, n);
	if (m->held == NULL)
		m->held_tail = &m->held;
	*m->held_tail = h;
	m->held_tail = &h->next;
	store_sync_request(st);
	return 0;
}

/* Frames for a worker that is gone are not for its successor. Returns 1
 * when a send was among them: it never reached the worker. */
static int
drop_held(struct modem *m)
{
	struct held_frame *h;
	int send = 0;

	while ((h = m->held) != NULL) {
		send |= h->is_send;
		m->held = h->next;
		free(h);
	}
	m->held_tail = &m->held;
	return send;
}

int
modem_send_held(const struct modem *m)
{
	const struct held_frame *h;

	for (h = m->held; h != NULL; h = h->next)
		if (h->is_send)
			return 1;
	return 0;
}

void
modem_release_durable(struct gateway *gw)
{
	unsigned long durable = store_durable(gw->store, NULL, NULL);
	int i;

	for (i = 0; i < gw->nmodems; i++) {
		struct modem *m = &gw->modems[i];
		struct held_frame *h;

		while ((h = m->held) != NULL && h->commit <= durable) {
			if (m->bev != NULL)
				bufferevent_write(m->bev, h->bytes, h->len);
			m->held = h->next;
			free(h);
		}
		if (m->held == NULL)
			m->held_tail = &m->held;
	}
}

static void
modem_delete(struct modem *m, int folder, int location, unsigned read_id)
{
	struct cmd_delete d = { folder, location, read_id };

	if (frame_encode_cmd_delete(&txf, &d) != 0) {
		log_warnx("%s: delete not framed: SMS left on the modem",
		    m->name);
		return;
	}
	/* Out of memory: the SMS stays on the SIM, read and matched again. */
	if (post_when_durable(m, &txf) != 0)
		log_warnx("%s: out of memory: SMS left on the modem", m->name);
}

static int
modem_send_parts(struct modem *m, long long id, const char *number,
    const char *text, int ref, int done)
{
	struct cmd_send s;

	memset(&s, 0, sizeof(s));
	s.id = id;
	/* cut as the worker's decoder would cut it */
	frame_cstr_cut(s.number, sizeof(s.number), number);
	s.text = text;
	s.text_len = strlen(text);
	s.report = 1;
	s.ref = ref;
	s.done = done;
	if (frame_encode_cmd_send(&txf, &s) != 0)
		return -1;
	if (post_when_durable(m, &txf) != 0)
		return -2;
	m->sending = id;
	m->sending_resume = done;
	return 0;
}

void
modem_ussd(struct modem *m, const char *code)
{
	struct cmd_ussd u;

	frame_cstr_cut(u.code, sizeof(u.code), code);
	if (frame_encode_cmd_ussd(&txf, &u) != 0)
		return;
	m->ussd_pending = 1;
	modem_post(m, &txf);
}

/* Write the modem's row for `kentongan status`; a failure is only logged. */
static void
modem_write_status(struct modem *m)
{
	struct modem_status ms;
	long long now = gw_now(m->gw);

	memset(&ms, 0, sizeof(ms));
	snprintf(ms.name, sizeof(ms.name), "%s", m->name);
	snprintf(ms.state, sizeof(ms.state), "%s", m->state == MODEM_UP &&
	    m->paused_until > now ? "paused" : state_names[m->state]);
	ms.since = m->state_since;
	ms.signal = m->state == MODEM_UP ? m->signal : -1;
	snprintf(ms.network, sizeof(ms.network), "%s", m->network);
	snprintf(ms.op, sizeof(ms.op), "%s", route_op_name(m->op));
	snprintf(ms.manufacturer, sizeof(ms.manufacturer), "%s",
	    m->manufacturer);
	snprintf(ms.model, sizeof(ms.model), "%s", m->model);
	snprintf(ms.imei, sizeof(ms.imei), "%s", m->imei);
	snprintf(ms.last_error, sizeof(ms.last_error), "%s", m->last_error);
	ms.paused_until = m->paused_until;
	ms.updated_at = now;
	if (store_modem_put(m->gw->store, &ms) != 0) {
		/* busy: written again on the next second's tick */
		if (!store_last_was_busy(m->gw->store))
			log_warnx("%s: status not recorded: %s", m->name,
			    store_errmsg(m->gw->store));
		return;
	}
	m->next_status_at = now + STATUS_EVERY;
}

const struct modem_ops modem_channel = {
	.send_parts = modem_send_parts,
	.remove = modem_delete,
	.write_status = modem_write_status,
};

/* Hand the SMS read so far to be committed (and deleted once stored). */
static void
flush_batch(struct modem *m)
{
	if (m->nbatch > 0)
		m->gw->modem_events->sms_batch(m);
}

/* The SIM's operator: from the config when given, else the network's. */
static void
set_operator(struct modem *m)
{
	int op = m->conf->op[0] ? route_op_by_name(m->conf->op) : -1;

	m->op = op >= 0 ? op : (int)route_op_of_network(m->network);
}

/* Take one EV_SMS into the modem's batch. */
static void
take_sms(struct modem *m, struct frame *f)
{
	struct pending_sms *p;
	struct ev_sms s;

	if (m->nbatch >= INBOUND_BATCH)
		flush_batch(m);
	if (m->nbatch >= INBOUND_BATCH) {
		/* not taken: the worker reads it again later */
		log_warnx("%s: inbound batch full: SMS left on the modem",
		    m->name);
		return;
	}
	if (frame_decode_ev_sms(f, &s) != 0) {
		log_warnx("%s: malformed SMS event from the worker", m->name);
		return;
	}
	p = &m->batch[m->nbatch];
	memset(p, 0, sizeof(*p));
	p->folder = s.folder;
	p->location = s.location;
	frame_cstr_cut(p->number_raw, sizeof(p->number_raw), s.number);
	p->smsc_time = s.smsc_time;
	frame_cstr_cut(p->coding, sizeof(p->coding), s.coding);
	p->ref = s.ref;
	p->total = s.total;
	p->seq = s.seq;
	p->is_report = s.is_report;
	p->report_ref = s.report_ref;
	p->report_status = s.report_status;
	p->is_binary = s.is_binary;
	p->read_id = s.read_id;
	/* s.text points into the frame, which the next read overwrites */
	if ((p->text = malloc(s.text_len + 1)) == NULL) {
		log_warnx("%s: out of memory: SMS left on the modem", m->name);
		return;
	}
	memcpy(p->text, s.text, s.text_len);
	p->text[s.text_len] = '\0';
	p->text_len = s.text_len;
	m->nbatch++;
}

/* Set the modem's state and say so once. */
static void
set_state(struct modem *m, enum modem_state st, const char *why)
{
	if (m->state == st)
		return;
	m->state = st;
	m->state_since = gw_now(m->gw);
	if (st == MODEM_DOWN)
		log_warnx("%s: modem down: %s", m->name, why);
	else
		log_info("%s: modem %s%s%s", m->name, state_names[st],
		    why ? ": " : "", why ? why : "");
	if (!m->gw->stopping || st == MODEM_DOWN)
		modem_write_status(m);
}

/* A balance answer: store it, and tell the coordinators once when the
 * credit falls under the threshold. */
static void
take_ussd(struct modem *m, struct frame *f)
{
	struct gateway *gw = m->gw;
	struct ev_ussd u;
	const char *text = u.text;
	long long credit, now = gw_now(gw);
	char esc[200], alarm_text[REPLY_MAX];
	int alarm = 0, n;

	m->ussd_pending = 0;
	if (frame_decode_ev_ussd(f, &u) != 0) {
		log_warnx("%s: malformed USSD event", m->name);
		return;
	}
	log_escape(text, strlen(text), esc, sizeof(esc));
	if (!u.ok) {
		log_warnx("%s: balance %s: no answer (%d): %s", m->name,
		    m->conf->balance_ussd, u.status, esc);
		return;
	}
	credit = credit_parse(text);
	if (store_begin(gw->store) != 0)
		goto fail;
	if (store_modem_credit(gw->store, m->name, text, credit,
	    m->conf->balance_threshold, now, &alarm) != 0)
		goto fail_tx;
	if (alarm) {
		char pulsa[24], batas[24];
		struct reply_var v[] = { { "modem", m->name },
			{ "pulsa", pulsa }, { "batas", batas } };

		snprintf(pulsa, sizeof(pulsa), "%lld", credit);
		snprintf(batas, sizeof(batas), "%d",
		    m->conf->balance_threshold);
		if (reply_render(R_CREDIT_LOW, v, 3, alarm_text,
		    sizeof(alarm_text)) < 0)
			goto fail_tx;
		if ((n = store_alarm_coordinators(gw->store, alarm_text,
		    now)) < 0)
			goto fail_tx;
		log_alarm("%s: credit Rp %lld under Rp %d: %d "
		    "coordinator%s told", m->name, credit,
		    m->conf->balance_threshold, n, n == 1 ? "" : "s");
	}
	if (store_commit(gw->store) != 0)
		goto fail_tx;
	log_info("%s: balance: %s (Rp %lld)", m->name, esc, credit);
	if (alarm && !gw->stopping)
		gateway_wake(gw, WORK_OUTBOUND, 0);
	return;
fail_tx:
	store_rollback(gw->store);
fail:
	log_warnx("%s: balance not recorded: %s", m->name,
	    store_errmsg(gw->store));
}

/* Once a second per modem: the status row and the credit schedule. */
static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem *m = arg;
	long long now = gw_now(m->gw);

	(void)fd;
	(void)what;
	reap_poll(m->reap, REAP_MAX, clock_mono());
	if (m->gw->stopping)
		return;
	if (now >= m->next_status_at)
		modem_write_status(m);
	if (m->conf->balance_ussd[0] && m->state == MODEM_UP &&
	    !m->ussd_pending && m->next_balance_at && now >= m->next_balance_at) {
		m->next_balance_at = now + m->conf->balance_interval;
		log_debug("%s: checking the balance with %s", m->name,
		    m->conf->balance_ussd);
		modem_ussd(m, m->conf->balance_ussd);
	}
}

/* EV_UP: the worker connected to its modem. */
static void
take_up(struct modem *m, struct frame *f)
{
	struct ev_up u;
	char why[256];

	if (frame_decode_ev_up(f, &u) != 0) {
		log_warnx("%s: malformed up event", m->name);
		return;
	}
	frame_cstr_cut(m->manufacturer, sizeof(m->manufacturer),
	    u.manufacturer);
	frame_cstr_cut(m->model, sizeof(m->model), u.model);
	frame_cstr_cut(m->imei, sizeof(m->imei), u.imei);
	frame_cstr_cut(m->network, sizeof(m->network), u.network);
	m->signal = u.signal;
	m->backoff = 0;
	set_operator(m);
	snprintf(why, sizeof(why), "%s %s, network %s (%s), signal %d%%",
	    m->manufacturer, m->model, m->network[0] ? m->network : "?",
	    route_op_name(m->op), m->signal);
	set_state(m, MODEM_UP, why);
	if (m->conf->balance_ussd[0] && m->next_balance_at == 0)
		m->next_balance_at = gw_now(m->gw) + BALANCE_FIRST;
	m->gw->modem_events->up(m);
}

/* One frame from the worker; one that does not decode is logged and
 * dropped. */
static void
handle_event(struct modem *m, struct frame *f)
{
	union {
		struct ev_down down;
		struct ev_network net;
		struct ev_part part;
		struct ev_sent sent;
	} ev;

	if (f->type != EV_SMS)
		flush_batch(m);
	switch (f->type) {
	case EV_SMS:
		take_sms(m, f);
		break;
	case EV_SCAN_DONE:
		break;
	case EV_UP:
		take_up(m, f);
		break;
	case EV_DOWN:
		if (frame_decode_ev_down(f, &ev.down) != 0) {
			log_warnx("%s: malformed down event", m->name);
			break;
		}
		frame_cstr_cut(m->last_error, sizeof(m->last_error),
		    ev.down.error);
		set_state(m, MODEM_DOWN, m->last_error);
		break;
	case EV_NETWORK:
		if (frame_decode_ev_network(f, &ev.net) != 0) {
			log_warnx("%s: malformed network event", m->name);
			break;
		}
		m->signal = ev.net.signal;
		frame_cstr_cut(m->network, sizeof(m->network), ev.net.network);
		set_operator(m);
		break;
	case EV_PART:
		if (frame_decode_ev_part(f, &ev.part) != 0) {
			log_warnx("%s: malformed part event", m->name);
			break;
		}
		m->gw->modem_events->part(m, ev.part.id, ev.part.seq,
		    ev.part.total, ev.part.ref, ev.part.mr);
		break;
	case EV_USSD:
		take_ussd(m, f);
		break;
	case EV_SENT:
		if (frame_decode_ev_sent(f, &ev.sent) != 0) {
			log_warnx("%s: malformed send result", m->name);
			break;
		}
		m->gw->modem_events->result(m, ev.sent.id, ev.sent.ok,
		    ev.sent.parts, ev.sent.error, ev.sent.code,
		    (int)ev.sent.cls);
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
		/* A callback never stops a modem (the stop waits for the next
		 * turn: WORK_STOP); should one, what follows is not its. */
		if (m->bev != bev)
			return;
	}
	/*
	 * Commit a moment later, not per read: a worker streaming SMS one
	 * frame at a time would make a commit (and a WAL write of every page
	 * it touched) per SMS. A full batch or any other frame from the
	 * worker commits at once (take_sms, handle_event).
	 */
	if (m->nbatch > 0 && !evtimer_pending(m->flush_ev, NULL)) {
		struct timeval delay = { 0, INBOUND_DELAY_MS * 1000 };

		evtimer_add(m->flush_ev, &delay);
	}
}

static void
flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct modem *m = arg;

	(void)fd;
	(void)what;
	flush_batch(m);
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
	int never_left;

	flush_batch(m);
	if (m->bev != NULL) {
		bufferevent_free(m->bev);
		m->bev = NULL;
	}
	never_left = drop_held(m);
	if (m->pid > 0) {
		/* Never waitpid here: a worker stuck in the kernel on its USB
		 * device would stall the loop. tick_cb reaps it. */
		reap_add(m->reap, REAP_MAX, m->pid, clock_mono(), REAP_GRACE);
		m->pid = 0;
	}
	if (m->sending && never_left) {
		/* Still waiting for its commit to be on disk: it never left.
		 * Back to the queue without using a try. */
		if (store_outbox_local(m->gw->store, m->sending,
		    "modem worker stopped before the send left",
		    gw_now(m->gw), gw_now(m->gw)) != 0)
			log_warnx("outbox %lld: not requeued: %s", m->sending,
			    store_errmsg(m->gw->store));
		m->sending = 0;
	}
	if (m->sending) {
		/* It died between CMD_SEND and EV_SENT: the part in flight
		 * may have gone out. */
		m->gw->modem_events->result(m, m->sending, 0,
		    m->sending_resume, "modem worker stopped while sending", -1,
		    SEND_UNCERTAIN);
		m->sending = 0;
	}
	m->ussd_pending = 0;
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
	if (m->flush_ev == NULL &&
	    (m->flush_ev = evtimer_new(gw->base, flush_cb, m)) == NULL)
		return -1;
	if (m->tick_ev == NULL) {
		struct timeval one = { 1, 0 };

		if ((m->tick_ev = event_new(gw->base, -1, EV_PERSIST, tick_cb,
		    m)) == NULL)
			return -1;
		event_add(m->tick_ev, &one);
		if (m->conf->op[0] && route_op_by_name(m->conf->op) < 0)
			log_warnx("%s: unknown operator '%s': using the "
			    "network's", m->name, m->conf->op);
	}
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
		/* the daemon ignores these (daemon.c) */
		signal(SIGHUP, SIG_DFL);
		signal(SIGUSR1, SIG_DFL);
		signal(SIGUSR2, SIG_DFL);
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
	/* A restart keeps "down since" until the modem answers again. */
	if (m->state_since == 0) {
		m->state = MODEM_STARTING;
		m->state_since = gw_now(gw);
		modem_write_status(m);
	}
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
	if (m->tick_ev != NULL && m->gw->stopping) {
		event_free(m->tick_ev);
		m->tick_ev = NULL;
	}
	if (m->flush_ev != NULL && m->gw->stopping) {
		event_free(m->flush_ev);
		m->flush_ev = NULL;
	}
}

void
modem_reap_all(struct modem *m, double grace)
{
	double now = clock_mono(), end = now + grace;
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < REAP_MAX; i++)
		if (m->reap[i].pid > 0 && m->reap[i].kill_at > end)
			m->reap[i].kill_at = end;
	/* a second past the SIGKILL at most: one stuck for good in the
	 * kernel is left to init rather than hang the exit */
	while (reap_poll(m->reap, REAP_MAX, now) > 0 && now < end + 1.0) {
		nanosleep(&pause, NULL);
		now = clock_mono();
	}
}
