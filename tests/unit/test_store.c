/* store/: the queue's states and promises, on a real SQLite file. */
#include "store/store.h"
#include "store/csv.h"
#include "store/store_int.h"
#include "tests/testlib.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <errno.h>
#include <zlib.h>

static char path[256];

static struct sms_in
sms(const char *number, long long t, const char *text, int ref, int total,
    int seq)
{
	struct sms_in m;

	memset(&m, 0, sizeof(m));
	m.modem = "gammu";
	m.number = number;
	m.number_raw = number;
	m.smsc_time = t;
	m.received_at = t + 5;
	m.coding = "gsm7";
	m.text = text;
	m.text_len = strlen(text);
	m.concat_ref = ref;
	m.concat_total = total;
	m.concat_seq = seq;
	return m;
}

static int
add(struct store *st, struct sms_in m, long long *mid)
{
	int rc;

	store_begin(st);
	rc = store_sms_add(st, &m, mid);
	store_commit(st);
	return rc;
}

static void
test_inbound(struct store *st)
{
	long long mid, ids[8];
	struct message m;

	CHECK_INT(add(st, sms("+62811", 1000, "ADUAN x y", 0, 0, 0), &mid), 1);
	CHECK(mid > 0, "single SMS makes a message");
	CHECK_INT(add(st, sms("+62811", 1000, "ADUAN x y", 0, 0, 0), &mid), 0);
	CHECK_INT(mid, 0);
	CHECK_INT(add(st, sms("+62811", 2000, "ADUAN x y", 0, 0, 0), &mid), 1);
	CHECK_INT(store_messages_received(st, ids, 8), 2);

	/* three parts, out of order, one duplicated */
	CHECK_INT(add(st, sms("+62812", 3000, "ccc", 7, 3, 3), &mid), 1);
	CHECK_INT(mid, 0);
	CHECK_INT(add(st, sms("+62812", 3000, "aaa", 7, 3, 1), &mid), 1);
	CHECK_INT(add(st, sms("+62812", 3000, "aaa", 7, 3, 1), &mid), 0);
	CHECK_INT(mid, 0);
	/* same reference from another sender is another message */
	CHECK_INT(add(st, sms("+62899", 3000, "zzz", 7, 3, 2), &mid), 1);
	CHECK_INT(mid, 0);
	CHECK_INT(add(st, sms("+62812", 3000, "bbb", 7, 3, 2), &mid), 1);
	CHECK(mid > 0, "last part joins");
	CHECK_INT(store_message_get(st, mid, &m), 0);
	CHECK_STR(m.text, "aaabbbccc");
	CHECK_INT(m.parts, 3);
	CHECK_INT(m.incomplete, 0);
	message_free(&m);

	/* a part that never comes: processed after the timeout, flagged */
	CHECK_INT(add(st, sms("+62813", 4000, "first", 9, 3, 1), &mid), 1);
	CHECK_INT(add(st, sms("+62813", 4000, "third", 9, 3, 3), &mid), 1);
	store_begin(st);
	/* only the +62899 part is older than 4000 */
	CHECK_INT(store_parts_expire(st, 4000, 5000), 1);
	CHECK_INT(store_parts_expire(st, 10000, 10000), 1);
	store_commit(st);
	CHECK_INT(store_messages_received(st, ids, 8), 5);
	CHECK_INT(store_message_get(st, ids[4], &m), 0);
	CHECK_STR(m.text, "first[...]third");
	CHECK_INT(m.incomplete, 1);
	message_free(&m);
	CHECK_INT(store_message_done(st, ids[0], "processed", "aduan", NULL,
	    NULL, 1), 0);
	CHECK_INT(store_messages_received(st, ids, 8), 4);
}

/* The text, parts and incomplete flag of message id, as "text|parts|inc". */
static const char *
message_line(struct store *st, long long id)
{
	static char line[256];
	struct message m;

	if (store_message_get(st, id, &m) != 0)
		return "(none)";
	snprintf(line, sizeof(line), "%s|%d|%d", m.text, m.parts, m.incomplete);
	message_free(&m);
	return line;
}

