/*
 * The USSD handler (gateway/ussd/ussd.c), against the stub loop and a real
 * store: a complaint makes one ticket, one message and one SMS however
 * often the aggregator repeats the request; another session makes its own.
 */
#include "gateway/ussd/ussd.h"
#include "gateway/ussd/ussd_sessions.h"
#include "tests/testlib.h"
#include "tests/unit/loop_stub.h"
#include "tests/unit/stub_ini.h"

#include <stdio.h>
#include <string.h>

#define PHONE	"081234567890"

static char screen[1024];

/* One aggregator request; returns the HTTP status. */
static int
ask(const char *session, const char *phone, const char *text)
{
	struct ussd_request r = { session, "*123#", phone, "51010", text };
	unsigned long durable_at = 0;

	return ussd_handle(&stub.gw, &r, screen, sizeof(screen), &durable_at);
}

static void
test_one_ticket(void)
{
	static const char *const path[] = { "", "2", "2*kalisidi",
	    "2*kalisidi*Jalan rusak" };
	char first[1024];
	int i;

	stub_open(STUB_INI);
	stub.gw.ussd_sessions = ussd_sessions_new();
	for (i = 0; i < 4; i++) {
		CHECK_INT(ask("S1", PHONE, path[i]), 200);
		CHECK(!strncmp(screen, i < 3 ? "CON" : "END", 3), "%s: %s",
		    path[i], screen);
	}
	CHECK(strstr(screen, "ADU-1") != NULL, "ticket shown: %s", screen);
	CHECK(stub.woken & WORK_OUTBOUND, "the SMS confirmation is woken");
	snprintf(first, sizeof(first), "%s", screen);
	/* the aggregator retries, again and again */
	for (i = 0; i < 3; i++) {
		CHECK_INT(ask("S1", PHONE, path[3]), 200);
		CHECK_STR(screen, first);
	}
	CHECK_INT(stub_int("SELECT COUNT(*) FROM tickets"), 1);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM messages WHERE channel = "
	    "'ussd'"), 1);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE purpose = "
	    "'reply'"), 1);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM ussd_actions"), 1);

	/* a new session is a new complaint */
	CHECK_INT(ask("S2", PHONE, path[3]), 200);
	CHECK(strstr(screen, "ADU-2") != NULL, "second ticket: %s", screen);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM tickets"), 2);

	/* the caller asks after the first */
	CHECK_INT(ask("S3", PHONE, "3*ADU-1"), 200);
	CHECK(strstr(screen, "ADU-1") != NULL && strstr(screen, "baru"),
	    "status: %s", screen);
	/* another number may not see it */
	CHECK_INT(ask("S4", "081299999999", "3*ADU-1"), 200);
	CHECK(strstr(screen, "tidak dikirim dari nomor ini") != NULL,
	    "not theirs: %s", screen);
	/* a session belongs to its number */
	CHECK_INT(ask("S1", "081299999999", "2"), 400);
	ussd_sessions_free(stub.gw.ussd_sessions);
	stub_close();
}

/* A session idle past session_timeout is over. */
static void
test_expired(void)
{
	stub_open(STUB_INI);
	stub.gw.ussd_sessions = ussd_sessions_new();
	CHECK_INT(ask("S1", PHONE, ""), 200);
	stub.now += stub.conf.ussd_session_timeout + 1;
	CHECK_INT(ask("S1", PHONE, "2"), 200);
	CHECK(strstr(screen, "Waktu sesi habis") != NULL, "%s", screen);
	ussd_sessions_free(stub.gw.ussd_sessions);
	stub_close();
}

/* Ids of up to USSD_SESSION_ID_MAX characters are served; longer ones are
 * refused before anything is stored (the row and the action table once
 * held two different copies of a 128-character id: every complaint 500). */
static void
test_long_id(void)
{
	char id[300];

	stub_open(STUB_INI);
	stub.gw.ussd_sessions = ussd_sessions_new();
	memset(id, 'L', sizeof(id));
	id[USSD_SESSION_ID_MAX] = '\0';
	CHECK_INT(ask(id, PHONE, "2*kalisidi*Id panjang"), 200);
	CHECK(strstr(screen, "ADU-1") != NULL, "%s", screen);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM ussd_actions a JOIN "
	    "ussd_sessions s USING (session_id)"), 1);
	id[USSD_SESSION_ID_MAX] = 'L';
	id[USSD_SESSION_ID_MAX + 1] = '\0';
	CHECK_INT(ask(id, PHONE, "2*kalisidi*Id panjang"), 400);
	CHECK(strstr(screen, "sessionId") != NULL, "%s", screen);
	id[200] = '\0';
	CHECK_INT(ask(id, PHONE, "2*kalisidi*Id panjang"), 400);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM tickets"), 1);
	ussd_sessions_free(stub.gw.ussd_sessions);
	stub_close();
}

/* After its END screen a session takes its last request again and makes
 * nothing more; past session_timeout it is over; USSD_SESSION_MARGIN
 * later (or at once with a new call's empty text) the id is a new
 * session, also in the store. */
