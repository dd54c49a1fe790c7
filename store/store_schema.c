/* The schema: every migration, in order (store.c applies them). */
#include "store/store_int.h"

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

/* What a bearer holds now (20; made again with the table, 24). */
#define OUTBOX_HELD_INDEX \
	"CREATE INDEX outbox_held ON outbox(modem)" \
	"  WHERE state IN ('sending','accepted');"

#define CENTRAL_CAPTURE(name, tbl_event, t, key) \
	"CREATE TRIGGER central_" name " AFTER " tbl_event \
	" WHEN (SELECT enabled FROM central_state) = 1 BEGIN" \
	"  INSERT INTO central_changes (tbl, key) VALUES ('" t "', " key ");" \
	" END;"

/* (a rebuild after migration 20 adds its outbox_held too, after 21 the
 * central_out_* triggers, after 22 outbox_initiated_sent) */
#define OUTBOX_COLUMNS \
	"id, number, text, purpose, message_id, priority, state, tries," \
	" crash_retries, next_at, created_at, sent_at, parts, modem," \
	" last_error, no_retry, error_class, concat_ref, parts_sent," \
	" delivered_at, reason"

/* The outbox rebuilt with a new set of states, with its indexes and
 * its row_counts triggers: SQLite cannot change a CHECK in place, so the
 * table is copied the way its documentation says (foreign keys are off
 * while migrating: store_open); the counts do not change (12, 19). */
#define OUTBOX_REBUILD(STATES) OUTBOX_REBUILD_CHECK("state IN (" STATES ")")
#define OUTBOX_REBUILD_CHECK(STATE_CHECK) \
	"CREATE TABLE outbox_new (" \
	"  id INTEGER PRIMARY KEY," \
	"  number TEXT NOT NULL," \
	"  text TEXT NOT NULL," \
	"  purpose TEXT NOT NULL," \
	"  message_id INTEGER REFERENCES messages(id)," \
	"  priority INTEGER NOT NULL DEFAULT 0," \
	"  state TEXT NOT NULL CHECK (" STATE_CHECK ")," \
	"  tries INTEGER NOT NULL DEFAULT 0," \
	"  crash_retries INTEGER NOT NULL DEFAULT 0," \
	"  next_at INTEGER NOT NULL," \
	"  created_at INTEGER NOT NULL," \
	"  sent_at INTEGER," \
	"  parts INTEGER," \
	"  modem TEXT," \
	"  last_error TEXT," \
	"  no_retry INTEGER NOT NULL DEFAULT 0," \
	"  error_class TEXT," \
	"  concat_ref INTEGER," \
	"  parts_sent INTEGER NOT NULL DEFAULT 0," \
	"  delivered_at INTEGER," \
	"  reason TEXT" \
	");" \
	"INSERT INTO outbox_new (" OUTBOX_COLUMNS ") SELECT " OUTBOX_COLUMNS \
	"  FROM outbox;" \
	"DROP TABLE outbox;" \
	"ALTER TABLE outbox_new RENAME TO outbox;" \
	OUTBOX_INDEXES \
	COUNT_TRIGGERS("outbox", "out", "purpose", "new.purpose", "old.purpose") \
	"CREATE INDEX outbox_withheld ON outbox(created_at)" \
	"  WHERE state = 'withheld';" \
	"CREATE INDEX outbox_replies ON outbox(number, created_at)" \
	"  WHERE purpose = 'reply' AND state != 'withheld';"