/* Count rows of an SQL query's single number. */
static long long
scalar(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -1;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/*
 * Parts join by sender, reference, total and SMSC time: a phone that
 * reuses its reference sends two messages under one (issue 15). A part
 * delivered twice is one part.
 */
static void
test_multipart_sets(void)
{
	struct store *st;
	char p[300], err[256], side[320];
	long long mid, a, ids[8];

	snprintf(p, sizeof(p), "%s-parts", path);
	unlink(p);
	st = store_open(p, STORE_CREATE, err, sizeof(err));
	CHECK(st != NULL, "open: %s", err);
	if (st == NULL)
		return;
	/* A's part 1 at 10:00, B's part 2 at 10:05, B's part 1 at 10:04:58:
	 * B joins whole, A waits alone and is flagged incomplete later */
	CHECK_INT(add(st, sms("+62821", 36000, "A1 ", 5, 2, 1), &mid), 1);
	CHECK_INT(mid, 0);
	CHECK_INT(add(st, sms("+62821", 36300, "B2", 5, 2, 2), &mid), 1);
	CHECK_INT(mid, 0);
	CHECK_INT(add(st, sms("+62821", 36298, "B1 ", 5, 2, 1), &mid), 1);
	CHECK(mid > 0, "B's own part 1 completes B");
	CHECK_STR(message_line(st, mid), "B1 B2|2|0");
	store_begin(st);
	CHECK_INT(store_parts_expire(st, 1000000, 1000000), 1);
	store_commit(st);
	CHECK_INT(store_messages_received(st, ids, 8), 2);
	CHECK_STR(message_line(st, ids[1]), "A1 [...]|1|1");

	/* parts within the window join: 2 parts, 130 s apart at most */
	CHECK_INT(add(st, sms("+62822", 50000, "x", 6, 2, 2), &mid), 1);
	CHECK_INT(add(st, sms("+62822", 50130, "y", 6, 2, 1), &mid), 1);
	CHECK_STR(message_line(st, mid), "yx|2|0");
	CHECK_INT(add(st, sms("+62822", 60000, "x", 6, 2, 2), &mid), 1);
	CHECK_INT(add(st, sms("+62822", 60131, "y", 6, 2, 1), &mid), 1);
	CHECK_INT(mid, 0);

	/* another part 1 (other text) inside the window is another message;
	 * part 2 goes to the nearer one */
	CHECK_INT(add(st, sms("+62823", 70000, "old ", 7, 2, 1), &mid), 1);
	CHECK_INT(add(st, sms("+62823", 70040, "new ", 7, 2, 1), &mid), 1);
	CHECK_INT(mid, 0);
	CHECK_INT(add(st, sms("+62823", 70042, "end", 7, 2, 2), &mid), 1);
	CHECK_STR(message_line(st, mid), "new end|2|0");

	/* the network delivers part 2 again, 8 s later, after the join: the
	 * copy is stored and linked to the message, never joined again */
	CHECK_INT(add(st, sms("+62824", 80000, "one ", 8, 2, 1), &mid), 1);
	CHECK_INT(add(st, sms("+62824", 80001, "two", 8, 2, 2), &a), 1);
	CHECK(a > 0, "joined");
	CHECK_INT(add(st, sms("+62824", 80009, "two", 8, 2, 2), &mid), 1);
	CHECK_INT(mid, 0);
	CHECK_INT(scalar(st, "SELECT COUNT(*) FROM sms_in WHERE number ="
	    " '+62824' AND state = 'joined' AND message_id IS NOT NULL"), 3);
	CHECK_INT(scalar(st, "SELECT COUNT(DISTINCT message_id) FROM sms_in"
	    " WHERE number = '+62824'"), 1);
	/* and before the join: part 2 twice, then part 1 */
	CHECK_INT(add(st, sms("+62825", 90000, "dua", 9, 2, 2), &mid), 1);
	CHECK_INT(add(st, sms("+62825", 90006, "dua", 9, 2, 2), &mid), 1);
	CHECK_INT(mid, 0);
	CHECK_INT(add(st, sms("+62825", 89999, "satu ", 9, 2, 1), &mid), 1);
	CHECK_STR(message_line(st, mid), "satu dua|2|0");
	CHECK_INT(scalar(st, "SELECT COUNT(*) FROM sms_in WHERE number ="
	    " '+62825' AND message_id IS NOT NULL"), 3);
	/* the very same SMS read twice is stored once */
	CHECK_INT(add(st, sms("+62825", 90006, "dua", 9, 2, 2), &mid), 0);

	/* no SMSC time (0) cannot tell sets apart: joined as before */
	CHECK_INT(add(st, sms("+62826", 0, "p", 10, 2, 2), &mid), 1);
	CHECK_INT(add(st, sms("+62826", 0, "q", 10, 2, 1), &mid), 1);
	CHECK_STR(message_line(st, mid), "qp|2|0");

	/* nothing left waiting but the sets that cannot complete */
	store_begin(st);
	CHECK_INT(store_parts_expire(st, 1000000, 1000000), 3);
	store_commit(st);
	CHECK_INT(scalar(st, "SELECT COUNT(*) FROM sms_in WHERE state ="
	    " 'waiting'"), 0);
	CHECK_INT(scalar(st, "SELECT COUNT(*) FROM messages WHERE incomplete"
	    " = 1"), 4);
	store_close(st);
	unlink(p);
	snprintf(side, sizeof(side), "%s-wal", p);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", p);
	unlink(side);
}

static void
test_outbox(struct store *st)
{
	struct outbox_due r[4];
	long long id, id2;
	int dead;

	CHECK_INT(store_outbox_add(st, "+62811", "hi", "broadcast", 0, 100,
	    &id), 1);
	CHECK_INT(store_outbox_add(st, "+62811", "reply", "reply", 1, 100,
	    &id2), 1);
	CHECK_INT(store_outbox_add(st, "+62811", "again", "reply", 1, 100,
	    NULL), 0);
	CHECK_INT(store_outbox_due(st, 50, r, 4), 0);
	CHECK_INT(store_outbox_due(st, 100, r, 4), 2);
	CHECK_INT(r[0].id, id2);	/* replies first */
	CHECK_INT(store_outbox_sending(st, id2, "gammu", 100), 0);
	CHECK_INT(store_outbox_sending(st, id2, "gammu", 100), -1);
	CHECK_INT(store_outbox_sent(st, id2, 1, 101), 0);
	CHECK_INT(store_outbox_sending(st, id, "gammu", 102), 0);
	CHECK_INT(store_outbox_failed(st, id, "busy", 200, 102), 0);
	CHECK_INT(store_outbox_due(st, 150, r, 4), 0);
	CHECK_INT(store_outbox_next_due(st), 200);
	CHECK_INT(store_outbox_due(st, 200, r, 4), 1);
	CHECK_INT(r[0].tries, 1);
	CHECK_INT(store_outbox_sending(st, id, "gammu", 200), 0);
	/* crash while sending: retried once */
	CHECK_INT(store_outbox_recover(st, 300, 1, &dead), 1);
	CHECK_INT(dead, 0);
	CHECK_INT(store_outbox_sending(st, id, "gammu", 300), 0);
	CHECK_INT(store_outbox_recover(st, 400, 1, &dead), 0);
	CHECK_INT(dead, 1);
	CHECK_INT(store_outbox_due(st, 1000, r, 4), 0);
	CHECK_INT(store_replies_since(st, "+62811", 0), 1);
}

/* BERHENTI and MULAI stand in the order they were sent, not read. */
static void
test_consent_order(struct store *st)
{
	const char *n = "+6285700000010";
	long long at, mid;
	int out;

	/* MULAI sent at 1005 is read first, BERHENTI sent at 1000 after */
	CHECK_INT(store_contact_consent(st, n, n, 0, 1005, 2000, &out, &at), 1);
	CHECK_INT(store_contact_consent(st, n, n, 1, 1000, 2001, &out, &at), 0);
	CHECK_INT(out, 0);
	CHECK_INT(at, 1005);
	CHECK_INT(store_contact_opted_out(st, n), 0);
	/* a newer one counts; the same second counts (read order breaks it) */
	CHECK_INT(store_contact_consent(st, n, n, 1, 1010, 2002, &out, &at), 1);
	CHECK_INT(out, 1);
	CHECK_INT(store_contact_consent(st, n, n, 0, 1010, 2003, NULL, NULL),
	    1);
	CHECK_INT(store_contact_opted_out(st, n), 0);
	/* the office's change is as of its own time */
	CHECK_INT(store_contact_opt_out(st, n, n, 1, 3000), 0);
	CHECK_INT(store_contact_consent(st, n, n, 0, 2500, 3001, &out, &at), 0);
	CHECK_INT(out, 1);
	CHECK_INT(at, 3000);

	/* removed by the office, the number's BERHENTI still holds: at
	 * dispatch, and against an older MULAI read afterwards */
	CHECK_INT(store_contact_remove(st, n), 1);
	CHECK_INT(store_contact_opted_out(st, n), 1);
	CHECK_INT(store_contact_consent(st, n, n, 0, 2900, 3100, &out, &at), 0);
	CHECK_INT(out, 1);
	CHECK_INT(at, 3000);
	CHECK_INT(store_contact_opted_out(st, n), 1);
	/* a MULAI sent later than the kept BERHENTI counts */
	CHECK_INT(store_contact_consent(st, n, n, 0, 3050, 3101, &out, &at), 1);
	CHECK_INT(out, 0);
	CHECK_INT(store_contact_opted_out(st, n), 0);

	/* when a message was sent: its first part's SMSC time */
	CHECK_INT(add(st, sms("+62831", 7000, "BERHENTI", 0, 0, 0), &mid), 1);
	CHECK_INT(store_message_sent_at(st, mid), 7000);
	CHECK_INT(add(st, sms("+62831", 7100, "b", 11, 2, 2), &mid), 1);
	CHECK_INT(add(st, sms("+62831", 7098, "a", 11, 2, 1), &mid), 1);
	CHECK_INT(store_message_sent_at(st, mid), 7098);
	CHECK_INT(store_message_sent_at(st, 999999), 0);
}

/* A repeated report: found as the earlier counted one's repeat, and it
 * counts once that one is withdrawn, the other repeats now repeating it. */
static void
test_record_repeats(struct store *st)
{
	struct record rec;
	struct record_info ri;
	long long first, second, third, other;

	memset(&rec, 0, sizeof(rec));
	rec.kind = "rapat";
	rec.number = "+6281299990001";
	rec.desa = "33.22.01.2005";
	rec.tanggal = "2026-11-05";
	rec.jenis = "RKP";
	rec.laki = rec.perempuan = 3;
	rec.state = "counted";
	rec.flags = "";
	rec.created_at = 100;
	CHECK_INT(store_record_same(st, &rec), 0);
	CHECK_INT(store_record_add(st, &rec, &first), 0);
	CHECK_INT(store_record_same(st, &rec), first);
	rec.jenis = "APB";	/* another type: another meeting */
	CHECK_INT(store_record_same(st, &rec), 0);
	rec.jenis = "RKP";
	rec.number = "+6281299990002";	/* another sender */
	CHECK_INT(store_record_same(st, &rec), 0);
	rec.number = "+6281299990001";
	rec.state = "not_counted";
	rec.flags = "duplicate";
	rec.duplicate_of = first;
	CHECK_INT(store_record_add(st, &rec, &second), 0);
	CHECK_INT(store_record_add(st, &rec, &third), 0);
	rec.flags = "desa_not_assigned duplicate";
	CHECK_INT(store_record_add(st, &rec, &other), 0);
	CHECK_INT(store_record_get(st, second, &ri), 1);
	CHECK_INT(ri.duplicate_of, first);
	CHECK_STR(ri.tanggal, "2026-11-05");

	CHECK_INT(store_record_review(st, first, "withdrawn", "dobel", 200), 1);
	CHECK_INT(store_record_review(st, first, "withdrawn", "again", 201), 0);
	CHECK_INT(store_record_succeed(st, first, 200), second);
	CHECK_INT(store_record_get(st, second, &ri), 1);
	CHECK_STR(ri.state, "counted");
	CHECK_INT(store_record_get(st, third, &ri), 1);
	CHECK_STR(ri.state, "not_counted");
	CHECK_INT(ri.duplicate_of, second);
	CHECK_INT(store_record_get(st, other, &ri), 1);
	CHECK_INT(ri.duplicate_of, second);
	CHECK_INT(store_record_get(st, first, &ri), 1);
	CHECK_STR(ri.review_note, "dobel");
	/* the one counted now is what a new repeat repeats */
	rec.state = "counted";
	CHECK_INT(store_record_same(st, &rec), second);
	/* one that waited for another reason, found at review to repeat it */
	rec.state = "not_counted";
	rec.flags = "not_registered";
	rec.duplicate_of = 0;
	CHECK_INT(store_record_add(st, &rec, &other), 0);
	CHECK_INT(store_record_mark_repeat(st, other, second), 1);
	CHECK_INT(store_record_mark_repeat(st, other, second), 0);
	CHECK_INT(store_record_get(st, other, &ri), 1);
	CHECK_STR(ri.flags, "not_registered duplicate");
	CHECK_INT(ri.duplicate_of, second);
	CHECK_INT(store_record_mark_repeat(st, first, second), 0);
}

static void
test_contacts_records(struct store *st)
{
	struct contact c, got;
	struct record rec;
	struct ticket t;
	struct record_info ri;
	long long id, seq;

	memset(&c, 0, sizeof(c));
	strcpy(c.number, "+6281211110001");
	strcpy(c.number_raw, "0812-1111-0001");
	strcpy(c.name, "Siti");
	strcpy(c.role, "pendamping");
	strcpy(c.desa, "33.22.01.2005");
	CHECK_INT(store_contact_put(st, &c, 1), 0);
	CHECK_INT(store_contact_get(st, "+6281211110001", &got), 1);
	CHECK_STR(got.role, "pendamping");
	CHECK_INT(store_contact_get(st, "+620000", &got), 0);
	strcpy(c.role, "boss");
	CHECK_INT(store_contact_put(st, &c, 1), -1);	/* CHECK constraint */

	memset(&rec, 0, sizeof(rec));
	rec.kind = "aduan";
	rec.number = "+6285700000001";
	rec.desa = "SUKA MAJU";
	rec.isi = "jalan rusak";
	rec.state = "counted";
	rec.created_at = 1000;
	CHECK_INT(store_record_add(st, &rec, &id), 0);
	CHECK_INT(store_ticket_add(st, "ADU", id, rec.number, 1000, &seq), 0);
	CHECK_INT(seq, 1);
	CHECK_INT(store_record_add(st, &rec, &id), 0);
	CHECK_INT(store_ticket_add(st, "ADU", id, rec.number, 1000, &seq), 0);
	CHECK_INT(seq, 2);
	rec.kind = "aspirasi";
	CHECK_INT(store_record_add(st, &rec, &id), 0);
	CHECK_INT(store_ticket_add(st, "ASP", id, rec.number, 1000, &seq), 0);
	CHECK_INT(seq, 1);
	CHECK_INT(store_ticket_get(st, "ADU", 2, &t), 1);
	CHECK_STR(t.status, "baru");
	CHECK_STR(t.number, "+6285700000001");
	CHECK_INT(store_ticket_get(st, "ADU", 3, &t), 0);
	CHECK_INT(store_record_get(st, id, &ri), 1);
	CHECK_STR(ri.state, "counted");
	CHECK_INT(store_record_withdraw(st, id, 2000), 0);
	CHECK_INT(store_record_get(st, id, &ri), 1);
	CHECK_STR(ri.state, "withdrawn");

	CHECK_INT(store_contact_opt_out(st, "+6285700000009", "0857", 1, 5), 0);
	CHECK_INT(store_contact_get(st, "+6285700000009", &got), 1);
	CHECK_INT(got.opted_out, 1);
	CHECK_STR(got.role, "warga");
	/* the office re-imports them: their BERHENTI stands */
	got.opted_out = 0;
	strcpy(got.name, "Budi");
	CHECK_INT(store_contact_put(st, &got, 6), 0);
	CHECK_INT(store_contact_get(st, "+6285700000009", &got), 1);
	CHECK_INT(got.opted_out, 1);
	CHECK_STR(got.name, "Budi");
	CHECK_INT(store_broadcast(st, "SEMUA", "halo", "+62811", 10), 1);
	CHECK_INT(store_broadcast(st, "PENDAMPING", "halo", "", 10), 1);
	CHECK_INT(store_broadcast(st, "WARGA", "halo", "", 10), 0);
	test_consent_order(st);
}

static int rows_seen;

static int
count_rows(void *arg, int row, int n, const char *const *v)
{
	(void)arg;
	if (row == 0)
		CHECK(n > 3 && strcmp(v[0], "nomor") == 0, "header %s", v[0]);
	else
		rows_seen++;
	return 0;
}

static void
test_csv(void)
{
	char buf[256], *cells[8];
	FILE *f = tmpfile();
	int lines = 0, n;
	const char *row[] = { "=1+1", "a,b", "say \"hi\"", "+62811", "plain" };
	char out[256];
	size_t len;

	csv_write_row(f, 5, row);
	fputs("x,\"multi\nline\",y\n", f);
	rewind(f);
	len = fread(out, 1, sizeof(out) - 1, f);
	out[len] = '\0';
	CHECK(strncmp(out, "\"'=1+1\",\"a,b\",\"say \"\"hi\"\"\",\"'+62811\",plain\r\n",
	    43) == 0, "csv row: %s", out);
	rewind(f);
	n = csv_read_row(f, buf, sizeof(buf), cells, 8, &lines);
	CHECK_INT(n, 5);
	CHECK_STR(cells[0], "'=1+1");
	CHECK_STR(cells[2], "say \"hi\"");
	n = csv_read_row(f, buf, sizeof(buf), cells, 8, &lines);
	CHECK_INT(n, 3);
	CHECK_STR(cells[1], "multi\nline");
	CHECK_INT(lines, 3);
	CHECK_INT(csv_read_row(f, buf, sizeof(buf), cells, 8, &lines), 0);
	fclose(f);
}

/* What Excel saves: a byte order mark, CRLF, ';' between cells when the
 * header has it, quoted cells; a guarded cell read back unguarded. */
static void
test_csv_excel(void)
{
	char buf[256], *cells[8];
	FILE *f = tmpfile();
	int lines = 0, sep = 0, n;

	fputs("\xef\xbb\xbf\"Number\";Name;Role\r\n"
	    "\"'+62811\";\"Siti; N, S.Pd\";Warga\r\n"
	    "a,b;c\r\n", f);
	rewind(f);
	n = csv_read_row_sep(f, &sep, buf, sizeof(buf), cells, 8, &lines);
	CHECK_INT(n, 3);
	CHECK_INT(sep, ';');
	CHECK_STR(csv_skip_bom(cells[0]), "Number");
	CHECK_STR(cells[2], "Role");
	n = csv_read_row_sep(f, &sep, buf, sizeof(buf), cells, 8, &lines);
	CHECK_INT(n, 3);
	CHECK_STR(csv_unguard(cells[0]), "+62811");
	CHECK_STR(cells[1], "Siti; N, S.Pd");
	CHECK_STR(cells[2], "Warga");
	n = csv_read_row_sep(f, &sep, buf, sizeof(buf), cells, 8, &lines);
	CHECK_INT(n, 2);
	CHECK_STR(cells[0], "a,b");
	CHECK_INT(lines, 3);
	CHECK_STR(csv_skip_bom("Number"), "Number");
	CHECK_STR(csv_unguard("'Jos"), "'Jos");
	fclose(f);
}

/* The keys of an import: a repeat is found with the line it was first
 * on, across batches, and the table goes with the handle. */
static void
test_import_keys(struct store *st)
{
	struct import_keys *k = store_import_keys_open(st);
	char key[32];
	int i, first = 0, rc = 1;

	CHECK(k != NULL, "open: %s", store_errmsg(st));
	if (k == NULL)
		return;
	for (i = 0; i < 12000 && rc == 1; i++) {
		snprintf(key, sizeof(key), "+62857%07d", i);
		rc = store_import_key(k, key, i + 2, &first);
	}
	CHECK_INT(rc, 1);
	CHECK_INT(store_import_key(k, "+628570000007", 20000, &first), 0);
	CHECK_INT(first, 9);
	CHECK_INT(store_import_key(k, "+628579999999", 20001, &first), 1);
	store_import_keys_close(k);
	k = store_import_keys_open(st);
	CHECK(k != NULL, "open again: %s", store_errmsg(st));
	if (k != NULL)
		CHECK_INT(store_import_key(k, "+628570000007", 2, &first), 1);
	store_import_keys_close(k);
	/* the connection writes its own database as before */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_commit(st), 0);
}

