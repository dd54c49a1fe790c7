/*
 * store: Kentongan's SQLite file. It is the queue: every inbound SMS, every
 * message, record, ticket and reply is a row with a named state, so a
 * restart resumes from the rows. All SQL lives in store/; callers see an
 * opaque handle and plain structs. Times are Unix seconds (UTC).
 */
#ifndef KENTONGAN_STORE_H
#define KENTONGAN_STORE_H

#include <stddef.h>

struct store;

#define STORE_CREATE	0x1	/* create it when neither it nor a journal exists */
#define STORE_CHECK	0x2	/* run a quick integrity check on open */

#define NUMBER_MAX	64
#define DESA_MAX	128

/* Whether another connection (a CLI command: a broadcast, an import)
 * committed since the last call; reads only SQLite's shared memory. */
int store_changed_elsewhere(struct store *);
/* Whether this connection changed a row since it opened: a command that
 * wrote wakes the daemon (gateway/util/wake.h). */
int store_wrote(struct store *);

/* Open (and migrate) the database. On error returns NULL, detail in err. */
struct store *store_open(const char *path, int flags, char *err, size_t errlen);
/* What store_open would do about a missing file: 1 make a new database, 0
 * open the one there, -1 refuse (detail in err). Touches nothing. */
int store_may_create(const char *path, int flags, char *err, size_t errlen);
void store_close(struct store *);
const char *store_errmsg(struct store *);
/* 1 when SQLite opened the file read-only (its mode, or a read-only
 * file system): every write will fail. */
int store_readonly(struct store *);
/* 1 when the last failure was a full disk (SQLITE_FULL / ENOSPC). */
int store_last_was_full(struct store *);
/*
 * 1 when the last failure was another connection's write lock (the
 * office's CLI in a long transaction) held past the busy timeout: nothing
 * was written, and the same write may simply be tried again later.
 */
int store_last_was_busy(struct store *);
/* How long a write waits for another connection's lock before it fails
 * busy. store_open sets 5 s, which suits the CLI; the daemon's loop must
 * not wait, so it sets a few ms and retries on a timer instead. */
void store_set_busy_timeout(struct store *, int ms);
/* Test hook: while flag_file exists, every commit fails with SQLITE_FULL.
 * NULL turns it off. Only the daemon sets it, from its environment. */
int store_test_disk_full(struct store *, const char *flag_file);
/* Test hook: while flag_file exists, the sync thread's fdatasync counts as
 * failed with EIO (as a dying disk reports it). Needs the sync thread. */
int store_test_sync_fails(struct store *, const char *flag_file);

/*
 * Move WAL checkpoints off the caller's thread: a thread with its own
 * connection copies the WAL into the database once it holds 1,000 pages,
 * so no commit of ours ever does that work (the daemon's event loop must
 * not wait for it). store_close() stops it. figures: checkpoints run, and
 * the WAL frames and frames copied at the last one; returns its SQLite
 * result code, or -1 when no checkpointer runs.
 */
int store_checkpoint_in_background(struct store *);
void store_checkpoint_stop(struct store *);
int store_checkpoint_figures(struct store *, long *runs, int *wal_frames,
    int *copied);

/*
 * Move the wait for the disk off the caller's thread: commits stop syncing
 * the WAL themselves and a thread does it on store_sync_request(). A
 * commit is on disk once store_durable() reaches the store_commits() that
 * followed it. Returns a descriptor that becomes readable after each sync
 * (the caller reads it empty; it is non-blocking), or -1. Without it, every commit is durable
 * when it returns. store_close() makes what was committed durable first.
 * error: the errno of the last failed attempt, else 0. broken: the errno
 * of an fdatasync that failed; the thread then never syncs again (Linux
 * reports a lost write once: a later success would prove nothing), so no
 * further commit becomes durable and the caller must stop.
 */
int store_sync_in_background(struct store *);
void store_sync_stop(struct store *);
unsigned long store_commits(struct store *);
void store_sync_request(struct store *);
/* The same for writes made outside store_begin/commit (autocommit
 * statements, e.g. a send's result): sync everything written so far. */
void store_sync_written(struct store *);
unsigned long store_durable(struct store *, int *error, int *broken);

int store_begin(struct store *);
int store_commit(struct store *);
/* A transaction that does not wait for the disk (WAL, synchronous=NORMAL):
 * for rows a power cut may lose without harm, e.g. a USSD session's last
 * screen. The next full commit makes them durable too. Ended by
 * store_commit() or store_rollback(), which put the level back. */
