/*
 * scheduler, against the stub loop and a real store: a reminder fires
 * once per due time however often the scheduler runs, one missed by more
 * than the grace is recorded and not sent, never a burst of old ones.
 * The months a reminder names; a meeting's reminder says only what is
 * true when it goes out.
 */
#include "gateway/loop/scheduler.h"
#include "gateway/util/clock.h"
#include "tests/testlib.h"
#include "tests/unit/loop_stub.h"
#include "tests/unit/stub_ini.h"

#include <stdio.h>
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

/* {bulan} and {bulan_lalu} across a new year; only_if by the month a
 * report is dated, not the day it was sent. */
static void
test_months(void)
{
	static const char months[] = STUB_INI
	    "[reminder laporan]\n"
	    "schedule = 0 8 1 * *\n"
	    "to = pendamping\n"
	    "text = {nama}: {bulan_lalu}, lalu {bulan}.\n"
	    "only_if = no_report_last_month\n";
	long long jan1;

	stub_open(months);
	CHECK_INT(clock_parse_local("2026-01-01 08:00", "%Y-%m-%d %H:%M", 0,
	    &jan1), 0);
	stub_contact("+6281211110001", "pendamping", "3322012005");
	stub_contact("+6281211110002", "pendamping", "3322012006");
	stub_contact("+6281211110003", "pendamping", "3322012007");
	/* 1: a meeting of 30 December, reported on 1 January: December's;
	 * 2: reported on 20 December a meeting of November: not December's;
	 * 3: nothing */
	stub_exec("INSERT INTO records (kind, number, desa, tanggal, jenis, "
	    "laki, perempuan, state, created_at) VALUES ('rapat', "
	    "'+6281211110001', '33.22.01.2005', '2025-12-30', 'RKP', 1, 1, "
	    "'counted', 1767225600)");
	stub_exec("INSERT INTO records (kind, number, desa, tanggal, jenis, "
	    "laki, perempuan, state, created_at) VALUES ('rapat', "
	    "'+6281211110002', '33.22.01.2006', '2025-11-28', 'RKP', 1, 1, "
	    "'counted', 1766200000)");
	run_at(jan1 + 10);
	CHECK_INT(reminders(), 2);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE number = "
	    "'+6281211110001'"), 0);
	CHECK_STR(stub_text("SELECT text FROM outbox WHERE number = "
	    "'+6281211110003'"), "Siti: Desember 2025, lalu Januari 2026.");
	stub_close();
}

/* A config with reminder_grace and quiet hours as a test wants them. */
static const char *
meeting_ini(int grace, const char *quiet)
{
	static char ini[1024];

	snprintf(ini, sizeof(ini), "[kentongan]\ndatabase = unused.db\n"
	    "quiet_hours = %s\ndigest_time = none\nreminder_grace = %d\n"
	    STUB_INI_GAMMU, quiet, grace);
	return ini;
}

/* A meeting of Wates on date at time, added at added. */
static void
meeting_at(const char *date, const char *at, long long added)
{
	struct meeting m;
	long long id;

	memset(&m, 0, sizeof(m));
	snprintf(m.desa, sizeof(m.desa), "33.22.01.2005");
	snprintf(m.tanggal, sizeof(m.tanggal), "%s", date);
	snprintf(m.waktu, sizeof(m.waktu), "%s", at);
	snprintf(m.jenis, sizeof(m.jenis), "RKP");
	if (store_meeting_add(stub.gw.store, &m, added, &id) != 0)
		CHECK(0, "meeting added");
}

static long long
local(const char *s)
{
	long long t = -1;

	clock_parse_local(s, "%Y-%m-%d %H:%M", 0, &t);
	return t;
}

static void
meeting_people(void)
{
	stub_contact("+6281211110001", "pendamping", "33.22.01.2005");
	stub_contact("+6285722220001", "warga", "33.22.01.2005");
	stub_contact("+6281211110009", "koordinator", "");
}

static long long
meeting_reminders(void)
{
	return stub_int("SELECT COUNT(*) FROM outbox WHERE text LIKE "
	    "'Pengingat%%'");
}