/* csv_open reads a gzip file and a plain one the same way. */
static void
test_csv_open(void)
{
	static const char text[] = "kode,nama\n33.22.01.2005,\"Sumogawe, Ds\"\n";
	char gzpath[300], plain[300], buf[256], *cells[8];
	int lines, n, which;
	gzFile gz;
	FILE *f;

	snprintf(gzpath, sizeof(gzpath), "%s.csv.gz", path);
	snprintf(plain, sizeof(plain), "%s.csv", path);
	gz = gzopen(gzpath, "wb9");
	CHECK(gz != NULL, "gzopen %s", gzpath);
	if (gz == NULL)
		return;
	gzputs(gz, text);
	gzclose(gz);
	f = fopen(plain, "w");
	fputs(text, f);
	fclose(f);
	for (which = 0; which < 2; which++) {
		lines = 0;
		f = csv_open(which ? plain : gzpath);
		CHECK(f != NULL, "csv_open %s", which ? plain : gzpath);
		if (f == NULL)
			continue;
		n = csv_read_row(f, buf, sizeof(buf), cells, 8, &lines);
		CHECK_INT(n, 2);
		CHECK_STR(cells[0], "kode");
		n = csv_read_row(f, buf, sizeof(buf), cells, 8, &lines);
		CHECK_INT(n, 2);
		CHECK_STR(cells[1], "Sumogawe, Ds");
		CHECK_INT(csv_read_row(f, buf, sizeof(buf), cells, 8, &lines), 0);
		CHECK_INT(lines, 2);
		fclose(f);
	}
	unlink(gzpath);
	unlink(plain);
	errno = 0;
	CHECK(csv_open(plain) == NULL && errno == ENOENT,
	    "a missing file: NULL with ENOENT (errno %d)", errno);
}

