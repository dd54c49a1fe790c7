/*
 * outbound, against the stub loop and a fake modem: a reply whose send
 * fails is retried after send_retry_base doubling, and is dead after
 * send_max_tries; a permanent or local failure is not retried that way.
 * A broadcast queued before its number sent BERHENTI is dropped when its
 * turn comes; the reply to the BERHENTI and news of their ticket still go.
 */
#include "gateway/rules/cms_errors.h"
#include "tests/testlib.h"
#include "tests/unit/loop_stub.h"
#include "tests/unit/stub_ini.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The reply process.c queues to an SMS with this text. */
static long long
queue_reply_to(const char *number, const char *text)
{
	long long mid = stub_sms(number, text, stub.now);

	process_run(&stub.gw);
	return stub_int("SELECT id FROM outbox WHERE message_id = %lld", mid);
}

/* A reply queued the way process.c queues one: to an unparsed SMS. */
static long long
queue_reply(const char *number)
{
	return queue_reply_to(number, "HALO");
}

/* One round of the dispatcher at the current clock; the modem is idle
 * and its rate limit spent. Returns how many sends it made. */
static int
round_at(long long now)
{
	stub.now = now;
	stub_reset();
	stub.gw.modems[0].next_send_at = 0;
	outbound_run(&stub.gw);
	return stub.nsends;
}

static void
test_backoff_then_dead(void)
{
	struct modem *m = &stub.gw.modems[0];
	static const long long waits[] = { 30, 60, 120 };
	long long id, t;
	int i;

	stub_open(STUB_INI);
	id = queue_reply("+6281211110002");
	CHECK(id > 0, "reply queued: %lld", id);
	t = stub.now;
	for (i = 0; i < 4; i++) {
		CHECK_INT(round_at(t), 1);
		CHECK_INT(stub.send_id[0], id);
		CHECK_STR(stub_text("SELECT state FROM outbox WHERE id = %lld",
		    id), "sending");
		outbound_result(m, id, 0, 0, "network congestion", 42,
		    SEND_TRANSIENT);
		CHECK_INT(m->sending, 0);
		CHECK_INT(stub_int("SELECT tries FROM outbox WHERE id = %lld",
		    id), i + 1);
		if (i == 3)
			break;
		CHECK_STR(stub_text("SELECT state FROM outbox WHERE id = %lld",
		    id), "failed");
		CHECK_INT(stub_int("SELECT next_at FROM outbox WHERE id = %lld",
		    id), t + waits[i]);
		/* not before its time; the loop is asked to come back then */
		CHECK_INT(round_at(t + waits[i] - 1), 0);
		CHECK(stub.woken & WORK_OUTBOUND, "a wake-up for the retry");
		CHECK(stub.outbound_after == 1.0, "after %g s, want 1",
		    stub.outbound_after);
		t += waits[i];
	}
	CHECK_STR(stub_text("SELECT state FROM outbox WHERE id = %lld", id),
	    "dead");
	CHECK_STR(stub_text("SELECT error_class FROM outbox WHERE id = %lld",
	    id), "transient");
	/* dead stays dead */
	CHECK_INT(round_at(t + 86400), 0);
	stub_close();
}

/* A number the network refuses: failed for good at once. A send the
 * modem cannot frame: the same. */
static void
test_permanent(void)
{
	struct modem *m = &stub.gw.modems[0];
	long long a, b;

	stub_open(STUB_INI);
	a = queue_reply("+6281211110003");
	CHECK_INT(round_at(stub.now), 1);
	outbound_result(m, a, 0, 0, "unknown subscriber", 30, SEND_PERMANENT);
	CHECK_STR(stub_text("SELECT state FROM outbox WHERE id = %lld", a),
	    "failed");
	CHECK_INT(stub_int("SELECT no_retry FROM outbox WHERE id = %lld", a), 1);
	CHECK_INT(round_at(stub.now + 86400), 0);

	b = queue_reply("+6281211110004");
	stub_reset();
	stub.send_rc = -1;
	m->next_send_at = 0;
	outbound_run(&stub.gw);
	CHECK_INT(stub_int("SELECT no_retry FROM outbox WHERE id = %lld", b), 1);
	CHECK_INT(m->sending, 0);
	stub_close();
}