static void
test_end_and_recycle(void)
{
	long long t0;

	stub_open(STUB_INI);
	stub.gw.ussd_sessions = ussd_sessions_new();
	t0 = stub.now;
	CHECK_INT(ask("R1", PHONE, "2*kalisidi*Jalan rusak"), 200);
	CHECK(strstr(screen, "ADU-1") != NULL, "%s", screen);
	CHECK_INT(ask("R1", PHONE, "2*kalisidi*Jalan rusak*1"), 200);
	CHECK(!strncmp(screen, "END Sesi ini sudah selesai", 26), "%s",
	    screen);
	CHECK_INT(ask("R1", PHONE, "2*kalisidi*Jalan rusak"), 200);
	CHECK(strstr(screen, "ADU-1") != NULL, "a retry: %s", screen);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM tickets"), 1);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox"), 1);
	/* another number may not take a living id */
	CHECK_INT(ask("R1", "081299999999", ""), 400);
	/* past session_timeout: over, even the retry */
	stub.now += stub.conf.ussd_session_timeout + 1;
	CHECK_INT(ask("R1", PHONE, "2*kalisidi*Jalan rusak"), 200);
	CHECK(strstr(screen, "Waktu sesi habis") != NULL, "%s", screen);
	ussd_tick(&stub.gw);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM ussd_sessions"), 1);
	/* past the margin: forgotten, here and in the store */
	stub.now = t0 + stub.conf.ussd_session_timeout + USSD_SESSION_MARGIN +
	    1;
	ussd_tick(&stub.gw);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM ussd_sessions"), 0);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM ussd_actions"), 0);
	/* and the id is a new session, from another number too */
	CHECK_INT(ask("R1", "081299999999", "2*kalisidi*Jalan rusak"), 200);
	CHECK(strstr(screen, "ADU-2") != NULL, "a new session: %s", screen);
	/* its caller calls again at once: the empty text is a new call */
	CHECK_INT(ask("R1", "081299999999", ""), 200);
	CHECK(!strncmp(screen, "CON Kentongan", 13), "%s", screen);
	CHECK_INT(ask("R1", "081299999999", "2*kalisidi*Jalan rusak"), 200);
	CHECK(strstr(screen, "ADU-2") != NULL, "the same second: the same "
	    "complaint: %s", screen);
	ussd_sessions_free(stub.gw.ussd_sessions);
	stub_close();
}

/* The purge deletes a bounded batch per tick, oldest first. */
static void
test_purge_batch(void)
{
	stub_open(STUB_INI);
	stub.gw.ussd_sessions = ussd_sessions_new();
	CHECK_INT(stub_exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
	    "SELECT i + 1 FROM n WHERE i < 600) INSERT INTO ussd_sessions "
	    "(session_id, number, service_code, started_at, last_at, state) "
	    "SELECT 'old' || i, '+6281234567890', '*123#', 0, 0, 'ended' "
	    "FROM n"), 0);
	ussd_tick(&stub.gw);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM ussd_sessions"), 600 - 256);
	ussd_tick(&stub.gw);
	ussd_tick(&stub.gw);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM ussd_sessions"), 0);
	ussd_sessions_free(stub.gw.ussd_sessions);
	stub_close();
}

/* A USSD confirmation counts against replies_per_hour like an SMS reply,
 * for an unregistered caller; the one not sent is a withheld row. A
 * registered caller has no hourly limit. */
static void
test_reply_limit(void)
{
	int i;

	stub_open(STUB_INI_KENTONGAN "replies_per_hour = 2\n" STUB_INI_GAMMU);
	stub.gw.ussd_sessions = ussd_sessions_new();
	for (i = 0; i < 3; i++) {
		char id[8];

		snprintf(id, sizeof(id), "Q%d", i);
		CHECK_INT(ask(id, PHONE, "2*kalisidi*Jalan rusak"), 200);
	}
	CHECK(strstr(screen, "SMS konfirmasi tidak dikirim") != NULL, "%s",
	    screen);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM tickets"), 3);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE state = 'queued'"),
	    2);
	CHECK_STR(stub_text("SELECT reason FROM outbox WHERE state = 'withheld'"),
	    "withheld: replies_per_hour reached (not registered)");
	CHECK_STR(stub_text("SELECT note FROM messages ORDER BY id DESC"
	    " LIMIT 1"), "withheld: replies_per_hour reached (not registered)");
	ussd_sessions_free(stub.gw.ussd_sessions);
	stub_close();

	stub_open(STUB_INI_KENTONGAN "replies_per_hour = 2\n" STUB_INI_GAMMU);
	stub.gw.ussd_sessions = ussd_sessions_new();
	CHECK_INT(stub_contact("+6281234567890", "warga", "3322012005"), 0);
	for (i = 0; i < 4; i++) {
		char id[8];

		snprintf(id, sizeof(id), "R%d", i);
		CHECK_INT(ask(id, PHONE, "2*kalisidi*Jalan rusak"), 200);
	}
	CHECK(strstr(screen, "SMS konfirmasi tidak dikirim") == NULL, "%s",
	    screen);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE state = 'queued'"),
	    4);
	ussd_sessions_free(stub.gw.ussd_sessions);
	stub_close();
}

int
main(void)
{
	test_one_ticket();
	test_expired();
	test_long_id();
	test_end_and_recycle();
	test_purge_batch();
	test_reply_limit();
	return test_summary("test_ussd");
}