int store_begin_relaxed(struct store *);
/* Make every relaxed commit so far durable: fdatasync the WAL, as a full
 * commit would (a bulk import syncs once at its end, not under the lock
 * at each batch). 0, or -1 with the reason in store_errmsg. */
int store_sync_wal(struct store *);
/* A savepoint inside a transaction: release keeps what was done since,
 * rollback_to undoes it (the savepoint stays until released). */
int store_savepoint(struct store *);
int store_release(struct store *);
int store_rollback_to(struct store *);
/* One read snapshot for several lookups: cheaper than one each. */
int store_read_begin(struct store *);
void store_read_end(struct store *);
void store_rollback(struct store *);

/* ---- inbound ------------------------------------------------------- */

/* Sender classes, from the phone normaliser. */
enum sender_class { SENDER_NUMBER, SENDER_SHORT, SENDER_ALNUM, SENDER_INVALID };

/* One SMS (or one part of a long SMS) as read from a modem. */
struct sms_in {
	const char *modem;
	const char *number;	/* normalised (E.164 when a number) */
	const char *number_raw;
	enum sender_class sender_class;
	long long smsc_time;
	long long received_at;
	const char *coding;	/* "gsm7", "ucs2", "8bit" */
	const char *text;	/* UTF-8 */
	size_t text_len;
	int concat_ref, concat_total, concat_seq;	/* 0 when single */
	int is_report;		/* an SMS-STATUS-REPORT */
	int report_ref, report_status;
	int is_binary;
	const char *kannel_id;	/* Kannel's %I; NULL from a modem */
};

/*
 * Store one SMS read from the modem. Returns 1 when new, 0 when it was
 * already stored (a second read of the same SMS), -1 on error. A single SMS,
 * or the part that completes a long one, also creates a message row in
 * state "received"; its id goes to *message_id (else 0).
 */
int store_sms_add(struct store *, const struct sms_in *, long long *message_id);

/* Join every set of parts whose first part arrived before cutoff into an
 * incomplete message. Returns the number of messages made, or -1. */
int store_parts_expire(struct store *, long long cutoff, long long now);

/* An inbound message, joined. Strings are owned by the struct. */
struct message {
	long long id;
	char number[NUMBER_MAX];
	char number_raw[NUMBER_MAX];
	enum sender_class sender_class;
	long long received_at;
	long long smsc_time;	/* when it was sent (first part); 0: unknown */
	int parts, incomplete, is_report, is_binary;
	char channel[8];
	char *text;
	size_t text_len;
};

void message_free(struct message *);

/* Ids of messages waiting to be processed (state "received"), oldest first. */
int store_messages_received(struct store *, long long *ids, int max);
int store_message_get(struct store *, long long id, struct message *);
/* Move a message to its final state ("processed", "rejected", "ignored"). */
int store_message_done(struct store *, long long id, const char *state,
    const char *kind, const char *error, const char *note, long long now);

/* ---- contacts ------------------------------------------------------ */

struct contact {
	char number[NUMBER_MAX];
	char number_raw[NUMBER_MAX];
	char name[128];
	char role[16];		/* pendamping, koordinator, warga */
	char desa[DESA_MAX];
	int opted_out;
};

/* Returns 1 found, 0 not found, -1 error. */
int store_contact_get(struct store *, const char *number, struct contact *);
/* Insert or update; the contact's villages become just c->desa. An
 * existing contact keeps its opted_out: only store_contact_consent
 * (BERHENTI, MULAI from that number) or store_contact_opt_out changes it. */
int store_contact_put(struct store *, const struct contact *, long long now);
/* Change only a contact's name. */
int store_contact_rename(struct store *, const char *number, const char *name,
    long long now);
/* Replace the villages assigned to a contact (a pendamping has several);
 * the first also becomes contacts.desa. */
int store_contact_set_desa(struct store *, const char *number,
    const char *const *codes, int n);
/* 1 when the village is assigned to the contact, 0 if not, -1 error. */
int store_contact_has_desa(struct store *, const char *number,
    const char *code);
/* How many villages the contact has (0, 1, or 2 for "more than one");
 * with exactly one, its code goes to code. -1 on error. */
int store_contact_only_desa(struct store *, const char *number, char *code,
    size_t cap);
