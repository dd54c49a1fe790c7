/*
 * The pusher: a thread that owns the PostgreSQL connection and a SQLite
 * connection of its own, so the event loop never waits for the network
 * (docs/central.md).
 *
 * A push takes the next BATCH changes after the position, reads each
 * changed row as it is now, and sends them in one pipeline: BEGIN, one
 * upsert (or delete) per row with the change's number as its version,
 * the site's new position, COMMIT. The position moves only once central
 * has committed, and it is kept in central (sites.last_seq), so a push
 * that failed half way, or one the loop never heard about, is sent again
 * and changes nothing the second time: an upsert applies only a higher
 * version. While central cannot be reached the thread waits, doubling
 * up to MAX_BACKOFF.
 */
#include "gateway/central/central.h"
#include "gateway/util/background.h"
#include "parser/utf8.h"
#include "store/store.h"
#include "store/store_central.h"

#include <libpq-fe.h>
#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH		1000	/* changes a push takes */
#define MAX_BACKOFF	300	/* seconds between tries while central fails */
#define HASH_KEY_MAX	64

_Static_assert(sizeof(struct central_report) <= 512,
    "a report is one atomic write on the pipe");

struct central_pusher {
	struct central_job job;
	pthread_t thread;
	int started;
	int pipe[2];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int woken;
	atomic_int stop;
	/* the thread's own */
	struct store *st;
	PGconn *pg;
	long long position;
	unsigned char key[HASH_KEY_MAX];
	size_t keylen;
};

/* The statements, prepared on each connection. */
static const struct {
	const char *name, *sql;
} prepared[] = {
	{ "up_msg", "INSERT INTO messages (site, direction, id, number, text,"
	    " state, created_at, smsc_time, kind, detail, version) VALUES"
	    " ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::timestamp, $9, $10,"
	    " $11) ON CONFLICT (site, direction, id) DO UPDATE SET"
	    " number = EXCLUDED.number, text = EXCLUDED.text,"
	    " state = EXCLUDED.state, created_at = EXCLUDED.created_at,"
	    " smsc_time = EXCLUDED.smsc_time, kind = EXCLUDED.kind,"
	    " detail = EXCLUDED.detail, version = EXCLUDED.version"
	    " WHERE messages.version < EXCLUDED.version" },
	{ "up_rec", "INSERT INTO records (site, id, nomor, created_at,"
	    " received_at, smsc_time, number, kind, desa, nama_desa, tanggal,"
	    " jenis, laki, perempuan, jumlah, topik, isi, catatan, perdes,"
	    " tiket, state, flags, message_id, version) VALUES ($1, $2, $3,"
	    " $4, NULLIF($5, '')::timestamp, NULLIF($6, '')::timestamp, $7,"
	    " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,"
	    " $21, $22, $23, $24) ON CONFLICT (site, id) DO UPDATE SET"
	    " nomor = EXCLUDED.nomor, created_at = EXCLUDED.created_at,"
	    " received_at = EXCLUDED.received_at,"
	    " smsc_time = EXCLUDED.smsc_time, number = EXCLUDED.number,"
	    " kind = EXCLUDED.kind, desa = EXCLUDED.desa,"
	    " nama_desa = EXCLUDED.nama_desa, tanggal = EXCLUDED.tanggal,"
	    " jenis = EXCLUDED.jenis, laki = EXCLUDED.laki,"
	    " perempuan = EXCLUDED.perempuan, jumlah = EXCLUDED.jumlah,"
	    " topik = EXCLUDED.topik, isi = EXCLUDED.isi,"
	    " catatan = EXCLUDED.catatan, perdes = EXCLUDED.perdes,"
	    " tiket = EXCLUDED.tiket, state = EXCLUDED.state,"
	    " flags = EXCLUDED.flags, message_id = EXCLUDED.message_id,"
	    " version = EXCLUDED.version WHERE records.version <"
	    " EXCLUDED.version" },
	{ "up_tic", "INSERT INTO tickets (site, id, tiket, type, status,"
	    " number, desa, nama_desa, perdes, isi, created_at, updated_at,"
	    " closed_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
	    " $10, $11, $12, NULLIF($13, '')::timestamp, $14)"
	    " ON CONFLICT (site, id) DO UPDATE SET tiket = EXCLUDED.tiket,"
	    " type = EXCLUDED.type, status = EXCLUDED.status,"
	    " number = EXCLUDED.number, desa = EXCLUDED.desa,"
	    " nama_desa = EXCLUDED.nama_desa, perdes = EXCLUDED.perdes,"
	    " isi = EXCLUDED.isi, created_at = EXCLUDED.created_at,"
	    " updated_at = EXCLUDED.updated_at,"
	    " closed_at = EXCLUDED.closed_at, version = EXCLUDED.version"
	    " WHERE tickets.version < EXCLUDED.version" },
	{ "up_con", "INSERT INTO contacts (site, id, number, name, role, desa,"
	    " opted_out, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
	    " ON CONFLICT (site, id) DO UPDATE SET number = EXCLUDED.number,"
	    " name = EXCLUDED.name, role = EXCLUDED.role,"
	    " desa = EXCLUDED.desa, opted_out = EXCLUDED.opted_out,"
	    " version = EXCLUDED.version WHERE contacts.version <"
	    " EXCLUDED.version" },
	/* a row gone from the file (a contact removed) */
	{ "del_msg", "DELETE FROM messages WHERE site = $1 AND direction = $2"
	    " AND id = $3 AND version < $4" },
	{ "del_rec", "DELETE FROM records WHERE site = $1 AND id = $2"
	    " AND version < $3" },
	{ "del_tic", "DELETE FROM tickets WHERE site = $1 AND id = $2"
	    " AND version < $3" },
	{ "del_con", "DELETE FROM contacts WHERE site = $1 AND id = $2"
	    " AND version < $3" },
	{ "position", "UPDATE sites SET last_seq = GREATEST(last_seq, $2),"
	    " pushed_at = now() WHERE site = $1" },
	{ "village", "INSERT INTO villages (code, name, kecamatan, kabupaten,"
	    " provinsi) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO"
	    " UPDATE SET name = EXCLUDED.name, kecamatan = EXCLUDED.kecamatan,"
	    " kabupaten = EXCLUDED.kabupaten, provinsi = EXCLUDED.provinsi" },
};