/* Schema versions, applied in order; user_version says how many ran. */
const char *const store_migrations[] = {
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
	 * The table is rebuilt (OUTBOX_REBUILD). The digest counts a day's
	 * withheld replies, and every message from an unregistered number
	 * counts the replies it was sent in the hour: partial indexes, not a
	 * scan of the outbox or of a flood's withheld rows. */
	OUTBOX_REBUILD("'queued','sending','sent','delivered','failed','dead',"
	    "'withheld'"),

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
	"ALTER TABLE records ADD COLUMN review_note TEXT NOT NULL DEFAULT '';",

	/* 16 (#18, the web console): who may sign in, with an Argon2id hash
	 * of their password, and their sessions. A session is kept by the
	 * hash of its id, so a copy of the database lets nobody in. */
	"CREATE TABLE users ("
	"  name TEXT PRIMARY KEY,"
	"  role TEXT NOT NULL CHECK (role IN ('admin','koordinator','camat')),"
	"  kecamatan TEXT NOT NULL DEFAULT '',"
	"  hash TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE TABLE console_sessions ("
	"  id_hash TEXT PRIMARY KEY,"
	"  user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  last_at INTEGER NOT NULL,"
	"  addr TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX console_sessions_by_user ON console_sessions(user);",

	/* 17 (#18, the console's tickets): the list by status, newest first,
	 * and the count of new ones on the day's page, without reading every
	 * ticket when that status is rare. */
	"CREATE INDEX tickets_by_status ON tickets(status, id);",

	/* 18 (#18): the monthly report finds the month's tickets and
	 * closings by time, and a consultation's aspirations are counted
	 * (perdes list, the console's /perdes) without reading every
	 * record: each of these read a whole table per kecamatan. */
	"CREATE INDEX tickets_by_created ON tickets(created_at);"
	"CREATE INDEX ticket_history_closed ON ticket_history(at)"
	"  WHERE status = 'selesai';"
	"CREATE INDEX records_aspirations ON records(perdes, desa)"
	"  WHERE kind = 'aspirasi';"
	/* the day's page: this month's and last month's reports */
	"CREATE INDEX records_by_created ON records(created_at);",

	/* 19 (#20, Kannel as a bearer): a row Kannel took (HTTP 202) is
	 * 'accepted' until a delivery report says the SMSC has it ('sent')
	 * or the phone does ('delivered'). The bearer that sent a row is in
	 * `modem`, which holds a section name ([gammu1], [kannel]): one
	 * namespace for both kinds. An MO from Kannel keeps Kannel's id
	 * (%I), the same on every retry of smsbox: unique per bearer, so a
	 * retry after a lost answer stores nothing twice. */
	OUTBOX_REBUILD("'queued','sending','accepted','sent','delivered',"
	    "'failed','dead','withheld'")
	"ALTER TABLE sms_in ADD COLUMN kannel_id TEXT;"
	"CREATE UNIQUE INDEX sms_in_kannel_id ON sms_in(modem, kannel_id)"
	"  WHERE kannel_id IS NOT NULL;",

	/* 20 (#20, one routing table): `status` shows each bearer's failed
	 * sends today beside its sent ones, and what it holds now (sending,
	 * or taken by Kannel and not yet confirmed by the SMSC), read from
	 * an index that holds only those rows. */
	"ALTER TABLE modem_days ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;"
	OUTBOX_HELD_INDEX,

	/* 21 (#21, the central database): every insert or change of a
	 * message (in or out), record, ticket or contact is captured by
	 * these triggers in the transaction of the change itself, while
	 * [central] is on (central_state.enabled). seq only grows
	 * (AUTOINCREMENT: never reused after the pushed rows are deleted):
	 * it is the version central keeps, and the pusher's position. */
	"CREATE TABLE central_changes ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  tbl TEXT NOT NULL,"	/* in, out, records, tickets, contacts, villages */
	"  key TEXT NOT NULL"
	");"
	"CREATE TABLE central_state ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  enabled INTEGER NOT NULL DEFAULT 0,"
	"  site TEXT NOT NULL DEFAULT '',"
	"  hash_key BLOB,"		/* the numbers' HMAC key, never pushed */
	"  pushed_seq INTEGER NOT NULL DEFAULT 0,"
	"  last_push_at INTEGER NOT NULL DEFAULT 0,"
	"  backlog INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  error_since INTEGER NOT NULL DEFAULT 0,"
	"  updated_at INTEGER NOT NULL DEFAULT 0"
	");"
	"INSERT INTO central_state (id) VALUES (1);"
	CENTRAL_CAPTURE("in_insert", "INSERT ON messages", "in", "new.id")
	CENTRAL_CAPTURE("in_update", "UPDATE ON messages", "in", "new.id")
	CENTRAL_CAPTURE("out_insert", "INSERT ON outbox", "out", "new.id")
	CENTRAL_CAPTURE("out_update", "UPDATE ON outbox", "out", "new.id")
	CENTRAL_CAPTURE("records_insert", "INSERT ON records", "records",
	    "new.id")
	CENTRAL_CAPTURE("records_update", "UPDATE ON records", "records",
	    "new.id")
	CENTRAL_CAPTURE("tickets_insert", "INSERT ON tickets", "tickets",
	    "new.id")
	CENTRAL_CAPTURE("tickets_update", "UPDATE ON tickets", "tickets",
	    "new.id")
	/* a note, or the change to selesai that closed_at reads */
	CENTRAL_CAPTURE("history_insert", "INSERT ON ticket_history",
	    "tickets", "new.ticket_id")
	CENTRAL_CAPTURE("contacts_insert", "INSERT ON contacts", "contacts",
	    "new.number")
	CENTRAL_CAPTURE("contacts_update", "UPDATE ON contacts", "contacts",
	    "new.number")
	CENTRAL_CAPTURE("contacts_delete", "DELETE ON contacts", "contacts",
	    "old.number")
	CENTRAL_CAPTURE("contact_desa_insert", "INSERT ON contact_desa",
	    "contacts", "new.number")
	CENTRAL_CAPTURE("contact_desa_delete", "DELETE ON contact_desa",
	    "contacts", "old.number")
	/* the village list (a name the report shows, a kecamatan it lists
	 * in full): imported again, only what differs */
	CENTRAL_CAPTURE("villages_insert", "INSERT ON villages", "villages",
	    "new.code")
	"CREATE TRIGGER central_villages_update AFTER UPDATE ON villages"
	"  WHEN (SELECT enabled FROM central_state) = 1 AND (old.name IS NOT"
	"  new.name OR old.kecamatan IS NOT new.kecamatan OR old.kabupaten IS"
	"  NOT new.kabupaten OR old.provinsi IS NOT new.provinsi) BEGIN"
	"  INSERT INTO central_changes (tbl, key) VALUES ('villages', new.code);"
	"  END;"
	/* a ticket shows its record's village, Perdes and text */
	"CREATE TRIGGER central_record_tickets AFTER UPDATE OF desa, perdes,"
	"  isi ON records WHEN (SELECT enabled FROM central_state) = 1 BEGIN"
	"  INSERT INTO central_changes (tbl, key) SELECT 'tickets', id"
	"  FROM tickets WHERE record_id = new.id; END;",

	/* 22: the sending policy's count of the hour's initiated SMS reads
	 * only those rows (a site's outbox keeps months; a scan of it for
	 * each dispatch round of a broadcast was most of its cost) */
	"CREATE INDEX outbox_initiated_sent ON outbox(sent_at)"
	"  WHERE purpose != 'reply' AND state IN ('accepted','sent','delivered');",

	/* 23 (#22, APBDES and PANTAU): the budget the office enters, its
	 * activities, and every observation of their progress (kept: the
	 * figures are read from them, a number's latest counting) */
	"CREATE TABLE apbdes ("
	"  desa TEXT NOT NULL,"
	"  tahun INTEGER NOT NULL,"
	"  pendapatan INTEGER NOT NULL,"
	"  belanja INTEGER NOT NULL,"
	"  dana_desa INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (desa, tahun)"
	") WITHOUT ROWID;"
	"CREATE TABLE kegiatan ("
	"  id INTEGER PRIMARY KEY,"
	"  desa TEXT NOT NULL,"
	"  tahun INTEGER NOT NULL,"
	"  kode TEXT NOT NULL,"
	"  nama TEXT NOT NULL,"
	"  anggaran INTEGER NOT NULL,"
	"  sumber TEXT NOT NULL,"
	"  mulai TEXT NOT NULL DEFAULT '',"
	"  selesai TEXT NOT NULL DEFAULT '',"
	"  updated_at INTEGER NOT NULL,"
	/* when villagers and the verified progress began to differ (report
	 * kegiatan's selisih), for the digest; NULL while they agree */
	"  flagged_at INTEGER,"
	"  UNIQUE (desa, tahun, kode)"
	");"
	"CREATE INDEX kegiatan_flagged ON kegiatan(flagged_at)"
	"  WHERE flagged_at IS NOT NULL;"
	"CREATE TABLE pantau ("
	"  id INTEGER PRIMARY KEY,"
	"  kegiatan_id INTEGER NOT NULL REFERENCES kegiatan(id),"
	"  message_id INTEGER REFERENCES messages(id),"
	"  number TEXT NOT NULL,"
	"  resmi INTEGER NOT NULL CHECK (resmi IN (0, 1)),"
	"  persen INTEGER NOT NULL CHECK (persen BETWEEN 0 AND 100),"
	"  catatan TEXT NOT NULL DEFAULT '',"
	"  sent_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE INDEX pantau_kegiatan ON pantau(kegiatan_id, resmi, sent_at);",

	/* 24: SQLite builds a temporary b-tree for an IN list of more than
	 * two constants each time a statement runs, and the outbox's CHECK
	 * and outbox_initiated_sent's WHERE ran three of them on every
	 * change of a row (four changes an SMS through Kannel; a sixth of
	 * each change's cost): the same sets as OR chains. The table is
	 * rebuilt for its CHECK (with what 20-22 added to it). */
	OUTBOX_REBUILD_CHECK("state = 'queued' OR state = 'sending' OR"
	    " state = 'accepted' OR state = 'sent' OR state = 'delivered' OR"
	    " state = 'failed' OR state = 'dead' OR state = 'withheld'")
	OUTBOX_HELD_INDEX
	CENTRAL_CAPTURE("out_insert", "INSERT ON outbox", "out", "new.id")
	CENTRAL_CAPTURE("out_update", "UPDATE ON outbox", "out", "new.id")
	"CREATE INDEX outbox_initiated_sent ON outbox(sent_at)"
	"  WHERE purpose != 'reply' AND " OUTBOX_TAKEN ";"
};

const int store_nmigrations =
    (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