/* Our SIM's fault: the try is given back and the modem pauses. */
static void
test_local(void)
{
	struct modem *m = &stub.gw.modems[0];
	long long id;

	stub_open(STUB_INI);
	id = queue_reply("+6281211110005");
	CHECK_INT(round_at(stub.now), 1);
	outbound_result(m, id, 0, 0, "SIM PIN required", 311, SEND_LOCAL);
	CHECK_STR(stub_text("SELECT state FROM outbox WHERE id = %lld", id),
	    "queued");
	CHECK_INT(stub_int("SELECT tries FROM outbox WHERE id = %lld", id), 0);
	CHECK(m->paused_until > stub.now, "paused");
	CHECK_INT(stub.status_writes, 1);
	/* paused: not given to it, and woken when the pause ends */
	CHECK_INT(round_at(stub.now + 1), 0);
	CHECK(stub.outbound_after > 0, "wake-up at the pause's end");
	CHECK_INT(round_at(m->paused_until), 1);
	stub_close();
}

/* Consent is read again when a row is handed to a modem. */
static void
test_opted_out_at_dispatch(void)
{
	struct modem *m = &stub.gw.modems[0];
	const char *w = "+6285711110001", *w2 = "+6285711110002";
	long long r, t, b, b2;

	stub_open(STUB_INI);
	CHECK_INT(stub_contact(w, "warga", "3322012005"), 0);
	CHECK_INT(stub_contact(w2, "warga", "3322012005"), 0);
	CHECK_INT(store_broadcast(stub.gw.store, "WARGA", "kerja bakti", "",
	    stub.now), 2);
	b = stub_int("SELECT id FROM outbox WHERE number = '%s'", w);
	b2 = stub_int("SELECT id FROM outbox WHERE number = '%s'", w2);
	CHECK_INT(store_outbox_add(stub.gw.store, w, "ADU-1: selesai",
	    "ticket", 0, stub.now, &t), 1);
	/* BERHENTI comes before any of them has left */
	r = queue_reply_to(w, "BERHENTI");
	CHECK_INT(stub_int("SELECT opted_out FROM contacts WHERE number = "
	    "'%s'", w), 1);

	CHECK_INT(round_at(stub.now), 1);
	CHECK_INT(stub.send_id[0], r);		/* the confirmation goes */
	outbound_result(m, r, 1, 1, "", 0, SEND_OK);
	CHECK_INT(round_at(stub.now), 1);
	CHECK_INT(stub.send_id[0], t);		/* news of their own ticket */
	outbound_result(m, t, 1, 1, "", 0, SEND_OK);
	/* the broadcast to w is dropped, and the modem takes w2's at once */
	CHECK_INT(round_at(stub.now), 1);
	CHECK_INT(stub.send_id[0], b2);
	CHECK_STR(stub_text("SELECT state || ' ' || reason FROM outbox WHERE "
	    "id = %lld", b), "dead dropped: opted_out (BERHENTI)");
	CHECK_INT(stub_int("SELECT tries FROM outbox WHERE id = %lld", b), 0);
	outbound_result(m, b2, 1, 1, "", 0, SEND_OK);
	CHECK_INT(round_at(stub.now + 86400), 0);
	stub_close();
}

/* A budget of three an hour across dispatch rounds: the hour's count is
 * read at most once a second and carried forward between reads, so the
 * fourth waits in the very next round; once the three leave the hour and
 * the count is read again, the rest go. */
static void
test_hourly_budget_across_rounds(void)
{
	struct modem *m = &stub.gw.modems[0];
	char number[32];
	int i;

	stub_open(STUB_INI_KENTONGAN "hourly_budget = 3\n" STUB_INI_GAMMU);
	for (i = 0; i < 5; i++) {
		snprintf(number, sizeof(number), "+62857111120%02d", i);
		CHECK_INT(stub_contact(number, "warga", "3322012005"), 0);
	}
	CHECK_INT(store_broadcast(stub.gw.store, "WARGA", "kerja bakti", "",
	    stub.now), 5);
	for (i = 0; i < 3; i++) {
		CHECK_INT(round_at(stub.now), 1);
		outbound_result(m, stub.send_id[0], 1, 1, "", 0, SEND_OK);
	}
	CHECK_INT(round_at(stub.now), 0);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE state = 'queued'"
	    " AND reason = 'held: hourly budget reached'"), 2);
	/* an hour on: the three left it, and the count is read again */
	CHECK_INT(stub_exec("UPDATE outbox SET sent_at = sent_at - 3600"
	    " WHERE state = 'sent'"), 0);
	usleep(1100 * 1000);
	CHECK_INT(round_at(stub.now + 3600), 1);
	outbound_result(m, stub.send_id[0], 1, 1, "", 0, SEND_OK);
	CHECK_INT(round_at(stub.now), 1);
	outbound_result(m, stub.send_id[0], 1, 1, "", 0, SEND_OK);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE state = 'sent'"),
	    5);
	stub_close();
}

int
main(void)
{
	test_backoff_then_dead();
	test_permanent();
	test_local();
	test_opted_out_at_dispatch();
	test_hourly_budget_across_rounds();
	return test_summary("test_outbound");
}