/* ---- the thread's talk to the loop --------------------------------- */

static void
report(struct central_pusher *p, enum central_news news, long long seq,
    long long backlog, long long rows, double seconds, const char *error)
{
	struct central_report r;
	ssize_t n;

	memset(&r, 0, sizeof(r));
	r.news = news;
	r.seq = seq;
	r.backlog = backlog;
	r.rows = rows;
	r.seconds = seconds;
	snprintf(r.error, sizeof(r.error), "%s", error ? error : "");
	/* one write of less than PIPE_BUF: whole or not at all; a full
	 * pipe (a loop that does not read) loses a report, and the next
	 * one says the same */
	do
		n = write(p->pipe[1], &r, sizeof(r));
	while (n < 0 && errno == EINTR);
}

/* Sleep up to seconds, or until woken or stopped. */
static void
nap(struct central_pusher *p, int seconds)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&p->mu);
	while (!p->woken && !atomic_load(&p->stop))
		if (pthread_cond_timedwait(&p->cv, &p->mu, &until) != 0)
			break;
	p->woken = 0;
	pthread_mutex_unlock(&p->mu);
}

static double
now_mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* ---- the connection ---------------------------------------------------- */

/* PostgreSQL's notices ("already exists, skipping") are not ours to
 * print on the gateway's standard error. */
static void
no_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

PGconn *
central_connect(const char *conninfo, char *err, size_t cap)
{
	/* conninfo last: its own connect_timeout wins */
	const char *keys[] = { "connect_timeout", "application_name",
	    "dbname", NULL };
	const char *vals[] = { "10", "kentongan", conninfo, NULL };
	PGconn *pg = PQconnectdbParams(keys, vals, 1);

	if (pg == NULL) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	if (PQstatus(pg) != CONNECTION_OK) {
		snprintf(err, cap, "%s", PQerrorMessage(pg));
		err[strcspn(err, "\n")] = '\0';
		PQfinish(pg);
		return NULL;
	}
	PQsetNoticeProcessor(pg, no_notice, NULL);
	return pg;
}

