/*
 * The stages while the office's CLI holds the store's write lock (a second
 * connection in BEGIN IMMEDIATE): nothing blocks, nothing is lost, and
 * each stage asks to be run again (gateway_retry); once the lock is gone
 * the same call does the work. An SMS is deleted only after it is stored;
 * a send's result is written late, never dropped, and the modem takes no
 * other send until it is.
 */
#include "gateway/rules/cms_errors.h"
#include "tests/testlib.h"
#include "tests/unit/loop_stub.h"
#include "tests/unit/stub_ini.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
take(struct modem *m, int location, const char *number, const char *text)
{
	struct pending_sms *p = &m->batch[m->nbatch++];

	memset(p, 0, sizeof(*p));
	p->folder = 1;
	p->location = location;
	snprintf(p->number_raw, sizeof(p->number_raw), "%s", number);
	p->smsc_time = 1000 + location;
	snprintf(p->coding, sizeof(p->coding), "gsm7");
	p->text = strdup(text);
	p->text_len = strlen(text);
}

/* The office takes the lock; our writes do not wait for it at all. */
static void
office_locks(void)
{
	store_set_busy_timeout(stub.gw.store, 0);
	CHECK_INT(stub_exec("BEGIN IMMEDIATE"), 0);
	stub_reset();
}

static void
office_done(void)
{
	CHECK_INT(stub_exec("COMMIT"), 0);
	stub_reset();
}

static void
test_inbound_keeps_the_batch(void)
{
	struct modem *m = &stub.gw.modems[0];

	stub_open(STUB_INI);
	office_locks();
	take(m, 1, "081211110001", "ADUAN sukamaju jalan rusak");
	take(m, 2, "081211110002", "HALO");
	inbound_flush(m);
	CHECK_INT(m->nbatch, 2);
	CHECK_INT(stub.nremoves, 0);
	CHECK(stub.retried & WORK_INBOUND, "inbound retried");
	office_done();
	inbound_retry(&stub.gw);
	CHECK_INT(m->nbatch, 0);
	CHECK_INT(stub.nremoves, 2);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM messages"), 2);
	CHECK_INT(stub.retried, 0);
	stub_close();
}

static void
test_processing_waits(void)
{
	long long mid;

	stub_open(STUB_INI);
	mid = stub_sms("+6281211110003", "HALO", stub.now);
	office_locks();
	process_run(&stub.gw);
	CHECK(stub.retried & WORK_PROCESS, "processing retried");
	CHECK_STR(stub_text("SELECT state FROM messages WHERE id = %lld", mid),
	    "received");
	office_done();
	process_run(&stub.gw);
	CHECK_STR(stub_text("SELECT state FROM messages WHERE id = %lld", mid),
	    "rejected");
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE message_id = "
	    "%lld", mid), 1);
	stub_close();
}

/* A reply to an SMS, processed: its outbox id. */
static long long
queue_reply(const char *number)
{
	long long mid = stub_sms(number, "HALO", stub.now);

	process_run(&stub.gw);
	return stub_int("SELECT id FROM outbox WHERE message_id = %lld", mid);
}

static void
test_result_written_late(void)
{
	struct modem *m = &stub.gw.modems[0];
	long long first, second;

	stub_open(STUB_INI);
	first = queue_reply("+6281211110004");
	second = queue_reply("+6281211110005");
	stub_reset();
	outbound_run(&stub.gw);
	CHECK_INT(stub.nsends, 1);
	CHECK_INT(stub.send_id[0], first);

	office_locks();
	outbound_part(m, first, 1, 1, -1, 42);
	outbound_result(m, first, 1, 1, NULL, 0, SEND_OK);
	CHECK_INT(m->nunrecorded, 2);
	CHECK(stub.retried & WORK_OUTBOUND, "outbound retried");
	/* the modem is free, but takes nothing until its result is kept */
	m->next_send_at = 0;
	outbound_run(&stub.gw);
	CHECK_INT(stub.nsends, 0);
	CHECK_STR(stub_text("SELECT state FROM outbox WHERE id = %lld", first),
	    "sending");

	office_done();
	m->next_send_at = 0;
	outbound_run(&stub.gw);
	CHECK_INT(m->nunrecorded, 0);
	CHECK_STR(stub_text("SELECT state FROM outbox WHERE id = %lld", first),
	    "sent");
	CHECK_INT(stub_int("SELECT mr FROM outbox_parts WHERE outbox_id = "
	    "%lld", first), 42);
	CHECK_INT(stub.nsends, 1);
	CHECK_INT(stub.send_id[0], second);
	stub_close();
}

/* A dispatch that finds the lock: the row stays queued, no ALARM pause. */
static void
test_dispatch_waits(void)
{
	long long id;

	stub_open(STUB_INI);
	id = queue_reply("+6281211110006");
	office_locks();
	outbound_run(&stub.gw);
	CHECK_INT(stub.nsends, 0);
	CHECK(stub.retried & WORK_OUTBOUND, "outbound retried");
	CHECK(!(stub.woken & WORK_OUTBOUND), "no 5 s alarm pause");
	office_done();
	outbound_run(&stub.gw);
	CHECK_INT(stub.nsends, 1);
	CHECK_INT(stub.send_id[0], id);
	stub_close();
}

int
main(void)
{
	test_inbound_keeps_the_batch();
	test_processing_waits();
	test_result_written_late();
	test_dispatch_waits();
	return test_summary("test_busy");
}
