/*
 * process, against the stub loop and a real store: a stored report
 * becomes its record and its reply in one transaction, and a status report
 * settles the outbox row it answers.
 */
#include "gateway/rules/cms_errors.h"
#include "tests/testlib.h"
#include "tests/unit/loop_stub.h"
#include "tests/unit/stub_ini.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SITI	"+6281211110001"

/* A RAPAT from a registered facilitator: record, reply, message state all
 * land together, or none of them does. */
static void
test_report_and_reply(void)
{
	char flag[80];
	long long mid;
	int fd;

	stub_open(STUB_INI);
	CHECK_INT(stub_contact(SITI, "pendamping", "33.22.01.2005"), 0);
	mid = stub_sms(SITI, "RAPAT 3322012005 27/11 RKP 45 30", stub.now);
	CHECK(mid > 0, "stored: %lld", mid);

	/* The commit fails (a full disk): nothing of it may show. */
	snprintf(flag, sizeof(flag), "%s.full", stub.path);
	fd = open(flag, O_CREAT | O_WRONLY, 0644);
	close(fd);
	store_test_disk_full(stub.gw.store, flag);
	process_run(&stub.gw);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM records"), 0);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox"), 0);
	CHECK_STR(stub_text("SELECT state FROM messages WHERE id = %lld", mid),
	    "received");
	CHECK(!(stub.woken & WORK_OUTBOUND), "no send woken for a rollback");

	/* The disk has room again: the same message, handled once. */
	unlink(flag);
	stub_reset();
	process_run(&stub.gw);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM records"), 1);
	CHECK_STR(stub_text("SELECT state FROM records"), "counted");
	CHECK_INT(stub_int("SELECT message_id FROM records"), mid);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE message_id = %lld"
	    " AND purpose = 'reply' AND state = 'queued' AND number = '%s'",
	    mid, SITI), 1);
	CHECK(strstr(stub_text("SELECT text FROM outbox"), "R-1") != NULL,
	    "reply names the record: %s", stub_text("SELECT text FROM outbox"));
	CHECK_STR(stub_text("SELECT state FROM messages WHERE id = %lld", mid),
	    "processed");
	CHECK(stub.woken & WORK_OUTBOUND, "the reply wakes the outbox");

	/* Run again: nothing new. */
	process_run(&stub.gw);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM records"), 1);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox"), 1);
	store_test_disk_full(stub.gw.store, NULL);
	stub_close();
}

/* The reply cannot be queued (a fault injected by a trigger): the record
 * made before it in the same message goes too, and the message is set
 * aside; the next message is handled as usual. */
static void
test_reply_fails(void)
{
	long long a, b;

	stub_open(STUB_INI);
	CHECK_INT(stub_contact(SITI, "pendamping", "33.22.01.2005"), 0);
	a = stub_sms(SITI, "RAPAT 3322012005 27/11 RKP 45 30", stub.now);
	CHECK_INT(stub_exec("CREATE TRIGGER no_reply BEFORE INSERT ON outbox "
	    "BEGIN SELECT RAISE(ABORT, 'injected'); END"), 0);
	process_run(&stub.gw);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM records"), 0);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox"), 0);
	CHECK_STR(stub_text("SELECT state FROM messages WHERE id = %lld", a),
	    "rejected");
	CHECK_STR(stub_text("SELECT error FROM messages WHERE id = %lld", a),
	    "internal");

	CHECK_INT(stub_exec("DROP TRIGGER no_reply"), 0);
	b = stub_sms(SITI, "RAPAT 3322012005 28/11 RKP 20 10", stub.now + 1);
	process_run(&stub.gw);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM records"), 1);
	CHECK_INT(stub_int("SELECT message_id FROM records"), b);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE message_id = %lld",
	    b), 1);
	stub_close();
}

/* A message that does not parse: rejected, with its error reply. */
static void
test_rejected(void)
{
	long long mid;

	stub_open(STUB_INI);
	mid = stub_sms("+6281211110002", "HALO APA KABAR", stub.now);
	process_run(&stub.gw);
	CHECK_STR(stub_text("SELECT state FROM messages WHERE id = %lld", mid),
	    "rejected");
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE message_id = %lld",
	    mid), 1);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM records"), 0);
	stub_close();
}

