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

int
main(void)
{
	test_one_ticket();
	test_expired();
	return test_summary("test_ussd");
}