/* The contact's villages, its first (contacts.desa) first: how many (at
 * most max go to codes), or -1. */
int store_contact_desa_list(struct store *, const char *number,
    char (*codes)[DESA_MAX], int max);
/* Remove a contact and its villages; its messages, records and tickets
 * stay, and so does its BERHENTI or MULAI, for when the number comes
 * back. 1 removed, 0 no such contact, -1 error. */
int store_contact_remove(struct store *, const char *number);

/* The keys of an import's rows (store_import.c), kept on disk, not in
 * memory, to find one that a file holds twice. */
struct import_keys;
struct import_keys *store_import_keys_open(struct store *);
/* 1 when key is new (noted at line), 0 when noted already (*first_line
 * gets where), -1 on error. */
int store_import_key(struct import_keys *, const char *key, int line,
    int *first_line);
void store_import_keys_close(struct import_keys *);

/* ---- villages ------------------------------------------------------ */

struct village {
	char code[16];		/* 33.22.01.2005 */
	char name[128];
	char kecamatan[128];
	char kabupaten[128];
	/* how near the person who typed it: VILLAGE_OWN, VILLAGE_NEAR
	 * (the kecamatan of one of theirs), VILLAGE_IN_AREA, or 0 */
	int closeness;
};

enum { VILLAGE_IN_AREA = 1, VILLAGE_NEAR, VILLAGE_OWN };

/* Insert or update one village (inside the caller's transaction). */
int store_village_put(struct store *, const char *code, const char *name,
    const char *kecamatan, const char *kabupaten, const char *provinsi);
/* How many villages are known. */
long long store_village_count(struct store *);
/* 1 when a village's code starts with prefix ("33.22"), 0 if none, -1
 * on error. */
int store_village_prefix_known(struct store *, const char *prefix);

enum village_match { VILLAGE_UNKNOWN, VILLAGE_FOUND, VILLAGE_AMBIGUOUS,
	VILLAGE_AS_TYPED };

/* Where a typed village name is looked for, nearest first. */
struct village_scope {
	const char *number;	/* whoever typed it: their villages come first;
				 * NULL for the office */
	const char *area;	/* code prefixes the gateway serves, blank
				 * separated ("33.22 33.23.01"); NULL or "" */
};

/* What a typed village turned out to be. */
struct village_pick {
	struct village v;	/* VILLAGE_FOUND: the village */
	int total;		/* villages with that name anywhere */
	int choices;		/* VILLAGE_AMBIGUOUS: how many the nearest step
				 * found; they come first in cand */
	struct village *cand;	/* the caller's buffer (or NULL): every match,
				 * nearest first */
	int cand_max;
	int ncand;		/* how many were put in cand */
};

/*
 * The one rule every channel (SMS, USSD, the office) follows for a typed
 * village. A code (33.22.01.2005, dots optional) is that village. A name
 * is compared by letters and digits only, case-insensitively ("suka maju"
 * finds "Sukamaju"), in steps: the villages of scope->number, then the
 * kecamatan of those, then those inside scope->area, then everywhere. The
 * first step with exactly one match gives the village; otherwise the
 * first step with several makes it VILLAGE_AMBIGUOUS, those several being
 * the choices. With no village list imported at all nothing can be
 * checked, so what was typed is the village (VILLAGE_AS_TYPED; p->v stays
 * empty, the caller keeps typed). scope may be NULL. Returns the match or
 * -1 on error.
 */
int store_village_pick(struct store *, const char *typed,
    const struct village_scope *, struct village_pick *p);

/* The village with this code; 1 found, 0 not, -1 error. */
int store_village_get(struct store *, const char *code, struct village *);

/* A kecamatan as the village list names it. */
struct kecamatan {
	char code[16];		/* 33.22.01: its villages' codes start so */
	char name[128];
	char kabupaten[128];
};

/* fn once for every kecamatan of the village list, by code; fn returns
 * non-zero to stop. Returns 0 or -1. */
int store_kecamatans(struct store *,
    int (*fn)(void *arg, const struct kecamatan *), void *arg);

/* The key names are compared by: upper-case letters and digits only. */
void village_name_key(const char *name, char *out, size_t cap);

/* ---- records and tickets ------------------------------------------- */