/* How many replies to number are in state st. */
static int
replies(const char *number, const char *st)
{
	return stub_int("SELECT COUNT(*) FROM outbox WHERE number = '%s'"
	    " AND purpose = 'reply' AND state = '%s'", number, st);
}

/*
 * Nobody is left in silence: a registered facilitator has no hourly cap;
 * a stranger past replies_per_hour, the same text past same_text_max and
 * the same erroneous text again get a withheld row with the reason;
 * different texts with the same error are each answered.
 */
static void
test_nobody_in_silence(void)
{
	static const char *const stranger = "+6285700000001";
	char text[64];
	int i;

	stub_open(STUB_INI_KENTONGAN "replies_per_hour = 3\n"
	    "same_text_max = 2\nerror_reply_minutes = 60\n" STUB_INI_GAMMU);
	CHECK_INT(stub_contact(SITI, "pendamping", "33.22.01.2005"), 0);
	for (i = 1; i <= 6; i++) {
		snprintf(text, sizeof(text), "RAPAT 3322012005 %d/11 RKP 4%d 30",
		    i, i);
		CHECK(stub_sms(SITI, text, stub.now + i) > 0, "stored %d", i);
	}
	/* two different texts, one error kind; then one of them again */
	stub_sms(SITI, "HALO", stub.now + 10);
	stub_sms(SITI, "APA KABAR", stub.now + 11);
	stub_sms(SITI, "HALO", stub.now + 12);
	/* the same good text three times */
	for (i = 0; i < 3; i++)
		stub_sms(SITI, "BANTU RAPAT", stub.now + 20 + i);
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "BANTU %d", i);
		stub_sms(stranger, text, stub.now + 30 + i);
	}
	process_run(&stub.gw);
	/* 6 reports + HALO + APA KABAR + BANTU RAPAT twice */
	CHECK_INT(replies(SITI, "queued"), 10);
	CHECK_INT(replies(SITI, "withheld"), 2);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox o JOIN messages m"
	    " ON m.id = o.message_id WHERE o.state = 'withheld'"
	    " AND CAST(m.text AS TEXT) = 'HALO' AND o.reason LIKE"
	    " '%%answered already%%' AND m.note = o.reason"), 1);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox o JOIN messages m"
	    " ON m.id = o.message_id WHERE o.state = 'withheld'"
	    " AND CAST(m.text AS TEXT) = 'BANTU RAPAT' AND o.reason LIKE"
	    " '%%same text%%'"), 1);
	/* the stranger: replies_per_hour answered, the rest withheld */
	CHECK_INT(replies(stranger, "queued"), 3);
	CHECK_INT(replies(stranger, "withheld"), 2);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE number = '%s'"
	    " AND state = 'withheld' AND reason LIKE '%%replies_per_hour%%'"
	    " AND text LIKE 'Perintah:%%'", stranger), 2);
	/* a withheld reply is never sent */
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE state = 'withheld'"
	    " AND next_at <= %lld AND no_retry = 0", stub.now + 3600), 4);
	stub.gw.modems[0].next_send_at = 0;
	stub_reset();
	outbound_run(&stub.gw);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE state = 'withheld'"),
	    4);
	stub_close();
}

/*
 * A backlog read at once after an outage was sent over days: BATAL
 * counts its 24 hours to when it was sent, and a person who asked the
 * same thing once a day is no auto-responder, nor is the same slip made
 * on two days. A stamp from the future is not believed.
 */