void
central_close(PGconn *pg)
{
	PQfinish(pg);
}

/* Connect, make the schema, prepare, and learn the site's position. */
static int
connect_central(struct central_pusher *p, char *err, size_t cap)
{
	const char *params[4];
	PGresult *r;
	size_t i;
	int was;

	if ((p->pg = central_connect(p->job.conninfo, err, cap)) == NULL)
		return -1;
	if (central_schema_ensure(p->pg, &was, err, cap) != 0)
		goto fail;
	for (i = 0; i < sizeof(prepared) / sizeof(prepared[0]); i++) {
		r = PQprepare(p->pg, prepared[i].name, prepared[i].sql, 0, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			snprintf(err, cap, "preparing %s: %s", prepared[i].name,
			    PQerrorMessage(p->pg));
			PQclear(r);
			goto fail;
		}
		PQclear(r);
	}
	params[0] = p->job.site;
	params[1] = p->job.share_numbers ? "true" : "false";
	params[2] = p->job.software;
	r = PQexecParams(p->pg, "INSERT INTO sites (site, share_numbers,"
	    " software) VALUES ($1, $2, $3) ON CONFLICT (site) DO UPDATE SET"
	    " share_numbers = EXCLUDED.share_numbers,"
	    " software = EXCLUDED.software"
	    " RETURNING last_seq", 3, NULL, params, NULL,
	    NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		snprintf(err, cap, "registering site %s: %s", p->job.site,
		    PQerrorMessage(p->pg));
		PQclear(r);
		goto fail;
	}
	p->position = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return 0;
fail:
	err[strcspn(err, "\n")] = '\0';
	PQfinish(p->pg);
	p->pg = NULL;
	return -1;
}

/* ---- one pipeline ---------------------------------------------------- */

/* Text PostgreSQL takes: invalid UTF-8 (a binary SMS) becomes U+FFFD.
 * Returns s itself when it is valid, else a copy the caller frees. */
static const char *
clean_text(const char *s, char **copy)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, k;
	uint32_t cp;
	int ok = 1, all = 1;
	char *out;

	*copy = NULL;
	while (i < n) {
		i += utf8_decode(u + i, n - i, &cp, &ok);
		all &= ok;
	}
	if (all)
		return s;
	if ((out = malloc(n * 3 + 1)) == NULL)
		return "";
	for (i = 0; i < n; i += k) {
		k = utf8_decode(u + i, n - i, &cp, &ok);
		o += utf8_encode(cp, out + o);
	}
	out[o] = '\0';
	return *copy = out;
}

/* What the privacy rule makes of a number: itself with share_numbers,
 * else "h" and 32 hex digits of its HMAC under the site's key. */
static const char *
shown_number(struct central_pusher *p, const char *number, char *buf,
    size_t cap)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state h;
	size_t i;

	if (p->job.share_numbers || number == NULL)
		return number;
	crypto_auth_hmacsha256_init(&h, p->key, p->keylen);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)number,
	    strlen(number));
	crypto_auth_hmacsha256_final(&h, mac);
	buf[0] = 'h';
	for (i = 0; i < 16 && 2 * i + 2 < cap; i++)
		snprintf(buf + 1 + 2 * i, 3, "%02x", mac[i]);
	return buf;
}

/* One change being sent: its row's values become the statement's. */
struct send {
	struct central_pusher *p;
	const struct central_change *c;
	int sent;
	char err[200];
};

static int
send_prepared(struct send *s, const char *name, int n, const char *const *v)
{
	char *copies[32];
	const char *clean[32];
	int i, ok;

	for (i = 0; i < n; i++)
		clean[i] = v[i] ? clean_text(v[i], &copies[i]) :
		    (copies[i] = NULL, NULL);
	ok = PQsendQueryPrepared(s->p->pg, name, n, clean, NULL, NULL, 0);
	for (i = 0; i < n; i++)
		free(copies[i]);
	if (!ok) {
		snprintf(s->err, sizeof(s->err), "%s",
		    PQerrorMessage(s->p->pg));
		return -1;
	}
	s->sent++;
	return 0;
}