struct record {
	long long message_id;
	const char *kind;	/* rapat, kader, aduan, ... */
	const char *number;
	const char *desa;	/* resolved code, or as typed if unresolved */
	const char *desa_input;	/* as typed */
	const char *tanggal;
	const char *jenis;
	int laki, perempuan, jumlah;
	const char *topik, *catatan, *isi, *perdes;
	const char *state;	/* counted, not_counted */
	/* "" or words: desa_not_assigned, not_registered, duplicate */
	const char *flags;
	long long duplicate_of;	/* the report it repeats (0: none) */
	long long created_at;
};

/* Insert a record; its id (the R-<n> number) goes to *id. */
int store_record_add(struct store *, const struct record *, long long *id);
/* The earlier counted report r repeats (same sender, kind, village, date
 * and, a RAPAT, type): its id, 0 when none, -1 on error. */
long long store_record_same(struct store *, const struct record *r);

/* Open a ticket ("ADU" or "ASP") for a record; its number goes to *seq. */
int store_ticket_add(struct store *, const char *type, long long record_id,
    const char *number, long long now, long long *seq);

/* A ticket as STATUS shows it. */
/* The longest note the office may put on a ticket, in characters: STATUS
 * shows it whole (TICKET_STATUS_PARTS SMS), which one SMS could not. */
#define TICKET_NOTE_MAX		300
#define TICKET_STATUS_PARTS	3

struct ticket {
	char number[NUMBER_MAX];	/* who filed it */
	char status[16];
	char note[TICKET_NOTE_MAX * 4 + 1];	/* the last note, "" if none */
	char desa[DESA_MAX];
};

/* Look up ADU-<seq> / ASP-<seq>. Returns 1 found, 0 not found, -1 error. */
int store_ticket_get(struct store *, const char *type, long long seq,
    struct ticket *);
/* Set a ticket's status with a note (history kept); desa, when not NULL,
 * moves it to that village (the history keeps the one it had). Returns 1
 * done, 0 no such ticket, -1 error. */
int store_ticket_update(struct store *, const char *type, long long seq,
    const char *status, const char *note, const char *desa, long long now);

/* ---- Perdes consultations ------------------------------------------ */

struct perdes {
	char code[16];
	char desa[16];
	char title[256];
	char until[16];		/* YYYY-MM-DD, the last day */
	char state[8];		/* open, closed */
};

/* Open (or reopen) consultation code for a village. */
int store_perdes_open(struct store *, const char *code, const char *desa,
    const char *title, const char *until, long long now);
/* Close code in desa (every village's code when desa is NULL); the
 * villages closed go to closed (the first max of them). Returns how many
 * were closed, or -1. */
int store_perdes_close(struct store *, const char *code, const char *desa,
    long long now, char (*closed)[DESA_MAX], int max);
/* The consultation code open on today (YYYY-MM-DD) for desa. Returns 1 and
 * fills p, 0 when none, -1 on error. With desa NULL: 1 only when exactly one
 * village has it open. */
int store_perdes_find_open(struct store *, const char *code, const char *desa,
    const char *today, struct perdes *p);
/* Consultations open on today in desa, at most max; returns how many. */
int store_perdes_list_open(struct store *, const char *desa, const char *today,
    struct perdes *, int max);
/* Codes open on today in desa, joined with ", " into out ("" if none). */
int store_perdes_open_codes(struct store *, const char *desa,
    const char *today, char *out, size_t cap);
/* fn once for every number that sent an aspiration (not withdrawn) to
 * consultation code of desa, with how many aspirations it got in all;
 * returns how many numbers, or -1. */
int store_perdes_aspirants(struct store *, const char *code, const char *desa,
    int (*fn)(void *arg, const char *number, int total), void *arg);

/* A record as BATAL and the office's review need it. */
struct record_info {
	char number[NUMBER_MAX];
	char kind[16];
	char state[16];
	long long created_at;
	char desa[DESA_MAX];
	char tanggal[16];
	char jenis[16];
	char flags[128];
	long long duplicate_of;
	char review_note[256];
};

/* Returns 1 found, 0 not found, -1 error. */
int store_record_get(struct store *, long long id, struct record_info *);
/* Mark record id withdrawn (BATAL). Returns 0 or -1. */
int store_record_withdraw(struct store *, long long id, long long now);
/* The office's decision on record id: state "counted" or "withdrawn",
 * with a note (the reason). Returns 1 changed, 0 it was in that state
 * already (or no such record), -1 on error. */
int store_record_review(struct store *, long long id, const char *state,
    const char *note, long long now);
