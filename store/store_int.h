/* Internal to store/: the handle and the prepared-statement cache. */
#ifndef KENTONGAN_STORE_INT_H
#define KENTONGAN_STORE_INT_H

#include <sqlite3.h>
#include "store/store.h"

/* Every statement the store runs, by name; the SQL is in store_sql.c. */
enum stmt_id {
	Q_SMS_INSERT,
	Q_SMS_LINK,
	Q_PART_COUNT,
	Q_PART_TEXTS,
	Q_PARTS_JOIN,
	Q_PARTS_EXPIRED,
	Q_PART_COPY_OF,
	Q_PART_SET_PICK,
	Q_PART_PLACE,
	Q_MSG_INSERT,
	Q_MSG_RECEIVED,
	Q_MSG_GET,
	Q_MSG_DONE,
	Q_CONTACT_GET,
	Q_CONTACT_PUT,
	Q_RECORD_INSERT,
	Q_TICKET_NEXT,
	Q_TICKET_INSERT,
	Q_TICKET_HISTORY,
	Q_TICKET_GET,
	Q_RECORD_GET,
	Q_RECORD_REVIEW,
	Q_RECORD_SAME,
	Q_RECORD_SUCCESSOR,
	Q_RECORD_REPOINT,
	Q_RECORD_MARK_REPEAT,
	Q_CONTACT_CONSENT,
	Q_CONTACT_CONSENT_GET,
	Q_MSG_SENT_AT,
	Q_CONTACT_OPTED_OUT,
	Q_VILLAGE_PUT,
	Q_VILLAGE_COUNT,
	Q_VILLAGE_BY_CODE,
	Q_VILLAGE_BY_NAME,
	Q_CONTACT_RENAME,
	Q_CONTACT_DESA_CLEAR,
	Q_CONTACT_DESA_ADD,
	Q_CONTACT_DESA_PRIMARY,
	Q_CONTACT_HAS_DESA,
	Q_CONTACT_DESA_FIRST,
	Q_CONTACT_DESA_LIST,
	Q_CONTACT_CONSENT_KEEP,
	Q_CONTACT_REMOVE,
	Q_VILLAGE_PREFIX,
	Q_KECAMATANS,
	Q_TICKET_SET,
	Q_PERDES_OPEN,
	Q_PERDES_CLOSE,
	Q_PERDES_FIND,
	Q_PERDES_CODES,
	Q_OUTBOX_INSERT,
	Q_OUTBOX_WITHHOLD,
	Q_OUTBOX_SENDING,
	Q_OUTBOX_SENT,
	Q_OUTBOX_FAILED,
	Q_OUTBOX_DEAD,
	Q_OUTBOX_RECOVER,
	Q_OUTBOX_RECOVER_DEAD,
	Q_REPLIES_SINCE,
	/* dispatch, parts, reports, modems (store_outbox.c, store_modems.c) */
	Q_OBX_DUE,
	Q_OBX_TEXT,
	Q_OBX_NEXT_DUE,
	Q_OBX_PART,
	Q_OBX_PARTS_SENT,
	Q_OBX_PERMANENT,
	Q_OBX_LOCAL,
	Q_OBX_UNCERTAIN,
	Q_OBX_CLASS,
	Q_OBX_SETTLE_FAIL,
	Q_OBX_SETTLE_OK,
	Q_RPT_INFO,
	Q_RPT_MATCH,
	Q_RPT_PART,
	Q_MODEM_PUT,
	Q_MODEM_CREDIT,
	Q_MODEM_CREDIT_LOW,
	Q_MODEM_LIST,
	Q_QUEUE_DEPTHS,
	Q_ALARM_COORD,
	Q_OBX_STATE,
	Q_OBX_ACCEPTED,
	Q_OBX_DLR,
	Q_OBX_ACCEPTED_DAY,
	Q_OBX_STATE_ON,
	Q_OBX_FAILED_DAY,
	/* the central database (store_central.c) */
	Q_CEN_CHANGES,
	Q_CEN_BACKLOG,
	Q_CEN_IN,
	Q_CEN_OUT,
	Q_CEN_RECORDS,
	Q_CEN_TICKETS,
	Q_CEN_CONTACTS,
	Q_CEN_VILLAGES,
	Q_CEN_PRUNE,
	Q_CEN_PUSHED,
	Q_CEN_FAILED,
	Q_CEN_STATUS,
	/* USSD sessions and meetings (store_ussd.c) */
	Q_USSD_GET,
	Q_USSD_PUT,
	Q_USSD_ACTION_GET,
	Q_USSD_ACTION_PUT,
	Q_USSD_STALE_ANY,
	Q_USSD_PURGE_ACTIONS,
	Q_USSD_PURGE_SESSIONS,
	Q_MSG_INSERT_CHANNEL,
	Q_MEETING_ADD,
	Q_MEETINGS_NEXT,
	Q_PERDES_LIST_OPEN,
	Q_MEETINGS_TO_REMIND,
	Q_MEETING_REMINDED,
	Q_MEETING_GET,
	Q_MEETINGS_BETWEEN,
	Q_MEETING_CANCEL,
	Q_MEETING_CHANGE,
	Q_MEETING_SMS_ADD,
	Q_MEETING_TOLD,
	Q_MEETING_DROP,
	Q_TICKET_DESA_OF,
	Q_TICKET_MOVE,
	Q_PERDES_ASPIRANTS,
	/* reminders, digest, broadcasts (store_notify.c) */
	Q_REMINDER_LAST,
	Q_REMINDER_FIRED,
	Q_RECIPIENTS,
	Q_OUTBOX_AT,
	Q_DIGEST,
	Q_MEETING_PEOPLE,
	Q_BROADCAST_TO,
	Q_KECAMATAN_FIND,
	Q_SAME_TEXT,
	Q_SAME_ERROR,
	Q_POLICY_COUNTS,
	Q_POLICY_TODAY,
	Q_OUTBOX_HOLD,
	Q_OUTBOX_DROP,
	/* the web console's users and sessions (store_users.c) */
	Q_USER_EXISTS,
	Q_USER_PUT,
	Q_USER_GET,
	Q_USER_REMOVE,
	Q_USERS_LIST,
	Q_SESSION_ADD,
	Q_SESSION_GET,
	Q_SESSION_TOUCH,
	Q_SESSION_REMOVE,
	Q_SESSIONS_OF_USER,
	Q_SESSIONS_EXPIRE,
	/* the village budget and PANTAU (store_budget.c) */
	Q_APBDES_PUT,
	Q_APBDES_GET,
	Q_KEGIATAN_PUT,
	Q_KEGIATAN_GET,
	Q_KEGIATAN_BY_ID,
	Q_KEGIATAN_OF,
	Q_PANTAU_ADD,
	Q_PROGRES_RESMI,
	Q_PROGRES_WARGA,
	Q_KEGIATAN_FLAG,
	Q__COUNT
};

