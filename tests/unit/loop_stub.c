/* loop_stub: gw_now and gateway_wake without libevent; a fake modem. */
#include "tests/unit/loop_stub.h"

#include <sqlite3.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct stub stub;
static sqlite3 *peek;

time_t
gw_now(struct gateway *gw)
{
	(void)gw;
	return (time_t)stub.now;
}

void
gateway_wake(struct gateway *gw, unsigned work, double after_s)
{
	(void)gw;
	if ((work & WORK_OUTBOUND) && (!(stub.woken & WORK_OUTBOUND) ||
	    after_s < stub.outbound_after))
		stub.outbound_after = after_s;
	stub.woken |= work;
}

void
gateway_retry(struct gateway *gw, unsigned work)
{
	(void)gw;
	stub.retried |= work;
}

static int
fake_send(struct modem *m, long long id, const char *number,
    const char *text, int ref, int done)
{
	(void)number;
	(void)ref;
	if (stub.send_rc != 0)
		return stub.send_rc;
	if (stub.nsends < STUB_MAX) {
		stub.send_id[stub.nsends] = id;
		snprintf(stub.send_text[stub.nsends], sizeof(stub.send_text[0]),
		    "%s", text);
	}
	stub.nsends++;
	m->sending = id;
	m->sending_resume = done;
	return 0;
}

static void
fake_remove(struct modem *m, int folder, int location, unsigned read_id)
{
	(void)m;
	(void)folder;
	(void)read_id;
	if (stub.nremoves < STUB_MAX)
		stub.remove_location[stub.nremoves] = location;
	stub.nremoves++;
}

static void
fake_status(struct modem *m)
{
	(void)m;
	stub.status_writes++;
}

static const struct modem_ops fake_ops = { fake_send, fake_remove,
    fake_status };

void
stub_reset(void)
{
	stub.woken = 0;
	stub.retried = 0;
	stub.outbound_after = 0;
	stub.nsends = stub.nremoves = stub.status_writes = 0;
	stub.send_rc = 0;
}

int
stub_open(const char *ini)
{
	struct gateway *gw = &stub.gw;
	char err[256];
	int fd, i;

	memset(&stub, 0, sizeof(stub));
	setenv("TZ", "Asia/Jakarta", 1);
	tzset();
	snprintf(stub.path, sizeof(stub.path), "/tmp/kentongan-stub-XXXXXX");
	if ((fd = mkstemp(stub.path)) < 0)
		return -1;
	close(fd);
	unlink(stub.path);
	if (config_load_text(&stub.conf, "test.ini", ini, strlen(ini)) != 0) {
		for (i = 0; i < stub.conf.nerrors; i++)
			fprintf(stderr, "%s\n", stub.conf.errors[i]);
		exit(1);	/* no test runs on a config it did not ask for */
	}
	if ((gw->store = store_open(stub.path, STORE_CREATE, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "store_open: %s\n", err);
		return -1;
	}
	if (sqlite3_open(stub.path, &peek) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(peek, 1000);
	gw->conf = &stub.conf;
	gw->modem_ops = &fake_ops;
	gw->nmodems = stub.conf.nmodems;
	for (i = 0; i < gw->nmodems; i++) {
		struct modem *m = &gw->modems[i];

		m->gw = gw;
		m->conf = &stub.conf.modems[i];
		m->name = stub.conf.modems[i].section;
		m->state = MODEM_UP;
	}
	stub.now = 1764554400;	/* 2025-12-01 09:00 WIB */
	return 0;
}

void
stub_close(void)
{
	char p[80];

	sqlite3_close(peek);
	peek = NULL;
	store_close(stub.gw.store);
	unlink(stub.path);
	snprintf(p, sizeof(p), "%s-wal", stub.path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", stub.path);
	unlink(p);
}

int
stub_exec(const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(peek, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* The first column of the first row of a query. */
static sqlite3_stmt *
query(const char *fmt, va_list ap)
{
	sqlite3_stmt *s = NULL;
	char *sql = sqlite3_vmprintf(fmt, ap);

	if (sql == NULL || sqlite3_prepare_v2(peek, sql, -1, &s, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "query %s: %s\n", sql ? sql : "?",
		    sqlite3_errmsg(peek));
		sqlite3_free(sql);
		return NULL;
	}
	sqlite3_free(sql);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

long long
stub_int(const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *s;
	long long v;

	va_start(ap, fmt);
	s = query(fmt, ap);
	va_end(ap);
	if (s == NULL)
		return -1;
	v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

const char *
stub_text(const char *fmt, ...)
{
	static char buf[4][512];
	static int k;
	va_list ap;
	sqlite3_stmt *s;
	const unsigned char *t;
	char *out = buf[k++ % 4];

	va_start(ap, fmt);
	s = query(fmt, ap);
	va_end(ap);
	out[0] = '\0';
	if (s == NULL)
		return out;
	if ((t = sqlite3_column_text(s, 0)) != NULL)
		snprintf(out, sizeof(buf[0]), "%s", (const char *)t);
	sqlite3_finalize(s);
	return out;
}

long long
stub_sms(const char *number, const char *text, long long t)
{
	return stub_sms_sent(number, text, t, t);
}

long long
stub_sms_sent(const char *number, const char *text, long long sent,
    long long received)
{
	struct sms_in in;
	long long mid = 0;
	int rc;

	memset(&in, 0, sizeof(in));
	in.modem = "gammu";
	in.number = in.number_raw = number;
	in.sender_class = SENDER_NUMBER;
	in.smsc_time = sent;
	in.received_at = received;
	in.coding = "gsm7";
	in.text = text;
	in.text_len = strlen(text);
	if (store_begin(stub.gw.store) != 0)
		return -1;
	if ((rc = store_sms_add(stub.gw.store, &in, &mid)) < 0 ||
	    store_commit(stub.gw.store) != 0) {
		store_rollback(stub.gw.store);
		return -1;
	}
	return rc ? mid : 0;
}

int
stub_contact(const char *number, const char *role, const char *desa)
{
	struct contact c;
	int rc;

	memset(&c, 0, sizeof(c));
	snprintf(c.number, sizeof(c.number), "%s", number);
	snprintf(c.number_raw, sizeof(c.number_raw), "%s", number);
	snprintf(c.name, sizeof(c.name), "Siti");
	snprintf(c.role, sizeof(c.role), "%s", role);
	snprintf(c.desa, sizeof(c.desa), "%s", desa);
	if (store_begin(stub.gw.store) != 0)
		return -1;
	rc = store_contact_put(stub.gw.store, &c, stub.now);
	if (rc != 0 || store_commit(stub.gw.store) != 0) {
		store_rollback(stub.gw.store);
		return -1;
	}
	return 0;
}