/* On time: "besok", the day before, to the village's people, once. */
static void
test_meeting_on_time(void)
{
	stub_open(meeting_ini(21600, "none"));
	meeting_people();
	meeting_at("2025-12-10", "19:30", local("2025-12-01 10:00"));
	/* added less than a day before: the announcement will do */
	meeting_at("2025-12-10", "08:00", local("2025-12-09 12:00"));
	run_at(local("2025-12-09 19:29"));
	CHECK_INT(meeting_reminders(), 0);
	run_at(local("2025-12-09 19:30"));
	CHECK_INT(meeting_reminders(), 2);
	CHECK_STR(stub_text("SELECT text FROM outbox WHERE number = "
	    "'+6285722220001'"), "Pengingat: besok musyawarah RKP desa "
	    "33.22.01.2005, 10/12 jam 19:30 di balai desa.");
	CHECK_STR(stub_text("SELECT outcome FROM reminder_state WHERE name "
	    "= 'meeting:1'"), "sent");
	run_at(local("2025-12-09 19:31"));
	run_at(local("2025-12-10 07:00"));
	CHECK_INT(meeting_reminders(), 2);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM reminder_state"), 1);
	stub_close();
}

/* Down at 19:30, back after midnight within the grace: it goes, saying
 * "hari ini"; back the next morning, past the grace: recorded missed. */
static void
test_meeting_late(void)
{
	stub_open(meeting_ini(21600, "none"));
	meeting_people();
	meeting_at("2025-12-10", "19:30", local("2025-12-01 10:00"));
	meeting_at("2025-12-11", "19:30", local("2025-12-01 10:00"));
	run_at(local("2025-12-10 00:30"));
	CHECK_INT(meeting_reminders(), 2);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE text LIKE "
	    "'Pengingat: hari ini musyawarah%%10/12%%'"), 2);
	run_at(local("2025-12-11 08:00"));
	CHECK_INT(meeting_reminders(), 2);
	CHECK_STR(stub_text("SELECT outcome FROM reminder_state WHERE name "
	    "= 'meeting:2'"), "missed: late by more than reminder_grace");
	stub_close();
}

/* A grace longer than a day: a reminder found after the meeting started
 * is not sent; one that quiet hours would hold past midnight says "hari
 * ini", and one they would hold past the start is not sent. */
static void
test_meeting_started_or_quiet(void)
{
	stub_open(meeting_ini(2 * 86400, "21:00-06:00"));
	meeting_people();
	meeting_at("2025-12-10", "19:30", local("2025-12-01 10:00"));
	meeting_at("2025-12-12", "20:30", local("2025-12-01 10:00"));
	meeting_at("2025-12-14", "05:30", local("2025-12-01 10:00"));
	run_at(local("2025-12-10 20:00"));
	CHECK_INT(meeting_reminders(), 0);
	CHECK_STR(stub_text("SELECT outcome FROM reminder_state WHERE name "
	    "= 'meeting:1'"), "missed: the meeting had started");
	/* due 11/12 20:30, found at 23:00: held to 06:00 of the day itself */
	run_at(local("2025-12-11 23:00"));
	CHECK_INT(meeting_reminders(), 2);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE text LIKE "
	    "'Pengingat: hari ini musyawarah%%12/12%%'"), 2);
	/* due 13/12 05:30, found on the 14th at 04:00 (within the grace,
	 * before the start): quiet hours would hold it until after 05:30 */
	run_at(local("2025-12-14 04:00"));
	CHECK_INT(meeting_reminders(), 2);
	CHECK_STR(stub_text("SELECT outcome FROM reminder_state WHERE name "
	    "= 'meeting:3'"), "missed: quiet hours would hold it past the "
	    "meeting's start");
	stub_close();
}

/* A meeting whose reminder was queued when it was added (before the
 * scheduler sent them) is not reminded twice. */
static void
test_meeting_of_an_older_version(void)
{
	stub_open(meeting_ini(21600, "none"));
	meeting_people();
	stub_exec("INSERT INTO meetings (desa, tanggal, waktu, jenis, tempat, "
	    "created_at) VALUES ('33.22.01.2005', '2025-12-10', '19:30', "
	    "'RKP', '', 1764550800)");
	run_at(local("2025-12-09 19:30"));
	CHECK_INT(meeting_reminders(), 0);
	stub_close();
}

int
main(void)
{
	test_once_per_due_time();
	test_late_within_grace();
	test_months();
	test_meeting_on_time();
	test_meeting_late();
	test_meeting_started_or_quiet();
	test_meeting_of_an_older_version();
	return test_summary("test_scheduler");
}
