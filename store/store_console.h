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

#endif