/* The row of change s->c, read from the file: its upsert. */
static int
on_row(void *arg, int n, const char *const *v)
{
	struct send *s = arg;
	struct central_pusher *p = s->p;
	const char *tbl = s->c->tbl, *a[32];
	char version[24], hash[40], hash2[40];
	int i;

	snprintf(version, sizeof(version), "%lld", s->c->seq);
	a[0] = p->job.site;
	if (!strcmp(tbl, "in") || !strcmp(tbl, "out")) {
		if (n != 8)
			goto shape;
		/* id, number, text, state, created_at, smsc_time, kind,
		 * detail */
		a[1] = tbl;
		a[2] = v[0];
		a[3] = shown_number(p, v[1], hash, sizeof(hash));
		for (i = 2; i < 8; i++)
			a[i + 2] = v[i] ? v[i] : "";
		a[10] = version;
		return send_prepared(s, "up_msg", 11, a);
	}
	if (!strcmp(tbl, "records")) {
		if (n != 22)
			goto shape;
		/* id, nomor, created_at, received_at, smsc_time, number,
		 * ... (the columns of export records) */
		for (i = 0; i < 22; i++)
			a[i + 1] = v[i];
		a[4] = v[3] ? v[3] : "";
		a[5] = v[4] ? v[4] : "";
		a[6] = shown_number(p, v[5], hash, sizeof(hash));
		a[23] = version;
		return send_prepared(s, "up_rec", 24, a);
	}
	if (!strcmp(tbl, "tickets")) {
		if (n != 12)
			goto shape;
		for (i = 0; i < 12; i++)
			a[i + 1] = v[i];
		a[5] = shown_number(p, v[4], hash, sizeof(hash));
		a[12] = v[11] ? v[11] : "";
		a[13] = version;
		return send_prepared(s, "up_tic", 14, a);
	}
	if (!strcmp(tbl, "contacts")) {
		if (n != 5)
			goto shape;
		/* number, name, role, desa, opted_out: a villager's name
		 * stays on the box with the number (UU 27/2022) */
		a[1] = shown_number(p, v[0], hash, sizeof(hash));
		a[2] = shown_number(p, v[0], hash2, sizeof(hash2));
		a[3] = !p->job.share_numbers && v[2] && !strcmp(v[2], "warga") ?
		    "" : v[1];
		a[4] = v[2];
		a[5] = v[3] ? v[3] : "";
		a[6] = v[4];
		a[7] = version;
		return send_prepared(s, "up_con", 8, a);
	}
	if (!strcmp(tbl, "villages")) {
		if (n != 5)
			goto shape;
		return send_prepared(s, "village", 5, v);
	}
shape:
	snprintf(s->err, sizeof(s->err), "%s row with %d columns", tbl, n);
	return -1;
}

/* A change whose row is gone: its delete, version-checked too. */
static int
send_delete(struct send *s)
{
	struct central_pusher *p = s->p;
	const char *tbl = s->c->tbl, *a[4];
	char version[24], hash[40];

	snprintf(version, sizeof(version), "%lld", s->c->seq);
	a[0] = p->job.site;
	/* a village the list lost may be another site's */
	if (!strcmp(tbl, "villages"))
		return 0;
	if (!strcmp(tbl, "in") || !strcmp(tbl, "out")) {
		a[1] = tbl;
		a[2] = s->c->key;
		a[3] = version;
		return send_prepared(s, "del_msg", 4, a);
	}
	a[1] = !strcmp(tbl, "contacts") ? shown_number(p, s->c->key, hash,
	    sizeof(hash)) : s->c->key;
	a[2] = version;
	return send_prepared(s, !strcmp(tbl, "records") ? "del_rec" :
	    !strcmp(tbl, "tickets") ? "del_tic" : "del_con", 3, a);
}

/* Read every result up to the pipeline's sync; 0 when all went, else
 * -1 with the first error. */
