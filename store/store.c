#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The triggers that keep row_counts (migration 8) for table T, counted
 * under tag G by column C: NEW and OLD are C's value in the new and the
 * old row. */
#define COUNT_ADD(G, KEY, STATE, D) \
	"INSERT INTO row_counts VALUES ('" G "', " KEY ", " STATE ", " D ")" \
	" ON CONFLICT DO UPDATE SET n = n + excluded.n;"
#define COUNT_TRIGGERS(T, G, C, NEW, OLD) \
	"CREATE TRIGGER " T "_count_insert AFTER INSERT ON " T " BEGIN " \
	COUNT_ADD(G, NEW, "new.state", "1") " END;" \
	"CREATE TRIGGER " T "_count_update AFTER UPDATE OF " C ", state ON " T \
	" WHEN " NEW " != " OLD " OR new.state != old.state BEGIN " \
	COUNT_ADD(G, OLD, "old.state", "-1") \
	COUNT_ADD(G, NEW, "new.state", "1") " END;" \
	"CREATE TRIGGER " T "_count_delete AFTER DELETE ON " T " BEGIN " \
	COUNT_ADD(G, OLD, "old.state", "-1") " END;"

/* The outbox's indexes: made with the table (1), and again when it is
 * rebuilt (12). */
#define OUTBOX_INDEXES \
	"CREATE UNIQUE INDEX outbox_one_reply ON outbox(message_id)" \
	"  WHERE purpose = 'reply';" \
	"CREATE INDEX outbox_due ON outbox(priority DESC, next_at, id)" \
	"  WHERE state IN ('queued','failed');" \
	"CREATE INDEX outbox_by_number ON outbox(number, created_at);"

#define OUTBOX_COLUMNS \
	"id, number, text, purpose, message_id, priority, state, tries," \
	" crash_retries, next_at, created_at, sent_at, parts, modem," \
	" last_error, no_retry, error_class, concat_ref, parts_sent," \
	" delivered_at, reason"