/*
 * Record id was withdrawn: the first report that repeats it (flagged
 * duplicate and nothing else) counts in its place, and the other repeats
 * of id now repeat that one. Returns its id, 0 when none, -1 on error.
 */
long long store_record_succeed(struct store *, long long id, long long now);
/* Waiting report id repeats counted report of: flag it duplicate of it.
 * Returns 1 flagged, 0 not waiting or flagged already, -1 on error. */
int store_record_mark_repeat(struct store *, long long id, long long of);

/* Set or clear a number's opt-out as of now; a number not yet known
 * becomes a warga contact. */
int store_contact_opt_out(struct store *, const char *number,
    const char *number_raw, int opted_out, long long now);
/*
 * BERHENTI (opted_out 1) or MULAI (0) from number, sent at sent_at (its
 * SMSC time): applied unless one sent later was applied already, so the
 * one sent last stands whatever order the SIM gives them in. Returns 1
 * applied, 0 not, -1 on error; *stands and *stands_at (either may be NULL)
 * get the state that holds and when the command behind it was sent.
 */
int store_contact_consent(struct store *, const char *number,
    const char *number_raw, int opted_out, long long sent_at, long long now,
    int *stands, long long *stands_at);
/* When message id was sent: the SMSC time of its first part; 0 when
 * none is known (a USSD message, an SMS without one); -1 on error. */
long long store_message_sent_at(struct store *, long long id);
/* 1 when number sent BERHENTI (and no MULAI since), 0 when not or unknown,
 * -1 on error. */
int store_contact_opted_out(struct store *, const char *number);

/* Queue text as a broadcast to every contact of a role group (SEMUA,
 * PENDAMPING, KOORDINATOR, WARGA, any case) that has not opted out,
 * except the sender. Returns how many were queued, or -1. */
int store_broadcast(struct store *, const char *group, const char *text,
    const char *sender, long long now);

#include "store/store_outbox.h"

/* ---- exports ------------------------------------------------------- */

enum export_kind { EXPORT_RECORDS, EXPORT_MESSAGES, EXPORT_TICKETS,
    EXPORT_CONTACTS, EXPORT_PERDES, EXPORT_ASPIRATIONS, EXPORT_HISTORY,
    EXPORT_REPORT, EXPORT_REPORT_PERDES, EXPORT_SILENT, EXPORT_COUNTS,
    EXPORT_REPORT_KECAMATAN, EXPORT_REPORT_REVIEW, EXPORT_REVIEW_LIST,
    EXPORT_REPORT_TOTALS };

/* Filters an export may take; NULL/0 means none. */
struct export_filter {
	long long from, to;	/* Unix seconds, [from, to) */
	const char *status;	/* tickets */
	const char *desa;	/* tickets: a village code */
	const char *code;	/* aspirations: a Perdes code; history: ticket */
	const char *month;	/* report, records: YYYY-MM (a meeting's date) */
	/* report: a kecamatan's code (33.22.01); "" the villages that are
	 * not in the village list */
	const char *kecamatan;
	const char *flag;	/* records: one flag word */
	const char *role;	/* contacts: pendamping, koordinator, warga */
};

/* Called with the header first (row = 0), then once per row; values are
 * NUL-terminated text, "" for NULL. Return non-zero to stop. */
typedef int (*export_row_fn)(void *arg, int row, int ncols,
    const char *const *values);

int store_export(struct store *, enum export_kind,
    const struct export_filter *, export_row_fn, void *arg);


/* Who an SMS goes to, one call each (recipients, meeting people). */
typedef int (*recipient_fn)(void *arg, const char *number, const char *name,
    const char *desa_name);

/* ---- USSD sessions and meetings (store_ussd.c) --------------------- */

/*
 * The longest sessionId and text the gateway takes (longer ones are
 * refused with 400 before anything is stored): the row holds them whole,
 * so the session row and its actions always name the same id, and an
 * ended session can tell its last request repeated from a new one.
 */
#define USSD_SESSION_ID_MAX	100
#define USSD_TEXT_MAX		1024

/* A USSD session as the store keeps it. */
struct ussd_session_row {
	char id[USSD_SESSION_ID_MAX + 1];
	char number[NUMBER_MAX];
	char service[32];
	char network[16];
	long long started_at, last_at;
	int requests;
	char state[8];		/* open, ended, expired */
	char last_text[USSD_TEXT_MAX + 1];
};