static void
test_open_errors(void)
{
	char err[256], bad[300];
	FILE *f;
	struct store *st;

	snprintf(bad, sizeof(bad), "%s.missing", path);
	unlink(bad);
	CHECK(store_open(bad, 0, err, sizeof(err)) == NULL, "missing refused");
	CHECK(strstr(err, "not found") != NULL, "%s", err);
	{
		/* a journal without its database: never a new one */
		char wal[320];

		snprintf(wal, sizeof(wal), "%s-wal", bad);
		f = fopen(wal, "w");
		fputs("x", f);
		fclose(f);
		CHECK(store_open(bad, STORE_CREATE, err, sizeof(err)) == NULL,
		    "journal without database refused");
		CHECK(strstr(err, "-wal is there") != NULL, "%s", err);
		CHECK(access(bad, F_OK) != 0, "no database made");
		unlink(wal);
		/* an empty file holds nothing: created only when allowed */
		fclose(fopen(bad, "w"));
		CHECK(store_open(bad, 0, err, sizeof(err)) == NULL,
		    "empty file refused");
		CHECK(strstr(err, "empty file") != NULL, "%s", err);
		unlink(bad);
	}
	snprintf(bad, sizeof(bad), "%s.garbage", path);
	f = fopen(bad, "w");
	fputs("this is not a database, it is a shopping list\n", f);
	fclose(f);
	st = store_open(bad, STORE_CREATE | STORE_CHECK, err, sizeof(err));
	CHECK(st == NULL, "garbage refused");
	store_close(st);
	f = fopen(bad, "r");
	CHECK(f != NULL && fgetc(f) == 't', "garbage left as it was");
	if (f)
		fclose(f);
	unlink(bad);
}