/* Schema versions, applied in order; user_version says how many ran. */
static const char *const migrations[] = {
	/* 1: the message path of the foundation */
	"CREATE TABLE sms_in ("
	"  id INTEGER PRIMARY KEY,"
	"  dedup_key TEXT NOT NULL UNIQUE,"
	"  modem TEXT NOT NULL,"
	"  number TEXT NOT NULL,"
	"  number_raw TEXT NOT NULL,"
	"  sender_class INTEGER NOT NULL,"
	"  smsc_time INTEGER NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  coding TEXT NOT NULL,"
	"  text BLOB NOT NULL,"
	"  concat_ref INTEGER NOT NULL DEFAULT 0,"
	"  concat_total INTEGER NOT NULL DEFAULT 0,"
	"  concat_seq INTEGER NOT NULL DEFAULT 0,"
	"  is_report INTEGER NOT NULL DEFAULT 0,"
	"  report_ref INTEGER, report_status INTEGER,"
	"  is_binary INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK (state IN ('waiting','joined')),"
	"  message_id INTEGER REFERENCES messages(id)"
	");"
	"CREATE INDEX sms_in_waiting ON sms_in(number, concat_ref, concat_total)"
	"  WHERE state = 'waiting';"
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  channel TEXT NOT NULL DEFAULT 'sms',"
	"  number TEXT NOT NULL,"
	"  number_raw TEXT NOT NULL,"
	"  sender_class INTEGER NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  text BLOB NOT NULL,"
	"  parts INTEGER NOT NULL DEFAULT 1,"
	"  incomplete INTEGER NOT NULL DEFAULT 0,"
	"  is_report INTEGER NOT NULL DEFAULT 0,"
	"  is_binary INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK (state IN"
	"    ('received','processed','rejected','ignored')),"
	"  kind TEXT, error TEXT, note TEXT,"
	"  processed_at INTEGER"
	");"
	"CREATE INDEX messages_received ON messages(id) WHERE state = 'received';"
	"CREATE TABLE contacts ("
	"  number TEXT PRIMARY KEY,"
	"  number_raw TEXT NOT NULL,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  role TEXT NOT NULL CHECK (role IN ('pendamping','koordinator','warga')),"
	"  desa TEXT NOT NULL DEFAULT '',"
	"  opted_out INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE TABLE records ("
	"  id INTEGER PRIMARY KEY,"
	"  message_id INTEGER REFERENCES messages(id),"
	"  kind TEXT NOT NULL,"
	"  number TEXT NOT NULL,"
	"  desa TEXT NOT NULL DEFAULT '',"
	"  tanggal TEXT, jenis TEXT,"
	"  laki INTEGER, perempuan INTEGER, jumlah INTEGER,"
	"  topik TEXT, catatan TEXT, isi TEXT, perdes TEXT,"
	"  state TEXT NOT NULL CHECK (state IN"
	"    ('counted','not_counted','withdrawn')),"
	"  flags TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE tickets ("
	"  id INTEGER PRIMARY KEY,"
	"  type TEXT NOT NULL CHECK (type IN ('ADU','ASP')),"
	"  seq INTEGER NOT NULL,"
	"  record_id INTEGER NOT NULL REFERENCES records(id),"
	"  number TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('baru','diproses','selesai','ditolak')),"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  UNIQUE (type, seq)"
	");"
	"CREATE TABLE ticket_history ("
	"  id INTEGER PRIMARY KEY,"
	"  ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	"  status TEXT NOT NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  at INTEGER NOT NULL"
	");"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  purpose TEXT NOT NULL,"
	"  message_id INTEGER REFERENCES messages(id),"
	"  priority INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK (state IN"
	"    ('queued','sending','sent','delivered','failed','dead')),"
	"  tries INTEGER NOT NULL DEFAULT 0,"
	"  crash_retries INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  parts INTEGER,"
	"  modem TEXT,"
	"  last_error TEXT"
	");"
	OUTBOX_INDEXES,

	/* 2: villages, assignments, Perdes consultations */
	"CREATE TABLE villages ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  name_key TEXT NOT NULL,"
	"  kecamatan TEXT NOT NULL,"
	"  kabupaten TEXT NOT NULL,"
	"  provinsi TEXT NOT NULL DEFAULT ''"
	") WITHOUT ROWID;"
	"CREATE INDEX villages_by_name ON villages(name_key);"
	"CREATE TABLE contact_desa ("
	"  number TEXT NOT NULL REFERENCES contacts(number) ON DELETE CASCADE,"
	"  desa TEXT NOT NULL,"
	"  PRIMARY KEY (number, desa)"
	") WITHOUT ROWID;"
	"CREATE INDEX contact_desa_by_desa ON contact_desa(desa);"
	"INSERT INTO contact_desa SELECT number, desa FROM contacts"
	"  WHERE desa != '';"
	"ALTER TABLE records ADD COLUMN desa_input TEXT NOT NULL DEFAULT '';"
	"CREATE INDEX records_by_kind ON records(kind, tanggal);"
	"CREATE TABLE perdes ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL,"
	"  desa TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  until TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('open','closed')),"
	"  created_at INTEGER NOT NULL,"
	"  closed_at INTEGER,"
	"  UNIQUE (code, desa)"
	");",

	/* 3: part references for status reports, final
	 * failures, modem state and credit (docs/modems.md) */
	"ALTER TABLE outbox ADD COLUMN no_retry INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE outbox ADD COLUMN error_class TEXT;"
	"ALTER TABLE outbox ADD COLUMN concat_ref INTEGER;"
	"ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE outbox ADD COLUMN delivered_at INTEGER;"
	"CREATE TABLE outbox_parts ("
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id),"
	"  seq INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  modem TEXT NOT NULL,"
	"  mr INTEGER NOT NULL,"
	"  sent_at INTEGER NOT NULL,"
	"  report_status INTEGER,"
	"  reported_at INTEGER,"
	"  PRIMARY KEY (outbox_id, seq)"
	");"
	"CREATE INDEX outbox_parts_by_mr ON outbox_parts(modem, mr)"
	"  WHERE reported_at IS NULL;"
	"CREATE INDEX outbox_parts_by_day ON outbox_parts(modem, sent_at);"
	"CREATE INDEX sms_in_by_day ON sms_in(modem, received_at);"
	"CREATE TABLE modems ("
	"  name TEXT PRIMARY KEY,"
	"  state TEXT NOT NULL,"
	"  since INTEGER NOT NULL,"
	"  signal INTEGER,"
	"  network TEXT NOT NULL DEFAULT '',"
	"  operator TEXT NOT NULL DEFAULT '',"
	"  manufacturer TEXT NOT NULL DEFAULT '',"
	"  model TEXT NOT NULL DEFAULT '',"
	"  imei TEXT NOT NULL DEFAULT '',"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  paused_until INTEGER NOT NULL DEFAULT 0,"
	"  credit_text TEXT,"
	"  credit INTEGER,"
	"  credit_at INTEGER,"
	"  credit_low INTEGER NOT NULL DEFAULT 0,"
	"  updated_at INTEGER NOT NULL"
	") WITHOUT ROWID;",

	/* 4: USSD sessions (the text path is the truth; a session is kept so
	 * it survives a restart and times out), the actions done in each,
	 * and the meetings coordinators announce */
	"CREATE TABLE ussd_sessions ("
	"  session_id TEXT PRIMARY KEY,"
	"  number TEXT NOT NULL,"
	"  service_code TEXT NOT NULL,"
	"  network_code TEXT NOT NULL DEFAULT '',"
	"  started_at INTEGER NOT NULL,"
	"  last_at INTEGER NOT NULL,"
	"  requests INTEGER NOT NULL DEFAULT 1,"
	"  last_text TEXT NOT NULL DEFAULT '',"
	"  state TEXT NOT NULL CHECK (state IN ('open','ended','expired'))"
	");"
	"CREATE TABLE ussd_actions ("
	"  session_id TEXT NOT NULL REFERENCES ussd_sessions(session_id),"
	"  path TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  tiket TEXT NOT NULL,"
	"  message_id INTEGER REFERENCES messages(id),"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (session_id, path)"
	");"
	"CREATE TABLE meetings ("
	"  id INTEGER PRIMARY KEY,"
	"  desa TEXT NOT NULL,"
	"  tanggal TEXT NOT NULL,"
	"  waktu TEXT NOT NULL,"
	"  jenis TEXT NOT NULL,"
	"  tempat TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  announced_at INTEGER,"
	"  reminded_at INTEGER"
	");"
	"CREATE INDEX meetings_by_desa ON meetings(desa, tanggal);",

	/* 5: the gateway speaks first: when each reminder last fired (so a
	 * restart never fires it twice), and why an initiated SMS waits */
	"CREATE TABLE reminder_state ("
	"  name TEXT PRIMARY KEY,"
	"  last_due INTEGER NOT NULL,"
	"  fired_at INTEGER NOT NULL,"
	"  recipients INTEGER NOT NULL DEFAULT 0,"
	"  outcome TEXT NOT NULL DEFAULT 'sent'"
	");"
	"ALTER TABLE outbox ADD COLUMN reason TEXT;"
	"CREATE INDEX records_by_number ON records(number, created_at);",

	/* 6: the loop guard counts a sender's messages of the last hour for
	 * every SMS: without this, a scan of every message each time */
	"CREATE INDEX messages_by_number ON messages(number, received_at);",

	/* 7: a ticket's last note, for every STATUS and USSD status screen:
	 * without this, a scan of every ticket's history each time */
	"CREATE INDEX ticket_history_by_ticket ON ticket_history(ticket_id, id);"
	/* and a status report's own row, for each report processed */
	"CREATE INDEX sms_in_by_message ON sms_in(message_id);",

	/* 8: /metrics, /status and `kentongan status` count messages and the
	 * outbox by kind and state. A COUNT(*) of a million rows took 0.8 s on
	 * the loop, so the counts are kept as the rows change, in the same
	 * transaction as the change: reading them is a dozen rows. */
	"CREATE TABLE row_counts ("
	"  tbl TEXT NOT NULL,"		/* 'in' (messages) or 'out' (outbox) */
	"  kind TEXT NOT NULL,"		/* messages.kind or outbox.purpose */
	"  state TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (tbl, kind, state)"
	") WITHOUT ROWID;"
	"INSERT INTO row_counts SELECT 'in', COALESCE(kind, ''), state, COUNT(*)"
	"  FROM messages GROUP BY 2, 3;"
	"INSERT INTO row_counts SELECT 'out', purpose, state, COUNT(*)"
	"  FROM outbox GROUP BY 2, 3;"
	COUNT_TRIGGERS("messages", "in", "kind", "COALESCE(new.kind, '')",
	    "COALESCE(old.kind, '')")
	COUNT_TRIGGERS("outbox", "out", "purpose", "new.purpose", "old.purpose")
	/* Each modem's parts sent and SMS received per local day, for the
	 * same screens: a busy day is a range of the day's rows otherwise. A
	 * part sent again after a crash is counted again: the modem did
	 * send it twice. */
	"CREATE TABLE modem_days ("
	"  modem TEXT NOT NULL,"
	"  day TEXT NOT NULL,"		/* YYYY-MM-DD in the configured zone */
	"  sent INTEGER NOT NULL DEFAULT 0,"
	"  received INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (modem, day)"
	") WITHOUT ROWID;"
	"INSERT INTO modem_days (modem, day, sent)"
	"  SELECT modem, date(sent_at, 'unixepoch', 'localtime'), COUNT(*)"
	"  FROM outbox_parts GROUP BY 1, 2;"
	"INSERT INTO modem_days (modem, day, received)"
	"  SELECT modem, date(received_at, 'unixepoch', 'localtime'), COUNT(*)"
	"  FROM sms_in WHERE is_report = 0 GROUP BY 1, 2"
	"  ON CONFLICT DO UPDATE SET received = excluded.received;"
	"CREATE TRIGGER outbox_parts_count AFTER INSERT ON outbox_parts BEGIN"
	"  INSERT INTO modem_days (modem, day, sent) VALUES (new.modem,"
	"   date(new.sent_at, 'unixepoch', 'localtime'), 1)"
	"  ON CONFLICT DO UPDATE SET sent = sent + 1; END;"
	"CREATE TRIGGER sms_in_count AFTER INSERT ON sms_in"
	" WHEN new.is_report = 0 BEGIN"
	"  INSERT INTO modem_days (modem, day, received) VALUES (new.modem,"
	"   date(new.received_at, 'unixepoch', 'localtime'), 1)"
	"  ON CONFLICT DO UPDATE SET received = received + 1; END;",

	/* 9: sessions are deleted once past session_timeout, oldest first,
	 * a batch at a time: without this, a scan of every session */
	"CREATE INDEX IF NOT EXISTS ussd_sessions_by_last"
	" ON ussd_sessions(last_at);",

	/* 10: the parts of a long SMS join by set, not by reference alone (a
	 * phone that reuses its reference sends two messages with one); the
	 * sets already waiting stay as they were. And the SMSC time of the
	 * BERHENTI or MULAI last applied, so an older one read later loses. */
	"ALTER TABLE sms_in ADD COLUMN part_set INTEGER;"
	"UPDATE sms_in SET part_set = (SELECT MIN(w.id) FROM sms_in w"
	"  WHERE w.state = 'waiting' AND w.number = sms_in.number"
	"  AND w.concat_ref = sms_in.concat_ref"
	"  AND w.concat_total = sms_in.concat_total) WHERE state = 'waiting';"
	"CREATE INDEX sms_in_by_set ON sms_in(part_set) WHERE state = 'waiting';"
	"CREATE INDEX sms_in_parts ON sms_in(number, concat_ref, concat_total,"
	"  concat_seq, smsc_time) WHERE concat_total > 1;"
	"ALTER TABLE contacts ADD COLUMN consent_at INTEGER;",

	/* 11: when a message was sent (its SMSC time; a long SMS its first
	 * part's), so that HARIINI and KEMARIN in a backlog read after an
	 * outage mean the day it was sent. NULL when there is none (USSD).
	 * Stored messages take it from their parts. */
	"ALTER TABLE messages ADD COLUMN smsc_time INTEGER;"
	"UPDATE messages SET smsc_time = (SELECT s.smsc_time FROM sms_in s"
	"  WHERE s.message_id = messages.id AND s.smsc_time > 0"
	"  ORDER BY s.concat_seq, s.id LIMIT 1) WHERE channel = 'sms';",

	/* 12: a reply that is not sent is a row in state 'withheld', with
	 * its reason: nobody is left in silence that the office cannot see.
	 * SQLite cannot change a CHECK in place, so the table is rebuilt the
	 * way its documentation says (foreign keys are off while migrating:
	 * store_open), with its indexes and its row_counts triggers; the
	 * counts themselves do not change. The digest counts a day's
	 * withheld replies, and every message from an unregistered number
	 * counts the replies it was sent in the hour: partial indexes, not a
	 * scan of the outbox or of a flood's withheld rows. */
	"CREATE TABLE outbox_new ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  purpose TEXT NOT NULL,"
	"  message_id INTEGER REFERENCES messages(id),"
	"  priority INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK (state IN ('queued','sending','sent',"
	"    'delivered','failed','dead','withheld')),"
	"  tries INTEGER NOT NULL DEFAULT 0,"
	"  crash_retries INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  parts INTEGER,"
	"  modem TEXT,"
	"  last_error TEXT,"
	"  no_retry INTEGER NOT NULL DEFAULT 0,"
	"  error_class TEXT,"
	"  concat_ref INTEGER,"
	"  parts_sent INTEGER NOT NULL DEFAULT 0,"
	"  delivered_at INTEGER,"
	"  reason TEXT"
	");"
	"INSERT INTO outbox_new (" OUTBOX_COLUMNS ") SELECT " OUTBOX_COLUMNS
	"  FROM outbox;"
	"DROP TABLE outbox;"
	"ALTER TABLE outbox_new RENAME TO outbox;"
	OUTBOX_INDEXES
	COUNT_TRIGGERS("outbox", "out", "purpose", "new.purpose", "old.purpose")
	"CREATE INDEX outbox_withheld ON outbox(created_at)"
	"  WHERE state = 'withheld';"
	"CREATE INDEX outbox_replies ON outbox(number, created_at)"
	"  WHERE purpose = 'reply' AND state != 'withheld';",

	/* 13: the BERHENTI or MULAI of a contact the office removed, so that
	 * importing the number again later does not undo what they asked
	 * (Q_CONTACT_PUT reads it for a new contact). */
	"CREATE TABLE consent_kept ("
	"  number TEXT PRIMARY KEY,"
	"  opted_out INTEGER NOT NULL,"
	"  consent_at INTEGER"
	") WITHOUT ROWID;",

	/* 14 (#17, the office's meetings and tickets): a meeting may be
	 * cancelled, with its reason, or changed. Every SMS about a meeting
	 * is remembered with its number and outbox row, so a cancellation
	 * or a change reaches exactly those who were told, and a reminder
	 * still waiting in the outbox (quiet hours) can be dropped. A
	 * ticket's history keeps the village a correction moved it from.
	 * `meetings list` of every village reads meetings by date. */
	"ALTER TABLE meetings ADD COLUMN state TEXT NOT NULL DEFAULT"
	"  'scheduled' CHECK (state IN ('scheduled','cancelled'));"
	"ALTER TABLE meetings ADD COLUMN reason TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE meetings ADD COLUMN changed_at INTEGER;"
	"CREATE INDEX meetings_by_date ON meetings(tanggal, waktu);"
	"CREATE TABLE meeting_sms ("
	"  meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	"  number TEXT NOT NULL,"
	"  outbox_id INTEGER NOT NULL,"
	"  what TEXT NOT NULL CHECK (what IN"
	"    ('announce','reminder','change','cancel'))"
	");"
	"CREATE INDEX meeting_sms_by_meeting ON meeting_sms(meeting_id);"
	"ALTER TABLE ticket_history ADD COLUMN desa_was TEXT;",

	/* 15: the office reviews reports (records withdraw, accept): who
	 * decided is the office, when is reviewed_at, why is review_note; a
	 * report that repeats an earlier counted one names it in
	 * duplicate_of. */
	"ALTER TABLE records ADD COLUMN duplicate_of INTEGER"
	"  REFERENCES records(id);"
	"ALTER TABLE records ADD COLUMN reviewed_at INTEGER;"
	"ALTER TABLE records ADD COLUMN review_note TEXT NOT NULL DEFAULT '';"
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Note an SQLite failure; always returns -1. */
int
store_fail(struct store *st, int rc)
{
	st->last_rc = rc;
	snprintf(st->err, sizeof(st->err), "%s", sqlite3_errmsg(st->db));
	return -1;
}

