/*
 * The modem channel (modem.c) on a real event loop, with this binary as a
 * fake worker: an EV_SENT and an EV_SMS arrive in one read while the
 * gateway is stopping. Stopping must never free what on_read still uses
 * (under ASan a freed flush timer would be reported): the send's end
 * wakes WORK_STOP and the modem stops on a later turn, with the SMS of
 * the same read handed over first.
 */
#include "gateway/loop/gateway.h"
#include "gateway/rules/cms_errors.h"
#include "gateway/worker/frame_msg.h"
#include "tests/testlib.h"

#include <event2/event.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUTBOX_ID 41

static struct gateway gw;
static struct config conf;
static int results, sms, stop_inside;

/* The fake worker: one write holding EV_SENT then EV_SMS, then it waits
 * for the loop to close the socket. */
static int
fake_worker(void)
{
	static struct frame f;
	struct ev_sent sent = { .id = OUTBOX_ID, .ok = 1, .parts = 1,
	    .cls = SEND_OK };
	struct ev_sms in = { .folder = 1, .location = 7,
	    .number = "+6281211110001", .smsc_time = 1000, .coding = "gsm7",
	    .text = "BANTU", .text_len = 5, .read_id = 1 };
	unsigned char buf[1024];
	const unsigned char *p;
	size_t n, o = 0;
	char c;

	if (frame_encode_ev_sent(&f, &sent) != 0)
		return 1;
	p = frame_bytes(&f, &n);
	memcpy(buf, p, n);
	o = n;
	if (frame_encode_ev_sms(&f, &in) != 0)
		return 1;
	p = frame_bytes(&f, &n);
	memcpy(buf + o, p, n);
	o += n;
	if (write(3, buf, o) != (ssize_t)o)
		return 1;
	while (read(3, &c, 1) > 0)
		;
	return 0;
}

static void
ev_batch(struct modem *m)
{
	int i;

	for (i = 0; i < m->nbatch; i++)
		free(m->batch[i].text);
	sms += m->nbatch;
	m->nbatch = 0;
}

static void
ev_up(struct modem *m)
{
	(void)m;
}

static void
ev_part(struct modem *m, long long id, int seq, int total, int ref, int mr)
{
	(void)m; (void)id; (void)seq; (void)total; (void)ref; (void)mr;
}

/* As daemon.c does: the modem is idle now; stopping waits for a turn. A
 * callback that breaks the contract stops the modem at once instead. */
static void
ev_result(struct modem *m, long long id, int ok, int parts,
    const char *error, int code, int cls)
{
	(void)ok; (void)parts; (void)error; (void)code; (void)cls;
	CHECK_INT(id, OUTBOX_ID);
	results++;
	m->sending = 0;
	if (stop_inside)
		modem_stop(m);
	else if (m->gw->stopping)
		gateway_wake(m->gw, WORK_STOP, 0);
}

static const struct modem_events events = { ev_batch, ev_up, ev_part,
    ev_result };

static void
on_stop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	modem_stop(&gw.modems[0]);
	event_base_loopexit(gw.base, NULL);
}

/* One run: start the fake worker, stop while its frames are read. */
static void
run(int inside, const char *db)
{
	struct modem *m = &gw.modems[0];
	struct timeval limit = { 5, 0 };
	char err[256];
	ssize_t n;

	memset(&gw, 0, sizeof(gw));
	results = sms = 0;
	stop_inside = inside;
	gw.conf = &conf;
	n = readlink("/proc/self/exe", gw.self_exe, sizeof(gw.self_exe) - 1);
	CHECK(n > 0, "readlink");
	gw.self_exe[n > 0 ? n : 0] = '\0';
	gw.store = store_open(db, STORE_CREATE, err, sizeof(err));
	CHECK(gw.store != NULL, "store: %s", err);
	gw.base = event_base_new();
	gw.stop_ev = evtimer_new(gw.base, on_stop, NULL);
	gw.modem_ops = &modem_channel;
	gw.modem_events = &events;
	gw.nmodems = 1;
	m->gw = &gw;
	m->conf = &conf.modems[0];
	m->name = conf.modems[0].section;
	m->state = MODEM_DOWN;
	CHECK_INT(modem_start(m), 0);
	m->state = MODEM_UP;
	m->sending = OUTBOX_ID;
	gw.stopping = 1;
	event_base_loopexit(gw.base, &limit);
	event_base_dispatch(gw.base);
	CHECK_INT(results, 1);
	CHECK(m->bev == NULL, "the modem stopped");
	CHECK(m->flush_ev == NULL, "its events freed");
	modem_reap_all(m, 2.0);
	CHECK_INT(m->reap[0].pid, 0);
	event_free(gw.stop_ev);
	event_base_free(gw.base);
	store_close(gw.store);
}

int
main(int argc, char **argv)
{
	static const char ini[] = "[kentongan]\ndatabase = x.db\n"
	    "[gammu]\ndevice = /tmp/kentongan-unused\nconnection = none\n"
	    "model = dummy\n";
	char db[64], p[80];
	int fd;

	if (argc > 1 && !strcmp(argv[1], "modem-worker"))
		return fake_worker();
	if (config_load_text(&conf, "test.ini", ini, strlen(ini)) != 0)
		return 1;
	snprintf(db, sizeof(db), "/tmp/kentongan-modem-XXXXXX");
	if ((fd = mkstemp(db)) < 0)
		return 1;
	close(fd);
	unlink(db);

	run(0, db);
	CHECK_INT(sms, 1);	/* the SMS after EV_SENT, handed over */
	/* A callback that stops the modem itself: on_read reads no further
	 * (the SMS stays on the SIM, read again by the next worker). */
	run(1, db);
	CHECK_INT(sms, 0);

	unlink(db);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
	return test_summary("test_modem_stop");
}