/* The connection's PRAGMA synchronous: 1 NORMAL, 2 FULL. */
static int
sync_level(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA synchronous", -1, &s,
	    NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Relaxed transactions, twice, with and without the sync thread: the
 * level is set each time (a cached PRAGMA statement would not be). */
static void
test_sync_levels(struct store *st, int base)
{
	int i;

	for (i = 0; i < 2; i++) {
		CHECK_INT(store_begin_relaxed(st), 0);
		CHECK_INT(sync_level(st), 1);
		CHECK_INT(store_commit(st), 0);
		CHECK_INT(sync_level(st), base);
		CHECK_INT(store_begin(st), 0);
		CHECK_INT(sync_level(st), base);
		CHECK_INT(store_commit(st), 0);
		CHECK_INT(store_begin_relaxed(st), 0);
		store_rollback(st);
		CHECK_INT(sync_level(st), base);
	}
}

/* Wait up to ms for the sync thread's descriptor; 1 when it spoke. */
static int
wait_fd(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[64];
	int rc = poll(&p, 1, ms);

	while (rc > 0 && read(fd, buf, sizeof(buf)) > 0)
		;
	return rc > 0;
}

/* Run sql on the store's connection: 0, or -1. */
static int
run_sql(struct store *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* The whole file at p in a new buffer (*len its size), or NULL. */
static unsigned char *
slurp(const char *p, size_t *len)
{
	unsigned char *buf = NULL;
	FILE *f = fopen(p, "rb");
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc(n)) != NULL &&
	    fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	} else if (buf != NULL)
		*len = (size_t)n;
	fclose(f);
	return buf;
}

/*
 * An upgrade that fails leaves the file as it was (issue 19). The release
 * after this one adds two migrations: the first runs whole, the second
 * changes rows and makes a table before its last statement fails. Neither
 * is kept, user_version stays, the file's bytes are the same, and the
 * error names the migration and the version the file is still at.
 */
static void
test_failed_migration(void)
{
	static const char *const next[] = {
		"CREATE TABLE upgrade_ok (x);",
		"CREATE TABLE upgrade_half (x);"
		"INSERT INTO upgrade_half VALUES (1);"
		"UPDATE contacts SET name = 'overwritten';"
		"CREATE TABLE contacts (x);",	/* fails: the table exists */
	};
	const char *list[64];
	char p[300], side[320], err[256], want[128];
	unsigned char *before, *after;
	size_t nbefore = 0, nafter = 0;
	struct store *st;
	int i, n = store_nmigrations;

	CHECK(n + 2 <= (int)(sizeof(list) / sizeof(list[0])), "list too short");
	for (i = 0; i < n; i++)
		list[i] = store_migrations[i];
	list[n] = next[0];
	list[n + 1] = next[1];

	snprintf(p, sizeof(p), "%s-upgrade", path);
	unlink(p);
	st = store_open(p, STORE_CREATE, err, sizeof(err));
	CHECK(st != NULL, "open: %s", err);
	if (st == NULL)
		return;
	CHECK_INT(run_sql(st, "INSERT INTO contacts (number, number_raw,"
	    " name, role, created_at, updated_at) VALUES ('+62811', '0811',"
	    " 'Ani', 'warga', 1, 1)"), 0);
	store_close(st);	/* checkpoints: the file alone holds it all */
	before = slurp(p, &nbefore);
	CHECK(before != NULL && nbefore > 0, "read %s", p);

	st = store_open(p, 0, err, sizeof(err));
	CHECK(st != NULL, "reopen: %s", err);
	if (st == NULL) {
		free(before);
		return;
	}
	CHECK_INT(store_migrate(st, list, n + 2), -1);
	snprintf(want, sizeof(want), "from version %d to %d failed in "
	    "migration %d: table contacts already exists", n, n + 2, n + 2);
	CHECK(strstr(store_errmsg(st), want) != NULL, "%s", store_errmsg(st));
	snprintf(want, sizeof(want), "left at version %d, unchanged", n);
	CHECK(strstr(store_errmsg(st), want) != NULL, "%s", store_errmsg(st));
	CHECK_INT(scalar(st, "PRAGMA user_version"), n);
	CHECK_INT(scalar(st, "SELECT COUNT(*) FROM sqlite_schema WHERE name"
	    " IN ('upgrade_ok', 'upgrade_half')"), 0);
	CHECK_INT(scalar(st, "SELECT COUNT(*) FROM contacts WHERE name = 'Ani'"),
	    1);
	/* not left inside a transaction: the store writes as before */
	CHECK_INT(run_sql(st, "UPDATE contacts SET updated_at = 1"), 0);
	store_close(st);
	after = slurp(p, &nafter);
	CHECK(after != NULL && nafter == nbefore &&
	    memcmp(before, after, nbefore) == 0,
	    "the file changed: %zu bytes before, %zu after", nbefore, nafter);
	free(before);
	free(after);

	/* the same list without its failure upgrades, once */
	st = store_open(p, 0, err, sizeof(err));
	CHECK(st != NULL, "reopen: %s", err);
	if (st != NULL) {
		CHECK_INT(store_migrate(st, list, n + 1), 0);
		CHECK_INT(scalar(st, "PRAGMA user_version"), n + 1);
		CHECK_INT(scalar(st, "SELECT COUNT(*) FROM sqlite_schema WHERE"
		    " name = 'upgrade_ok'"), 1);
		CHECK_INT(store_migrate(st, list, n + 1), 0);
	}
	store_close(st);
	snprintf(side, sizeof(side), "%s-wal", p);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", p);
	unlink(side);
	unlink(p);
}

/*
 * The loop's commits stop waiting for the disk: a thread syncs the WAL on
 * request and another checkpoints it, and both stop cleanly on close.
 */
static void
test_background(void)
{
	char p[300], wal[320], err[256], num[32];
	struct store *st;
	struct stat sb;
	unsigned long c;
	long runs = 0;
	int fd, i, round, frames = 0, copied = 0, rc;
	long long mid;
	off_t biggest = 0;
	int after = 0;

	snprintf(p, sizeof(p), "%s-bg.db", path);
	snprintf(wal, sizeof(wal), "%s-wal", p);
	unlink(p);
	st = store_open(p, STORE_CREATE, err, sizeof(err));
	CHECK(st != NULL, "open: %s", err);
	if (st == NULL)
		return;
	CHECK_INT(store_checkpoint_figures(st, &runs, &frames, &copied), -1);
	test_sync_levels(st, 2);
	CHECK_INT(store_checkpoint_in_background(st), 0);
	fd = store_sync_in_background(st);
	CHECK(fd >= 0, "sync thread: %s", store_errmsg(st));
	if (fd < 0)
		goto out;
	/* what was committed before is durable; a new commit is not, until
	 * it is asked for and the thread says so */
	CHECK(store_durable(st, NULL, NULL) == store_commits(st), "start durable");
	test_sync_levels(st, 1);
	add(st, sms("+6281200000001", 1000, "one", 0, 0, 0), &mid);
	c = store_commits(st);
	store_sync_request(st);
	for (i = 0; i < 50 && store_durable(st, NULL, NULL) < c; i++)
		wait_fd(fd, 100);
	CHECK(store_durable(st, &rc, NULL) >= c, "commit %lu durable", c);
	CHECK_INT(rc, 0);

	/* 5 rounds of well over 1,000 WAL pages: checkpointed each time in
	 * the background, so the WAL is reused and never grows past one
	 * round's worth */
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 700; i++) {
			snprintf(num, sizeof(num), "+62812%03d%05d", round, i);
			add(st, sms(num, 2000 + i, "ADUAN 3322012005 jalan rusak "
			    "di RT 3, sudah dua bulan", 0, 0, 0), &mid);
		}
		/* the last commit's kick: a checkpoint that copies it all */
		for (i = 0; i < 100; i++) {
			store_checkpoint_figures(st, &runs, &frames, &copied);
			if (frames > 0 && copied == frames)
				break;
			usleep(50000);
		}
		CHECK(frames > 0 && copied == frames,
		    "round %d: checkpoint copied %d of %d", round, copied,
		    frames);
		/* a pause, as between bursts of SMS: the next write finds
		 * the WAL all copied and starts it again from the top */
		usleep(200000);
		if (stat(wal, &sb) == 0 && sb.st_size > biggest)
			biggest = sb.st_size;
	}
	CHECK(runs >= 5, "%ld checkpoints", runs);
	/* The WAL grows while writes outrun the checkpoints (here to well
	 * over 16 MB); once one has copied it all, the next write starts it
	 * again from the top and cuts the file back to journal_size_limit. */
	CHECK(biggest > 16 * 1024 * 1024, "WAL grew to %lld bytes",
	    (long long)biggest);
	for (i = 0; i < 50; i++) {
		add(st, sms("+6281299999999", 9000 + i, "after", 0, 0, 0), &mid);
		after++;
		if (stat(wal, &sb) == 0 && sb.st_size <= 16 * 1024 * 1024 + 65536)
			break;
		usleep(100000);
	}
	CHECK(sb.st_size <= 16 * 1024 * 1024 + 65536, "WAL %lld bytes, "
	    "never started again", (long long)sb.st_size);