static void
test_backlog_in_the_senders_time(void)
{
	static const char *const warga = "+6285700000002";
	long long day = 86400, back, mid;
	int i;

	stub_open(STUB_INI_KENTONGAN "same_text_max = 2\n"
	    "error_reply_minutes = 60\n" STUB_INI_GAMMU);
	CHECK_INT(stub_contact(SITI, "pendamping", "33.22.01.2005"), 0);
	stub_sms(SITI, "RAPAT 3322012005 27/11 RKP 45 30", stub.now);
	process_run(&stub.gw);
	/* sent 12 h after the report, read 3 days after it */
	back = stub.now;
	stub.now += 3 * day;
	mid = stub_sms_sent(SITI, "BATAL R-1", back + day / 2, stub.now);
	for (i = 0; i < 3; i++) {
		stub_sms_sent(warga, "STATUS ADU-9", back + i * day, stub.now);
		stub_sms_sent(warga, "HALO", back + i * day + 60, stub.now);
	}
	process_run(&stub.gw);
	CHECK_STR(stub_text("SELECT text FROM outbox WHERE message_id = %lld",
	    mid), "BATAL: laporan R-1 dibatalkan.");
	CHECK_STR(stub_text("SELECT state FROM records WHERE id = 1"),
	    "withdrawn");
	CHECK_INT(replies(warga, "queued"), 6);
	CHECK_INT(replies(warga, "withheld"), 0);
	/* a BATAL stamped a day ahead of our clock is read as sent now */
	stub_sms(SITI, "RAPAT 3322012005 27/11 RKP 46 30", stub.now);
	process_run(&stub.gw);
	stub.now += day + 60;
	mid = stub_sms_sent(SITI, "BATAL R-2", stub.now + day, stub.now);
	process_run(&stub.gw);
	CHECK(strstr(stub_text("SELECT text FROM outbox WHERE message_id ="
	    " %lld", mid), "lewat 24 jam") != NULL, "too late: %s",
	    stub_text("SELECT text FROM outbox WHERE message_id = %lld", mid));
	/* a MULAI stamped a day ahead does not outrank a BERHENTI sent
	 * after it (both read now): the stamp is taken as now */
	stub_sms_sent(warga, "MULAI", stub.now + day, stub.now);
	process_run(&stub.gw);
	stub.now += 60;
	stub_sms_sent(warga, "BERHENTI", stub.now, stub.now);
	process_run(&stub.gw);
	CHECK_INT(stub_int("SELECT opted_out FROM contacts WHERE number = '%s'",
	    warga), 1);
	stub_close();
}

/* Send a queued row through the fake modem; the part gets MR mr. */
static long long
send_one(const char *number, int mr)
{
	struct modem *m = &stub.gw.modems[0];
	long long id;

	CHECK_INT(store_outbox_add(stub.gw.store, number, "Kabar desa",
	    "notify", 0, stub.now, &id), 1);
	stub_reset();
	m->next_send_at = 0;
	outbound_run(&stub.gw);
	CHECK_INT(stub.nsends, 1);
	CHECK_INT(stub.send_id[0], id);
	outbound_part(m, id, 1, 1, 0, mr);
	outbound_result(m, id, 1, 1, "", 0, SEND_OK);
	CHECK_STR(stub_text("SELECT state FROM outbox WHERE id = %lld", id),
	    "sent");
	return id;
}

/* A status report settles the row whose part carried its MR, and no
 * other. */
static void
test_status_report(void)
{
	struct sms_in in;
	long long a, b, mid = 0;

	stub_open(STUB_INI);
	a = send_one("+6281200000001", 7);
	b = send_one("+6281200000001", 8);
	memset(&in, 0, sizeof(in));
	in.modem = "gammu";
	in.number = in.number_raw = "+6281200000001";
	in.sender_class = SENDER_NUMBER;
	in.smsc_time = in.received_at = stub.now + 5;
	in.coding = "gsm7";
	in.text = "";
	in.is_report = 1;
	in.report_ref = 8;
	in.report_status = 0;
	store_begin(stub.gw.store);
	CHECK_INT(store_sms_add(stub.gw.store, &in, &mid), 1);
	store_commit(stub.gw.store);
	process_run(&stub.gw);
	CHECK_STR(stub_text("SELECT state FROM outbox WHERE id = %lld", b),
	    "delivered");
	CHECK_STR(stub_text("SELECT state FROM outbox WHERE id = %lld", a),
	    "sent");
	CHECK_STR(stub_text("SELECT state FROM messages WHERE id = %lld", mid),
	    "ignored");
	CHECK(strstr(stub_text("SELECT note FROM messages WHERE id = %lld",
	    mid), "delivered") != NULL, "note: %s",
	    stub_text("SELECT note FROM messages WHERE id = %lld", mid));
	/* no reply to a status report */
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox WHERE message_id = %lld",
	    mid), 0);
	stub_close();
}

int
main(void)
{
	test_report_and_reply();
	test_reply_fails();
	test_rejected();
	test_nobody_in_silence();
	test_backlog_in_the_senders_time();
	test_status_report();
	return test_summary("test_process");
}
