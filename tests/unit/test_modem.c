/* The modem rules' pure parts (error classes, routing, credit) and their
 * store functions (parts, status reports, failure classes, credit alarm). */
#include "gateway/rules/cms_errors.h"
#include "gateway/rules/credit.h"
#include "gateway/rules/route.h"
#include "store/store.h"
#include "tests/testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
test_cms_table(void)
{
	const struct cms_error *t;
	int i, n;

	t = cms_table(&n);
	CHECK(n > 40, "table has %d rows", n);
	for (i = 1; i < n; i++)
		CHECK(t[i - 1].code < t[i].code, "sorted at %d", t[i].code);
	for (i = 0; i < n; i++)
		CHECK_INT(cms_class(t[i].code), t[i].cls);
	/* the cases the issue names */
	CHECK_INT(cms_class(42), SEND_TRANSIENT);	/* congestion */
	CHECK_INT(cms_class(332), SEND_TRANSIENT);	/* network timeout */
	CHECK_INT(cms_class(331), SEND_TRANSIENT);	/* no network */
	CHECK_INT(cms_class(30), SEND_PERMANENT);	/* unknown subscriber */
	CHECK_INT(cms_class(1), SEND_PERMANENT);	/* unassigned number */
	CHECK_INT(cms_class(8), SEND_PERMANENT);	/* barred */
	CHECK_INT(cms_class(10), SEND_PERMANENT);	/* call barred */
	CHECK_INT(cms_class(304), SEND_LOCAL);		/* bad PDU */
	CHECK_INT(cms_class(311), SEND_LOCAL);		/* SIM PIN */
	CHECK_INT(cms_class(310), SEND_LOCAL);		/* no SIM */
	CHECK_INT(cms_class(330), SEND_LOCAL);		/* SMSC unknown */
	CHECK_INT(cms_class(9999), SEND_TRANSIENT);	/* unknown: retry */
	CHECK_STR(cms_text(330), "SMSC address unknown");
	CHECK_STR(cms_text(9999), "unknown error");
	CHECK_STR(send_class_name(SEND_UNCERTAIN), "uncertain");
}