out:
	store_close(st);
	st = store_open(p, STORE_CHECK, err, sizeof(err));
	CHECK(st != NULL, "reopen: %s", err);
	if (st != NULL) {
		CHECK_INT(store_checkpoint_figures(st, &runs, &frames, &copied),
		    -1);
		static long long ids[4000];

		/* every commit is there after close and reopen */
		CHECK_INT(store_messages_received(st, ids, 4000), 3501 + after);
		store_close(st);
	}
	unlink(p);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", p);
	unlink(wal);
}

/* Real villages (data/villages) that share names across Indonesia. */
static const char *const villages[][3] = {
	{ "33.22.01.2005", "Wates", "Getasan" },
	{ "33.22.01.2007", "Sumogawe", "Getasan" },
	{ "33.22.01.2002", "Batur", "Getasan" },
	{ "33.04.16.2001", "Batur", "Batur" },
	{ "35.13.09.2001", "Batur", "Gading" },
	{ "34.01.02.1008", "Wates", "Wates" },
	{ "35.06.06.2005", "Wates", "Wates" },
	{ "33.22.17.2002", "Jetis", "Kaliwungu" },
	{ "33.22.20.2003", "Jetis", "Bandungan" },
	{ "33.10.10.2005", "Jetis", "Karangnongko" },
	{ "33.22.20.2004", "Kenteng", "Bandungan" },
	{ "33.22.03.2012", "Kenteng", "Susukan" },
	{ "32.01.06.2001", "Sukamaju", "Jonggol" },
	{ "93.01.14.2007", "Suka Maju", "Malind" },
};

#define VILLAGER	"+6285700000001"	/* of Sumogawe */
#define PLD		"+6281200000001"	/* Jetis and Kenteng, Bandungan */
#define PLD2		"+6281200000002"	/* both Jetis of Kab. Semarang */

/* How a typed name resolves, for whom, within which area. */
static const struct {
	const char *typed, *number, *area;
	int rc;
	const char *code;	/* found, or the first choice */
	int choices;
} picks[] = {
	/* everywhere: 3 Wates; inside the area, one */
	{ "Wates", NULL, "", VILLAGE_AMBIGUOUS, "33.22.01.2005", 3 },
	{ "wates", NULL, "33.22", VILLAGE_FOUND, "33.22.01.2005", 0 },
	{ "WATES", NULL, "33", VILLAGE_FOUND, "33.22.01.2005", 0 },
	{ "Wates", NULL, "34 35", VILLAGE_AMBIGUOUS, "34.01.02.1008", 2 },
	/* a prefix ends with a group: 33.2 is not 33.22 */
	{ "Wates", NULL, "33.2", VILLAGE_AMBIGUOUS, "33.22.01.2005", 3 },
	/* the sender's kecamatan before the area and everywhere */
	{ "Batur", VILLAGER, "", VILLAGE_FOUND, "33.22.01.2002", 0 },
	{ "Batur", NULL, "", VILLAGE_AMBIGUOUS, "33.04.16.2001", 3 },
	/* two in the area; the facilitator's own first */
	{ "Jetis", NULL, "33.22", VILLAGE_AMBIGUOUS, "33.22.17.2002", 2 },
	{ "Jetis", PLD, "33.22", VILLAGE_FOUND, "33.22.20.2003", 0 },
	{ "Jetis", PLD, "", VILLAGE_FOUND, "33.22.20.2003", 0 },
	{ "Jetis", PLD2, "33.22", VILLAGE_AMBIGUOUS, "33.22.17.2002", 2 },
	/* no step with one but the area's: it wins */
	{ "Jetis", PLD2, "33.22.17", VILLAGE_FOUND, "33.22.17.2002", 0 },
	{ "Kenteng", PLD, "", VILLAGE_FOUND, "33.22.20.2004", 0 },
	{ "Kenteng", VILLAGER, "33.22", VILLAGE_AMBIGUOUS, "33.22.03.2012",
	    2 },
	{ "Kenteng", VILLAGER, "33.22.03", VILLAGE_FOUND, "33.22.03.2012",
	    0 },
	{ "Kenteng", VILLAGER, "33.22.20, 33.22.03", VILLAGE_AMBIGUOUS,
	    "33.22.03.2012", 2 },
	/* names compare by letters and digits */
	{ "suka  maju", NULL, "", VILLAGE_AMBIGUOUS, "32.01.06.2001", 2 },
	{ "sumo gawe", NULL, "", VILLAGE_FOUND, "33.22.01.2007", 0 },
	/* a code is that village, wherever it is */
	{ "3322012005", PLD, "35", VILLAGE_FOUND, "33.22.01.2005", 0 },
	{ "35.06.06.2005", NULL, "33.22", VILLAGE_FOUND, "35.06.06.2005", 0 },
	{ "33.22.01.2099", NULL, "", VILLAGE_UNKNOWN, "", 0 },
	{ "Jalan", VILLAGER, "33.22", VILLAGE_UNKNOWN, "", 0 },
};

/* Register number with its villages. */
static void
put_contact(struct store *st, const char *number, const char *role,
    const char *const *codes, int n)
{
	struct contact c;

	memset(&c, 0, sizeof(c));
	snprintf(c.number, sizeof(c.number), "%s", number);
	snprintf(c.role, sizeof(c.role), "%s", role);
	snprintf(c.desa, sizeof(c.desa), "%s", codes[0]);
	CHECK_INT(store_contact_put(st, &c, 1), 0);
	CHECK_INT(store_contact_set_desa(st, number, codes, n), 0);
}

/*
 * One rule for a typed village: taken as typed only while none are known;
 * then the sender's villages, their kecamatan, the area, everywhere.
 */