static int
drain(PGconn *pg, char *err, size_t cap)
{
	PGresult *r;
	int failed = 0, syncs = 0, nulls = 0;

	while (!syncs) {
		if ((r = PQgetResult(pg)) == NULL) {
			/* one NULL ends each statement's results; two in a
			 * row, or a lost connection, mean no sync will come */
			if (++nulls > 1 || PQstatus(pg) == CONNECTION_BAD) {
				if (!failed)
					snprintf(err, cap, "%s",
					    PQerrorMessage(pg));
				return -1;
			}
			continue;
		}
		nulls = 0;
		switch (PQresultStatus(r)) {
		case PGRES_PIPELINE_SYNC:
			syncs = 1;
			break;
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK:
			break;
		case PGRES_PIPELINE_ABORTED:
			failed = 1;
			break;
		default:
			if (!failed)
				snprintf(err, cap, "%s",
				    PQresultErrorMessage(r));
			failed = 1;
			if (PQstatus(pg) == CONNECTION_BAD) {
				PQclear(r);
				return -1;
			}
			break;
		}
		PQclear(r);
	}
	return failed ? -1 : 0;
}

static int
by_key_then_newest(const void *a, const void *b)
{
	const struct central_change *x = a, *y = b;
	int c = strcmp(x->tbl, y->tbl);

	if (c == 0)
		c = strcmp(x->key, y->key);
	if (c == 0)
		c = x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
	return c;
}

/* Send changes[0..n) in one transaction with the new position; the
 * rows sent in *rows. 0, or -1 with the reason in err. */
static int
push_batch(struct central_pusher *p, struct central_change *ch, int n,
    long long *rows, char *err, size_t cap)
{
	long long end = ch[n - 1].seq;
	char pos[24];
	const char *a[2];
	struct send s;
	int i, rc;

	/* a row changed twice in the batch goes once, as it is now, with
	 * the newer change's number */
	qsort(ch, (size_t)n, sizeof(*ch), by_key_then_newest);
	memset(&s, 0, sizeof(s));
	s.p = p;
	if (PQenterPipelineMode(p->pg) != 1 ||
	    PQsendQueryParams(p->pg, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) !=
	    1) {
		snprintf(err, cap, "%s", PQerrorMessage(p->pg));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (i > 0 && !strcmp(ch[i].tbl, ch[i - 1].tbl) &&
		    !strcmp(ch[i].key, ch[i - 1].key))
			continue;
		s.c = &ch[i];
		rc = store_central_row(p->st, ch[i].tbl, ch[i].key, on_row, &s);
		if (rc == 0)
			rc = send_delete(&s);
		if (rc < 0) {
			snprintf(err, cap, "%s", s.err[0] ? s.err :
			    store_errmsg(p->st));
			goto fail;
		}
	}
	snprintf(pos, sizeof(pos), "%lld", end);
	a[0] = p->job.site;
	a[1] = pos;
	if (PQsendQueryPrepared(p->pg, "position", 2, a, NULL, NULL, 0) != 1 ||
	    PQsendQueryParams(p->pg, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) !=
	    1 || PQpipelineSync(p->pg) != 1) {
		snprintf(err, cap, "%s", PQerrorMessage(p->pg));
		goto fail;
	}
	if (drain(p->pg, err, cap) != 0)
		goto fail_synced;
	PQexitPipelineMode(p->pg);
	p->position = end;
	*rows = s.sent;
	return 0;
fail:
	/* what was queued is thrown away with the connection */
	if (PQpipelineSync(p->pg) == 1)
		(void)drain(p->pg, err + strlen(err), 0);
fail_synced:
	err[strcspn(err, "\n")] = '\0';
	return -1;
}

/* ---- the thread -------------------------------------------------------- */

static void
drop_connection(struct central_pusher *p)
{
	if (p->pg != NULL)
		PQfinish(p->pg);
	p->pg = NULL;
}