static void
test_route(void)
{
	static const struct { const char *number; enum op op; } nums[] = {
		{ "+6281234567890", OP_TELKOMSEL }, { "081334567890", OP_TELKOMSEL },
		{ "6285212345678", OP_TELKOMSEL }, { "+6285712345678", OP_INDOSAT },
		{ "081412345678", OP_INDOSAT }, { "+6281712345678", OP_XL },
		{ "087812345678", OP_XL }, { "+6283812345678", OP_AXIS },
		{ "+6289612345678", OP_TRI }, { "088112345678", OP_SMARTFREN },
		{ "+6221345678", OP_UNKNOWN }, { "+14155550100", OP_UNKNOWN },
		{ "TELKOMSEL", OP_UNKNOWN }, { "", OP_UNKNOWN },
	};
	struct route_bearer m[3] = {
		{ OP_TELKOMSEL, 1, 0 }, { OP_INDOSAT, 1, 0 },
		{ OP_TELKOMSEL, 1, 0 },
	};
	/* two modems, a Kannel bearer for any operator marked bulk, one
	 * on XL that is not */
	struct route_bearer b[4] = {
		{ OP_TELKOMSEL, 1, 0 }, { OP_INDOSAT, 1, 0 },
		{ OP_UNKNOWN, 1, 1 }, { OP_XL, 1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		CHECK(route_op_of_number(nums[i].number) == nums[i].op, "%s",
		    nums[i].number);
	CHECK_INT(route_op_of_network("510 10"), OP_TELKOMSEL);
	CHECK_INT(route_op_of_network("51001"), OP_INDOSAT);
	CHECK_INT(route_op_of_network("510 11"), OP_XL);
	CHECK_INT(route_op_of_network("510 89"), OP_TRI);
	CHECK_INT(route_op_of_network("51028"), OP_SMARTFREN);
	CHECK_INT(route_op_of_network("50212"), OP_UNKNOWN);
	CHECK_INT(route_op_by_name("Telkomsel"), OP_TELKOMSEL);
	CHECK_INT(route_op_by_name("nope"), -1);

	/* on-net when a healthy modem is on the number's operator */
	CHECK_INT(route_choose(m, 3, "+6281234567890", 0), 0x5);
	CHECK_INT(route_choose(m, 3, "+6285712345678", 0), 0x2);
	/* no modem on XL: any healthy one */
	CHECK_INT(route_choose(m, 3, "+6281712345678", 0), 0x7);
	/* no bulk bearer: a broadcast routes as a reply */
	CHECK_INT(route_choose(m, 3, "+6281234567890", 1), 0x5);
	/* the Indosat modem is down: any healthy one, never a down one */
	m[1].healthy = 0;
	CHECK_INT(route_choose(m, 3, "+6285712345678", 0), 0x5);
	m[0].healthy = m[2].healthy = 0;
	CHECK_INT(route_choose(m, 3, "+6281234567890", 0), 0);
	CHECK_INT(route_choose(m, 3, "+6281234567890", 1), 0);

	/* replies: on-net first, then any bearer not bulk, the bulk one
	 * last */
	CHECK_INT(route_choose(b, 4, "+6281234567890", 0), 0x1);
	CHECK_INT(route_choose(b, 4, "+6281712345678", 0), 0x8);
	CHECK_INT(route_choose(b, 4, "+6289612345678", 0), 0xb);
	CHECK_INT(route_choose(b, 4, "+441234567890", 0), 0xb);
	/* broadcasts and reminders: the bulk bearer first, even for an
	 * on-net number */
	CHECK_INT(route_choose(b, 4, "+6281234567890", 1), 0x4);
	CHECK_INT(route_choose(b, 4, "+6281712345678", 1), 0x4);
	/* a bulk bearer on the number's operator before another bulk one */
	b[0].bulk = 1;
	CHECK_INT(route_choose(b, 4, "+6281234567890", 1), 0x1);
	CHECK_INT(route_choose(b, 4, "+6285712345678", 1), 0x5);
	/* ... and a reply avoids both while another can take it */
	CHECK_INT(route_choose(b, 4, "+6281234567890", 0), 0xa);
	/* bulk bearers down: a broadcast takes the others' order */
	b[0].healthy = b[2].healthy = 0;
	CHECK_INT(route_choose(b, 4, "+6281712345678", 1), 0x8);
	CHECK_INT(route_choose(b, 4, "+6281234567890", 1), 0xa);
	/* only a bulk bearer left: replies take it */
	b[1].healthy = b[3].healthy = 0;
	b[2].healthy = 1;
	CHECK_INT(route_choose(b, 4, "+6281234567890", 0), 0x4);
	CHECK_INT(route_is_bulk("broadcast"), 1);
	CHECK_INT(route_is_bulk("reminder"), 1);
	CHECK_INT(route_is_bulk("announcement"), 1);
	CHECK_INT(route_is_bulk("reply"), 0);
	CHECK_INT(route_is_bulk("digest"), 0);
}

static void
test_credit(void)
{
	CHECK_INT(credit_parse("Sisa pulsa Rp 12.500, aktif s.d. 30-12-2026"),
	    12500);
	CHECK_INT(credit_parse("Pulsa Anda Rp12,500.00 berlaku 2027"), 12500);
	CHECK_INT(credit_parse("Rp. 1.234.567"), 1234567);
	CHECK_INT(credit_parse("Saldo 5000"), 5000);
	CHECK_INT(credit_parse("Paket 3 GB: Rp 0"), 0);
	CHECK_INT(credit_parse("Maaf, layanan tidak tersedia"), -1);
}

static char path[256];

/* An outbox row put in 'sending' on gammu. */
static long long
sending(struct store *st, const char *number)
{
	long long id = 0;

	CHECK_INT(store_outbox_add(st, number, "halo", "notify", 0, 100, &id),
	    1);
	CHECK_INT(store_outbox_sending(st, id, "gammu", 100), 0);
	return id;
}

/* A status report stored as the inbound path stores it. */
static long long
report(struct store *st, const char *number, int mr, int status, long long t)
{
	struct sms_in m;
	long long mid = 0;

	memset(&m, 0, sizeof(m));
	m.modem = "gammu";
	m.number = m.number_raw = number;
	m.smsc_time = t;
	m.received_at = t;
	m.coding = "gsm7";
	m.text = "";
	m.is_report = 1;
	m.report_ref = mr;
	m.report_status = status;
	store_begin(st);
	CHECK_INT(store_sms_add(st, &m, &mid), 1);
	store_commit(st);
	return mid;
}

static const char *
state_of(struct store *st, long long id)
{
	struct outbox_due rows[16];
	int i, n = store_outbox_due(st, 1LL << 40, rows, 16);

	for (i = 0; i < n; i++)
		if (rows[i].id == id)
			return "due";
	return "not due";
}

static int credit_rows;

static int
count_modem(void *arg, const struct modem_status *m)
{
	(void)arg;
	credit_rows++;
	CHECK_STR(m->name, "gammu");
	CHECK_INT(m->credit, 12500);
	CHECK_INT(m->sent_today, 5);	/* parts sent */
	return 0;
}

static void
test_store(void)
{
	struct report_match r;
	struct modem_status ms;
	struct store *st;
	char err[256], *text;
	long long a, b, c, mid;
	int alarm, ref, done;

	snprintf(path, sizeof(path), "/tmp/kentongan-test-modem-%d.db",
	    (int)getpid());
	unlink(path);
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	CHECK(st != NULL, "open: %s", err);
	if (st == NULL)
		return;

	/* A three-part send: every part delivered settles it delivered. */
	a = sending(st, "+6281200000001");
	CHECK_INT(store_outbox_part(st, a, 1, 3, 42, "gammu", 7, 100), 0);
	CHECK_INT(store_outbox_part(st, a, 2, 3, 42, "gammu", 8, 100), 0);
	/* a report for part 1 before the send ended */
	mid = report(st, "+6281200000001", 7, 0, 200);
	CHECK_INT(store_report_apply(st, mid, 201, &r), 1);
	CHECK_INT(r.outbox_id, a);
	CHECK_INT(r.seq, 1);
	CHECK_STR(r.state, "sending");
	CHECK_INT(store_outbox_part(st, a, 3, 3, 42, "gammu", 9, 100), 0);
	CHECK_INT(store_outbox_sent(st, a, 3, 110), 0);
	mid = report(st, "+6281200000001", 8, 0, 202);
	CHECK_INT(store_report_apply(st, mid, 203, &r), 1);
	CHECK_STR(r.state, "sent");
	/* still trying (0x21): the part stays open for the final report */
	mid = report(st, "+6281200000001", 9, 0x21, 204);
	CHECK_INT(store_report_apply(st, mid, 205, &r), 1);
	CHECK_STR(r.state, "sent");
	mid = report(st, "+6281200000001", 9, 0, 206);
	CHECK_INT(store_report_apply(st, mid, 207, &r), 1);
	CHECK_INT(r.seq, 3);
	CHECK_STR(r.state, "delivered");
	/* a report nobody asked for */
	mid = report(st, "+6281200000009", 99, 0, 208);
	CHECK_INT(store_report_apply(st, mid, 209, &r), 0);

	/* A failed report: failed for good, never due again. */
	b = sending(st, "+6281200000002");
	CHECK_INT(store_outbox_part(st, b, 1, 1, -1, "gammu", 10, 100), 0);
	CHECK_INT(store_outbox_sent(st, b, 1, 110), 0);
	mid = report(st, "+6281200000002", 10, 0x41, 210);
	CHECK_INT(store_report_apply(st, mid, 211, &r), 1);
	CHECK_STR(r.state, "failed");
	CHECK_STR(state_of(st, b), "not due");

	/* Permanent: failed at once, not due. Local: queued, try given back. */
	c = sending(st, "+6281200000003");
	CHECK_INT(store_outbox_permanent(st, c, "+CMS ERROR 30", 0), 0);
	CHECK_STR(state_of(st, c), "not due");
	c = sending(st, "+6281200000004");
	CHECK_INT(store_outbox_local(st, c, "+CMS ERROR 330", 100, 100), 0);
	CHECK_STR(state_of(st, c), "due");
	{
		struct outbox_due rows[16];
		int i, n = store_outbox_due(st, 1000, rows, 16);

		for (i = 0; i < n; i++)
			if (rows[i].id == c)
				CHECK_INT(rows[i].tries, 0);
	}

	/* Uncertain: retried once, then dead; a half-sent long SMS keeps
	 * its reference and parts. */
	c = sending(st, "+6281200000005");
	CHECK_INT(store_outbox_part(st, c, 1, 2, 17, "gammu", 11, 100), 0);
	CHECK_INT(store_outbox_uncertain(st, c, "no answer", 100, 1), 0);
	CHECK_STR(state_of(st, c), "due");
	CHECK_INT(store_outbox_text(st, c, &text, &ref, &done), 0);
	CHECK_INT(ref, 17);
	CHECK_INT(done, 1);
	free(text);
	CHECK_INT(store_outbox_sending(st, c, "gammu", 101), 0);
	CHECK_INT(store_outbox_uncertain(st, c, "no answer", 101, 1), 0);
	CHECK_STR(state_of(st, c), "not due");
	CHECK_INT(store_outbox_restart(st, c), 0);

	/* Credit: one alarm when it falls under the threshold. */
	memset(&ms, 0, sizeof(ms));
	snprintf(ms.name, sizeof(ms.name), "gammu");
	snprintf(ms.state, sizeof(ms.state), "up");
	ms.signal = 60;
	ms.updated_at = 100;
	CHECK_INT(store_modem_put(st, &ms), 0);
	CHECK_INT(store_modem_credit(st, "gammu", "Rp 12.500", 12500, 20000,
	    100, &alarm), 0);
	CHECK_INT(alarm, 1);
	CHECK_INT(store_modem_credit(st, "gammu", "Rp 12.500", 12500, 20000,
	    200, &alarm), 0);
	CHECK_INT(alarm, 0);
	CHECK_INT(store_modem_credit(st, "gammu", "?", -1, 20000, 250,
	    &alarm), 0);
	CHECK_INT(alarm, 0);
	CHECK_INT(store_modem_credit(st, "gammu", "Rp 50.000", 50000, 20000,
	    300, &alarm), 0);
	CHECK_INT(alarm, 0);
	CHECK_INT(store_modem_credit(st, "gammu", "Rp 12.500", 12500, 20000,
	    400, &alarm), 0);
	CHECK_INT(alarm, 1);
	CHECK_INT(store_modem_list(st, 0, count_modem, NULL), 0);
	CHECK_INT(credit_rows, 1);

	store_close(st);
	unlink(path);
}

int
main(void)
{
	test_cms_table();
	test_route();
	test_credit();
	test_store();
	return test_summary("test_modem");
}
