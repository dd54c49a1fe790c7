/*
 * scheduler, against the stub loop and a real store: a reminder fires
 * once per due time however often the scheduler runs, one missed by more
 * than the grace is recorded and not sent, never a burst of old ones.
 */
#include "gateway/loop/scheduler.h"
#include "tests/testlib.h"
#include "tests/unit/loop_stub.h"
#include "tests/unit/stub_ini.h"

#include <string.h>

#define DAY	86400LL
#define AT_8	1764550800LL	/* 2025-12-01 08:00 WIB */

static const char ini[] = STUB_INI
	"[reminder laporan]\n"
	"schedule = 0 8 * * *\n"
	"to = pendamping\n"
	"text = Yth {nama}, laporan {bulan}.\n";

static long long
reminders(void)
{
	return stub_int("SELECT COUNT(*) FROM outbox WHERE purpose = "
	    "'reminder'");
}

static void
run_at(long long now)
{
	stub.now = now;
	stub_reset();
	scheduler_run(&stub.gw);
}

static void
test_once_per_due_time(void)
{
	stub_open(ini);
	stub_contact("+6281211110001", "pendamping", "3322012005");
	stub_contact("+6281211110002", "pendamping", "3322012006");
	stub_contact("+6281211110003", "warga", "3322012005");

	run_at(AT_8 - 60);
	CHECK_INT(reminders(), 0);
	run_at(AT_8 + 30);
	CHECK_INT(reminders(), 2);
	CHECK(stub.woken & WORK_OUTBOUND, "the outbox is woken");
	CHECK_STR(stub_text("SELECT text FROM outbox WHERE purpose = "
	    "'reminder' LIMIT 1"), "Yth Siti, laporan Desember 2025.");
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE number = "
	    "'+6281211110003'"), 0);
	/* the scheduler ticks on: the same due time never again */
	run_at(AT_8 + 30);
	run_at(AT_8 + 50);
	run_at(AT_8 + 3600);
	CHECK_INT(reminders(), 2);
	CHECK(!(stub.woken & WORK_OUTBOUND), "nothing new to send");
	/* the next day's due time */
	run_at(AT_8 + DAY + 20);
	CHECK_INT(reminders(), 4);
	run_at(AT_8 + DAY + 40);
	CHECK_INT(reminders(), 4);

	/* down for three days, back at 20:00, past the 6 h grace: the
	 * latest due time is recorded missed, none of the older ones sent */
	run_at(AT_8 + 4 * DAY + 12 * 3600);
	CHECK_INT(reminders(), 4);
	CHECK_INT(stub_int("SELECT last_due FROM reminder_state"),
	    AT_8 + 4 * DAY);
	CHECK_STR(stub_text("SELECT outcome FROM reminder_state"), "missed");
	/* the next due time fires as usual */
	run_at(AT_8 + 5 * DAY + 10);
	CHECK_INT(reminders(), 6);
	stub_close();
}

/* Back within the grace: the one missed due time goes out late, once. */
static void
test_late_within_grace(void)
{
	stub_open(ini);
	stub_contact("+6281211110001", "pendamping", "3322012005");
	run_at(AT_8 + 10);
	CHECK_INT(reminders(), 1);
	run_at(AT_8 + 3 * DAY + 2 * 3600);
	CHECK_INT(reminders(), 2);
	run_at(AT_8 + 3 * DAY + 3 * 3600);
	CHECK_INT(reminders(), 2);
	stub_close();
}

int
main(void)
{
	test_once_per_due_time();
	test_late_within_grace();
	return test_summary("test_scheduler");
}