static void
test_village_pick(struct store *st)
{
	static const char *const sumogawe[] = { "33.22.01.2007" };
	static const char *const pld[] = { "33.22.20.2003", "33.22.20.2004" };
	static const char *const pld2[] = { "33.22.17.2002", "33.22.20.2003" };
	struct village cand[4];
	struct village_pick p = { .cand = cand, .cand_max = 4 };
	struct village_scope scope = { NULL, NULL };
	char code[DESA_MAX];
	size_t i;

	CHECK_INT(store_village_pick(st, "Sukamaju", NULL, &p),
	    VILLAGE_AS_TYPED);
	CHECK_INT(store_begin(st), 0);
	for (i = 0; i < sizeof(villages) / sizeof(villages[0]); i++)
		CHECK_INT(store_village_put(st, villages[i][0], villages[i][1],
		    villages[i][2], "Kab", "Prov"), 0);
	put_contact(st, VILLAGER, "warga", sumogawe, 1);
	put_contact(st, PLD, "pendamping", pld, 2);
	put_contact(st, PLD2, "pendamping", pld2, 2);
	CHECK_INT(store_commit(st), 0);
	for (i = 0; i < sizeof(picks) / sizeof(picks[0]); i++) {
		scope.number = picks[i].number;
		scope.area = picks[i].area;
		CHECK_INT(store_village_pick(st, picks[i].typed, &scope, &p),
		    picks[i].rc);
		CHECK(!strcmp(picks[i].rc == VILLAGE_FOUND ? p.v.code :
		    p.ncand ? cand[0].code : "", picks[i].code),
		    "%s for %s in '%s': %s", picks[i].typed,
		    picks[i].number ? picks[i].number : "the office",
		    picks[i].area, picks[i].rc == VILLAGE_FOUND ? p.v.code :
		    cand[0].code);
		CHECK_INT(p.choices, picks[i].choices);
	}
	/* every match, nearest first, as far as the buffer goes */
	scope.number = NULL;
	scope.area = "35";
	CHECK_INT(store_village_pick(st, "wates", &scope, &p),
	    VILLAGE_FOUND);
	CHECK_INT(p.total, 3);
	CHECK_INT(p.ncand, 3);
	CHECK_STR(cand[0].code, "35.06.06.2005");
	CHECK_INT(cand[0].closeness, VILLAGE_IN_AREA);
	CHECK_STR(cand[1].code, "33.22.01.2005");
	CHECK_INT(cand[1].closeness, 0);
	p.cand_max = 1;
	CHECK_INT(store_village_pick(st, "batur", NULL, &p),
	    VILLAGE_AMBIGUOUS);
	CHECK_INT(p.ncand, 1);
	CHECK_INT(p.total, 3);
	/* a contact's one village, for an ADUAN that names none */
	CHECK_INT(store_contact_only_desa(st, VILLAGER, code, sizeof(code)), 1);
	CHECK_STR(code, "33.22.01.2007");
	CHECK_INT(store_contact_only_desa(st, PLD, code, sizeof(code)), 2);
	CHECK_STR(code, "");
	CHECK_INT(store_contact_only_desa(st, "+6289999", code, sizeof(code)),
	    0);
	/* check-config's question about each area prefix */
	CHECK_INT(store_village_prefix_known(st, "33.22"), 1);
	CHECK_INT(store_village_prefix_known(st, "33.22.20"), 1);
	CHECK_INT(store_village_prefix_known(st, "33.2"), 0);
	CHECK_INT(store_village_prefix_known(st, "36"), 0);
}

/* The report's row for one village: the column col's value into got. */
struct report_cell {
	const char *kode, *col;
	int at;			/* col's index, from the header */
	char got[16];
};

static int
report_cell(void *arg, int row, int n, const char *const *v)
{
	struct report_cell *c = arg;
	int i;

	if (row == 0) {
		for (i = 0; i < n; i++)
			if (!strcmp(v[i], c->col))
				c->at = i;
	} else if (!strcmp(v[1], c->kode))
		snprintf(c->got, sizeof(c->got), "%s", v[c->at]);
	return 0;
}