/* Returns 1 found, 0 not found, -1 error. */
int store_ussd_session_get(struct store *, const char *id,
    struct ussd_session_row *);
/* Insert or update one session (inside the caller's transaction). */
int store_ussd_session_put(struct store *, const struct ussd_session_row *);
/* Delete at most max sessions last used before `before`, with their
 * actions, in one transaction of its own; returns how many, or -1. */
int store_ussd_sessions_purge(struct store *, long long before, int max);
/* The ticket an action on (session, path) made since the session started
 * (an id the aggregator used before is another session): 1 found, 0 none,
 * -1. */
int store_ussd_action_get(struct store *, const char *session,
    const char *path, long long since, char *tiket, size_t cap);
int store_ussd_action_put(struct store *, const char *session,
    const char *path, const char *action, const char *tiket,
    long long message_id, long long now);
/* A message that came by another channel than SMS (already processed). */
int store_message_add_channel(struct store *, const char *channel,
    const char *number, const char *text, const char *kind, long long now,
    long long *id);

struct meeting {
	char desa[DESA_MAX];
	char tanggal[16];	/* YYYY-MM-DD */
	char waktu[8];		/* HH:MM */
	char jenis[16];
	char tempat[128];
	/* filled by the reads below (store_meetings_next: not the id) */
	long long id, created_at;
	long long announced_at;	/* added, or last changed (its SMS went) */
	char state[12];		/* scheduled, cancelled */
	char reason[256];	/* why it was cancelled */
};

int store_meeting_add(struct store *, const struct meeting *, long long now,
    long long *id);
/* The next meetings of desa from date from on, at most max. */
int store_meetings_next(struct store *, const char *desa, const char *from,
    struct meeting *, int max);
/* Meetings dated from..to (YYYY-MM-DD) whose reminder is neither sent nor
 * recorded missed, soonest first, at most max; returns how many, or -1. */
int store_meetings_to_remind(struct store *, const char *from, const char *to,
    struct meeting *, int max);
/* The reminder of meeting id was sent or recorded missed. */
int store_meeting_reminded(struct store *, long long id, long long now);
/* Meeting id, whatever its state: 1 found, 0 not, -1 error. */
int store_meeting_get(struct store *, long long id, struct meeting *);
/* fn for every scheduled meeting dated from..to (YYYY-MM-DD, to NULL: no
 * end) of desa (NULL: every village), soonest first; returns how many,
 * or -1. fn returns non-zero to stop. */
int store_meetings_between(struct store *, const char *desa,
    const char *from, const char *to,
    int (*fn)(void *arg, const struct meeting *), void *arg);
/* Cancel scheduled meeting id with reason: 1 done, 0 not scheduled, -1. */
int store_meeting_cancel(struct store *, long long id, const char *reason,
    long long now);
/* Move meeting m->id to m's date, time and place, as announced now: its
 * reminder is due again, the day before the new date. 1 done, 0 not
 * scheduled, -1. */
int store_meeting_change(struct store *, const struct meeting *,
    long long now);
/* Remember that the outbox row just inserted on this connection (by
 * store_outbox_add_at) is an SMS about meeting id, of kind what
 * (announce, reminder, change, cancel). */
int store_meeting_sms_add(struct store *, long long id, const char *number,
    const char *what);
/* fn once for every number an SMS about meeting id was queued to; returns
 * how many, or -1. */
int store_meeting_told(struct store *, long long id, recipient_fn fn,
    void *arg);
/* Drop (dead, with reason) every SMS about meeting id still waiting in
 * the outbox; returns how many, or -1. */
int store_meeting_drop_queued(struct store *, long long id,
    const char *reason);

/* ---- what the gateway sends first (store_notify.c) ----------------- */

/* The due time a reminder last fired for, 0 if never, -1 on error. */
long long store_reminder_last(struct store *, const char *name);
/* Record a firing (or a skip: outcome "missed") of due. */
int store_reminder_fired(struct store *, const char *name, long long due,
    int recipients, const char *outcome, long long now);

/* One group of recipients; NULL fields do not restrict. */
struct recipient_query {
	const char *role;	/* pendamping, koordinator, warga, semua */
	const char *desa;	/* a village code */
	const char *kecamatan;
	/* "YYYY-MM": only facilitators with no RAPAT or KADER dated in that
	 * month (as `report monthly` counts it) */
	const char *no_report_month;
	int with_opted_out;	/* also those who sent BERHENTI (to count) */
	const char *except;	/* a number left out (the sender) */
};


