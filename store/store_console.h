/*
 * store_console: what the web console reads, one function per view. Each
 * page's queries are in a store/store_console_*.c of their own; rows come
 * back as text through export_row_fn (row 1 first, no header), so a page
 * never sees SQL.
 */
#ifndef KENTONGAN_STORE_CONSOLE_H
#define KENTONGAN_STORE_CONSOLE_H

#include "store/store.h"

/* ---- the day's overview (store_console.c) ---- */

struct console_today {
	long long tickets_new;		/* status baru */
	long long tickets_today;	/* opened since day_start */
	long long received_today;	/* SMS parts the modems took in */
	long long failed_out;		/* outbox failed or dead */
};
/* kec: a camat's kecamatan code ("" everything). */
int store_console_today(struct store *, long long day_start, const char *kec,
    struct console_today *);
/* The newest tickets in status baru: name, desa name, isi, created_at. */
int store_console_new_tickets(struct store *, const char *kec, int max,
    export_row_fn, void *arg);
/* Per record kind: kind, counted this month, counted last month (by the
 * time they came). */
int store_console_month_kinds(struct store *, long long month_start,
    long long last_month_start, const char *kec, export_row_fn, void *arg);

/* ---- tickets (store_console_tiket.c) ---- */

/* What the ticket list shows; "" (or 0) leaves a filter out. */
struct console_tickets {
	const char *status;	/* as ticket_status() writes it */
	const char *desa;	/* a village code */
	const char *kec;	/* a kecamatan code (33.22.01) */
	const char *camat;	/* the camat's kecamatan: never escaped */
	const char *q;		/* text the isi holds, any case */
	long long from, to;	/* created in [from, to) */
	long long before;	/* the page's cursor: ids below it */
};
/* Newest first, at most max: id, name, type, status, desa, desa name,
 * isi, number, created_at, updated_at. */
int store_console_tickets(struct store *, const struct console_tickets *,
    int max, export_row_fn, void *arg);
/* The ticket type-seq when inside camat's kecamatan ("" any): id, name,
 * type, status, number, contact name, desa, desa name, kecamatan, perdes,
 * isi, created_at, updated_at, message id, message text, received_at,
 * last note. */
int store_console_ticket(struct store *, const char *type, long long seq,
    const char *camat, export_row_fn, void *arg);
/* Its history, oldest first: status, note, at, desa_was, its name. */
int store_console_ticket_history(struct store *, const char *ticket_id,
    export_row_fn, void *arg);
/* The SMS number was sent about ticket name (the reply to message_id,
 * the news since): purpose, state, text, created_at, sent_at,
 * delivered_at, why not sent. */
int store_console_ticket_sms(struct store *, const char *number,
    const char *name, const char *message_id, export_row_fn, void *arg);

/* ---- messages, both ways (store_console_pesan.c) ---- */

/* A text search without a number reads at most this many newest rows. */
#define PESAN_SCAN_MAX	200000
#define PESAN_TEXT_MAX	100	/* longest text searched for */

struct pesan_filter {
	long long cursor;	/* rows with an id below it; 0 from the newest */
	const char *number;	/* E.164, "" any */
	long long from, to;	/* [from, to) Unix seconds; 0 open */
	const char *text;	/* contained (LIKE: ASCII case ignored), "" */
	int limit;
};
/* Messages in, newest first: id, number, received_at, text, state, kind,
 * error, note, channel. */
int store_console_inbound(struct store *, const struct pesan_filter *,
    export_row_fn, void *arg);
/* The outbox, newest first: id, number, text, purpose, state, reason,
 * last_error, created_at, sent_at, delivered_at, parts. */
int store_console_outbound(struct store *, const struct pesan_filter *,
    export_row_fn, void *arg);

/* Where a conversation's page starts: below (t, dir, id), dir 0 in, 1
 * out; t LLONG_MAX from the newest. */
struct conversation_cursor {
	long long t;
	int dir;
	long long id;
};
/* One number's messages both ways, newest first: dir ("in", "out"), id,
 * time (received, or queued), text, state, kind or purpose, error or
 * reason, note or last_error, sent_at, delivered_at. */
int store_console_conversation(struct store *, const char *number,
    const struct conversation_cursor *, int limit, export_row_fn,
    void *arg);

/* ---- contacts and meetings (store_console_kontak.c) ---- */

/* Contacts numbered after `after` ("" from the first), by number: number,
 * name, role, villages ("code name; ..."), opted_out, consent_at. q
 * matches the name (any case) or the number; role and desa ("" any)
 * filter. */
int store_console_contacts(struct store *, const char *q, const char *role,
    const char *desa, const char *after, int max, export_row_fn, void *arg);
/* Meetings from today on (upcoming) or before it, nearest first: id,
 * desa, desa name, tanggal, waktu, jenis, tempat, state, reason. */
int store_console_meetings(struct store *, const char *today, int upcoming,
    int max, export_row_fn, void *arg);

#endif

/* ---- the reports (store_console_laporan.c) ---- */

/* Which reports a list shows; "" for any. */
struct laporan_filter {
	const char *kec;	/* a camat's kecamatan code */
	const char *desa;	/* a village code (or as typed, if unknown) */
	const char *month;	/* YYYY-MM: the meeting's date, else the day
				 * it came */
	const char *flag;	/* one flag word */
	const char *state;	/* counted, not_counted, withdrawn */
	const char *kind;	/* rapat, kader, aduan, ... */
};

/* The columns of a report in a list (LR_*) and of one report (LR_* then
 * LD_*), in order. */
enum {
	LR_ID, LR_KIND, LR_DESA, LR_DESA_NAME, LR_TANGGAL, LR_LAKI,
	LR_PEREMPUAN, LR_JUMLAH, LR_JENIS, LR_TEXT, LR_NUMBER, LR_NAME,
	LR_STATE, LR_FLAGS, LR_NOTE, LR_CREATED,
	LD_DESA_INPUT = LR_CREATED + 1, LD_TOPIK, LD_CATATAN, LD_ISI,
	LD_PERDES, LD_DUPLICATE_OF, LD_REVIEWED_AT, LD_TICKET, LD_SMS,
	LD_RECEIVED_AT, LD_SMSC_TIME, LD_REPLY, LD_REPLY_STATE
};

/* Up to max reports below id before (0: the newest), newest first. */
int store_console_laporan(struct store *, const struct laporan_filter *,
    long long before, int max, export_row_fn, void *arg);
/* Report id with the SMS that carried it and its reply, if a camat of
 * kec ("" anyone) may see it: 1 row or none. */
int store_console_laporan_one(struct store *, long long id, const char *kec,
    export_row_fn, void *arg);