/* Transaction control, run on every request: prepared once, not parsed
 * each time as sqlite3_exec would. */
enum tx_id {
	TX_BEGIN, TX_BEGIN_IMMEDIATE, TX_COMMIT, TX_ROLLBACK, TX_SAVEPOINT,
	TX_RELEASE, TX_ROLLBACK_TO, TX_SYNC_NORMAL, TX_SYNC_FULL, TX__COUNT
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[Q__COUNT];
	sqlite3_stmt *tx[TX__COUNT];
	struct store_checkpointer *checkpointer;	/* NULL: SQLite's own */
	struct store_syncer *syncer;	/* NULL: each commit syncs itself */
	unsigned long commits;		/* store_commit()s that succeeded */
	enum tx_id base_sync;		/* TX_SYNC_FULL, NORMAL with a syncer */
	int last_rc;
	int relaxed;		/* this transaction's level is not base_sync */
	int check_failed;	/* the integrity check on open said no */
	long long data_version;	/* PRAGMA data_version, last read */
	char *full_flag;	/* test hook: commits fail while this file is there */
	char err[256];
};

extern const char *const store_sql[Q__COUNT];

/* An activity as struct kegiatan holds it, and the order people read
 * codes in: by their letters, then by number (K2 before K10). */
#define KEGIATAN_COLS	"id, desa, tahun, kode, nama, anggaran, sumber," \
	" mulai, selesai, COALESCE(flagged_at, 0)"
#define KEGIATAN_ORDER	"rtrim(kode, '0123456789'), CAST(substr(kode," \
	" length(rtrim(kode, '0123456789')) + 1) AS INTEGER), kode"

/* An outbox row a bearer took: the WHERE of the index outbox_initiated_sent
 * (migration 24), which a query names exactly to use it. An OR chain,
 * not IN: an IN list of more than two constants is a temporary b-tree
 * each time a statement runs. */
#define OUTBOX_TAKEN	"(state = 'accepted' OR state = 'sent' OR" \
	" state = 'delivered')"

/* A time (Unix seconds) as the exports show it: local, to the second. */
#define LOCALTIME(col) "strftime('%Y-%m-%d %H:%M:%S', " col \
	", 'unixepoch', 'localtime')"

/* fn(arg, number, "", desa) for the number in column 0 of each row of
 * the bound statement s; returns how many, or -1. */
int store_each_number(struct store *, sqlite3_stmt *s, const char *desa,
    recipient_fn fn, void *arg);
/* Run a transaction-control statement; quiet: not noted as a failure. */
int tx_run(struct store *, enum tx_id, int quiet);

/* The prepared statement for id, reset and with bindings cleared. */
sqlite3_stmt *store_stmt(struct store *, enum stmt_id);
/* Run statement id, an UPDATE of row ?1 at time ?2. Returns 0 or -1. */
int store_mark_at(struct store *, enum stmt_id, long long id, long long at);
/* Note an SQLite failure; always returns -1. */
/* store_schema.c: the migrations, applied in order; PRAGMA user_version
 * says how many ran. */
extern const char *const store_migrations[];
extern const int store_nmigrations;
/* Run migrations[user_version..n) in one transaction: 0, or -1 with the
 * file unchanged. store_open runs store_migrations; the unit test of a
 * failed upgrade runs a list of its own. */
int store_migrate(struct store *, const char *const *migrations, int n);

int store_fail(struct store *, int rc);
/* Bind a C string, NULL as SQL NULL. */
int store_bind_text(sqlite3_stmt *, int idx, const char *);
/* Step s to its end, copying column 0 of the first max rows into codes;
 * how many rows, or -1. s is reset either way. */
int store_step_codes(struct store *, sqlite3_stmt *s, char (*codes)[DESA_MAX],
    int max);
/* Run sql (prepared each time: the console's reads, not a hot path)
 * with text parameters ?1..?n, calling fn once per row (row from 1) with
 * every column as text ("" for NULL). Returns the rows, or -1. */
int store_rows(struct store *, const char *sql, const char *const *params,
    int n, export_row_fn fn, void *arg);
/* Copy column col as text into dst (cap bytes), "" for NULL. */
void store_col_copy(sqlite3_stmt *, int col, char *dst, size_t cap);

#endif