/* Call fn for every contact of q that has not opted out; returns how
 * many, or -1. */
int store_recipients(struct store *, const struct recipient_query *,
    recipient_fn, void *arg);
/* Queue an SMS the gateway initiates, due at next_at. */
int store_outbox_add_at(struct store *, const char *number, const char *text,
    const char *purpose, long long next_at, long long now);
/* The digest's figures: reports, new tickets, withheld replies and
 * activities newly flagged (PANTAU) in [from, to); tickets open since
 * before waiting_before. */
struct digest_figures {
	int reports, new_tickets, waiting, withheld, flagged;
};
int store_digest(struct store *, long long from, long long to,
    long long waiting_before, struct digest_figures *);
/* The warga and pendamping of a village who have not opted out. */
int store_meeting_people(struct store *, const char *desa, recipient_fn,
    void *arg);
/* Queue text as a broadcast to everyone q reaches (store_recipients), in
 * one statement; returns how many, or -1. */
int store_broadcast_to(struct store *, const struct recipient_query *,
    const char *text, long long now);
/* The kecamatan typed (any case) as the village list writes it, into
 * out; one inside area (code prefixes) first. 1 found, 0 not, -1. */
int store_kecamatan_find(struct store *, const char *typed, const char *area,
    char *out, size_t cap);
/* The loop guard: messages from number with exactly this text sent
 * since (their SMSC time, else when received), up to message upto_id (not
 * those stored after it, which a batch may hold already), and replies
 * sent (not withheld) to number for the same error to exactly this text
 * sent since. */
int store_same_text_since(struct store *, const char *number,
    const char *text, size_t len, long long since, long long upto_id);
int store_error_replies_since(struct store *, const char *number,
    const char *error, const char *text, size_t len, long long since);
/* The sending policy's counts: initiated SMS sent since hour_ago, and to
 * number since day_start. */
int store_policy_counts(struct store *, const char *number, long long hour_ago,
    long long day_start, int *last_hour, int *today);
/* The second alone: what a dispatch round asks per row, having read the
 * hour's count once. */
int store_policy_today(struct store *, const char *number,
    long long day_start, int *today);
/* Hold an initiated SMS until a time, or (until 0) drop it; with why. */
int store_outbox_hold(struct store *, long long id, long long until,
    const char *reason);

/* ---- the web console's users and sessions (store_users.c) ----------- */

#define USER_NAME_MAX	64
#define USER_HASH_MAX	128	/* crypto_pwhash_STRBYTES */

/* A console user. role: "admin", "koordinator" or "camat"; kecamatan:
 * a camat's kecamatan code (33.22.01), "" for the others. */
struct user {
	char name[USER_NAME_MAX];
	char role[16];
	char kecamatan[16];
	char hash[USER_HASH_MAX];	/* Argon2id, crypto_pwhash_str */
	long long created_at, updated_at;
};

/* Add u, or change its role, kecamatan and hash when the name exists.
 * Returns 1 added, 0 changed, -1 on error. */
int store_user_put(struct store *, const struct user *, long long now);
/* 1 found, 0 not, -1 error. */
int store_user_get(struct store *, const char *name, struct user *);
/* Remove a user and every session of theirs: 1 removed, 0 no such user,
 * -1 error. */
int store_user_remove(struct store *, const char *name);
/* fn once per user by name (fn returns non-zero to stop); 0 or -1. */
int store_users_list(struct store *,
    int (*fn)(void *arg, const struct user *), void *arg);

/* A console session: only the hash of its id is stored (hex). */
struct session {
	char user[USER_NAME_MAX];
	long long created_at, last_at;
};
int store_session_add(struct store *, const char *id_hash, const char *user,
    const char *addr, long long now);
/* 1 found, 0 not, -1 error. */
int store_session_get(struct store *, const char *id_hash, struct session *);
int store_session_touch(struct store *, const char *id_hash, long long now);
int store_session_remove(struct store *, const char *id_hash);
/* Every session of user (a changed password, a removed user). */
int store_sessions_remove_user(struct store *, const char *user);
/* Sessions made before created_before or idle since idle_before; how
 * many went, or -1. */
int store_sessions_expire(struct store *, long long created_before,
    long long idle_before);

#endif