static void *
run(void *arg)
{
	struct central_pusher *p = arg;
	struct central_change *ch;
	char err[400];
	int backoff = 0, n, wait;
	long long rows, backlog, last_backlog = -1, local;
	double t0;

	/* reading and sending rows comes after the loop's work */
	background_priority();
	if ((ch = calloc(BATCH, sizeof(*ch))) == NULL) {
		report(p, CENTRAL_FAILED, 0, 0, 0, 0, "out of memory");
		return NULL;
	}
	while (!atomic_load(&p->stop)) {
		err[0] = '\0';
		if (p->pg == NULL) {
			if (connect_central(p, err, sizeof(err)) != 0)
				goto failed;
			/* central has seen more of this site than this file
			 * has made: the loop moves the counter past it */
			if ((local = store_central_last_seq(p->st)) >= 0 &&
			    local < p->position) {
				report(p, CENTRAL_RESEED, p->position, 0, 0, 0,
				    NULL);
				nap(p, 1);
			}
			report(p, CENTRAL_PUSHED, p->position,
			    store_central_backlog(p->st, p->position), 0, 0,
			    NULL);
		}
		if ((n = store_central_changes(p->st, p->position, ch,
		    BATCH)) < 0) {
			snprintf(err, sizeof(err), "reading changes: %s",
			    store_errmsg(p->st));
			goto failed;
		}
		if (n == 0) {
			if (last_backlog != 0)
				report(p, CENTRAL_PUSHED, p->position, 0, 0, 0,
				    NULL);
			last_backlog = 0;
			nap(p, p->job.interval);
			continue;
		}
		t0 = now_mono();
		if (push_batch(p, ch, n, &rows, err, sizeof(err)) != 0)
			goto failed;
		backoff = 0;
		backlog = store_central_backlog(p->st, p->position);
		last_backlog = backlog;
		report(p, CENTRAL_PUSHED, p->position, backlog, rows,
		    now_mono() - t0, NULL);
		/* a backlog goes back to back; the interval is for what
		 * comes in after */
		if (n < BATCH)
			nap(p, p->job.interval);
		continue;
failed:
		report(p, CENTRAL_FAILED, p->position, 0, 0, 0, err);
		drop_connection(p);
		wait = p->job.interval << (backoff < 10 ? backoff : 10);
		if (wait > MAX_BACKOFF || wait <= 0)
			wait = MAX_BACKOFF;
		backoff++;
		nap(p, wait);
	}
	free(ch);
	drop_connection(p);
	return NULL;
}

struct central_pusher *
central_pusher_start(const struct central_job *job, char *err, size_t cap)
{
	struct central_pusher *p;
	int n;

	if (sodium_init() < 0 || (p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	p->job = *job;
	p->pipe[0] = p->pipe[1] = -1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pipe2(p->pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, cap, "pipe: %s", strerror(errno));
		goto fail;
	}
	/* a connection of its own: the loop's is the loop's */
	if ((p->st = store_open(job->database, 0, err, cap)) == NULL)
		goto fail;
	if ((n = store_central_key(p->st, p->key, sizeof(p->key))) < 0) {
		snprintf(err, cap, "%s", store_errmsg(p->st));
		goto fail;
	}
	p->keylen = (size_t)n;
	if (pthread_create(&p->thread, NULL, run, p) != 0) {
		snprintf(err, cap, "cannot start the pusher thread");
		goto fail;
	}
	p->started = 1;
	return p;
fail:
	central_pusher_stop(p);
	return NULL;
}

int
central_pusher_fd(const struct central_pusher *p)
{
	return p->pipe[0];
}

int
central_pusher_read(struct central_pusher *p, struct central_report *r)
{
	ssize_t n = read(p->pipe[0], r, sizeof(*r));

	if (n == (ssize_t)sizeof(*r))
		return 1;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return n == 0 ? -1 : 0;
}

void
central_pusher_wake(struct central_pusher *p)
{
	pthread_mutex_lock(&p->mu);
	p->woken = 1;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void
central_pusher_stop(struct central_pusher *p)
{
	struct timespec until;

	if (p == NULL)
		return;
	if (p->started) {
		atomic_store(&p->stop, 1);
		central_pusher_wake(p);
		/* a push in flight may wait on the network: a few seconds,
		 * then the process ends without it (central's transaction
		 * is rolled back, and the next start sends it again) */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 5;
		if (pthread_timedjoin_np(p->thread, NULL, &until) != 0)
			return;		/* left to the process's end */
	}
	store_close(p->st);
	if (p->pipe[0] >= 0)
		close(p->pipe[0]);
	if (p->pipe[1] >= 0)
		close(p->pipe[1]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}