static const char *
closed_in(struct store *st, const char *month, const char *kode)
{
	static struct report_cell c;
	struct export_filter f;

	memset(&f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	f.month = month;
	f.kecamatan = "33.22.01";
	c.kode = kode;
	c.col = "aduan_selesai";
	CHECK_INT(store_export(st, EXPORT_REPORT, &f, report_cell, &c), 0);
	return c.got;
}

/* A complaint counts as closed in the month it was closed: a note or a
 * village corrected later, its status still selesai, closes nothing. */
static void
test_report_closed_once(struct store *st)
{
	/* the 15th of September, October and November 2027, 12:00 WIB */
	const long long sep = 1820984400, oct = sep + 30 * 86400,
	    nov = oct + 31 * 86400;
	struct record rec;
	long long id, seq;

	memset(&rec, 0, sizeof(rec));
	rec.kind = "aduan";
	rec.number = "+6285700000077";
	rec.desa = "33.22.01.2007";
	rec.isi = "jalan longsor";
	rec.state = "counted";
	rec.created_at = sep - 86400;
	CHECK_INT(store_record_add(st, &rec, &id), 0);
	CHECK_INT(store_ticket_add(st, "ADU", id, rec.number, sep - 86400,
	    &seq), 0);
	CHECK_INT(store_ticket_update(st, "ADU", seq, "selesai", "beres",
	    NULL, sep), 1);
	CHECK_STR(closed_in(st, "2027-09", "33.22.01.2007"), "1");
	/* October: a note, then the village corrected; still selesai */
	CHECK_INT(store_ticket_update(st, "ADU", seq, "selesai", "terima kasih",
	    NULL, oct), 1);
	CHECK_INT(store_ticket_update(st, "ADU", seq, "selesai", "terima kasih",
	    "33.22.01.2005", oct + 60), 1);
	CHECK_STR(closed_in(st, "2027-10", "33.22.01.2005"), "0");
	CHECK_STR(closed_in(st, "2027-10", "33.22.01.2007"), "0");
	CHECK_STR(closed_in(st, "2027-09", "33.22.01.2005"), "1");
	/* reopened and closed again in November: closed that month too */
	CHECK_INT(store_ticket_update(st, "ADU", seq, "diproses", "bocor lagi",
	    NULL, nov), 1);
	CHECK_INT(store_ticket_update(st, "ADU", seq, "selesai", "beres lagi",
	    NULL, nov + 60), 1);
	CHECK_STR(closed_in(st, "2027-11", "33.22.01.2005"), "1");
}

static int
count_user(void *arg, const struct user *u)
{
	(void)u;
	++*(int *)arg;
	return 0;
}

/* The console's users and sessions: put adds then changes, a session
 * is found by its hash, touched, expired by age or idleness, and goes
 * with its user. */
static void
test_users(struct store *st)
{
	struct user u = { "camat1", "camat", "33.22.01", "$argon2id$x", 0, 0 };
	struct user got;
	struct session se;
	int n = 0;

	CHECK_INT(store_user_put(st, &u, 100), 1);
	snprintf(u.hash, sizeof(u.hash), "$argon2id$y");
	CHECK_INT(store_user_put(st, &u, 200), 0);
	CHECK_INT(store_user_get(st, "camat1", &got), 1);
	CHECK_STR(got.hash, "$argon2id$y");
	CHECK_STR(got.kecamatan, "33.22.01");
	CHECK_INT((int)got.created_at, 100);
	CHECK_INT((int)got.updated_at, 200);
	CHECK_INT(store_user_get(st, "nobody", &got), 0);
	snprintf(u.role, sizeof(u.role), "root");
	snprintf(u.name, sizeof(u.name), "x");
	CHECK_INT(store_user_put(st, &u, 1), -1);	/* the CHECK on role */

	CHECK_INT(store_session_add(st, "h1", "camat1", "127.0.0.1", 1000), 0);
	CHECK_INT(store_session_add(st, "h2", "camat1", NULL, 1000), 0);
	CHECK_INT(store_session_add(st, "h3", "camat1", "", 5000), 0);
	CHECK_INT(store_session_add(st, "h4", "nobody", "", 1000), -1);
	CHECK_INT(store_session_touch(st, "h1", 4000), 0);
	CHECK_INT(store_session_get(st, "h1", &se), 1);
	CHECK_STR(se.user, "camat1");
	CHECK_INT((int)se.created_at, 1000);
	CHECK_INT((int)se.last_at, 4000);
	/* h2 idle since 1000; h1 made at 1000 but used since; h3 new */
	CHECK_INT(store_sessions_expire(st, 500, 2000), 1);
	CHECK_INT(store_session_get(st, "h2", &se), 0);
	CHECK_INT(store_sessions_expire(st, 2000, 0), 1);	/* h1: too old */
	CHECK_INT(store_session_get(st, "h3", &se), 1);
	CHECK_INT(store_session_remove(st, "h3"), 0);
	CHECK_INT(store_session_get(st, "h3", &se), 0);
	CHECK_INT(store_session_add(st, "h5", "camat1", "", 6000), 0);
	CHECK_INT(store_users_list(st, count_user, &n), 0);
	CHECK_INT(n, 1);
	CHECK_INT(store_user_remove(st, "camat1"), 1);
	CHECK_INT(store_session_get(st, "h5", &se), 0);
	CHECK_INT(store_user_remove(st, "camat1"), 0);
}

/* The state of outbox row id, with its no_retry flag when set. */
static void
outbox_state(struct store *st, long long id, char *out, size_t cap)
{
	sqlite3_stmt *s;

	out[0] = '\0';
	if (sqlite3_prepare_v2(st->db, "SELECT state || CASE WHEN no_retry "
	    "THEN ',final' ELSE '' END FROM outbox WHERE id = ?", -1, &s,
	    NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

/* Kannel: an MO stored once per %I whatever its text and time; a row
 * it took is accepted, and delivery reports move it forward only. */
static void
test_kannel(struct store *st)
{
	static const struct { int bit; const char *want; enum dlr_result r; }
	    steps[] = {
		{ 4, "accepted", DLR_IGNORED },
		{ 1, "delivered", DLR_MOVED },	/* the 1 before the 8 */
		{ 8, "delivered", DLR_KEPT },
		{ 2, "delivered", DLR_KEPT },
	};
	struct sms_in m = sms("+62811", 5000, "ADUAN kannel", 0, 0, 0);
	long long mid, id, id2;
	char state[16];
	size_t i;

	m.modem = "kannel";
	m.kannel_id = "7f3c1f4e-0001";
	CHECK_INT(add(st, m, &mid), 1);
	CHECK(mid > 0, "a Kannel MO makes a message");
	m.smsc_time = 5007;	/* smsbox's retry: %T may differ, %I not */
	CHECK_INT(add(st, m, &mid), 0);
	m.modem = "kannel1";	/* another bearer's ids are its own */
	CHECK_INT(add(st, m, &mid), 1);
	m.modem = "kannel";
	m.kannel_id = "7f3c1f4e-0002";
	CHECK_INT(add(st, m, &mid), 1);

	CHECK_INT(store_outbox_add(st, "+62811", "k", "broadcast", 0, 5000,
	    &id), 1);
	CHECK_INT(store_outbox_add(st, "+62812", "k2", "broadcast", 0, 5000,
	    &id2), 1);
	CHECK_INT(store_outbox_dlr(st, id, "kannel", 1, 5001), DLR_UNKNOWN);
	CHECK_INT(store_outbox_sending(st, id, "kannel", 5000), 0);
	CHECK_INT(store_outbox_accepted(st, id, 2, 5001), 0);
	CHECK_INT(store_outbox_accepted(st, id, 2, 5001), -1);
	outbox_state(st, id, state, sizeof(state));
	CHECK_STR(state, "accepted");
	CHECK_INT(store_outbox_dlr(st, id, "kannel1", 1, 5002), DLR_UNKNOWN);
	CHECK_INT(store_outbox_dlr(st, 999999, "kannel", 1, 5002),
	    DLR_UNKNOWN);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		CHECK_INT(store_outbox_dlr(st, id, "kannel", steps[i].bit,
		    5002), steps[i].r);
		outbox_state(st, id, state, sizeof(state));
		CHECK_STR(state, steps[i].want);
	}

	/* 8 then 16: sent, then failed for good (never sent again) */
	CHECK_INT(store_outbox_sending(st, id2, "kannel", 5000), 0);
	CHECK_INT(store_outbox_dlr(st, id2, "kannel", 8, 5001), DLR_MOVED);
	outbox_state(st, id2, state, sizeof(state));
	CHECK_STR(state, "sent");
	/* the 202 came after the report: nothing moves back */
	CHECK_INT(store_outbox_accepted(st, id2, 1, 5001), -1);
	CHECK_INT(store_outbox_dlr(st, id2, "kannel", 8, 5001), DLR_KEPT);
	CHECK_INT(store_outbox_dlr(st, id2, "kannel", 16, 5003), DLR_MOVED);
	outbox_state(st, id2, state, sizeof(state));
	CHECK_STR(state, "failed,final");
	CHECK_INT(store_outbox_dlr(st, id2, "kannel", 1, 5004), DLR_KEPT);
	outbox_state(st, id2, state, sizeof(state));
	CHECK_STR(state, "failed,final");
}

int
main(void)
{
	struct store *st;
	char err[256];

	snprintf(path, sizeof(path), "/tmp/kentongan-test-store-%d.db",
	    (int)getpid());
	unlink(path);
	st = store_open(path, STORE_CREATE | STORE_CHECK, err, sizeof(err));
	CHECK(st != NULL, "open: %s", err);
	if (st == NULL)
		return test_summary("unit-store");
	test_inbound(st);
	test_multipart_sets();
	test_outbox(st);
	test_kannel(st);
	test_contacts_records(st);
	CHECK_INT(store_export(st, EXPORT_RECORDS, NULL, count_rows, NULL), 0);
	CHECK_INT(rows_seen, 3);
	store_close(st);
	/* reopen: migrations are idempotent, data is there */
	st = store_open(path, STORE_CHECK, err, sizeof(err));
	CHECK(st != NULL, "reopen: %s", err);
	rows_seen = 0;
	if (st)
		store_export(st, EXPORT_RECORDS, NULL, count_rows, NULL);
	CHECK_INT(rows_seen, 3);
	if (st)
		test_record_repeats(st);
	if (st)
		test_village_pick(st);
	if (st)
		test_import_keys(st);
	if (st)
		test_report_closed_once(st);
	if (st)
		test_users(st);
	store_close(st);
	test_csv();
	test_csv_excel();
	test_csv_open();
	test_open_errors();
	test_failed_migration();
	test_background();
	unlink(path);
	{
		char p2[300];

		snprintf(p2, sizeof(p2), "%s-wal", path);
		unlink(p2);
		snprintf(p2, sizeof(p2), "%s-shm", path);
		unlink(p2);
	}
	return test_summary("unit-store");
}