const char *
store_errmsg(struct store *st)
{
	return st->err;
}

int
store_readonly(struct store *st)
{
	return sqlite3_db_readonly(st->db, "main") == 1;
}

int
store_last_was_busy(struct store *st)
{
	return (st->last_rc & 0xff) == SQLITE_BUSY;
}

void
store_set_busy_timeout(struct store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms);
}

int
store_sync_wal(struct store *st)
{
	const char *db = sqlite3_db_filename(st->db, "main");
	char wal[4096];
	int fd, rc;

	snprintf(wal, sizeof(wal), "%s-wal", db ? db : "");
	if ((fd = open(wal, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;	/* checkpointed and gone: on disk */
		snprintf(st->err, sizeof(st->err), "opening the WAL: %s",
		    strerror(errno));
		return -1;
	}
	rc = fdatasync(fd);
	if (rc != 0)
		snprintf(st->err, sizeof(st->err), "syncing the WAL: %s",
		    strerror(errno));
	close(fd);
	return rc;
}

int
store_last_was_full(struct store *st)
{
	return (st->last_rc & 0xff) == SQLITE_FULL ||
	    ((st->last_rc & 0xff) == SQLITE_IOERR && errno == ENOSPC);
}

sqlite3_stmt *
store_stmt(struct store *st, enum stmt_id id)
{
	sqlite3_stmt *s = st->stmt[id];
	int rc;

	if (s == NULL) {
		rc = sqlite3_prepare_v3(st->db, store_sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[id], NULL);
		if (rc != SQLITE_OK) {
			store_fail(st, rc);
			return NULL;
		}
		return st->stmt[id];
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

int
store_mark_at(struct store *st, enum stmt_id id, long long row, long long at)
{
	sqlite3_stmt *s = store_stmt(st, id);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	sqlite3_bind_int64(s, 2, at);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_bind_text(sqlite3_stmt *s, int idx, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(s, idx);
	return sqlite3_bind_text(s, idx, v, -1, SQLITE_TRANSIENT);
}

void
store_col_copy(sqlite3_stmt *s, int col, char *dst, size_t cap)
{
	const unsigned char *v = sqlite3_column_text(s, col);

	snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

/* Run a statement with no result rows. */
static int
exec(struct store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : store_fail(st, rc);
}

/* PRAGMA user_version, or -1. */
static int
read_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Bring the schema to the newest version inside one transaction. */
static int
migrate(struct store *st)
{
	int version, i;
	char sql[64];

	if (read_version(st) == NMIGRATIONS)
		return 0;	/* current: no write lock for a CLI command */
	if (exec(st, "BEGIN IMMEDIATE") != 0)
		return -1;
	version = read_version(st);
	if (version < 0 || version > NMIGRATIONS) {
		snprintf(st->err, sizeof(st->err),
		    "database schema version %d is newer than this program (%d)",
		    version, NMIGRATIONS);
		goto fail_quiet;
	}
	for (i = version; i < NMIGRATIONS; i++)
		if (exec(st, migrations[i]) != 0)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", NMIGRATIONS);
	if (exec(st, sql) != 0 || exec(st, "COMMIT") != 0)
		goto fail;
	return 0;
fail:
	store_fail(st, sqlite3_errcode(st->db));
fail_quiet:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Quick structural check, so a damaged file is refused, never overwritten. */
static int
check_integrity(struct store *st)
{
	sqlite3_stmt *s;
	int ok = 0;

	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s,
	    NULL) != SQLITE_OK)
		return store_fail(st, sqlite3_errcode(st->db));
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(s, 0);

		ok = v != NULL && strcmp((const char *)v, "ok") == 0;
		if (!ok) {
			snprintf(st->err, sizeof(st->err),
			    "integrity check failed: %s", v ? (const char *)v : "?");
			st->check_failed = 1;
		}
	} else
		store_fail(st, sqlite3_errcode(st->db));
	sqlite3_finalize(s);
	return ok ? 0 : -1;
}

/* The name of a journal SQLite would replay into path ("-wal" or
 * "-journal") when one is there, else NULL. */
static const char *
journal_left(const char *path)
{
	static const char *const suffixes[] = { "-wal", "-journal" };
	char j[4096];
	struct stat sb;
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(j, sizeof(j), "%s%s", path, suffixes[i]);
		if (stat(j, &sb) == 0)
			return suffixes[i];
	}
	return NULL;
}

/*
 * May a new database be made at path? Only when nothing is there to lose:
 * no file (or an empty one) and no journal beside it. A journal without its
 * database means the file was moved or deleted; a new empty database would
 * hide that. Returns 1 to create, 0 to open what is there, -1 (err set).
 */
int
store_may_create(const char *path, int flags, char *err, size_t errlen)
{
	const char *j = journal_left(path);
	struct stat sb;
	int missing = 0;

	if (stat(path, &sb) != 0) {
		missing = 1;
		if (errno != ENOENT) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		if (j != NULL) {
			snprintf(err, errlen, "%s: database missing but %s%s is "
			    "there: refusing to start a new database (restore "
			    "the file)", path, path, j);
			return -1;
		}
	} else if (sb.st_size > 0 || j != NULL)
		return 0;
	if (!(flags & STORE_CREATE)) {
		snprintf(err, errlen, "%s: database %s", path,
		    missing ? "not found" : "is an empty file");
		return -1;
	}
	return 1;
}

struct store *
store_open(const char *path, int flags, char *err, size_t errlen)
{
	struct store *st;
	int rc, oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	if ((rc = store_may_create(path, flags, err, errlen)) < 0)
		return NULL;
	if (rc == 1)
		oflags |= SQLITE_OPEN_CREATE;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st->base_sync = TX_SYNC_FULL;
	rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	/* Until the file is known good, closing it must not checkpoint the
	 * WAL into it: a damaged database is left exactly as it was. */
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	/*
	 * WAL lets the CLI read while the daemon writes. synchronous=FULL
	 * fsyncs the WAL at every commit: the inbound commit must survive a
	 * power cut, because the SMS is deleted from the SIM right after it
	 * (the daemon moves that fsync to a thread: store_sync.c). A WAL
	 * that grew in a burst is cut back to 16 MB when it starts over.
	 * Temporary data in memory: the savepoint around each processed
	 * message keeps the pages it changed in a sub-journal, which as a
	 * file was 4 MB of writes per processing batch (strace: 250 MB for
	 * 10,000 SMS, against 66 MB of WAL) for a few pages at a time.
	 */
	if (exec(st, "PRAGMA journal_mode=WAL") != 0 ||
	    exec(st, "PRAGMA synchronous=FULL") != 0 ||
	    exec(st, "PRAGMA journal_size_limit=16777216") != 0 ||
	    exec(st, "PRAGMA temp_store=MEMORY") != 0)
		goto fail_msg;
	if ((flags & STORE_CHECK) && check_integrity(st) != 0)
		goto fail_msg;
	/* Foreign keys on only after migrating: a migration that rebuilds a
	 * table (12) drops one that others refer to, which SQLite allows
	 * only with them off, and a transaction cannot turn them off. */
	if (migrate(st) != 0 || exec(st, "PRAGMA foreign_keys=ON") != 0)
		goto fail_msg;
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
	return st;
fail_msg:
	/* A damaged file is never written over: say so. */
	snprintf(err, errlen, "%s: %s%s", path, st->err,
	    (st->last_rc & 0xff) == SQLITE_NOTADB ||
	    (st->last_rc & 0xff) == SQLITE_CORRUPT || st->check_failed ?
	    " (the file is damaged; it was left as it is: restore a backup)" :
	    "");
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	store_sync_stop(st);
	store_checkpoint_stop(st);
	for (i = 0; i < Q__COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	for (i = 0; i < TX__COUNT; i++)
		sqlite3_finalize(st->tx[i]);
	sqlite3_close(st->db);
	free(st->full_flag);
	free(st);
}

/*
 * Reset every cached statement. A statement left on a row keeps its read
 * snapshot open; in WAL mode a later BEGIN IMMEDIATE on this connection then
 * fails at once with SQLITE_BUSY_SNAPSHOT once another process has written.
 */
static void
reset_all(struct store *st)
{
	int i;

	for (i = 0; i < Q__COUNT; i++)
		if (st->stmt[i] != NULL && sqlite3_stmt_busy(st->stmt[i]))
			sqlite3_reset(st->stmt[i]);
}

static const char *const tx_sql[TX__COUNT] = {
	[TX_BEGIN] = "BEGIN",
	[TX_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
	[TX_COMMIT] = "COMMIT",
	[TX_ROLLBACK] = "ROLLBACK",
	[TX_SAVEPOINT] = "SAVEPOINT one",
	[TX_RELEASE] = "RELEASE one",
	[TX_ROLLBACK_TO] = "ROLLBACK TO one",
	[TX_SYNC_NORMAL] = "PRAGMA synchronous=NORMAL",
	[TX_SYNC_FULL] = "PRAGMA synchronous=FULL",
};

/* Run one transaction-control statement; 0, or -1 (noted as the store's
 * failure unless quiet: a rollback must not hide the error behind it). */
int
tx_run(struct store *st, enum tx_id id, int quiet)
{
	sqlite3_stmt *s = st->tx[id];
	int rc;

	/* SQLite applies PRAGMA synchronous when it compiles the statement,
	 * so a cached one would do nothing the second time. */
	if (id == TX_SYNC_NORMAL || id == TX_SYNC_FULL) {
		rc = sqlite3_exec(st->db, tx_sql[id], NULL, NULL, NULL);
		if (rc != SQLITE_OK && !quiet)
			store_fail(st, rc);
		return rc == SQLITE_OK ? 0 : -1;
	}
	if (s == NULL) {
		rc = sqlite3_prepare_v2(st->db, tx_sql[id], -1, &s, NULL);
		if (rc != SQLITE_OK)
			return quiet ? -1 : store_fail(st, rc);
		st->tx[id] = s;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE && !quiet)
		store_fail(st, rc);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

#define tx(st, id)	tx_run(st, id, 0)
#define tx_quiet(st, id) tx_run(st, id, 1)

/*
 * Test hook: while the file named by store_test_disk_full() exists, every
 * commit fails as on a full disk (rolled back, SQLITE_FULL), so a test can
 * fill and free the "disk" without privileges.
 */
static int
test_full(struct store *st)
{
	struct stat sb;

	if (st->full_flag == NULL || stat(st->full_flag, &sb) != 0)
		return 0;
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->last_rc = SQLITE_FULL;
	snprintf(st->err, sizeof(st->err), "%s (test hook)",
	    sqlite3_errstr(SQLITE_FULL));
	return 1;
}

int
store_test_disk_full(struct store *st, const char *flag_file)
{
	free(st->full_flag);
	st->full_flag = NULL;
	if (flag_file != NULL && (st->full_flag = strdup(flag_file)) == NULL)
		return -1;
	return 0;
}

int
store_begin(struct store *st)
{
	st->last_rc = 0;	/* a busy of an earlier try is not this one's */
	reset_all(st);
	return tx(st, TX_BEGIN_IMMEDIATE);
}

int
store_commit(struct store *st)
{
	int rc;

	reset_all(st);
	if (test_full(st))
		return -1;
	rc = tx(st, TX_COMMIT);
	if (rc == 0)
		st->commits++;
	/* a level set for this transaction only goes back after it */
	if (rc == 0 && st->relaxed) {
		st->relaxed = 0;
		if (tx(st, st->base_sync) != 0)
			return -1;
	}
	return rc;
}

int
store_savepoint(struct store *st)
{
	return tx(st, TX_SAVEPOINT);
}

int
store_release(struct store *st)
{
	return tx(st, TX_RELEASE);
}

int
store_rollback_to(struct store *st)
{
	reset_all(st);
	return tx(st, TX_ROLLBACK_TO);
}

int
store_read_begin(struct store *st)
{
	st->last_rc = 0;
	return tx(st, TX_BEGIN);
}

void
store_read_end(struct store *st)
{
	reset_all(st);
	if (tx_quiet(st, TX_COMMIT) != 0)
		tx_quiet(st, TX_ROLLBACK);
}

/* SQLite takes the safety level only outside a transaction: it is set
 * before BEGIN and put back after COMMIT or ROLLBACK. */
static int
begin_at(struct store *st, enum tx_id level)
{
	st->last_rc = 0;
	reset_all(st);
	if (level != st->base_sync && tx(st, level) != 0)
		return -1;
	if (tx(st, TX_BEGIN_IMMEDIATE) != 0) {
		tx_quiet(st, st->base_sync);
		return -1;
	}
	st->relaxed = level != st->base_sync;
	return 0;
}

int
store_begin_relaxed(struct store *st)
{
	return begin_at(st, TX_SYNC_NORMAL);
}

void
store_rollback(struct store *st)
{
	reset_all(st);
	tx_quiet(st, TX_ROLLBACK);
	if (st->relaxed) {
		tx_quiet(st, st->base_sync);
		st->relaxed = 0;
	}
}

int
store_step_codes(struct store *st, sqlite3_stmt *s, char (*codes)[DESA_MAX],
    int max)
{
	int rc, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n < max)
			store_col_copy(s, 0, codes[n], DESA_MAX);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	return n;
}
